package com.mtlsgateway.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mtlsgateway.customresource.HttpResponseSender;
import com.mtlsgateway.testing.CapturedStdout;
import com.mtlsgateway.testing.MotoServer;
import com.mtlsgateway.testing.TestPki;
import com.mtlsgateway.truststore.CloudFormation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * {@code Custom::RevocationList} against a real S3 API (moto server) and a local CRL distribution point: events go
 * in through {@code handleRequest} as CloudFormation sends them, and the response is what the handler PUT to a
 * local ResponseURL.
 */
@ExtendWith(MotoServer.class)
class RevocationListMotoTest {

  static final String BUCKET = "mtls-test-truststore";
  static final String CRLS = "mtls-test-crls";
  static final String INDEX_URI = "s3://" + BUCKET + "/revocation/index.bin";

  private static final Instant NOW = Instant.now();
  private static final TestPki PKI = TestPki.at(NOW);
  private static final TestPki.Issued ALPHA = PKI.certificate("CN=Alpha Clients CA").selfSigned();
  private static final TestPki.Issued BETA = PKI.certificate("CN=Beta Clients CA").selfSigned();
  private static final TestPki.Issued GAMMA = PKI.certificate("CN=Gamma Clients CA").selfSigned();

  private static CrlServer http;
  private static S3Client handlerS3;
  private static RevocationListHandler handler;

  private final MotoServer.Running moto;
  private CloudFormation cloudFormation;
  private S3Client s3;
  private String truststoreVersion;

  RevocationListMotoTest(MotoServer.Running moto) {
    this.moto = moto;
  }

  @BeforeAll
  static void start(MotoServer.Running moto) {
    http = CrlServer.start();
    handlerS3 = moto.s3();
    handler = new RevocationListHandler(handlerS3, CrlFetcher.defaultHttpClient(), new HttpResponseSender(),
        Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    http.close();
    handlerS3.close();
  }

  @BeforeEach
  void buckets() {
    s3 = moto.resetWithVersionedBuckets(BUCKET, CRLS);
    truststoreVersion = s3.putObject(b -> b.bucket(BUCKET).key("truststore.pem"),
        RequestBody.fromString(TestPki.bundle(ALPHA, BETA), StandardCharsets.UTF_8)).versionId();
    cloudFormation = new CloudFormation();
  }

  @AfterEach
  void close() {
    cloudFormation.close();
    s3.close();
  }

  // --- fixtures ---

  private String putCrl(String key, byte[] crl) {
    return s3.putObject(b -> b.bucket(CRLS).key(key), RequestBody.fromBytes(crl)).versionId();
  }

  private Map<String, String> properties(String revocationListUris) {
    Map<String, String> properties = new HashMap<>();
    properties.put("TruststoreUri", "s3://" + BUCKET + "/truststore.pem");
    properties.put("TruststoreVersion", truststoreVersion);
    properties.put("RevocationListUris", revocationListUris);
    properties.put("IndexBucket", BUCKET);
    return properties;
  }

  private static ObjectNode revocationList(ObjectNode event) {
    return event.put("ResourceType", "Custom::RevocationList").put("LogicalResourceId", "RevocationList");
  }

  private JsonNode create(Map<String, String> properties) {
    return cloudFormation.send(handler, revocationList(CloudFormation.create(properties)));
  }

  private JsonNode update(Map<String, String> properties, Map<String, String> old) {
    return cloudFormation.send(handler, revocationList(CloudFormation.update(INDEX_URI, properties, old)));
  }

  private List<ObjectVersion> indexVersions() {
    return s3.listObjectVersions(b -> b.bucket(BUCKET).prefix("revocation/index.bin")).versions();
  }

  private ResponseBytes<GetObjectResponse> index(String versionId) {
    return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("revocation/index.bin").versionId(versionId));
  }

  private static void assertSuccess(JsonNode response) {
    assertThat(response.get("Status").asText()).as("Status; Reason: %s", response.path("Reason").asText())
        .isEqualTo("SUCCESS");
  }

  private static String reasonOfFailure(JsonNode response) {
    assertThat(response.get("Status").asText()).isEqualTo("FAILED");
    return response.get("Reason").asText();
  }

  private static String version(JsonNode response) {
    return response.get("Data").get("IndexVersion").asText();
  }

