package com.mtlsgateway.endpoint;

import com.mtlsgateway.json.JsonObject;
import com.mtlsgateway.aws.AwsClients;
import com.mtlsgateway.aws.AwsErrors;
import com.mtlsgateway.customresource.Backoff;
import com.mtlsgateway.customresource.CustomResourceException;
import com.mtlsgateway.customresource.CustomResourceHandler;
import com.mtlsgateway.customresource.CustomResourceRequest;
import com.mtlsgateway.customresource.Deadline;
import com.mtlsgateway.customresource.HttpResponseSender;
import com.mtlsgateway.customresource.Json;
import com.mtlsgateway.customresource.Outcome;
import com.mtlsgateway.customresource.ResourceProperties;
import com.mtlsgateway.customresource.ResponseSender;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ConflictException;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;
import software.amazon.awssdk.services.apigateway.model.TooManyRequestsException;

/**
 * Backs {@code Custom::DefaultEndpoint}: sets a REST API's {@code disableExecuteApiEndpoint} and makes it take
 * effect on a stage, so that clients must come through the mTLS custom domain.
 *
 * <ul>
 *   <li>Create: {@code GetRestApi}; {@code UpdateRestApi} (replace {@code /disableExecuteApiEndpoint}) when the value
 *       differs from {@code Disabled}; {@code GetStage} (the stage must exist: {@code CreateDeployment} would
 *       otherwise create it); then {@code CreateDeployment} of the current API to that stage, always. The
 *       PhysicalResourceId records the value found: see {@link ResourceId}.
 *   <li>Update: the same, keeping the id while the RestApiId is the same. Another RestApiId is a replacement: the new
 *       API's value is recorded in a new id, and CloudFormation's Delete of the old id restores the old API.
 *   <li>Delete: when the API still exists and its value differs from the one recorded, restore it and redeploy (when
 *       the stage still exists). A missing API or stage is success.
 * </ul>
 *
 * <p>Why a new deployment: API Gateway applies a changed {@code disableExecuteApiEndpoint} only "after a stage update
 * or a new deployment" (developer guide, rest-api-disable-default-endpoint.html). A new deployment to the stage is the
 * documented step with no ambiguity (which stage patch counts as an "update" is not documented), and it keeps the
 * stage's settings. It redeploys the API's current state: changes made to the API since its last deployment go live
 * with it, as they would with any deployment. The redeploy is done on every Create and Update, also when the value
 * already matched, because a value flipped earlier without a deployment has not taken effect either.
 *
 * <p>{@code TooManyRequestsException} and {@code ConflictException} (another change to the same API in flight) are
 * retried with {@link #BACKOFF} (1 s doubled up to 16 s, at least the service's Retry-After) while the deadline
 * allows.
 *
 * <p>Known limit: Lambda retries a failed or timed-out Create with the same event; if the first attempt had already
 * flipped the value, the retry records the flipped value as the original, and Delete then leaves the endpoint as it
 * is (disabled, in the usual case): the safe side.
 *
 * <p>Data: {@code DisableExecuteApiEndpoint} ({@code "true"}/{@code "false"}), {@code DeploymentId} (the new
 * deployment's id).
 */
public final class DefaultEndpointHandler extends CustomResourceHandler<DefaultEndpointProperties> {

