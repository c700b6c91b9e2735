package com.mtlsgateway.cli;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** The Lambda Context of a local invocation: a real deadline, and a logger that writes to stderr. */
final class LocalContext implements Context {

  private final String functionName;
  private final String requestId = UUID.randomUUID().toString();
  private final Instant deadline;
  private final Clock clock;
  private final LambdaLogger logger;

  LocalContext(String functionName, Instant deadline, Clock clock, PrintStream log) {
    this.functionName = functionName;
    this.deadline = deadline;
    this.clock = clock;
    this.logger = new StreamLogger(log);
  }

  Instant deadline() {
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

  @Override
  public int getRemainingTimeInMillis() {
    long millis = Duration.between(clock.instant(), deadline).toMillis();
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
