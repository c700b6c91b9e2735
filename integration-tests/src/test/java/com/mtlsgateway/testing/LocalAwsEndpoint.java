package com.mtlsgateway.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * An AWS service endpoint played by a JDK HTTP server on 127.0.0.1 (a free port), for what moto does not model:
 * throttling, conflicts, states and errors injected on purpose. It answers scripted replies in order, each as AWS's
 * JSON protocols do: the status, {@code Content-Type: application/json}, an {@code x-amzn-RequestId} and, for an
 * error, the {@code x-amzn-ErrorType} header the SDK reads the error code from (REST-JSON such as API Gateway; the
 * JSON 1.1 protocol such as ACM reads it as well as a {@code __type} in the body). Once the script is used up it
 * answers 500 {@code InternalFailure}. Every request is recorded with its method, path, headers, body and arrival.
 *
 * <p>{@link #client} builds an SDK client at this endpoint with SDK retries off, so that the code under test's own
 * retries and backoff are what a test observes.
 */
public final class LocalAwsEndpoint implements AutoCloseable {

  /** One scripted answer; {@code errorType} null for a success (no {@code x-amzn-ErrorType} header). */
  public record Reply(int status, String errorType, String body) {

    /** A success with this JSON body. */
    public static Reply ok(int status, String json) {
      return new Reply(status, null, json);
    }

    /** An error of this type with the body {@code {"message": ...}} (the message written as is, not escaped). */
    public static Reply error(int status, String type, String message) {
      return new Reply(status, type, "{\"message\":\"" + message + "\"}");
    }
  }

  /** One recorded request; {@code query} is the raw query string, or null. */
  public record Request(String method, String path, Map<String, List<String>> headers, String body,
      Instant receivedAt, String query) {

    /** "METHOD path", as in {@link #calls()}. */
    public String call() {
      return method + " " + path;
    }

    /** The first value of the header (name case-insensitive), or null. */
    public String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  private final HttpServer server;
  private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

  private LocalAwsEndpoint(HttpServer server) {
    this.server = server;
  }

  /** Starts a server on a free loopback port; close it to stop. */
  public static LocalAwsEndpoint start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      LocalAwsEndpoint endpoint = new LocalAwsEndpoint(server);
      server.createContext("/", endpoint::handle);
      server.start();
      return endpoint;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The endpoint's base URI, for {@code endpointOverride}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Appends replies to the script, answered one per request in order. */
  public void script(Reply... replies) {
    script.addAll(List.of(replies));
  }

  /** The requests received so far, in order. */
  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** "METHOD path" of each request received so far, in order. */
  public List<String> calls() {
    return requests().stream().map(Request::call).toList();
  }

  /**
   * A client of the given builder (e.g. {@code ApiGatewayClient.builder()}) at this endpoint: Apache 5 HTTP client,
   * us-east-1, static test credentials, SDK retries off.
   */
  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
    return builder.httpClientBuilder(Apache5HttpClient.builder())
        .endpointOverride(uri())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      Instant receivedAt = Instant.now();
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
      requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          Collections.unmodifiableMap(headers), new String(in.readAllBytes(), StandardCharsets.UTF_8), receivedAt,
          exchange.getRequestURI().getRawQuery()));
      Reply reply = script.poll();
      if (reply == null) {
        reply = Reply.error(500, "InternalFailure", "no scripted reply");
      }
      byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.getResponseHeaders().set("x-amzn-RequestId", "11111111-2222-4333-8444-555555555555");
      if (reply.errorType() != null) {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", reply.errorType());
      }
      exchange.sendResponseHeaders(reply.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Stops the server at once. */
  @Override
  public void close() {
    server.stop(0);
  }
}
