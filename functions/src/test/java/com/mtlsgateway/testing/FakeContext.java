package com.mtlsgateway.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * A Lambda {@link Context} for tests: its deadline is a fixed instant, so {@link #getRemainingTimeInMillis()}
 * shrinks as time passes, as in Lambda; its logger records every message.
 *
 * <pre>{@code
 * FakeContext context = FakeContext.withTimeLeft(Duration.ofSeconds(3));
 * handler.handleRequest(in, out, context);
 * assertThat(context.logged()).noneMatch(line -> line.contains(secret));
 * }</pre>
 */
public final class FakeContext implements Context {
  private final Instant deadline;
  private final Clock clock;
  private final String awsRequestId = UUID.randomUUID().toString();
  private final List<String> logged = Collections.synchronizedList(new ArrayList<>());
  private final LambdaLogger logger = new LambdaLogger() {
    @Override
    public void log(String message) {
      logged.add(message);
    }

    @Override
    public void log(byte[] message) {
      log(new String(message, StandardCharsets.UTF_8));
    }

    @Override
    public void log(String message, LogLevel level) {
      log(message);
    }

    @Override
    public void log(byte[] message, LogLevel level) {
      log(message);
    }
  };

  /**
   * @param deadline when the invocation would be killed
   * @param clock    the clock the remaining time is measured on
   */
  public FakeContext(Instant deadline, Clock clock) {
    this.deadline = deadline;
    this.clock = clock;
  }

  /** A context whose deadline is {@code timeLeft} from now on the system clock. */
  public static FakeContext withTimeLeft(Duration timeLeft) {
    Clock clock = Clock.systemUTC();
    return new FakeContext(clock.instant().plus(timeLeft), clock);
  }

  /** When the invocation would be killed. */
  public Instant deadline() {
    return deadline;
  }

  /** Every message given to {@link #getLogger()}, in order. */
  public List<String> logged() {
    synchronized (logged) {
      return List.copyOf(logged);
    }
  }

  /** Milliseconds until the deadline, never negative (Lambda's own rounding: whole milliseconds). */
  @Override
  public int getRemainingTimeInMillis() {
    long left = Duration.between(clock.instant(), deadline).toMillis();
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
  }

  @Override
  public String getAwsRequestId() {
    return awsRequestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/mtls-gateway-test";
  }

  @Override
  public String getLogStreamName() {
    return "2024/01/01/[$LATEST]" + awsRequestId.replace("-", "");
  }

  @Override
  public String getFunctionName() {
    return "mtls-gateway-test";
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:eu-west-1:123456789012:function:mtls-gateway-test";
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getMemoryLimitInMB() {
    return 512;
  }

  @Override
  public LambdaLogger getLogger() {
    return logger;
  }
}
