package com.mtlsgateway.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mtlsgateway.customresource.HttpResponseSender;
import com.mtlsgateway.testing.LocalAwsEndpoint;
import com.mtlsgateway.testing.MotoServer;
import com.mtlsgateway.truststore.CloudFormation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;

/**
 * {@code Custom::DefaultEndpoint} against moto server's API Gateway, through the handler's Lambda entry point with
 * events as CloudFormation sends them. What moto cannot show (a patch to false reads back as true in moto 5.2, see
 * {@link DefaultEndpointFixtures}; throttling; conflicts) is served by a local endpoint answering API Gateway's
 * REST-JSON: status, {@code x-amzn-ErrorType} header and {@code {"message": ...}} body.
 */
@ExtendWith(MotoServer.class)
class DefaultEndpointMotoTest {

  private final MotoServer.Running moto;
  private ApiGatewayClient apiGateway;
  private CloudFormation cloudFormation;

  DefaultEndpointMotoTest(MotoServer.Running moto) {
    this.moto = moto;
  }

  @BeforeEach
  void prepare() {
    moto.reset();
    apiGateway = DefaultEndpointFixtures.apiGateway();
    cloudFormation = new CloudFormation();
  }

  @AfterEach
  void close() {
    cloudFormation.close();
    apiGateway.close();
  }

  private static Map<String, String> properties(String api, String disabled) {
    return Map.of("RestApiId", api, "StageName", DefaultEndpointFixtures.STAGE, "Disabled", disabled);
  }

  private static ObjectNode typed(ObjectNode event) {
    return event.put("ResourceType", "Custom::DefaultEndpoint").put("LogicalResourceId", "DefaultEndpoint");
  }

  private JsonNode send(ObjectNode event) {
    return cloudFormation.send(new DefaultEndpointHandler(), typed(event));
  }

  private static void assertSuccess(JsonNode response) {
    assertThat(response.get("Status").asText()).as("Reason: %s", response.path("Reason").asText())
        .isEqualTo("SUCCESS");
  }

  private String stageDeployment(String api) {
    return DefaultEndpointFixtures.stageDeployment(apiGateway, api);
  }

  @Test
  void createDisablesTheEndpointAndRedeploysTheStage() {
    String api = DefaultEndpointFixtures.deployedApi(apiGateway, null, false);
    String before = stageDeployment(api);

    JsonNode response = send(CloudFormation.create(properties(api, "true")));

    assertSuccess(response);
    assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(api + "/prod/original=false");
    assertThat(DefaultEndpointFixtures.disabled(apiGateway, api)).isTrue();
    assertThat(stageDeployment(api)).isNotEqualTo(before)
        .isEqualTo(response.get("Data").get("DeploymentId").asText());
    assertThat(response.get("Data").get("DisableExecuteApiEndpoint").asText()).isEqualTo("true");
  }

  @Test
  void createRedeploysEvenWhenTheValueAlreadyMatchesAndRecordsIt() {
    String api = DefaultEndpointFixtures.deployedApi(apiGateway, null, true);
    String before = stageDeployment(api);

    JsonNode created = send(CloudFormation.create(properties(api, "true")));

    assertSuccess(created);
    String id = created.get("PhysicalResourceId").asText();
    assertThat(id).isEqualTo(api + "/prod/original=true");
    assertThat(stageDeployment(api)).as("a flag flipped earlier without a deployment takes effect too")
        .isNotEqualTo(before);

    String afterCreate = stageDeployment(api);
    assertSuccess(send(CloudFormation.delete(id, properties(api, "true"))));
    assertThat(DefaultEndpointFixtures.disabled(apiGateway, api)).isTrue();
    assertThat(stageDeployment(api)).as("nothing to restore: no redeploy").isEqualTo(afterCreate);
  }

