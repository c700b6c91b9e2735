package com.mtlsgateway.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mtlsgateway.account.AccountRoleDecision.Ownership;
import com.mtlsgateway.customresource.CustomResourceHandler;
import com.mtlsgateway.customresource.HttpResponseSender;
import com.mtlsgateway.testing.CapturedStdout;
import com.mtlsgateway.testing.LocalAwsEndpoint;
import com.mtlsgateway.testing.MotoServer;
import com.mtlsgateway.truststore.CloudFormation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;

/**
 * {@code Custom::ApiGatewayAccountRole} against moto server's API Gateway account setting, through the handler's
 * Lambda entry point with events as CloudFormation sends them: a Region with no role, with another team's role, with
 * this stack's role, changes made by others between requests, and every Update transition. What moto does not model
 * (a new role API Gateway cannot use yet) is served by a local endpoint answering API Gateway's REST-JSON.
 */
@ExtendWith(MotoServer.class)
class AccountRoleMotoTest {

  private static final String OURS = "arn:aws:iam::123456789012:role/mtls-gateway-test-ApiGatewayCloudWatchRole-A1";
  private static final String OUR_NEW = "arn:aws:iam::123456789012:role/mtls-gateway-test-ApiGatewayCloudWatchRole-B2";
  private static final String THEIRS = "arn:aws:iam::123456789012:role/platform-team-apigateway-logs";
  private static final String SET = Ownership.SET.physicalId();
  private static final String ADOPTED = Ownership.ADOPTED.physicalId();
  private static final String NOT_SET = Ownership.NOT_SET.physicalId();
  private static final String FAILED_CREATE = CustomResourceHandler.CREATE_FAILED_ID_PREFIX
      + "6a1e0c52-3f7b-4d8a-b1c9-2e4f6a8b0c1d";

  private final MotoServer.Running moto;
  private ApiGatewayClient apiGateway;
  private CloudFormation cloudFormation;

  AccountRoleMotoTest(MotoServer.Running moto) {
    this.moto = moto;
  }

  @BeforeEach
  void prepare() {
    moto.reset();
    apiGateway = ApiGatewayClient.builder().httpClient(Apache5HttpClient.builder().build()).build();
    cloudFormation = new CloudFormation();
  }

  @AfterEach
  void close() {
    cloudFormation.close();
    apiGateway.close();
  }

  private static Map<String, String> properties(String role) {
    return Map.of("RoleArn", role);
  }

  private static ObjectNode typed(ObjectNode event) {
    return event.put("ResourceType", "Custom::ApiGatewayAccountRole").put("LogicalResourceId", "ApiGatewayAccountRole");
  }

  private JsonNode send(ObjectNode event) {
    return cloudFormation.send(new AccountRoleHandler(), typed(event));
  }

  private JsonNode create(String role) {
    return succeeded(send(CloudFormation.create(properties(role))));
  }

  private JsonNode update(String id, String role, String oldRole) {
    return succeeded(send(CloudFormation.update(id, properties(role), properties(oldRole))));
  }

  private JsonNode delete(String id, String role) {
    return succeeded(send(CloudFormation.delete(id, properties(role))));
  }

  private static JsonNode succeeded(JsonNode response) {
    assertThat(response.get("Status").asText()).as("Reason: %s", response.path("Reason").asText())
        .isEqualTo("SUCCESS");
    return response;
  }

  /** What someone else does to the setting between requests. */
  private void setByOthers(String role) {
    apiGateway.updateAccount(b -> b.patchOperations(PatchOperation.builder().op(Op.REPLACE).path("/cloudwatchRoleArn")
        .value(role).build()));
  }

  /** Someone unsets the setting (a replace with an empty value). */
  private void unsetByOthers() {
    setByOthers("");
  }

  private String setting() {
    String role = apiGateway.getAccount(b -> { }).cloudwatchRoleArn();
    return role == null ? "" : role;
  }

  private static void assertData(JsonNode response, String inEffect, boolean setByThisStack) {
    assertThat(response.path("Data").path("CloudWatchRoleArn").asText()).isEqualTo(inEffect);
    assertThat(response.path("Data").path("SetByThisStack").asText()).isEqualTo(Boolean.toString(setByThisStack));
  }

  @Test
  void noRoleSetCreateSetsOursAndDeleteUnsetsIt() {
    assertThat(setting()).isEmpty();

    JsonNode created = create(OURS);
    assertThat(created.get("PhysicalResourceId").asText()).isEqualTo(SET);
    assertData(created, OURS, true);
    assertThat(setting()).isEqualTo(OURS);

    delete(SET, OURS);
    assertThat(setting()).as("unset: the role was still this stack's").isEmpty();
  }

