package com.mtlsgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mtlsgateway.testing.TestPki;
import com.mtlsgateway.truststore.FindingCode;
import com.mtlsgateway.truststore.Severity;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, {@code bin/demo}, run as a user runs it (it starts its own moto server and makes
 * its certificates with openssl), and {@code bin/mtls} as a process. A missing tool makes bin/demo exit 2 with an
 * install hint, which fails {@link #theDemoRunsToTheEnd()} with that hint in the message.
 */
class DemoScriptTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Generous: the first run of bin/mtls may build the jar with Maven. */
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private static Path root;
  private static Command demo;
  private static List<Response> responses;

  /**
   * One "==> events/NAME (...)" section of the demo's output: the caption printed between the header and the
   * response body, and the body.
   */
  private record Response(String event, String header, String caption, JsonNode body) {}

  @BeforeAll
  static void runTheDemo() throws IOException, InterruptedException {
    root = Command.projectRoot();
    demo = Command.run(root, TIMEOUT, List.of(root.resolve("bin/demo").toString()));
    responses = parse(demo.stdout());
  }

  private static List<Response> parse(String output) throws IOException {
    List<Response> found = new ArrayList<>();
    List<String> lines = output.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).startsWith("==> events/")) {
        continue;
      }
      String header = lines.get(i);
      String event = header.substring("==> events/".length(), header.indexOf(' ', "==> ".length()));
      int j = i + 1;
      while (j < lines.size() && !lines.get(j).startsWith("{") && !lines.get(j).startsWith("==> ")) {
        j++;
      }
      String caption = String.join("\n", lines.subList(i + 1, j));
      JsonNode body = j < lines.size() && lines.get(j).startsWith("{") ? JSON.readTree(lines.get(j)) : null;
      found.add(new Response(event, header, caption, body));
    }
    return found;
  }

  private static List<Response> responsesTo(String event) {
    return responses.stream().filter(r -> r.event().equals(event)).toList();
  }

  @Test
  void theDemoRunsToTheEnd() {
    assertThat(demo.exitCode()).as(demo.transcript()).isZero();
    assertThat(demo.stdout()).as(demo.transcript()).contains("Demo finished.");
  }

  @Test
  void everyTruststoreEventIsRunAndAnswered() throws IOException {
    List<String> events;
    try (Stream<Path> files = Files.list(root.resolve("events"))) {
      events = files.map(p -> p.getFileName().toString())
          .filter(name -> name.startsWith("truststore-") && name.endsWith(".json")).sorted().toList();
    }
    assertThat(events).isNotEmpty();
    assertThat(responses.stream().map(Response::event).filter(name -> name.startsWith("truststore-")).distinct()
        .sorted().toList()).as(demo.transcript()).isEqualTo(events);
    assertThat(responses).as(demo.transcript()).allSatisfy(r -> assertThat(r.body()).as(r.header()).isNotNull());
  }

  @Test
  void theValidEventsSucceedAndStageTheBundle() {
    for (String event : List.of("truststore-create.json", "truststore-update.json", "truststore-delete.json")) {
      assertThat(responsesTo(event)).as(demo.transcript()).isNotEmpty().allSatisfy(r -> {
        assertThat(r.body().get("Status").asText()).as(r.header() + " Reason: " + r.body().path("Reason"))
            .isEqualTo("SUCCESS");
        assertThat(r.body().get("PhysicalResourceId").asText())
            .isEqualTo("s3://mtls-gateway-demo-truststore/truststore.pem");
      });
    }
    JsonNode created = responsesTo("truststore-create.json").get(0).body().get("Data");
    assertThat(created.get("TruststoreUri").asText()).isEqualTo("s3://mtls-gateway-demo-truststore/truststore.pem");
    assertThat(created.get("CertificateCount").asText()).isEqualTo("2");
    assertThat(created.get("TruststoreVersion").asText()).isNotBlank();
    List<Response> updates = responsesTo("truststore-update.json");
    assertThat(updates).as("the update event, and the same event delivered again").hasSize(2);
    String updatedVersion = updates.get(0).body().get("Data").get("TruststoreVersion").asText();
    assertThat(updatedVersion).as("new bytes, new version").isNotEqualTo(created.get("TruststoreVersion").asText());
    assertThat(updates.get(1).body().get("Data").get("TruststoreVersion").asText()).as("same bytes, same version")
        .isEqualTo(updatedVersion);
  }

  @Test
  void theInvalidEventFailsOnTheWarningsOfTheBadBundle() {
    List<Response> invalid = responsesTo("truststore-create-invalid.json");
    assertThat(invalid).as(demo.transcript()).hasSize(1);
    JsonNode body = invalid.get(0).body();
    assertThat(body.get("Status").asText()).isEqualTo("FAILED");
    String reason = body.get("Reason").asText();
    assertThat(reason)
        .startsWith("Truststore bundle from SourceUri s3://mtls-gateway-demo-source/bad-bundle.pem is not valid"
            + " (2 WARNING); fix the WARNING findings, or set AcceptWarnings to \"true\" (the AcceptTruststoreWarnings"
            + " parameter in this project's template.yaml)")
        .contains("EXPIRED #2 CN=Demo Issuing CA 2019")
        .contains("NOT_CA #3 CN=client.example.com");
    assertThat(Arrays.stream(FindingCode.values()).filter(c -> c.severity() == Severity.ERROR).map(Enum::name))
        .as("no ERROR finding in: " + reason).noneMatch(reason::contains);
    assertThat(body.get("PhysicalResourceId").asText()).startsWith("mtls-gateway:create-failed:");
    assertThat(demo.stdout()).as(demo.transcript())
        .contains("s3://mtls-gateway-demo-source/bad-bundle.pem     (SourceUri of the invalid Create event)");
  }

  @Test
  void eachCaptionMatchesItsStep() {
    List<Response> updates = responsesTo("truststore-update.json");
    assertThat(updates).as(demo.transcript()).hasSize(2);
    assertThat(updates.get(0).caption()).as(demo.transcript()).contains("new bytes give a new S3 version");
    assertThat(updates.get(1).caption()).as(demo.transcript())
        .doesNotContain("new bytes").doesNotContain("a new S3 version")
        .contains("The same Update again").contains("no new S3 version, the same TruststoreVersion");
    Response invalid = responsesTo("truststore-create-invalid.json").get(0);
    assertThat(invalid.caption()).as(demo.transcript())
        .contains("s3://mtls-gateway-demo-source/bad-bundle.pem").contains("WARNINGs")
        .contains("FAILED").contains("stages nothing")
        .doesNotContain("stage it in the versioned bucket");
    assertThat(responsesTo("truststore-create.json").get(0).caption()).contains("stage it in the versioned bucket");
  }

  @Test
  void theLocalChecksShowAValidAndAnInvalidBundle() {
    assertThat(demo.stdout()).as(demo.transcript())
        .containsPattern("(?m)^VALID: 2 certificates, no findings")
        .containsPattern("(?m)^WARNING EXPIRED #2 CN=Demo Issuing CA 2019")
        .containsPattern("(?m)^WARNING NOT_CA #3 CN=client.example.com")
        .containsPattern("(?m)^NOT VALID: 4 certificates");
  }

  /**
   * The "done when": on the shipped events, through bin/mtls invoke, the revoked client of CA 1 is denied
   * and CA 2's client with the same serial number is allowed, after Custom::RevocationList staged the index.
   */
  @Test
  void theRevocationStepDeniesTheRevokedClientAndAllowsTheOtherCasClientWithTheSameSerial() {
    assertThat(demo.stdout()).as(demo.transcript())
        .containsPattern("(?m)^VALID: 2 CRLs for 2 of 2 CAs, 1 revoked serial, earliest nextUpdate"
            + " 2046-12-01T00:00:00Z; no findings$");
    List<Response> created = responsesTo("revocation-list-create.json");
    assertThat(created).as(demo.transcript()).hasSize(1);
    assertThat(created.get(0).body().get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(created.get(0).body().get("Data").get("RevokedCount").asText()).isEqualTo("1");
    assertThat(created.get(0).body().get("Data").get("IndexUri").asText())
        .isEqualTo("s3://mtls-gateway-demo-truststore/revocation/index.bin");

    JsonNode revoked = onlyBody("authorizer-revoked.json");
    JsonNode allowed = onlyBody("authorizer-allowed.json");
    assertThat(effect(revoked)).isEqualTo("Deny");
    assertThat(revoked.get("context").get("check").asText()).isEqualTo("revoked");
    assertThat(effect(allowed)).isEqualTo("Allow");
    assertThat(allowed.get("context").get("check").asText()).isEqualTo("not-revoked");
    assertThat(allowed.get("context").get("serial").asText()).as("the same serial number")
        .isEqualTo(revoked.get("context").get("serial").asText());
    assertThat(allowed.get("context").get("issuer").asText()).isEqualTo("CN=Demo Client CA 2,O=mtls-gateway demo");
    assertThat(revoked.get("context").get("issuer").asText()).isEqualTo("CN=Demo Client CA 1,O=mtls-gateway demo");
    JsonNode anonymous = onlyBody("authorizer-no-client-cert.json");
    assertThat(effect(anonymous)).isEqualTo("Deny");
    assertThat(anonymous.get("context").get("check").asText()).isEqualTo("no-client-certificate");
    assertThat(demo.stdout()).as(demo.transcript()).doesNotContain("UNEXPECTED")
        .contains("-> exit 1: Deny; API Gateway answers 403")
        .contains("-> exit 0: Allow; a serial revoked by one CA never denies another CA's client");
  }

  /**
   * Every custom resource is shown: after the truststore and revocation steps, the imported certificate, default
   * endpoint and domain status events run through {@code bin/mtls invoke --prepare}, each answering SUCCESS, the
   * certificate's Update re-importing over the ARN its Create got.
   */
  @Test
  void theOtherCustomResourcesRunThroughPrepareAndSucceed() {
    for (String event : List.of("imported-certificate-create.json", "imported-certificate-update.json",
        "imported-certificate-delete.json", "default-endpoint-create.json", "default-endpoint-update.json",
        "default-endpoint-delete.json", "domain-status-create.json", "domain-status-update.json",
        "domain-status-delete.json")) {
      JsonNode body = onlyBody(event);
      assertThat(body.get("Status").asText()).as(event + " Reason: " + body.path("Reason")).isEqualTo("SUCCESS");
    }
    String fileArn = "arn:aws:acm:us-east-1:123456789012:certificate/8f4c2e1a-6b3d-4a7e-9c5f-1d2e3f4a5b6c";
    String updated = onlyBody("imported-certificate-update.json").get("PhysicalResourceId").asText();
    assertThat(updated).startsWith("arn:aws:acm:us-east-1:").isNotEqualTo(fileArn);
    assertThat(demo.stdout()).as(demo.transcript())
        .contains("  prepare | PhysicalResourceId " + fileArn + " replaced by " + updated)
        .contains("  prepare | created secret mtls-gateway-demo/server-key holding its private key")
        .contains("  prepare | created REST API a1b2c3d4e5")
        .contains("  prepare | created custom domain api.example.com")
        .doesNotContain("PRIVATE KEY");
    assertThat(onlyBody("default-endpoint-update.json").at("/Data/DisableExecuteApiEndpoint").asText())
        .isEqualTo("true");
    assertThat(onlyBody("domain-status-create.json").at("/Data/DomainNameStatus").asText()).isEqualTo("AVAILABLE");
  }

  private static JsonNode onlyBody(String event) {
    List<Response> found = responsesTo(event);
    assertThat(found).as(demo.transcript()).hasSize(1);
    assertThat(found.get(0).body()).as(found.get(0).header()).isNotNull();
    return found.get(0).body();
  }

  private static String effect(JsonNode response) {
    JsonNode statements = response.get("policyDocument").get("Statement");
    assertThat(statements).hasSize(1);
    return statements.get(0).get("Effect").asText();
  }

  @Test
  void theDemoNeverPrintsTheEventsResponseUrl() {
    assertThat(demo.stdout() + demo.stderr()).doesNotContain("X-Amz-Signature")
        .doesNotContain("cloudformation-custom-resource-response");
  }

  @Test
  void motoIsStoppedAndTheTemporaryFolderRemoved() {
    Matcher port = Pattern.compile("moto is listening on http://127\\.0\\.0\\.1:(\\d+)").matcher(demo.stdout());
    Matcher work = Pattern.compile("Working in (\\S+) \\(removed at the end\\)").matcher(demo.stdout());
    assertThat(port.find()).as(demo.transcript()).isTrue();
    assertThat(work.find()).as(demo.transcript()).isTrue();
    assertThat(Path.of(work.group(1))).doesNotExist();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(port.group(1))), 2000);
      throw new AssertionError("moto still answers on port " + port.group(1) + " after bin/demo ended");
    } catch (ConnectException expected) {
      // nothing listens any more
    } catch (IOException e) {
      throw new AssertionError("unexpected: " + e, e);
    }
  }

  @Test
  void mtlsValidateExits1OnABadBundleAnd0OnAGoodOne(@TempDir Path dir) throws IOException, InterruptedException {
    TestPki pki = TestPki.at(Instant.now());
    TestPki.Issued root = pki.certificate("CN=Good Root CA").selfSigned();
    TestPki.Issued expired = pki.certificate("CN=Expired CA")
        .validity(Instant.parse("2019-01-01T00:00:00Z"), Instant.parse("2020-01-01T00:00:00Z")).issuedBy(root);
    Path good = Files.writeString(dir.resolve("good.pem"), TestPki.bundle(root), StandardCharsets.US_ASCII);
    Path bad = Files.writeString(dir.resolve("bad.pem"), TestPki.bundle(root, expired), StandardCharsets.US_ASCII);
    String mtls = DemoScriptTest.root.resolve("bin/mtls").toString();

    Command invalid = Command.run(dir, TIMEOUT, List.of(mtls, "truststore", "validate", bad.toString()));
    assertThat(invalid.exitCode()).as(invalid.transcript()).isEqualTo(1);
    assertThat(invalid.stdout()).as(invalid.transcript()).startsWith("WARNING EXPIRED #1 CN=Expired CA: ");

    Command json = Command.run(dir, TIMEOUT, List.of(mtls, "truststore", "validate", "--json", bad.toString()));
    assertThat(json.exitCode()).as(json.transcript()).isEqualTo(1);
    assertThat(JSON.readTree(json.stdout()).get("findings").get(0).get("code").asText()).isEqualTo("EXPIRED");

    Command accepted = Command.run(dir, TIMEOUT,
        List.of(mtls, "truststore", "validate", "--accept-warnings", bad.toString()));
    assertThat(accepted.exitCode()).as(accepted.transcript()).isZero();

    Command valid = Command.run(dir, TIMEOUT, List.of(mtls, "truststore", "validate", good.toString()));
    assertThat(valid.exitCode()).as(valid.transcript()).isZero();
    assertThat(valid.stdout()).startsWith("VALID: 1 certificate, no findings");

    Command missing = Command.run(dir, TIMEOUT, List.of(mtls, "truststore", "validate", "nope.pem"));
    assertThat(missing.exitCode()).as(missing.transcript()).isEqualTo(2);
    assertThat(missing.stdout()).isEmpty();
    assertThat(missing.stderr()).contains("mtls: cannot read nope.pem: no such file");
  }
}
