package com.mtlsgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mtlsgateway.testing.TestCrl;
import com.mtlsgateway.testing.TestPki;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code mtls client check} through {@link Main}, on real certificates. */
class ClientCheckCommandTest extends CommandTestSupport {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.now();
  private static TestPki.Issued root;
  private static TestPki.Issued issuing;
  private static TestPki.Issued client;
  private static TestPki.Issued other;

  @BeforeAll
  static void makeCertificates() {
    TestPki pki = TestPki.at(NOW);
    root = pki.certificate("CN=Demo Root CA").selfSigned();
    issuing = pki.certificate("CN=Demo Issuing CA").issuedBy(root);
    client = TestCrl.client(issuing, NOW, BigInteger.valueOf(7)).subject("CN=client.example.com").build();
    other = pki.certificate("CN=other").ca(false).issuedBy(issuing);
  }

  @Test
  void anAcceptedClientPrintsItsPathAndExitsZero() throws Exception {
    int status = run("client", "check", "--truststore", truststore().toString(), "--cert",
        file("client.pem", client.pem()).toString(), "--key", file("key.pem", client.privateKeyPem()).toString());

    assertThat(status).isZero();
    assertThat(stdout().lines()).containsExactly(
        "PATH 'CN=client.example.com' issued by 'CN=Demo Issuing CA' issued by 'CN=Demo Root CA'",
        "ACCEPTED: API Gateway would accept 'CN=client.example.com' (2 CAs to the root 'CN=Demo Root CA');"
            + " revocation not checked (no --crl)");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aRefusedClientPrintsOneLinePerProblemAndAWholeVerdict() throws Exception {
    int status = run("client", "check", "--truststore=" + file("root.pem", root.pem()), "--cert",
        file("client.pem", client.pem() + issuing.pem()).toString(), "--key",
        file("key.pem", other.privateKeyPem()).toString());

    assertThat(status).isEqualTo(1);
    List<String> lines = stdout().lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("KEY_MISMATCH client certificate 'CN=client.example.com': the private key is"
        + " not this certificate's");
    assertThat(lines.get(1)).startsWith("ISSUER_NOT_FOUND client certificate 'CN=client.example.com': its issuer"
        + " 'CN=Demo Issuing CA' is not in the truststore").contains("The client sends it", "add it to the truststore");
    assertThat(lines.get(2)).isEqualTo("PATH 'CN=client.example.com'");
    assertThat(lines.get(3)).isEqualTo("REFUSED: API Gateway would refuse 'CN=client.example.com' (KEY_MISMATCH,"
        + " ISSUER_NOT_FOUND): the TLS handshake is refused; execution log: \"Access denied. Reason: Could not find"
        + " issuer for certificate\"");
  }

  @Test
  void jsonHasTheDocumentedShape() throws Exception {
    Path crl = Files.write(dir.resolve("issuing.crl"), TestCrl.by(issuing, NOW).revoke(BigInteger.valueOf(7)).der());

    int status = run("client", "check", "--json", "--truststore", truststore().toString(), "--cert",
        file("client.pem", client.pem()).toString(), "--crl", crl.toString());

    assertThat(status).isEqualTo(1);
    JsonNode json = JSON.readTree(stdout());
    assertThat(json.size()).isEqualTo(3);
    assertThat(json.get("accepted").asBoolean(true)).isFalse();
    assertThat(json.get("path").toString())
        .isEqualTo("[\"CN=client.example.com\",\"CN=Demo Issuing CA\",\"CN=Demo Root CA\"]");
    assertThat(json.get("problems")).hasSize(1);
    assertThat(json.get("problems").get(0).get("code").asText()).isEqualTo("REVOKED");
    assertThat(json.get("problems").get(0).get("message").asText()).contains("serial 7 is revoked");
  }

  @Test
  void aRevokedClientIsDeniedByTheAuthorizerAndAnotherOneAccepted() throws Exception {
    Path crl = Files.write(dir.resolve("issuing.crl"), TestCrl.by(issuing, NOW).revoke(BigInteger.valueOf(7)).der());

    assertThat(run("client", "check", "--truststore", truststore().toString(), "--cert",
        file("client.pem", client.pem()).toString(), "--crl", crl.toString())).isEqualTo(1);
    assertThat(stdout()).contains("REFUSED: API Gateway would refuse 'CN=client.example.com' (REVOKED): the"
        + " revocation authorizer denies it with 403 (check revoked)");
    out.reset();
    assertThat(run("client", "check", "--truststore", truststore().toString(), "--cert",
        file("other.pem", other.pem()).toString(), "--crl=" + crl)).isZero();
    assertThat(stdout()).endsWith("; not revoked\n");
  }

  @Test
  void severalCrlsFollowOneFlag() throws Exception {
    TestPki.Issued second = TestPki.at(NOW).certificate("CN=Second CA").selfSigned();
    Path first = Files.write(dir.resolve("issuing.crl"), TestCrl.by(issuing, NOW).der());
    Path other = Files.writeString(dir.resolve("second.crl"), TestCrl.by(second, NOW).pem());

    int status = run("client", "check", "--truststore", file("t.pem", TestPki.bundle(root, issuing, second))
        .toString(), "--crl", first.toString(), other.toString(), "--cert", file("c.pem", client.pem()).toString());

    assertThat(status).isZero();
  }

  @Test
  void unusableFilesExitTwoNamingTheFlag() throws Exception {
    Path cert = file("client.pem", client.pem());

    assertThat(run("client", "check", "--truststore", dir.resolve("none.pem").toString(), "--cert",
        cert.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("mtls: --truststore " + dir.resolve("none.pem")
        + ": cannot read it: no such file\n");
    err.reset();
    assertThat(run("client", "check", "--truststore", truststore().toString(), "--cert",
        file("key-only.pem", client.privateKeyPem()).toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("(--cert) holds no -----BEGIN CERTIFICATE----- block"
        + " but a private key");
    err.reset();
    assertThat(run("client", "check", "--truststore", truststore().toString(), "--cert", cert.toString(), "--key",
        cert.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("mtls: --key " + cert + " holds no private key");
    err.reset();
    assertThat(run("client", "check", "--truststore", truststore().toString(), "--cert", cert.toString(), "--crl",
        file("bad.crl", "not a CRL").toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("mtls: --crl: CRL_UNREADABLE ");
    assertThat(stdout()).isEmpty();
  }

  private Path truststore() throws Exception {
    return file("truststore.pem", TestPki.bundle(root, issuing));
  }
}