  @Test
  void aRoleSetBySomeoneElseIsLeftAsItIsOnCreateAndDelete() {
    setByOthers(THEIRS);

    JsonNode created = create(OURS);
    assertThat(created.get("PhysicalResourceId").asText()).isEqualTo(NOT_SET);
    assertData(created, THEIRS, false);
    assertThat(setting()).isEqualTo(THEIRS);

    delete(NOT_SET, OURS);
    assertThat(setting()).isEqualTo(THEIRS);
  }

  /** The JSON log lines of one request, by event name. */
  private static List<JsonNode> logged(CapturedStdout stdout, String event) {
    return stdout.lines().stream().filter(line -> line.startsWith("{")).map(line -> {
      try {
        return CloudFormation.JSON.readTree(line);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).filter(line -> event.equals(line.path("event").asText())).toList();
  }

  private static final String UNSET_COMMAND = "aws apigateway update-account --region us-east-1 --patch-operations"
      + " '[{\"op\":\"replace\",\"path\":\"/cloudwatchRoleArn\",\"value\":\"\"}]'";

  /**
   * An upgrade from ConfigureApiGatewayAccountLogging=true: the stack's former AWS::ApiGateway::Account set the same
   * role. Adopted; the Delete of the rollback (the update failed) leaves it, as the old template still uses it.
   */
  @Test
  void aRoleAlreadySetToOursIsAdoptedAndTheUpgradesRollbackLeavesIt() {
    setByOthers(OURS);

    JsonNode created = create(OURS);
    assertThat(created.get("PhysicalResourceId").asText()).isEqualTo(ADOPTED);
    assertData(created, OURS, true);

    try (CapturedStdout stdout = CapturedStdout.start()) {
      delete(ADOPTED, OURS);
      assertThat(setting()).isEqualTo(OURS);
      assertThat(logged(stdout, "account-role.left-set")).singleElement().satisfies(line -> {
        assertThat(line.path("roleArn").asText()).isEqualTo(OURS);
        assertThat(line.path("unsetCommand").asText()).isEqualTo(UNSET_COMMAND);
      });
    }
  }

  /** After such an upgrade: a swap keeps the adoption, and the stack's Delete leaves the setting, logging the fix. */
  @Test
  void anAdoptedRoleIsSwappedUnderTheSameIdAndItsStackDeleteLeavesTheSetting() {
    setByOthers(OURS);
    create(OURS);

    JsonNode swapped = update(ADOPTED, OUR_NEW, OURS);
    assertThat(swapped.get("PhysicalResourceId").asText()).isEqualTo(ADOPTED);
    assertThat(setting()).isEqualTo(OUR_NEW);

    delete(ADOPTED, OUR_NEW);
    assertThat(setting()).as("left (pointing at the role the stack deletes); the log line says how to unset it")
        .isEqualTo(OUR_NEW);
  }

  @Test
  void aDeleteAfterSomeoneElseReplacedTheRoleLeavesTheirs() {
    String id = create(OURS).get("PhysicalResourceId").asText();
    setByOthers(THEIRS);

    delete(id, OURS);
    assertThat(setting()).isEqualTo(THEIRS);
  }

  @Test
  void aDeleteAfterSomeoneElseUnsetTheRoleChangesNothing() {
    String id = create(OURS).get("PhysicalResourceId").asText();
    unsetByOthers();

    delete(id, OURS);
    assertThat(setting()).isEmpty();
  }

  /** A Create that failed before any call, or found another role: its marker's Delete changes nothing, quietly. */
  @Test
  void theDeleteOfAFailedCreatesMarkerIdLeavesAnotherRole() {
    setByOthers(THEIRS);
    try (CapturedStdout stdout = CapturedStdout.start()) {
      delete(FAILED_CREATE, OURS);
      assertThat(logged(stdout, "account-role.create-failed-left-set")).isEmpty();
    }
    assertThat(setting()).isEqualTo(THEIRS);
  }

  /**
   * A Create that set the role and then failed (timed out), or found it set by the stack's former
   * AWS::ApiGateway::Account: the two cannot be told apart, so the marker's Delete leaves it and logs the command.
   */
  @Test
  void theDeleteOfAFailedCreatesMarkerIdLeavesOurRoleAndLogsTheUnsetCommand() {
    setByOthers(OURS);
    try (CapturedStdout stdout = CapturedStdout.start()) {
      delete(FAILED_CREATE, OURS);
      assertThat(logged(stdout, "account-role.create-failed-left-set")).singleElement().satisfies(line -> {
        assertThat(line.path("roleArn").asText()).isEqualTo(OURS);
        assertThat(line.path("unsetCommand").asText()).isEqualTo(UNSET_COMMAND);
      });
    }
    assertThat(setting()).isEqualTo(OURS);
  }

  @Test
  void anUpdateWithNothingChangedKeepsTheId() {
    JsonNode updated = update(create(OURS).get("PhysicalResourceId").asText(), OURS, OURS);
    assertThat(updated.get("PhysicalResourceId").asText()).isEqualTo(SET);
    assertData(updated, OURS, true);
    assertThat(setting()).isEqualTo(OURS);
  }

  /** The role replaced in the template (a new RoleArn): ours is swapped under the same id. */
  @Test
  void anUpdateToANewRoleOfThisStackSwapsItUnderTheSameId() {
    create(OURS);

    JsonNode updated = update(SET, OUR_NEW, OURS);
    assertThat(updated.get("PhysicalResourceId").asText()).isEqualTo(SET);
    assertData(updated, OUR_NEW, true);
    assertThat(setting()).isEqualTo(OUR_NEW);

    delete(SET, OUR_NEW);
    assertThat(setting()).isEmpty();
  }

  /** The stack update that swapped the role fails: the rollback is an Update back to the previous role. */
  @Test
  void theRollbackOfARoleSwapSwapsBack() {
    create(OURS);
    update(SET, OUR_NEW, OURS);

    JsonNode rolledBack = update(SET, OURS, OUR_NEW);
    assertThat(rolledBack.get("PhysicalResourceId").asText()).isEqualTo(SET);
    assertData(rolledBack, OURS, true);
    assertThat(setting()).isEqualTo(OURS);

    delete(SET, OURS);
    assertThat(setting()).isEmpty();
  }

  @Test
  void anUpdateAfterSomeoneElseReplacedOursGivesUpOwnership() {
    create(OURS);
    setByOthers(THEIRS);

    JsonNode updated = update(SET, OURS, OURS);
    assertThat(updated.get("PhysicalResourceId").asText()).isEqualTo(NOT_SET);
    assertData(updated, THEIRS, false);

    delete(SET, OURS);
    assertThat(setting()).isEqualTo(THEIRS);
    delete(NOT_SET, OURS);
    assertThat(setting()).isEqualTo(THEIRS);
  }

  @Test
  void anUpdateAfterTheOtherRoleWasUnsetSetsOursAndTheOldIdsDeleteLeavesIt() {
    setByOthers(THEIRS);
    create(OURS);
    unsetByOthers();

    JsonNode updated = update(NOT_SET, OURS, OURS);
    assertThat(updated.get("PhysicalResourceId").asText()).isEqualTo(SET);
    assertData(updated, OURS, true);
    assertThat(setting()).isEqualTo(OURS);

    delete(NOT_SET, OURS);
    assertThat(setting()).as("the old id set nothing: ours stays").isEqualTo(OURS);
  }

  /**
   * Ownership gained in an Update, then the stack update fails: CloudFormation deletes the new id with the new
   * properties, and the restored resource records that another role was in effect. The setting goes back to none,
   * as it was before the update.
   */
  @Test
  void theRollbackOfAnUpdateThatGainedOwnershipUnsetsWhatItSet() {
    setByOthers(THEIRS);
    create(OURS);
    unsetByOthers();
    update(NOT_SET, OUR_NEW, OURS);
    assertThat(setting()).isEqualTo(OUR_NEW);

    delete(SET, OUR_NEW);
    assertThat(setting()).isEmpty();
  }

  /** Someone set this stack's role over another's: adopted, and neither id's Delete unsets it. */
  @Test
  void ourRoleSetBySomeoneElseAfterTheCreateIsAdoptedByAnUpdate() {
    setByOthers(THEIRS);
    create(OURS);
    setByOthers(OURS);

    JsonNode updated = update(NOT_SET, OURS, OURS);
    assertThat(updated.get("PhysicalResourceId").asText()).isEqualTo(ADOPTED);
    assertData(updated, OURS, true);

    delete(NOT_SET, OURS); // after a success
    assertThat(setting()).isEqualTo(OURS);
    delete(ADOPTED, OURS); // on rollback, or the stack's Delete
    assertThat(setting()).isEqualTo(OURS);
  }

  @Test
  void anUpdateAfterOursWasUnsetSetsItAgain() {
    create(OURS);
    unsetByOthers();

    JsonNode updated = update(SET, OURS, OURS);
    assertThat(updated.get("PhysicalResourceId").asText()).isEqualTo(SET);
    assertThat(setting()).isEqualTo(OURS);
  }

  // A new role API Gateway cannot use yet, which moto does not model, served by a local endpoint.

  /** API Gateway's answer to UpdateAccount with a role it cannot assume yet (as reported in rain#163, 2023). */
  private static final LocalAwsEndpoint.Reply NOT_USABLE_YET = LocalAwsEndpoint.Reply.error(400,
      "BadRequestException", "The role ARN does not have required permissions configured. Please grant trust "
          + "permission for API Gateway and add the required role policy.");
  private static final LocalAwsEndpoint.Reply NO_ROLE = LocalAwsEndpoint.Reply.ok(200,
      "{\"throttleSettings\":{\"burstLimit\":5000,\"rateLimit\":10000.0},\"features\":[\"UsagePlans\"],"
          + "\"apiKeyVersion\":\"4\"}");
  private static final LocalAwsEndpoint.Reply OURS_SET = LocalAwsEndpoint.Reply.ok(200,
      "{\"cloudwatchRoleArn\":\"" + OURS + "\",\"throttleSettings\":{\"burstLimit\":5000,\"rateLimit\":10000.0}}");

  private AccountRoleHandler handlerAt(LocalAwsEndpoint endpoint) {
    // SDK retries off: the handler's own retries are what is tested.
    return new AccountRoleHandler(endpoint.client(ApiGatewayClient.builder()), new HttpResponseSender(),
        Clock.systemUTC());
  }

  @Test
  void aRoleApiGatewayCannotUseYetIsRetriedWithBackoff() {
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start()) {
      endpoint.script(NO_ROLE, NOT_USABLE_YET, LocalAwsEndpoint.Reply.error(400, "BadRequestException",
          "API Gateway could not successfully write to CloudWatch Logs using the ARN specified. This account may have"
              + " reached a limit in CloudWatch Logs."), OURS_SET);
      Instant start = Instant.now();

      JsonNode response = succeeded(cloudFormation.send(handlerAt(endpoint), typed(CloudFormation.create(
          properties(OURS)))));

      assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(SET);
      assertThat(endpoint.calls()).containsExactly("GET /account", "PATCH /account", "PATCH /account",
          "PATCH /account");
      assertThat(endpoint.requests().get(3).body()).isEqualTo("{\"patchOperations\":[{\"op\":\"replace\","
          + "\"path\":\"/cloudwatchRoleArn\",\"value\":\"" + OURS + "\"}]}");
      assertThat(Duration.between(start, Instant.now())).as("waits of 2 s and 4 s")
          .isGreaterThanOrEqualTo(Duration.ofMillis(5900));
    }
  }

  @Test
  void aRoleStillNotUsableAtTheDeadlineFailsNamingTheRoleAndTheFix() {
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start()) {
      endpoint.script(NO_ROLE, NOT_USABLE_YET, NOT_USABLE_YET, NOT_USABLE_YET, NOT_USABLE_YET);

      // 14 s left: 9 s for the work; waits of 2 s and 4 s fit, 8 s does not.
      JsonNode response = cloudFormation.send(handlerAt(endpoint), typed(CloudFormation.create(properties(OURS))),
          Duration.ofSeconds(14));

      assertThat(response.get("Status").asText()).isEqualTo("FAILED");
      assertThat(response.get("PhysicalResourceId").asText()).startsWith(CustomResourceHandler.CREATE_FAILED_ID_PREFIX);
      assertThat(response.get("Reason").asText())
          .startsWith("API Gateway UpdateAccount (set /cloudwatchRoleArn to " + OURS + "): BadRequestException (400):"
              + " The role ARN does not have required permissions configured")
          .contains("gave up after 3 attempts", "A role created moments before becomes usable",
              "retry the deployment", "trusts apigateway.amazonaws.com");
      assertThat(endpoint.calls()).containsExactly("GET /account", "PATCH /account", "PATCH /account",
          "PATCH /account");
    }
  }

