package com.mtlsgateway.account;

import com.mtlsgateway.account.AccountRoleDecision.Change;
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
import com.mtlsgateway.json.JsonObject;
import com.mtlsgateway.text.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.BadRequestException;
import software.amazon.awssdk.services.apigateway.model.ConflictException;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;
import software.amazon.awssdk.services.apigateway.model.TooManyRequestsException;

/**
 * Backs {@code Custom::ApiGatewayAccountRole}: makes stage logging work in a Region where no API Gateway CloudWatch
 * Logs role is set, without ever replacing or removing a role someone else set. {@code GetAccount}, then what
 * {@link AccountRoleDecision} decides, then at most one {@code UpdateAccount} (replace {@code /cloudwatchRoleArn}).
 *
 * <ul>
 *   <li>Create: sets {@code RoleArn} when no role is set; a role already set is left as it is (and counts as this
 *       stack's when it is {@code RoleArn}: a retried Create, or a stack that set it with the former
 *       {@code AWS::ApiGateway::Account}).
 *   <li>Update: the same decision again, as the setting may have been changed or unset since; the role this stack
 *       set before is swapped for a new {@code RoleArn}. When what this stack set changes, the PhysicalResourceId
 *       changes, and CloudFormation's Delete of the old id then finds nothing of its own to unset.
 *   <li>Delete: unsets the setting only when it is still the role this stack set; otherwise changes nothing and logs
 *       why. The Delete of a failed Create's marker id changes nothing.
 * </ul>
 *
 * <p>The PhysicalResourceId records what this stack set ({@link AccountRoleDecision#physicalId()}): a Delete gets
 * nothing else it could trust. Data: {@code CloudWatchRoleArn} (the role in effect) and {@code SetByThisStack}
 * ({@code "true"}/{@code "false"}).
 *
 * <p>A role created moments before is not yet usable by API Gateway: {@code UpdateAccount} answers
 * {@code BadRequestException} "The role ARN does not have required permissions configured. Please grant trust
 * permission for API Gateway and add the required role policy." (or "API Gateway could not successfully write to
 * CloudWatch Logs using the ARN specified"). Those, throttling (this call's quota is low) and conflicts are retried
 * with {@link #BACKOFF} while the deadline allows; then FAILED, naming the role and the fix.
 *
 * <p>Known limit: API Gateway has no conditional update, so a role set by someone else between this handler's
 * {@code GetAccount} and {@code UpdateAccount} (a window of a second or so) would be replaced.
 */
public final class AccountRoleHandler extends CustomResourceHandler<AccountRoleProperties> {

