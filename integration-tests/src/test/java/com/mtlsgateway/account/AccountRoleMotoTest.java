package com.mtlsgateway.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mtlsgateway.customresource.CustomResourceHandler;
import com.mtlsgateway.customresource.HttpResponseSender;
import com.mtlsgateway.testing.LocalAwsEndpoint;
import com.mtlsgateway.testing.MotoServer;
import com.mtlsgateway.truststore.CloudFormation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
  private static final String SET_OURS = AccountRoleDecision.SET_ID_PREFIX + OURS;

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
    assertThat(created.get("PhysicalResourceId").asText()).isEqualTo(SET_OURS);
    assertData(created, OURS, true);
    assertThat(setting()).isEqualTo(OURS);

    delete(SET_OURS, OURS);
    assertThat(setting()).as("unset: the role was still this stack's").isEmpty();
  }

  @Test
  void aRoleSetBySomeoneElseIsLeftAsItIsOnCreateAndDelete() {
    setByOthers(THEIRS);

    JsonNode created = create(OURS);
    assertThat(created.get("PhysicalResourceId").asText()).isEqualTo(AccountRoleDecision.NOT_SET_ID);
    assertData(created, THEIRS, false);
    assertThat(setting()).isEqualTo(THEIRS);

    delete(AccountRoleDecision.NOT_SET_ID, OURS);
    assertThat(setting()).isEqualTo(THEIRS);
  }

  /** A stack that set its role with the former AWS::ApiGateway::Account (same role) finds it as its own. */
  @Test
  void aRoleSetByThisStackIsOursAndDeleteUnsetsIt() {
    setByOthers(OURS);

    JsonNode created = create(OURS);
    assertThat(created.get("PhysicalResourceId").asText()).isEqualTo(SET_OURS);
    assertData(created, OURS, true);

    delete(SET_OURS, OURS);
    assertThat(setting()).isEmpty();
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

  /** What CloudFormation sends after a failed Create: nothing was set, so nothing is unset. */
  @Test
  void theDeleteOfAFailedCreatesMarkerIdChangesNothing() {
    setByOthers(OURS);
    delete(CustomResourceHandler.CREATE_FAILED_ID_PREFIX + "6a1e0c52-3f7b-4d8a-b1c9-2e4f6a8b0c1d", OURS);
    assertThat(setting()).isEqualTo(OURS);
  }

  @Test
  void anUpdateWithNothingChangedKeepsTheId() {
    JsonNode updated = update(create(OURS).get("PhysicalResourceId").asText(), OURS, OURS);
    assertThat(updated.get("PhysicalResourceId").asText()).isEqualTo(SET_OURS);
    assertData(updated, OURS, true);
    assertThat(setting()).isEqualTo(OURS);
  }

  /** The role replaced in the template (a new RoleArn): ours is swapped, and the old id's Delete leaves the new one. */
  @Test
  void anUpdateToANewRoleOfThisStackSwapsItAndTheOldIdsDeleteLeavesIt() {
    create(OURS);

    JsonNode updated = update(SET_OURS, OUR_NEW, OURS);
    String newId = AccountRoleDecision.SET_ID_PREFIX + OUR_NEW;
    assertThat(updated.get("PhysicalResourceId").asText()).isEqualTo(newId);
    assertData(updated, OUR_NEW, true);
    assertThat(setting()).isEqualTo(OUR_NEW);

    delete(SET_OURS, OURS); // CloudFormation's Delete of the replaced id, with the old properties
    assertThat(setting()).isEqualTo(OUR_NEW);
    delete(newId, OUR_NEW);
    assertThat(setting()).isEmpty();
  }

  @Test
  void anUpdateAfterSomeoneElseReplacedOursGivesUpOwnership() {
    create(OURS);
    setByOthers(THEIRS);

    JsonNode updated = update(SET_OURS, OURS, OURS);
    assertThat(updated.get("PhysicalResourceId").asText()).isEqualTo(AccountRoleDecision.NOT_SET_ID);
    assertData(updated, THEIRS, false);

    delete(SET_OURS, OURS);
    assertThat(setting()).isEqualTo(THEIRS);
    delete(AccountRoleDecision.NOT_SET_ID, OURS);
    assertThat(setting()).isEqualTo(THEIRS);
  }

  @Test
  void anUpdateAfterTheOtherRoleWasUnsetSetsOursAndTheOldIdsDeleteLeavesIt() {
    setByOthers(THEIRS);
    create(OURS);
    unsetByOthers();

    JsonNode updated = update(AccountRoleDecision.NOT_SET_ID, OURS, OURS);
    assertThat(updated.get("PhysicalResourceId").asText()).isEqualTo(SET_OURS);
    assertData(updated, OURS, true);
    assertThat(setting()).isEqualTo(OURS);

    delete(AccountRoleDecision.NOT_SET_ID, OURS);
    assertThat(setting()).as("the old id set nothing: ours stays").isEqualTo(OURS);
  }

  @Test
  void anUpdateAfterOursWasUnsetSetsItAgain() {
    create(OURS);
    unsetByOthers();

    JsonNode updated = update(SET_OURS, OURS, OURS);
    assertThat(updated.get("PhysicalResourceId").asText()).isEqualTo(SET_OURS);
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

      assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(SET_OURS);
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

      succeeded(cloudFormation.send(handlerAt(endpoint), typed(CloudFormation.delete(SET_OURS, properties(OURS)))));

      assertThat(endpoint.calls()).containsExactly("GET /account", "PATCH /account");
      assertThat(endpoint.requests().get(1).body()).isEqualTo("{\"patchOperations\":[{\"op\":\"replace\","
          + "\"path\":\"/cloudwatchRoleArn\",\"value\":\"\"}]}");
    }
  }
}
