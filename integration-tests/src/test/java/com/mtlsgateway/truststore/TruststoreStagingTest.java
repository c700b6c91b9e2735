package com.mtlsgateway.truststore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mtlsgateway.customresource.HttpResponseSender;
import com.mtlsgateway.testing.MotoServer;
import com.mtlsgateway.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * Custom::Truststore against a real S3 API (moto server): the handler is built with its public no-arg Lambda
 * constructor, so its S3 client is production's ({@code AwsClients}, Apache 5 HTTP client, endpoint from the SDK's
 * own {@code AWS_ENDPOINT_URL} setting), and events go in through {@code handleRequest} as CloudFormation sends
 * them; the response is what the handler PUT to a local ResponseURL.
 */
@ExtendWith(MotoServer.class)
class TruststoreStagingTest {

  private static final String SOURCE = "mtls-test-source";
  private static final String STAGE = "mtls-test-truststore";
  private static final String STAGED_URI = "s3://" + STAGE + "/truststore.pem";

  private final MotoServer.Running moto;
  private final TestPki pki = TestPki.at(Instant.now());
  private final TruststoreHandler handler = new TruststoreHandler();
  private final CloudFormation cloudFormation = new CloudFormation();
  private S3Client s3;

  TruststoreStagingTest(MotoServer.Running moto) {
    this.moto = moto;
  }

  @BeforeEach
  void buckets() {
    s3 = moto.resetWithVersionedBuckets(SOURCE, STAGE);
  }

  @AfterEach
  void close() {
    cloudFormation.close();
    s3.close();
  }

  private String bundle(String name) {
    return TestPki.bundle(pki.chain(name, 2));
  }

  /** Uploads a source object and returns its VersionId. */
  private String upload(String key, String content) {
    return s3.putObject(b -> b.bucket(SOURCE).key(key), RequestBody.fromString(content, StandardCharsets.UTF_8))
        .versionId();
  }

  private static Map<String, String> fromSource(String key) {
    return Map.of("SourceUri", "s3://" + SOURCE + "/" + key, "StagingBucket", STAGE, "StagingKey", "truststore.pem",
        "AcceptWarnings", "false");
  }

  private List<ObjectVersion> stagedVersions() {
    return s3.listObjectVersions(b -> b.bucket(STAGE).prefix("truststore.pem")).versions();
  }

  private ResponseBytes<GetObjectResponse> staged(String versionId) {
    return s3.getObjectAsBytes(b -> b.bucket(STAGE).key("truststore.pem").versionId(versionId));
  }

  private static void assertSuccess(JsonNode response) {
    assertThat(response.get("Status").asText()).as("Status; Reason: %s", response.path("Reason").asText())
        .isEqualTo("SUCCESS");
  }

  private static String version(JsonNode response) {
    return response.get("Data").get("TruststoreVersion").asText();
  }