  /** Another bad request is not a role that needs time: it fails at once, with API Gateway's message. */
  @Test
  void anotherBadRequestFailsAtOnce() {
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start()) {
      endpoint.script(NO_ROLE, LocalAwsEndpoint.Reply.error(400, "BadRequestException",
          "The role ARN is not well formed"));

      JsonNode response = cloudFormation.send(handlerAt(endpoint), typed(CloudFormation.create(properties(OURS))));

      assertThat(response.get("Status").asText()).isEqualTo("FAILED");
      assertThat(response.get("Reason").asText()).contains("BadRequestException (400): The role ARN is not well formed")
          .doesNotContain("gave up");
      assertThat(endpoint.calls()).containsExactly("GET /account", "PATCH /account");
    }
  }

  /** Unset is a replace with an empty value, which API Gateway accepts (and moto models). */
  @Test
  void unsetSendsAReplaceWithAnEmptyValue() {
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start()) {
      endpoint.script(OURS_SET, NO_ROLE);

      succeeded(cloudFormation.send(handlerAt(endpoint), typed(CloudFormation.delete(SET, properties(OURS)))));

      assertThat(endpoint.calls()).containsExactly("GET /account", "PATCH /account");
      assertThat(endpoint.requests().get(1).body()).isEqualTo("{\"patchOperations\":[{\"op\":\"replace\","
          + "\"path\":\"/cloudwatchRoleArn\",\"value\":\"\"}]}");
    }
  }
}
