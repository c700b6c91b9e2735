package com.mtlsgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.mtlsgateway.cli.LocalHttps.ClientAuth;
import com.mtlsgateway.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code mtls smoke} against local HTTPS servers with real certificates: one that needs a client certificate (an
 * API Gateway mutual TLS domain), one that never asks for one (also playing the execute-api endpoint, disabled or
 * not), and one that asks but answers 403 over HTTP when none comes.
 */
class SmokeCommandTest {

  private static LocalHttps.Pki pki;
  /** Needs a client certificate: /healthcheck 200, /error 500. */
  private static LocalHttps mtls;
  /** Never asks for one: /healthcheck 200, /prod/ 403 Forbidden, /open/ 200, /mat/ 403 Missing Authentication Token. */
  private static LocalHttps open;
  /** Asks for one, completes the handshake without, then answers 403 (API Gateway's body, or a backend's). */
  private static LocalHttps want;

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  /** Every private key PEM written by a test: its lines must never appear in the output. */
  private final List<String> keyFiles = new ArrayList<>();

  @BeforeAll
  static void startServers() throws Exception {
    pki = new LocalHttps.Pki();
    mtls = LocalHttps.start(pki, ClientAuth.NEED, Map.of(
        "/healthcheck", LocalHttps.answer(200, LocalHttps.HEALTH_OK),
        "/error", LocalHttps.answer(500, "{\"message\":\"Internal server error\"}")));
    open = LocalHttps.start(pki, ClientAuth.NONE, Map.of(
        "/healthcheck", LocalHttps.answer(200, LocalHttps.HEALTH_OK),
        "/prod/", LocalHttps.answer(403, LocalHttps.FORBIDDEN),
        "/open/", LocalHttps.answer(200, "{\"hello\":\"world\"}"),
        "/mat/", LocalHttps.answer(403, "{\"message\":\"Missing Authentication Token\"}")));
    want = LocalHttps.start(pki, ClientAuth.WANT, Map.of(
        "/healthcheck", LocalHttps.forbiddenWithoutCertificate(LocalHttps.FORBIDDEN),
        "/backend-403", LocalHttps.forbiddenWithoutCertificate("{\"error\":\"no client certificate header\"}")));
  }

  @AfterAll
  static void stopServers() {
    for (LocalHttps server : new LocalHttps[] {mtls, open, want}) {
      if (server != null) {
        server.close();
      }
    }
  }

  // ---- helpers

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private Path key(String name, String pem) throws IOException {
    keyFiles.add(pem);
    return write(name, pem);
  }

  private Path serverCa() throws IOException {
    return write("server-ca.pem", pki.serverCa.pem());
  }

  private Path cert(TestPki.Issued leaf) throws IOException {
    return write("client.pem", pki.clientChainPem(leaf));
  }

