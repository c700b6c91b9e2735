package com.mtlsgateway.truststore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.mtlsgateway.account.AccountRoleDecision.Ownership;
import com.mtlsgateway.account.AccountRoleHandler;
import com.mtlsgateway.certificate.ImportedCertificateHandler;
import com.mtlsgateway.certificate.ServerCertificates;
import com.mtlsgateway.endpoint.DefaultEndpointFixtures;
import com.mtlsgateway.endpoint.DefaultEndpointHandler;
import com.mtlsgateway.endpoint.DomainStatusHandler;
import com.mtlsgateway.revocation.RevocationListHandler;
import com.mtlsgateway.testing.MotoServer;
import com.mtlsgateway.testing.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.EndpointType;
import software.amazon.awssdk.services.apigateway.model.SecurityPolicy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Runs every file in events/ through its handler against moto server, as {@code bin/mtls invoke} and
 * {@code sam local invoke -e} would, with the ResponseURL pointed at a local receiver, and checks the response.
 * A file without an expectation here fails the test, so every event stays exercised.
 *
 * <p>What the events expect in S3 (bin/demo prepares the same): bucket {@value #SOURCE} holding
 * {@code ca-bundle.pem} (a valid CA bundle), {@code ca-bundle-v2.pem} (a different valid bundle) and
 * {@code bad-bundle.pem} (a valid bundle plus an expired CA and a client certificate, which is not a CA: WARNING
 * findings only), and the versioned bucket {@value #STAGE}. What the imported-certificate events expect is in
 * {@link ServerCertificates}.
 *
 * <p>The revocation-list events expect the demo truststore of events/revocation/ as the version "null" of
 * {@code s3://}{@value #STAGE}{@code /truststore.pem} (S3's version id of an object written while the bucket's
 * versioning was off or suspended: the events name that version, so that they run unchanged on a local moto) and the
 * demo CRLs at {@code s3://}{@value #SOURCE}{@code /crl/ca1.crl} and {@code ca2.crl}. The authorizer and scheduled
 * events of events/ are not CloudFormation's: EventFilesRevocationTest runs them.
 *
 * <p>A file after a Create in the same run gets the PhysicalResourceId that Create answered, as CloudFormation
 * would send it (an ACM certificate ARN cannot be written in a file in advance). Likewise the files'
 * PrivateKeySecretArn, a full secret ARN as the template's parameter requires ({@code NAME-AbCdEf}), is replaced by
 * the ARN moto gave the secret of that name (its 6-character suffix is random).
 */
@ExtendWith(MotoServer.class)
class EventFilesTest {

  static final String SOURCE = "mtls-gateway-demo-source";
  static final String STAGE = "mtls-gateway-demo-truststore";
  private static final String STAGED_URI = "s3://" + STAGE + "/truststore.pem";
  private static final Path EVENTS = Path.of(System.getProperty("project.root", ".."), "events");
  private static final Path REVOCATION_FILES = EVENTS.resolve("revocation");
  private static final String INDEX_URI = "s3://" + STAGE + "/revocation/index.bin";
  /** The custom domain of events/domain-status-*.json, created in moto by every run. */
  static final String EVENTS_DOMAIN = "api.example.com";
  private static final String EVENTS_DOMAIN_CERTIFICATE =
      "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";

  private final MotoServer.Running moto;
  private final TestPki pki = TestPki.at(Instant.now());

  EventFilesTest(MotoServer.Running moto) {
    this.moto = moto;
  }

  /** What a file's response must be; {@code earlier} are the responses to the {@code sendFirst} files. */
  @FunctionalInterface
  private interface Check {
    void check(JsonNode response, List<JsonNode> earlier, Run run);
  }

  /**
   * @param sendFirst files sent before this one in the same run (e.g. the Create before an Update)
   */
  private record Expectation(List<String> sendFirst, Check check) {}

  /** One file's run: a fresh moto state, prepared as the events expect. */
  private static final class Run implements AutoCloseable {
    final S3Client s3;
    final CloudFormation cloudFormation = new CloudFormation();
    final SecretsManagerClient secrets = ServerCertificates.secretsManager();
    final AcmClient acm = ServerCertificates.acm();
    final ApiGatewayClient apiGateway = DefaultEndpointFixtures.apiGateway();
    /** The deployment the events' REST API stage served before the events (see DefaultEndpointFixtures). */
    final String firstDeployment;
    /** The deployment the events' REST API stage v2 served before the events. */
    final String firstNextStageDeployment;
    final ServerCertificates.Material certificate;
    /** The ARN moto gave the events' secret. */
    final String secretArn;
    final Map<String, RequestStreamHandler> handlers = Map.of(
        "Custom::Truststore", new TruststoreHandler(),
        "Custom::ImportedCertificate", new ImportedCertificateHandler(),
        "Custom::DefaultEndpoint", new DefaultEndpointHandler(),
        "Custom::DomainStatus", new DomainStatusHandler(),
        "Custom::RevocationList", new RevocationListHandler(),
        "Custom::ApiGatewayAccountRole", new AccountRoleHandler());

    Run(MotoServer.Running moto, TestPki pki) {
      s3 = moto.resetWithVersionedBuckets(STAGE);
      certificate = ServerCertificates.prepareEventFiles(pki, s3, secrets);
      secretArn = secrets.describeSecret(b -> b.secretId(ServerCertificates.SECRET_NAME)).arn();
      assertThat(secretArn).matches(Pattern.quote(ServerCertificates.SECRET_ARN) + "-[A-Za-z0-9]{6}");
      s3.createBucket(b -> b.bucket(SOURCE));
      List<TestPki.Issued> chain = pki.chain("Demo Clients", 2);
      upload("ca-bundle.pem", TestPki.bundle(chain));
      upload("ca-bundle-v2.pem", TestPki.bundle(chain) + TestPki.bundle(pki.chain("Demo Partners", 1)));
      TestPki.Issued expired = pki.certificate("CN=Demo Clients CA 2019")
          .validity(Instant.parse("2019-01-01T00:00:00Z"), Instant.parse("2020-01-01T00:00:00Z"))
          .issuedBy(chain.get(0));
      TestPki.Issued client = pki.certificate("CN=client.example.com").ca(false).issuedBy(chain.get(1));
      upload("bad-bundle.pem", TestPki.bundle(chain) + TestPki.bundle(expired, client));
      DefaultEndpointFixtures.eventsApi(apiGateway);
      firstDeployment = stageDeployment();
      firstNextStageDeployment = nextStageDeployment();
      apiGateway.createDomainName(b -> b.domainName(EVENTS_DOMAIN).regionalCertificateArn(EVENTS_DOMAIN_CERTIFICATE)
          .endpointConfiguration(e -> e.types(EndpointType.REGIONAL)).securityPolicy(SecurityPolicy.TLS_1_2));
    }

    String stageDeployment() {
      return DefaultEndpointFixtures.stageDeployment(apiGateway, DefaultEndpointFixtures.EVENTS_API_ID);
    }

    String nextStageDeployment() {
      return DefaultEndpointFixtures.stageDeployment(apiGateway, DefaultEndpointFixtures.EVENTS_API_ID,
          DefaultEndpointFixtures.NEXT_STAGE);
    }

    /** The demo truststore as the version "null" of truststore.pem, and the demo CRLs, as the events name them. */
    void prepareRevocationFiles() throws IOException {
      s3.putBucketVersioning(b -> b.bucket(STAGE).versioningConfiguration(v -> v.status(
          BucketVersioningStatus.SUSPENDED)));
      s3.putObject(b -> b.bucket(STAGE).key("truststore.pem"),
          RequestBody.fromBytes(Files.readAllBytes(REVOCATION_FILES.resolve("truststore.pem"))));
      s3.putBucketVersioning(b -> b.bucket(STAGE).versioningConfiguration(v -> v.status(
          BucketVersioningStatus.ENABLED)));
      for (String crl : List.of("ca1.crl", "ca2.crl")) {
        s3.putObject(b -> b.bucket(SOURCE).key("crl/" + crl),
            RequestBody.fromBytes(Files.readAllBytes(REVOCATION_FILES.resolve(crl))));
      }
    }

    int indexVersions() {
      return s3.listObjectVersions(b -> b.bucket(STAGE).prefix("revocation/index.bin")).versions().size();
    }

    private void upload(String key, String pem) {
      s3.putObject(b -> b.bucket(SOURCE).key(key), RequestBody.fromString(pem, StandardCharsets.UTF_8));
    }

    JsonNode send(String file, List<JsonNode> earlier) {
      ObjectNode event = event(file);
      if (!event.get("RequestType").asText().equals("Create") && !earlier.isEmpty()
          && earlier.get(0).path("Status").asText().equals("SUCCESS")) {
        event.put("PhysicalResourceId", earlier.get(0).get("PhysicalResourceId").asText());
      }
      for (String properties : List.of("ResourceProperties", "OldResourceProperties")) {
        if (event.get(properties) instanceof ObjectNode props && props.has("PrivateKeySecretArn")) {
          assertThat(props.get("PrivateKeySecretArn").asText()).as("events/%s %s.PrivateKeySecretArn", file, properties)
              .matches(Pattern.quote(ServerCertificates.SECRET_ARN) + "-[A-Za-z0-9]{6}");
          props.put("PrivateKeySecretArn", secretArn);
        }
      }
      RequestStreamHandler handler = handlers.get(event.get("ResourceType").asText());
      assertThat(handler).as("handler for events/%s", file).isNotNull();
      return cloudFormation.send(handler, event);
    }

    String importedCertificate(String arn) {
      return acm.getCertificate(b -> b.certificateArn(arn)).certificate().strip();
    }

    int stagedVersions() {
      return s3.listObjectVersions(b -> b.bucket(STAGE).prefix("truststore.pem")).versions().size();
    }

    @Override
    public void close() {
      cloudFormation.close();
      s3.close();
      secrets.close();
      acm.close();
      apiGateway.close();
    }
  }

  private static final Map<String, Expectation> EXPECTATIONS = Map.of(
      "truststore-create.json", new Expectation(List.of(), (response, earlier, run) -> {
        assertSuccess(response);
        assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(STAGED_URI);
        JsonNode data = response.get("Data");
        assertThat(data.get("TruststoreUri").asText()).isEqualTo(STAGED_URI);
        assertThat(data.get("TruststoreVersion").asText()).isNotBlank();
        assertThat(data.get("CertificateCount").asText()).isEqualTo("2");
        assertThat(data.get("Findings").asText()).isEqualTo("no findings");
        assertThat(run.stagedVersions()).isEqualTo(1);
      }),
      "truststore-update.json", new Expectation(List.of("truststore-create.json"), (response, earlier, run) -> {
        assertSuccess(response);
        assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(STAGED_URI);
        assertThat(response.get("Data").get("CertificateCount").asText()).isEqualTo("3");
        assertThat(response.get("Data").get("TruststoreVersion").asText()).as("new bytes, new version")
            .isNotEqualTo(earlier.get(0).get("Data").get("TruststoreVersion").asText());
        assertThat(run.stagedVersions()).isEqualTo(2);
      }),
      "truststore-delete.json", new Expectation(List.of("truststore-create.json"), (response, earlier, run) -> {
        assertSuccess(response);
        assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(STAGED_URI);
        assertThat(response.path("Data").size()).as("Delete returns no Data").isZero();
        assertThat(run.stagedVersions()).as("Delete leaves the staged object").isEqualTo(1);
      }),
      "truststore-create-invalid.json", new Expectation(List.of(), (response, earlier, run) -> {
        assertThat(response.get("Status").asText()).isEqualTo("FAILED");
        assertThat(response.get("Reason").asText())
            .startsWith("Truststore bundle from SourceUri s3://" + SOURCE + "/bad-bundle.pem is not valid (2 WARNING);"
                + " fix the WARNING findings, or set AcceptWarnings to \"true\" (the AcceptTruststoreWarnings"
                + " parameter in this project's template.yaml)")
            .contains("EXPIRED #2 CN=Demo Clients CA 2019: ")
            .contains("NOT_CA #3 CN=client.example.com: ")
            .doesNotContain("ERROR");
        assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(
            "mtls-gateway:create-failed:" + event("truststore-create-invalid.json").get("RequestId").asText());
        assertThat(run.stagedVersions()).isZero();
      }),
      "imported-certificate-create.json", new Expectation(List.of(), (response, earlier, run) -> {
        assertSuccess(response);
        String arn = response.get("PhysicalResourceId").asText();
        assertThat(arn).startsWith("arn:aws:acm:us-east-1:123456789012:certificate/");
        assertThat(response.get("Data").get("CertificateArn").asText()).isEqualTo(arn);
        assertThat(response.get("Data").get("SubjectAlternativeNames").asText())
            .isEqualTo("api.example.com,www.api.example.com");
        assertThat(run.importedCertificate(arn)).isEqualTo(run.certificate.certificatePem().strip());
      }),
      "imported-certificate-update.json", new Expectation(List.of("imported-certificate-create.json"),
          (response, earlier, run) -> {
            assertSuccess(response);
            String arn = earlier.get(0).get("PhysicalResourceId").asText();
            assertThat(response.get("PhysicalResourceId").asText()).as("re-imported: same ARN").isEqualTo(arn);
            assertThat(response.get("Data").get("NotAfter").asText()).as("the renewed certificate")
                .isNotEqualTo(earlier.get(0).get("Data").get("NotAfter").asText());
            assertThat(run.importedCertificate(arn)).isNotEqualTo(run.certificate.certificatePem().strip());
            assertThat(run.acm.listTagsForCertificate(b -> b.certificateArn(arn)).tags())
                .as("tags kept through the re-import")
                .anyMatch(t -> t.key().equals("mtls-gateway:stack") && t.value().equals("mtls-gateway-demo"));
          }),
      "imported-certificate-delete.json", new Expectation(List.of("imported-certificate-create.json"),
          (response, earlier, run) -> {
            assertSuccess(response);
            assertThat(run.acm.listCertificates().certificateSummaryList()).isEmpty();
          }));

  /**
   * The default-endpoint events, against the REST API {@value DefaultEndpointFixtures#EVENTS_API_ID} deployed to prod
   * and v2 in moto (the Update is the StageName change prod to v2). Moto reads a patch value "false" as true (see
   * {@link DefaultEndpointFixtures}), so false is not read back here (DefaultEndpointMotoTest checks those requests
   * against a local endpoint).
   */
  private static final Map<String, Expectation> DEFAULT_ENDPOINT_EXPECTATIONS = Map.of(
      "default-endpoint-create.json", new Expectation(List.of(), (response, earlier, run) -> {
        assertSuccess(response);
        assertThat(response.get("PhysicalResourceId").asText()).isEqualTo("a1b2c3d4e5/prod/original=false");
        assertThat(response.get("Data").get("DisableExecuteApiEndpoint").asText()).isEqualTo("true");
        assertThat(DefaultEndpointFixtures.disabled(run.apiGateway, DefaultEndpointFixtures.EVENTS_API_ID)).isTrue();
        assertThat(run.stageDeployment()).as("redeployed").isNotEqualTo(run.firstDeployment)
            .isEqualTo(response.get("Data").get("DeploymentId").asText());
      }),
      "default-endpoint-update.json", new Expectation(List.of("default-endpoint-create.json"),
          (response, earlier, run) -> {
            assertSuccess(response);
            // The StageName change prod -> v2: same API, so the id (and the value recorded at Create) is kept.
            assertThat(response.get("PhysicalResourceId").asText()).as("id kept")
                .isEqualTo("a1b2c3d4e5/prod/original=false");
            assertThat(response.get("Data").get("DisableExecuteApiEndpoint").asText()).isEqualTo("true");
            assertThat(DefaultEndpointFixtures.disabled(run.apiGateway, DefaultEndpointFixtures.EVENTS_API_ID))
                .isTrue();
            assertThat(run.nextStageDeployment()).as("v2 redeployed")
                .isNotEqualTo(run.firstNextStageDeployment)
                .isEqualTo(response.get("Data").get("DeploymentId").asText());
            assertThat(run.stageDeployment()).as("prod left as the Create deployed it")
                .isEqualTo(earlier.get(0).get("Data").get("DeploymentId").asText());
          }),
      "default-endpoint-delete.json", new Expectation(List.of("default-endpoint-create.json"),
          (response, earlier, run) -> {
            assertSuccess(response);
            assertThat(response.get("PhysicalResourceId").asText()).isEqualTo("a1b2c3d4e5/prod/original=false");
            assertThat(response.path("Data").size()).as("Delete returns no Data").isZero();
            assertThat(run.stageDeployment()).as("restored, and redeployed so that it takes effect")
                .isNotEqualTo(earlier.get(0).get("Data").get("DeploymentId").asText());
          }));

  /**
   * The domain-status events, against the domain {@value #EVENTS_DOMAIN} in moto (REGIONAL, TLS_1_2), which moto
   * always reports AVAILABLE without truststore warnings (DomainStatusTest serves API Gateway's JSON for the rest).
   */
  private static final Map<String, Expectation> DOMAIN_STATUS_EXPECTATIONS = Map.of(
      "domain-status-create.json", new Expectation(List.of(), (response, earlier, run) -> {
        assertSuccess(response);
        assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(EVENTS_DOMAIN);
        assertThat(response.get("Data").get("DomainNameStatus").asText()).isEqualTo("AVAILABLE");
        assertThat(response.get("Data").get("TruststoreWarningCount").asText()).isEqualTo("0");
      }),
      "domain-status-update.json", new Expectation(List.of("domain-status-create.json"), (response, earlier, run) -> {
        assertSuccess(response);
        assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(EVENTS_DOMAIN);
        assertThat(response.get("Data").get("DomainNameStatus").asText()).isEqualTo("AVAILABLE");
        assertThat(response.get("Data").get("TruststoreWarningCount").asText()).isEqualTo("0");
      }),
      "domain-status-delete.json", new Expectation(List.of("domain-status-create.json"), (response, earlier, run) -> {
        assertSuccess(response);
        assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(EVENTS_DOMAIN);
        assertThat(response.path("Data").size()).as("Delete returns no Data").isZero();
      }));

  /**
   * The revocation-list events, against the demo truststore and CRLs of events/revocation/ (see the class comment):
   * CA 1's CRL lists one serial, CA 2's none.
   */
  private static final Map<String, Expectation> REVOCATION_LIST_EXPECTATIONS = Map.of(
      "revocation-list-create.json", new Expectation(List.of(), (response, earlier, run) -> {
        assertSuccess(response);
        assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(INDEX_URI);
        JsonNode data = response.get("Data");
        assertThat(data.get("IndexUri").asText()).isEqualTo(INDEX_URI);
        assertThat(data.get("IndexVersion").asText()).isEqualTo(
            run.s3.headObject(b -> b.bucket(STAGE).key("revocation/index.bin")).versionId());
        assertThat(data.get("RevokedCount").asText()).isEqualTo("1");
        assertThat(data.get("EarliestNextUpdate").asText()).isEqualTo("2046-12-01T00:00:00Z");
        assertThat(data.get("Findings").asText()).isEqualTo("no findings");
        assertThat(run.indexVersions()).isEqualTo(1);
      }),
      "revocation-list-update.json", new Expectation(List.of("revocation-list-create.json"),
          (response, earlier, run) -> {
            assertSuccess(response);
            assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(INDEX_URI);
            assertThat(response.get("Data").get("IndexVersion").asText())
                .as("the same CRLs as the Create: the same index, its version reused")
                .isEqualTo(earlier.get(0).get("Data").get("IndexVersion").asText());
            assertThat(run.indexVersions()).isEqualTo(1);
          }),
      "revocation-list-delete.json", new Expectation(List.of("revocation-list-create.json"),
          (response, earlier, run) -> {
            assertSuccess(response);
            assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(INDEX_URI);
            assertThat(response.path("Data").size()).as("Delete returns no Data").isZero();
            assertThat(run.indexVersions()).as("Delete leaves the index").isEqualTo(1);
          }));

  /** The role in effect: moto's API Gateway account setting ("" when none is set). */
  private static String accountRole(Run run) {
    String role = run.apiGateway.getAccount(b -> { }).cloudwatchRoleArn();
    return role == null ? "" : role;
  }

  /**
   * The account-role events in a fresh Region (no role set): the Create sets its RoleArn, the Update swaps in the new
   * role the template replaced it with, the Delete unsets the role it set.
   */
  private static final Map<String, Expectation> ACCOUNT_ROLE_EXPECTATIONS = Map.of(
      "account-role-create.json", new Expectation(List.of(), (response, earlier, run) -> {
        assertSuccess(response);
        String role = event("account-role-create.json").get("ResourceProperties").get("RoleArn").asText();
        assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(Ownership.SET.physicalId());
        assertThat(response.get("Data").get("SetByThisStack").asText()).isEqualTo("true");
        assertThat(accountRole(run)).isEqualTo(role);
      }),
      "account-role-update.json", new Expectation(List.of("account-role-create.json"), (response, earlier, run) -> {
        assertSuccess(response);
        String role = event("account-role-update.json").get("ResourceProperties").get("RoleArn").asText();
        assertThat(response.get("PhysicalResourceId").asText()).as("the same id: a swap is no replacement")
            .isEqualTo(earlier.get(0).get("PhysicalResourceId").asText());
        assertThat(accountRole(run)).isEqualTo(role);
      }),
      "account-role-delete.json", new Expectation(List.of("account-role-create.json"), (response, earlier, run) -> {
        assertSuccess(response);
        assertThat(response.path("Data").size()).as("Delete returns no Data").isZero();
        assertThat(accountRole(run)).as("unset: still the role this stack set").isEmpty();
      }));

  /** Every file's expectation, or null. */
  private static Expectation expectation(String file) {
    for (Map<String, Expectation> expectations : List.of(EXPECTATIONS, DEFAULT_ENDPOINT_EXPECTATIONS,
        DOMAIN_STATUS_EXPECTATIONS, REVOCATION_LIST_EXPECTATIONS, ACCOUNT_ROLE_EXPECTATIONS)) {
      if (expectations.containsKey(file)) {
        return expectations.get(file);
      }
    }
    return null;
  }

  private static void assertSuccess(JsonNode response) {
    assertThat(response.get("Status").asText()).as("Status; Reason: %s", response.path("Reason").asText())
        .isEqualTo("SUCCESS");
  }

  /** The CloudFormation custom resource events of events/ (those with a ResourceType). */
  static List<Path> eventFiles() {
    try (Stream<Path> files = Files.list(EVENTS)) {
      return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
          .filter(f -> event(f.getFileName().toString()).has("ResourceType")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + EVENTS, e);
    }
  }

  static ObjectNode event(String file) {
    try {
      return (ObjectNode) CloudFormation.JSON.readTree(EVENTS.resolve(file).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read events/" + file, e);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyEventFileGivesItsExpectedResponse() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path file : eventFiles()) {
      String name = file.getFileName().toString();
      tests.add(DynamicTest.dynamicTest(name, () -> {
        Expectation expectation = expectation(name);
        assertThat(expectation).as("events/%s has no expectation in EventFilesTest: add one, so that every "
            + "event file is run by a test", name).isNotNull();
        try (Run run = new Run(moto, pki)) {
          if (name.startsWith("revocation-list-")) {
            run.prepareRevocationFiles();
          }
          List<JsonNode> earlier = new ArrayList<>();
          for (String first : expectation.sendFirst()) {
            earlier.add(run.send(first, earlier));
          }
          expectation.check().check(run.send(name, earlier), earlier, run);
        }
      }));
    }
    return tests.stream();
  }

  @Test
  void everyExpectationHasItsFile() {
    Set<String> files = new TreeSet<>();
    eventFiles().forEach(f -> files.add(f.getFileName().toString()));
    assertThat(files).containsAll(EXPECTATIONS.keySet()).containsAll(DEFAULT_ENDPOINT_EXPECTATIONS.keySet())
        .containsAll(DOMAIN_STATUS_EXPECTATIONS.keySet()).containsAll(REVOCATION_LIST_EXPECTATIONS.keySet())
        .containsAll(ACCOUNT_ROLE_EXPECTATIONS.keySet());
  }

  /** The files are shaped exactly as CloudFormation sends requests (crpg-ref-requests). */
  @TestFactory
  Stream<DynamicTest> everyEventFileIsShapedAsCloudFormationSendsIt() {
    return eventFiles().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      ObjectNode event = event(file.getFileName().toString());
      String type = event.path("RequestType").asText();
      Set<String> expected = new TreeSet<>(Set.of("RequestType", "ServiceToken", "ResponseURL", "StackId",
          "RequestId", "LogicalResourceId", "ResourceType", "ResourceProperties"));
      if (!type.equals("Create")) {
        expected.add("PhysicalResourceId");
      }
      if (type.equals("Update")) {
        expected.add("OldResourceProperties");
      }
      assertThat(type).isIn("Create", "Update", "Delete");
      assertThat(names(event)).isEqualTo(expected);
      assertThat(event.get("ServiceToken").asText()).matches("arn:aws:lambda:[a-z0-9-]+:\\d{12}:function:.+");
      assertThat(event.get("ResponseURL").asText())
          .startsWith("https://cloudformation-custom-resource-response-")
          .contains("X-Amz-Signature=");
      assertThat(event.get("StackId").asText()).matches("arn:aws:cloudformation:[a-z0-9-]+:\\d{12}:stack/.+/.+");
      assertThat(event.get("RequestId").asText())
          .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
      assertThat(event.get("ResourceType").asText()).startsWith("Custom::");
      for (String properties : List.of("ResourceProperties", "OldResourceProperties")) {
        if (!event.has(properties)) {
          continue;
        }
        JsonNode props = event.get(properties);
        assertThat(props.get("ServiceToken")).as("%s.ServiceToken", properties).isEqualTo(event.get("ServiceToken"));
        assertThat(props.get("ServiceTimeout").isTextual()).as("%s.ServiceTimeout is a string", properties).isTrue();
        props.properties().forEach(p -> assertThat(onlyStrings(p.getValue()))
            .as("%s.%s is a string (or a list or map of strings), as CloudFormation sends every value", properties,
                p.getKey()).isTrue());
      }
    }));
  }

  private static boolean onlyStrings(JsonNode value) {
    if (value.isTextual()) {
      return true;
    }
    if (value.isArray() || value.isObject()) {
      for (JsonNode element : value) {
        if (!onlyStrings(element)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /** The Create file whose properties are those the stack's resource of each type sets. */
  private static final Map<String, String> CREATE_FILES = Map.of(
      "Custom::Truststore", "truststore-create.json",
      "Custom::ImportedCertificate", "imported-certificate-create.json",
      "Custom::DefaultEndpoint", "default-endpoint-create.json",
      "Custom::DomainStatus", "domain-status-create.json",
      "Custom::RevocationList", "revocation-list-create.json",
      "Custom::ApiGatewayAccountRole", "account-role-create.json");

  /**
   * Every event carries the properties that the stack's resource of its type sets (those of its type's Create file,
   * e.g. truststore-create.json): an event file is a request CloudFormation could really send for this stack.
   */
  @TestFactory
  Stream<DynamicTest> everyEventFileHasThePropertiesTheTemplateSets() {
    return eventFiles().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      ObjectNode event = event(file.getFileName().toString());
      String createFile = CREATE_FILES.get(event.path("ResourceType").asText());
      assertThat(createFile).as("the Create file of %s", event.path("ResourceType").asText()).isNotNull();
      Set<String> templateProperties = names(event(createFile).get("ResourceProperties"));
      for (String properties : List.of("ResourceProperties", "OldResourceProperties")) {
        if (event.has(properties)) {
          assertThat(names(event.get(properties))).as(properties).isEqualTo(templateProperties);
        }
      }
    }));
  }

  private static Set<String> names(JsonNode node) {
    Set<String> names = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
