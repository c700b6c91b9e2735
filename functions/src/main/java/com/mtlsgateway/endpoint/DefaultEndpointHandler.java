package com.mtlsgateway.endpoint;

import com.mtlsgateway.json.JsonObject;
import com.mtlsgateway.aws.ApiGatewayRetries;
import com.mtlsgateway.aws.AwsClients;
import com.mtlsgateway.aws.AwsErrors;
import com.mtlsgateway.customresource.Backoff;
import com.mtlsgateway.endpoint.DefaultEndpointProperties.BackendTls;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ConflictException;
import software.amazon.awssdk.services.apigateway.model.GetResourcesResponse;
import software.amazon.awssdk.services.apigateway.model.Integration;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.Method;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;
import software.amazon.awssdk.services.apigateway.model.Resource;
import software.amazon.awssdk.services.apigateway.model.TooManyRequestsException;

/**
 * Backs {@code Custom::DefaultEndpoint}: sets a REST API's {@code disableExecuteApiEndpoint} and makes it take
 * effect on a stage, so that clients must come through the mTLS custom domain; with {@code BackendProtocol}, it also
 * checks the scheme of the API's HTTP and HTTP_PROXY integrations and sets their
 * {@code tlsConfig.insecureSkipVerification} (which CloudFormation's {@code AWS::ApiGateway::Method} cannot set)
 * before that deployment.
 *
 * <ul>
 *   <li>Create: {@code GetRestApi}; {@code GetStage} (the stage must exist: {@code CreateDeployment} would
 *       otherwise create it); with {@code BackendProtocol}: {@code GetResources} (embedding the methods), a failure
 *       when an HTTP or HTTP_PROXY integration's URI does not start with the protocol's scheme (nothing changed yet),
 *       and {@code UpdateIntegration} (replace {@code /tlsConfig/insecureSkipVerification}) of each whose value
 *       differs from {@code BackendTlsSkipVerification}; {@code UpdateRestApi} (replace
 *       {@code /disableExecuteApiEndpoint}) when the value differs from {@code Disabled}; then
 *       {@code CreateDeployment} of the current API to that stage, always. The PhysicalResourceId records the value
 *       found: see {@link ResourceId}.
 *   <li>Update: the same, keeping the id while the RestApiId is the same. Another RestApiId is a replacement: the new
 *       API's value is recorded in a new id, and CloudFormation's Delete of the old id restores the old API.
 *   <li>Delete: when the API still exists and its value differs from the one recorded, restore it and redeploy (when
 *       the stage still exists). A missing API or stage is success. The integrations' TLS setting is left as it is:
 *       they belong to the stack's own API, deleted with it.
 * </ul>
 *
 * <p>Why the integrations here: every change of {@code BackendProtocol} or {@code BackendTlsSkipVerification} is an
 * Update of this resource, which always ends with a new deployment, so the changed methods (their URI scheme) and
 * TLS setting go live together, with no deployment resource per parameter value. {@code MethodsDeploymentId} (the
 * template's deployment of the methods, not used in any call) makes every other change to the methods that comes
 * with a new deployment (turning revocation on or off) an Update too: whether CloudFormation's update of a method
 * keeps a {@code tlsConfig} set through the API is not documented, and the Update sets it again where it differs. A
 * redeploy that fails after the integrations were changed leaves them changed; CloudFormation's rollback sends the
 * Update back to the old properties, which sets them back and redeploys.
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
 * deployment's id); with {@code BackendProtocol}, {@code BackendIntegrations} (how many HTTP and HTTP_PROXY
 * integrations were checked) and {@code BackendTlsSkipVerification} ({@code "true"}/{@code "false"}).
 */
public final class DefaultEndpointHandler extends CustomResourceHandler<DefaultEndpointProperties> {

