package com.mtlsgateway.cli;

import com.mtlsgateway.cli.client.ClientAcceptance;
import com.mtlsgateway.cli.client.ClientProblem;
import com.mtlsgateway.cli.client.ClientProblemCode;
import com.mtlsgateway.cli.client.ClientVerdict;
import com.mtlsgateway.json.JsonCodec;
import com.mtlsgateway.json.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A local stand-in for the stack's mutual TLS custom domain: HTTPS on one address, the client certificate requested in
 * the handshake and judged by {@link ClientAcceptance}, accepted requests passed on to one backend as the stack's
 * {@code ANY /} and {@code ANY /{proxy+}} HTTP_PROXY methods pass them (same path and query, the client's headers
 * and body, plus the {@code X-Client-Cert-*} headers), and one access log line per request.
 *
 * <p>Answers the gateway makes itself (JSON bodies as API Gateway's defaults; sources in docs/serve.md):
 *
 * <ul>
 *   <li>403 {@code {"message":"Forbidden"}}: no client certificate, or one API Gateway would refuse; the reason goes
 *       to the error stream as an execution log line, {@code (REQUEST_ID) Access denied. Reason: ...}.
 *   <li>403 with the stack's ACCESS_DENIED gateway response: a client refused only by the revocation check (--crl).
 *   <li>500 {@code {"message": "Internal server error"}}: the backend refused the connection or could not be reached.
 *   <li>504 {@code {"message": "Endpoint request timed out"}}: no answer within the integration timeout.
 * </ul>
 */
final class LocalGateway implements AutoCloseable {

  /** API Gateway's default integration timeout (timeoutInMillis 29,000). */
  static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(29);

  static final String FORBIDDEN = "{\"message\":\"Forbidden\"}";
  static final String INTERNAL_SERVER_ERROR = "{\"message\": \"Internal server error\"}";
  static final String TIMED_OUT = "{\"message\": \"Endpoint request timed out\"}";
  /** template.yaml, RevocationAccessDeniedResponse (before its variables are filled in). */
  static final String REVOKED_MESSAGE =
      "Forbidden: the client certificate is revoked or could not be checked for revocation";

  /** Hop-by-hop headers (RFC 9110 7.6.1) and those HttpClient and HttpServer set themselves. */
  private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection", "te",
      "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect", "date");

  /**
   * What the gateway serves.
   *
   * @param address where to listen (e.g. 127.0.0.1 and a port, 0 for a free one)
   * @param backend the backend's origin, {@code http://HOST:PORT}, with no path
   * @param integrationTimeout how long the backend has to answer
   */
  record Settings(InetSocketAddress address, TlsFiles.ServerIdentity identity, ClientAcceptance acceptance,
      URI backend, Duration integrationTimeout) {}

  private final HttpsServer server;
  private final ExecutorService executor;
  private final HttpClient backendClient;
  private final Settings settings;
  private final Clock clock;
  private final PrintStream accessLog;
  private final PrintStream executionLog;

  private LocalGateway(HttpsServer server, ExecutorService executor, Settings settings, Clock clock,
      PrintStream accessLog, PrintStream executionLog) {
    this.server = server;
    this.executor = executor;
    this.settings = settings;
    this.clock = clock;
    this.accessLog = accessLog;
    this.executionLog = executionLog;
    this.backendClient = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.integrationTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor)
        .build();
  }

  /**
   * Listens and serves until {@link #close()}.
   *
   * @param accessLog gets one JSON line per request
   * @param executionLog gets the reasons clients are refused and backend failures
   * @throws IOException when the address cannot be bound (e.g. the port is in use)
   */
  static LocalGateway start(Settings settings, Clock clock, PrintStream accessLog, PrintStream executionLog)
      throws IOException, GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(settings.identity().keyManagers(), new TrustManager[] {new RequestAnyClientCertificate()},
        new SecureRandom());
    HttpsServer server = HttpsServer.create(settings.address(), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters parameters = context.getDefaultSSLParameters();
        // The custom domain's TLS_1_2 security policy: TLS 1.2 and 1.3, nothing older.
        parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        // Requested, not required: the handshake completes either way and the request is answered (403) after
        // ClientAcceptance has judged the certificate, so that its reason can be logged.
        parameters.setWantClientAuth(true);
        params.setSSLParameters(parameters);
      }
    });
    ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "mtls-serve");
      thread.setDaemon(true);
      return thread;
    });
    LocalGateway gateway = new LocalGateway(server, executor, settings, clock, accessLog, executionLog);
    server.createContext("/", gateway::handle);
    server.setExecutor(executor);
    server.start();
    return gateway;
  }

  /** The gateway's URL, e.g. {@code https://127.0.0.1:8443/}. */
  URI url() {
    InetSocketAddress address = server.getAddress();
    return URI.create("https://" + address.getAddress().getHostAddress() + ":" + address.getPort() + "/");
  }

  /** Stops listening; requests under way get a second to finish. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    Instant requestTime = clock.instant();
    String requestId = UUID.randomUUID().toString();
    List<X509Certificate> presented = presented((HttpsExchange) exchange);
    ClientCertContext clientCert = presented.isEmpty() ? null : ClientCertContext.of(presented.get(0));
    ClientVerdict verdict = settings.acceptance().check(presented);

    Answer answer;
    if (verdict.accepted()) {
      answer = forward(exchange, clientCert);
    } else {
      answer = refuse(verdict, requestId);
    }
    exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
    long length = send(exchange, answer);
    AccessLogLine line = new AccessLogLine(requestId, requestTime,
        exchange.getRemoteAddress().getAddress().getHostAddress(),
        exchange.getRequestHeaders().getFirst("User-Agent"), host(exchange.getRequestHeaders().getFirst("Host")),
        exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), exchange.getProtocol(), answer.status(),
        length, Duration.ofNanos(System.nanoTime() - start).toMillis(), answer.integration(), answer.error(),
        clientCert, answer.revocation());
    synchronized (accessLog) {
      accessLog.println(line.json());
      accessLog.flush();
    }
  }

  /** A response to send, and what the access log says about it. */
  private record Answer(int status, Map<String, List<String>> headers, byte[] body,
      AccessLogLine.Integration integration, AccessLogLine.GatewayError error, AccessLogLine.Revocation revocation) {

    static Answer gateway(int status, String json, AccessLogLine.Integration integration,
        AccessLogLine.GatewayError error, AccessLogLine.Revocation revocation) {
      return new Answer(status, Map.of("Content-Type", List.of("application/json")),
          json.getBytes(StandardCharsets.UTF_8), integration, error, revocation);
    }
  }

  private Answer refuse(ClientVerdict verdict, String requestId) {
    synchronized (executionLog) {
      executionLog.println("(" + requestId + ") Access denied. Reason: " + verdict.executionLogReason());
      for (ClientProblem problem : verdict.problems()) {
        executionLog.println("(" + requestId + ")   " + problem.code() + ": " + problem.message());
      }
      executionLog.flush();
    }
    ClientProblem revocation = revocationOnly(verdict.problems());
    if (revocation == null) {
      return Answer.gateway(403, FORBIDDEN, null, new AccessLogLine.GatewayError("Forbidden", null), null);
    }
    // The handshake would have passed; the revocation authorizer then denies with the stack's gateway response.
    String check = revocation.code().logReason();
    JsonObject body = new JsonObject().put("message", REVOKED_MESSAGE).put("revocationCheck", check)
        .put("reason", revocation.message()).put("requestId", requestId);
    return Answer.gateway(403, JsonCodec.write(body), null,
        new AccessLogLine.GatewayError(REVOKED_MESSAGE, "ACCESS_DENIED"), new AccessLogLine.Revocation("Deny", check));
  }

  /** The revocation problem when it is the only kind of problem (the handshake itself would pass), else null. */
  private static ClientProblem revocationOnly(List<ClientProblem> problems) {
    ClientProblem revocation = null;
    for (ClientProblem problem : problems) {
      boolean isRevocation = problem.code() == ClientProblemCode.REVOKED
          || problem.code() == ClientProblemCode.CRL_STALE;
      if (!isRevocation) {
        return null;
      }
      revocation = revocation == null ? problem : revocation;
    }
    return revocation;
  }

  private Answer forward(HttpExchange exchange, ClientCertContext clientCert) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    URI target = URI.create(settings.backend().toString() + exchange.getRequestURI().getRawPath()
        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
    HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(settings.integrationTimeout());
    try {
      request.method(exchange.getRequestMethod(),
          body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
      clientCert.headers().forEach(request::header);
    } catch (IllegalArgumentException e) {
      // A method or a header value (a name with characters beyond Latin-1) the JDK's HTTP client cannot send: still
      // answer, as API Gateway answers an integration it cannot make.
      executionLog.println("mtls: " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
          + " cannot be sent to the backend by this local gateway (" + e.getMessage() + "): answered 500");
      return Answer.gateway(500, INTERNAL_SERVER_ERROR, new AccessLogLine.Integration(null, 0, e.getMessage()),
          new AccessLogLine.GatewayError("Internal server error", "API_CONFIGURATION_ERROR"), null);
    }
    exchange.getRequestHeaders().forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      // A client's own X-Client-Cert-* headers never reach the backend: only the gateway's describe the client.
      if (NOT_FORWARDED.contains(lower) || lower.startsWith(ClientCertContext.HEADER_PREFIX.toLowerCase(Locale.ROOT))) {
        return;
      }
      for (String value : values) {
        try {
          request.header(name, value);
        } catch (IllegalArgumentException e) {
          // A header HttpClient will not send (a restricted name): API Gateway would not pass it either.
        }
      }
    });

    long start = System.nanoTime();
    try {
      HttpResponse<byte[]> response = backendClient.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      long latency = Duration.ofNanos(System.nanoTime() - start).toMillis();
      Map<String, List<String>> headers = new LinkedHashMap<>();
      response.headers().map().forEach((name, values) -> {
        if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
          headers.put(name, values);
        }
      });
      return new Answer(response.statusCode(), headers, response.body(),
          new AccessLogLine.Integration(response.statusCode(), latency, null), null, null);
    } catch (HttpTimeoutException e) {
      long latency = Duration.ofNanos(System.nanoTime() - start).toMillis();
      executionLog.println("mtls: the backend " + settings.backend() + " did not answer " + exchange.getRequestMethod()
          + " " + exchange.getRequestURI().getRawPath() + " within " + settings.integrationTimeout().toSeconds()
          + " s: answered 504");
      return Answer.gateway(504, TIMED_OUT, new AccessLogLine.Integration(null, latency, "Endpoint request timed out"),
          new AccessLogLine.GatewayError("Endpoint request timed out", "INTEGRATION_TIMEOUT"), null);
    } catch (IOException e) {
      long latency = Duration.ofNanos(System.nanoTime() - start).toMillis();
      String problem = e instanceof ConnectException ? "connection refused or unreachable"
          : String.valueOf(e.getMessage());
      executionLog.println("mtls: the backend " + settings.backend() + " failed for " + exchange.getRequestMethod()
          + " " + exchange.getRequestURI().getRawPath() + " (" + problem + "): answered 500; is it running?");
      return Answer.gateway(500, INTERNAL_SERVER_ERROR, new AccessLogLine.Integration(null, latency, problem),
          new AccessLogLine.GatewayError("Internal server error", "API_CONFIGURATION_ERROR"), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the backend", e);
    }
  }

  /** Sends the answer; the number of body bytes sent. */
  private static long send(HttpExchange exchange, Answer answer) throws IOException {
    answer.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, new ArrayList<>(values)));
    boolean noBody = answer.body().length == 0 || exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(answer.status(), noBody ? -1 : answer.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!noBody) {
        out.write(answer.body());
      }
    }
    return noBody ? 0 : answer.body().length;
  }

  /** The certificates the client sent, leaf first; empty when it sent none. */
  private static List<X509Certificate> presented(HttpsExchange exchange) {
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate certificate : exchange.getSSLSession().getPeerCertificates()) {
        chain.add((X509Certificate) certificate);
      }
      return chain;
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }

  /** {@code $context.domainName}: the Host header's name without the port. */
  private static String host(String hostHeader) {
    if (hostHeader == null || hostHeader.isEmpty()) {
      return null;
    }
    if (hostHeader.startsWith("[")) {
      int end = hostHeader.indexOf(']');
      return end > 0 ? hostHeader.substring(0, end + 1) : hostHeader;
    }
    int colon = hostHeader.indexOf(':');
    return colon < 0 ? hostHeader : hostHeader.substring(0, colon);
  }

  /**
   * Lets every client certificate through the handshake so that {@link ClientAcceptance} judges it after, with
   * reasons. The handshake still proves the client holds the certificate's key (CertificateVerify). Lists no CAs in
   * the CertificateRequest: curl, openssl and bin/mtls smoke send their certificate regardless.
   */
  private static final class RequestAnyClientCertificate extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("this trust manager serves a server only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("this trust manager serves a server only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("this trust manager serves a server only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
