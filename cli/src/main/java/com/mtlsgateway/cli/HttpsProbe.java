package com.mtlsgateway.cli;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * One HTTP/1.1 GET over TLS, and what became of it: an HTTP answer, or the reason there was none. Every request has
 * its own client, so no connection or TLS session is shared between requests with and without a certificate.
 */
final class HttpsProbe {

  /** How much of a body is kept: enough to recognise API Gateway's error bodies and to show the start. */
  static final int BODY_LIMIT = 4096;

  private HttpsProbe() {}

  /** What a request ended with. */
  sealed interface Outcome permits Answer, Failure {
    long millis();
  }

  /**
   * An HTTP response.
   *
   * @param body the first {@link #BODY_LIMIT} bytes of the body
   * @param truncated true when the body was longer
   */
  record Answer(int status, byte[] body, boolean truncated, long millis) implements Outcome {}

  /**
   * No HTTP response.
   *
   * @param detail what the JDK reported, e.g. "Received fatal alert: certificate_required"
   */
  record Failure(Kind kind, String detail, long millis) implements Outcome {}

  /** Why there was no HTTP response. */
  enum Kind {
    /** The host name does not resolve. */
    NAME_NOT_FOUND,
    /** Nothing accepts TCP connections at the host and port (refused, or no route to it). */
    CONNECTION_REFUSED,
    /** No connection, or no response headers, within the timeout. */
    TIMEOUT,
    /** This side refused the server's certificate (untrusted issuer, wrong name, expired). */
    SERVER_NOT_TRUSTED,
    /**
     * The server ended the TLS handshake: with an alert (bad_certificate, certificate_required, ...) or by closing
     * the connection during it ("Remote host terminated the handshake").
     */
    HANDSHAKE_REFUSED,
    /**
     * The server closed or reset the connection before any HTTP response, the handshake being complete on this
     * side. In TLS 1.3 the client finishes its side of the handshake before the server has checked the client's
     * certificate, so this is how the JDK sees a TLS 1.3 server refuse a missing certificate.
     */
    CLOSED,
    /** Anything else (not a TLS server, a protocol error, ...). */
    OTHER
  }

  static Outcome get(URI url, SSLContext context, Duration timeout) {
    HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .sslContext(context)
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    HttpRequest request = HttpRequest.newBuilder(url)
        .GET()
        .timeout(timeout)
        .header("User-Agent", "mtls-smoke")
        .build();
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<Body>> response =
        client.sendAsync(request, info -> new FirstBytes(BODY_LIMIT));
    try {
      // The request timeout covers connect, handshake and headers; this bounds the body as well.
      HttpResponse<Body> answer = response.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      Body body = answer.body();
      return new Answer(answer.statusCode(), body.bytes(), body.truncated(), millisSince(start));
    } catch (TimeoutException e) {
      response.cancel(true);
      return new Failure(Kind.TIMEOUT, "no complete answer within " + timeout.toSeconds() + " s", millisSince(start));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      response.cancel(true);
      return new Failure(Kind.OTHER, "interrupted", millisSince(start));
    } catch (ExecutionException e) {
      return classify(e.getCause() == null ? e : e.getCause(), timeout, millisSince(start));
    }
  }

  static Failure classify(Throwable thrown, Duration timeout, long millis) {
    List<Throwable> chain = causes(thrown);
    for (Throwable t : chain) {
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        return new Failure(Kind.NAME_NOT_FOUND, "the host name does not resolve", millis);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof HttpConnectTimeoutException) {
        return new Failure(Kind.TIMEOUT, "no connection within " + timeout.toSeconds() + " s", millis);
      }
      if (t instanceof HttpTimeoutException) {
        return new Failure(Kind.TIMEOUT, "no answer within " + timeout.toSeconds() + " s", millis);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof CertificateException || t instanceof CertPathBuilderException
          || t instanceof CertPathValidatorException) {
        return new Failure(Kind.SERVER_NOT_TRUSTED, message(t), millis);
      }
    }
    for (Throwable t : chain) {
      String message = String.valueOf(t.getMessage());
      if (t instanceof SSLException
          && (message.contains("Received fatal alert") || message.contains("terminated the handshake"))) {
        return new Failure(Kind.HANDSHAKE_REFUSED, message, millis);
      }
    }
    for (Throwable t : chain) {
      // JDK 17's HttpClient reports a refused connection as a ConnectException without a message.
      if (t instanceof ConnectException) {
        return new Failure(Kind.CONNECTION_REFUSED, "connection refused or unreachable", millis);
      }
    }
    for (Throwable t : chain) {
      String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (t instanceof EOFException || message.contains("connection reset") || message.contains("closed")
          || message.contains("received no bytes")
          || message.contains("broken pipe")) {
        return new Failure(Kind.CLOSED, message(t), millis);
      }
    }
    return new Failure(Kind.OTHER, message(deepest(chain)), millis);
  }

  private static Throwable deepest(List<Throwable> chain) {
    for (int i = chain.size() - 1; i >= 0; i--) {
      if (chain.get(i).getMessage() != null) {
        return chain.get(i);
      }
    }
    return chain.get(0);
  }

  private static List<Throwable> causes(Throwable thrown) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = thrown; t != null && chain.size() < 20 && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static String message(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static long millisSince(long start) {
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }

  /** The first bytes of a body. */
  record Body(byte[] bytes, boolean truncated) {}

  /** Keeps the first {@code limit} bytes and then stops reading (which closes the connection). */
  private static final class FirstBytes implements HttpResponse.BodySubscriber<Body> {
    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<Body> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    FirstBytes(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<Body> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer buffer : buffers) {
        int room = limit - bytes.size();
        int take = Math.min(room, buffer.remaining());
        byte[] chunk = new byte[take];
        buffer.get(chunk);
        bytes.writeBytes(chunk);
        if (buffer.hasRemaining()) {
          subscription.cancel();
          result.complete(new Body(bytes.toByteArray(), true));
          return;
        }
      }
      subscription.request(1);
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(new Body(bytes.toByteArray(), false));
    }
  }
}
