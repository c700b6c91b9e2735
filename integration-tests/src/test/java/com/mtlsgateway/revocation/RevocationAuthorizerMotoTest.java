package com.mtlsgateway.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mtlsgateway.customresource.LocalContext;
import com.mtlsgateway.testing.CapturedStdout;
import com.mtlsgateway.testing.MotoServer;
import com.mtlsgateway.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The REQUEST authorizer against a real S3 API (moto server): it reads the index object through a client that
 * records every S3 call, with a clock the test moves, and answers events given to its Lambda entry point.
 */
@ExtendWith(MotoServer.class)
class RevocationAuthorizerMotoTest {

  static final String BUCKET = "mtls-test-truststore";
  static final String KEY = "revocation/index.bin";
  private static final ObjectMapper JSON = AuthorizerEvents.JSON;

  private static final Instant NOW = Instant.now();
  private static final TestPki PKI = TestPki.at(NOW);
  private static final TestPki.Issued ALPHA = PKI.certificate("CN=Alpha Clients CA,O=Example").selfSigned();
  private static final TestPki.Issued BETA = PKI.certificate("CN=Beta Clients CA,O=Example").selfSigned();
  private static final TestPki.Issued GAMMA = PKI.certificate("CN=Gamma Clients CA").selfSigned();
  private static final TestPki.Issued GOOD = RevocationPki.client(ALPHA, "CN=good.example.com", 0x1001, NOW);
  private static final TestPki.Issued REVOKED = RevocationPki.client(ALPHA, "CN=revoked.example.com", 0x1002, NOW);
  /** Beta's client with the serial Alpha revoked. */
  private static final TestPki.Issued SAME_SERIAL = RevocationPki.client(BETA, "CN=beta.example.com", 0x1002, NOW);

  private final MotoServer.Running moto;
  private final MutableClock clock = new MutableClock(NOW);
  private final List<CountingS3> clients = new ArrayList<>();
  private S3Client s3;

  RevocationAuthorizerMotoTest(MotoServer.Running moto) {
    this.moto = moto;
  }

  @BeforeEach
  void bucket() {
    s3 = moto.resetWithVersionedBuckets(BUCKET);
  }

  @AfterEach
  void close() {
    clients.forEach(CountingS3::close);
    s3.close();
  }

  // --- fixtures ---

  static TestPki.Issued alpha() {
    return ALPHA;
  }

  /** An index of Alpha's and Beta's CRLs, checked as Custom::RevocationList checks them. */
  static byte[] index(RevocationPki.Crl... crls) {
    List<CrlChecker.Input> inputs = new ArrayList<>();
    for (int i = 0; i < crls.length; i++) {
      inputs.add(new CrlChecker.Input("s3://crls/" + i + ".crl", crls[i].der()));
    }
    CrlReport report = new CrlChecker(Clock.systemUTC())
        .check(List.of(ALPHA.certificate(), BETA.certificate()), inputs);
    assertThat(report.valid()).as(report.summary()).isTrue();
    return RevocationIndex.write(report.issuers());
  }

  /** Alpha revokes {@link #REVOKED}; Beta revokes nothing. */
  static byte[] standardIndex() {
    return index(RevocationPki.crl(ALPHA, NOW).revoke(REVOKED), RevocationPki.crl(BETA, NOW).revoke(0x2001));
  }

  private String upload(byte[] bytes) {
    return s3.putObject(b -> b.bucket(BUCKET).key(KEY), RequestBody.fromBytes(bytes)).versionId();
  }

  private record Authorizer(RevocationAuthorizer handler, CountingS3 s3) {}

  private Authorizer authorizer(String... settings) {
    Map<String, String> environment = new HashMap<>();
    environment.put("REVOCATION_INDEX_URI", "s3://" + BUCKET + "/" + KEY);
    environment.put("REVOCATION_REFRESH_SECONDS", "60");
    for (int i = 0; i < settings.length; i += 2) {
      environment.put(settings[i], settings[i + 1]);
    }
    CountingS3 counting = new CountingS3();
    clients.add(counting);
    return new Authorizer(new RevocationAuthorizer(counting.client(), environment, clock), counting);
  }