  @Test
  void createStagesTheBundleAsAVersionOfTheStagingObject() {
    String pem = bundle("Clients");
    upload("ca.pem", pem);

    JsonNode response = cloudFormation.send(handler, CloudFormation.create(fromSource("ca.pem")));

    assertSuccess(response);
    assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(STAGED_URI);
    JsonNode data = response.get("Data");
    assertThat(data.get("TruststoreUri").asText()).isEqualTo(STAGED_URI);
    assertThat(data.get("CertificateCount").asText()).isEqualTo("2");
    assertThat(data.get("Findings").asText()).isEqualTo("no findings");
    assertThat(Instant.parse(data.get("EarliestExpiry").asText())).isEqualTo(pki.now().plus(Duration.ofDays(365)));
    ResponseBytes<GetObjectResponse> staged = staged(version(response));
    assertThat(staged.asUtf8String()).isEqualTo(pem);
    assertThat(staged.response().versionId()).isEqualTo(version(response));
    assertThat(staged.response().metadata()).containsEntry("sha256", data.get("Sha256").asText());
    assertThat(staged.response().contentType()).isEqualTo("application/x-pem-file");
    assertThat(data.get("Sha256").asText())
        .isEqualTo(TruststoreStagerS3Test.sha256(pem.getBytes(StandardCharsets.UTF_8)));
    assertThat(data.properties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder("TruststoreUri",
        "TruststoreVersion", "CertificateCount", "Sha256", "EarliestExpiry", "Findings");
    assertThat(stagedVersions()).singleElement().satisfies(v -> assertThat(v.isLatest()).isTrue());
  }

  @Test
  void anUpdateWithNewBytesStagesANewVersion() {
    upload("ca.pem", bundle("First"));
    JsonNode created = cloudFormation.send(handler, CloudFormation.create(fromSource("ca.pem")));
    String rotated = bundle("First") + bundle("Second");
    upload("ca.pem", rotated);

    JsonNode updated = cloudFormation.send(handler,
        CloudFormation.update(STAGED_URI, fromSource("ca.pem"), fromSource("ca.pem")));

    assertSuccess(updated);
    assertThat(updated.get("PhysicalResourceId").asText()).isEqualTo(STAGED_URI);
    assertThat(version(updated)).isNotEqualTo(version(created));
    assertThat(updated.get("Data").get("CertificateCount").asText()).isEqualTo("4");
    assertThat(staged(version(updated)).asUtf8String()).isEqualTo(rotated);
    assertThat(stagedVersions()).hasSize(2);
  }

  @Test
  void anUpdateWithIdenticalBytesReusesTheVersionAndWritesNothing() {
    String pem = bundle("Clients");
    upload("ca.pem", pem);
    upload("same-bytes-elsewhere.pem", pem);
    JsonNode created = cloudFormation.send(handler, CloudFormation.create(fromSource("ca.pem")));

    JsonNode updated = cloudFormation.send(handler,
        CloudFormation.update(STAGED_URI, fromSource("same-bytes-elsewhere.pem"), fromSource("ca.pem")));

    assertSuccess(updated);
    assertThat(updated.get("PhysicalResourceId").asText()).isEqualTo(STAGED_URI);
    assertThat(version(updated)).isEqualTo(version(created));
    assertThat(updated.get("Data")).isEqualTo(created.get("Data"));
    assertThat(stagedVersions()).singleElement()
        .satisfies(v -> assertThat(v.versionId()).isEqualTo(version(created)));
  }

  @Test
  void theSameCreateEventTwiceGivesTheSameVersion() {
    upload("ca.pem", bundle("Clients"));
    var event = CloudFormation.create(fromSource("ca.pem"));

    JsonNode first = cloudFormation.send(handler, event);
    JsonNode retried = cloudFormation.send(handler, event);

    assertSuccess(first);
    assertThat(retried).isEqualTo(first);
    assertThat(stagedVersions()).hasSize(1);
  }

  @Test
  void anIdenticalObjectStagedBySomeoneElseIsReusedByComparingBytes() {
    String pem = bundle("Clients");
    upload("ca.pem", pem);
    String foreign = s3.putObject(b -> b.bucket(STAGE).key("truststore.pem"),
        RequestBody.fromString(pem, StandardCharsets.UTF_8)).versionId();

    JsonNode response = cloudFormation.send(handler, CloudFormation.create(fromSource("ca.pem")));

    assertSuccess(response);
    assertThat(version(response)).isEqualTo(foreign);
    assertThat(stagedVersions()).hasSize(1);
  }

  @Test
  void aSourceUriWithVersionIdReadsThatVersion() {
    String older = bundle("Older");
    String v1 = upload("ca.pem", older);
    upload("ca.pem", bundle("Newer"));

    JsonNode response = cloudFormation.send(handler, CloudFormation.create(Map.of(
        "SourceUri", "s3://" + SOURCE + "/ca.pem?versionId=" + v1, "StagingBucket", STAGE)));

    assertSuccess(response);
    assertThat(staged(version(response)).asUtf8String()).isEqualTo(older);
  }

  @Test
  void anInlinePemIsStaged() {
    String pem = bundle("Inline");

    JsonNode response = cloudFormation.send(handler, CloudFormation.create(Map.of(
        "Pem", pem, "StagingBucket", STAGE, "StagingKey", "inline/truststore.pem")));

    assertSuccess(response);
    assertThat(response.get("PhysicalResourceId").asText()).isEqualTo("s3://" + STAGE + "/inline/truststore.pem");
    assertThat(s3.getObjectAsBytes(b -> b.bucket(STAGE).key("inline/truststore.pem")
        .versionId(version(response))).asUtf8String()).isEqualTo(pem);
  }

  @Test
  void aMissingSourceObjectFailsNamingSourceUri() {
    var event = CloudFormation.create(fromSource("missing.pem"));

    JsonNode response = cloudFormation.send(handler, event);

    assertThat(response.get("Status").asText()).isEqualTo("FAILED");
    assertThat(response.get("Reason").asText())
        .startsWith("SourceUri s3://" + SOURCE + "/missing.pem: S3 GetObject: NoSuchKey (404)")
        .contains("the object does not exist: check the key");
    assertThat(response.get("PhysicalResourceId").asText())
        .isEqualTo("mtls-gateway:create-failed:" + event.get("RequestId").asText());
    assertThat(stagedVersions()).isEmpty();
  }

  @Test
  void aMissingSourceVersionFailsNamingIt() {
    upload("ca.pem", bundle("Clients"));

    JsonNode response = cloudFormation.send(handler, CloudFormation.create(Map.of(
        "SourceUri", "s3://" + SOURCE + "/ca.pem?versionId=no-such-version", "StagingBucket", STAGE)));

    assertThat(response.get("Status").asText()).isEqualTo("FAILED");
    assertThat(response.get("Reason").asText())
        .startsWith("SourceUri s3://" + SOURCE + "/ca.pem?versionId=no-such-version: S3 GetObject: NoSuchVersion");
  }

  @Test
  void aMissingSourceBucketFailsNamingIt() {
    JsonNode response = cloudFormation.send(handler, CloudFormation.create(Map.of(
        "SourceUri", "s3://no-such-bucket-here/ca.pem", "StagingBucket", STAGE)));

    assertThat(response.get("Reason").asText())
        .startsWith("SourceUri s3://no-such-bucket-here/ca.pem: S3 GetObject: NoSuchBucket (404)");
  }

  @Test
  void aStagingBucketWithoutVersioningFails() {
    s3.createBucket(b -> b.bucket("unversioned"));
    upload("ca.pem", bundle("Clients"));

    JsonNode response = cloudFormation.send(handler, CloudFormation.create(Map.of(
        "SourceUri", "s3://" + SOURCE + "/ca.pem", "StagingBucket", "unversioned")));

    assertThat(response.get("Status").asText()).isEqualTo("FAILED");
    assertThat(response.get("Reason").asText()).startsWith("StagingBucket unversioned does not have versioning "
        + "enabled (status: never enabled): enable it").contains("API Gateway needs TruststoreVersion");
    assertThat(s3.listObjectVersions(b -> b.bucket("unversioned")).versions()).isEmpty();
  }

  @Test
  void aStagingBucketWithSuspendedVersioningFails() {
    s3.putBucketVersioning(b -> b.bucket(STAGE).versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));

    JsonNode response = cloudFormation.send(handler, CloudFormation.create(Map.of(
        "Pem", bundle("Clients"), "StagingBucket", STAGE)));

    assertThat(response.get("Reason").asText())
        .startsWith("StagingBucket " + STAGE + " does not have versioning enabled (status: Suspended)");
  }