  /** Waits between retries: 1 s doubled up to 16 s, keeping 2 s after a wait for the call itself. */
  static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(16), Duration.ofSeconds(2));
  static final String PATH = "/disableExecuteApiEndpoint";

  private final ApiGatewayClient apiGateway;

  /** For the Lambda runtime: the shared client, the HTTP response sender and the system clock. */
  public DefaultEndpointHandler() {
    this(AwsClients.apiGateway(), new HttpResponseSender(), Clock.systemUTC());
  }

  /** For tests and in-process use ({@code bin/mtls invoke}): explicit client, response sender and clock. */
  public DefaultEndpointHandler(ApiGatewayClient apiGateway, ResponseSender sender, Clock clock) {
    super(sender, clock);
    this.apiGateway = Objects.requireNonNull(apiGateway, "apiGateway");
  }

  /**
   * The PhysicalResourceId, {@code RestApiId/StageName/original=true|false}: the API, the stage at Create, and the
   * API's {@code disableExecuteApiEndpoint} found at Create, which Delete restores. At most 64 + 128 + 16 characters:
   * well under CloudFormation's 1 KB. The stage part is informative and a fallback: Delete redeploys the stage of
   * its properties (the last applied) when they name the same API, since an Update that changes only the stage keeps
   * the id.
   */
  record ResourceId(String restApiId, String stageName, boolean original) {
    private static final Pattern FORM =
        Pattern.compile("([A-Za-z0-9]{1,64})/([A-Za-z0-9_-]{1,128})/original=(true|false)");

    static Optional<ResourceId> parse(String id) {
      Matcher matcher = FORM.matcher(id == null ? "" : id);
      if (!matcher.matches()) {
        return Optional.empty();
      }
      return Optional.of(new ResourceId(matcher.group(1), matcher.group(2), Boolean.parseBoolean(matcher.group(3))));
    }

    @Override
    public String toString() {
      return restApiId + "/" + stageName + "/original=" + original;
    }
  }

  @Override
  protected DefaultEndpointProperties parse(ResourceProperties properties) {
    return DefaultEndpointProperties.from(properties);
  }

  @Override
  protected Outcome create(DefaultEndpointProperties properties, CustomResourceRequest request, Deadline deadline)
      throws InterruptedException {
    Applied applied = apply(properties, request, deadline);
    return Outcome.of(new ResourceId(properties.restApiId(), properties.stageName(), applied.found()).toString(),
        applied.data());
  }

  @Override
  protected Outcome update(DefaultEndpointProperties properties, DefaultEndpointProperties oldProperties,
      CustomResourceRequest request, Deadline deadline) throws InterruptedException {
    Optional<ResourceId> id = ResourceId.parse(request.physicalResourceId());
    Applied applied = apply(properties, request, deadline);
    if (id.isPresent() && id.get().restApiId().equals(properties.restApiId())) {
      return Outcome.sameId(applied.data()); // the value recorded at Create stays what Delete restores
    }
    // Another API (or an id not ours): a replacement. CloudFormation's Delete of the old id restores the old API.
    return Outcome.of(new ResourceId(properties.restApiId(), properties.stageName(), applied.found()).toString(),
        applied.data());
  }

  @Override
  protected Outcome delete(DefaultEndpointProperties properties, CustomResourceRequest request, Deadline deadline)
      throws InterruptedException {
    Optional<ResourceId> parsed = ResourceId.parse(request.physicalResourceId());
    if (parsed.isEmpty()) {
      return Outcome.sameId(Map.of()); // not an id this handler made: nothing to restore
    }
    ResourceId id = parsed.get();
    String stage = properties != null && properties.restApiId().equals(id.restApiId())
        ? properties.stageName() : id.stageName();
    JsonObject line = Json.line("default-endpoint.restored", request);
    line.put("restApiId", id.restApiId());
    line.put("stageName", stage);
    line.put("original", id.original());
    try {
      boolean current = current(id.restApiId(), deadline);
      line.put("found", current);
      if (current != id.original()) {
        set(id.restApiId(), id.original(), deadline);
        if (stageExists(id.restApiId(), stage, deadline)) {
          line.put("deploymentId", redeploy(id.restApiId(), stage, id.original(), request, deadline));
        } else {
          line.put("stageGone", true); // the value applies at the API's next deployment
        }
      }
    } catch (Missing e) {
      line.put("apiGone", true);
    }
    Json.log(line);
    return Outcome.sameId(Map.of());
  }

  /** What Create and Update did: the value found, and the Data. */
  private record Applied(boolean found, Map<String, String> data) {}

  private Applied apply(DefaultEndpointProperties properties, CustomResourceRequest request, Deadline deadline)
      throws InterruptedException {
    String api = properties.restApiId();
    boolean found = current(api, deadline);
    // The stage first: a Create failing after the flag was set would leave it changed with nobody to restore it.
    if (!stageExists(api, properties.stageName(), deadline)) {
      throw new CustomResourceException("API Gateway GetStage " + api + "/" + properties.stageName() + ": the stage "
          + "does not exist; check StageName, and make this resource depend on the stage (DependsOn) so that it is "
          + "created first");
    }
    boolean changed = found != properties.disabled();
    if (changed) {
      set(api, properties.disabled(), deadline);
    }
    String deploymentId;
    try {
      deploymentId = redeploy(api, properties.stageName(), properties.disabled(), request, deadline);
    } catch (RuntimeException | InterruptedException e) {
      if (changed) {
        restore(api, found, e, request, deadline);
      }
      throw e;
    }
    JsonObject line = Json.line("default-endpoint.applied", request);
    line.put("restApiId", api);
    line.put("stageName", properties.stageName());
    line.put("found", found);
    line.put("disableExecuteApiEndpoint", properties.disabled());
    line.put("deploymentId", deploymentId);
    Json.log(line);
    return new Applied(found, Map.of("DisableExecuteApiEndpoint", Boolean.toString(properties.disabled()),
        "DeploymentId", deploymentId));
  }

  /** Puts back the value found before a failed deployment; a failure to do so is logged and added as suppressed. */
  private void restore(String api, boolean found, Exception cause, CustomResourceRequest request, Deadline deadline) {
    boolean interrupted = Thread.interrupted(); // the restore is still attempted, then the interrupt kept
    JsonObject line = Json.line("default-endpoint.reverted", request);
    line.put("restApiId", api);
    line.put("disableExecuteApiEndpoint", found);
    try {
      set(api, found, deadline);
      line.put("reverted", true);
    } catch (RuntimeException | InterruptedException e) {
      line.put("reverted", false);
      line.put("error", e.getMessage());
      cause.addSuppressed(e);
      interrupted |= e instanceof InterruptedException;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    Json.log(line);
  }

  private boolean current(String api, Deadline deadline) throws InterruptedException {
    return Boolean.TRUE.equals(call("API Gateway GetRestApi " + api, deadline,
        () -> apiGateway.getRestApi(b -> b.restApiId(api)).disableExecuteApiEndpoint()));
  }

  private void set(String api, boolean disabled, Deadline deadline) throws InterruptedException {
    call("API Gateway UpdateRestApi " + api + " (replace " + PATH + " with " + disabled + ")", deadline,
        () -> apiGateway.updateRestApi(b -> b.restApiId(api)
            .patchOperations(PatchOperation.builder().op(Op.REPLACE).path(PATH).value(Boolean.toString(disabled))
                .build())));
  }

  private boolean stageExists(String api, String stage, Deadline deadline) throws InterruptedException {
    try {
      call("API Gateway GetStage " + api + "/" + stage, deadline,
          () -> apiGateway.getStage(b -> b.restApiId(api).stageName(stage)));
      return true;
    } catch (Missing e) {
      return false;
    }
  }

  /** A new deployment of the API's current state to the stage, which makes the value take effect there. */
  private String redeploy(String api, String stage, boolean disabled, CustomResourceRequest request,
      Deadline deadline) throws InterruptedException {
    String description = "mtls-gateway Custom::DefaultEndpoint " + request.logicalResourceId() + ": "
        + "disableExecuteApiEndpoint=" + disabled + " takes effect (request " + request.requestId() + ")";
    return call("API Gateway CreateDeployment " + api + " to stage " + stage, deadline,
        () -> apiGateway.createDeployment(b -> b.restApiId(api).stageName(stage).description(description))).id();
  }

  /** A NotFoundException, described; Delete treats it as done. */
  private static final class Missing extends CustomResourceException {
    private static final long serialVersionUID = 1L;

    Missing(String message) {
      super(message);
    }
  }

  /**
   * Runs one API Gateway call, retrying throttling and conflicts with backoff while the deadline allows.
   *
   * @throws Missing on NotFoundException
   * @throws CustomResourceException on any other failure, or when retries would outlast the deadline
   */
  private <T> T call(String operation, Deadline deadline, Supplier<T> action) throws InterruptedException {
    Backoff.Waits waits = BACKOFF.waits();
    int attempts = 0;
    while (true) {
      attempts++;
      try {
        return action.get();
      } catch (NotFoundException e) {
        throw new Missing(AwsErrors.describe(operation, e));
      } catch (TooManyRequestsException | ConflictException e) {
        Duration pause = waits.next(retryAfter(e));
        if (!BACKOFF.fits(pause, deadline)) {
          throw new CustomResourceException(AwsErrors.describe(operation, e) + "; gave up after " + attempts
              + (attempts == 1 ? " attempt" : " attempts") + " as the function's time ran out: retry the deployment"
              + " (and raise the function's Timeout if this repeats)");
        }
        Thread.sleep(pause.toMillis());
      } catch (SdkException e) {
        throw new CustomResourceException(AwsErrors.describe(operation, e));
      }
    }
  }

  /** The Retry-After API Gateway sent with a throttling error, else zero; {@link #BACKOFF} bounds it by its cap. */
  static Duration retryAfter(Exception e) {
    if (e instanceof TooManyRequestsException throttled && throttled.retryAfterSeconds() != null) {
      try {
        long seconds = Long.parseLong(throttled.retryAfterSeconds().trim());
        return seconds <= 0 ? Duration.ZERO : Duration.ofSeconds(seconds);
      } catch (NumberFormatException ignored) {
        return Duration.ZERO;
      }
    }
    return Duration.ZERO;
  }
}
