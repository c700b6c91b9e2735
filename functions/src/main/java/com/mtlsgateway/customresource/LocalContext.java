package com.mtlsgateway.customresource;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A Lambda {@link Context} for running handlers outside Lambda: {@code bin/mtls invoke} and tests. Its deadline is
 * a fixed instant on the system clock, so {@link #getRemainingTimeInMillis()} shrinks as time passes, as in Lambda;
 * its logger prints each message as one line on a stream. Each context has its own random AwsRequestId.
 *
 * <pre>{@code
 * LocalContext context = LocalContext.withTimeLeft("mtls-local-Truststore", Duration.ofSeconds(120), System.err);
 * handler.handleRequest(in, out, context);
 * }</pre>
 */
public final class LocalContext implements Context {

  private static final Clock CLOCK = Clock.systemUTC();

  private final String functionName;
  private final String requestId = UUID.randomUUID().toString();
  private final Instant deadline;
  private final LambdaLogger logger;

  private LocalContext(String functionName, Instant deadline, PrintStream log) {
    this.functionName = Objects.requireNonNull(functionName, "functionName");
    this.deadline = deadline;
    this.logger = new StreamLogger(Objects.requireNonNull(log, "log"));
  }

  /**
   * @param functionName what {@link #getFunctionName()} answers; the log group and ARN are derived from it
   * @param timeLeft     the time until the deadline, from now
   * @param log          where {@link #getLogger()} prints, one line per message (the CLI passes stderr)
   */
  public static LocalContext withTimeLeft(String functionName, Duration timeLeft, PrintStream log) {
    return new LocalContext(functionName, CLOCK.instant().plus(timeLeft), log);
  }

  /** When Lambda would stop the invocation. */
  public Instant deadline() {
    return deadline;
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/" + functionName;
  }

  @Override
  public String getLogStreamName() {
    return "local/" + requestId;
  }

  @Override
  public String getFunctionName() {
    return functionName;
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:local:000000000000:function:" + functionName;
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  /** Milliseconds until the deadline, never negative. */
  @Override
  public int getRemainingTimeInMillis() {
    long millis = Duration.between(CLOCK.instant(), deadline).toMillis();
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, millis));
  }

  @Override
  public int getMemoryLimitInMB() {
    return 512;
  }

  @Override
  public LambdaLogger getLogger() {
    return logger;
  }

  /** Each call is one log line, as in CloudWatch Logs. */
  private static final class StreamLogger implements LambdaLogger {
    private final PrintStream stream;

    StreamLogger(PrintStream stream) {
      this.stream = stream;
    }

    @Override
    public void log(String message) {
      String text = String.valueOf(message);
      synchronized (stream) {
        stream.print(text.endsWith("\n") ? text : text + "\n");
        stream.flush();
      }
    }

    @Override
    public void log(byte[] message) {
      log(new String(message, StandardCharsets.UTF_8));
    }
  }
}