  @Test
  void updateToFalseKeepsTheIdAndRedeploys() {
    String api = DefaultEndpointFixtures.deployedApi(apiGateway, null, false);
    String id = send(CloudFormation.create(properties(api, "true"))).get("PhysicalResourceId").asText();
    String afterCreate = stageDeployment(api);

    JsonNode response = send(CloudFormation.update(id, properties(api, "false"), properties(api, "true")));

    assertSuccess(response);
    assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(id);
    assertThat(response.get("Data").get("DisableExecuteApiEndpoint").asText()).isEqualTo("false");
    assertThat(stageDeployment(api)).isNotEqualTo(afterCreate);
    // The value false cannot be read back from moto: updateToFalseSendsFalse checks the request.
  }

  @Test
  void updateToAnotherApiIsAReplacementAndTheOldIdsDeleteRestoresTheOldApi() {
    String first = DefaultEndpointFixtures.deployedApi(apiGateway, null, false);
    String second = DefaultEndpointFixtures.deployedApi(apiGateway, null, true);
    String id = send(CloudFormation.create(properties(first, "true"))).get("PhysicalResourceId").asText();

    JsonNode response = send(CloudFormation.update(id, properties(second, "true"), properties(first, "true")));

    assertSuccess(response);
    assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(second + "/prod/original=true");
    String firstDeployment = stageDeployment(first);
    assertSuccess(send(CloudFormation.delete(id, properties(second, "true"))));
    assertThat(stageDeployment(first)).as("the old API restored and redeployed").isNotEqualTo(firstDeployment);
  }

  @Test
  void deleteRestoresTheOriginalAndRedeploys() {
    String api = DefaultEndpointFixtures.deployedApi(apiGateway, null, false);
    String id = send(CloudFormation.create(properties(api, "true"))).get("PhysicalResourceId").asText();
    String afterCreate = stageDeployment(api);

    JsonNode response = send(CloudFormation.delete(id, properties(api, "true")));

    assertSuccess(response);
    assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(id);
    assertThat(stageDeployment(api)).isNotEqualTo(afterCreate);
    // The restored false cannot be read back from moto: deleteSendsTheOriginalValue checks the request.
  }

  @Test
  void deleteOfAMissingApiSucceeds() {
    JsonNode response = send(CloudFormation.delete("zz9zz9zz9z/prod/original=false", properties("zz9zz9zz9z", "true")));

    assertSuccess(response);
  }

  @Test
  void deleteWhenTheStageIsGoneRestoresWithoutCreatingTheStage() {
    String api = DefaultEndpointFixtures.deployedApi(apiGateway, null, false);
    String id = send(CloudFormation.create(properties(api, "true"))).get("PhysicalResourceId").asText();
    apiGateway.deleteStage(b -> b.restApiId(api).stageName("prod"));

    assertSuccess(send(CloudFormation.delete(id, properties(api, "true"))));
    assertThat(apiGateway.getStages(b -> b.restApiId(api)).item()).isEmpty();
  }

  @Test
  void createFailsForAMissingApiOrStage() {
    JsonNode missingApi = send(CloudFormation.create(properties("zz9zz9zz9z", "true")));
    assertThat(missingApi.get("Status").asText()).isEqualTo("FAILED");
    assertThat(missingApi.get("Reason").asText()).startsWith("API Gateway GetRestApi zz9zz9zz9z: NotFoundException (404)");

    String api = DefaultEndpointFixtures.deployedApi(apiGateway, null, false);
    JsonNode missingStage = send(CloudFormation.create(Map.of("RestApiId", api, "StageName", "nope")));
    assertThat(missingStage.get("Status").asText()).isEqualTo("FAILED");
    assertThat(missingStage.get("Reason").asText()).startsWith("API Gateway GetStage " + api + "/nope: the stage "
        + "does not exist;");
    assertThat(apiGateway.getStages(b -> b.restApiId(api)).item()).extracting(s -> s.stageName())
        .containsExactly("prod");
  }

  @Test
  void createFailingForAMissingStageLeavesTheFlagUnchanged() {
    String api = DefaultEndpointFixtures.deployedApi(apiGateway, null, false);

    JsonNode response = send(CloudFormation.create(Map.of("RestApiId", api, "StageName", "nope", "Disabled",
        "true")));

    assertThat(response.get("Status").asText()).isEqualTo("FAILED");
    assertThat(response.get("Reason").asText()).startsWith("API Gateway GetStage " + api + "/nope:");
    // The Delete of the failed Create's marker id restores nothing: the Create must not have changed the flag.
    assertThat(DefaultEndpointFixtures.disabled(apiGateway, api)).isFalse();
  }

