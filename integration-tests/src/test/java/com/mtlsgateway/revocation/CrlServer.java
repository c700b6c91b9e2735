package com.mtlsgateway.revocation;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A CA's CRL distribution point played by a JDK HTTP server on 127.0.0.1 and a free port: each path answers as set
 * (the CRL's bytes, a status, a redirect, or a slow answer); other paths answer 404. Every request path is recorded.
 */
final class CrlServer implements AutoCloseable {

  /** How one path answers. */
  private interface Answer {
    void answer(HttpExchange exchange) throws IOException, InterruptedException;
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  private CrlServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  static CrlServer start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      // One thread per request: a slow answer must not hold back the others.
      ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "crl-server");
        thread.setDaemon(true);
        return thread;
      });
      server.setExecutor(executor);
      CrlServer crlServer = new CrlServer(server, executor);
      server.createContext("/", crlServer::handle);
      server.start();
      return crlServer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:PORT/path}. */
  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** {@code path} answers 200 with these bytes, as a CA's distribution point does. */
  CrlServer serve(String path, byte[] crl) {
    answers.put(path, exchange -> send(exchange, 200, crl));
    return this;
  }

  /** {@code path} answers this status and a small HTML page. */
  CrlServer status(String path, int status) {
    byte[] page = ("<html><body>" + status + "</body></html>").getBytes(StandardCharsets.US_ASCII);
    answers.put(path, exchange -> send(exchange, status, page));
    return this;
  }

  /** {@code path} answers 302 to {@code location}. */
  CrlServer redirect(String path, String location) {
    answers.put(path, exchange -> {
      exchange.getResponseHeaders().set("Location", location);
      exchange.sendResponseHeaders(302, -1);
    });
    return this;
  }

  /** {@code path} answers with the CRL only after {@code delay} (no headers before). */
  CrlServer slowToAnswer(String path, byte[] crl, Duration delay) {
    answers.put(path, exchange -> {
      Thread.sleep(delay.toMillis());
      send(exchange, 200, crl);
    });
    return this;
  }

  /** {@code path} sends the headers and the first bytes at once, the rest of the CRL only after {@code delay}. */
  CrlServer slowBody(String path, byte[] crl, Duration delay) {
    answers.put(path, exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "application/pkix-crl");
      exchange.sendResponseHeaders(200, crl.length);
      OutputStream out = exchange.getResponseBody();
      out.write(crl, 0, 10);
      out.flush();
      Thread.sleep(delay.toMillis());
      out.write(crl, 10, crl.length - 10);
    });
    return this;
  }

  /** The paths requested so far, in order. */
  List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getPath();
      requests.add(path);
      Answer answer = answers.getOrDefault(path,
          e -> send(e, 404, "<html>not found</html>".getBytes(StandardCharsets.US_ASCII)));
      try {
        answer.answer(exchange);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the server is stopping
      }
    }
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", status == 200 ? "application/pkix-crl" : "text/html");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
