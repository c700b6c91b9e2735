package com.mtlsgateway.cli;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.mtlsgateway.aws.Metrics;
import com.mtlsgateway.customresource.CustomResourceHandler;
import com.mtlsgateway.customresource.Json;
import com.mtlsgateway.customresource.LocalContext;
import com.mtlsgateway.json.JsonArray;
import com.mtlsgateway.json.JsonCodec;
import com.mtlsgateway.json.JsonObject;
import com.mtlsgateway.revocation.AuthorizerSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code mtls invoke EVENT_FILE [--timeout SECONDS]}: what {@code sam local invoke} does, without Docker ({@code
 * --prepare} first readies a local emulator: {@link PrepareCommand}).
 *
 * <p>Three kinds of event, told apart by their content:
 *
 * <ul>
 *   <li>a CloudFormation custom resource event (a {@code ResourceType}): stdout gets exactly the bytes the handler
 *       PUT to the ResponseURL, which is replaced by a local receiver; the event's own ResponseURL is never printed
 *       (it is a pre-signed URL in a real event). Exit 0 SUCCESS, 1 FAILED;
 *   <li>an API Gateway REQUEST authorizer event ({@code "type": "REQUEST"} and a {@code methodArn}): the
 *       revocation authorizer runs, configured by this process's environment as the template configures the
 *       function ({@code REVOCATION_INDEX_URI}, required, and the optional {@code REVOCATION_*} settings); stdout
 *       gets exactly the response it returns (principalId, policyDocument, context). Exit 0 Allow, 1 Deny;
 *   <li>an EventBridge scheduled event ({@code "source": "aws.events"}, {@code "detail-type": "Scheduled Event"}):
 *       the function whose rule the event's {@code resources} names runs: the revocation refresh ({@code
 *       TRUSTSTORE_URI}, {@code REVOCATION_LIST_URIS}, {@code REVOCATION_INDEX_URI}, {@code STACK_NAME}) or the
 *       truststore expiry check ({@code TRUSTSTORE_URI}, {@code STACK_NAME}); stdout gets the result it returns,
 *       or, when it fails, the error object Lambda returns ({@code errorMessage}, {@code errorType}); a refresh
 *       that staged its index but could not publish its metric is told apart on stderr. Exit 0 done, 1 failed.
 * </ul>
 *
 * <p>What stdout gets is followed by a newline. Everything else (the handler's logs, whether written to System.out
 * or to the Lambda logger, and our own notes) goes to stderr. Exit 2: the event or the settings are not usable, or
 * the handler could not run.
 */
final class InvokeCommand {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
  /** How long a handler may run past its deadline before we stop waiting (Lambda would have stopped it). */
  private static final Duration GRACE = Duration.ofSeconds(2);
  private static final int MAX_RESPONSE_BYTES = 4096;

  private final Handlers handlers;
  private final PrintStream out;
  private final PrintStream err;
  private final Consumer<byte[]> received;
  private final Clock clock = Clock.systemUTC();

  InvokeCommand(Handlers handlers, PrintStream out, PrintStream err) {
    this(handlers, out, err, body -> { });
  }

  /** For tests: {@code received} sees every body the local ResponseURL accepts. */
  InvokeCommand(Handlers handlers, PrintStream out, PrintStream err, Consumer<byte[]> received) {
    this.handlers = handlers;
    this.out = out;
    this.err = err;
    this.received = received;
  }

  int run(Path eventFile, Duration timeout) {
    JsonObject event = read(eventFile);
    return event == null ? Main.USAGE_OR_IO : run(event, eventFile.toString(), timeout);
  }

  /** The event in a file, or null after saying on stderr why it cannot be read or is no JSON object. */
  JsonObject read(Path eventFile) {
    try {
      return readEvent(eventFile);
    } catch (IOException e) {
      err.println("mtls: cannot read " + eventFile + ": " + InputFiles.describe(e));
    } catch (BadEventException e) {
      err.println("mtls: " + eventFile + " " + e.getMessage());
    }
    return null;
  }