  @Test
  void aBadBundleFailsWithItsFindingCodesAndStagesNothing() {
    List<TestPki.Issued> chain = pki.chain("Clients", 2);
    TestPki.Issued client = pki.certificate("CN=client.example.com").ca(false).issuedBy(chain.get(1));
    String pem = TestPki.bundle(chain.get(1), client) + "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n"
        + "-----END CERTIFICATE-----\n";
    upload("bad.pem", pem);

    JsonNode response = cloudFormation.send(handler, CloudFormation.create(fromSource("bad.pem")));

    assertThat(response.get("Status").asText()).isEqualTo("FAILED");
    assertThat(response.get("Reason").asText())
        .startsWith("Truststore bundle from SourceUri s3://" + SOURCE + "/bad.pem is not valid (1 ERROR, 2 WARNING)")
        .contains("PARSE_ERROR")
        .contains("CHAIN_INCOMPLETE #0 CN=Clients CA 2")
        .contains("NOT_CA #1 CN=client.example.com");
    assertThat(stagedVersions()).isEmpty();
  }

  @Test
  void aBundleWithWarningsFailsUnlessAcceptWarnings() {
    TestPki.Issued expired = pki.certificate("CN=Retired CA")
        .validity(pki.now().minus(Duration.ofDays(400)), pki.now().minus(Duration.ofDays(1))).selfSigned();
    upload("ca.pem", bundle("Clients") + expired.pem());

    JsonNode refused = cloudFormation.send(handler, CloudFormation.create(fromSource("ca.pem")));
    JsonNode accepted = cloudFormation.send(handler, CloudFormation.create(Map.of(
        "SourceUri", "s3://" + SOURCE + "/ca.pem", "StagingBucket", STAGE, "AcceptWarnings", "true")));

    assertThat(refused.get("Status").asText()).isEqualTo("FAILED");
    assertThat(refused.get("Reason").asText())
        .contains("set AcceptWarnings to \"true\" (the AcceptTruststoreWarnings parameter in this project's"
            + " template.yaml)")
        .contains("EXPIRED #2 CN=Retired CA");
    assertSuccess(accepted);
    assertThat(accepted.get("Data").get("Findings").asText()).isEqualTo("1 WARNING: EXPIRED x1");
    assertThat(accepted.get("Data").get("CertificateCount").asText()).isEqualTo("3");
    assertThat(Instant.parse(accepted.get("Data").get("EarliestExpiry").asText()))
        .isEqualTo(pki.now().minus(Duration.ofDays(1)));
  }

