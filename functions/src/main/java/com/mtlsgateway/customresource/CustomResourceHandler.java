package com.mtlsgateway.customresource;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.mtlsgateway.aws.AwsCallsInFlight;
import com.mtlsgateway.json.JsonObject;
import com.mtlsgateway.text.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Base of every custom resource handler: it parses the event, runs {@link #create}, {@link #update} or
 * {@link #delete}, and always answers CloudFormation. Subclasses write only {@link #parse} and those three.
 *
 * <p>What it guarantees (CloudFormation User Guide, crpg-ref-requests and crpg-ref-responses):
 * <ul>
 *   <li>Any exception becomes a FAILED response; a {@link CustomResourceException}'s message is the Reason as is,
 *       any other exception's Reason is its class name and message (and its stack trace goes to the log).
 *   <li>Physical ids: a failed Create answers {@value #CREATE_FAILED_ID_PREFIX}{@code <RequestId>} (the same for a
 *       retried event), and the Delete CloudFormation then sends for that id calls only
 *       {@link #deleteFailedCreate} (by default nothing), not even {@link #parse}. A failed Update or Delete answers
 *       the event's id. An {@link Outcome} with a null id keeps the event's id.
 *   <li>Deadline: the work runs on its own thread and must end {@link #RESERVE} (at most half the Lambda time left)
 *       before the Lambda deadline; otherwise the thread is interrupted and FAILED "Timed out" is sent, naming the
 *       AWS calls (of the clients {@link com.mtlsgateway.aws.AwsClients} builds) still running, each of which is also
 *       logged ({@code aws-call.still-running}: service, operation, runningMs). A request
 *       that arrives with less than {@link #MIN_TIMEOUT} left (in whole seconds, rounded up: the function's
 *       Timeout) is answered FAILED at once, without any work: the answer does not depend on how far the work
 *       would have got.
 *   <li>The response body always fits CloudFormation's limits ({@link ResponseBody}); it is PUT by the
 *       {@link ResponseSender}, which retries until {@link #SEND_MARGIN} before the Lambda deadline.
 *   <li>One JSON log line per request on stdout, written once delivery is known: requestType, resourceType,
 *       logicalResourceId, requestId, awsRequestId, status, physicalResourceId, durationMs, delivered, and the
 *       reason when FAILED. Never the ResponseURL, the event, or property values.
 *   <li>The response body is also written to the Lambda output stream (what {@code sam local invoke} prints).
 * </ul>
 *
 * <p>Handlers must be idempotent: Lambda invokes asynchronously and retries a failed invocation (twice by default),
 * and the runtime fails the invocation when the response could not be delivered, to get that retry.
 * Implementations keep no per-request state in fields: one instance serves every invocation of a container.
 *
 * @param <P> the handler's typed, validated properties
 */
public abstract class CustomResourceHandler<P> implements RequestStreamHandler {
  /** Start of the PhysicalResourceId a failed Create answers with; followed by the RequestId. */
  public static final String CREATE_FAILED_ID_PREFIX = "mtls-gateway:create-failed:";
  /** Time kept after the work to answer CloudFormation; at most half the Lambda time left. */
  public static final Duration RESERVE = Duration.ofSeconds(5);
  /**
   * The least time left, in whole seconds, with which a request is worked on: {@link #RESERVE} for the work and as
   * much again kept to answer. Not an AWS limit: below it, whether the work finishes would depend on the network.
   */
  public static final Duration MIN_TIMEOUT = RESERVE.multipliedBy(2);
  /** The response PUT and its retries stop this long before the Lambda deadline; at most half the reserve. */
  public static final Duration SEND_MARGIN = Duration.ofMillis(500);

  private final ResponseSender sender;
  private final Clock clock;

  /**
   * @param sender delivers responses; production code passes {@link HttpResponseSender}
   * @param clock  measures durations and deadlines, and is the clock of the {@link Deadline} handed to handlers
   */
  protected CustomResourceHandler(ResponseSender sender, Clock clock) {
    this.sender = Objects.requireNonNull(sender, "sender");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Handles one CloudFormation event.
   *
   * @param in      the event, JSON exactly as CloudFormation sends it
   * @param out     receives the response body that was PUT
   * @param context the Lambda context; its remaining time sets the deadlines
   * @throws IOException when the response could not be delivered (Lambda then retries the event)
   * @throws InvalidRequestException when the event is malformed so badly that it cannot be answered (no usable
   *     ResponseURL, StackId, RequestId or LogicalResourceId)
   */
  @Override
  public final void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
    Timing timing = Timing.of(clock.instant(), System.nanoTime(), context.getRemainingTimeInMillis());
    CustomResourceRequest request;
    try {
      request = CustomResourceRequest.parse(in.readAllBytes());
    } catch (InvalidRequestException e) {
      if (e.replyTo().isEmpty()) {
        JsonObject line = Json.object();
        line.put("message", "invalid request, cannot be answered");
        line.put("awsRequestId", context.getAwsRequestId());
        line.put("reason", e.getMessage());
        Json.log(line);
        throw e;
      }
      ReplyTo replyTo = e.replyTo().get();
      String id = replyTo.physicalResourceId() != null ? replyTo.physicalResourceId() : replyTo.createFailedId();
      answer(replyTo, null, new Result(Response.failed(replyTo, id, e.getMessage()), null), timing, out, context);
      return;
    }
    answer(request.replyTo(), request, runOrCleanUp(request, timing), timing, out, context);
  }

  /**
   * Reads the properties into the handler's own type. Read every accepted property through
   * {@link ResourceProperties#required}, {@link ResourceProperties#optional} or {@link ResourceProperties#flag},
   * then call {@link ResourceProperties#finish()} so that unknown properties are rejected.
   *
   * @throws InvalidPropertyException naming the property at fault
   */
  protected abstract P parse(ResourceProperties properties);

  /**
   * Creates the resource.
   *
   * @return the new resource's id (required) and data
   * @throws Exception any failure; a {@link CustomResourceException}'s message becomes the Reason as is
   */
  protected abstract Outcome create(P properties, CustomResourceRequest request, Deadline deadline) throws Exception;

  /**
   * Updates the resource. Returning {@code request.physicalResourceId()} (or a null id) is a normal update; a
   * different id is a replacement, after which CloudFormation sends a Delete for the old id.
   *
   * @param oldProperties the properties before the update; null when they no longer parse
   * @throws Exception any failure; a {@link CustomResourceException}'s message becomes the Reason as is
   */
  protected abstract Outcome update(P properties, P oldProperties, CustomResourceRequest request, Deadline deadline)
      throws Exception;

  /**
   * Deletes the resource. Must succeed when it is already gone, and may run while a Create of the same resource is
   * still running. Not called for the id of a failed Create.
   *
   * @param properties the properties; null when they no longer parse (e.g. a property renamed since the Create),
   *     so that a Delete can still succeed
   * @throws Exception any failure; a {@link CustomResourceException}'s message becomes the Reason as is
   */
  protected abstract Outcome delete(P properties, CustomResourceRequest request, Deadline deadline) throws Exception;

  /**
   * Handles the Delete CloudFormation sends for the id a failed Create answered. Nothing by default: a Create that
   * failed made nothing. A handler whose Create may have made something before it failed (e.g. timed out after an
   * AWS call succeeded) removes it here, finding it by the Create's RequestId. Must succeed when there is nothing;
   * its properties are not read.
   *
   * @param createRequestId the RequestId of the Create that failed (the event's own RequestId is another)
   * @throws Exception any failure; a {@link CustomResourceException}'s message becomes the Reason as is
   */
  protected Outcome deleteFailedCreate(String createRequestId, CustomResourceRequest request, Deadline deadline)
      throws Exception {
    return Outcome.sameId(Map.of());
  }

  /** The response, and the unexpected exception behind it if any (its stack trace is logged). */
  private record Result(Response response, Throwable unexpected) {}

  /**
   * How the Lambda time left is split.
   *
   * @param startNanos  the start on {@link System#nanoTime()}, to tell this request's AWS calls from older ones
   * @param secondsLeft the time left at the start in whole seconds, rounded up: the function's Timeout
   * @param workBy  the handler's deadline: {@code reserve} before the Lambda deadline
   * @param sendBy  the response PUT's deadline
   */
  private record Timing(Instant start, long startNanos, long secondsLeft, Instant workBy, Instant sendBy,
      Duration reserve) {
    static Timing of(Instant start, long startNanos, int remainingMillis) {
      long millis = Math.max(0, remainingMillis);
      Instant lambdaEnd = start.plusMillis(millis);
      Duration reserve = min(RESERVE, Duration.between(start, lambdaEnd).dividedBy(2));
      return new Timing(start, startNanos, (millis + 999) / 1000, lambdaEnd.minus(reserve),
          lambdaEnd.minus(min(SEND_MARGIN, reserve.dividedBy(2))), reserve);
    }
  }

  /**
   * {@link #run}, except for the Delete of a failed Create's marker: it only cleans up, whatever the time, and always
   * succeeds, since a FAILED would block the stack's rollback; a cleanup that failed or timed out is logged
   * ({@code create-failed.cleanup-incomplete}) with the Reason it would have had.
   */
  private Result runOrCleanUp(CustomResourceRequest request, Timing timing) {
    String createRequestId = request.requestType() == RequestType.Delete
        && request.physicalResourceId().startsWith(CREATE_FAILED_ID_PREFIX)
        ? request.physicalResourceId().substring(CREATE_FAILED_ID_PREFIX.length()) : null;
    Result result = run(request, timing, createRequestId);
    if (createRequestId == null || result.response().status() == Response.Status.SUCCESS) {
      return result;
    }
    Json.log(Json.line("create-failed.cleanup-incomplete", request).put("reason", result.response().reason()));
    return new Result(Response.success(request.replyTo(), Outcome.sameId(Map.of()), request.physicalResourceId()),
        result.unexpected());
  }

  private Result run(CustomResourceRequest request, Timing timing, String createRequestId) {
    ReplyTo replyTo = request.replyTo();
    String failedId = request.requestType() == RequestType.Create
        ? replyTo.createFailedId() : request.physicalResourceId();
    if (createRequestId == null && timing.secondsLeft() < MIN_TIMEOUT.toSeconds()) {
      return new Result(Response.failed(replyTo, failedId, "The " + request.requestType() + " was not started: the"
          + " function had " + timing.secondsLeft() + " s left, and a request needs at least "
          + MIN_TIMEOUT.toSeconds() + " s (" + Durations.readable(RESERVE) + " for the work and "
          + Durations.readable(RESERVE) + " kept to answer CloudFormation); raise the function's Timeout to "
          + MIN_TIMEOUT.toSeconds() + " s or more"), null);
    }
    Deadline deadline = new Deadline(timing.workBy(), clock);
    FutureTask<Outcome> work = new FutureTask<>(() -> createRequestId != null
        ? deleteFailedCreate(createRequestId, request, deadline) : dispatch(request, deadline));
    try {
      startWorker(work);
    } catch (Throwable e) { // e.g. OutOfMemoryError "unable to create native thread": still answer CloudFormation
      return new Result(Response.failed(replyTo, failedId, "The handler could not start its work ("
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
          + "); retry the deployment"), e);
    }
    try {
      Outcome outcome = work.get(Math.max(0, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS);
      String id = outcome.physicalResourceId() != null ? outcome.physicalResourceId() : request.physicalResourceId();
      if (id == null) {
        return new Result(Response.failed(replyTo, failedId,
            "The handler returned no PhysicalResourceId for a Create"), null);
      }
      return new Result(Response.success(replyTo, outcome, id), null);
    } catch (TimeoutException e) {
      List<AwsCallsInFlight.Call> waitingFor = AwsCallsInFlight.INSTANCE.startedSince(timing.startNanos());
      work.cancel(true);
      waitingFor.forEach(call -> Json.log(Json.line("aws-call.still-running", request)
          .put("service", call.service()).put("operation", call.operation())
          .put("runningMs", call.running().toMillis())));
      String calls = waitingFor.stream().map(call -> call.service() + " " + call.operation()).distinct()
          .collect(Collectors.joining(", "));
      return new Result(Response.failed(replyTo, failedId, "Timed out: the " + request.requestType()
          + " did not finish within " + Durations.readable(Duration.between(timing.start(), timing.workBy()))
          + ", the time the function had left less " + Durations.readable(timing.reserve())
          + " kept to answer CloudFormation" + (calls.isEmpty() ? "" : "; it was still waiting for " + calls)
          + "; raise the function's Timeout, or see its log for what was slow"), null);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      boolean expected = cause instanceof CustomResourceException;
      return new Result(Response.failed(replyTo, failedId, reason(cause)), expected ? null : cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      work.cancel(true);
      return new Result(Response.failed(replyTo, failedId, "Interrupted while waiting for the handler"), e);
    }
  }

  /** Runs the work on a new daemon thread; a seam for tests of a thread that cannot be started. */
  void startWorker(Runnable work) {
    Thread worker = new Thread(work, "custom-resource-work");
    worker.setDaemon(true); // a worker stuck past its deadline must not keep a JVM (bin/mtls) alive
    worker.start();
  }

  private Outcome dispatch(CustomResourceRequest request, Deadline deadline) throws Exception {
    return switch (request.requestType()) {
      case Create -> create(parse(request.properties()), request, deadline);
      case Update -> update(parse(request.properties()), parseOrNull(request.oldProperties()), request, deadline);
      case Delete -> delete(parseOrNull(request.properties()), request, deadline);
    };
  }

  private P parseOrNull(ResourceProperties properties) {
    try {
      return parse(properties);
    } catch (RuntimeException e) { // properties that no longer parse, for any reason: delete without them
      return null;
    }
  }

  private void answer(ReplyTo replyTo, CustomResourceRequest request, Result result, Timing timing,
      OutputStream out, Context context) throws IOException {
    Response sent = ResponseBody.fit(result.response());
    byte[] body = ResponseBody.build(sent);
    boolean delivered = sender.send(replyTo.responseUrl(), body, timing.sendBy());
    out.write(body);
    out.flush();
    log(replyTo, request, sent, result.unexpected(), Duration.between(timing.start(), clock.instant()), delivered,
        context);
    if (!delivered) {
      throw new IOException("The response could not be delivered to CloudFormation (see the log line above); "
          + "failing the invocation so that Lambda retries the event");
    }
  }

  private static void log(ReplyTo replyTo, CustomResourceRequest request, Response sent, Throwable unexpected,
      Duration duration, boolean delivered, Context context) {
    JsonObject line = Json.object();
    if (request != null) {
      line.put("requestType", request.requestType().name());
      line.put("resourceType", request.resourceType());
    }
    line.put("logicalResourceId", replyTo.logicalResourceId());
    line.put("requestId", replyTo.requestId());
    line.put("awsRequestId", context.getAwsRequestId());
    line.put("status", sent.status().name());
    line.put("physicalResourceId", sent.physicalResourceId());
    line.put("durationMs", duration.toMillis());
    line.put("delivered", delivered);
    if (sent.status() == Response.Status.FAILED) {
      line.put("reason", sent.reason());
    }
    if (unexpected != null) {
      StringWriter trace = new StringWriter();
      unexpected.printStackTrace(new PrintWriter(trace));
      line.put("stackTrace", trace.toString());
    }
    Json.log(line);
  }

  private static String reason(Throwable failure) {
    String message = failure.getMessage();
    if (failure instanceof CustomResourceException && message != null && !message.isBlank()) {
      return message;
    }
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
