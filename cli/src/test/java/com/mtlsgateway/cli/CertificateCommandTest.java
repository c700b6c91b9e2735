package com.mtlsgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mtlsgateway.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code mtls certificate check} through {@link Main}, on real certificates. */
class CertificateCommandTest extends CommandTestSupport {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestPki.Issued root;
  private static TestPki.Issued issuing;
  private static TestPki.Issued server;
  private static TestPki.Issued other;

  @BeforeAll
  static void makeCertificates() {
    TestPki pki = TestPki.at(Instant.now());
    root = pki.certificate("CN=Demo Root CA").selfSigned();
    issuing = pki.certificate("CN=Demo Issuing CA").issuedBy(root);
    server = pki.certificate("CN=api.example.com").ca(false).key(TestPki.KeySpec.RSA_2048)
        .dnsNames("api.example.com").keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)
        .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth).issuedBy(issuing);
    other = pki.certificate("CN=other").ca(false).key(TestPki.KeySpec.RSA_2048).selfSigned();
  }

  @Test
  void aGoodCertificateExitsZero() throws IOException {
    int status = run("certificate", "check", "--cert", file("cert.pem", server.pem()).toString(),
        "--key", file("key.pem", server.privateKeyPem()).toString(),
        "--chain=" + file("chain.pem", TestPki.bundle(issuing, root)), "--domain", "api.example.com");

    assertThat(status).isZero();
    assertThat(stdout()).startsWith("VALID: ").contains("api.example.com");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void problemsExitOneWithOneLineEach() throws IOException {
    int status = run("certificate", "check", "--cert", file("cert.pem", server.pem()).toString(),
        "--key", file("key.pem", other.privateKeyPem()).toString(),
        "--chain", file("chain.pem", TestPki.bundle(root, issuing)).toString(), "--domain", "www.example.com");

    assertThat(status).isEqualTo(1);
    List<String> lines = stdout().lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("PrivateKey KEY_MISMATCH: ");
    assertThat(lines.get(1)).startsWith("ChainPem CHAIN_ORDER: ");
    assertThat(lines.get(2)).startsWith("DomainName DOMAIN_NOT_COVERED: ");
    assertThat(lines.get(3)).startsWith("NOT VALID: 3 problems");
    assertNoKeyLine(stdout() + err, other.privateKeyPem());
  }

  @Test
  void jsonHasValidAndProblems() throws IOException {
    String key = server.privateKeyPem().replace("BEGIN PRIVATE KEY", "BEGIN ENCRYPTED PRIVATE KEY")
        .replace("END PRIVATE KEY", "END ENCRYPTED PRIVATE KEY");
    int status = run("certificate", "check", "--json", "--cert", file("cert.pem", server.pem()).toString(),
        "--key", file("key.pem", key).toString(), "--domain", "api.example.com");

    assertThat(status).isEqualTo(1);
    JsonNode root = JSON.readTree(stdout());
    assertThat(root.get("valid").asBoolean()).isFalse();
    assertThat(root.get("problems")).hasSize(1);
    JsonNode problem = root.get("problems").get(0);
    assertThat(problem.get("input").asText()).isEqualTo("PrivateKey");
    assertThat(problem.get("code").asText()).isEqualTo("KEY_ENCRYPTED");
    assertThat(problem.get("message").asText()).contains("encrypted");
    assertThat(stdout().trim().lines()).hasSize(1);
    assertNoKeyLine(stdout() + err, key);

    out.reset();
    assertThat(run("certificate", "check", "--json", "--cert", dir.resolve("cert.pem").toString(),
        "--key", file("good.pem", server.privateKeyPem()).toString(), "--domain", "api.example.com")).isZero();
    assertThat(JSON.readTree(stdout()).toString()).isEqualTo("{\"valid\":true,\"problems\":[]}");
  }

  @Test
  void usageAndIoErrorsExitTwo() throws IOException {
    Path cert = file("cert.pem", server.pem());
    Path key = file("key.pem", server.privateKeyPem());

    assertThat(run("certificate", "check", "--cert", cert.toString(), "--key", key.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("certificate check needs --domain");
    assertThat(run("certificate")).isEqualTo(2);
    assertThat(run("certificate", "verify")).isEqualTo(2);
    assertThat(run("certificate", "check", "--cert", cert.toString(), "--key", key.toString(), "--domain", "a.b",
        "--bogus", "x")).isEqualTo(2);
    err.reset();
    assertThat(run("certificate", "check", "--cert", dir.resolve("missing.pem").toString(), "--key", key.toString(),
        "--domain", "api.example.com")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing.pem (--cert): no such file");
    assertThat(stdout()).isEmpty();
  }

  @Test
  void anEmptyChainFileIsInvalid() throws IOException {
    for (String empty : List.of("", "\n  \n")) {
      out.reset();
      int status = run("certificate", "check", "--cert", file("cert.pem", server.pem()).toString(),
          "--key", file("key.pem", server.privateKeyPem()).toString(),
          "--chain", file("chain.pem", empty).toString(), "--domain", "api.example.com");

      assertThat(status).isEqualTo(1);
      assertThat(stdout().lines().toList()).first().asString().startsWith("ChainPem PEM_INVALID: ChainPem is empty");
    }
  }

  @Test
  void anUpperCaseOrUrlDomainIsInvalidNotUncovered() throws IOException {
    Path cert = file("cert.pem", server.pem());
    Path key = file("key.pem", server.privateKeyPem());
    for (String domain : List.of("API.example.com", "https://api.example.com", "localhost")) {
      out.reset();
      assertThat(run("certificate", "check", "--cert", cert.toString(), "--key", key.toString(), "--domain", domain))
          .isEqualTo(1);
      assertThat(stdout()).startsWith("DomainName DOMAIN_NAME_INVALID: ").doesNotContain("DOMAIN_NOT_COVERED");
    }
  }

  @Test
  void helpDescribesTheCommand() {
    assertThat(run("help")).isZero();
    assertThat(stdout()).contains("mtls certificate check --cert FILE --key FILE [--chain FILE] --domain NAME")
        .contains("KEY_TYPE_UNSUPPORTED  not RSA 2048 or EC P-256/P-384").doesNotContain("2048-4096")
        .contains("Exit status: 0 all checks passed, 1 problems found");
  }

  private static void assertNoKeyLine(String output, String key) {
    Arrays.stream(key.split("\n")).filter(line -> !line.startsWith("-----"))
        .forEach(line -> assertThat(output).doesNotContain(line));
  }
}
