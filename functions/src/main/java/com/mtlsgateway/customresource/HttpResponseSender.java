package com.mtlsgateway.customresource;

import com.mtlsgateway.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PUTs the response to the pre-signed ResponseURL with {@link HttpURLConnection} (in the JDK: no client to load at
 * cold start).
 *
 * <p>The request has an empty Content-Type, because the URL is signed without one and S3 answers
 * SignatureDoesNotMatch to any other value, and a Content-Length. A 2xx status means delivered. An I/O error or a
 * 5xx is retried with exponential backoff and jitter while attempts and time remain; any other status (a 4xx
 * such as an expired URL) is final.
 *
 * <p>Each failed attempt is logged as one JSON line on stdout with the status, S3's error code or the exception
 * class, and never the URL (not even its host: the exception messages that would name it are not logged).
 */
public final class HttpResponseSender implements ResponseSender {

  /**
   * How hard to try. The defaults are a choice, not an AWS limit: S3 errors that deserve a retry clear within
   * seconds, and the total stays well inside the time the runtime keeps for answering.
   *
   * @param maxAttempts    attempts in all, at least 1
   * @param firstDelay     wait after the first failure; it doubles after each further one
   * @param maxDelay       longest wait between attempts
   * @param attemptTimeout longest connect, and longest wait for the answer, of one attempt
   */
  public record RetryPolicy(int maxAttempts, Duration firstDelay, Duration maxDelay, Duration attemptTimeout) {
    /** 6 attempts; waits of 0.2, 0.4, 0.8, 1.6 and 3.2 s, each cut by up to half at random; 10 s per attempt. */
    public static final RetryPolicy DEFAULT =
        new RetryPolicy(6, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(10));

    /** @throws IllegalArgumentException when maxAttempts is below 1 or a duration is not positive */
    public RetryPolicy {
      if (maxAttempts < 1 || !isPositive(firstDelay) || !isPositive(maxDelay) || !isPositive(attemptTimeout)) {
        throw new IllegalArgumentException("maxAttempts must be at least 1 and every duration positive");
      }
    }

    private static boolean isPositive(Duration duration) {
      return duration != null && !duration.isNegative() && !duration.isZero();
    }

    /** The wait after failed attempt {@code attempt} (1-based): half fixed, half random ("equal jitter"). */
    Duration delayAfter(int attempt) {
      Duration full = firstDelay.multipliedBy(1L << Math.min(attempt - 1, 20));
      long millis = Math.min(full.toMillis(), maxDelay.toMillis());
      return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
    }
  }

  private static final Pattern S3_ERROR_CODE = Pattern.compile("<Code>([A-Za-z0-9.]{1,64})</Code>");
  private static final int ERROR_BODY_LIMIT = 4096;

  private final RetryPolicy policy;
  private final Clock clock;

  /** The production sender: {@link RetryPolicy#DEFAULT}, system clock. */
  public HttpResponseSender() {
    this(RetryPolicy.DEFAULT, Clock.systemUTC());
  }

  /**
   * @param clock the clock {@code deliverBy} is measured on; waits are real
   */
  public HttpResponseSender(RetryPolicy policy, Clock clock) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public boolean send(URI responseUrl, byte[] body, Instant deliverBy) {
    for (int attempt = 1; ; attempt++) {
      Attempt result = put(responseUrl, body, timeoutFor(deliverBy));
      if (result.delivered()) {
        return true;
      }
      Duration delay = policy.delayAfter(attempt);
      boolean retry = result.retryable() && attempt < policy.maxAttempts()
          && clock.instant().plus(delay).isBefore(deliverBy);
      logFailure(attempt, result, retry ? delay : null);
      if (!retry) {
        return false;
      }
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** Half the time left, so that connecting and waiting for the answer both fit; at least 1 ms (0 is no limit). */
  private int timeoutFor(Instant deliverBy) {
    long half = Duration.between(clock.instant(), deliverBy).toMillis() / 2;
    return (int) Math.max(1, Math.min(half, policy.attemptTimeout().toMillis()));
  }

  private static Attempt put(URI responseUrl, byte[] body, int timeoutMillis) {
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) responseUrl.toURL().openConnection();
      connection.setRequestMethod("PUT");
      connection.setDoOutput(true);
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setConnectTimeout(timeoutMillis);
      connection.setReadTimeout(timeoutMillis);
      connection.setRequestProperty("Content-Type", "");
      connection.setFixedLengthStreamingMode(body.length);
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
      int status = connection.getResponseCode();
      return new Attempt(status, status >= 400 ? s3ErrorCode(connection.getErrorStream()) : null, null);
    } catch (IOException e) {
      return new Attempt(-1, null, e.getClass().getSimpleName());
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  /** S3 names its errors in an XML body; the rest of that body may quote the signed request, so only the code is kept. */
  private static String s3ErrorCode(InputStream errorBody) throws IOException {
    if (errorBody == null) {
      return null;
    }
    try (errorBody) {
      Matcher code = S3_ERROR_CODE.matcher(
          new String(errorBody.readNBytes(ERROR_BODY_LIMIT), StandardCharsets.UTF_8));
      return code.find() ? code.group(1) : null;
    }
  }

  private static void logFailure(int attempt, Attempt result, Duration retryIn) {
    JsonObject line = Json.object();
    line.put("message", retryIn == null ? "response PUT failed, giving up" : "response PUT failed, retrying");
    line.put("attempt", attempt);
    line.put("result", result.describe());
    if (retryIn != null) {
      line.put("retryInMs", retryIn.toMillis());
    }
    Json.log(line);
  }

  /**
   * @param status HTTP status; -1 when no status was received
   * @param s3Code S3's error code, when the body held one
   * @param ioError the exception class when no status was received
   */
  private record Attempt(int status, String s3Code, String ioError) {
    boolean delivered() {
      return status >= 200 && status < 300;
    }

    boolean retryable() {
      return status == -1 || status >= 500;
    }

    String describe() {
      if (status == -1) {
        return "no answer (" + ioError + ")";
      }
      return "HTTP " + status + (s3Code == null ? "" : " " + s3Code);
    }
  }
}
