package com.mtlsgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mtlsgateway.cli.client.ClientAcceptance;
import com.mtlsgateway.testing.TestCrl;
import com.mtlsgateway.testing.TestPki;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LocalGateway} and {@code mtls serve}'s input checks, in this JVM, with BouncyCastle certificates and the
 * JDK's HttpClient as the client. The real clients (curl, openssl s_client) are in the integration tests.
 */
class LocalGatewayTest extends CommandTestSupport {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TestPki pki = TestPki.at(Instant.now());
  private final TestPki.Issued serverCa = pki.certificate("CN=Gateway Test Server CA").selfSigned();
  private final TestPki.Issued server =
      pki.certificate("CN=localhost").ca(false).dnsNames("localhost").issuedBy(serverCa);
  private final TestPki.Issued clientRoot = pki.certificate("CN=Gateway Test Client Root CA").selfSigned();
  private final TestPki.Issued intermediate =
      pki.certificate("CN=Gateway Test Client Intermediate CA").issuedBy(clientRoot);
  private final TestPki.Issued client = TestCrl.client(intermediate, pki.now(), BigInteger.valueOf(0x8001))
      .subject("CN=gateway-client,O=Example").build();

  private final ByteArrayOutputStream accessLog = new ByteArrayOutputStream();
  private final ByteArrayOutputStream executionLog = new ByteArrayOutputStream();
  private final List<String> backendPaths = new CopyOnWriteArrayList<>();
  private HttpServer backend;
  private LocalGateway gateway;

