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
    assertThat(stdout().lines().toList()).containsExactly("NOTE: " + CertificateCommand.OWNERSHIP_NOTE,
        "VALID: " + dir.resolve("cert.pem") + " can be imported into ACM for api.example.com");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void everyCheckRemindsOfTheOwnershipVerificationCertificate() throws IOException {
    run("certificate", "check", "--cert", file("cert.pem", server.pem()).toString(),
        "--key", file("key.pem", other.privateKeyPem()).toString(), "--domain", "api.example.com");

    assertThat(stdout().lines().filter(line -> line.startsWith("NOTE: ")).toList()).containsExactly("NOTE: an"
        + " imported certificate always needs an ownership verification certificate too: a public certificate that"
        + " ACM issued for the same domain name, whose ARN goes in the template's OwnershipVerificationCertificateArn"
        + " parameter; without it API Gateway refuses the mutual TLS domain (\"Missing"
        + " ownershipVerificationCertificate\")");
  }

  @Test
  void noChainForACertificateIssuedByAnIntermediateWarnsAndStaysValid() throws IOException {
    int status = run("certificate", "check", "--cert", file("cert.pem", server.pem()).toString(),
        "--key", file("key.pem", server.privateKeyPem()).toString(), "--domain", "api.example.com");

    assertThat(status).isZero();
    List<String> lines = stdout().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("WARNING --chain CHAIN_NOT_GIVEN: no chain is given and the certificate"
        + " (CN=api.example.com) is issued by CN=Demo Issuing CA, so this check cannot know whether TLS clients get"
        + " that issuer").endsWith("give its certificate (and any CA above it; the root may be left out) in"
        + " --chain; if it is a root CA your clients trust, no chain is needed");
    assertThat(lines.get(1)).startsWith("NOTE: ");
    assertThat(lines.get(2)).isEqualTo("VALID with 1 warning: " + dir.resolve("cert.pem") + " can be imported into"
        + " ACM for api.example.com; see the warning above for what this check cannot know.");
  }

  @Test
  void aChainWithTwoBlocksOnOneLineIsInvalid() throws IOException {
    String glued = issuing.pem().stripTrailing() + root.pem();
    int status = run("certificate", "check", "--cert", file("cert.pem", server.pem()).toString(),
        "--key", file("key.pem", server.privateKeyPem()).toString(), "--chain", file("chain.pem", glued).toString(),
        "--domain", "api.example.com");

    assertThat(status).isEqualTo(1);
    assertThat(stdout().lines().toList()).first().asString().startsWith("--chain PEM_INVALID: in --chain, PEM block"
        + " 0 ends on the line where PEM block 1 begins (-----END CERTIFICATE----------BEGIN CERTIFICATE-----): a"
        + " line break is missing");
  }

  @Test
  void problemsExitOneWithOneLineEach() throws IOException {
    int status = run("certificate", "check", "--cert", file("cert.pem", server.pem()).toString(),
        "--key", file("key.pem", other.privateKeyPem()).toString(),
        "--chain", file("chain.pem", TestPki.bundle(root, issuing)).toString(), "--domain", "www.example.com");

    assertThat(status).isEqualTo(1);
    List<String> lines = stdout().lines().toList();
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0)).startsWith("--key KEY_MISMATCH: ");
    assertThat(lines.get(1)).isEqualTo("--chain CHAIN_ORDER: the chain is out of order: the certificate"
        + " (CN=api.example.com) is issued by chain certificate #1 (CN=Demo Issuing CA), but is followed by CN=Demo"
        + " Root CA; list each certificate's issuer right after it, from the certificate's issuer up to the root");
    assertThat(lines.get(2)).isEqualTo("--domain DOMAIN_NOT_COVERED: the certificate does not cover www.example.com:"
        + " its DNS subjectAltNames are api.example.com; a wildcard covers exactly one leftmost label. Get a"
        + " certificate with www.example.com in its subjectAltName, or set --domain to a name it covers");
    assertThat(lines.get(3)).startsWith("NOTE: ");
    assertThat(lines.get(4)).isEqualTo("NOT VALID: 3 problems; with them, ACM or API Gateway would refuse this"
        + " certificate, or TLS clients would refuse connections to the custom domain.");
    for (String property : List.of("CertificatePem", "ChainPem", "PrivateKey", "DomainName")) {
      assertThat(stdout()).doesNotContain(property);
    }
    assertNoKeyLine(stdout() + err, other.privateKeyPem());
  }

  @Test
  void aStrayChainCertificateIsNamedAndAMatchingSecp256k1KeyIsNoMismatch() throws IOException {
    run("certificate", "check", "--cert", file("cert.pem", server.pem()).toString(),
        "--key", file("key.pem", server.privateKeyPem()).toString(),
        "--chain", file("chain.pem", other.pem()).toString(), "--domain", "api.example.com");
    assertThat(stdout()).contains("--chain CHAIN_INCOMPLETE: chain certificate #0 (CN=other) is not the issuer of the"
        + " certificate (CN=api.example.com): that is CN=Demo Issuing CA, which is not in the chain.");

    out.reset();
    TestPki.Issued k1 = TestPki.at(Instant.now()).certificate("CN=api.example.com").ca(false)
        .key(TestPki.KeySpec.ec("secp256k1")).dnsNames("api.example.com").selfSigned();
    assertThat(run("certificate", "check", "--cert", file("k1.pem", k1.pem()).toString(),
        "--key", file("k1-key.pem", k1.privateKeyPem()).toString(), "--domain", "api.example.com")).isEqualTo(1);
    assertThat(stdout()).startsWith("--cert KEY_TYPE_UNSUPPORTED: the certificate's key is EC secp256k1;")
        .doesNotContain("KEY_MISMATCH");
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
    assertThat(problem.get("input").asText()).isEqualTo("--key");
    assertThat(problem.get("code").asText()).isEqualTo("KEY_ENCRYPTED");
    assertThat(problem.get("message").asText()).contains("encrypted");
    assertThat(stdout().trim().lines()).hasSize(1);
    assertNoKeyLine(stdout() + err, key);

    out.reset();
    assertThat(run("certificate", "check", "--json", "--cert", dir.resolve("cert.pem").toString(),
        "--key", file("good.pem", server.privateKeyPem()).toString(), "--domain", "api.example.com")).isZero();
    JsonNode valid = JSON.readTree(stdout());
    assertThat(valid.get("valid").asBoolean()).isTrue();
    assertThat(valid.get("problems")).isEmpty();
    assertThat(valid.get("warnings")).hasSize(1);
    assertThat(valid.get("warnings").get(0).get("input").asText()).isEqualTo("--chain");
    assertThat(valid.get("warnings").get(0).get("code").asText()).isEqualTo("CHAIN_NOT_GIVEN");
    assertThat(valid.get("notes")).hasSize(1);
    assertThat(valid.get("notes").get(0).asText()).isEqualTo(CertificateCommand.OWNERSHIP_NOTE);
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
      assertThat(stdout().lines().toList()).first().asString().startsWith("--chain PEM_INVALID: --chain is empty");
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
      assertThat(stdout()).startsWith("--domain DOMAIN_NAME_INVALID: --domain '" + domain + "' ")
          .doesNotContain("DOMAIN_NOT_COVERED");
    }
  }

  @Test
  void helpDescribesTheCommand() {
    assertThat(run("help")).isZero();
    assertThat(stdout()).contains("mtls certificate check --cert FILE --key FILE [--chain FILE] --domain NAME")
        .contains("KEY_TYPE_UNSUPPORTED  not RSA 2048 or EC P-256/P-384").doesNotContain("2048-4096")
        .contains("Exit status: 0 no problems (warnings allowed), 1 problems found")
        .contains("CHAIN_NOT_GIVEN").contains("OwnershipVerificationCertificateArn")
        .doesNotContain("CertificatePem (--cert)");
  }

  private static void assertNoKeyLine(String output, String key) {
    Arrays.stream(key.split("\n")).filter(line -> !line.startsWith("-----"))
        .forEach(line -> assertThat(output).doesNotContain(line));
  }
}