  /** Alpha's CRL in S3 (revoking 11 and 12), Beta's at the local distribution point (revoking 21). */
  private Map<String, String> twoCrls() {
    putCrl("alpha.crl", RevocationPki.crl(ALPHA, NOW).revoke(11, 12).der());
    http.serve("/beta.crl", RevocationPki.crl(BETA, NOW).validity(NOW.minusSeconds(60), NOW.plus(Duration.ofHours(6)))
        .revoke(21).der());
    return properties("s3://" + CRLS + "/alpha.crl," + http.url("/beta.crl"));
  }

  private static RevocationCheck check(byte[] index, TestPki.Issued ca, long serial) {
    ClientCertificate client = ClientCertificate.fromDer(RevocationPki.client(ca, "CN=client", serial, NOW).der());
    return RevocationIndex.read(index).check(client, NOW, Duration.ZERO).check();
  }

  // --- Create, Update, Delete ---

  @Test
  void createStagesTheIndexAsAVersionOfRevocationIndexBin() {
    JsonNode response = create(twoCrls());

    assertSuccess(response);
    assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(INDEX_URI);
    JsonNode data = response.get("Data");
    assertThat(data.properties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder("IndexUri",
        "IndexVersion", "RevokedCount", "EarliestNextUpdate", "Findings");
    assertThat(data.get("IndexUri").asText()).isEqualTo(INDEX_URI);
    assertThat(data.get("RevokedCount").asText()).isEqualTo("3");
    assertThat(data.get("EarliestNextUpdate").asText()).isEqualTo(NOW.plus(Duration.ofHours(6))
        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    assertThat(data.get("Findings").asText()).isEqualTo("no findings");
    assertThat(indexVersions()).singleElement().satisfies(v -> {
      assertThat(v.versionId()).isEqualTo(version(response));
      assertThat(v.isLatest()).isTrue();
    });
    ResponseBytes<GetObjectResponse> staged = index(version(response));
    assertThat(staged.response().contentType()).isEqualTo("application/octet-stream");
    byte[] bytes = staged.asByteArray();
    assertThat(RevocationIndex.read(bytes).revokedCount()).isEqualTo(3);
    assertThat(check(bytes, ALPHA, 12)).isEqualTo(RevocationCheck.REVOKED);
    assertThat(check(bytes, BETA, 21)).isEqualTo(RevocationCheck.REVOKED);
    assertThat(check(bytes, BETA, 11)).as("Alpha's serial under Beta").isEqualTo(RevocationCheck.NOT_REVOKED);
  }

  @Test
  void aTruststoreCaWithoutCrlIsAnInfoFindingAndItsClientsAreNotChecked() {
    truststoreVersion = s3.putObject(b -> b.bucket(BUCKET).key("truststore.pem"),
        RequestBody.fromString(TestPki.bundle(ALPHA, BETA, GAMMA), StandardCharsets.UTF_8)).versionId();

    JsonNode response = create(twoCrls());

    assertSuccess(response);
    assertThat(response.get("Data").get("Findings").asText()).isEqualTo("1 INFO: CA_WITHOUT_CRL x1");
    assertThat(check(index(version(response)).asByteArray(), GAMMA, 11)).isEqualTo(RevocationCheck.CA_WITHOUT_CRL);
  }

  @Test
  void revocationListUrisAsAListIsRead() {
    Map<String, String> comma = twoCrls();
    ObjectNode event = revocationList(CloudFormation.create(comma));
    ((ObjectNode) event.get("ResourceProperties")).putArray("RevocationListUris")
        .add("s3://" + CRLS + "/alpha.crl").add(http.url("/beta.crl"));

    JsonNode response = cloudFormation.send(handler, event);

    assertSuccess(response);
    assertThat(response.get("Data").get("RevokedCount").asText()).isEqualTo("3");
  }

  @Test
  void anIdenticalUpdateReusesTheVersion() {
    Map<String, String> properties = twoCrls();
    JsonNode created = create(properties);

    JsonNode updated = update(properties, properties);

    assertSuccess(updated);
    assertThat(updated.get("PhysicalResourceId").asText()).isEqualTo(INDEX_URI);
    assertThat(version(updated)).isEqualTo(version(created));
    assertThat(updated.get("Data")).isEqualTo(created.get("Data"));
    assertThat(indexVersions()).hasSize(1);
  }

  @Test
  void theSameCreateEventTwiceGivesTheSameVersion() {
    ObjectNode event = revocationList(CloudFormation.create(twoCrls()));

    JsonNode first = cloudFormation.send(handler, event);
    JsonNode retried = cloudFormation.send(handler, event);

    assertSuccess(first);
    assertThat(retried).isEqualTo(first);
    assertThat(indexVersions()).hasSize(1);
  }

  @Test
  void aChangedCrlGivesANewVersion() {
    Map<String, String> properties = twoCrls();
    JsonNode created = create(properties);
    putCrl("alpha.crl", RevocationPki.crl(ALPHA, NOW).number(2).revoke(11, 12, 13).der());

    JsonNode updated = update(properties, properties);

    assertSuccess(updated);
    assertThat(version(updated)).isNotEqualTo(version(created));
    assertThat(updated.get("Data").get("RevokedCount").asText()).isEqualTo("4");
    assertThat(indexVersions()).hasSize(2);
    assertThat(check(index(version(updated)).asByteArray(), ALPHA, 13)).isEqualTo(RevocationCheck.REVOKED);
    assertThat(check(index(version(created)).asByteArray(), ALPHA, 13)).isEqualTo(RevocationCheck.NOT_REVOKED);
  }

  @Test
  void deleteRemovesNothing() {
    Map<String, String> properties = twoCrls();
    JsonNode created = create(properties);

    JsonNode deleted = cloudFormation.send(handler, revocationList(CloudFormation.delete(INDEX_URI, properties)));

    assertSuccess(deleted);
    assertThat(deleted.get("PhysicalResourceId").asText()).isEqualTo(INDEX_URI);
    assertThat(indexVersions()).singleElement().satisfies(v -> {
      assertThat(v.versionId()).isEqualTo(version(created));
      assertThat(v.isLatest()).isTrue();
    });
    assertThat(s3.listObjectVersions(b -> b.bucket(CRLS)).versions()).hasSize(1);
  }

  // --- CRL sources ---

  @Test
  void anS3CrlWithVersionIdReadsThatVersion() {
    String first = putCrl("alpha.crl", RevocationPki.crl(ALPHA, NOW).revoke(11).der());
    putCrl("alpha.crl", RevocationPki.crl(ALPHA, NOW).number(2).revoke(11, 12).der());

    JsonNode pinned = create(properties("s3://" + CRLS + "/alpha.crl?versionId=" + first));
    JsonNode current = create(properties("s3://" + CRLS + "/alpha.crl"));

    assertSuccess(pinned);
    assertThat(pinned.get("Data").get("RevokedCount").asText()).isEqualTo("1");
    assertThat(pinned.get("Data").get("Findings").asText()).isEqualTo("1 INFO: CA_WITHOUT_CRL x1");
    assertThat(current.get("Data").get("RevokedCount").asText()).isEqualTo("2");
  }

  @Test
  void aPemCrlAtAnHttpUrlIsRead() {
    http.serve("/alpha.pem", RevocationPki.crl(ALPHA, NOW).revoke(11).pem().getBytes(StandardCharsets.US_ASCII));

    JsonNode response = create(properties(http.url("/alpha.pem")));

    assertSuccess(response);
    assertThat(response.get("Data").get("RevokedCount").asText()).isEqualTo("1");
  }

  @Test
  void anHttpRedirectIsFollowed() {
    http.serve("/current/alpha.crl", RevocationPki.crl(ALPHA, NOW).revoke(11, 12).der());
    http.redirect("/alpha.crl", http.url("/current/alpha.crl"));
    int before = http.requests().size();

    JsonNode response = create(properties(http.url("/alpha.crl")));

    assertSuccess(response);
    assertThat(response.get("Data").get("RevokedCount").asText()).isEqualTo("2");
    assertThat(http.requests().subList(before, http.requests().size()))
        .containsExactly("/alpha.crl", "/current/alpha.crl");
  }

  @Test
  void anHttpCrlAnswering404FailsNamingTheUrlTheStatusAndTheFix() {
    String url = http.url("/missing.crl");
    ObjectNode event = revocationList(CloudFormation.create(properties(url)));

    JsonNode response = cloudFormation.send(handler, event);

    assertThat(reasonOfFailure(response))
        .startsWith("The CRLs in RevocationListUris cannot be used (1 ERROR: CRL_UNREADABLE x1; 2 INFO: ")
        .contains("CRL_UNREADABLE " + url + ": could not be fetched: answered HTTP 404 (expected 200): check the URL");
    assertThat(response.get("PhysicalResourceId").asText())
        .isEqualTo("mtls-gateway:create-failed:" + event.get("RequestId").asText());
    assertThat(indexVersions()).isEmpty();
  }

  @Test
  void anHttpCrlAnsweringAnHtmlPageFailsAsNotACrl() {
    http.serve("/portal.crl", "<html><body>Sign in</body></html>".getBytes(StandardCharsets.US_ASCII));

    String reason = reasonOfFailure(create(properties(http.url("/portal.crl"))));

    assertThat(reason).contains("CRL_UNREADABLE " + http.url("/portal.crl") + ": is not a DER or PEM X.509 CRL "
        + "(it looks like an HTML or XML page: check the URL)");
  }

  @Test
  void anHttpCrlThatDoesNotAnswerInTimeFailsNamingTheUrlAndTheTimeout() {
    byte[] crl = RevocationPki.crl(ALPHA, NOW).der();
    http.slowToAnswer("/slow.crl", crl, Duration.ofSeconds(20));
    ObjectNode event = revocationList(CloudFormation.create(properties(http.url("/slow.crl"))));
    long started = System.nanoTime();

    // 11 s left: the work must end 5 s before, and the fetch 5 s before that: about 1 s for the CRL.
    JsonNode response = cloudFormation.send(handler, event, Duration.ofSeconds(11));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
    assertThat(reasonOfFailure(response)).contains("CRL_UNREADABLE " + http.url("/slow.crl")
        + ": could not be fetched: did not answer within 1 s; check the location and the function's access to it");
    assertThat(indexVersions()).isEmpty();
  }

  @Test
  void anHttpCrlWhoseBodyStallsFailsNamingTheUrl() {
    byte[] crl = RevocationPki.crl(ALPHA, NOW).der();
    http.slowBody("/stalls.crl", crl, Duration.ofSeconds(20));

    JsonNode response = cloudFormation.send(handler,
        revocationList(CloudFormation.create(properties(http.url("/stalls.crl")))), Duration.ofSeconds(11));

    assertThat(reasonOfFailure(response)).contains("CRL_UNREADABLE " + http.url("/stalls.crl")
        + ": could not be fetched: it was still being read after 2 s; check that the location serves it quickly");
  }

  @Test
  void aMissingS3CrlFailsNamingItsLocation() {
    String reason = reasonOfFailure(create(properties("s3://" + CRLS + "/missing.crl")));

    assertThat(reason).contains("CRL_UNREADABLE s3://" + CRLS + "/missing.crl: could not be fetched: "
        + "RevocationListUris s3://" + CRLS + "/missing.crl: S3 GetObject: NoSuchKey (404)");
    assertThat(indexVersions()).isEmpty();
  }

  @Test
  void anExpiredCrlFailsWithCrlExpired() {
    putCrl("alpha.crl", RevocationPki.crl(ALPHA, NOW)
        .validity(NOW.minus(Duration.ofDays(8)), NOW.minus(Duration.ofHours(1))).revoke(11).der());

    String reason = reasonOfFailure(create(properties("s3://" + CRLS + "/alpha.crl")));

    assertThat(reason).contains("CRL_EXPIRED s3://" + CRLS + "/alpha.crl: expired: its nextUpdate ")
        .contains("point RevocationListUris at the CA's current CRL, or have the CA publish one");
    assertThat(indexVersions()).isEmpty();
  }

  @Test
  void aMissingTruststoreObjectFailsNamingTruststoreUri() {
    putCrl("alpha.crl", RevocationPki.crl(ALPHA, NOW).der());
    Map<String, String> properties = properties("s3://" + CRLS + "/alpha.crl");
    properties.put("TruststoreUri", "s3://" + BUCKET + "/no-truststore.pem");

    String reason = reasonOfFailure(create(properties));

    assertThat(reason).startsWith("TruststoreUri s3://" + BUCKET + "/no-truststore.pem?versionId="
        + truststoreVersion + ": S3 GetObject: NoSuch");
    assertThat(indexVersions()).isEmpty();
  }

  @Test
  void theResponseUrlNeverReachesTheLogs() {
    Map<String, String> good = twoCrls();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    String logs;
    try (CapturedStdout stdout = CapturedStdout.start()) {
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      assertSuccess(create(good));
      reasonOfFailure(create(properties(http.url("/missing.crl"))));
      logs = stdout.text() + stderr.toString(StandardCharsets.UTF_8);
    } finally {
      System.setErr(originalErr);
    }

    assertThat(logs).contains("\"revocation.checked\"", "\"revocation.staged\"", "CRL_UNREADABLE")
        .doesNotContain("cloudformation-response", "X-Amz-Signature", "ResponseURL");
  }
}