  @BeforeEach
  void startBackend() throws Exception {
    backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.createContext("/", exchange -> {
      backendPaths.add(exchange.getRequestURI().getPath());
      if (exchange.getRequestURI().getPath().equals("/slow")) {
        try {
          Thread.sleep(3000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    backend.start();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    backend.stop(0);
  }

  private LocalGateway start(List<Path> crls, Duration integrationTimeout) throws Exception {
    Path truststore = file("truststore.pem", TestPki.bundle(clientRoot, intermediate));
    ClientAcceptance acceptance = ClientAcceptance.load(truststore, crls, Clock.systemUTC());
    LocalGateway.Settings settings = new LocalGateway.Settings(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        new TlsFiles.ServerIdentity(List.of(server.certificate(), serverCa.certificate()),
            server.keyPair().getPrivate()),
        acceptance, URI.create("http://127.0.0.1:" + backend.getAddress().getPort()), integrationTimeout);
    gateway = LocalGateway.start(settings, Clock.systemUTC(), new PrintStream(accessLog, true, StandardCharsets.UTF_8),
        new PrintStream(executionLog, true, StandardCharsets.UTF_8));
    return gateway;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return get(path, client);
  }

  private HttpResponse<String> get(String path, TestPki.Issued as) throws Exception {
    SSLContext context = new TlsFiles.ClientIdentity(List.of(as.certificate(), intermediate.certificate()),
        as.keyPair().getPrivate()).context(TlsFiles.trust(file("server-ca.pem", serverCa.pem())));
    HttpClient http = HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1).build();
    URI url = URI.create("https://localhost:" + gateway.url().getPort() + path);
    return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The one access log line, which the gateway writes just after the response: wait for it a little. */
  private JsonNode onlyAccessLogLine() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (accessLog.size() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    String[] lines = accessLog.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(1);
    return JSON.readTree(lines[0]);
  }

  @Test
  void anAcceptedRequestIsLoggedWithTheClientCertificateAndDashesForWhatOnlyAwsKnows() throws Exception {
    start(List.of(), LocalGateway.INTEGRATION_TIMEOUT);

    HttpResponse<String> response = get("/whoami?x=1");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok");
    JsonNode line = onlyAccessLogLine();
    assertThat(line.get("requestId").asText()).isEqualTo(response.headers().firstValue("x-amzn-RequestId").get());
    assertThat(line.get("requestTime").asText()).matches("\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000");
    assertThat(line.get("path").asText()).isEqualTo("/whoami");
    assertThat(line.get("domainName").asText()).isEqualTo("localhost");
    assertThat(line.get("responseLength").asText()).isEqualTo("2");
    assertThat(line.get("clientCertSubjectDN").asText()).isEqualTo("CN=gateway-client,O=Example");
    assertThat(line.get("clientCertIssuerDN").asText()).isEqualTo("CN=Gateway Test Client Intermediate CA");
    // 0x8001 has its first bit set: DER keeps a leading zero byte, which the colon form shows.
    assertThat(line.get("clientCertSerialNumber").asText()).isEqualTo("00:80:01");
    for (String absent : List.of("extendedRequestId", "errorMessage", "errorResponseType", "integrationError",
        "authorizeStatus", "authorizerLatency", "authorizerError", "authorizerDecision", "revocationCheck")) {
      assertThat(line.get(absent).asText()).as(absent).isEqualTo("-");
    }
    assertThat(executionLog.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aSubjectTheHttpClientCannotPutInAHeaderGetsA500AndALogLineNotADroppedConnection() throws Exception {
    start(List.of(), LocalGateway.INTEGRATION_TIMEOUT);
    TestPki.Issued chinese = TestCrl.client(intermediate, pki.now(), BigInteger.valueOf(0x8002))
        .subject("CN=\u674e,O=Example").build();

    HttpResponse<String> response = get("/hello", chinese);

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("Internal server error");
    assertThat(onlyAccessLogLine().get("status").asText()).isEqualTo("500");
    assertThat(executionLog.toString(StandardCharsets.UTF_8)).contains("cannot be sent to the backend");
    assertThat(backendPaths).isEmpty();
  }

  @Test
  void aBackendSlowerThanTheIntegrationTimeoutGives504() throws Exception {
    start(List.of(), Duration.ofSeconds(1));

    HttpResponse<String> response = get("/slow");

    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(response.body()).isEqualTo("{\"message\": \"Endpoint request timed out\"}");
    JsonNode line = onlyAccessLogLine();
    assertThat(line.get("errorMessage").asText()).isEqualTo("Endpoint request timed out");
    assertThat(line.get("errorResponseType").asText()).isEqualTo("INTEGRATION_TIMEOUT");
    assertThat(line.get("integrationStatus").asText()).isEqualTo("-");
    assertThat(executionLog.toString(StandardCharsets.UTF_8)).contains("did not answer GET /slow within 1 s");
  }

  @Test
  void aRevokedClientGetsTheStacksAccessDeniedResponseWithoutReachingTheBackend() throws Exception {
    Path crl = Files.write(dir.resolve("intermediate.crl"),
        TestCrl.by(intermediate, pki.now()).revoke(client.certificate().getSerialNumber()).der());
    start(List.of(crl), LocalGateway.INTEGRATION_TIMEOUT);

    HttpResponse<String> response = get("/orders");

    assertThat(response.statusCode()).isEqualTo(403);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("message").asText()).isEqualTo(LocalGateway.REVOKED_MESSAGE);
    assertThat(body.get("revocationCheck").asText()).isEqualTo("revoked");
    assertThat(body.get("requestId").asText()).isEqualTo(response.headers().firstValue("x-amzn-RequestId").get());
    assertThat(backendPaths).isEmpty();
    JsonNode line = onlyAccessLogLine();
    assertThat(line.get("authorizerDecision").asText()).isEqualTo("Deny");
    assertThat(line.get("revocationCheck").asText()).isEqualTo("revoked");
    assertThat(line.get("errorResponseType").asText()).isEqualTo("ACCESS_DENIED");
    assertThat(executionLog.toString(StandardCharsets.UTF_8)).contains("Access denied. Reason: revoked");
  }

  @Test
  void validityDatesUseOpensslsFormWithThePaddedDay() {
    TestPki.Issued dated = pki.certificate("CN=dated").ca(false)
        .validity(Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2046-12-31T23:59:59Z")).issuedBy(intermediate);

    ClientCertContext context = ClientCertContext.of(dated.certificate());

    assertThat(context.notBefore()).isEqualTo("Dec  1 00:00:00 2026 GMT");
    assertThat(context.notAfter()).isEqualTo("Dec 31 23:59:59 2046 GMT");
    assertThat(context.headers()).containsOnlyKeys("X-Client-Cert-Subject", "X-Client-Cert-Issuer",
        "X-Client-Cert-Serial", "X-Client-Cert-Not-Before", "X-Client-Cert-Not-After");
  }

  // ------------------------------------------------------------------------------------------------------------
  // mtls serve's inputs: exit 2 with the flag, the problem and the fix, before anything listens
  // ------------------------------------------------------------------------------------------------------------

  private String[] serve(String... extra) throws Exception {
    file("truststore.pem", TestPki.bundle(clientRoot, intermediate));
    file("server.pem", TestPki.bundle(server, serverCa));
    file("server.key", server.privateKeyPem());
    file("client.key", client.privateKeyPem());
    List<String> args = new ArrayList<>(List.of("serve", "--truststore", dir.resolve("truststore.pem")
        .toString(), "--cert", dir.resolve("server.pem").toString()));
    args.addAll(List.of(extra));
    return args.toArray(new String[0]);
  }

  @Test
  void aBackendUrlWithAPathOrAnotherSchemeIsAUsageError() throws Exception {
    for (String backendUrl : List.of("https://127.0.0.1:8080", "http://127.0.0.1:8080/api", "127.0.0.1:8080",
        "http://127.0.0.1:8080/?a=b")) {
      err.reset();
      int status = run(serve("--key", dir.resolve("server.key").toString(), "--backend", backendUrl));

      assertThat(status).as(backendUrl).isEqualTo(2);
      assertThat(err.toString(StandardCharsets.UTF_8)).as(backendUrl)
          .contains("--backend takes the backend's http://HOST:PORT with no path, such as http://127.0.0.1:8080")
          .contains("'" + backendUrl + "'");
    }
  }

  @Test
  void aKeyThatIsNotTheServerCertificatesIsRefused() throws Exception {
    int status = run(serve("--key", dir.resolve("client.key").toString(), "--backend", "http://127.0.0.1:1",
        "--port", "0"));

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("(--key) does not match the server certificate in")
        .doesNotContain("mtls: serving").doesNotContain("PRIVATE KEY");
  }

  @Test
  void aPortInUseOrOutOfRangeIsRefused() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int status = run(serve("--key", dir.resolve("server.key").toString(), "--backend", "http://127.0.0.1:1",
          "--port", Integer.toString(taken.getLocalPort())));

      assertThat(status).isEqualTo(2);
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot listen on 127.0.0.1 port "
          + taken.getLocalPort() + " (--port)").contains("--port 0 for a free one");
    }
    err.reset();
    assertThat(run(serve("--key", "k", "--backend", "http://127.0.0.1:1", "--port", "70000"))).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--port takes a port number from 1 to 65535");
  }

  @Test
  void missingOptionsAndAnUnreadableTruststoreAreRefused() throws Exception {
    assertThat(run("serve", "--truststore", "t.pem", "--cert", "c.pem", "--key", "k.pem")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("serve needs --backend");
    err.reset();
    file("server.pem", TestPki.bundle(server, serverCa));
    file("server.key", server.privateKeyPem());

    int status = run("serve", "--truststore", dir.resolve("nope.pem").toString(), "--cert",
        dir.resolve("server.pem").toString(), "--key", dir.resolve("server.key").toString(), "--backend",
        "http://127.0.0.1:1", "--port", "0");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--truststore " + dir.resolve("nope.pem"))
        .contains("no such file").doesNotContain("mtls: serving");
  }
}