  @Test
  void anOversizedSourceFailsTooLarge() {
    String pem = bundle("Clients");
    String padded = pem + "#".repeat(1_000_001 - pem.length() + 10);
    upload("huge.pem", padded);

    JsonNode response = cloudFormation.send(handler, CloudFormation.create(fromSource("huge.pem")));

    assertThat(response.get("Status").asText()).isEqualTo("FAILED");
    assertThat(response.get("Reason").asText()).isEqualTo("Truststore bundle from SourceUri s3://" + SOURCE
        + "/huge.pem is not valid (1 ERROR): TOO_LARGE: The object is 1,000,011 bytes; API Gateway's truststore "
        + "quota is 1 MB (taken as 1,000,000 bytes) and cannot be raised: remove CAs you do not need and the text "
        + "between blocks. It was read only up to the quota: check the rest with `bin/mtls truststore validate`");
    assertThat(stagedVersions()).isEmpty();
  }

  @Test
  void deleteLeavesEveryObjectInPlace() {
    upload("ca.pem", bundle("Clients"));
    JsonNode created = cloudFormation.send(handler, CloudFormation.create(fromSource("ca.pem")));

    JsonNode deleted = cloudFormation.send(handler, CloudFormation.delete(STAGED_URI, fromSource("ca.pem")));

    assertSuccess(deleted);
    assertThat(deleted.get("PhysicalResourceId").asText()).isEqualTo(STAGED_URI);
    assertThat(stagedVersions()).singleElement().satisfies(v -> {
      assertThat(v.versionId()).isEqualTo(version(created));
      assertThat(v.isLatest()).isTrue();
    });
    assertThat(s3.listObjectVersions(b -> b.bucket(SOURCE)).versions()).hasSize(1);
  }