  private static Map<String, String> backend(String api, String protocol, String skip) {
    return Map.of("RestApiId", api, "StageName", DefaultEndpointFixtures.STAGE, "Disabled", "true",
        "BackendProtocol", protocol, "BackendTlsSkipVerification", skip);
  }

  @Test
  void httpsIntegrationsAreCheckedAndRedeployed() {
    String api = DefaultEndpointFixtures.proxyApi(apiGateway, "https://backend.example.internal:443");
    String before = stageDeployment(api);

    JsonNode response = send(CloudFormation.create(backend(api, "HTTPS", "false")));

    assertSuccess(response);
    assertThat(response.get("Data").get("BackendIntegrations").asText()).as("ANY / and ANY /{proxy+}, not the MOCK")
        .isEqualTo("2");
    assertThat(response.get("Data").get("BackendTlsSkipVerification").asText()).isEqualTo("false");
    assertThat(stageDeployment(api)).isNotEqualTo(before);
  }

  @Test
  void anIntegrationWithAnotherSchemeFailsBeforeAnythingChanges() {
    String api = DefaultEndpointFixtures.proxyApi(apiGateway, "http://internal-nlb.elb.us-east-1.amazonaws.com:80");
    String before = stageDeployment(api);

    JsonNode response = send(CloudFormation.create(backend(api, "HTTPS", "false")));

    assertThat(response.get("Status").asText()).isEqualTo("FAILED");
    assertThat(response.get("Reason").asText()).isEqualTo("API Gateway integration ANY / of " + api + " calls "
        + "http://internal-nlb.elb.us-east-1.amazonaws.com:80/, but BackendProtocol is HTTPS: every HTTP and "
        + "HTTP_PROXY integration URI must start with https:// (make the methods' Integration Uri and "
        + "BackendProtocol agree in the template)");
    assertThat(stageDeployment(api)).as("not deployed").isEqualTo(before);
    assertThat(DefaultEndpointFixtures.disabled(apiGateway, api)).as("the flag not set").isFalse();

    assertSuccess(send(CloudFormation.create(backend(api, "HTTP", "false"))));
  }

  @Test
  void aMissingApiIsNotFoundForTheFixtureToo() {
    // Guards the fake endpoint's 404 below: moto answers the same NotFoundException for an unknown API.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> apiGateway.getRestApi(b -> b.restApiId("zz9zz9zz9z")))
        .isInstanceOf(NotFoundException.class);
  }

  // API Gateway behaviour moto does not model, served by a local endpoint.

  private static final String API = "a1b2c3d4e5";

  private static LocalAwsEndpoint.Reply ok(int status, String json) {
    return LocalAwsEndpoint.Reply.ok(status, json);
  }

  private static LocalAwsEndpoint.Reply error(int status, String type, String message) {
    return LocalAwsEndpoint.Reply.error(status, type, message);
  }

  private static final LocalAwsEndpoint.Reply THROTTLED = error(429, "TooManyRequestsException", "Too Many Requests");
  private static final LocalAwsEndpoint.Reply CONFLICT = error(409, "ConflictException",
      "Unable to complete operation due to concurrent modification. Please try again later.");

  private static LocalAwsEndpoint.Reply api(boolean disabled) {
    return ok(200, "{\"id\":\"" + API + "\",\"name\":\"demo\",\"disableExecuteApiEndpoint\":" + disabled + "}");
  }

  private static final LocalAwsEndpoint.Reply STAGE = ok(200, "{\"stageName\":\"prod\",\"deploymentId\":\"dep1\"}");

  private DefaultEndpointHandler handlerAt(LocalAwsEndpoint endpoint) {
    // SDK retries off: the handler's own retries are what is tested (production keeps the SDK's defaults).
    return new DefaultEndpointHandler(endpoint.client(ApiGatewayClient.builder()), new HttpResponseSender(),
        Clock.systemUTC());
  }

