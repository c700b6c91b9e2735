package com.mtlsgateway.cli;

import static com.mtlsgateway.cli.OpensslPki.Key.EC;
import static com.mtlsgateway.cli.OpensslPki.Key.RSA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mtls client check} run as a process, on CAs and clients that openssl makes as a CA operator would:
 * accepted paths of up to four CAs, a chain five CAs deep, a SHA-1-signed client, an intermediate only the client
 * sends, an expired client, a self-signed one, a revoked one with {@code --crl}, a key that does not match.
 */
class ClientCheckCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Generous: the first run of bin/mtls may build the jar with Maven. */
  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final Path ROOT = Command.projectRoot();
  private static final String MTLS = ROOT.resolve("bin/mtls").toString();

  @TempDir
  static Path dir;
  private static OpensslPki pki;

  /** Deep CA 1 (root) to Deep CA 5, a client of Deep CA 4 (4 CAs) and of Deep CA 5 (5 CAs); more below. */
  @BeforeAll
  static void makePki() throws Exception {
    pki = new OpensslPki(dir);
    pki.root("deep1", "/CN=Deep CA 1", "root_ca", 3650, EC);
    for (int level = 2; level <= 5; level++) {
      pki.issue("deep" + level, "/CN=Deep CA " + level, "deep" + (level - 1), "ca_ext", EC);
    }
    pki.issue("client4", "/CN=client of CA 4", "deep4", "client", EC);
    pki.issue("client5", "/CN=client of CA 5", "deep5", "client", EC);
    pki.root("rsa", "/CN=RSA Root CA", "root_ca", 3650, RSA);
    pki.issue("sha1", "/CN=sha1 client", "rsa", "client", RSA, "-md", "sha1");
    pki.issue("expired", "/CN=expired client", "deep2", "client", EC, "-startdate", "20200101000000Z", "-enddate",
        "20200201000000Z");
    pki.issue("revoked", "/CN=revoked client", "deep2", "client", EC);
    pki.issue("kept", "/CN=kept client", "deep2", "client", EC);
    pki.revoke("deep2", "revoked");
    pki.crl("deep2", "deep2.crl");
    pki.key("selfsigned", EC);
    pki.openssl("req", "-x509", "-new", "-config", "ca.cnf", "-key", "selfsigned.key", "-sha256", "-days", "30",
        "-subj", "/CN=self-signed client", "-out", "selfsigned.pem");
    pki.bundle("deep.pem", "deep1", "deep2", "deep3", "deep4", "deep5");
    pki.bundle("trust-root-only.pem", "deep1");
    pki.bundle("presented-with-intermediate.pem", "client4", "deep4");
  }

  @Test
  void aClientWhosePathHoldsFourCasIsAccepted() throws Exception {
    Command check = mtls("--truststore", file("deep.pem"), "--cert", file("client4.pem"), "--key",
        file("client4.key"));

    assertThat(check.exitCode()).as(check.transcript()).isZero();
    assertThat(check.stdout()).as(check.transcript()).isEqualTo("PATH 'CN=client of CA 4' issued by 'CN=Deep CA 4'"
        + " issued by 'CN=Deep CA 3' issued by 'CN=Deep CA 2' issued by 'CN=Deep CA 1'\n"
        + "ACCEPTED: API Gateway would accept 'CN=client of CA 4' (4 CAs to the root 'CN=Deep CA 1'); revocation not"
        + " checked (no --crl)\n");
    assertThat(check.stderr()).isEmpty();
  }

  @Test
  void aChainFiveCasDeepIsRefused() throws Exception {
    Command check = mtls("--truststore", file("deep.pem"), "--cert", file("client5.pem"));

    assertThat(check.exitCode()).as(check.transcript()).isEqualTo(1);
    assertThat(check.stdout()).as(check.transcript())
        .startsWith("CHAIN_TOO_DEEP client certificate 'CN=client of CA 5': its path to the root holds 5 CAs")
        .contains("\nREFUSED: API Gateway would refuse 'CN=client of CA 5' (CHAIN_TOO_DEEP): the TLS handshake is"
            + " refused; execution log: \"Access denied. Reason: certificate chain too long\" (wording not documented"
            + " by AWS)\n");
  }

  @Test
  void aSha1SignedClientIsRefusedInApiGatewaysWords() throws Exception {
    Command check = mtls("--truststore", file("rsa.pem"), "--cert", file("sha1.pem"));

    assertThat(check.exitCode()).as(check.transcript()).isEqualTo(1);
    assertThat(check.stdout()).as(check.transcript())
        .startsWith("INSECURE_SIGNATURE client certificate 'CN=sha1 client' is signed with SHA1withRSA (SHA-1 is"
            + " weaker than SHA-256)")
        .endsWith("REFUSED: API Gateway would refuse 'CN=sha1 client' (INSECURE_SIGNATURE): the TLS handshake is"
            + " refused; execution log: \"Access denied. Reason: Client cert using an insecure Signature"
            + " Algorithm\"\n");
  }

  @Test
  void anIntermediateOnlyTheClientSendsMustBeAddedToTheTruststore() throws Exception {
    Command check = mtls("--truststore", file("trust-root-only.pem"), "--cert",
        file("presented-with-intermediate.pem"));

    assertThat(check.exitCode()).as(check.transcript()).isEqualTo(1);
    assertThat(check.stdout()).as(check.transcript())
        .startsWith("ISSUER_NOT_FOUND client certificate 'CN=client of CA 4': its issuer 'CN=Deep CA 4' is not in"
            + " the truststore (\"Could not find issuer for certificate\"). The client sends it (certificate #1 of"
            + " those it presents), but API Gateway builds the path from the truststore only: add it to the"
            + " truststore, with its issuers up to the root\n")
        .contains("\nPATH 'CN=client of CA 4'\n")
        .endsWith("execution log: \"Access denied. Reason: Could not find issuer for certificate\"\n");
  }

  @Test
  void anExpiredClientIsRefused() throws Exception {
    Command check = mtls("--truststore", file("deep.pem"), "--cert", file("expired.pem"));

    assertThat(check.exitCode()).as(check.transcript()).isEqualTo(1);
    assertThat(check.stdout()).as(check.transcript())
        .startsWith("EXPIRED client certificate 'CN=expired client' expired on 2020-02-01T00:00:00Z: issue the"
            + " client a new certificate\n")
        .contains("REFUSED: API Gateway would refuse 'CN=expired client' (EXPIRED)");
  }

  @Test
  void aSelfSignedClientIsRefusedInApiGatewaysWords() throws Exception {
    Command check = mtls("--truststore", file("deep.pem"), "--cert", file("selfsigned.pem"));

    assertThat(check.exitCode()).as(check.transcript()).isEqualTo(1);
    assertThat(check.stdout()).as(check.transcript()).startsWith("SELF_SIGNED client certificate 'CN=self-signed"
        + " client' is self-signed").endsWith("\"Access denied. Reason: self signed certificate\"\n");
  }

  @Test
  void aClientRevokedByItsCasCrlIsDeniedAndItsSiblingAccepted() throws Exception {
    Command revoked = mtls("--truststore", file("deep.pem"), "--cert", file("revoked.pem"), "--crl",
        file("deep2.crl"));
    Command kept = mtls("--truststore", file("deep.pem"), "--cert", file("kept.pem"), "--crl", file("deep2.crl"));

    assertThat(revoked.exitCode()).as(revoked.transcript()).isEqualTo(1);
    assertThat(revoked.stdout()).as(revoked.transcript())
        .startsWith("REVOKED client certificate 'CN=revoked client': serial ")
        .contains(" is revoked by the CRL of truststore CA #1 'CN=Deep CA 2' (" + file("deep2.crl") + ")")
        .endsWith("REFUSED: API Gateway would refuse 'CN=revoked client' (REVOKED): the revocation authorizer denies"
            + " it with 403 (check revoked)\n");
    assertThat(kept.exitCode()).as(kept.transcript()).isZero();
    assertThat(kept.stdout()).endsWith("(2 CAs to the root 'CN=Deep CA 1'); not revoked\n");
  }

  @Test
  void aKeyOfAnotherClientIsAMismatch() throws Exception {
    Command check = mtls("--truststore", file("deep.pem"), "--cert", file("client4.pem"), "--key",
        file("client5.key"));

    assertThat(check.exitCode()).as(check.transcript()).isEqualTo(1);
    assertThat(check.stdout()).as(check.transcript())
        .startsWith("KEY_MISMATCH client certificate 'CN=client of CA 4': the private key is not this certificate's")
        .endsWith("(KEY_MISMATCH): the client cannot complete the TLS handshake with that key\n");
    assertThat(check.stdout() + check.stderr()).doesNotContain("PRIVATE KEY");
  }

  @Test
  void jsonHasTheDocumentedShape() throws Exception {
    Command accepted = mtls("--json", "--truststore", file("deep.pem"), "--cert", file("client4.pem"));
    Command refused = mtls("--truststore", file("deep.pem"), "--cert", file("expired.pem"), "--json");

    assertThat(accepted.exitCode()).as(accepted.transcript()).isZero();
    JsonNode json = JSON.readTree(accepted.stdout());
    assertThat(fieldNames(json)).containsExactly("accepted", "path", "problems");
    assertThat(json.get("accepted").booleanValue()).isTrue();
    assertThat(json.get("path").toString()).isEqualTo("[\"CN=client of CA 4\",\"CN=Deep CA 4\",\"CN=Deep CA 3\","
        + "\"CN=Deep CA 2\",\"CN=Deep CA 1\"]");
    assertThat(json.get("problems").isArray()).isTrue();
    assertThat(json.get("problems")).isEmpty();
    assertThat(refused.exitCode()).as(refused.transcript()).isEqualTo(1);
    JsonNode problem = JSON.readTree(refused.stdout()).get("problems").get(0);
    assertThat(fieldNames(problem)).containsExactly("code", "message");
    assertThat(problem.get("code").asText()).isEqualTo("EXPIRED");
    assertThat(refused.stdout().lines()).hasSize(1);
  }

  @Test
  void missingFilesAndBadUsageExit2() throws Exception {
    Command missing = mtls("--truststore", file("nope.pem"), "--cert", file("client4.pem"));
    Command noCert = mtls("--truststore", file("deep.pem"));

    assertThat(missing.exitCode()).as(missing.transcript()).isEqualTo(2);
    assertThat(missing.stdout()).isEmpty();
    assertThat(missing.stderr()).isEqualTo("mtls: --truststore " + file("nope.pem") + ": cannot read it: no such"
        + " file\n");
    assertThat(noCert.exitCode()).as(noCert.transcript()).isEqualTo(2);
    assertThat(noCert.stderr()).contains("client check needs --cert")
        .contains("mtls client check --truststore FILE --cert FILE [--key FILE] [--crl CRL_FILE...] [--json]");
  }

  /** The ```sh block of docs/client-check.md's "## Try it" section, pasted into {@code sh -e} as is. */
  @Test
  void theDocsTryItBlockWorksWhenPasted() throws Exception {
    String docs = Files.readString(ROOT.resolve("docs/client-check.md"), StandardCharsets.UTF_8);
    int section = docs.indexOf("\n## Try it\n");
    assertThat(section).as("docs/client-check.md has a ## Try it section").isPositive();
    Matcher block = Pattern.compile("(?s)\n```sh\n(.*?)\n```").matcher(docs);
    assertThat(block.find(section)).as("a ```sh block in ## Try it").isTrue();

    Command run = Command.run(ROOT, TIMEOUT, List.of("sh", "-e", "-c", block.group(1)));

    assertThat(run.exitCode()).as(run.transcript()).isZero();
    assertThat(run.stdout()).as(run.transcript())
        .contains("PATH 'CN=client.example.com' issued by 'CN=Demo Client CA'\n"
            + "ACCEPTED: API Gateway would accept 'CN=client.example.com' (1 CA to the root 'CN=Demo Client CA');"
            + " revocation not checked (no --crl)\n")
        .contains("{\"accepted\":false,\"path\":[\"CN=Demo Client CA\"],\"problems\":[{\"code\":\"SELF_SIGNED\"")
        .endsWith("refused: exit 1\n");
    assertThat(block.group(1)).as("keys stay out of the repository").contains("mktemp -d");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private static String file(String name) {
    return pki.file(name);
  }

  private static Command mtls(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(MTLS, "client", "check"));
    command.addAll(List.of(args));
    return Command.run(ROOT, TIMEOUT, command);
  }
}