  @Test
  void anUpdateToAnotherStagingKeyIsAReplacementThatKeepsTheOldObject() {
    String pem = bundle("Clients");
    upload("ca.pem", pem);
    cloudFormation.send(handler, CloudFormation.create(fromSource("ca.pem")));
    Map<String, String> moved = Map.of("SourceUri", "s3://" + SOURCE + "/ca.pem", "StagingBucket", STAGE,
        "StagingKey", "v2/truststore.pem");

    JsonNode updated = cloudFormation.send(handler, CloudFormation.update(STAGED_URI, moved, fromSource("ca.pem")));
    JsonNode deletedOld = cloudFormation.send(handler, CloudFormation.delete(STAGED_URI, fromSource("ca.pem")));

    assertThat(updated.get("PhysicalResourceId").asText()).isEqualTo("s3://" + STAGE + "/v2/truststore.pem");
    assertThat(s3.listObjectVersions(b -> b.bucket(STAGE).prefix("v2/truststore.pem")).versions()).singleElement()
        .satisfies(v -> assertThat(v.versionId()).isEqualTo(version(updated)));
    assertThat(s3.getObjectAsBytes(b -> b.bucket(STAGE).key("v2/truststore.pem")).asUtf8String()).isEqualTo(pem);
    assertSuccess(deletedOld);
    assertThat(stagedVersions()).hasSize(1);
  }

  // --- Permissions: moto enforces IAM identity policies (not bucket policies) when asked. ---

  /**
   * The same grants as the TruststoreFunctionRole in template.yaml (TemplateTest checks that the template grants
   * exactly these) for SourceUri s3://SOURCE/ca.pem and the default staging key.
   */
  private static String templatePolicy(boolean readSource) {
    String readSourceStatement = """
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"],
         "Resource": "arn:aws:s3:::%s/ca.pem"},""".formatted(SOURCE);
    return """
        {"Version": "2012-10-17", "Statement": [%s
          {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
           "Resource": "arn:aws:s3:::%s/truststore.pem"},
          {"Effect": "Allow", "Action": ["s3:GetBucketVersioning", "s3:ListBucket"],
           "Resource": "arn:aws:s3:::%s"}]}""".formatted(readSource ? readSourceStatement : "", STAGE, STAGE);
  }

  private JsonNode sendAs(AwsBasicCredentials credentials, Map<String, String> properties) {
    JsonNode[] response = new JsonNode[1];
    try (S3Client restricted = moto.s3(credentials)) {
      TruststoreHandler restrictedHandler =
          new TruststoreHandler(restricted, new HttpResponseSender(), Clock.systemUTC());
      moto.withIamEnforced(() ->
          response[0] = cloudFormation.send(restrictedHandler, CloudFormation.create(properties)));
    }
    return response[0];
  }

  @Test
  void theTemplatesLeastPrivilegePolicyIsEnough() {
    upload("ca.pem", bundle("Clients"));
    AwsBasicCredentials role = moto.createIamUser("truststore-function", templatePolicy(true));

    JsonNode first = sendAs(role, fromSource("ca.pem"));
    JsonNode again = sendAs(role, fromSource("ca.pem"));

    assertSuccess(first);
    assertThat(version(again)).isEqualTo(version(first));
  }

  @Test
  void accessDeniedOnTheSourceNamesTheMissingPermission() {
    upload("ca.pem", bundle("Clients"));
    AwsBasicCredentials role = moto.createIamUser("truststore-function", templatePolicy(false));

    JsonNode response = sendAs(role, fromSource("ca.pem"));

    assertThat(response.get("Status").asText()).isEqualTo("FAILED");
    assertThat(response.get("Reason").asText())
        .startsWith("SourceUri s3://" + SOURCE + "/ca.pem: S3 GetObject: AccessDenied (403)")
        .contains("the function needs s3:GetObject on arn:aws:s3:::" + SOURCE + "/ca.pem");
  }

  @Test
  void accessDeniedOnTheStagingKeyNamesTheMissingPermission() {
    upload("ca.pem", bundle("Clients"));
    AwsBasicCredentials role = moto.createIamUser("truststore-function", templatePolicy(true));

    JsonNode response = sendAs(role, Map.of("SourceUri", "s3://" + SOURCE + "/ca.pem", "StagingBucket", STAGE,
        "StagingKey", "elsewhere.pem"));

    assertThat(response.get("Status").asText()).isEqualTo("FAILED");
    assertThat(response.get("Reason").asText())
        .startsWith("StagingKey s3://" + STAGE + "/elsewhere.pem: S3 HeadObject: ")
        .contains("403")
        .contains("the function needs s3:GetObject on arn:aws:s3:::" + STAGE + "/elsewhere.pem");
  }
}
