package com.mtlsgateway.endpoint;

import java.util.Map;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;

/**
 * REST APIs in moto server for the {@code Custom::DefaultEndpoint} tests and event files: an API with one method
 * (GET / with a MOCK integration: moto, like API Gateway, refuses to deploy an API without one) deployed to a stage.
 *
 * <p>Moto 5.2 reads the UpdateRestApi patch value with Python's {@code bool(value)}, so {@code "false"} reads back
 * as true: tests read back only values set to true from moto, and check the requests that set false against a local
 * endpoint serving API Gateway's JSON.
 */
public final class DefaultEndpointFixtures {

  /** The API id in events/default-endpoint-*.json; moto takes it from the {@code _custom_id_} tag. */
  public static final String EVENTS_API_ID = "a1b2c3d4e5";
  public static final String STAGE = "prod";
  /**
   * The stage the events' API also has: events/default-endpoint-update.json is the Update of a StageName change from
   * {@link #STAGE} to this one (CloudFormation replaces the AWS::ApiGateway::Stage first, so it exists and is
   * deployed).
   */
  public static final String NEXT_STAGE = "v2";

  private DefaultEndpointFixtures() {}

  /** A client for moto (endpoint, region and credentials from the SDK's settings), built as production's is. */
  public static ApiGatewayClient apiGateway() {
    return ApiGatewayClient.builder().httpClient(Apache5HttpClient.builder().build()).build();
  }

  /**
   * Creates a REST API with a method, deployed to {@link #STAGE}.
   *
   * @param customId the id moto gives the API, or null for a generated one
   * @param disabled its initial {@code disableExecuteApiEndpoint}
   * @return its id
   */
  public static String deployedApi(ApiGatewayClient apiGateway, String customId, boolean disabled) {
    String id = apiGateway.createRestApi(b -> {
      b.name("mtls-gateway-test").disableExecuteApiEndpoint(disabled);
      if (customId != null) {
        b.tags(Map.of("_custom_id_", customId));
      }
    }).id();
    String root = apiGateway.getResources(b -> b.restApiId(id)).items().get(0).id();
    apiGateway.putMethod(b -> b.restApiId(id).resourceId(root).httpMethod("GET").authorizationType("NONE"));
    apiGateway.putIntegration(b -> b.restApiId(id).resourceId(root).httpMethod("GET").type("MOCK"));
    apiGateway.createDeployment(b -> b.restApiId(id).stageName(STAGE));
    return id;
  }

  /**
   * Creates a REST API shaped like the template's (ANY / and ANY /{proxy+}, HTTP_PROXY over a VPC link) with both
   * integration URIs on {@code baseUri}, and a GET /mock MOCK integration (not HTTP: never checked nor changed),
   * deployed to {@link #STAGE}, its execute-api endpoint not disabled.
   *
   * @param baseUri e.g. {@code https://backend.example.internal:443}
   * @return its id
   */
  public static String proxyApi(ApiGatewayClient apiGateway, String baseUri) {
    String id = apiGateway.createRestApi(b -> b.name("mtls-gateway-test").disableExecuteApiEndpoint(false)).id();
    String root = apiGateway.getResources(b -> b.restApiId(id)).items().get(0).id();
    String proxy = apiGateway.createResource(b -> b.restApiId(id).parentId(root).pathPart("{proxy+}")).id();
    String mock = apiGateway.createResource(b -> b.restApiId(id).parentId(root).pathPart("mock")).id();
    for (String[] method : new String[][] {{root, "/"}, {proxy, "/{proxy}"}}) {
      apiGateway.putMethod(b -> b.restApiId(id).resourceId(method[0]).httpMethod("ANY").authorizationType("NONE"));
      apiGateway.putIntegration(b -> b.restApiId(id).resourceId(method[0]).httpMethod("ANY").type("HTTP_PROXY")
          .integrationHttpMethod("ANY").connectionType("VPC_LINK").connectionId("${stageVariables.vpcLinkId}")
          .uri(baseUri + method[1]));
    }
    apiGateway.putMethod(b -> b.restApiId(id).resourceId(mock).httpMethod("GET").authorizationType("NONE"));
    apiGateway.putIntegration(b -> b.restApiId(id).resourceId(mock).httpMethod("GET").type("MOCK"));
    apiGateway.createDeployment(b -> b.restApiId(id).stageName(STAGE));
    return id;
  }

  /**
   * The REST API of events/default-endpoint-*.json ({@link #EVENTS_API_ID}, initially not disabled), deployed to
   * {@link #STAGE} and to {@link #NEXT_STAGE}.
   */
  public static void eventsApi(ApiGatewayClient apiGateway) {
    deployedApi(apiGateway, EVENTS_API_ID, false);
    apiGateway.createDeployment(b -> b.restApiId(EVENTS_API_ID).stageName(NEXT_STAGE));
  }

  /** The deployment {@link #STAGE} serves. */
  public static String stageDeployment(ApiGatewayClient apiGateway, String id) {
    return stageDeployment(apiGateway, id, STAGE);
  }

  /** The deployment the stage serves. */
  public static String stageDeployment(ApiGatewayClient apiGateway, String id, String stage) {
    return apiGateway.getStage(b -> b.restApiId(id).stageName(stage)).deploymentId();
  }

  /** The API's {@code disableExecuteApiEndpoint} (see the class comment on moto and false). */
  public static boolean disabled(ApiGatewayClient apiGateway, String id) {
    return Boolean.TRUE.equals(apiGateway.getRestApi(b -> b.restApiId(id)).disableExecuteApiEndpoint());
  }
}
