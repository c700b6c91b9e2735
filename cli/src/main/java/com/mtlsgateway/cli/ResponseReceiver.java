package com.mtlsgateway.cli;

import com.mtlsgateway.text.Articles;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Plays CloudFormation's pre-signed S3 ResponseURL on 127.0.0.1 (a free port): accepts a PUT and keeps its
 * body. Like the real URL it answers 403 SignatureDoesNotMatch to a PUT that carries a Content-Type (the URL is
 * signed without one), and 403 to any other path.
 */
final class ResponseReceiver implements AutoCloseable {

  private final HttpServer server;
  private final String path;
  private final PrintStream log;
  private final Consumer<byte[]> observer;
  private final List<byte[]> bodies = new CopyOnWriteArrayList<>();

  private ResponseReceiver(HttpServer server, String path, PrintStream log, Consumer<byte[]> observer) {
    this.server = server;
    this.path = path;
    this.log = log;
    this.observer = observer;
  }

  /** Starts a receiver; notes about rejected requests go to {@code log}, accepted bodies also to {@code observer}. */
  static ResponseReceiver start(PrintStream log, Consumer<byte[]> observer) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] token = new byte[16];
    new SecureRandom().nextBytes(token);
    ResponseReceiver receiver = new ResponseReceiver(server, "/cloudformation-response/" + HexFormat.of().formatHex(token), log,
        observer);
    server.createContext("/", receiver::handle);
    server.start();
    return receiver;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** The first body accepted: CloudFormation acts on the first response it reads. */
  Optional<byte[]> firstBody() {
    return bodies.isEmpty() ? Optional.empty() : Optional.of(bodies.get(0).clone());
  }

  int accepted() {
    return bodies.size();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readAllBytes();
      if (!exchange.getRequestMethod().equals("PUT")) {
        reject(exchange, 405, "MethodNotAllowed",
            "the ResponseURL takes a PUT, not " + Articles.withIndefinite(exchange.getRequestMethod()));
        return;
      }
      if (!exchange.getRequestURI().getRawPath().equals(path) || exchange.getRequestURI().getRawQuery() != null) {
        reject(exchange, 403, "AccessDenied", "the PUT went to another URL than the event's ResponseURL");
        return;
      }
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      if (contentType != null && !contentType.isBlank()) {
        reject(exchange, 403, "SignatureDoesNotMatch",
            "the PUT had Content-Type '" + contentType + "'; the pre-signed ResponseURL is signed without one,"
                + " so S3 would refuse it");
        return;
      }
      bodies.add(body);
      observer.accept(body.clone());
      exchange.sendResponseHeaders(200, -1);
    } finally {
      exchange.close();
    }
  }

  private void reject(HttpExchange exchange, int status, String code, String problem) throws IOException {
    log.println("mtls: local ResponseURL answered " + status + " " + code + ": " + problem);
    byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + xmlText(problem)
        + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/xml");
    exchange.sendResponseHeaders(status, xml.length);
    exchange.getResponseBody().write(xml);
  }

  private static String xmlText(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