  /** Runs {@code mtls smoke ARGS} through Main; checks that no line of any key file reached stdout or stderr. */
  private int smoke(Object... args) {
    List<String> words = new ArrayList<>(List.of("smoke"));
    for (Object arg : args) {
      words.add(arg.toString());
    }
    int status = Main.run(words.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String all = stdout() + stderr();
    for (String pem : keyFiles) {
      for (String line : pem.split("\n")) {
        if (!line.isBlank() && !line.startsWith("-----") && !line.contains(":")) {
          assertThat(all).as("output holds a line of a private key").doesNotContain(line.strip());
        }
      }
    }
    return status;
  }

  /** Smoke against the mTLS server's /healthcheck and the disabled execute-api stand-in, with this cert and key. */
  private int smokeAll(Path cert, Path key) throws IOException {
    return smoke("--url", mtls.url("/healthcheck"), "--cert", cert, "--key", key,
        "--execute-api-url", open.url("/prod/"), "--ca", serverCa(), "--timeout", 5);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private List<String> lines() {
    return stdout().lines().toList();
  }

  private String line(String prefix) {
    return lines().stream().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseGet(() -> fail("no line starting with '%s' in:%n%s%nstderr:%n%s", prefix, stdout(), stderr()));
  }

  /** Runs openssl in the test directory; a missing openssl fails the test with how to install it. */
  private void openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("openssl is needed to make PKCS#1 and SEC1 keys as openssl does: install it"
          + " (Debian/Ubuntu: apt-get install openssl; macOS: brew install openssl)", e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("openssl finished").isTrue();
    assertThat(process.exitValue()).as("openssl %s: %s", String.join(" ", args), output).isZero();
  }

  private String readKey(String name) throws IOException {
    String pem = Files.readString(dir.resolve(name));
    keyFiles.add(pem);
    return pem;
  }

  // ---- the three checks

  @Test
  void allChecksPassAgainstAnMtlsServerAndADisabledEndpoint() throws IOException {
    int status = smokeAll(cert(pki.client), key("client.key", pki.client.privateKeyPem()));

    assertThat(lines()).as("stderr:%n%s", stderr()).hasSize(4);
    assertThat(line("PASS with-certificate: GET " + mtls.url("/healthcheck") + " -> HTTP 200 in "))
        .endsWith("ms: " + LocalHttps.HEALTH_OK);
    assertThat(line("PASS without-certificate: GET " + mtls.url("/healthcheck") + " without a client certificate"))
        .contains("refused at the TLS handshake");
    assertThat(line("PASS execute-api: GET " + open.url("/prod/") + " -> HTTP 403 in "))
        .contains(LocalHttps.FORBIDDEN).contains("disabled default endpoint");
    assertThat(lines().get(3)).isEqualTo("smoke: all 3 checks passed");
    assertThat(status).isZero();
    assertThat(stderr()).contains("client certificate CN=smoke-client, issued by CN=Smoke Client Intermediate CA")
        .contains("sent with 1 chain certificate");
  }

  @ParameterizedTest
  @ValueSource(strings = {"EC", "RSA"})
  void overTls12TheHandshakeItselfFails(String keyType) throws Exception {
    TestPki.Issued leaf = keyType.equals("RSA") ? pki.clientCertificate(TestPki.KeySpec.RSA_2048) : pki.client;
    try (LocalHttps tls12 = LocalHttps.start(pki, ClientAuth.NEED,
        Map.of("/healthcheck", LocalHttps.answer(200, LocalHttps.HEALTH_OK)), "TLSv1.2")) {
      int status = smoke("--url", tls12.url("/healthcheck"), "--cert", cert(leaf),
          "--key", key("client.key", leaf.privateKeyPem()), "--ca", serverCa());

      assertThat(status).as("stdout:%n%s%nstderr:%n%s", stdout(), stderr()).isZero();
      assertThat(line("PASS with-certificate: ")).contains("HTTP 200");
      // The handshake itself fails (SSLHandshakeException), rather than the connection closing after it.
      assertThat(line("PASS without-certificate: ")).contains("refused at the TLS handshake (")
          .doesNotContain("before any HTTP response");
    }
  }

  @Test
  void withoutExecuteApiUrlThatCheckIsSkipped() throws IOException {
    int status = smoke("--url", mtls.url("/healthcheck"), "--cert", cert(pki.client),
        "--key", key("client.key", pki.client.privateKeyPem()), "--ca", serverCa());

    assertThat(status).as("stdout:%n%s%nstderr:%n%s", stdout(), stderr()).isZero();
    assertThat(line("SKIP execute-api: no --execute-api-url given"));
    assertThat(line("smoke: ")).isEqualTo("smoke: all 2 checks passed");
  }

  @Test
  void aServerThatServesClientsWithoutACertificateFails() throws IOException {
    int status = smoke("--url", open.url("/healthcheck"), "--cert", cert(pki.client),
        "--key", key("client.key", pki.client.privateKeyPem()), "--ca", serverCa(),
        "--execute-api-url", open.url("/prod/"));

    assertThat(status).isEqualTo(1);
    assertThat(line("PASS with-certificate: "));
    assertThat(line("FAIL without-certificate: GET " + open.url("/healthcheck") + " without a client certificate"
        + " -> HTTP 200 in ")).contains(LocalHttps.HEALTH_OK).contains("mutual TLS is not enforced");
    assertThat(line("PASS execute-api: "));
    assertThat(line("smoke: ")).isEqualTo("smoke: 1 of 3 checks failed");
  }

  @Test
  void apiGatewaysHttp403WithoutACertificateCountsAsRefusedAndSaysSo() throws IOException {
    int status = smoke("--url", want.url("/healthcheck"), "--cert", cert(pki.client),
        "--key", key("client.key", pki.client.privateKeyPem()), "--ca", serverCa());

    assertThat(status).isEqualTo(0);
    assertThat(line("PASS with-certificate: "));
    assertThat(line("PASS without-certificate: ")).contains("-> HTTP 403 in ").contains(LocalHttps.FORBIDDEN)
        .contains("after the TLS handshake").doesNotContain("refused at the TLS handshake");
  }

  @Test
  void anotherHttp403WithoutACertificateFails() throws IOException {
    int status = smoke("--url", want.url("/backend-403"), "--cert", cert(pki.client),
        "--key", key("client.key", pki.client.privateKeyPem()), "--ca", serverCa());

    assertThat(status).isEqualTo(1);
    assertThat(line("FAIL without-certificate: ")).contains("-> HTTP 403 in ")
        .contains("no client certificate header").contains("not API Gateway's");
  }

  @Test
  void aHealthcheckAnswering500Fails() throws IOException {
    int status = smoke("--url", mtls.url("/error"), "--cert", cert(pki.client),
        "--key", key("client.key", pki.client.privateKeyPem()), "--ca", serverCa());

    assertThat(status).isEqualTo(1);
    assertThat(line("FAIL with-certificate: GET " + mtls.url("/error") + " -> HTTP 500 in "))
        .contains("Internal server error").contains("expected a 2xx");
    assertThat(line("PASS without-certificate: "));
  }

  @Test
  void anExecuteApiEndpointAnswering200Fails() throws IOException {
    int status = smoke("--url", mtls.url("/healthcheck"), "--cert", cert(pki.client),
        "--key", key("client.key", pki.client.privateKeyPem()), "--ca", serverCa(),
        "--execute-api-url", open.url("/open/"));

    assertThat(status).isEqualTo(1);
    assertThat(line("FAIL execute-api: GET " + open.url("/open/") + " -> HTTP 200 in "))
        .contains("DisableExecuteApiEndpoint");
    assertThat(line("smoke: ")).isEqualTo("smoke: 1 of 3 checks failed");
  }

  @Test
  void anExecuteApi403WithAnotherBodyFails() throws IOException {
    int status = smoke("--url", mtls.url("/healthcheck"), "--cert", cert(pki.client),
        "--key", key("client.key", pki.client.privateKeyPem()), "--ca", serverCa(),
        "--execute-api-url", open.url("/mat/"));

    assertThat(status).isEqualTo(1);
    assertThat(line("FAIL execute-api: ")).contains("HTTP 403").contains("Missing Authentication Token")
        .contains("not the {\"message\":\"Forbidden\"}");
  }

  @Test
  void anExecuteApiUrlWhereNothingListensCountsAsRefused() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    int status = smoke("--url", mtls.url("/healthcheck"), "--cert", cert(pki.client),
        "--key", key("client.key", pki.client.privateKeyPem()), "--ca", serverCa(),
        "--execute-api-url", "https://127.0.0.1:" + port + "/prod/");

    assertThat(status).as("stdout:%n%s", stdout()).isZero();
    assertThat(line("PASS execute-api: ")).contains("nothing accepts connections at 127.0.0.1:" + port);
  }

  @Test
  void aRefusedClientCertificateIsSentToClientCheckForItsReason() {
    SmokeCommand.Check check = SmokeCommand.withCertificate(java.net.URI.create("https://127.0.0.1:8443/"),
        new HttpsProbe.Answer(403, LocalHttps.FORBIDDEN.getBytes(StandardCharsets.UTF_8), false, 12));

    assertThat(check.line()).startsWith("FAIL with-certificate: ")
        .contains("run `mtls client check --truststore BUNDLE --cert CLIENT`");
  }

  @Test
  void aServerThatIsNotRunningIsSaidSo() {
    SmokeCommand.Check check = SmokeCommand.withCertificate(java.net.URI.create("https://127.0.0.1:18599/"),
        new HttpsProbe.Failure(HttpsProbe.Kind.CONNECTION_REFUSED, "Connection refused", 1));

    assertThat(check.line()).startsWith("FAIL with-certificate: ")
        .contains("nothing accepts connections at 127.0.0.1:18599 (Connection refused): is the server running, and"
            + " are the URL's host and port right?");
  }

  @Test
  void anExecuteApiNameThatDoesNotResolveCountsAsRefused() throws IOException {
    int status = smoke("--url", mtls.url("/healthcheck"), "--cert", cert(pki.client),
        "--key", key("client.key", pki.client.privateKeyPem()), "--ca", serverCa(), "--timeout", 5,
        "--execute-api-url", "https://abcdef1234.execute-api.no-such-region.invalid/prod/");

    assertThat(status).as("stdout:%n%s", stdout()).isZero();
    assertThat(line("PASS execute-api: "))
        .contains("the name abcdef1234.execute-api.no-such-region.invalid does not resolve");
  }

  @Test
  void aClientCertificateTheServerDoesNotTrustIsRefusedAtTheHandshake() throws IOException {
    TestPki.Issued otherCa = pki.pki.certificate("CN=Unknown CA").selfSigned();
    TestPki.Issued stranger = pki.pki.certificate("CN=stranger").ca(false).issuedBy(otherCa);
    int status = smoke("--url", mtls.url("/healthcheck"), "--cert", write("stranger.pem", stranger.pem()),
        "--key", key("stranger.key", stranger.privateKeyPem()), "--ca", serverCa());

    assertThat(status).isEqualTo(1);
    assertThat(line("FAIL with-certificate: ")).contains("refused at the TLS handshake")
        .contains("in the truststore");
    assertThat(line("PASS without-certificate: "));
  }

  @Test
  void aServerCertificateThisMachineDoesNotTrustFailsAndSuggestsCa() throws IOException {
    int status = smoke("--url", mtls.url("/healthcheck"), "--cert", cert(pki.client),
        "--key", key("client.key", pki.client.privateKeyPem()));

    assertThat(status).isEqualTo(1);
    assertThat(line("FAIL with-certificate: ")).contains("does not trust the server's certificate")
        .contains("--ca");
    assertThat(line("FAIL without-certificate: ")).contains("cannot tell");
  }

  @Test
  void aServerThatNeverAnswersTimesOutWithinTheTimeout() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      List<Socket> held = new ArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(silent.accept());
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      long start = System.nanoTime();
      int status = smoke("--url", "https://127.0.0.1:" + silent.getLocalPort() + "/healthcheck",
          "--cert", cert(pki.client), "--key", key("client.key", pki.client.privateKeyPem()),
          "--ca", serverCa(), "--timeout", 1);
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

      assertThat(status).isEqualTo(1);
      assertThat(line("FAIL with-certificate: ")).contains("within 1 s");
      assertThat(line("FAIL without-certificate: ")).contains("cannot tell").contains("within 1 s");
      assertThat(seconds).as("two requests of at most about 1 s each").isLessThan(6);
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  // ---- key formats: what openssl and CAs hand out

  @Test
  void aPkcs1RsaKeyFromOpensslLoads() throws Exception {
    TestPki.Issued rsaClient = pki.clientCertificate(TestPki.KeySpec.RSA_2048);
    key("pkcs8.pem", rsaClient.privateKeyPem());
    openssl("rsa", "-in", "pkcs8.pem", "-traditional", "-out", "pkcs1.pem");
    assertThat(readKey("pkcs1.pem")).startsWith("-----BEGIN RSA PRIVATE KEY-----");

    assertThat(smokeAll(cert(rsaClient), dir.resolve("pkcs1.pem"))).as("stdout:%n%s%nstderr:%n%s", stdout(), stderr())
        .isZero();
  }

  @Test
  void aPkcs8RsaKeyLoads() throws IOException {
    TestPki.Issued rsaClient = pki.clientCertificate(TestPki.KeySpec.RSA_2048);

    assertThat(smokeAll(cert(rsaClient), key("client.key", rsaClient.privateKeyPem())))
        .as("stdout:%n%s%nstderr:%n%s", stdout(), stderr()).isZero();
  }

  @Test
  void aSec1EcP256KeyFromOpensslLoads() throws Exception {
    key("pkcs8.pem", pki.client.privateKeyPem());
    openssl("ec", "-in", "pkcs8.pem", "-out", "sec1.pem");
    assertThat(readKey("sec1.pem")).startsWith("-----BEGIN EC PRIVATE KEY-----");

    assertThat(smokeAll(cert(pki.client), dir.resolve("sec1.pem")))
        .as("stdout:%n%s%nstderr:%n%s", stdout(), stderr()).isZero();
  }

  @Test
  void aSec1KeyAfterAnEcParametersBlockLoads() throws Exception {
    // `openssl ecparam -name prime256v1 -genkey` writes an EC PARAMETERS block, then the EC PRIVATE KEY.
    key("pkcs8.pem", pki.client.privateKeyPem());
    openssl("ec", "-in", "pkcs8.pem", "-out", "sec1.pem");
    openssl("ecparam", "-name", "prime256v1", "-out", "params.pem");
    Path key = key("key.pem", Files.readString(dir.resolve("params.pem")) + readKey("sec1.pem"));

    assertThat(smokeAll(cert(pki.client), key)).as("stdout:%n%s%nstderr:%n%s", stdout(), stderr()).isZero();
  }

  @Test
  void aSec1KeyWithoutItsCurveTakesTheCertificatesCurve() throws IOException {
    // The JDK's own EC encoding leaves the optional [0] parameters out of the inner ECPrivateKey.
    byte[] sec1 = PrivateKeyInfo.getInstance(pki.client.keyPair().getPrivate().getEncoded()).getPrivateKey()
        .getOctets();
    Path key = key("sec1.pem", TestPki.pem("EC PRIVATE KEY", sec1));

    assertThat(smokeAll(cert(pki.client), key)).as("stdout:%n%s%nstderr:%n%s", stdout(), stderr()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "pkcs8 -topk8 -v2 aes-256-cbc -passout pass:secret",
      "ec -aes256 -passout pass:secret"})
  void anEncryptedKeyExits2WithHowToDecryptIt(String command) throws Exception {
    key("plain.pem", pki.client.privateKeyPem());
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    args.addAll(List.of("-in", "plain.pem", "-out", "encrypted.pem"));
    openssl(args.toArray(new String[0]));
    Path encrypted = dir.resolve("encrypted.pem");
    readKey("encrypted.pem");

    int status = smoke("--url", mtls.url("/healthcheck"), "--cert", cert(pki.client), "--key", encrypted,
        "--ca", serverCa());

    assertThat(status).isEqualTo(2);
    assertThat(stdout()).isEmpty();
    assertThat(stderr()).contains("mtls: " + encrypted + " is encrypted")
        .contains("`openssl pkey -in " + encrypted + " -out plain.pem`");
  }

  @Test
  void aLegacyEncryptedPkcs1KeyExits2WithHowToDecryptIt() throws Exception {
    TestPki.Issued rsaClient = pki.clientCertificate(TestPki.KeySpec.RSA_2048);
    key("plain.pem", rsaClient.privateKeyPem());
    openssl("rsa", "-in", "plain.pem", "-traditional", "-aes256", "-passout", "pass:secret", "-out", "enc.pem");
    assertThat(readKey("enc.pem")).contains("Proc-Type: 4,ENCRYPTED");

    int status = smoke("--url", mtls.url("/healthcheck"), "--cert", cert(rsaClient), "--key", dir.resolve("enc.pem"));

    assertThat(status).isEqualTo(2);
    assertThat(stderr()).contains("is encrypted (RSA PRIVATE KEY, Proc-Type ENCRYPTED)").contains("openssl pkey -in");
  }

  @Test
  void theKeyOfAnotherCertificateExits2() throws IOException {
    TestPki.Issued other = pki.clientCertificate(TestPki.KeySpec.EC_P256);
    int status = smoke("--url", mtls.url("/healthcheck"), "--cert", cert(pki.client),
        "--key", key("other.key", other.privateKeyPem()), "--ca", serverCa());

    assertThat(status).isEqualTo(2);
    assertThat(stdout()).isEmpty();
    assertThat(stderr()).contains("does not match the client certificate in " + dir.resolve("client.pem"));
  }

  @Test
  void anRsaKeyForAnEcCertificateExits2() throws IOException {
    TestPki.Issued rsaClient = pki.clientCertificate(TestPki.KeySpec.RSA_2048);
    int status = smoke("--url", mtls.url("/healthcheck"), "--cert", cert(pki.client),
        "--key", key("rsa.key", rsaClient.privateKeyPem()));

    assertThat(status).isEqualTo(2);
    assertThat(stderr()).contains("does not match").contains("the key is RSA, the certificate's key is EC");
  }

  @Test
  void theChainFirstAndTheClientCertificateLastExits2() throws IOException {
    Path reversed = write("reversed.pem", TestPki.bundle(pki.clientIntermediate, pki.client));
    int status = smoke("--url", mtls.url("/healthcheck"), "--cert", reversed,
        "--key", key("client.key", pki.client.privateKeyPem()));

    assertThat(status).isEqualTo(2);
    assertThat(stderr()).contains("does not match").contains("the client certificate must come first");
  }

  @Test
  void aDamagedKeyExits2WithoutPrintingIt() throws IOException {
    String pem = pki.client.privateKeyPem();
    String[] lines = pem.split("\n");
    lines[1] = "AAAA" + lines[1].substring(4); // changes the DER's outer tag and length
    Path key = key("damaged.key", String.join("\n", lines) + "\n");

    int status = smoke("--url", mtls.url("/healthcheck"), "--cert", cert(pki.client), "--key", key);

    assertThat(status).isEqualTo(2);
    assertThat(stderr()).contains(key + ": the PRIVATE KEY block is not a valid key");
  }

  @Test
  void swappedCertificateAndKeyExit2AndSaySo() throws IOException {
    Path cert = cert(pki.client);
    Path key = key("client.key", pki.client.privateKeyPem());

    int status = smoke("--url", mtls.url("/healthcheck"), "--cert", key, "--key", cert);

    assertThat(status).isEqualTo(2);
    assertThat(stderr()).contains("are --cert and --key swapped?");
  }

  @Test
  void aKeyGivenAsCaExit2SayingCaHoldsCertificatesOnly() throws IOException {
    Path key = key("client.key", pki.client.privateKeyPem());

    int status = smoke("--url", mtls.url("/healthcheck"), "--cert", cert(pki.client), "--key", key, "--ca", key);

    assertThat(status).isEqualTo(2);
    assertThat(stderr()).contains("(--ca) holds no -----BEGIN CERTIFICATE----- block but a private key: it must hold"
        + " certificates only").doesNotContain("swapped");
  }

  @Test
  void unreadableFilesExit2() throws IOException {
    Path cert = cert(pki.client);
    Path key = key("client.key", pki.client.privateKeyPem());
    Path missing = dir.resolve("missing.pem");

    assertThat(smoke("--url", mtls.url("/healthcheck"), "--cert", missing, "--key", key)).isEqualTo(2);
    assertThat(smoke("--url", mtls.url("/healthcheck"), "--cert", cert, "--key", missing)).isEqualTo(2);
    assertThat(smoke("--url", mtls.url("/healthcheck"), "--cert", cert, "--key", key, "--ca", missing)).isEqualTo(2);
    assertThat(smoke("--url", mtls.url("/healthcheck"), "--cert", cert, "--key", key, "--ca", key)).isEqualTo(2);
    assertThat(stdout()).isEmpty();
    assertThat(stderr()).contains("cannot read " + missing + ": no such file")
        .contains(key + " (--ca) holds no -----BEGIN CERTIFICATE----- block");
  }
}