  /**
   * Runs an event already read (and perhaps changed by {@code --prepare}).
   *
   * @param source where the event comes from, for messages (its file)
   */
  int run(JsonObject event, String source, Duration timeout) {
    switch (kind(event)) {
      case AUTHORIZER:
        return authorizer(event, timeout);
      case SCHEDULED:
        return scheduled(event, source, timeout);
      default:
        try {
          requireCustomResourceEvent(event);
        } catch (BadEventException e) {
          err.println("mtls: " + source + " " + e.getMessage());
          return Main.USAGE_OR_IO;
        }
    }
    String resourceType = event.string("ResourceType");
    Optional<Supplier<RequestStreamHandler>> factory = handlers.forResourceType(resourceType);
    if (factory.isEmpty()) {
      err.println("mtls: no handler for ResourceType '" + resourceType + "' in " + source
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

  /** What an event file holds, from its content. */
  enum Kind { CUSTOM_RESOURCE, AUTHORIZER, SCHEDULED }

  static Kind kind(JsonObject event) {
    if ("REQUEST".equals(event.get("type")) && event.has("methodArn")) {
      return Kind.AUTHORIZER;
    }
    if ("aws.events".equals(event.get("source")) && "Scheduled Event".equals(event.get("detail-type"))) {
      return Kind.SCHEDULED;
    }
    return Kind.CUSTOM_RESOURCE;
  }

  /** The REQUEST authorizer on one event: prints its response; 0 Allow, 1 Deny. */
  private int authorizer(JsonObject event, Duration timeout) {
    String index = handlers.environment(AuthorizerSettings.INDEX_URI);
    if (index == null || index.isBlank()) {
      err.println("mtls: an authorizer event needs " + AuthorizerSettings.INDEX_URI + ", the revocation index"
          + " the authorizer reads (the IndexUri of Custom::RevocationList; the template sets it), e.g. "
          + AuthorizerSettings.INDEX_URI + "=s3://BUCKET/revocation/index.bin bin/mtls invoke EVENT_FILE");
      return Main.USAGE_OR_IO;
    }
    String what = "RevocationAuthorizer " + orElse(event, "methodArn", "?");
    Execution run = execute(handlers.authorizer(), JsonCodec.write(event).getBytes(StandardCharsets.UTF_8),
        "RevocationAuthorizer", timeout);
    if (run.failedToStart(err)) {
      return Main.USAGE_OR_IO;
    }
    if (run.thrown() != null) {
      err.println("mtls: the authorizer threw instead of returning a policy (API Gateway would answer 500):");
      run.thrown().printStackTrace(err);
      return Main.USAGE_OR_IO;
    }
    byte[] bytes = run.output();
    print(bytes);
    Object response = parseOrNull(bytes);
    String effect = response instanceof JsonObject object ? effect(object) : "";
    Object context = response instanceof JsonObject object ? object.get("context") : null;
    String check = context instanceof JsonObject values ? orElse(values, "check", "") : "";
    String reason = context instanceof JsonObject values ? orElse(values, "reason", "") : "";
    err.println("mtls: " + what + " answered " + (effect.isEmpty() ? "without a usable policy" : effect)
        + (check.isEmpty() ? "" : " (" + check + ")") + " in " + run.millis() + " ms"
        + (reason.isEmpty() ? "" : ": " + reason));
    switch (effect) {
      case "Allow":
        return Main.OK;
      case "Deny":
        return Main.NEGATIVE;
      default:
        err.println("mtls: the response has no policyDocument whose statements all Allow or one Denies;"
            + " API Gateway would answer 500 (AuthorizerConfigurationException)");
        return Main.USAGE_OR_IO;
    }
  }

  /**
   * The rule of the template that sent a scheduled event, from its name.
   *
   * @param rule the rule's logical id; {@code stack} the part of the name before it (the stack's name, perhaps cut)
   */
  record RuleName(String rule, String stack) {}

  /**
   * The rule of the template that sent a scheduled event: its {@code resources} holds the rule's ARN,
   * {@code arn:aws:events:REGION:ACCOUNT:rule/STACK-RuleLogicalId-SUFFIX}. CloudFormation cuts a generated name to
   * the 64 characters a rule name may have by shortening STACK and RuleLogicalId, so the part between the last two
   * hyphens is the logical id or its start (logical ids have no hyphen). Empty when that names none of {@code rules}
   * or more than one.
   */
  static Optional<RuleName> rule(JsonObject event, Set<String> rules) {
    String name = ruleName(event);
    int suffix = name == null ? -1 : name.lastIndexOf('-');
    int start = suffix < 0 ? -1 : name.lastIndexOf('-', suffix - 1);
    if (start < 0 || start + 1 == suffix) {
      return Optional.empty();
    }
    String id = name.substring(start + 1, suffix);
    List<String> matching = rules.stream().filter(rule -> rule.startsWith(id)).toList();
    return matching.size() == 1 ? Optional.of(new RuleName(matching.get(0), name.substring(0, start)))
        : Optional.empty();
  }

  /** The name in the rule ARN of a scheduled event's one {@code resources} member, or null. */
  private static String ruleName(JsonObject event) {
    Object resources = event.get("resources");
    if (!(resources instanceof JsonArray list) || list.size() != 1 || !(list.get(0) instanceof String arn)) {
      return null;
    }
    int at = arn.indexOf(":rule/");
    return at < 0 ? null : arn.substring(at + ":rule/".length());
  }

  /** A scheduled function on one event: prints its result or Lambda's error object; 0 done, 1 failed. */
  private int scheduled(JsonObject event, String source, Duration timeout) {
    Optional<RuleName> rule = rule(event, handlers.rules());
    if (rule.isEmpty()) {
      String name = ruleName(event);
      err.println("mtls: " + source + " is a scheduled event, but " + (name == null
          ? "its resources do not hold the ARN of one rule" : "its rule " + name + " does not name one rule of the"
          + " template, in full or cut short") + ": choose the function by the rule's name in resources,"
          + " arn:aws:events:REGION:ACCOUNT:rule/STACK-RULE-SUFFIX with RULE one of "
          + String.join(", ", handlers.rules()) + " or its start (as in events/)");
      return Main.USAGE_OR_IO;
    }
    // The constructor of Handlers takes only rules of the table.
    Handlers.Scheduled scheduled = Handlers.scheduled(rule.get().rule()).orElseThrow();
    List<String> missing = new ArrayList<>();
    for (String name : scheduled.settings()) {
      String value = handlers.environment(name);
      if (value == null || value.isBlank()) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      err.println("mtls: a scheduled event of rule " + scheduled.rule() + " needs " + String.join(", ", missing)
          + ", as the template sets them for its function: " + scheduled.example());
      return Main.USAGE_OR_IO;
    }
    Execution run = execute(handlers.forRule(scheduled.rule()).orElseThrow(),
        JsonCodec.write(event).getBytes(StandardCharsets.UTF_8), scheduled.rule(), timeout);
    if (run.failedToStart(err)) {
      return Main.USAGE_OR_IO;
    }
    Object result = parseOrNull(run.output());
    if (run.thrown() != null) {
      Throwable failure = run.thrown();
      print(Json.write(Json.object().put("errorMessage", String.valueOf(failure.getMessage()))
          .put("errorType", failure.getClass().getName())).getBytes(StandardCharsets.UTF_8));
      if (failure instanceof Metrics.MetricException && result instanceof JsonObject done
          && scheduled.resultEvent().equals(done.get("event"))) {
        err.println("mtls: " + summary(scheduled, done) + ", but its metric was not published, in " + run.millis()
            + " ms (in Lambda: an invocation error, counted in the function's Errors metric; what it staged is in"
            + " place): " + messages(failure));
      } else {
        err.println("mtls: " + scheduled.name() + " failed in " + run.millis() + " ms (in Lambda: an invocation"
            + " error, counted in the function's Errors metric; " + scheduled.failure() + "): " + messages(failure));
      }
      return Main.NEGATIVE;
    }
    print(run.output());
    if (!(result instanceof JsonObject done) || !scheduled.resultEvent().equals(done.get("event"))) {
      err.println("mtls: " + scheduled.name() + " returned no " + scheduled.resultEvent() + " result");
      return Main.USAGE_OR_IO;
    }
    err.println("mtls: " + summary(scheduled, done) + " in " + run.millis() + " ms");
    return Main.OK;
  }

  /** What a scheduled function's result says it did, e.g. "the refresh staged s3://B/K version V (a new version)". */
  private static String summary(Handlers.Scheduled scheduled, JsonObject done) {
    if (scheduled.rule().equals(Handlers.REFRESH_RULE)) {
      return "the refresh staged " + orElse(done, "indexUri", "?") + " version " + orElse(done, "indexVersion", "?")
          + ("true".equals(orElse(done, "reused", "")) ? " (unchanged: the current version was reused)"
              : " (a new version)");
    }
    return "the check published " + orElse(done, "metric", "?") + " = " + orElse(done, "daysLeft", "?") + " days"
        + " (" + Metrics.DIMENSION + "=" + orElse(done, Metrics.DIMENSION, "?") + "): "
        + orElse(done, "earliestSubject", "?") + " expires first, at " + orElse(done, "earliestNotAfter", "?") + ";";
  }

  /** "Allow" when every statement allows, "Deny" when one denies, else "". */
  private static String effect(JsonObject response) {
    Object policy = response.get("policyDocument");
    Object statements = policy instanceof JsonObject document ? document.get("Statement") : null;
    if (!(statements instanceof JsonArray list) || list.size() == 0) {
      return "";
    }
    boolean denied = false;
    for (Object statement : list) {
      Object effect = statement instanceof JsonObject object ? object.get("Effect") : null;
      if ("Deny".equals(effect)) {
        denied = true;
      } else if (!"Allow".equals(effect)) {
        return "";
      }
    }
    return denied ? "Deny" : "Allow";
  }

  /** The bytes, then a newline, so that a terminal shows the stderr summary on a line of its own. */
  private void print(byte[] bytes) {
    out.write(bytes, 0, bytes.length);
    out.write('\n');
    out.flush();
  }

  private static Object parseOrNull(byte[] bytes) {
    try {
      return JsonCodec.parse(bytes);
    } catch (JsonProcessingException | RuntimeException e) {
      return null;
    }
  }

  /**
   * One run of a handler in a thread of its own, within the deadline (plus {@link #GRACE}).
   *
   * @param initFailure what the handler's constructor threw (in Lambda: an init error), or null
   * @param thrown what {@code handleRequest} threw, or null
   * @param output what it wrote to its output stream
   */
  private record Execution(Throwable initFailure, Throwable thrown, byte[] output, long millis, boolean stillRunning,
      Duration timeout) {

    /** Reports an init failure or a run past the deadline; true when the handler could not be made. */
    boolean failedToStart(PrintStream err) {
      if (initFailure != null) {
        err.println("mtls: the handler could not be created (in Lambda: an init error): " + messages(initFailure));
        if (System.getenv("AWS_REGION") == null && String.valueOf(initFailure.getMessage()).contains("region")) {
          err.println("mtls: set AWS_REGION (Lambda always does), e.g. AWS_REGION=us-east-1 bin/mtls invoke ...;"
              + " with AWS_ENDPOINT_URL=http://127.0.0.1:PORT the AWS calls go to a local emulator such as moto");
        }
        return true;
      }
      if (stillRunning) {
        err.println("mtls: the handler was still running " + GRACE.toSeconds() + " s after its "
            + timeout.toSeconds() + " s deadline; Lambda would have stopped it");
      }
      return false;
    }
  }

  /**
   * Creates the handler, then runs it with {@code timeout} left: as in Lambda, where the function's Timeout counts
   * from the invocation, not from the init that builds the handler and its SDK clients.
   */
  private Execution execute(Supplier<RequestStreamHandler> factory, byte[] input, String what, Duration timeout) {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(err);
    RequestStreamHandler handler;
    try {
      handler = factory.get();
    } catch (Throwable t) {
      System.out.flush();
      System.setOut(stdout);
      return new Execution(t, null, new byte[0], 0, false, timeout);
    }
    Instant start = clock.instant();
    LocalContext context = LocalContext.withTimeLeft(functionName(what), timeout, err);
    Thread worker = new Thread(() -> {
      try {
        handler.handleRequest(new ByteArrayInputStream(input), output, context);
      } catch (Throwable t) {
        thrown.set(t);
      }
    }, "mtls-invoke");
    worker.setDaemon(true);
    try {
      worker.start();
      worker.join(Math.max(1, Duration.between(clock.instant(), context.deadline().plus(GRACE)).toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thrown.compareAndSet(null, new IllegalStateException("interrupted while the handler was running"));
    } finally {
      System.out.flush();
      System.setOut(stdout);
    }
    long millis = Duration.between(start, clock.instant()).toMillis();
    return new Execution(null, thrown.get(), output.toByteArray(), millis, worker.isAlive(), timeout);
  }

  private int invoke(Supplier<RequestStreamHandler> factory, byte[] input, String what, Duration timeout,
      ResponseReceiver receiver) {
    Execution run = execute(factory, input, what, timeout);
    if (run.failedToStart(err)) {
      return Main.USAGE_OR_IO;
    }
    if (run.thrown() != null) {
      err.println("mtls: the handler threw instead of returning (Lambda would retry the event):");
      run.thrown().printStackTrace(err);
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
    print(bytes);

    String status = status(bytes);
    err.println("mtls: " + what + " answered " + (status.isEmpty() ? "without a Status" : status) + " in "
        + run.millis() + " ms");
    if (status.equals("FAILED") && timeout.compareTo(CustomResourceHandler.MIN_TIMEOUT) < 0) {
      err.println("mtls: --timeout " + timeout.toSeconds() + " is less than the " + CustomResourceHandler.MIN_TIMEOUT
          .toSeconds() + " s a custom resource handler needs to start its work; give --timeout "
          + CustomResourceHandler.MIN_TIMEOUT.toSeconds() + " or more (the default is " + DEFAULT_TIMEOUT.toSeconds()
          + ")");
    }
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
      // As the runtime reads an event: a name or nesting beyond the usual limits is the handler's to refuse.
      node = JsonCodec.parseLenient(raw);
    } catch (JsonProcessingException e) {
      throw new BadEventException("is not JSON: " + e.getOriginalMessage());
    }
    if (!(node instanceof JsonObject event)) {
      throw new BadEventException("is not a JSON object, so not a CloudFormation custom resource event, an API Gateway"
          + " authorizer event or a scheduled event");
    }
    return event;
  }

  private static void requireCustomResourceEvent(JsonObject event) throws BadEventException {
    String type = event.string("ResourceType");
    if (type == null || type.isBlank()) {
      throw new BadEventException("has no ResourceType (e.g. \"Custom::Truststore\"): it says which handler to run"
          + " (an authorizer event has \"type\": \"REQUEST\" and a methodArn; a scheduled event \"source\":"
          + " \"aws.events\" and \"detail-type\": \"Scheduled Event\")");
    }
    if (!event.has("ResponseURL")) {
      throw new BadEventException("has no ResponseURL; CloudFormation always sends one (any placeholder will do:"
          + " mtls replaces it with a local receiver)");
    }
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
