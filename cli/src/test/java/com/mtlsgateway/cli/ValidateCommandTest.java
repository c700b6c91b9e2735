package com.mtlsgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mtlsgateway.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code mtls truststore validate} through {@link Main}, on real certificates. */
class ValidateCommandTest extends CommandTestSupport {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestPki.Issued root;
  private static TestPki.Issued issuing;
  private static TestPki.Issued client;

  @BeforeAll
  static void makeCertificates() {
    TestPki pki = TestPki.at(Instant.now());
    root = pki.certificate("CN=Demo Root CA,O=Example").selfSigned();
    issuing = pki.certificate("CN=Demo Issuing CA,O=Example").issuedBy(root);
    client = pki.certificate("CN=client.example.com,O=Example").ca(false).issuedBy(issuing);
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void aGoodChainIsValidAndExits0() throws IOException, NoSuchAlgorithmException {
    Path bundle = file("good.pem", TestPki.bundle(issuing, root));

    assertThat(run("truststore", "validate", bundle.toString())).isZero();

    assertThat(stdout()).isEqualTo("VALID: 2 certificates, no findings (sha256 "
        + sha256(Files.readAllBytes(bundle)) + ")\n");
    assertThat(err.size()).isZero();
  }

  @Test
  void aClientCertificateInTheBundleIsAWarningAndExits1() throws IOException {
    Path bundle = file("with-client.pem", TestPki.bundle(issuing, root, client));

    assertThat(run("truststore", "validate", bundle.toString())).isEqualTo(1);

    List<String> lines = stdout().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("WARNING NOT_CA #2 CN=client.example.com,O=Example: ");
    assertThat(lines.get(1)).startsWith("NOT VALID: 3 certificates, 1 WARNING: NOT_CA x1 (sha256 ")
        .endsWith("or pass --accept-warnings");
  }

  @Test
  void acceptWarningsMakesWarningsPass() throws IOException {
    Path bundle = file("with-client.pem", TestPki.bundle(issuing, root, client));

    assertThat(run("truststore", "validate", "--accept-warnings", bundle.toString())).isZero();

    assertThat(stdout().lines().toList()).last().asString()
        .startsWith("VALID (warnings accepted): 3 certificates, 1 WARNING: NOT_CA x1");
  }

  @Test
  void acceptWarningsDoesNotMakeErrorsPass() throws IOException {
    Path der = dir.resolve("root.der");
    Files.write(der, root.der());

    assertThat(run("truststore", "validate", der.toString(), "--accept-warnings")).isEqualTo(1);

    assertThat(stdout()).startsWith("ERROR NOT_PEM: The bundle is binary").doesNotContain("whole file")
        .contains("NOT VALID: 0 certificates, 1 ERROR");
  }

  @Test
  void aFindingAboutOneBlockIsPrintedWithoutALocationOfItsOwn() throws IOException {
    Path bundle = file("with-key.pem", TestPki.bundle(issuing, root) + root.privateKeyPem());

    assertThat(run("truststore", "validate", bundle.toString())).isEqualTo(1);

    assertThat(stdout().lines().toList()).first().asString()
        .startsWith("ERROR NOT_PEM: PEM block 2 is a \"PRIVATE KEY\" block, not a CERTIFICATE");
    assertThat(stdout()).doesNotContain("whole file");
  }

  @Test
  void jsonOfABlockFindingHasANullCertificate() throws IOException {
    Path bundle = file("with-key.pem", TestPki.bundle(issuing, root) + root.privateKeyPem());

    assertThat(run("truststore", "validate", "--json", bundle.toString())).isEqualTo(1);

    JsonNode finding = JSON.readTree(stdout()).get("findings").get(0);
    assertThat(finding.get("code").textValue()).isEqualTo("NOT_PEM");
    assertThat(finding.get("certificate").isNull()).isTrue();
    assertThat(finding.get("message").textValue()).startsWith("PEM block 2 is a \"PRIVATE KEY\" block");
  }

  @Test
  void aByteOrderMarkNoLongerHidesTheFirstCertificate() throws IOException {
    TestPki pki = TestPki.at(Instant.now());
    TestPki.Issued expired = pki.certificate("CN=Expired CA,O=Example")
        .validity(Instant.parse("2019-01-01T00:00:00Z"), Instant.parse("2020-01-01T00:00:00Z")).selfSigned();
    Path bundle = dir.resolve("bom.pem");
    try (var stream = Files.newOutputStream(bundle)) {
      stream.write(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
      stream.write(TestPki.bundle(expired, root).getBytes(StandardCharsets.US_ASCII));
    }

    assertThat(run("truststore", "validate", bundle.toString())).isEqualTo(1);

    assertThat(stdout().lines().toList())
        .anyMatch(line -> line.startsWith("ERROR NOT_PEM: The file starts with a UTF-8 byte-order mark"))
        .anyMatch(line -> line.startsWith("WARNING EXPIRED #0 CN=Expired CA,O=Example: "))
        .last().asString().startsWith("NOT VALID: 2 certificates, 1 ERROR: NOT_PEM x1; 1 WARNING: EXPIRED x1");
  }

  @Test
  void jsonHasExactlyTheDocumentedShape() throws IOException, NoSuchAlgorithmException {
    Path bundle = file("with-client.pem", TestPki.bundle(issuing, root, client));

    assertThat(run("truststore", "validate", bundle.toString(), "--json")).isEqualTo(1);

    assertThat(stdout().lines().count()).as("one object on one line").isEqualTo(1);
    JsonNode report = JSON.readTree(stdout());
    assertThat(report.fieldNames()).toIterable()
        .containsExactly("valid", "certificateCount", "sha256", "findings");
    assertThat(report.get("valid").isBoolean()).isTrue();
    assertThat(report.get("valid").booleanValue()).isFalse();
    assertThat(report.get("certificateCount").isInt()).isTrue();
    assertThat(report.get("certificateCount").intValue()).isEqualTo(3);
    assertThat(report.get("sha256").textValue()).isEqualTo(sha256(Files.readAllBytes(bundle)));
    assertThat(report.get("findings").size()).isEqualTo(1);
    JsonNode finding = report.get("findings").get(0);
    assertThat(finding.fieldNames()).toIterable().containsExactly("code", "severity", "certificate", "message");
    assertThat(finding.get("code").textValue()).isEqualTo("NOT_CA");
    assertThat(finding.get("severity").textValue()).isEqualTo("WARNING");
    assertThat(finding.get("message").textValue()).isNotBlank();
    JsonNode certificate = finding.get("certificate");
    assertThat(certificate.fieldNames()).toIterable().containsExactly("index", "subject", "sha256");
    assertThat(certificate.get("index").intValue()).isEqualTo(2);
    assertThat(certificate.get("subject").textValue()).isEqualTo("CN=client.example.com,O=Example");
    assertThat(certificate.get("sha256").textValue()).isEqualTo(sha256(client.der()));
  }

  @Test
  void jsonOfAValidBundleAndOfAWarningAccepted() throws IOException {
    Path bundle = file("with-client.pem", TestPki.bundle(issuing, root, client));

    assertThat(run("truststore", "validate", "--json", "--accept-warnings", bundle.toString())).isZero();

    JsonNode report = JSON.readTree(stdout());
    assertThat(report.get("valid").booleanValue()).isTrue();
    assertThat(report.get("findings").get(0).get("code").textValue()).isEqualTo("NOT_CA");
  }

  @Test
  void jsonGivesNullCertificateForWholeFileFindings() throws IOException {
    Path empty = file("empty.pem", "");

    assertThat(run("truststore", "validate", "--json", empty.toString())).isEqualTo(1);

    JsonNode report = JSON.readTree(stdout());
    assertThat(report.get("certificateCount").intValue()).isZero();
    JsonNode finding = report.get("findings").get(0);
    assertThat(finding.get("severity").textValue()).isEqualTo("ERROR");
    assertThat(finding.has("certificate")).isTrue();
    assertThat(finding.get("certificate").isNull()).isTrue();
  }

  @Test
  void aMissingFileExits2WithAMessageOnStderr() {
    assertThat(run("truststore", "validate", dir.resolve("nope.pem").toString(), "--json")).isEqualTo(2);

    assertThat(out.size()).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("mtls: cannot read " + dir.resolve("nope.pem")
        + ": no such file\n");
  }

  @Test
  void aDirectoryExits2() {
    assertThat(run("truststore", "validate", dir.toString())).isEqualTo(2);

    assertThat(err.toString(StandardCharsets.UTF_8)).contains("is a directory");
  }
}
