package com.mtlsgateway.cli;

import static com.mtlsgateway.cli.OpensslPki.Key.EC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mtlsgateway.testing.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mtls crl check} and {@code bin/mtls invoke} on the revocation events, run as processes as a user runs
 * them, and every command block of docs/revocation.md, pasted into {@code sh} as is.
 */
@ExtendWith(MotoServer.class)
class RevocationCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Generous: the first run of bin/mtls may build the jar with Maven. */
  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final Path ROOT = Command.projectRoot();
  private static final String MTLS = ROOT.resolve("bin/mtls").toString();
  private static final String TRUSTSTORE = "events/revocation/truststore.pem";
  private static final String CA1_CRL = "events/revocation/ca1.crl";
  private static final String CA2_CRL = "events/revocation/ca2.crl";
  /** Settings a developer's shell may hold that would change what the commands do. */
  private static final List<String> CLEARED = List.of("REVOCATION_INDEX_URI", "TRUSTSTORE_URI",
      "REVOCATION_LIST_URIS", "REVOCATION_FAIL_MODE", "REVOCATION_GRACE_PERIOD_HOURS", "REVOCATION_REFRESH_SECONDS",
      "AWS_ENDPOINT_URL_S3", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN");

  private final MotoServer.Running moto;

  RevocationCommandsTest(MotoServer.Running moto) {
    this.moto = moto;
  }

  private Map<String, String> awsEnvironment() {
    Map<String, String> environment = new HashMap<>();
    CLEARED.forEach(name -> environment.put(name, null));
    environment.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
    environment.put("AWS_REGION", MotoServer.REGION);
    environment.put("AWS_ACCESS_KEY_ID", "test");
    environment.put("AWS_SECRET_ACCESS_KEY", "test");
    return environment;
  }

  private static Command mtls(Map<String, String> environment, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(MTLS));
    command.addAll(List.of(args));
    return Command.run(ROOT, TIMEOUT, command, environment);
  }

  private static Command mtls(String... args) throws IOException, InterruptedException {
    Map<String, String> environment = new HashMap<>();
    CLEARED.forEach(name -> environment.put(name, null));
    return mtls(environment, args);
  }

  // ------------------------------------------------------------------------------------------------------------
  // bin/mtls crl check
  // ------------------------------------------------------------------------------------------------------------

  @Test
  void crlCheckPassesTheDemoCrlsWithAVerdict() throws Exception {
    Command check = mtls("crl", "check", "--truststore", TRUSTSTORE, CA1_CRL, CA2_CRL);

    assertThat(check.exitCode()).as(check.transcript()).isZero();
    assertThat(check.stdout()).as(check.transcript()).isEqualTo("VALID: 2 CRLs for 2 of 2 CAs, 1 revoked serial,"
        + " earliest nextUpdate 2046-12-01T00:00:00Z; no findings\n");
  }

  @Test
  void crlCheckReportsACaWithoutCrlAsInfoAndStillPasses() throws Exception {
    Command text = mtls("crl", "check", "--truststore", TRUSTSTORE, CA1_CRL);
    Command json = mtls("crl", "check", "--truststore=" + TRUSTSTORE, "--json", CA1_CRL);

    assertThat(text.exitCode()).as(text.transcript()).isZero();
    assertThat(text.stdout()).as(text.transcript())
        .startsWith("INFO CA_WITHOUT_CRL CN=Demo Client CA 2,O=mtls-gateway demo: no CRL was given for this CA")
        .contains("\nVALID: 1 CRL for 1 of 2 CAs, 1 revoked serial, earliest nextUpdate 2046-12-01T00:00:00Z;"
            + " 1 INFO: CA_WITHOUT_CRL x1\n");
    assertThat(json.exitCode()).as(json.transcript()).isZero();
    JsonNode report = JSON.readTree(json.stdout());
    assertThat(report.get("valid").asBoolean()).isTrue();
    assertThat(report.get("revokedCount").asLong()).isEqualTo(1);
    assertThat(report.get("earliestNextUpdate").asText()).isEqualTo("2046-12-01T00:00:00Z");
    assertThat(report.get("summary").asText()).isEqualTo("1 INFO: CA_WITHOUT_CRL x1");
    JsonNode finding = report.get("findings").get(0);
    assertThat(finding.get("code").asText()).isEqualTo("CA_WITHOUT_CRL");
    assertThat(finding.get("severity").asText()).isEqualTo("INFO");
    assertThat(finding.get("source").isNull()).isTrue();
    assertThat(finding.get("ca").asText()).isEqualTo("CN=Demo Client CA 2,O=mtls-gateway demo");
  }

  @Test
  void crlCheckExits1OnACrlOfACaOutsideTheTruststore(@TempDir Path dir) throws Exception {
    String bundle = Files.readString(ROOT.resolve(TRUSTSTORE), StandardCharsets.US_ASCII);
    int second = bundle.indexOf("-----BEGIN CERTIFICATE-----", 1);
    Path onlyCa2 = Files.writeString(dir.resolve("ca2-only.pem"), bundle.substring(second));

    Command text = mtls("crl", "check", "--truststore", onlyCa2.toString(), CA1_CRL);
    Command json = mtls("crl", "check", "--truststore", onlyCa2.toString(), "--json", CA1_CRL);

    assertThat(text.exitCode()).as(text.transcript()).isEqualTo(1);
    assertThat(text.stdout()).as(text.transcript())
        .startsWith("ERROR CRL_ISSUER_UNKNOWN " + CA1_CRL + ": ")
        .containsPattern("(?m)^NOT VALID: 1 CRL for 0 of 1 CA, 0 revoked serials; 1 ERROR: CRL_ISSUER_UNKNOWN x1;"
            + " 1 INFO: CA_WITHOUT_CRL x1; fix the ERROR findings");
    assertThat(json.exitCode()).as(json.transcript()).isEqualTo(1);
    JsonNode report = JSON.readTree(json.stdout());
    assertThat(report.get("valid").asBoolean()).isFalse();
    assertThat(report.get("earliestNextUpdate").isNull()).isTrue();
    assertThat(report.get("findings").get(0).get("code").asText()).isEqualTo("CRL_ISSUER_UNKNOWN");
    assertThat(report.get("findings").get(0).get("severity").asText()).isEqualTo("ERROR");
    assertThat(report.get("findings").get(0).get("source").asText()).isEqualTo(CA1_CRL);
  }

  /** A CA and an expired CRL made by openssl, as a CA would publish them. */
  @Test
  void crlCheckExits1OnAnExpiredCrlThatOpensslMade(@TempDir Path dir) throws Exception {
    OpensslPki pki = new OpensslPki(dir);
    pki.root("ca", "/CN=Expiring CRL Test CA", "root_ca", 3650, EC);
    pki.crl("ca", "expired.crl", "-crlexts", "crl_ext", "-crl_lastupdate", "20200101000000Z", "-crl_nextupdate",
        "20200201000000Z");

    Command check = mtls("crl", "check", "--truststore", dir.resolve("ca.pem").toString(),
        dir.resolve("expired.crl").toString());

    assertThat(check.exitCode()).as(check.transcript()).isEqualTo(1);
    assertThat(check.stdout()).as(check.transcript())
        .startsWith("ERROR CRL_EXPIRED " + dir.resolve("expired.crl") + ": expired: its nextUpdate"
            + " 2020-02-01T00:00:00Z is past")
        .contains("NOT VALID: 1 CRL for 0 of 1 CA");
  }

  @Test
  void crlCheckExits2OnAMissingFileOrUsage() throws Exception {
    Command missingCrl = mtls("crl", "check", "--truststore", TRUSTSTORE, "nope.crl");
    Command missingTruststore = mtls("crl", "check", "--truststore", "nope.pem", CA1_CRL);
    Command noTruststore = mtls("crl", "check", CA1_CRL);
    Command noCrl = mtls("crl", "check", "--truststore", TRUSTSTORE);

    assertThat(missingCrl.exitCode()).as(missingCrl.transcript()).isEqualTo(2);
    assertThat(missingCrl.stdout()).isEmpty();
    assertThat(missingCrl.stderr()).contains("mtls: cannot read nope.crl: no such file");
    assertThat(missingTruststore.exitCode()).as(missingTruststore.transcript()).isEqualTo(2);
    assertThat(missingTruststore.stderr()).contains("mtls: cannot read nope.pem: no such file");
    assertThat(noTruststore.exitCode()).isEqualTo(2);
    assertThat(noTruststore.stderr()).contains("crl check needs --truststore FILE")
        .contains("mtls crl check --truststore FILE [--json] CRL_FILE...");
    assertThat(noCrl.exitCode()).isEqualTo(2);
    assertThat(noCrl.stderr()).contains("crl check needs at least one CRL_FILE");
  }

  @Test
  void helpDescribesCrlCheckAndTheNewEvents() throws Exception {
    Command help = mtls("--help");

    assertThat(help.exitCode()).isZero();
    assertThat(help.stdout()).contains("mtls crl check --truststore FILE [--json] CRL_FILE...")
        .contains("CA_WITHOUT_CRL").contains("An API Gateway REQUEST authorizer event")
        .contains("Exit status: 0 Allow, 1 Deny").contains("An EventBridge scheduled event");
  }

  // ------------------------------------------------------------------------------------------------------------
  // bin/mtls invoke on authorizer events
  // ------------------------------------------------------------------------------------------------------------

  @Test
  void anAuthorizerEventWithoutTheIndexSettingIsAUsageError() throws Exception {
    Command invoke = mtls(awsEnvironment(), "invoke", "events/authorizer-allowed.json");

    assertThat(invoke.exitCode()).as(invoke.transcript()).isEqualTo(2);
    assertThat(invoke.stdout()).isEmpty();
    assertThat(invoke.stderr()).contains("mtls: an authorizer event needs REVOCATION_INDEX_URI");
  }

  // ------------------------------------------------------------------------------------------------------------
  // docs/revocation.md
  // ------------------------------------------------------------------------------------------------------------

  /** The ```sh blocks of docs/revocation.md, in order. */
  private static List<String> documentedBlocks() throws IOException {
    return DocumentedCommandsTest.blocks(ROOT.resolve("docs/revocation.md")).stream()
        .map(DocumentedCommandsTest.Block::text).toList();
  }

  @Test
  void docsRevocationHasTheBlocksThisTestRuns() throws IOException {
    List<String> blocks = documentedBlocks();
    assertThat(blocks).as("a new block in docs/revocation.md needs a test here").hasSize(2);
    assertThat(blocks.get(0)).startsWith("bin/mtls crl check");
    assertThat(blocks.get(1)).contains("bin/mtls invoke events/authorizer-revoked.json");
    assertThat(String.join("\n", blocks)).as("the blocks use files of this repository, so that they work when pasted")
        .doesNotContain("my-");
  }

  @Test
  void theDocumentedCrlCheckBlockWorksWhenPasted() throws Exception {
    Map<String, String> environment = new HashMap<>();
    CLEARED.forEach(name -> environment.put(name, null));
    environment.put("PATH", System.getenv("PATH"));

    Command block = Command.run(ROOT, TIMEOUT, List.of("sh", "-c", documentedBlocks().get(0)), environment);

    assertThat(block.exitCode()).as(block.transcript()).isZero();
    List<String> lines = block.stdout().lines().toList();
    assertThat(lines.get(0)).as(block.transcript()).startsWith("VALID: 2 CRLs for 2 of 2 CAs");
    assertThat(JSON.readTree(lines.get(lines.size() - 1)).get("summary").asText())
        .isEqualTo("1 INFO: CA_WITHOUT_CRL x1");
  }

  /**
   * The local walk-through, against this run's moto with the AWS_* settings of docs/local.md: the index is
   * staged, the revoked client denied, CA 2's client with the same serial allowed, the refresh reuses the index.
   */
  @Test
  void theDocumentedLocalRevocationBlockWorksWhenPasted() throws Exception {
    Command block = Command.run(ROOT, TIMEOUT, List.of("sh", "-c", documentedBlocks().get(1)), awsEnvironment());

    assertThat(block.exitCode()).as(block.transcript()).isZero();
    List<JsonNode> outputs = new ArrayList<>();
    try (MappingIterator<JsonNode> values = JSON.readerFor(JsonNode.class).readValues(block.stdout())) {
      values.forEachRemaining(outputs::add);
    }
    List<JsonNode> answers = outputs.stream().filter(o -> !o.has("status")).toList(); // moto's reset answer
    assertThat(answers).as(block.transcript()).hasSize(4);
    assertThat(answers.get(0).get("Status").asText()).as(block.transcript()).isEqualTo("SUCCESS");
    assertThat(answers.get(0).get("Data").get("RevokedCount").asText()).isEqualTo("1");
    assertThat(answers.get(1).get("policyDocument").get("Statement").get(0).get("Effect").asText()).isEqualTo("Deny");
    assertThat(answers.get(1).get("context").get("check").asText()).isEqualTo("revoked");
    assertThat(answers.get(2).get("policyDocument").get("Statement").get(0).get("Effect").asText())
        .isEqualTo("Allow");
    assertThat(answers.get(2).get("context").get("check").asText()).isEqualTo("not-revoked");
    assertThat(answers.get(3).get("event").asText()).isEqualTo("revocation.refreshed");
    assertThat(answers.get(3).get("reused").asBoolean()).isTrue();
    assertThat(block.stderr()).as(block.transcript())
        .contains("answered Deny (revoked)").contains("answered Allow (not-revoked)");
  }
}
