package com.mtlsgateway.truststore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mtlsgateway.aws.S3Location;
import com.mtlsgateway.aws.S3Staging;
import com.mtlsgateway.customresource.CustomResourceException;
import com.mtlsgateway.testing.MotoServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * TruststoreStager against moto server, where what matters is not visible in the handler's response: which S3
 * calls staging makes (one HeadObject when the SHA-256 metadata matches, a GetObject of that version when there is
 * none), and how much of an oversized source is read. The stager's S3 client is {@link ObservedS3}, a real client to
 * moto that records its calls; the handler-level cases are in {@link TruststoreStagingTest}.
 */
@ExtendWith(MotoServer.class)
class TruststoreStagerS3Test {

  private static final String STAGE = "mtls-test-stage";
  private static final String SOURCE = "mtls-test-source";
  private static final String KEY = "truststore.pem";
  private static final S3Location TARGET = S3Location.of(STAGE, KEY);
  private static final byte[] BUNDLE = "bundle one".getBytes(StandardCharsets.UTF_8);

  private final MotoServer.Running moto;
  private final ObservedS3 observed = new ObservedS3();
  private final TruststoreStager stager = new TruststoreStager(observed.client());
  private S3Client s3;

  TruststoreStagerS3Test(MotoServer.Running moto) {
    this.moto = moto;
  }

  @BeforeEach
  void buckets() {
    s3 = moto.resetWithVersionedBuckets(STAGE, SOURCE);
  }

  @AfterEach
  void close() {
    observed.close();
    s3.close();
  }

