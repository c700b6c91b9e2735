package com.mtlsgateway.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Plays the CloudFormation ResponseURL: a JDK HTTP server on 127.0.0.1 and a free port that records every request
 * (method, headers, body, arrival time) and answers as scripted, for fault injection.
 *
 * <pre>{@code
 * try (LocalReceiver receiver = LocalReceiver.start()) {
 *   receiver.script(Reply.status(500), Reply.dropConnection()); // then 200 for every later request
 *   ... PUT to receiver.url() ...
 *   assertThat(receiver.requests()).hasSize(3);
 * }
 * }</pre>
 *
 * <p>{@link #url()} looks like a pre-signed S3 URL (a random path and an {@code X-Amz-Signature} query), so tests
 * can check that none of it reaches a log. Requests are recorded before they are answered: once the client has
 * its answer (or its dropped connection), the request is in {@link #requests()}.
 */
public final class LocalReceiver implements AutoCloseable {

  /**
   * How to answer one request.
   *
   * @param delay  wait before answering
   * @param status the HTTP status; ignored when {@code drop}
   * @param body   the response body (e.g. an S3 error document); may be empty
   * @param drop   close the connection without any answer, as a network failure would
   */
  public record Reply(Duration delay, int status, String body, boolean drop) {
    public Reply {
      Objects.requireNonNull(delay, "delay");
      Objects.requireNonNull(body, "body");
    }

    /** Answer at once with this status and no body. */
    public static Reply status(int status) {
      return new Reply(Duration.ZERO, status, "", false);
    }

    /** Answer at once with an S3-style XML error document carrying {@code code}. */
    public static Reply s3Error(int status, String code) {
      return new Reply(Duration.ZERO, status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
          + "</Code><Message>scripted</Message></Error>", false);
    }

    /** Close the connection without answering. */
    public static Reply dropConnection() {
      return new Reply(Duration.ZERO, 0, "", true);
    }

    /** The same reply, after a wait. */
    public Reply after(Duration wait) {
      return new Reply(wait, status, body, drop);
    }
  }

  /**
   * One request as received.
   *
   * @param headers names lower-cased; a header sent with an empty value is present with {@code ""}
   */
  public record Request(String method, URI uri, Map<String, List<String>> headers, byte[] body, Instant receivedAt) {
    /** The first value of a header (name in any case), or null when absent. */
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body as UTF-8. */
    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private static final Reply DEFAULT_REPLY = Reply.status(200);

  private final HttpServer server;
  private final ExecutorService executor;
  private final URI url;
  private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean closed = new AtomicBoolean();

  private LocalReceiver(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
    this.url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/cloudformation-response/"
        + UUID.randomUUID() + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=" + UUID.randomUUID());
  }

  /** Starts a receiver on 127.0.0.1 and a free port; every request gets 200 until {@link #script} says otherwise. */
  public static LocalReceiver start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      // One thread per request, so that a delayed reply does not hold back the next request.
      ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "local-receiver");
        thread.setDaemon(true);
        return thread;
      });
      server.setExecutor(executor);
      LocalReceiver receiver = new LocalReceiver(server, executor);
      server.createContext("/", receiver::handle);
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ResponseURL to put in events. */
  public URI url() {
    return url;
  }

  /** Queues replies for the next requests, in order; once they are used up, requests get 200. */
  public LocalReceiver script(Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  /** Every request received so far, in arrival order. */
  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** The only request received; fails when there were none or several. */
  public Request onlyRequest() {
    List<Request> all = requests();
    if (all.size() != 1) {
      throw new AssertionError("expected exactly one request, got " + all.size());
    }
    return all.get(0);
  }

  /** Stops the server at once, abandoning delayed replies; closing twice is harmless. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      Map<String, List<String>> headers = new TreeMap<>();
      exchange.getRequestHeaders().forEach((name, values) ->
          headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
      requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI(),
          Collections.unmodifiableMap(headers), body, Instant.now()));
      Reply reply = Objects.requireNonNullElse(script.poll(), DEFAULT_REPLY);
      if (!reply.delay().isZero()) {
        try {
          Thread.sleep(reply.delay().toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (reply.drop()) {
        return; // closing the exchange before sending headers closes the connection
      }
      byte[] answer = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(reply.status(), answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        exchange.getResponseBody().write(answer);
      }
    }
  }
}
