package com.mtlsgateway.cli;

import static com.mtlsgateway.cli.OpensslPki.Key.EC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code bin/mtls serve} as a process, with certificates made by openssl, a local backend that records what reaches
 * it, and real clients: curl (TLS 1.2 and 1.3), openssl s_client and {@code bin/mtls smoke}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServeCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Generous: the first run of bin/mtls may build the jar with Maven. */
  private static final Duration START_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final Path ROOT = Command.projectRoot();
  private static final String MTLS = ROOT.resolve("bin/mtls").toString();
  private static final Pattern READY = Pattern.compile("mtls: serving (https://127\\.0\\.0\\.1:(\\d+)/) -> ");
  private static final String FORBIDDEN = "{\"message\":\"Forbidden\"}";

  private Path dir;
  private OpensslPki pki;
  private HttpServer backend;
  private final List<Recorded> received = new CopyOnWriteArrayList<>();
  private Served serve;

  /** A request as the backend saw it. */
  record Recorded(String method, String target, Map<String, List<String>> headers, String body) {
    List<String> header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream()).toList();
    }
  }

  /** A running bin/mtls serve. */
  record Served(Process process, String url, Path stdout, Path stderr) {
    String stderrText() throws IOException {
      return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    String stdoutText() throws IOException {
      return Files.readString(stdout, StandardCharsets.UTF_8);
    }
  }

  @BeforeAll
  void makeCertificatesAndStart() throws Exception {
    dir = Files.createTempDirectory("serve-test");
    pki = new OpensslPki(dir);

    pki.root("server-ca", "/CN=Serve Test Server CA", "ca_ext", 30, EC);
    pki.issue("server", "/CN=localhost", "server-ca", "tls_server", EC, "-days", "30");

    pki.root("root", "/O=mtls-gateway test/CN=Serve Test Root CA", "ca_ext", 30, EC);
    pki.issue("intermediate", "/O=mtls-gateway test/CN=Serve Test Intermediate CA", "root", "ca_ext", EC, "-days",
        "30");
    pki.issue("client", "/O=mtls-gateway test/CN=serve-client", "intermediate", "tls_client", EC, "-days", "30");
    pki.issue("sha1-client", "/CN=sha1-client", "intermediate", "tls_client", EC, "-md", "sha1", "-days", "30");
    pki.issue("expired-client", "/CN=expired-client", "intermediate", "tls_client", EC, "-startdate",
        "20200101000000Z", "-enddate", "20200201000000Z");
    // An intermediate under the same root that the truststore does not hold.
    pki.issue("other-intermediate", "/CN=Serve Test Other Intermediate CA", "root", "ca_ext", EC, "-days", "30");
    pki.issue("orphan-client", "/CN=orphan-client", "other-intermediate", "tls_client", EC, "-days", "30");
    // Five CAs: the root and four intermediates, one more than API Gateway's depth limit.
    String issuer = "root";
    for (int level = 1; level <= 4; level++) {
      pki.issue("deep" + level, "/CN=Serve Test Deep CA " + level, issuer, "ca_ext", EC, "-days", "30");
      issuer = "deep" + level;
    }
    pki.issue("deep-client", "/CN=deep-client", "deep4", "tls_client", EC, "-days", "30");

    pki.bundle("truststore.pem", "root", "intermediate", "deep1", "deep2", "deep3", "deep4");
    pki.bundle("client-chain.pem", "client", "intermediate");
    pki.bundle("sha1-chain.pem", "sha1-client", "intermediate");
    pki.bundle("expired-chain.pem", "expired-client", "intermediate");
    pki.bundle("orphan-chain.pem", "orphan-client", "other-intermediate");
    pki.bundle("deep-intermediates.pem", "deep4", "deep3", "deep2", "deep1");
    pki.bundle("deep-chain.pem", "deep-client", "deep4", "deep3", "deep2", "deep1");

    backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      received.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
          Map.copyOf(exchange.getRequestHeaders()), body));
      byte[] answer = ("backend saw " + exchange.getRequestMethod() + " " + exchange.getRequestURI())
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    });
    backend.start();
    serve = start("http://127.0.0.1:" + backend.getAddress().getPort());
  }

  @AfterAll
  void stop() throws Exception {
    if (serve != null) {
      serve.process().destroy();
      serve.process().waitFor(30, TimeUnit.SECONDS);
    }
    if (backend != null) {
      backend.stop(0);
    }
    // The folder holds private keys: leave nothing behind.
    try (var files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Accepted clients
  // ------------------------------------------------------------------------------------------------------------

  @Test
  void curlOverTls12ReachesTheBackendWithTheClientCertificateHeaders() throws Exception {
    Curl answer = curl("/orders/42?expand=items", "--tlsv1.2", "--tls-max", "1.2", "--cert", file("client-chain.pem"),
        "--key", file("client.key"), "-X", "POST", "-H", "Content-Type: application/json", "--data", "{\"n\":1}");

    assertThat(answer.status()).as(answer.transcript()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("backend saw POST /orders/42?expand=items");
    Recorded request = backendRequest("/orders/42?expand=items");
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.body()).isEqualTo("{\"n\":1}");
    assertThat(request.header("Content-Type")).containsExactly("application/json");
    assertThat(request.header("X-Client-Cert-Subject")).containsExactly("CN=serve-client,O=mtls-gateway test");
    assertThat(request.header("X-Client-Cert-Issuer"))
        .containsExactly("CN=Serve Test Intermediate CA,O=mtls-gateway test");
    assertThat(request.header("X-Client-Cert-Serial")).containsExactly(opensslSerial("client"));
    assertThat(request.header("X-Client-Cert-Not-Before").get(0)).matches("[A-Z][a-z]{2} [ 123]\\d \\d\\d:\\d\\d:\\d\\d"
        + " \\d{4} GMT").isEqualTo(opensslDate("client", "-startdate"));
    assertThat(request.header("X-Client-Cert-Not-After")).containsExactly(opensslDate("client", "-enddate"));

    JsonNode line = accessLogLine(answer.requestId());
    assertThat(line.get("status").asText()).isEqualTo("200");
    assertThat(line.get("httpMethod").asText()).isEqualTo("POST");
    assertThat(line.get("path").asText()).isEqualTo("/orders/42");
    assertThat(line.get("integrationStatus").asText()).isEqualTo("200");
    assertThat(line.get("clientCertSubjectDN").asText()).isEqualTo("CN=serve-client,O=mtls-gateway test");
    assertThat(line.get("clientCertSerialNumber").asText()).isEqualTo(opensslSerial("client"));
    assertThat(line.get("errorMessage").asText()).isEqualTo("-");
  }

  @Test
  void curlOverTls13IsAcceptedToo() throws Exception {
    Curl answer = curl("/health", "--tlsv1.3", "--cert", file("client-chain.pem"), "--key", file("client.key"));

    assertThat(answer.status()).as(answer.transcript()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("backend saw GET /health");
    assertThat(accessLogLine(answer.requestId()).get("protocol").asText()).isEqualTo("HTTP/1.1");
  }

  @Test
  void tls11IsRefusedAtTheHandshake() throws Exception {
    Curl answer = curl("/old", "--tlsv1.1", "--tls-max", "1.1", "--ciphers", "DEFAULT:@SECLEVEL=0", "--cert",
        file("client-chain.pem"), "--key", file("client.key"));

    assertThat(answer.status()).as(answer.transcript()).isZero();
    assertThat(received).noneMatch(r -> r.target().equals("/old"));
  }

  @Test
  void opensslSClientIsAcceptedOverTls12AndTls13() throws Exception {
    for (String version : List.of("-tls1_2", "-tls1_3")) {
      String path = "/sclient" + version;
      Command answer = sClient(path, version, "-cert", file("client.pem"), "-cert_chain", file("intermediate.pem"),
          "-key", file("client.key"));

      assertThat(answer.stdout()).as(answer.transcript()).startsWith("HTTP/1.1 200 ")
          .contains("backend saw GET " + path);
      assertThat(backendRequest(path).header("X-Client-Cert-Subject"))
          .containsExactly("CN=serve-client,O=mtls-gateway test");
    }
  }

  @Test
  void spoofedClientCertHeadersNeverReachTheBackend() throws Exception {
    Curl answer = curl("/spoof", "--cert", file("client-chain.pem"), "--key", file("client.key"),
        "-H", "X-Client-Cert-Subject: CN=admin", "-H", "x-client-cert-serial: 01", "-H", "X-Client-Cert-Role: admin");

    assertThat(answer.status()).as(answer.transcript()).isEqualTo(200);
    Recorded request = backendRequest("/spoof");
    assertThat(request.header("X-Client-Cert-Subject")).containsExactly("CN=serve-client,O=mtls-gateway test");
    assertThat(request.header("X-Client-Cert-Serial")).containsExactly(opensslSerial("client"));
    assertThat(request.header("X-Client-Cert-Role")).isEmpty();
  }

  @Test
  void bin_mtls_smokePassesAgainstIt() throws Exception {
    Command smoke = Command.run(dir, TIMEOUT, List.of(MTLS, "smoke", "--url", serve.url() + "healthcheck", "--cert",
        file("client-chain.pem"), "--key", file("client.key"), "--ca", file("server-ca.pem")));

    assertThat(smoke.exitCode()).as(smoke.transcript()).isZero();
    assertThat(smoke.stdout()).contains("PASS with-certificate: GET " + serve.url() + "healthcheck -> HTTP 200")
        .contains("PASS without-certificate:").contains("HTTP 403");
  }

  @Test
  void everyAccessLogLineHasTheKeysOfTheStagesFormat() throws Exception {
    Curl answer = curl("/keys", "--cert", file("client-chain.pem"), "--key", file("client.key"));
    Curl refused = curl("/keys-refused");

    List<String> expected = templateAccessLogKeys();
    for (String requestId : List.of(answer.requestId(), refused.requestId())) {
      List<String> keys = new ArrayList<>();
      accessLogLine(requestId).fieldNames().forEachRemaining(keys::add);
      assertThat(keys).isEqualTo(expected);
    }
    for (String line : serve.stdoutText().split("\n")) {
      assertThat(JSON.readTree(line).isObject()).as(line).isTrue();
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Refused clients: 403 {"message":"Forbidden"} and the execution log's reason on stderr
  // ------------------------------------------------------------------------------------------------------------

  @Test
  void noClientCertificateIsForbidden() throws Exception {
    Curl answer = curl("/no-cert");
    Command sClient = sClient("/no-cert-sclient", "-tls1_3");

    assertRefused(answer, "/no-cert", "No client certificate");
    assertThat(sClient.stdout()).as(sClient.transcript()).startsWith("HTTP/1.1 403 ").endsWith(FORBIDDEN);
    assertThat(accessLogLine(answer.requestId()).get("clientCertSubjectDN").asText()).isEqualTo("-");
  }

  @Test
  void aSha1SignedClientIsForbidden() throws Exception {
    // OpenSSL's default security level (2 on Debian) will not even load a SHA-1 certificate; level 0 lets the
    // client send it, as an old client would.
    Path seclevel0 = Files.writeString(dir.resolve("seclevel0.cnf"), """
        openssl_conf = openssl_init
        [ openssl_init ]
        ssl_conf = ssl_section
        [ ssl_section ]
        system_default = system_default_section
        [ system_default_section ]
        CipherString = DEFAULT:@SECLEVEL=0
        """);
    Curl answer = curl(serve, Map.of("OPENSSL_CONF", seclevel0.toString()), "/sha1", "--cert",
        file("sha1-chain.pem"), "--key", file("sha1-client.key"));

    assertRefused(answer, "/sha1", "Client cert using an insecure Signature Algorithm");
  }

  @Test
  void aClientWhoseIntermediateIsNotInTheTruststoreIsForbidden() throws Exception {
    Curl answer = curl("/orphan", "--cert", file("orphan-chain.pem"), "--key", file("orphan-client.key"));

    assertRefused(answer, "/orphan", "Could not find issuer for certificate");
  }

  @Test
  void aChainFiveCasDeepIsForbidden() throws Exception {
    Curl answer = curl("/deep", "--cert", file("deep-chain.pem"), "--key", file("deep-client.key"));
    Command sClient = sClient("/deep-sclient", "-tls1_2", "-cert", file("deep-client.pem"), "-cert_chain",
        file("deep-intermediates.pem"), "-key", file("deep-client.key"));

    assertRefused(answer, "/deep", "certificate chain too long");
    assertThat(sClient.stdout()).as(sClient.transcript()).startsWith("HTTP/1.1 403 ").endsWith(FORBIDDEN);
  }

  @Test
  void anExpiredClientIsForbidden() throws Exception {
    Curl answer = curl("/expired", "--cert", file("expired-chain.pem"), "--key", file("expired-client.key"));

    assertRefused(answer, "/expired", "certificate has expired");
    assertThat(accessLogLine(answer.requestId()).get("clientCertNotAfter").asText())
        .isEqualTo("Feb  1 00:00:00 2020 GMT");
  }

  private void assertRefused(Curl answer, String path, String reason) throws Exception {
    assertThat(answer.status()).as(answer.transcript()).isEqualTo(403);
    assertThat(answer.body()).isEqualTo(FORBIDDEN);
    assertThat(received).noneMatch(r -> r.target().startsWith(path));
    assertThat(serve.stderrText()).contains("(" + answer.requestId() + ") Access denied. Reason: " + reason + "\n");
    JsonNode line = accessLogLine(answer.requestId());
    assertThat(line.get("status").asText()).isEqualTo("403");
    assertThat(line.get("errorMessage").asText()).isEqualTo("Forbidden");
    assertThat(line.get("integrationStatus").asText()).isEqualTo("-");
  }

  // ------------------------------------------------------------------------------------------------------------
  // The backend down, bad inputs, stopping
  // ------------------------------------------------------------------------------------------------------------

  @Test
  void aBackendThatRefusesConnectionsGives500AndTheGatewayStopsOnSigterm() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Served down = start("http://127.0.0.1:" + closedPort);
    try {
      Curl answer = curl(down, "/anything", "--cert", file("client-chain.pem"), "--key", file("client.key"));

      assertThat(answer.status()).as(answer.transcript()).isEqualTo(500);
      assertThat(answer.body()).isEqualTo("{\"message\": \"Internal server error\"}");
      assertThat(down.stderrText()).contains("the backend http://127.0.0.1:" + closedPort + " failed");
    } finally {
      down.process().destroy();
    }
    assertThat(down.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(down.stderrText()).contains("mtls: stopped serving " + down.url());
    JsonNode line = JSON.readTree(down.stdoutText().strip());
    assertThat(line.get("status").asText()).isEqualTo("500");
    assertThat(line.get("integrationError").asText()).isNotEqualTo("-");
  }

  @Test
  void badInputsExit2BeforeListening() throws Exception {
    String backendUrl = "http://127.0.0.1:" + backend.getAddress().getPort();
    Command mismatch = Command.run(dir, TIMEOUT, List.of(MTLS, "serve", "--truststore", "truststore.pem", "--cert",
        "server.pem", "--key", "client.key", "--backend", backendUrl, "--port", "0"));
    Command noTruststore = Command.run(dir, TIMEOUT, List.of(MTLS, "serve", "--truststore", "nope.pem", "--cert",
        "server.pem", "--key", "server.key", "--backend", backendUrl, "--port", "0"));
    Command badBackend = Command.run(dir, TIMEOUT, List.of(MTLS, "serve", "--truststore", "truststore.pem", "--cert",
        "server.pem", "--key", "server.key", "--backend", "https://127.0.0.1:8080/api", "--port", "0"));

    assertThat(mismatch.exitCode()).as(mismatch.transcript()).isEqualTo(2);
    assertThat(mismatch.stderr()).contains("the private key in client.key (--key) does not match the server"
        + " certificate in server.pem (--cert)").doesNotContain("mtls: serving");
    assertThat(noTruststore.exitCode()).as(noTruststore.transcript()).isEqualTo(2);
    assertThat(noTruststore.stderr()).contains("nope.pem").contains("--truststore").doesNotContain("mtls: serving");
    assertThat(badBackend.exitCode()).as(badBackend.transcript()).isEqualTo(2);
    assertThat(badBackend.stderr()).contains("--backend takes the backend's http://HOST:PORT with no path");
  }

  // ------------------------------------------------------------------------------------------------------------
  // Helpers
  // ------------------------------------------------------------------------------------------------------------

  private Served start(String backendUrl) throws Exception {
    String name = "serve-" + System.nanoTime();
    Path stdout = dir.resolve(name + ".out");
    Path stderr = dir.resolve(name + ".err");
    Process process = new ProcessBuilder(MTLS, "serve", "--truststore", "truststore.pem", "--cert", "server.pem",
        "--key", "server.key", "--backend", backendUrl, "--port", "0")
        .directory(dir.toFile()).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    process.getOutputStream().close();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher ready = READY.matcher(Files.readString(stderr, StandardCharsets.UTF_8));
      if (ready.find()) {
        return new Served(process, ready.group(1), stdout, stderr);
      }
      if (!process.isAlive()) {
        throw new AssertionError("bin/mtls serve ended with " + process.exitValue() + ":\n"
            + Files.readString(stderr, StandardCharsets.UTF_8));
      }
      Thread.sleep(100);
    }
    process.destroy();
    throw new AssertionError("bin/mtls serve printed no ready line within " + START_TIMEOUT.toMinutes() + " min:\n"
        + Files.readString(stderr, StandardCharsets.UTF_8));
  }

  /** A curl result: the HTTP status (0 when there was none), body and the gateway's request id. */
  record Curl(int status, String body, String requestId, Command command) {
    String transcript() {
      return command.transcript();
    }
  }

  private Curl curl(String path, String... options) throws Exception {
    return curl(serve, Map.of(), path, options);
  }

  private Curl curl(Served target, String path, String... options) throws Exception {
    return curl(target, Map.of(), path, options);
  }

  private Curl curl(Served target, Map<String, String> environment, String path, String... options)
      throws Exception {
    Path headers = Files.createTempFile(dir, "headers", ".txt");
    Path body = Files.createTempFile(dir, "body", ".txt");
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--cacert", file("server-ca.pem"), "-D",
        headers.toString(), "-o", body.toString(), "-w", "%{http_code}"));
    command.addAll(List.of(options));
    command.add(target.url() + path.substring(1));
    Command run = Command.run(dir, TIMEOUT, command, environment);
    assertThat(run.exitCode() == 0 || run.exitCode() == 35 || run.exitCode() == 56)
        .as("curl is needed (Debian/Ubuntu: apt-get install curl): " + run.transcript()).isTrue();
    Matcher id = Pattern.compile("(?mi)^x-amzn-RequestId: (\\S+)").matcher(Files.readString(headers));
    return new Curl(Integer.parseInt(run.stdout().strip()), Files.readString(body, StandardCharsets.UTF_8),
        id.find() ? id.group(1) : null, run);
  }

  /** One HTTP/1.1 GET through openssl s_client; stdout holds the raw response. */
  private Command sClient(String path, String... options) throws Exception {
    Path request = Files.writeString(Files.createTempFile(dir, "request", ".txt"),
        "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    Path out = Files.createTempFile(dir, "sclient", ".out");
    Path err = Files.createTempFile(dir, "sclient", ".err");
    List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-quiet", "-ign_eof", "-verify_return_error",
        "-CAfile", file("server-ca.pem"), "-connect", "127.0.0.1:" + serve.url().replaceAll(".*:(\\d+)/$", "$1")));
    command.addAll(List.of(options));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectInput(request.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroy();
      throw new AssertionError("openssl s_client did not finish: " + Files.readString(err));
    }
    return new Command(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private Recorded backendRequest(String target) {
    List<Recorded> matching = received.stream().filter(r -> r.target().equals(target)).toList();
    assertThat(matching).as("requests for " + target + " at the backend: " + received).hasSize(1);
    return matching.get(0);
  }

  /** The access log line of a request; the gateway writes it just after the response, so wait a little. */
  private JsonNode accessLogLine(String requestId) throws Exception {
    assertThat(requestId).as("the response's x-amzn-RequestId").isNotNull();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    do {
      for (String line : serve.stdoutText().split("\n")) {
        if (line.contains("\"requestId\":\"" + requestId + "\"")) {
          return JSON.readTree(line);
        }
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("no access log line for " + requestId + " in:\n" + serve.stdoutText());
  }

  /** The keys of ApiStage's AccessLogSetting Format in template.yaml, in order. */
  private static List<String> templateAccessLogKeys() throws IOException {
    String template = Files.readString(ROOT.resolve("template.yaml"), StandardCharsets.UTF_8);
    int format = template.indexOf("Format: >-", template.indexOf("AccessLogSetting:"));
    String text = template.substring(format, template.indexOf("- !Ref AWS::NoValue", format));
    Matcher key = Pattern.compile("\"(\\w+)\":").matcher(text);
    List<String> keys = new ArrayList<>();
    while (key.find()) {
      keys.add(key.group(1));
    }
    assertThat(keys).contains("requestId", "clientCertSubjectDN", "revocationCheck");
    return keys;
  }

  private String opensslSerial(String name) throws Exception {
    Command serial = pki.openssl("x509", "-in", name + ".pem", "-noout", "-serial");
    BigInteger value = new BigInteger(serial.stdout().strip().substring("serial=".length()), 16);
    return HexFormat.ofDelimiter(":").formatHex(value.toByteArray());
  }

  private String opensslDate(String name, String which) throws Exception {
    Command date = pki.openssl("x509", "-in", name + ".pem", "-noout", which);
    return date.stdout().strip().substring(date.stdout().indexOf('=') + 1);
  }

  private String file(String name) {
    return dir.resolve(name).toString();
  }
}