  @Test
  void throttlingAndConflictsAreRetriedWithBackoff() {
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start()) {
      endpoint.script(THROTTLED, api(false), STAGE, CONFLICT, api(true), THROTTLED,
          ok(201, "{\"id\":\"dep2\",\"createdDate\":1735732800}"));
      Instant start = Instant.now();

      JsonNode response = cloudFormation.send(handlerAt(endpoint), typed(CloudFormation.create(properties(API,
          "true"))));

      assertSuccess(response);
      assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(API + "/prod/original=false");
      assertThat(response.get("Data").get("DeploymentId").asText()).isEqualTo("dep2");
      assertThat(endpoint.calls()).containsExactly("GET /restapis/" + API, "GET /restapis/" + API,
          "GET /restapis/" + API + "/stages/prod", "PATCH /restapis/" + API, "PATCH /restapis/" + API,
          "POST /restapis/" + API + "/deployments", "POST /restapis/" + API + "/deployments");
      assertThat(endpoint.requests().get(3).body()).isEqualTo("{\"patchOperations\":[{\"op\":\"replace\","
          + "\"path\":\"/disableExecuteApiEndpoint\",\"value\":\"true\"}]}");
      assertThat(endpoint.requests().get(6).body()).contains("\"stageName\":\"prod\"");
      assertThat(Duration.between(start, Instant.now())).as("three 1 s backoffs")
          .isGreaterThanOrEqualTo(Duration.ofMillis(2900));
    }
  }

  @Test
  void aFailedDeploymentRestoresTheValueFoundBeforeFailing() {
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start()) {
      endpoint.script(api(false), STAGE, api(true), error(400, "BadRequestException", "No integration defined"),
          api(false));

      JsonNode response = cloudFormation.send(handlerAt(endpoint), typed(CloudFormation.create(properties(API,
          "true"))));

      assertThat(response.get("Status").asText()).isEqualTo("FAILED");
      assertThat(response.get("Reason").asText()).startsWith("API Gateway CreateDeployment " + API)
          .contains("BadRequestException");
      assertThat(endpoint.calls()).containsExactly("GET /restapis/" + API, "GET /restapis/" + API + "/stages/prod",
          "PATCH /restapis/" + API, "POST /restapis/" + API + "/deployments", "PATCH /restapis/" + API);
      assertThat(endpoint.requests().get(2).body()).contains("\"value\":\"true\"");
      assertThat(endpoint.requests().get(4).body()).contains("\"value\":\"false\"");
    }
  }

  @Test
  void aMissingStageSendsNoPatch() {
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start()) {
      endpoint.script(api(false), error(404, "NotFoundException", "Invalid stage identifier specified"));

      JsonNode response = cloudFormation.send(handlerAt(endpoint), typed(CloudFormation.create(properties(API,
          "true"))));

      assertThat(response.get("Status").asText()).isEqualTo("FAILED");
      assertThat(endpoint.calls()).containsExactly("GET /restapis/" + API, "GET /restapis/" + API + "/stages/prod");
    }
  }

  @Test
  void updateToFalseSendsFalse() {
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start()) {
      endpoint.script(api(true), STAGE, api(false), ok(201, "{\"id\":\"dep3\"}"));
      String id = API + "/prod/original=false";

      JsonNode response = cloudFormation.send(handlerAt(endpoint), typed(CloudFormation.update(id,
          properties(API, "false"), properties(API, "true"))));

      assertSuccess(response);
      assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(id);
      assertThat(response.get("Data").get("DisableExecuteApiEndpoint").asText()).isEqualTo("false");
      assertThat(endpoint.requests().get(2).body()).contains("\"value\":\"false\"");
      assertThat(endpoint.calls()).last().isEqualTo("POST /restapis/" + API + "/deployments");
    }
  }

  @Test
  void deleteSendsTheOriginalValueAndRedeploys() {
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start()) {
      endpoint.script(api(true), api(false), STAGE, ok(201, "{\"id\":\"dep4\"}"));

      JsonNode response = cloudFormation.send(handlerAt(endpoint), typed(CloudFormation.delete(
          API + "/prod/original=false", properties(API, "true"))));

      assertSuccess(response);
      assertThat(endpoint.calls()).containsExactly("GET /restapis/" + API, "PATCH /restapis/" + API,
          "GET /restapis/" + API + "/stages/prod", "POST /restapis/" + API + "/deployments");
      assertThat(endpoint.requests().get(1).body()).contains("\"value\":\"false\"");
    }
  }

  /** GetResources with methods embedded, as API Gateway answers it: ANY / (no tlsConfig), ANY /{proxy+} (given). */
  private static LocalAwsEndpoint.Reply resources(String proxyTlsConfig) {
    String integration = "{\"type\":\"HTTP_PROXY\",\"httpMethod\":\"ANY\",\"uri\":"
        + "\"https://backend.example.internal:443%s\",\"connectionType\":\"VPC_LINK\",\"connectionId\":"
        + "\"${stageVariables.vpcLinkId}\",\"passthroughBehavior\":\"WHEN_NO_MATCH\",\"timeoutInMillis\":29000,"
        + "\"cacheNamespace\":\"%s\",\"cacheKeyParameters\":[]%s}";
    return ok(200, "{\"item\":[{\"id\":\"root00aaaa\",\"path\":\"/\",\"resourceMethods\":{\"ANY\":{"
        + "\"httpMethod\":\"ANY\",\"authorizationType\":\"NONE\",\"apiKeyRequired\":false,\"methodIntegration\":"
        + integration.formatted("/", "root00aaaa", "") + "}}},"
        + "{\"id\":\"prox00bbbb\",\"parentId\":\"root00aaaa\",\"pathPart\":\"{proxy+}\",\"path\":\"/{proxy+}\","
        + "\"resourceMethods\":{\"ANY\":{\"httpMethod\":\"ANY\",\"authorizationType\":\"NONE\",\"apiKeyRequired\":"
        + "false,\"methodIntegration\":" + integration.formatted("/{proxy}", "prox00bbbb", proxyTlsConfig) + "}}}]}");
  }

  private static final LocalAwsEndpoint.Reply INTEGRATION = ok(200, "{\"type\":\"HTTP_PROXY\",\"httpMethod\":"
      + "\"ANY\",\"uri\":\"https://backend.example.internal:443/\",\"connectionType\":\"VPC_LINK\","
      + "\"tlsConfig\":{\"insecureSkipVerification\":true}}");

  // UpdateIntegration is not in moto 5.2: its requests are checked here.
  @Test
  void skipVerificationIsSetWhereItDiffersBeforeTheDeployment() {
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start()) {
      endpoint.script(api(true), STAGE, resources(",\"tlsConfig\":{\"insecureSkipVerification\":true}"),
          INTEGRATION, ok(201, "{\"id\":\"dep5\"}"));

      JsonNode response = cloudFormation.send(handlerAt(endpoint), typed(CloudFormation.create(backend(API, "HTTPS",
          "true"))));

      assertSuccess(response);
      assertThat(endpoint.calls()).containsExactly("GET /restapis/" + API, "GET /restapis/" + API + "/stages/prod",
          "GET /restapis/" + API + "/resources",
          "PATCH /restapis/" + API + "/resources/root00aaaa/methods/ANY/integration",
          "POST /restapis/" + API + "/deployments");
      assertThat(endpoint.requests().get(3).body()).isEqualTo("{\"patchOperations\":[{\"op\":\"replace\","
          + "\"path\":\"/tlsConfig/insecureSkipVerification\",\"value\":\"true\"}]}");
      assertThat(response.get("Data").get("BackendTlsSkipVerification").asText()).isEqualTo("true");
      assertThat(response.get("Data").get("DeploymentId").asText()).isEqualTo("dep5");
    }
  }

  @Test
  void turningSkipVerificationOffSendsFalseToTheIntegrationsThatHadIt() {
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start()) {
      endpoint.script(api(true), STAGE, resources(",\"tlsConfig\":{\"insecureSkipVerification\":true}"),
          INTEGRATION, ok(201, "{\"id\":\"dep6\"}"));
      String id = API + "/prod/original=false";

      JsonNode response = cloudFormation.send(handlerAt(endpoint), typed(CloudFormation.update(id,
          backend(API, "HTTPS", "false"), backend(API, "HTTPS", "true"))));

      assertSuccess(response);
      assertThat(endpoint.calls()).contains("PATCH /restapis/" + API + "/resources/prox00bbbb/methods/ANY/integration")
          .doesNotContain("PATCH /restapis/" + API + "/resources/root00aaaa/methods/ANY/integration");
      assertThat(endpoint.requests().get(3).body()).contains("\"value\":\"false\"");
      assertThat(endpoint.calls()).last().isEqualTo("POST /restapis/" + API + "/deployments");
    }
  }

  /**
   * Turning revocation on or off updates the methods and gives the stage another deployment, which the template also
   * passes as MethodsDeploymentId: that Update, with the backend settings unchanged, sets the TLS setting again on
   * integrations that lost it and redeploys, keeping the id.
   */
  @Test
  void anotherMethodsDeploymentSetsTheTlsSettingAgainWhereItWasDroppedAndRedeploys() {
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start()) {
      endpoint.script(api(true), STAGE, resources(""), INTEGRATION, INTEGRATION, ok(201, "{\"id\":\"dep8\"}"));
      String id = API + "/prod/original=true";
      Map<String, String> old = new HashMap<>(backend(API, "HTTPS", "true"));
      old.put("MethodsDeploymentId", "v1off1");
      Map<String, String> now = new HashMap<>(backend(API, "HTTPS", "true"));
      now.put("MethodsDeploymentId", "v1rev2");

      JsonNode response = cloudFormation.send(handlerAt(endpoint), typed(CloudFormation.update(id, now, old)));

      assertSuccess(response);
      assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(id);
      assertThat(endpoint.calls()).containsExactly("GET /restapis/" + API, "GET /restapis/" + API + "/stages/prod",
          "GET /restapis/" + API + "/resources",
          "PATCH /restapis/" + API + "/resources/root00aaaa/methods/ANY/integration",
          "PATCH /restapis/" + API + "/resources/prox00bbbb/methods/ANY/integration",
          "POST /restapis/" + API + "/deployments");
      for (int patch : new int[] {3, 4}) {
        assertThat(endpoint.requests().get(patch).body()).isEqualTo("{\"patchOperations\":[{\"op\":\"replace\","
            + "\"path\":\"/tlsConfig/insecureSkipVerification\",\"value\":\"true\"}]}");
      }
      assertThat(response.get("Data").get("DeploymentId").asText()).isEqualTo("dep8");
    }
  }

  @Test
  void getResourcesEmbedsTheMethods() {
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start()) {
      endpoint.script(api(true), STAGE, resources(""), ok(201, "{\"id\":\"dep7\"}"));

      assertSuccess(cloudFormation.send(handlerAt(endpoint), typed(CloudFormation.create(backend(API, "HTTPS",
          "false")))));
      // Without embed=methods API Gateway lists the methods' names only, and no integration would be seen.
      assertThat(endpoint.requests().get(2).query()).contains("embed=methods");
    }
  }

  @Test
  void throttlingBeyondTheDeadlineFailsInTime() {
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start()) {
      LocalAwsEndpoint.Reply[] always = new LocalAwsEndpoint.Reply[20];
      java.util.Arrays.fill(always, THROTTLED);
      endpoint.script(always);
      Instant start = Instant.now();

      // 10 s left: the work must end 5 s before; attempts at 0, 1 and 3 s, then a 4 s wait would not fit.
      JsonNode response = cloudFormation.send(handlerAt(endpoint), typed(CloudFormation.create(properties(API,
          "true"))), Duration.ofSeconds(10));

      assertThat(response.get("Status").asText()).isEqualTo("FAILED");
      assertThat(response.get("Reason").asText()).startsWith("API Gateway GetRestApi " + API
          + ": TooManyRequestsException (429): Too Many Requests").contains("gave up after 2 attempts");
      assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
    }
  }
}
