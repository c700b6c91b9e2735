package com.mtlsgateway.cli;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.mtlsgateway.json.JsonCodec;
import com.mtlsgateway.json.JsonObject;
import com.mtlsgateway.customresource.LocalContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code mtls invoke EVENT_FILE [--timeout SECONDS]}: what {@code sam local invoke} does, without Docker.
 *
 * <p>stdout gets exactly the bytes the handler PUT to the ResponseURL; everything else (the handler's logs,
 * whether written to System.out or to the Lambda logger, and our own notes) goes to stderr. The event's own
 * ResponseURL is never printed: it is a pre-signed URL in a real event.
 */
final class InvokeCommand {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
  /** How long a handler may run past its deadline before we stop waiting (Lambda would have stopped it). */
  private static final Duration GRACE = Duration.ofSeconds(2);
  private static final int MAX_RESPONSE_BYTES = 4096;

  private final Handlers handlers;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean terminal;
  private final Consumer<byte[]> received;
  private final Clock clock = Clock.systemUTC();

  InvokeCommand(Handlers handlers, PrintStream out, PrintStream err, boolean terminal) {
    this(handlers, out, err, terminal, body -> { });
  }

  /** For tests: {@code received} sees every body the local ResponseURL accepts. */
  InvokeCommand(Handlers handlers, PrintStream out, PrintStream err, boolean terminal, Consumer<byte[]> received) {
    this.handlers = handlers;
    this.out = out;
    this.err = err;
    this.terminal = terminal;
    this.received = received;
  }

  int run(Path eventFile, Duration timeout) {
    JsonObject event;
    try {
      event = readEvent(eventFile);
    } catch (IOException e) {
      err.println("mtls: cannot read " + eventFile + ": " + InputFiles.describe(e));
      return Main.USAGE_OR_IO;
    } catch (BadEventException e) {
      err.println("mtls: " + eventFile + " " + e.getMessage());
      return Main.USAGE_OR_IO;
    }
    String resourceType = event.string("ResourceType");
    Optional<Supplier<RequestStreamHandler>> factory = handlers.forResourceType(resourceType);
    if (factory.isEmpty()) {
      err.println("mtls: no handler for ResourceType '" + resourceType + "' in " + eventFile
          + "; known types: " + String.join(", ", handlers.resourceTypes()));
      return Main.USAGE_OR_IO;
    }
    try (ResponseReceiver receiver = ResponseReceiver.start(err, received)) {
      event.put("ResponseURL", receiver.url().toString());
      return invoke(factory.get(), JsonCodec.write(event).getBytes(StandardCharsets.UTF_8), describe(event), timeout,
          receiver);
    } catch (IOException e) {
      err.println("mtls: cannot start the local ResponseURL receiver: " + InputFiles.describe(e));
      return Main.USAGE_OR_IO;
    }
  }