  /** Waits between retries: 2 s doubled up to 16 s, keeping 2 s after a wait for the call itself. */
  static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(16), Duration.ofSeconds(2));
  static final String PATH = "/cloudwatchRoleArn";
  /** API Gateway's messages for a role it cannot use yet (seen on UpdateAccount right after the role is created). */
  static final List<String> ROLE_NOT_USABLE_YET = List.of("The role ARN does not have required permissions",
      "API Gateway could not successfully write to CloudWatch Logs using the ARN specified");

  private final ApiGatewayClient apiGateway;
  private final Clock clock;

  /** For the Lambda runtime: the shared client, the HTTP response sender and the system clock. */
  public AccountRoleHandler() {
    this(AwsClients.apiGateway(), new HttpResponseSender(), Clock.systemUTC());
  }

  /** For tests and in-process use ({@code bin/mtls invoke}): explicit client, response sender and clock. */
  public AccountRoleHandler(ApiGatewayClient apiGateway, ResponseSender sender, Clock clock) {
    super(sender, clock);
    this.apiGateway = Objects.requireNonNull(apiGateway, "apiGateway");
    this.clock = clock;
  }

  @Override
  protected AccountRoleProperties parse(ResourceProperties properties) {
    return AccountRoleProperties.from(properties);
  }

  @Override
  protected Outcome create(AccountRoleProperties properties, CustomResourceRequest request, Deadline deadline)
      throws InterruptedException {
    Applied applied = apply(properties.roleArn(), Optional.empty(), request, deadline);
    return Outcome.of(applied.decision().physicalId(), applied.data());
  }

  @Override
  protected Outcome update(AccountRoleProperties properties, AccountRoleProperties oldProperties,
      CustomResourceRequest request, Deadline deadline) throws InterruptedException {
    Applied applied = apply(properties.roleArn(), AccountRoleDecision.recorded(request.physicalResourceId()),
        request, deadline);
    String id = applied.decision().physicalId();
    return id.equals(request.physicalResourceId()) ? Outcome.sameId(applied.data()) : Outcome.of(id, applied.data());
  }

  @Override
  protected Outcome delete(AccountRoleProperties properties, CustomResourceRequest request, Deadline deadline)
      throws InterruptedException {
    Optional<String> recorded = AccountRoleDecision.recorded(request.physicalResourceId());
    Optional<String> current = recorded.isEmpty() ? Optional.empty() : current(deadline);
    AccountRoleDecision decision = AccountRoleDecision.forDelete(current, recorded);
    if (decision.change() == Change.UNSET) {
      update("unset " + PATH, "", false, deadline);
    }
    log(request, current, recorded, recorded.orElse(null), decision);
    return Outcome.sameId(Map.of());
  }

  /** What Create or Update decided, and the role in effect after it. */
  private record Applied(AccountRoleDecision decision, String inEffect) {
    Map<String, String> data() {
      return Map.of("CloudWatchRoleArn", inEffect, "SetByThisStack", Boolean.toString(decision.owned().isPresent()));
    }
  }

  /** Reads the setting, decides, and makes the change. */
  private Applied apply(String ours, Optional<String> recorded, CustomResourceRequest request,
      Deadline deadline) throws InterruptedException {
    Optional<String> current = current(deadline);
    AccountRoleDecision decision = AccountRoleDecision.forCreateOrUpdate(current, ours, recorded);
    if (decision.change() == Change.SET) {
      update("set " + PATH + " to " + ours, ours, true, deadline);
    }
    log(request, current, recorded, ours, decision);
    return new Applied(decision, decision.owned().orElse(current.orElse("")));
  }

  private static void log(CustomResourceRequest request, Optional<String> current, Optional<String> recorded,
      String ours, AccountRoleDecision decision) {
    JsonObject line = Json.line("account-role." + decision.change().name().toLowerCase(Locale.ROOT),
        request);
    line.put("found", current.orElse(""));
    line.put("roleArn", ours);
    line.put("recorded", recorded.orElse(""));
    line.put("setByThisStack", decision.owned().isPresent());
    line.put("reason", decision.reason());
    Json.log(line);
  }

  /** The role set now; empty when none is (GetAccount leaves the field out, or gives it empty once unset). */
  private Optional<String> current(Deadline deadline) throws InterruptedException {
    String role = call("API Gateway GetAccount", deadline, false, () -> apiGateway.getAccount(b -> { })
        .cloudwatchRoleArn());
    return role == null || role.isBlank() ? Optional.empty() : Optional.of(role);
  }

  /** UpdateAccount replacing {@link #PATH} with {@code value} (empty: unset, as API Gateway accepts). */
  private void update(String what, String value, boolean roleMayBeNew, Deadline deadline)
      throws InterruptedException {
    call("API Gateway UpdateAccount (" + what + ")", deadline, roleMayBeNew, () -> apiGateway.updateAccount(b -> b
        .patchOperations(PatchOperation.builder().op(Op.REPLACE).path(PATH).value(value).build())));
  }

  /** True for API Gateway's answer to a role it cannot use (yet): see {@link #ROLE_NOT_USABLE_YET}. */
  static boolean roleNotUsableYet(Exception e) {
    String message = e instanceof BadRequestException bad && bad.awsErrorDetails() != null
        ? bad.awsErrorDetails().errorMessage() : null;
    return message != null && ROLE_NOT_USABLE_YET.stream().anyMatch(message::contains);
  }

  /**
   * Runs one API Gateway call, retrying throttling, conflicts and (when {@code roleMayBeNew}) a role API Gateway
   * cannot use yet, with backoff while the deadline allows.
   *
   * @throws CustomResourceException on any other failure, or when retries would outlast the deadline
   */
  private <T> T call(String operation, Deadline deadline, boolean roleMayBeNew, Supplier<T> action)
      throws InterruptedException {
    Backoff.Waits waits = BACKOFF.waits();
    Instant start = clock.instant();
    int attempts = 0;
    while (true) {
      attempts++;
      try {
        return action.get();
      } catch (TooManyRequestsException | ConflictException | BadRequestException e) {
        boolean notUsable = roleMayBeNew && roleNotUsableYet(e);
        if (e instanceof BadRequestException && !notUsable) {
          throw new CustomResourceException(AwsErrors.describe(operation, e));
        }
        Duration pause = waits.next(AwsErrors.retryAfter(e));
        if (!BACKOFF.fits(pause, deadline)) {
          String tried = "; gave up after " + attempts + (attempts == 1 ? " attempt" : " attempts") + " in "
              + Durations.readable(Duration.between(start, clock.instant())) + " as the function's time ran out";
          throw new CustomResourceException(AwsErrors.describe(operation, e) + tried + (notUsable
              ? ": API Gateway cannot use this role. A role created moments before becomes usable within a minute"
                  + " or so: retry the deployment. If it fails again, check that the role trusts"
                  + " apigateway.amazonaws.com (sts:AssumeRole) and may write to CloudWatch Logs"
                  + " (logs:CreateLogGroup, CreateLogStream, DescribeLogGroups, DescribeLogStreams, PutLogEvents,"
                  + " GetLogEvents, FilterLogEvents)"
              : ": retry the deployment (and raise the function's Timeout if this repeats)"));
        }
        Thread.sleep(pause.toMillis());
      } catch (SdkException e) {
        throw new CustomResourceException(AwsErrors.describe(operation, e));
      }
    }
  }
}
