package com.mtlsgateway.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The public side of template.yaml: REST API, methods and integrations, deployment, stage and logs, DNS. */
class ApiTemplateTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> METHODS = List.of("RootMethod", "ProxyMethod");
  private static final Pattern STAGE_VARIABLE = Pattern.compile("\\$\\{stageVariables\\.([A-Za-z0-9_]+)}");
  /** What {@link Scenario} gives for a Ref to a resource it has no realistic value for. */
  private static final Pattern RESOURCE_PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9]+)}");
  /** The characters of API Gateway tag keys and values (letters, digits, spaces, _ . : / = + - @). */
  private static final String TAG_CHARACTERS = "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]";
  /** Integration request header -> the context variable it carries (rest-api-parameter-mapping-sources). */
  private static final Map<String, String> CLIENT_CERT_HEADERS = new LinkedHashMap<>();

  static {
    CLIENT_CERT_HEADERS.put("integration.request.header.X-Client-Cert-Subject",
        "context.identity.clientCert.subjectDN");
    CLIENT_CERT_HEADERS.put("integration.request.header.X-Client-Cert-Issuer", "context.identity.clientCert.issuerDN");
    CLIENT_CERT_HEADERS.put("integration.request.header.X-Client-Cert-Serial",
        "context.identity.clientCert.serialNumber");
    CLIENT_CERT_HEADERS.put("integration.request.header.X-Client-Cert-Not-Before",
        "context.identity.clientCert.validity.notBefore");
    CLIENT_CERT_HEADERS.put("integration.request.header.X-Client-Cert-Not-After",
        "context.identity.clientCert.validity.notAfter");
  }

  private static CfnTemplate template;

  @BeforeAll
  static void load() throws IOException {
    template = CfnTemplate.load();
  }

  @Test
  void restApiIsRegionalAndItsExecuteApiEndpointIsDisabled() {
    assertThat(template.type("RestApi")).isEqualTo("AWS::ApiGateway::RestApi");
    JsonNode api = template.properties("RestApi");
    assertThat(api.path("EndpointConfiguration").path("Types")).isEqualTo(json("[\"REGIONAL\"]"));
    JsonNode disabled = api.path("DisableExecuteApiEndpoint");
    assertThat(disabled.isBoolean() && disabled.booleanValue()).as("DisableExecuteApiEndpoint: true").isTrue();
    assertThat(template.resourcesOfType("AWS::ApiGateway::RestApi")).containsOnlyKeys("RestApi");
  }

  @Test
  void anyOnTheRootAndOnEveryPathIsAnHttpProxyOverTheVpcLink() {
    assertThat(template.resourcesOfType("AWS::ApiGateway::Method")).containsOnlyKeys(METHODS);
    assertThat(template.properties("RootMethod").path("ResourceId"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"RestApi\", \"RootResourceId\"]}"));
    assertThat(template.properties("ProxyMethod").path("ResourceId")).isEqualTo(json("{\"Ref\": \"ProxyResource\"}"));
    JsonNode proxy = template.properties("ProxyResource");
    assertThat(proxy.path("ParentId")).isEqualTo(json("{\"Fn::GetAtt\": [\"RestApi\", \"RootResourceId\"]}"));
    assertThat(proxy.path("PathPart").asText()).isEqualTo("{proxy+}");
    for (String id : METHODS) {
      JsonNode method = template.properties(id);
      assertThat(method.path("RestApiId")).as(id).isEqualTo(json("{\"Ref\": \"RestApi\"}"));
      assertThat(method.path("HttpMethod").asText()).as(id).isEqualTo("ANY");
      JsonNode integration = method.path("Integration");
      assertThat(integration.path("Type").asText()).as(id).isEqualTo("HTTP_PROXY");
      assertThat(integration.path("IntegrationHttpMethod").asText()).as(id).isEqualTo("ANY");
      assertThat(integration.path("ConnectionType").asText()).as(id).isEqualTo("VPC_LINK");
      assertThat(integration.path("ConnectionId").asText()).as(id).isEqualTo("${stageVariables.vpcLinkId}");
      assertThat(Scenario.of(template).property(id, "Integration").path("Uri").asText())
          .as("%s Uri (no Uri: \"Invalid integration URI\")", id).startsWith("http://");
    }
    assertThat(template.properties("ApiStage").path("Variables").path("vpcLinkId"))
        .isEqualTo(json("{\"Ref\": \"VpcLink\"}"));
  }

  /**
   * The integrations read the VPC link id and the NLB's host:port from stage variables at request time. Evaluated for
   * sample parameters, the stage's variables make the URIs http://NLB-DNS:PORT/ and http://NLB-DNS:PORT/{proxy}.
   */
  @ParameterizedTest
  @CsvSource({
      "new, 80, " + Scenario.NLB_DNS,
      "new, 8080, " + Scenario.NLB_DNS,
      "demo, 80, " + Scenario.NLB_DNS,
      "existing, 8443, " + Scenario.EXISTING_NLB_DNS,
  })
  void integrationUrisResolveToTheNlbOnTargetPort(String backend, String port, String host) {
    Scenario scenario = switch (backend) {
      case "new" -> Scenario.of(template);
      case "demo" -> Scenario.demo(template);
      default -> Scenario.existingNlb(template);
    };
    scenario.with("TargetPort", port);
    JsonNode variables = scenario.property("ApiStage", "Variables");
    assertThat(resolve(scenario.property("RootMethod", "Integration").path("Uri").asText(), variables))
        .isEqualTo("http://" + host + ":" + port + "/");
    assertThat(resolve(scenario.property("ProxyMethod", "Integration").path("Uri").asText(), variables))
        .isEqualTo("http://" + host + ":" + port + "/{proxy}");
    assertThat(resolve(template.properties("ProxyMethod").path("Integration").path("ConnectionId").asText(),
        variables)).isEqualTo(Scenario.VPC_LINK_ID);
  }

  @Test
  void theProxyPathIsPassedToTheBackend() {
    JsonNode proxy = template.properties("ProxyMethod");
    assertThat(proxy.path("RequestParameters").path("method.request.path.proxy").asBoolean()).isTrue();
    assertThat(proxy.path("Integration").path("RequestParameters").path("integration.request.path.proxy").asText())
        .isEqualTo("method.request.path.proxy");
  }

  /** So that the backend knows who called; mapping expressions must match ^[a-zA-Z0-9._$-]+$. */
  @Test
  void theClientCertificateIsForwardedAsHeaders() {
    for (String id : METHODS) {
      JsonNode parameters = template.properties(id).path("Integration").path("RequestParameters");
      CLIENT_CERT_HEADERS.forEach((header, source) ->
          assertThat(parameters.path(header).asText()).as("%s %s", id, header).isEqualTo(source));
      parameters.properties().forEach(parameter -> {
        assertThat(parameter.getKey()).matches("integration\\.request\\.(header|path)\\.[A-Za-z0-9._-]+");
        assertThat(parameter.getValue().asText()).matches("[a-zA-Z0-9._$-]+");
      });
    }
  }

  /**
   * A deployment snapshots the methods that exist when it is made: it must come after every one of them. The stage
   * serves the one deployment that exists for the scenario (with or without the revocation authorizer).
   */
  @ParameterizedTest
  @CsvSource({"'', ApiDeploymentV1", "s3://crl-bucket/ca.crl, ApiDeploymentV1Revocation"})
  void theStageServesADeploymentOfEveryMethod(String revocationListUris, String expected) {
    JsonNode stage = template.properties("ApiStage");
    Scenario scenario = Scenario.of(template).with("RevocationListUris", revocationListUris);
    assertThat(scenario.property("ApiStage", "DeploymentId").asText()).isEqualTo("{" + expected + "}");
    String deployment = expected;
    assertThat(scenario.creates(deployment)).isTrue();
    assertThat(template.resourcesOfType("AWS::ApiGateway::Deployment").keySet().stream().filter(scenario::creates))
        .as("one deployment per scenario").containsExactly(deployment);
    assertThat(template.type(deployment)).isEqualTo("AWS::ApiGateway::Deployment");
    assertThat(template.properties(deployment).path("RestApiId")).isEqualTo(json("{\"Ref\": \"RestApi\"}"));
    assertThat(template.properties(deployment).has("StageName")).as("the stage is its own resource").isFalse();
    assertThat(template.dependsOn(deployment)).containsAll(template.resourcesOfType("AWS::ApiGateway::Method").keySet());
    assertThat(stage.path("RestApiId")).isEqualTo(json("{\"Ref\": \"RestApi\"}"));
    assertThat(stage.path("StageName")).isEqualTo(json("{\"Ref\": \"StageName\"}"));
  }

  /** Every stage variable a method uses is set by the stage. */
  @Test
  void everyStageVariableUsedIsSet() {
    JsonNode variables = template.properties("ApiStage").path("Variables");
    for (String id : METHODS) {
      for (String text : CfnTemplate.texts(template.properties(id))) {
        Matcher matcher = STAGE_VARIABLE.matcher(text);
        while (matcher.find()) {
          assertThat(variables.has(matcher.group(1))).as("%s uses stageVariables.%s", id, matcher.group(1)).isTrue();
        }
      }
    }
  }

  /** One JSON line per request, with who called: the client certificate's subject, issuer, serial and validity. */
  @Test
  void theAccessLogIsJsonWithTheClientCertificate() throws JsonProcessingException {
    JsonNode setting = Scenario.of(template).with("StageLogging", "ACCESS").property("ApiStage", "AccessLogSetting");
    assertThat(setting.path("DestinationArn").asText()).isEqualTo("arn:aws:test:::AccessLogGroup");
    String format = setting.path("Format").asText();

    // $context.error.messageString is already a quoted JSON string; every other variable sits inside quotes.
    JsonNode line = JSON.readTree(format.replace("$context.error.messageString", "\"message\"")
        .replaceAll("\\$context\\.[A-Za-z.]+", "value"));
    assertThat(line.isObject()).isTrue();
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("requestId", "$context.requestId");
    fields.put("sourceIp", "$context.identity.sourceIp");
    fields.put("status", "$context.status");
    fields.put("domainName", "$context.domainName");
    fields.put("clientCertSubjectDN", "$context.identity.clientCert.subjectDN");
    fields.put("clientCertIssuerDN", "$context.identity.clientCert.issuerDN");
    fields.put("clientCertSerialNumber", "$context.identity.clientCert.serialNumber");
    fields.put("clientCertNotBefore", "$context.identity.clientCert.validity.notBefore");
    fields.put("clientCertNotAfter", "$context.identity.clientCert.validity.notAfter");
    fields.forEach((field, variable) -> assertThat(format).as(field).contains("\"" + field + "\":\"" + variable + "\""));
    assertThat(format).contains("\"errorMessage\":$context.error.messageString");
    assertThat(format).doesNotContain("clientCertPem");

    // The revocation authorizer's outcome, in every format (empty values without RevocationListUris).
    Map<String, String> authorizerFields = new LinkedHashMap<>();
    authorizerFields.put("authorizeStatus", "$context.authorize.status");
    authorizerFields.put("authorizerLatency", "$context.authorizer.latency");
    authorizerFields.put("authorizerError", "$context.authorizer.error");
    authorizerFields.put("authorizerDecision", "$context.authorizer.decision");
    authorizerFields.put("revocationCheck", "$context.authorizer.check");
    authorizerFields.forEach((field, variable) ->
        assertThat(format).as(field).contains("\"" + field + "\":\"" + variable + "\""));
    assertThat(Scenario.of(template).with("StageLogging", "ACCESS").with("RevocationListUris", "s3://crl/ca.crl")
        .property("ApiStage", "AccessLogSetting").path("Format").asText()).isEqualTo(format);
    // Every key once (a JSON object with a duplicate key is read as the last value by most tools).
    List<String> keys = new ArrayList<>();
    Matcher key = Pattern.compile("\"([A-Za-z]+)\":").matcher(format);
    while (key.find()) {
      keys.add(key.group(1));
    }
    assertThat(keys).doesNotHaveDuplicates().hasSize(line.size());
    // Kept within 3 KB: the access log template size quota of HTTP APIs (the REST API quota table names none).
    assertThat(format.getBytes(StandardCharsets.UTF_8).length).isLessThan(3 * 1024);

    assertThat(template.properties("AccessLogGroup").path("RetentionInDays"))
        .isEqualTo(json("{\"Ref\": \"LogRetentionInDays\"}"));
    assertThat(template.resource("AccessLogGroup").path("Condition").asText()).isEqualTo("HasAccessLogs");
  }

  /**
   * By default the stage writes the access log; ACCESS_AND_EXECUTION also INFO execution logs (an explicit choice:
   * they can hold request details); OFF logs nothing. Bodies are never logged; metrics are always on; throttling comes
   * from the parameters.
   */
  @ParameterizedTest
  @CsvSource({"OFF, false, OFF", "ACCESS, true, OFF", "ACCESS_AND_EXECUTION, true, INFO"})
  void stageLoggingFollowsStageLogging(String stageLogging, boolean accessLog, String executionLevel) {
    assertThat(template.parameter("StageLogging").path("Default").asText()).isEqualTo("ACCESS");
    Scenario scenario = Scenario.of(template).with("StageLogging", stageLogging);
    assertThat(scenario.property("ApiStage", "AccessLogSetting").isMissingNode()).isEqualTo(!accessLog);
    assertThat(scenario.creates("AccessLogGroup")).isEqualTo(accessLog);
    assertThat(scenario.creates("ExecutionLogGroup")).isEqualTo(executionLevel.equals("INFO"));

    JsonNode settings = scenario.property("ApiStage", "MethodSettings");
    assertThat(settings).hasSize(1);
    JsonNode all = settings.get(0);
    assertThat(all.path("ResourcePath").asText()).isEqualTo("/*");
    assertThat(all.path("HttpMethod").asText()).isEqualTo("*");
    assertThat(all.path("LoggingLevel").asText()).isEqualTo(executionLevel);
    assertThat(all.path("DataTraceEnabled").isBoolean() && !all.path("DataTraceEnabled").booleanValue()).isTrue();
    assertThat(all.path("MetricsEnabled").asBoolean()).isTrue();
    JsonNode raw = template.properties("ApiStage").path("MethodSettings").get(0);
    assertThat(raw.path("ThrottlingRateLimit")).isEqualTo(json("{\"Ref\": \"ThrottlingRateLimit\"}"));
    assertThat(raw.path("ThrottlingBurstLimit")).isEqualTo(json("{\"Ref\": \"ThrottlingBurstLimit\"}"));
  }

  /**
   * The stage waits for what its logging needs: the account's logging role (Custom::ApiGatewayAccountRole) whenever it
   * logs, and the execution log group (made with retention before API Gateway makes its own without). A plain
   * DependsOn cannot name a resource whose condition is false, so the stage refers to them in its Tags, a property
   * that updates in place (not through a WaitConditionHandle, which cannot be updated).
   */
  @ParameterizedTest
  @CsvSource({"OFF", "ACCESS", "ACCESS_AND_EXECUTION"})
  void theStageWaitsForTheAccountRoleAndTheExecutionLogGroup(String stageLogging) {
    assertThat(template.resourcesOfType("AWS::CloudFormation::WaitConditionHandle")).isEmpty();
    assertThat(template.dependsOn("ApiStage")).isEmpty();
    Scenario scenario = Scenario.of(template).with("StageLogging", stageLogging);
    Set<String> expected = new TreeSet<>();
    if (!stageLogging.equals("OFF")) {
      expected.add("ApiGatewayAccountRole");
    }
    if (stageLogging.equals("ACCESS_AND_EXECUTION")) {
      expected.add("ExecutionLogGroup");
    }
    assertThat(referencedResources(scenario.property("ApiStage", "Tags"))).isEqualTo(expected);
    expected.forEach(id -> assertThat(scenario.creates(id)).as(id).isTrue());

    // Valid API Gateway tags with the values CloudFormation gives (Ref: the custom resource's PhysicalResourceId at
    // its longest, the log group's name).
    JsonNode tags = Scenario.of(template).with("StageLogging", stageLogging)
        .with("ApiGatewayAccountRole", "mtls-gateway:account-role:adopted-by-this-stack")
        .with("ExecutionLogGroup", "API-Gateway-Execution-Logs_" + Scenario.REST_API_ID + "/prod")
        .property("ApiStage", "Tags");
    assertThat(tags).hasSize(2);
    tags.forEach(tag -> {
      assertThat(tag.path("Key").asText()).matches(TAG_CHARACTERS + "{1,128}").doesNotStartWith("aws:");
      assertThat(tag.path("Value").asText()).matches(TAG_CHARACTERS + "{0,256}");
    });

    if (stageLogging.equals("ACCESS_AND_EXECUTION")) {
      assertThat(scenario.property("ExecutionLogGroup", "LogGroupName").asText())
          .isEqualTo("API-Gateway-Execution-Logs_" + Scenario.REST_API_ID + "/prod");
    }
    assertThat(template.properties("ExecutionLogGroup").path("RetentionInDays"))
        .isEqualTo(json("{\"Ref\": \"LogRetentionInDays\"}"));
  }

  @Test
  void theDomainRootMapsToTheStage() {
    assertThat(template.resourcesOfType("AWS::ApiGateway::BasePathMapping")).containsOnlyKeys("BasePathMapping");
    JsonNode mapping = template.properties("BasePathMapping");
    assertThat(mapping.path("DomainName")).isEqualTo(json("{\"Ref\": \"Domain\"}"));
    assertThat(mapping.path("RestApiId")).isEqualTo(json("{\"Ref\": \"RestApi\"}"));
    assertThat(mapping.path("Stage")).isEqualTo(json("{\"Ref\": \"ApiStage\"}"));
    assertThat(mapping.has("BasePath")).as("no base path: https://DOMAIN/x is the stage's /x").isFalse();
  }

  @Test
  void theDnsRecordExistsOnlyWithAHostedZone() {
    assertThat(template.type("DnsRecord")).isEqualTo("AWS::Route53::RecordSet");
    assertThat(template.resource("DnsRecord").path("Condition").asText()).isEqualTo("HasHostedZone");
    assertThat(Scenario.of(template).creates("DnsRecord")).isFalse();
    assertThat(Scenario.of(template).with("HostedZoneId", "Z0123456789ABCDEFGHIJ").creates("DnsRecord")).isTrue();
    JsonNode record = template.properties("DnsRecord");
    assertThat(record.path("HostedZoneId")).isEqualTo(json("{\"Ref\": \"HostedZoneId\"}"));
    assertThat(record.path("Name")).isEqualTo(json("{\"Ref\": \"DomainName\"}"));
    assertThat(record.path("Type").asText()).isEqualTo("A");
    assertThat(record.path("AliasTarget")).isEqualTo(json("""
        {"DNSName": {"Fn::GetAtt": ["Domain", "RegionalDomainName"]},
         "HostedZoneId": {"Fn::GetAtt": ["Domain", "RegionalHostedZoneId"]},
         "EvaluateTargetHealth": false}"""));
  }

  /**
   * Whenever the stage logs, Custom::ApiGatewayAccountRole offers this stack's role as the Region's account setting
   * (set only when none is: see AccountRoleHandler), with its function, its function's role and log group; with OFF
   * none of them exists. The former AWS::ApiGateway::Account, which replaced any role set, is gone; the role keeps its
   * logical id, so that a stack which set it that way finds it as its own.
   */
  @ParameterizedTest
  @CsvSource({"OFF, false", "ACCESS, true", "ACCESS_AND_EXECUTION, true"})
  void theAccountRoleIsOfferedWhenTheStageLogs(String stageLogging, boolean offered) {
    assertThat(template.root().path("Parameters").has("ConfigureApiGatewayAccountLogging")).isFalse();
    assertThat(template.resourcesOfType("AWS::ApiGateway::Account")).isEmpty();
    assertThat(template.resourcesOfType("Custom::ApiGatewayAccountRole")).containsOnlyKeys("ApiGatewayAccountRole");
    Scenario scenario = Scenario.of(template).with("StageLogging", stageLogging);
    for (String id : List.of("ApiGatewayAccountRole", "ApiGatewayCloudWatchRole", "AccountRoleFunction",
        "AccountRoleFunctionRole", "AccountRoleLogGroup")) {
      assertThat(scenario.creates(id)).as(id).isEqualTo(offered);
      assertThat(template.resource(id).has("DeletionPolicy") && !template.resource(id).path("DeletionPolicy")
          .asText().equals("Delete")).as("%s is not retained: the setting is unset before the role goes", id)
          .isFalse();
    }
    JsonNode resource = template.properties("ApiGatewayAccountRole");
    assertThat(resource.path("RoleArn")).isEqualTo(json("{\"Fn::GetAtt\": [\"ApiGatewayCloudWatchRole\", \"Arn\"]}"));
    assertThat(resource.path("ServiceToken")).isEqualTo(json("{\"Fn::GetAtt\": [\"AccountRoleFunction\", \"Arn\"]}"));
    assertThat(resource.path("ServiceTimeout").asInt()).as("one 180 s attempt and a retry")
        .isGreaterThan(2 * template.properties("AccountRoleFunction").path("Timeout").asInt());
    // In an account that never had an API Gateway resource, the account setting needs one to exist first; the
    // function's role and log group outlive the resource's Delete.
    assertThat(template.dependsOn("ApiGatewayAccountRole"))
        .containsExactlyInAnyOrder("RestApi", "AccountRoleLogGroup", "AccountRoleFunctionRole");
    assertThat(template.resource("RestApi").has("Condition")).as("RestApi always exists").isFalse();
    assertThat(template.properties("AccountRoleFunction").path("Handler").asText())
        .isEqualTo("com.mtlsgateway.account.AccountRoleHandler::handleRequest");
    assertThat(template.properties("ApiGatewayCloudWatchRole").path("AssumeRolePolicyDocument").path("Statement"))
        .isEqualTo(json("""
            [{"Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": "sts:AssumeRole"}]"""));
    assertThat(template.root().path("Outputs").path("ApiGatewayCloudWatchRoleSetByThisStack").path("Value"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"ApiGatewayAccountRole\", \"SetByThisStack\"]}"));
  }

  /** The function may read and patch the Region's account setting and pass exactly this stack's role, nothing else. */
  @Test
  void theAccountRoleFunctionMayOnlyTouchTheAccountSettingAndPassItsRole() {
    Intrinsics intrinsics = Scenario.of(template).intrinsics();
    Map<String, Set<String>> expected = new java.util.TreeMap<>();
    expected.put("logs:CreateLogStream", Set.of("arn:aws:test:::AccountRoleLogGroup"));
    expected.put("logs:PutLogEvents", Set.of("arn:aws:test:::AccountRoleLogGroup"));
    expected.put("apigateway:GET", Set.of("arn:aws:apigateway:eu-west-1::/account"));
    expected.put("apigateway:PATCH", Set.of("arn:aws:apigateway:eu-west-1::/account"));
    expected.put("iam:PassRole", Set.of("arn:aws:test:::ApiGatewayCloudWatchRole"));
    assertThat(TemplateTest.granted(template.properties("AccountRoleFunctionRole"), intrinsics)).isEqualTo(expected);
  }

  /** The filled-in commands request HealthCheckPath, on the domain and on the execute-api URL. */
  @ParameterizedTest
  @CsvSource({"'', /healthcheck", "/internal/ready, /internal/ready"})
  void outputsAreReadyToRun(String healthCheckPath, String expectedPath) {
    Scenario scenario = Scenario.of(template);
    if (!healthCheckPath.isEmpty()) {
      scenario.with("HealthCheckPath", healthCheckPath);
    }
    Intrinsics intrinsics = scenario.intrinsics();
    JsonNode outputs = template.root().path("Outputs");
    String executeApi = "https://" + Scenario.REST_API_ID + ".execute-api.eu-west-1.amazonaws.com/prod/";
    assertThat(intrinsics.string(outputs.path("MtlsUrl").path("Value"))).isEqualTo("https://api.example.com/");
    assertThat(intrinsics.string(outputs.path("ExecuteApiUrl").path("Value"))).isEqualTo(executeApi);
    assertThat(intrinsics.string(outputs.path("CurlCommand").path("Value")))
        .isEqualTo("curl --cert client.pem --key client.key https://api.example.com" + expectedPath);
    assertThat(intrinsics.string(outputs.path("SmokeCommand").path("Value")))
        .isEqualTo("bin/mtls smoke --url https://api.example.com" + expectedPath + " --cert client.pem --key client.key"
            + " --execute-api-url " + executeApi + expectedPath.substring(1));
    List<String> conditional = new ArrayList<>();
    outputs.properties().forEach(output -> {
      if (output.getValue().has("Condition")) {
        conditional.add(output.getKey());
      }
    });
    assertThat(conditional).containsExactlyInAnyOrder("NlbDnsName", "NlbSecurityGroupId", "AccessLogGroupName",
        "ApiGatewayCloudWatchRoleArn", "ApiGatewayCloudWatchRoleSetByThisStack",
        "RevocationIndexUri", "RevocationIndexVersion", "RevokedCount", "RevocationEarliestNextUpdate",
        "RevocationRefreshFailedAlarmName", "AlarmTopicArn");
  }

  /**
   * The demo is checked on (and answers) /healthcheck whatever HealthCheckPath is, which is what its description says;
   * with the default HealthCheckPath the filled-in commands reach it.
   */
  @Test
  void theDemoAnswersTheDefaultHealthCheckPath() {
    assertThat(template.properties("NlbDemoTargetGroup").path("HealthCheckPath"))
        .as("a literal, not HealthCheckPath").isEqualTo(json("\"/healthcheck\""));
    assertThat(template.parameter("HealthCheckPath").path("Default").asText()).isEqualTo("/healthcheck");
    assertThat(template.parameter("DemoBackend").path("Description").asText())
        .contains("The demo answers /healthcheck whatever HealthCheckPath is");
    assertThat(Scenario.demo(template).intrinsics().string(template.root().path("Outputs").path("CurlCommand")
        .path("Value"))).endsWith("https://api.example.com/healthcheck");
  }

  /** The logical ids of this template's resources a Ref or Fn::GetAtt gave in an evaluated node ("{LogicalId}"). */
  private static Set<String> referencedResources(JsonNode evaluated) {
    Set<String> ids = new TreeSet<>();
    for (String text : CfnTemplate.texts(evaluated)) {
      Matcher matcher = RESOURCE_PLACEHOLDER.matcher(text);
      while (matcher.find()) {
        if (template.root().path("Resources").has(matcher.group(1))) {
          ids.add(matcher.group(1));
        }
      }
    }
    return ids;
  }

  /** Replaces every ${stageVariables.NAME} with the stage's value for NAME, as API Gateway does at request time. */
  static String resolve(String text, JsonNode variables) {
    Matcher matcher = STAGE_VARIABLE.matcher(text);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      JsonNode value = variables.path(matcher.group(1));
      assertThat(value.isTextual()).as("stage variable %s", matcher.group(1)).isTrue();
      matcher.appendReplacement(result, Matcher.quoteReplacement(value.asText()));
    }
    return matcher.appendTail(result).toString();
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