  private int invoke(Supplier<RequestStreamHandler> factory, byte[] input, String what, Duration timeout,
      ResponseReceiver receiver) {
    Instant start = clock.instant();
    LocalContext context = LocalContext.withTimeLeft(functionName(what), timeout, err);
    AtomicReference<Throwable> initFailure = new AtomicReference<>();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread worker = new Thread(() -> {
      RequestStreamHandler handler;
      try {
        handler = factory.get();
      } catch (Throwable t) {
        initFailure.set(t);
        return;
      }
      try {
        handler.handleRequest(new ByteArrayInputStream(input), OutputStream.nullOutputStream(), context);
      } catch (Throwable t) {
        thrown.set(t);
      }
    }, "mtls-invoke");
    worker.setDaemon(true);

    PrintStream stdout = System.out;
    System.setOut(err);
    try {
      worker.start();
      worker.join(Math.max(1, Duration.between(clock.instant(), context.deadline().plus(GRACE)).toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("mtls: interrupted while the handler was running");
      return Main.USAGE_OR_IO;
    } finally {
      System.out.flush();
      System.setOut(stdout);
    }
    long millis = Duration.between(start, clock.instant()).toMillis();

    if (initFailure.get() != null) {
      err.println("mtls: the handler could not be created (in Lambda: an init error): " + messages(initFailure.get()));
      if (System.getenv("AWS_REGION") == null && String.valueOf(initFailure.get().getMessage()).contains("region")) {
        err.println("mtls: set AWS_REGION (Lambda always does), e.g. AWS_REGION=us-east-1 bin/mtls invoke ...;"
            + " with AWS_ENDPOINT_URL=http://127.0.0.1:PORT the AWS calls go to a local emulator such as moto");
      }
      return Main.USAGE_OR_IO;
    }
    if (worker.isAlive()) {
      err.println("mtls: the handler was still running " + GRACE.toSeconds() + " s after its "
          + timeout.toSeconds() + " s deadline; Lambda would have stopped it");
    }
    if (thrown.get() != null) {
      err.println("mtls: the handler threw instead of returning (Lambda would retry the event):");
      thrown.get().printStackTrace(err);
    }
    Optional<byte[]> body = receiver.firstBody();
    if (body.isEmpty()) {
      err.println("mtls: the handler sent no response to the ResponseURL; CloudFormation would wait for one"
          + " until the resource's ServiceTimeout");
      return Main.USAGE_OR_IO;
    }
    if (receiver.accepted() > 1) {
      err.println("mtls: the handler sent " + receiver.accepted() + " responses; the first is printed");
    }
    byte[] bytes = body.get();
    if (bytes.length > MAX_RESPONSE_BYTES) {
      err.println("mtls: the response is " + bytes.length + " bytes; CloudFormation refuses more than "
          + MAX_RESPONSE_BYTES + " (\"Response object is too long\")");
    }
    out.write(bytes, 0, bytes.length);
    if (terminal) {
      out.println();
    }
    out.flush();

    String status = status(bytes);
    err.println("mtls: " + what + " answered " + (status.isEmpty() ? "without a Status" : status) + " in "
        + millis + " ms");
    switch (status) {
      case "SUCCESS":
        return Main.OK;
      case "FAILED":
        return Main.NEGATIVE;
      default:
        err.println("mtls: the response has no Status SUCCESS or FAILED, which CloudFormation would refuse");
        return Main.USAGE_OR_IO;
    }
  }

  private static JsonObject readEvent(Path file) throws IOException, BadEventException {
    byte[] raw = InputFiles.read(file);
    Object node;
    try {
      node = JsonCodec.parse(raw);
    } catch (JsonProcessingException e) {
      throw new BadEventException("is not JSON: " + e.getOriginalMessage());
    }
    if (!(node instanceof JsonObject event)) {
      throw new BadEventException("is not a JSON object, so not a CloudFormation custom resource event");
    }
    String type = event.string("ResourceType");
    if (type == null || type.isBlank()) {
      throw new BadEventException("has no ResourceType (e.g. \"Custom::Truststore\"): it says which handler to run");
    }
    if (!event.has("ResponseURL")) {
      throw new BadEventException("has no ResponseURL; CloudFormation always sends one (any placeholder will do:"
          + " mtls replaces it with a local receiver)");
    }
    return event;
  }

  /** e.g. "Custom::Truststore Create Truststore": names only, never the ResponseURL or property values. */
  private static String describe(JsonObject event) {
    return event.string("ResourceType") + " " + orElse(event, "RequestType", "?") + " "
        + orElse(event, "LogicalResourceId", "?");
  }

  /** The member's text when it is a string, number or boolean, else {@code otherwise}. */
  private static String orElse(JsonObject object, String name, String otherwise) {
    return Objects.requireNonNullElse(JsonCodec.scalarText(object.get(name)), otherwise);
  }

  private static String functionName(String what) {
    return "mtls-local-" + what.split(" ", 2)[0].replace("Custom::", "");
  }

  /** "Type: message; caused by Type: message", without the stack. */
  private static String messages(Throwable t) {
    StringBuilder text = new StringBuilder();
    for (Throwable cause = t; cause != null && text.length() < 2000; cause = cause.getCause()) {
      text.append(text.length() == 0 ? "" : "; caused by ").append(cause.getClass().getSimpleName());
      if (cause.getMessage() != null) {
        text.append(": ").append(cause.getMessage());
      }
    }
    return text.toString();
  }

  private static String status(byte[] body) {
    try {
      return JsonCodec.parse(body) instanceof JsonObject response ? orElse(response, "Status", "") : "";
    } catch (JsonProcessingException e) {
      return "";
    }
  }

  /** An event file that cannot be a CloudFormation custom resource event. */
  private static final class BadEventException extends Exception {
    private static final long serialVersionUID = 1L;

    BadEventException(String message) {
      super(message);
    }
  }
}
