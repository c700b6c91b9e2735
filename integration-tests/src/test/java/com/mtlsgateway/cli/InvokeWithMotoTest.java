package com.mtlsgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mtlsgateway.aws.AwsClients;
import com.mtlsgateway.revocation.RevocationAuthorizer;
import com.mtlsgateway.revocation.RevocationRefreshHandler;
import com.mtlsgateway.truststore.TruststoreExpiryHandler;
import com.mtlsgateway.testing.MotoServer;
import com.mtlsgateway.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * {@code mtls invoke} in-process ({@link Main}) on the repository's event files, against moto: the handler is
 * built by its Lambda constructor and reaches moto through the SDK's standard endpoint setting (set by
 * {@link MotoServer}), exactly as {@code AWS_ENDPOINT_URL=... bin/mtls invoke events/...} does.
 */
@ExtendWith(MotoServer.class)
class InvokeWithMotoTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SOURCE = "mtls-gateway-demo-source";
  private static final String STAGING = "mtls-gateway-demo-truststore";
  private static final String STAGED_URI = "s3://" + STAGING + "/truststore.pem";

  private final MotoServer.Running moto;
  private final Path events = Command.projectRoot().resolve("events");
  private final TestPki pki = TestPki.at(Instant.now());
  private S3Client s3;
  private ByteArrayOutputStream out;
  private ByteArrayOutputStream err;

  InvokeWithMotoTest(MotoServer.Running moto) {
    this.moto = moto;
  }

  @BeforeEach
  void bucketsTheEventsName() {
    s3 = moto.resetWithVersionedBuckets(SOURCE, STAGING);
  }

  @AfterEach
  void close() {
    s3.close();
  }

  private void upload(String key, String pem) {
    s3.putObject(b -> b.bucket(SOURCE).key(key), RequestBody.fromString(pem, StandardCharsets.US_ASCII));
  }

  private int invoke(String eventFile) {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    return Main.run(new String[] {"invoke", events.resolve(eventFile).toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private JsonNode body() throws IOException {
    String stdout = out.toString(StandardCharsets.UTF_8);
    assertThat(stdout).as("stdout is the response body alone; stderr:\n%s", stderr()).startsWith("{").endsWith("}\n");
    return JSON.readTree(stdout);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private String stagedVersion() {
    return s3.headObject(b -> b.bucket(STAGING).key("truststore.pem")).versionId();
  }

  private String staged(String versionId) {
    return s3.getObjectAsBytes(b -> b.bucket(STAGING).key("truststore.pem").versionId(versionId)).asUtf8String();
  }

  @Test
  void createUpdateAndDeleteEventsStageRealBundlesInS3() throws IOException {
    String v1 = TestPki.bundle(pki.chain("Clients", 2));
    String v2 = v1 + TestPki.bundle(pki.chain("Partners", 2));
    upload("ca-bundle.pem", v1);
    upload("ca-bundle-v2.pem", v2);

    assertThat(invoke("truststore-create.json")).as(stderr()).isZero();
    JsonNode created = body();
    assertThat(created.get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(created.get("PhysicalResourceId").asText()).isEqualTo(STAGED_URI);
    assertThat(created.get("Data").get("TruststoreUri").asText()).isEqualTo(STAGED_URI);
    assertThat(created.get("Data").get("CertificateCount").asText()).isEqualTo("2");
    String createdVersion = created.get("Data").get("TruststoreVersion").asText();
    assertThat(createdVersion).isEqualTo(stagedVersion());
    assertThat(staged(createdVersion)).isEqualTo(v1);
    assertThat(stderr()).as("the handler's log goes to stderr").contains("\"status\":\"SUCCESS\"")
        .contains("Custom::Truststore Create Truststore answered SUCCESS");

    assertThat(invoke("truststore-update.json")).as(stderr()).isZero();
    JsonNode updated = body();
    String updatedVersion = updated.get("Data").get("TruststoreVersion").asText();
    assertThat(updatedVersion).isNotEqualTo(createdVersion).isEqualTo(stagedVersion());
    assertThat(staged(updatedVersion)).isEqualTo(v2);
    assertThat(updated.get("Data").get("CertificateCount").asText()).isEqualTo("4");

    assertThat(invoke("truststore-update.json")).as("the same event again").isZero();
    assertThat(body().get("Data").get("TruststoreVersion").asText()).isEqualTo(updatedVersion);

    assertThat(invoke("truststore-delete.json")).as(stderr()).isZero();
    assertThat(body().get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(s3.listObjectVersions(b -> b.bucket(STAGING)).versions()).as("Delete removes nothing").hasSize(2);
  }

  @Test
  void theInvalidCreateEventFailsWithTheFindingsAndStagesNothing() throws IOException {
    List<TestPki.Issued> chain = pki.chain("Clients", 2);
    TestPki.Issued expired = pki.certificate("CN=Clients CA 2019")
        .validity(Instant.parse("2019-01-01T00:00:00Z"), Instant.parse("2020-01-01T00:00:00Z")).issuedBy(chain.get(0));
    TestPki.Issued client = pki.certificate("CN=client.example.com").ca(false).issuedBy(chain.get(1));
    upload("bad-bundle.pem", TestPki.bundle(chain) + TestPki.bundle(expired, client));

    assertThat(invoke("truststore-create-invalid.json")).as(stderr()).isEqualTo(1);

    JsonNode failed = body();
    assertThat(failed.get("Status").asText()).isEqualTo("FAILED");
    assertThat(failed.get("Reason").asText())
        .startsWith("Truststore bundle from SourceUri s3://" + SOURCE + "/bad-bundle.pem is not valid (2 WARNING)")
        .contains("EXPIRED #2 CN=Clients CA 2019").contains("NOT_CA #3 CN=client.example.com");
    assertThat(failed.get("PhysicalResourceId").asText()).startsWith("mtls-gateway:create-failed:");
    assertThat(s3.listObjectVersions(b -> b.bucket(STAGING)).versions()).isEmpty();
  }

  @Test
  void aMissingSourceObjectIsAFailedResponseThatNamesIt() throws IOException {
    assertThat(invoke("truststore-create.json")).as(stderr()).isEqualTo(1);

    String reason = body().get("Reason").asText();
    assertThat(reason).contains("s3://" + SOURCE + "/ca-bundle.pem").contains("NoSuchKey");
  }

  /** The demo truststore (as version "null") and CRLs where the revocation events expect them, and the index. */
  private void stageTheRevocationIndex() throws IOException {
    Path pki = events.resolve("revocation");
    s3.putBucketVersioning(b -> b.bucket(STAGING)
        .versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));
    s3.putObject(b -> b.bucket(STAGING).key("truststore.pem"),
        RequestBody.fromBytes(Files.readAllBytes(pki.resolve("truststore.pem"))));
    s3.putBucketVersioning(b -> b.bucket(STAGING)
        .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    for (String crl : List.of("ca1.crl", "ca2.crl")) {
      s3.putObject(b -> b.bucket(SOURCE).key("crl/" + crl),
          RequestBody.fromBytes(Files.readAllBytes(pki.resolve(crl))));
    }
    assertThat(invoke("revocation-list-create.json")).as(stderr()).isZero();
    assertThat(body().get("Data").get("RevokedCount").asText()).isEqualTo("1");
  }

  /**
   * Authorizer and scheduled events through {@link InvokeCommand}, their handlers built as {@code bin/mtls} builds
   * them but on the environment given here (a JVM cannot change its own).
   */
  private int invokeWith(Map<String, String> environment, String eventFile) {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    Handlers handlers = new Handlers(Handlers.customResources(),
        () -> new RevocationAuthorizer(AwsClients.s3(), environment, Clock.systemUTC()),
        Map.of(Handlers.REFRESH_RULE, () -> new RevocationRefreshHandler(AwsClients.s3(), HttpClient.newHttpClient(),
            EmulatorCloudWatch.client(), Clock.systemUTC(), environment),
            Handlers.EXPIRY_RULE, () -> new TruststoreExpiryHandler(AwsClients.s3(), EmulatorCloudWatch.client(),
                Clock.systemUTC(), environment)), environment);
    return new InvokeCommand(handlers, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).run(events.resolve(eventFile),
        Duration.ofSeconds(60));
  }

  private static final String INDEX_URI = "s3://" + STAGING + "/revocation/index.bin";

  @Test
  void authorizerEventsExit1OnDenyAnd0OnAllowWithThePolicyOnStdout() throws IOException {
    stageTheRevocationIndex();
    Map<String, String> environment = Map.of("REVOCATION_INDEX_URI", INDEX_URI);

    assertThat(invokeWith(environment, "authorizer-revoked.json")).as(stderr()).isEqualTo(1);
    JsonNode denied = body();
    assertThat(denied.get("policyDocument").get("Statement").get(0).get("Effect").asText()).isEqualTo("Deny");
    assertThat(stderr()).contains("answered Deny (revoked)");

    assertThat(invokeWith(environment, "authorizer-allowed.json")).as(stderr()).isZero();
    JsonNode allowed = body();
    assertThat(allowed.get("policyDocument").get("Statement").get(0).get("Effect").asText()).isEqualTo("Allow");
    assertThat(allowed.get("context").get("serial").asText()).isEqualTo(denied.get("context").get("serial").asText());
    assertThat(stderr()).contains("answered Allow (not-revoked)");

    assertThat(invokeWith(environment, "authorizer-no-client-cert.json")).as(stderr()).isEqualTo(1);
    assertThat(body().get("context").get("check").asText()).isEqualTo("no-client-certificate");
  }

  @Test
  void withoutAnIndexTheAuthorizerFailsClosedAndWithoutItsSettingInvokeRefuses() throws IOException {
    assertThat(invokeWith(Map.of("REVOCATION_INDEX_URI", INDEX_URI), "authorizer-allowed.json")).as(stderr())
        .isEqualTo(1);
    assertThat(body().get("context").get("check").asText()).isEqualTo("no-index");

    assertThat(invokeWith(Map.of(), "authorizer-allowed.json")).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(stderr()).contains("mtls: an authorizer event needs REVOCATION_INDEX_URI");
  }

  @Test
  void theScheduledEventRefreshesAndAFailedRefreshExits1WithTheReason() throws IOException {
    stageTheRevocationIndex();
    Map<String, String> settings = new HashMap<>(Map.of("REVOCATION_INDEX_URI", INDEX_URI,
        "TRUSTSTORE_URI", "s3://" + STAGING + "/truststore.pem?versionId=null",
        "REVOCATION_LIST_URIS", "s3://" + SOURCE + "/crl/ca1.crl,s3://" + SOURCE + "/crl/ca2.crl",
        "STACK_NAME", "mtls-invoke-test"));

    assertThat(invokeWith(settings, "revocation-refresh-scheduled.json")).as(stderr()).isZero();
    assertThat(body().get("reused").asBoolean()).isTrue();

    settings.put("REVOCATION_LIST_URIS", "s3://" + SOURCE + "/crl/ca1.crl,s3://" + SOURCE + "/crl/gone.crl");
    assertThat(invokeWith(settings, "revocation-refresh-scheduled.json")).as(stderr()).isEqualTo(1);
    JsonNode error = body();
    assertThat(error.get("errorType").asText()).endsWith("RefreshFailedException");
    assertThat(error.get("errorMessage").asText()).contains("CRL_UNREADABLE s3://" + SOURCE + "/crl/gone.crl");
    assertThat(stderr()).contains("mtls: the refresh failed");

    settings.remove("TRUSTSTORE_URI");
    assertThat(invokeWith(settings, "revocation-refresh-scheduled.json")).isEqualTo(2);
    assertThat(stderr()).contains("a scheduled event of rule RevocationRefreshFunctionRefresh needs TRUSTSTORE_URI");
  }

  @Test
  void theEventsResponseUrlIsNeverPrinted() {
    upload("ca-bundle.pem", TestPki.bundle(pki.chain("Clients", 2)));

    invoke("truststore-create.json");

    assertThat(out.toString(StandardCharsets.UTF_8) + stderr()).doesNotContain("X-Amz-Signature")
        .doesNotContain("cloudformation-custom-resource-response");
  }
}
