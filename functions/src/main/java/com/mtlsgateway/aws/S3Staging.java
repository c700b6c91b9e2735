package com.mtlsgateway.aws;

import com.mtlsgateway.customresource.CustomResourceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads objects from S3 with a size limit, and stages bytes as a version of an object in a versioned bucket (the
 * truststore and the revocation index).
 *
 * <p>Staging is idempotent: when the current version of the target object already holds the same bytes, its
 * VersionId is reused and nothing is written, so a retried event or a no-op update gives the same
 * version (TruststoreVersion, IndexVersion) and nothing downstream is updated for nothing. The SHA-256 of the
 * bytes is stored as object metadata ({@code x-amz-meta-sha256}) so that the check is one HeadObject; objects
 * without it (written by someone else) are compared byte for byte.
 *
 * <p>Permissions used: s3:GetObject (and s3:GetObjectVersion for a versioned source) on the source;
 * s3:GetBucketVersioning on the staging bucket; s3:GetObject, s3:GetObjectVersion and s3:PutObject on the
 * staging key (s3:ListBucket on the staging bucket makes a first-time HeadObject answer 404 instead of 403).
 */
public final class S3Staging {

  /** User metadata key holding the hex SHA-256 of the staged bytes (header {@code x-amz-meta-sha256}). */
  public static final String SHA256_METADATA = "sha256";

  /** A staged version of the target object. */
  public record Staged(String versionId, boolean reused) {}

  private final S3Client s3;
  private final String bucketProperty;
  private final String keyProperty;
  private final String contentType;
  private final String whyVersioned;

  /**
   * @param bucketProperty and {@code keyProperty}: the names of the properties the target came from, named in
   *     Reasons (e.g. StagingBucket and StagingKey)
   * @param contentType the Content-Type of staged objects
   * @param whyVersioned why the bucket must be versioned, ending the Reason when it is not (e.g. "API Gateway needs
   *     TruststoreVersion, the S3 VersionId of the staged object")
   */
  public S3Staging(S3Client s3, String bucketProperty, String keyProperty, String contentType, String whyVersioned) {
    this.s3 = s3;
    this.bucketProperty = bucketProperty;
    this.keyProperty = keyProperty;
    this.contentType = contentType;
    this.whyVersioned = whyVersioned;
  }

  /**
   * What {@link #read} got.
   *
   * @param bytes the object's bytes, cut after {@code maxBytes} + 1 bytes
   * @param size the object's full size (Content-Length)
   */
  public record Download(byte[] bytes, long size) {
    /** Whether the object is over {@code maxBytes} (and {@code bytes} holds only its beginning). */
    public boolean tooLarge(long maxBytes) {
      return size > maxBytes;
    }
  }

  /**
   * Reads the object at {@code source} (the given version, if any). Never holds more than {@code maxBytes} + 1
   * bytes in memory: a larger object is not read further.
   *
   * @param property the property the location came from, named in errors
   * @param permissionNote appended to the permission named when S3 answers 403 (may be empty)
   * @throws CustomResourceException whose message starts with the property and the location
   */
  public Download read(String property, S3Location source, long maxBytes, String permissionNote) {
    int limit = Math.toIntExact(maxBytes + 1);
    String permission = (source.versionId() == null ? "s3:GetObject" : "s3:GetObjectVersion") + " on "
        + arn(source.bucket() + "/" + source.key()) + permissionNote;
    ResponseInputStream<GetObjectResponse> in = call(property + " " + source, "GetObject", permission,
        () -> s3.getObject(b -> b.bucket(source.bucket()).key(source.key()).versionId(source.versionId())));
    try (in) {
      byte[] bytes = in.readNBytes(limit);
      Long contentLength = in.response().contentLength();
      if (bytes.length == limit) {
        in.abort(); // do not download the rest of an oversized object
      }
      long size = contentLength != null && contentLength > bytes.length ? contentLength : bytes.length;
      return new Download(bytes, size);
    } catch (IOException | UncheckedIOException | SdkException e) {
      throw new CustomResourceException(property + " " + source + ": reading the object failed ("
          + e.getMessage() + "); this is usually transient: retry the deployment", e);
    }
  }

