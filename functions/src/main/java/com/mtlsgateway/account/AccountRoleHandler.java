package com.mtlsgateway.account;

import com.mtlsgateway.account.AccountRoleDecision.Change;
import com.mtlsgateway.account.AccountRoleDecision.Ownership;
import com.mtlsgateway.aws.AwsClients;
import com.mtlsgateway.aws.ApiGatewayRetries;
import com.mtlsgateway.aws.AwsErrors;
import com.mtlsgateway.customresource.Backoff;
import com.mtlsgateway.customresource.CustomResourceHandler;
import com.mtlsgateway.customresource.CustomResourceRequest;
import com.mtlsgateway.customresource.Deadline;
import com.mtlsgateway.customresource.HttpResponseSender;
import com.mtlsgateway.customresource.InvalidPropertyException;
import com.mtlsgateway.customresource.Json;
import com.mtlsgateway.customresource.Outcome;
import com.mtlsgateway.customresource.ResourceProperties;
import com.mtlsgateway.customresource.ResponseSender;
import com.mtlsgateway.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.BadRequestException;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;

/**
 * Backs {@code Custom::ApiGatewayAccountRole}: makes stage logging work in a Region where no API Gateway CloudWatch
 * Logs role is set, without ever replacing or removing a role someone else set. {@code GetAccount}, then what
 * {@link AccountRoleDecision} decides, then at most one {@code UpdateAccount} (replace {@code /cloudwatchRoleArn}).
 *
 * <ul>
 *   <li>Create: sets {@code RoleArn} when no role is set; a role already set is left as it is. {@code RoleArn}
 *       already set counts as this stack's but adopted: the stack's former {@code AWS::ApiGateway::Account} (an
 *       upgrade from {@code ConfigureApiGatewayAccountLogging=true}) or an earlier attempt of the Create set it.
 *   <li>Update: the same decision again, as the setting may have been changed or unset since; this stack's
 *       previous role ({@code OldResourceProperties}) is swapped for a new {@code RoleArn} under the same id, so a
 *       rollback swaps it back.
 *   <li>Delete: unsets the setting only when it is still {@code RoleArn} and this resource set it; an adopted role
 *       is left set (the rollback of an upgrade still uses it) and the log line gives the command that unsets it.
 *       Otherwise changes nothing and logs why. The Delete of a failed Create's marker id never unsets
 *       ({@link #deleteFailedCreate}).
 * </ul>
 *
 * <p>The PhysicalResourceId records the ownership only ({@link AccountRoleDecision.Ownership}): a Delete gets
 * nothing else it could trust, and a role swap must not look like a replacement. Data: {@code CloudWatchRoleArn}
 * (the role in effect) and {@code SetByThisStack} ({@code "true"} while this stack's role is in effect, set or
 * adopted; {@code "false"}).
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
  private static final String ROLE_NOT_USABLE_FIX = ": API Gateway cannot use this role. A role created moments"
      + " before becomes usable within a minute or so: retry the deployment. If it fails again, check that the role"
      + " trusts apigateway.amazonaws.com (sts:AssumeRole) and may write to CloudWatch Logs (logs:CreateLogGroup,"
      + " CreateLogStream, DescribeLogGroups, DescribeLogStreams, PutLogEvents, GetLogEvents, FilterLogEvents)";

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
    Optional<String> current = current(deadline);
    AccountRoleDecision decision = AccountRoleDecision.forCreate(current, properties.roleArn());
    apply(decision, properties.roleArn(), current, request, deadline);
    return Outcome.of(decision.ownership().physicalId(), data(decision, properties.roleArn(), current));
  }

  @Override
  protected Outcome update(AccountRoleProperties properties, AccountRoleProperties oldProperties,
      CustomResourceRequest request, Deadline deadline) throws InterruptedException {
    // An id this resource did not make records nothing of this stack's: as if another role were in effect.
    Ownership was = Ownership.of(request.physicalResourceId()).orElse(Ownership.NOT_SET);
    Optional<String> current = current(deadline);
    AccountRoleDecision decision = AccountRoleDecision.forUpdate(current, properties.roleArn(), was,
        oldProperties.roleArn());
    apply(decision, properties.roleArn(), current, request, deadline);
    Map<String, String> data = data(decision, properties.roleArn(), current);
    return decision.ownership() == was ? Outcome.sameId(data) : Outcome.of(decision.ownership().physicalId(), data);
  }

  @Override
  protected Outcome delete(AccountRoleProperties properties, CustomResourceRequest request, Deadline deadline)
      throws InterruptedException {
    // Properties that no longer parse name no role: nothing of this stack's to unset.
    Ownership was = properties == null ? Ownership.NOT_SET
        : Ownership.of(request.physicalResourceId()).orElse(Ownership.NOT_SET);
    String ours = properties == null ? "" : properties.roleArn();
    Optional<String> current = was.ours() ? current(deadline) : Optional.empty();
    apply(AccountRoleDecision.forDelete(current, ours, was), ours, current, request, deadline);
    return Outcome.sameId(Map.of());
  }

  /**
   * The Delete of a failed Create's marker: that Create may have set {@code RoleArn} before it failed (e.g. timed
   * out after {@code UpdateAccount}), or found it set by the stack's former {@code AWS::ApiGateway::Account}, which
   * the rollback keeps using. Nothing tells them apart, so the setting is never unset here: when it is
   * {@code RoleArn}, the log line {@code account-role.create-failed-left-set} gives the command that unsets it.
   */
  @Override
  protected Outcome deleteFailedCreate(String createRequestId, CustomResourceRequest request, Deadline deadline)
      throws InterruptedException {
    AccountRoleProperties properties;
    try {
      properties = AccountRoleProperties.from(request.properties());
    } catch (InvalidPropertyException e) { // a Create with bad properties failed before any call
      return Outcome.sameId(Map.of());
    }
    Optional<String> current = current(deadline);
    AccountRoleDecision decision = AccountRoleDecision.forDelete(current, properties.roleArn(), Ownership.ADOPTED);
    if (decision.change() == Change.LEFT_SET) {
      Json.log(line("account-role.create-failed-left-set", request, current, properties.roleArn(),
          "the failed Create may have set this stack's role, or found it set by the stack's former"
              + " AWS::ApiGateway::Account, which still uses it after the rollback: it is left set")
          .put("unsetCommand", unsetCommand(request)));
    } else {
      Json.log(line("account-role.none", request, current, properties.roleArn(), decision.reason()));
    }
    return Outcome.sameId(Map.of());
  }

  private static Map<String, String> data(AccountRoleDecision decision, String ours, Optional<String> current) {
    return Map.of("CloudWatchRoleArn", decision.ownership().ours() ? ours : current.orElse(""),
        "SetByThisStack", Boolean.toString(decision.ownership().ours()));
  }

  /** Makes the change decided, and logs it. */
  private void apply(AccountRoleDecision decision, String ours, Optional<String> current,
      CustomResourceRequest request, Deadline deadline) throws InterruptedException {
    switch (decision.change()) {
      case SET -> update("set " + PATH + " to " + ours, ours, true, deadline);
      case UNSET -> update("unset " + PATH, "", false, deadline);
      case NONE, LEFT_SET -> { }
    }
    JsonObject line = line("account-role." + decision.change().event(), request, current, ours, decision.reason())
        .put("setByThisStack", decision.ownership().ours());
    if (decision.change() == Change.LEFT_SET) {
      line.put("unsetCommand", unsetCommand(request));
    }
    Json.log(line);
  }

  /**
   * The command that unsets the setting by hand, in the stack's Region. To run only while {@code aws apigateway
   * get-account} still shows this stack's role and no stack of the old template uses it.
   */
  private static String unsetCommand(CustomResourceRequest request) {
    String[] arn = request.stackId().split(":");
    String region = arn.length > 3 ? " --region " + arn[3] : "";
    return "aws apigateway update-account" + region
        + " --patch-operations '[{\"op\":\"replace\",\"path\":\"/cloudwatchRoleArn\",\"value\":\"\"}]'";
  }

  private static JsonObject line(String event, CustomResourceRequest request, Optional<String> current, String ours,
      String reason) {
    JsonObject line = Json.line(event, request);
    line.put("found", current.orElse(""));
    line.put("roleArn", ours);
    line.put("reason", reason);
    return line;
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
   * Runs one API Gateway call through {@link ApiGatewayRetries}, also retrying (when {@code roleMayBeNew}) a role
   * API Gateway cannot use yet, whose fix then says what to check.
   */
  private <T> T call(String operation, Deadline deadline, boolean roleMayBeNew, Supplier<T> action)
      throws InterruptedException {
    return ApiGatewayRetries.call(operation, BACKOFF, deadline, clock, e -> roleMayBeNew && roleNotUsableYet(e),
        e -> roleMayBeNew && roleNotUsableYet(e) ? ROLE_NOT_USABLE_FIX : ApiGatewayRetries.RETRY_THE_DEPLOYMENT,
        action);
  }
}