  private void versioning(String bucket, BucketVersioningStatus status) {
    s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(status)));
  }

  /** Writes the object as another writer would (no sha256 metadata unless given); returns its VersionId. */
  private String put(String bucket, String key, byte[] bytes, Map<String, String> metadata) {
    return s3.putObject(b -> b.bucket(bucket).key(key).metadata(metadata), RequestBody.fromBytes(bytes)).versionId();
  }

  private List<ObjectVersion> versions() {
    return s3.listObjectVersions(b -> b.bucket(STAGE).prefix(KEY)).versions();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aCurrentVersionWithTheSameShaIsReusedAfterOneHeadObject() {
    String first = stager.stage(TARGET, BUNDLE, sha256(BUNDLE)).versionId();
    observed.forget();

    S3Staging.Staged again = stager.stage(TARGET, BUNDLE, sha256(BUNDLE));

    assertThat(again).isEqualTo(new S3Staging.Staged(first, true));
    assertThat(observed.calls()).containsExactly("GetBucketVersioning " + STAGE, "HeadObject " + STAGE + "/" + KEY);
    assertThat(versions()).hasSize(1);
  }

  @Test
  void anObjectWithoutShaMetadataIsComparedByReadingThatVersion() {
    String foreign = put(STAGE, KEY, BUNDLE, Map.of());

    S3Staging.Staged staged = stager.stage(TARGET, BUNDLE, sha256(BUNDLE));

    assertThat(staged).isEqualTo(new S3Staging.Staged(foreign, true));
    assertThat(observed.calls()).containsExactly("GetBucketVersioning " + STAGE, "HeadObject " + STAGE + "/" + KEY,
        "GetObject " + STAGE + "/" + KEY + "?versionId=" + foreign);
    assertThat(versions()).hasSize(1);
  }

  @Test
  void otherBytesOfTheSameLengthWithoutShaMetadataGetANewVersion() {
    byte[] other = "bundle two".getBytes(StandardCharsets.UTF_8);
    assertThat(other).hasSameSizeAs(BUNDLE);
    String foreign = put(STAGE, KEY, other, Map.of());

    S3Staging.Staged staged = stager.stage(TARGET, BUNDLE, sha256(BUNDLE));

    assertThat(staged.reused()).isFalse();
    assertThat(staged.versionId()).isNotEqualTo(foreign);
    assertThat(observed.calls()).containsExactly("GetBucketVersioning " + STAGE, "HeadObject " + STAGE + "/" + KEY,
        "GetObject " + STAGE + "/" + KEY + "?versionId=" + foreign, "PutObject " + STAGE + "/" + KEY);
    assertThat(versions()).hasSize(2);
    var current = s3.getObjectAsBytes(b -> b.bucket(STAGE).key(KEY));
    assertThat(current.asByteArray()).isEqualTo(BUNDLE);
    assertThat(current.response().versionId()).isEqualTo(staged.versionId());
    assertThat(current.response().metadata()).containsEntry("sha256", sha256(BUNDLE));
  }

  /**
   * An object written before versioning was enabled has no VersionId API Gateway can pin (real S3 answers the
   * literal "null", moto no version header; the literal is unit tested in functions' TruststoreStagerTest), so even
   * with the same bytes and SHA-256 it is never reused: a real version is put.
   */
  @Test
  void anObjectWrittenBeforeVersioningWasEnabledIsNeverReused() {
    s3.createBucket(b -> b.bucket("mtls-test-late"));
    put("mtls-test-late", KEY, BUNDLE, Map.of("sha256", sha256(BUNDLE)));
    versioning("mtls-test-late", BucketVersioningStatus.ENABLED);

    S3Staging.Staged staged = stager.stage(S3Location.of("mtls-test-late", KEY), BUNDLE, sha256(BUNDLE));

    assertThat(staged.reused()).isFalse();
    assertThat(staged.versionId()).isNotBlank().isNotEqualTo("null");
    assertThat(observed.calls()).last().isEqualTo("PutObject mtls-test-late/" + KEY);
    assertThat(s3.listObjectVersions(b -> b.bucket("mtls-test-late")).versions())
        .extracting(ObjectVersion::versionId).containsExactlyInAnyOrder("null", staged.versionId());
  }

  @Test
  void aBucketWhoseVersioningWasNeverEnabledIsRefusedBeforeAnyOtherCall() {
    s3.createBucket(b -> b.bucket("mtls-test-plain"));

    assertThatThrownBy(() -> stager.stage(S3Location.of("mtls-test-plain", "t.pem"), BUNDLE, sha256(BUNDLE)))
        .isInstanceOf(CustomResourceException.class)
        .hasMessage("StagingBucket mtls-test-plain does not have versioning enabled (status: never enabled): enable "
            + "it (VersioningConfiguration Status: Enabled on the bucket, or `aws s3api put-bucket-versioning "
            + "--bucket mtls-test-plain --versioning-configuration Status=Enabled`) and retry (API Gateway needs "
            + "TruststoreVersion, the S3 VersionId of the staged object)");
    assertThat(observed.calls()).containsExactly("GetBucketVersioning mtls-test-plain");
  }

  @Test
  void aSourceOverTheQuotaIsReadOnlyToTheQuotaPlusOneByteThenAborted() {
    put(SOURCE, "big.pem", new byte[3_000_000], Map.of());

    S3Staging.Download download = stager.read("SourceUri", S3Location.of(SOURCE, "big.pem"));

    assertThat(download.bytes()).hasSize(1_000_001);
    assertThat(download.size()).isEqualTo(3_000_000);
    assertThat(download.tooLarge(TruststoreValidator.MAX_BYTES)).isTrue();
    assertThat(observed.bodyBytesRead()).isEqualTo(1_000_001);
    assertThat(observed.aborted()).isTrue();
  }

  @Test
  void aSourceOfExactlyTheQuotaIsReadWhole() {
    byte[] max = new byte[1_000_000];
    max[max.length - 1] = 'x';
    put(SOURCE, "max.pem", max, Map.of());

    S3Staging.Download download = stager.read("SourceUri", S3Location.of(SOURCE, "max.pem"));

    assertThat(download.bytes()).isEqualTo(max);
    assertThat(download.size()).isEqualTo(1_000_000);
    assertThat(download.tooLarge(TruststoreValidator.MAX_BYTES)).isFalse();
    assertThat(observed.bodyBytesRead()).isEqualTo(1_000_000);
    assertThat(observed.aborted()).isFalse();
  }
}