  /**
   * Makes {@code bundle} the current version of {@code target} (bucket and key) and returns its VersionId,
   * reusing the current version when it already holds the same bytes.
   *
   * @param sha256 hex SHA-256 of {@code bundle}
   */
  public Staged stage(S3Location target, byte[] bundle, String sha256) {
    requireVersioning(target);
    Optional<String> same = currentVersionWithSameBytes(target, bundle, sha256);
    if (same.isPresent()) {
      return new Staged(same.get(), true);
    }
    PutObjectResponse put = call(keyProperty + " " + target, "PutObject",
        "s3:PutObject on " + arn(target.bucket() + "/" + target.key()), () -> s3.putObject(
        b -> b.bucket(target.bucket()).key(target.key()).contentType(contentType)
            .metadata(Map.of(SHA256_METADATA, sha256)),
        RequestBody.fromBytes(bundle)));
    if (!isRealVersion(put.versionId())) {
      // Versioning was switched off between the check and the upload.
      throw notVersioned(target.bucket(), "Suspended");
    }
    return new Staged(put.versionId(), false);
  }

  private void requireVersioning(S3Location target) {
    BucketVersioningStatus status = call(bucketProperty + " " + target.bucket(), "GetBucketVersioning",
        "s3:GetBucketVersioning on " + arn(target.bucket()), () -> s3.getBucketVersioning(b -> b.bucket(target.bucket()))).status();
    if (status != BucketVersioningStatus.ENABLED) {
      throw notVersioned(target.bucket(), status == null ? "never enabled" : status.toString());
    }
  }

  private CustomResourceException notVersioned(String bucket, String status) {
    return new CustomResourceException(bucketProperty + " " + bucket + " does not have versioning enabled (status: "
        + status + "): enable it (VersioningConfiguration Status: Enabled on the bucket, or `aws s3api "
        + "put-bucket-versioning --bucket " + bucket + " --versioning-configuration Status=Enabled`) and retry "
        + "(" + whyVersioned + ")");
  }

  private Optional<String> currentVersionWithSameBytes(S3Location target, byte[] bundle, String sha256) {
    HeadObjectResponse head;
    try {
      head = s3.headObject(b -> b.bucket(target.bucket()).key(target.key()));
    } catch (SdkException e) {
      if (e instanceof S3Exception s3Exception && s3Exception.statusCode() == 404) {
        return Optional.empty(); // not staged yet (a HEAD answer has no body, so the 404 may carry no error code)
      }
      throw failure(keyProperty + " " + target, "HeadObject", "s3:GetObject on " + arn(target.bucket() + "/"
          + target.key()) + " (and s3:ListBucket on " + arn(target.bucket()) + ", so that a key not staged yet "
          + "answers 404 rather than 403)", e);
    }
    String version = head.versionId();
    if (!isRealVersion(version) || head.contentLength() == null || head.contentLength() != bundle.length) {
      return Optional.empty();
    }
    String stored = head.metadata().get(SHA256_METADATA);
    if (stored != null) {
      return stored.equalsIgnoreCase(sha256) ? Optional.of(version) : Optional.empty();
    }
    byte[] current = read(keyProperty, target.withVersion(version), bundle.length, "").bytes();
    return Arrays.equals(current, bundle) ? Optional.of(version) : Optional.empty();
  }

  /**
   * Whether {@code versionId} names a version API Gateway can pin: an object written before versioning was enabled
   * (or while it was suspended) has the version id "null" (or none at all), which it cannot.
   */
  public static boolean isRealVersion(String versionId) {
    return versionId != null && !versionId.isEmpty() && !"null".equals(versionId);
  }

  /**
   * Runs one S3 call; a failure becomes a Reason that starts with the property and its value.
   *
   * @param subject the property and its value, e.g. "SourceUri s3://b/k"
   * @param permission the IAM permission the call needs, named when S3 answers 403
   */
  private static <T> T call(String subject, String operation, String permission, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      throw failure(subject, operation, permission, e);
    }
  }

  private static CustomResourceException failure(String subject, String operation, String permission,
      SdkException e) {
    String reason = subject + ": " + AwsErrors.describe("S3 " + operation, e);
    if (e instanceof S3Exception s3Exception && s3Exception.statusCode() == 403) {
      reason += "; the function needs " + permission;
    }
    return new CustomResourceException(reason, e);
  }

  private static String arn(String resource) {
    return "arn:aws:s3:::" + resource;
  }
}