  /** Invokes the Lambda entry point and returns its answer. */
  private static JsonNode authorize(Authorizer authorizer, TestPki.Issued client) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] event = JSON.writeValueAsBytes(AuthorizerEvents.node(client));
      authorizer.handler().handleRequest(new ByteArrayInputStream(event), out,
          LocalContext.withTimeLeft("authorizer", Duration.ofSeconds(5), System.err));
      return JSON.readTree(out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String effect(JsonNode answer) {
    return answer.get("policyDocument").get("Statement").get(0).get("Effect").asText();
  }

  private static String check(JsonNode answer) {
    return answer.get("context").get("check").asText();
  }

  private static void assertDecision(JsonNode answer, String effect, String check) {
    assertThat(effect(answer) + " " + check(answer)).as("reason: %s", answer.get("context").get("reason"))
        .isEqualTo(effect + " " + check);
    assertThat(answer.get("context").get("decision").asText()).isEqualTo(effect);
  }

  // --- decisions ---

  @Test
  void loadsTheIndexWhenBuiltAndDecidesPerIssuerAndSerialWithoutFurtherS3Calls() {
    upload(standardIndex());

    Authorizer authorizer = authorizer();
    assertThat(authorizer.s3().calls()).containsExactly("GetObject 200");
    JsonNode good = authorize(authorizer, GOOD);
    JsonNode revoked = authorize(authorizer, REVOKED);
    JsonNode sameSerial = authorize(authorizer, SAME_SERIAL);

    assertDecision(good, "Allow", "not-revoked");
    assertDecision(revoked, "Deny", "revoked");
    assertDecision(sameSerial, "Allow", "not-revoked");
    assertThat(authorizer.s3().calls()).containsExactly("GetObject 200");
  }

  @Test
  void theAnswerHasThePolicyOverTheWholeStageAndTheContext() {
    upload(standardIndex());
    Authorizer authorizer = authorizer();

    JsonNode revoked = authorize(authorizer, REVOKED);

    assertThat(revoked.get("principalId").asText()).isEqualTo("CN=revoked.example.com");
    JsonNode policy = revoked.get("policyDocument");
    assertThat(policy.get("Version").asText()).isEqualTo("2012-10-17");
    assertThat(policy.get("Statement")).singleElement().satisfies(statement -> {
      assertThat(statement.get("Action").asText()).isEqualTo("execute-api:Invoke");
      assertThat(statement.get("Effect").asText()).isEqualTo("Deny");
      assertThat(statement.get("Resource").asText())
          .isEqualTo("arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/*");
    });
    JsonNode context = revoked.get("context");
    assertThat(context.properties()).extracting(Map.Entry::getKey)
        .containsExactlyInAnyOrder("decision", "check", "reason", "subject", "issuer", "serial");
    assertThat(context.get("decision").asText()).isEqualTo("Deny");
    assertThat(context.get("check").asText()).isEqualTo("revoked");
    assertThat(context.get("reason").asText()).isEqualTo("serial 1002 is revoked by the CRL of its CA (from "
        + "s3://crls/0.crl)");
    assertThat(context.get("subject").asText()).isEqualTo("CN=revoked.example.com");
    assertThat(context.get("issuer").asText()).isEqualTo("CN=Alpha Clients CA,O=Example");
    assertThat(context.get("serial").asText()).isEqualTo("1002");
    context.properties().forEach(e -> assertThat(e.getValue().isTextual()).as(e.getKey()).isTrue());
  }

  @Test
  void aRequestWithoutClientCertificateOrWithAnUnknownCaIsDenied() {
    upload(standardIndex());
    Authorizer authorizer = authorizer();

    JsonNode none = authorize(authorizer, null);
    JsonNode unknown = authorize(authorizer, RevocationPki.client(GAMMA, "CN=gamma.example.com", 7, NOW));

    assertDecision(none, "Deny", "no-client-certificate");
    assertThat(none.get("principalId").asText()).isEqualTo("unknown");
    assertThat(none.get("context").get("subject").asText()).isEmpty();
    assertDecision(unknown, "Deny", "unknown-issuer");
  }

  @Test
  void withoutAnIndexObjectEveryCertificateIsDecidedByTheFailMode() {
    Authorizer closed = authorizer();
    Authorizer open = authorizer("REVOCATION_FAIL_MODE", "OPEN");

    assertThat(closed.s3().calls()).containsExactly("GetObject 404");
    assertDecision(authorize(closed, GOOD), "Deny", "no-index");
    assertThat(authorize(closed, GOOD).get("context").get("reason").asText())
        .startsWith("no revocation index could be read from s3://" + BUCKET + "/" + KEY);
    // With no index nothing is known, not even which serials are revoked.
    assertDecision(authorize(open, GOOD), "Allow", "no-index");
    assertDecision(authorize(open, REVOKED), "Allow", "no-index");
    assertThat(authorize(open, GOOD).get("context").get("reason").asText())
        .contains("; allowed because").contains("OPEN");
  }

  @Test
  void anIndexStagedAfterTheStartIsReadAtTheNextRefresh() {
    Authorizer authorizer = authorizer();
    upload(standardIndex());

    assertDecision(authorize(authorizer, REVOKED), "Deny", "no-index");
    clock.advance(Duration.ofSeconds(60));
    assertDecision(authorize(authorizer, GOOD), "Allow", "not-revoked");

    assertThat(authorizer.s3().calls()).containsExactly("GetObject 404", "GetObject 200");
  }

  // --- refresh ---

  @Test
  void aNewIndexVersionIsSeenOnlyOnceTheRefreshIntervalHasPassed() {
    upload(standardIndex());
    Authorizer authorizer = authorizer();
    upload(index(RevocationPki.crl(ALPHA, NOW).number(2).revoke(REVOKED, GOOD), RevocationPki.crl(BETA, NOW)));

    for (int second = 0; second < 60; second++) {
      assertDecision(authorize(authorizer, GOOD), "Allow", "not-revoked");
      clock.advance(Duration.ofMillis(999));
    }
    assertThat(authorizer.s3().calls()).as("no S3 call per request").containsExactly("GetObject 200");
    clock.advance(Duration.ofMillis(60));
    assertDecision(authorize(authorizer, GOOD), "Deny", "revoked");
    assertDecision(authorize(authorizer, GOOD), "Deny", "revoked");

    assertThat(authorizer.s3().calls()).containsExactly("GetObject 200", "GetObject 200");
  }

  @Test
  void anUnchangedIndexIsAnswered304AndKept() {
    upload(standardIndex());
    Authorizer authorizer = authorizer();
    String loaded;
    try (CapturedStdout stdout = CapturedStdout.start()) {
      clock.advance(Duration.ofSeconds(60));
      assertDecision(authorize(authorizer, REVOKED), "Deny", "revoked");
      clock.advance(Duration.ofSeconds(60));
      assertDecision(authorize(authorizer, GOOD), "Allow", "not-revoked");
      loaded = stdout.text();
    }

    assertThat(authorizer.s3().calls()).containsExactly("GetObject 200", "GetObject 304", "GetObject 304");
    assertThat(loaded).doesNotContain("revocation.index.loaded", "revocation.index.unreadable");
  }

  @Test
  void aCorruptedIndexObjectIsRefusedAndTheIndexHeldIsKept() {
    String good = upload(standardIndex());
    Authorizer authorizer = authorizer();
    byte[] valid = index(RevocationPki.crl(ALPHA, NOW).number(2).revoke(REVOKED, GOOD), RevocationPki.crl(BETA, NOW));
    byte[] corrupted = valid.clone();
    corrupted[corrupted.length / 2] ^= 0x01;
    upload(corrupted);
    String log;
    try (CapturedStdout stdout = CapturedStdout.start()) {
      clock.advance(Duration.ofSeconds(60));
      assertDecision(authorize(authorizer, GOOD), "Allow", "not-revoked");
      assertDecision(authorize(authorizer, REVOKED), "Deny", "revoked");
      log = stdout.text();
    }
    upload(valid);
    clock.advance(Duration.ofSeconds(60));

    assertThat(log).contains("\"event\":\"revocation.index.unreadable\"")
        .contains("it is not a valid index")
        .contains("\"kept\":\"the index version " + good + " read before\"");
    assertDecision(authorize(authorizer, GOOD), "Deny", "revoked");
    assertThat(authorizer.s3().calls()).containsExactly("GetObject 200", "GetObject 200", "GetObject 200");
  }

  // --- staleness ---

  @Test
  void aCrlPastNextUpdatePlusGraceDeniesWhenClosedAndAllowsWhenOpenButRevokedStaysDenied() {
    Instant alphaNextUpdate = NOW.plus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    upload(index(RevocationPki.crl(ALPHA, NOW).validity(NOW.minusSeconds(60), alphaNextUpdate).revoke(REVOKED),
        RevocationPki.crl(BETA, NOW)));
    Authorizer closed = authorizer("REVOCATION_GRACE_PERIOD_HOURS", "1");
    Authorizer open = authorizer("REVOCATION_GRACE_PERIOD_HOURS", "1", "REVOCATION_FAIL_MODE", "OPEN");

    clock.advance(Duration.between(NOW, alphaNextUpdate.plus(Duration.ofHours(1))));
    assertDecision(authorize(closed, GOOD), "Allow", "not-revoked");
    clock.advance(Duration.ofSeconds(1));

    JsonNode stale = authorize(closed, GOOD);
    assertDecision(stale, "Deny", "crl-stale");
    assertThat(stale.get("context").get("reason").asText()).isEqualTo("the CRL of its CA (from s3://crls/0.crl) is "
        + "past its nextUpdate " + alphaNextUpdate + " plus the grace period of 1 h: the refresh has not staged a "
        + "newer one");
    assertDecision(authorize(closed, REVOKED), "Deny", "revoked");
    assertDecision(authorize(closed, SAME_SERIAL), "Allow", "not-revoked");
    assertDecision(authorize(open, GOOD), "Allow", "crl-stale");
    assertDecision(authorize(open, REVOKED), "Deny", "revoked");
  }
}