  /** Waits between retries: 1 s doubled up to 16 s, keeping 2 s after a wait for the call itself. */
  static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(16), Duration.ofSeconds(2));
  static final String PATH = "/disableExecuteApiEndpoint";
  static final String SKIP_VERIFICATION_PATH = "/tlsConfig/insecureSkipVerification";
  /** GetResources' largest page (API reference, GetResources {@code limit}). */
  static final int RESOURCES_PAGE = 500;

  private final ApiGatewayClient apiGateway;
  private final Clock clock;

  /** For the Lambda runtime: the shared client, the HTTP response sender and the system clock. */
  public DefaultEndpointHandler() {
    this(AwsClients.apiGateway(), new HttpResponseSender(), Clock.systemUTC());
  }

  /** For tests and in-process use ({@code bin/mtls invoke}): explicit client, response sender and clock. */
  public DefaultEndpointHandler(ApiGatewayClient apiGateway, ResponseSender sender, Clock clock) {
    super(sender, clock);
    this.apiGateway = Objects.requireNonNull(apiGateway, "apiGateway");
    this.clock = clock;
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
    // The integrations before the flag: a scheme that does not match fails before anything was changed.
    Optional<BackendApplied> backend = properties.backend().isPresent()
        ? Optional.of(applyBackend(api, properties.backend().get(), deadline)) : Optional.empty();
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
    properties.methodsDeploymentId().ifPresent(id -> line.put("methodsDeploymentId", id));
    Map<String, String> data = new LinkedHashMap<>();
    data.put("DisableExecuteApiEndpoint", Boolean.toString(properties.disabled()));
    data.put("DeploymentId", deploymentId);
    backend.ifPresent(b -> {
      line.put("backendProtocol", b.settings().protocol().name());
      line.put("backendTlsSkipVerification", b.settings().skipVerification());
      line.put("backendIntegrations", b.integrations().size());
      line.put("backendTlsChanged", b.changed().size());
      data.put("BackendIntegrations", Integer.toString(b.integrations().size()));
      data.put("BackendTlsSkipVerification", Boolean.toString(b.settings().skipVerification()));
    });
    Json.log(line);
    return new Applied(found, Map.copyOf(data));
  }

  /**
   * An HTTP or HTTP_PROXY integration of the API.
   *
   * @param skipVerification its {@code tlsConfig.insecureSkipVerification} (false when it has no tlsConfig)
   */
  record HttpIntegration(String resourceId, String path, String httpMethod, String uri, boolean skipVerification) {
    String name() {
      return httpMethod + " " + path;
    }
  }

  /** What {@link #applyBackend} found and changed. */
  private record BackendApplied(BackendTls settings, List<HttpIntegration> integrations,
      List<HttpIntegration> changed) {}

  /**
   * Checks every HTTP and HTTP_PROXY integration's scheme against the protocol, then sets the TLS setting where it
   * differs.
   *
   * @throws CustomResourceException naming the first integration whose URI has another scheme, before any change
   */
  private BackendApplied applyBackend(String api, BackendTls settings, Deadline deadline)
      throws InterruptedException {
    List<HttpIntegration> integrations = httpIntegrations(api, deadline);
    String scheme = settings.protocol().scheme();
    for (HttpIntegration integration : integrations) {
      if (!integration.uri().regionMatches(true, 0, scheme, 0, scheme.length())) {
        throw new CustomResourceException("API Gateway integration " + integration.name() + " of " + api
            + " calls " + integration.uri() + ", but " + DefaultEndpointProperties.BACKEND_PROTOCOL + " is "
            + settings.protocol() + ": every HTTP and HTTP_PROXY integration URI must start with " + scheme
            + " (make the methods' Integration Uri and " + DefaultEndpointProperties.BACKEND_PROTOCOL
            + " agree in the template)");
      }
    }
    List<HttpIntegration> changed = new ArrayList<>();
    for (HttpIntegration integration : integrations) {
      if (integration.skipVerification() != settings.skipVerification()) {
        call("API Gateway UpdateIntegration " + api + " " + integration.name() + " (replace "
            + SKIP_VERIFICATION_PATH + " with " + settings.skipVerification() + ")", deadline,
            () -> apiGateway.updateIntegration(b -> b.restApiId(api).resourceId(integration.resourceId())
                .httpMethod(integration.httpMethod()).patchOperations(PatchOperation.builder().op(Op.REPLACE)
                    .path(SKIP_VERIFICATION_PATH).value(Boolean.toString(settings.skipVerification())).build())));
        changed.add(integration);
      }
    }
    return new BackendApplied(settings, integrations, changed);
  }

  /** The API's HTTP and HTTP_PROXY integrations, from its resources with their methods embedded. */
  private List<HttpIntegration> httpIntegrations(String api, Deadline deadline) throws InterruptedException {
    List<HttpIntegration> integrations = new ArrayList<>();
    String position = null;
    do {
      String page = position;
      GetResourcesResponse response = call("API Gateway GetResources " + api, deadline,
          () -> apiGateway.getResources(b -> b.restApiId(api).embed("methods").limit(RESOURCES_PAGE).position(page)));
      for (Resource resource : response.items()) {
        for (Map.Entry<String, Method> method : resource.resourceMethods().entrySet()) {
          Integration integration = method.getValue().methodIntegration();
          if (integration != null && (integration.type() == IntegrationType.HTTP
              || integration.type() == IntegrationType.HTTP_PROXY)) {
            boolean skip = integration.tlsConfig() != null
                && Boolean.TRUE.equals(integration.tlsConfig().insecureSkipVerification());
            integrations.add(new HttpIntegration(resource.id(), resource.path(), method.getKey(),
                Objects.requireNonNullElse(integration.uri(), ""), skip));
          }
        }
      }
      position = response.position();
    } while (position != null && !position.isEmpty());
    return integrations;
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
   * Runs one API Gateway call through {@link ApiGatewayRetries}.
   *
   * @throws Missing on NotFoundException
   * @throws CustomResourceException on any other failure, or when retries would outlast the deadline
   */
  private <T> T call(String operation, Deadline deadline, Supplier<T> action) throws InterruptedException {
    return ApiGatewayRetries.call(operation, BACKOFF, deadline, clock, e -> false,
        e -> ApiGatewayRetries.RETRY_THE_DEPLOYMENT, () -> {
          try {
            return action.get();
          } catch (NotFoundException e) {
            throw new Missing(AwsErrors.describe(operation, e));
          }
        });
  }
}
