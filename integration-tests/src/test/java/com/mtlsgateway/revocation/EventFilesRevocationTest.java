package com.mtlsgateway.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mtlsgateway.aws.Metrics;
import com.mtlsgateway.cli.EmulatorCloudWatch;
import com.mtlsgateway.customresource.LocalContext;
import com.mtlsgateway.testing.MotoServer;
import com.mtlsgateway.truststore.CloudFormation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * The events of events/ that are not CloudFormation's (the REQUEST authorizer's and the scheduled refresh's), and the
 * demo PKI of events/revocation/ they rest on: the files are consistent with each other (two CAs that issued one
 * serial number, CA 1's CRL revoking it, CA 2's not), shaped as API Gateway and EventBridge send them, and each gives
 * its expected answer from its handler against moto, after the Custom::RevocationList Create event staged the index.
 * A non-CloudFormation file without an expectation here fails the test.
 */
@ExtendWith(MotoServer.class)
class EventFilesRevocationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path EVENTS = Path.of(System.getProperty("project.root", ".."), "events");
  private static final Path PKI = EVENTS.resolve("revocation");
  private static final String SOURCE = "mtls-gateway-demo-source";
  private static final String STAGE = "mtls-gateway-demo-truststore";
  private static final String INDEX_URI = "s3://" + STAGE + "/revocation/index.bin";
  private static final String CRL_URIS = "s3://" + SOURCE + "/crl/ca1.crl,s3://" + SOURCE + "/crl/ca2.crl";
  /** How API Gateway writes a certificate's validity in clientCert (as openssl prints it: day padded to 2). */
  private static final DateTimeFormatter VALIDITY =
      DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private final MotoServer.Running moto;

  EventFilesRevocationTest(MotoServer.Running moto) {
    this.moto = moto;
  }

  // ------------------------------------------------------------------------------------------------------------
  // The demo PKI
  // ------------------------------------------------------------------------------------------------------------

  private static List<X509Certificate> truststore() throws Exception {
    List<X509Certificate> cas = new ArrayList<>();
    for (var certificate : CertificateFactory.getInstance("X.509")
        .generateCertificates(Files.newInputStream(PKI.resolve("truststore.pem")))) {
      cas.add((X509Certificate) certificate);
    }
    return cas;
  }

  private static X509CRL crl(String file) throws Exception {
    return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(Files.newInputStream(PKI.resolve(file)));
  }

  private static X509Certificate clientOf(String eventFile) throws Exception {
    String pem = event(eventFile).path("requestContext").path("identity").path("clientCert").path("clientCertPem")
        .asText();
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void theDemoCrlsPassTheResourcesChecksAgainstTheDemoTruststore() throws Exception {
    List<CrlChecker.Input> inputs = new ArrayList<>();
    for (String file : List.of("ca1.crl", "ca2.crl")) {
      inputs.add(new CrlChecker.Input(file, Files.readAllBytes(PKI.resolve(file))));
    }

    CrlReport report = new CrlChecker(Clock.systemUTC()).check(truststore(), inputs);

    assertThat(report.findings()).isEmpty();
    assertThat(report.valid()).isTrue();
    assertThat(report.revokedCount()).isEqualTo(1);
    assertThat(report.earliestNextUpdate()).contains(Instant.parse("2046-12-01T00:00:00Z"));
    assertThat(report.issuers()).hasSize(2).allSatisfy(issuer -> assertThat(issuer.crl()).isNotNull());
  }

  @Test
  void theAuthorizerEventsCarryOneSerialFromEachCaAndOnlyCaOnesCrlRevokesIt() throws Exception {
    List<X509Certificate> cas = truststore();
    assertThat(cas).extracting(ca -> ca.getSubjectX500Principal().getName())
        .containsExactly("CN=Demo Client CA 1,O=mtls-gateway demo", "CN=Demo Client CA 2,O=mtls-gateway demo");
    X509Certificate revoked = clientOf("authorizer-revoked.json");
    X509Certificate allowed = clientOf("authorizer-allowed.json");
    X509CRL crl1 = crl("ca1.crl");
    X509CRL crl2 = crl("ca2.crl");

    assertThat(revoked.getSerialNumber()).as("one serial number, two issuers").isEqualTo(allowed.getSerialNumber());
    revoked.verify(cas.get(0).getPublicKey());
    allowed.verify(cas.get(1).getPublicKey());
    crl1.verify(cas.get(0).getPublicKey());
    crl2.verify(cas.get(1).getPublicKey());
    assertThat(crl1.isRevoked(revoked)).isTrue();
    assertThat(crl1.getRevokedCertificates()).hasSize(1);
    assertThat(crl2.getRevokedCertificates()).as("CA 2 revokes nothing").isNull();
    assertThat(crl2.isRevoked(allowed)).isFalse();
    // The shipped files keep working until then.
    for (X509Certificate certificate : List.of(revoked, allowed, cas.get(0), cas.get(1))) {
      assertThat(certificate.getNotAfter().toInstant()).isAfterOrEqualTo(Instant.parse("2046-12-01T00:00:00Z"));
    }
    for (X509CRL crl : List.of(crl1, crl2)) {
      assertThat(crl.getNextUpdate().toInstant()).isEqualTo(Instant.parse("2046-12-01T00:00:00Z"));
      assertThat(crl.getThisUpdate().toInstant()).isBefore(Instant.now());
    }
  }

  @Test
  void theClientCertFieldsBesideEachPemDescribeThatPem() throws Exception {
    for (String file : List.of("authorizer-revoked.json", "authorizer-allowed.json")) {
      JsonNode fields = event(file).path("requestContext").path("identity").path("clientCert");
      X509Certificate certificate = clientOf(file);
      assertThat(fields.path("subjectDN").asText()).as(file).isEqualTo(certificate.getSubjectX500Principal().getName());
      assertThat(fields.path("issuerDN").asText()).as(file).isEqualTo(certificate.getIssuerX500Principal().getName());
      assertThat(new BigInteger(fields.path("serialNumber").asText().replace(":", ""), 16)).as(file)
          .isEqualTo(certificate.getSerialNumber());
      assertThat(fields.path("validity").path("notBefore").asText()).as(file)
          .isEqualTo(VALIDITY.format(certificate.getNotBefore().toInstant()));
      assertThat(fields.path("validity").path("notAfter").asText()).as(file)
          .isEqualTo(VALIDITY.format(certificate.getNotAfter().toInstant()));
    }
    assertThat(event("authorizer-no-client-cert.json").path("requestContext").path("identity").path("clientCert")
        .isNull()).isTrue();
  }

  @Test
  void noPrivateKeyIsShipped() throws IOException {
    try (Stream<Path> files = Files.walk(EVENTS)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString())
            .doesNotContain("PRIVATE KEY");
      }
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Shapes
  // ------------------------------------------------------------------------------------------------------------

  private static final Set<String> AUTHORIZER_KEYS = Set.of("type", "methodArn", "resource", "path", "httpMethod",
      "headers", "multiValueHeaders", "queryStringParameters", "multiValueQueryStringParameters", "pathParameters",
      "stageVariables", "requestContext");
  private static final Set<String> REQUEST_CONTEXT_KEYS = Set.of("resourceId", "resourcePath", "httpMethod",
      "extendedRequestId", "requestTime", "path", "accountId", "protocol", "stage", "domainPrefix", "requestTimeEpoch",
      "requestId", "identity", "domainName", "deploymentId", "apiId");
  private static final Set<String> IDENTITY_KEYS = Set.of("cognitoIdentityPoolId", "accountId", "cognitoIdentityId",
      "caller", "sourceIp", "principalOrgId", "accessKey", "cognitoAuthenticationType",
      "cognitoAuthenticationProvider", "userArn", "userAgent", "user", "clientCert");
  private static final Set<String> SCHEDULED_KEYS = Set.of("version", "id", "detail-type", "source", "account",
      "time", "region", "resources", "detail");

  /** The files are shaped as API Gateway sends a REST API's REQUEST authorizer its input. */
  @TestFactory
  Stream<DynamicTest> everyAuthorizerEventIsShapedAsApiGatewaySendsIt() {
    return otherFiles().stream().filter(name -> name.startsWith("authorizer-")).map(name ->
        DynamicTest.dynamicTest(name, () -> {
          JsonNode event = event(name);
          assertThat(names(event)).isEqualTo(new TreeSet<>(AUTHORIZER_KEYS));
          assertThat(event.get("type").asText()).isEqualTo("REQUEST");
          JsonNode context = event.get("requestContext");
          assertThat(names(context)).isEqualTo(new TreeSet<>(REQUEST_CONTEXT_KEYS));
          assertThat(names(context.get("identity"))).isEqualTo(new TreeSet<>(IDENTITY_KEYS));
          assertThat(event.get("methodArn").asText()).isEqualTo("arn:aws:execute-api:us-east-1:"
              + context.get("accountId").asText() + ":" + context.get("apiId").asText() + "/"
              + context.get("stage").asText() + "/" + event.get("httpMethod").asText() + event.get("path").asText());
          assertThat(context.get("path").asText()).isEqualTo(event.get("path").asText());
          assertThat(context.get("resourcePath").asText()).isEqualTo(event.get("resource").asText());
          assertThat(context.get("httpMethod").asText()).isEqualTo(event.get("httpMethod").asText());
          assertThat(context.get("domainName").asText()).isEqualTo(event.get("headers").get("Host").asText())
              .startsWith(context.get("domainPrefix").asText() + ".");
          assertThat(context.get("requestTimeEpoch").isIntegralNumber()).isTrue();
          event.get("headers").properties().forEach(header -> assertThat(
              event.get("multiValueHeaders").get(header.getKey())).as("multiValueHeaders.%s", header.getKey())
              .isEqualTo(JSON.createArrayNode().add(header.getValue())));
        }));
  }

  @ParameterizedTest
  @ValueSource(strings = {"revocation-refresh-scheduled.json", "expiry-check-scheduled.json"})
  void theScheduledEventsAreShapedAsEventBridgeSendsThem(String file) {
    JsonNode event = event(file);
    assertThat(names(event)).isEqualTo(new TreeSet<>(SCHEDULED_KEYS));
    assertThat(event.get("detail-type").asText()).isEqualTo("Scheduled Event");
    assertThat(event.get("source").asText()).isEqualTo("aws.events");
    assertThat(event.get("version").asText()).isEqualTo("0");
    assertThat(event.get("detail").isObject() && event.get("detail").isEmpty()).isTrue();
    assertThat(event.get("resources")).hasSize(1);
    assertThat(event.get("resources").get(0).asText())
        .matches("arn:aws:events:" + event.get("region").asText() + ":" + event.get("account").asText() + ":rule/.+");
    assertThat(Instant.parse(event.get("time").asText())).isNotNull();
  }

  // ------------------------------------------------------------------------------------------------------------
  // Runs
  // ------------------------------------------------------------------------------------------------------------

  @FunctionalInterface
  private interface Check {
    void check(JsonNode answer, S3Client s3);
  }

  private static final Map<String, Check> EXPECTATIONS = Map.of(
      "authorizer-revoked.json", (answer, s3) -> {
        assertThat(effect(answer)).isEqualTo("Deny");
        assertThat(answer.get("context").get("check").asText()).isEqualTo("revoked");
        assertThat(answer.get("context").get("issuer").asText()).isEqualTo("CN=Demo Client CA 1,O=mtls-gateway demo");
        assertThat(answer.get("policyDocument").get("Statement").get(0).get("Resource").asText())
            .as("every method of the stage").isEqualTo("arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/*");
      },
      "authorizer-allowed.json", (answer, s3) -> {
        assertThat(effect(answer)).isEqualTo("Allow");
        assertThat(answer.get("context").get("check").asText()).isEqualTo("not-revoked");
        assertThat(answer.get("context").get("issuer").asText()).isEqualTo("CN=Demo Client CA 2,O=mtls-gateway demo");
        assertThat(answer.get("context").get("serial").asText()).isEqualTo("5a17c0de00000000000000000000002a");
      },
      "authorizer-no-client-cert.json", (answer, s3) -> {
        assertThat(effect(answer)).isEqualTo("Deny");
        assertThat(answer.get("context").get("check").asText()).isEqualTo("no-client-certificate");
      },
      "revocation-refresh-scheduled.json", (answer, s3) -> {
        assertThat(answer.get("event").asText()).isEqualTo("revocation.refreshed");
        assertThat(answer.get("reused").asBoolean()).as("the same CRLs as the Create: the index is unchanged")
            .isTrue();
        assertThat(answer.get("indexVersion").asText())
            .isEqualTo(s3.headObject(b -> b.bucket(STAGE).key("revocation/index.bin")).versionId());
        assertThat(answer.get("revokedCount").asLong()).isEqualTo(1);
      });

  /**
   * Each file through its handler, made as in Lambda but with the environment the template sets, against moto after
   * events/revocation-list-create.json staged the index from the demo truststore and CRLs.
   */
  @TestFactory
  Stream<DynamicTest> everyAuthorizerAndScheduledEventGivesItsExpectedAnswer() {
    return otherFiles().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      Check check = EXPECTATIONS.get(name);
      assertThat(check).as("events/%s has no expectation in EventFilesRevocationTest: add one, so that every event "
          + "file is run by a test", name).isNotNull();
      S3Client s3 = moto.resetWithVersionedBuckets(SOURCE);
      try (CloudFormation cloudFormation = new CloudFormation(); CloudWatchClient cloudWatch =
          EmulatorCloudWatch.client()) {
        stageDemoFiles(s3);
        JsonNode created = cloudFormation.send(new RevocationListHandler(), event("revocation-list-create.json"));
        assertThat(created.get("Status").asText()).as(created.toString()).isEqualTo("SUCCESS");

        Map<String, String> environment = Map.of(AuthorizerSettings.INDEX_URI, INDEX_URI,
            "TRUSTSTORE_URI", "s3://" + STAGE + "/truststore.pem?versionId=null", "REVOCATION_LIST_URIS", CRL_URIS,
            Metrics.STACK_NAME, "mtls-gateway-demo");
        RequestStreamHandler handler = name.startsWith("authorizer-")
            ? new RevocationAuthorizer(s3, environment, Clock.systemUTC())
            : new RevocationRefreshHandler(s3, HttpClient.newHttpClient(), cloudWatch, Clock.systemUTC(),
                environment);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(Files.readAllBytes(EVENTS.resolve(name))), out,
            LocalContext.withTimeLeft("mtls-gateway-test", Duration.ofSeconds(60), System.err));
        check.check(JSON.readTree(out.toByteArray()), s3);
      } finally {
        s3.close();
      }
    }));
  }

  @Test
  void everyExpectationHasItsFile() {
    assertThat(otherFiles()).containsExactlyInAnyOrderElementsOf(EXPECTATIONS.keySet());
  }

  /** What the revocation-list events expect in S3 (as bin/demo and the README put it there). */
  private static void stageDemoFiles(S3Client s3) throws IOException {
    s3.createBucket(b -> b.bucket(STAGE));
    // Written before versioning is on: S3 gives it the version id "null", which the event files name.
    s3.putObject(b -> b.bucket(STAGE).key("truststore.pem"),
        RequestBody.fromBytes(Files.readAllBytes(PKI.resolve("truststore.pem"))));
    s3.putBucketVersioning(b -> b.bucket(STAGE).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    for (String crl : List.of("ca1.crl", "ca2.crl")) {
      s3.putObject(b -> b.bucket(SOURCE).key("crl/" + crl),
          RequestBody.fromBytes(Files.readAllBytes(PKI.resolve(crl))));
    }
  }

  private static String effect(JsonNode answer) {
    JsonNode statements = answer.get("policyDocument").get("Statement");
    assertThat(statements).hasSize(1);
    assertThat(statements.get(0).get("Action").asText()).isEqualTo("execute-api:Invoke");
    return statements.get(0).get("Effect").asText();
  }

  /** The files of events/ that are not CloudFormation custom resource events (no ResourceType). */
  private static List<String> otherFiles() {
    try (Stream<Path> files = Files.list(EVENTS)) {
      return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
          .filter(name -> !name.startsWith(".")).filter(name -> !event(name).has("ResourceType"))
          // The truststore expiry check's event: TruststoreExpiryMotoTest runs it.
          .filter(name -> !name.startsWith("expiry-check-")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + EVENTS, e);
    }
  }

  private static ObjectNode event(String file) {
    try {
      return (ObjectNode) JSON.readTree(EVENTS.resolve(file).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read events/" + file, e);
    }
  }

  private static Set<String> names(JsonNode node) {
    Set<String> names = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
