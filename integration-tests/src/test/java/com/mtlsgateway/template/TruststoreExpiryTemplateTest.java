package com.mtlsgateway.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mtlsgateway.aws.Metrics;
import com.mtlsgateway.truststore.TruststoreExpiryHandler;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The daily truststore expiry check in template.yaml: in every stack, on a daily schedule, reading the staged
 * truststore version the domain uses, and allowed nothing but its own logs, that object version and PutMetricData in
 * the stack's namespace.
 */
class TruststoreExpiryTemplateTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** The condition of the PutMetricData statements, as {@link TemplateTest#grantedUnderConditions} keys it. */
  static final String IN_NAMESPACE = "{\"StringEquals\":{\"cloudwatch:namespace\":\"" + Metrics.NAMESPACE + "\"}}";
  private static final String BUCKET_ARN = "arn:aws:s3:::" + Scenario.TRUSTSTORE_BUCKET;
  private static final String LOGS =
      "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/mtls-truststore-expiry:*";

  private static CfnTemplate template;

  @BeforeAll
  static void load() throws IOException {
    template = CfnTemplate.load();
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Every stack has it, with or without revocation, a demo backend or an imported certificate. */
  @ParameterizedTest
  @ValueSource(strings = {"default", "demo", "import", "revocation"})
  void everyStackChecksItsTruststoreDaily(String kind) {
    Scenario scenario = switch (kind) {
      case "demo" -> Scenario.demo(template);
      case "import" -> Scenario.of(template).importing();
      case "revocation" -> Scenario.of(template).withRevocation("http://crl.example.com/ca.crl");
      default -> Scenario.of(template);
    };
    for (String id : Set.of("TruststoreExpiryLogGroup", "TruststoreExpiryFunctionRole", "TruststoreExpiryFunction")) {
      assertThat(template.resource(id).has("Condition")).as(id).isFalse();
    }
    JsonNode variables = scenario.property("TruststoreExpiryFunction", "Environment").path("Variables");
    assertThat(variables).isEqualTo(json("{\"TRUSTSTORE_URI\": \"s3://" + Scenario.TRUSTSTORE_BUCKET
        + "/truststore.pem?versionId=" + Scenario.TRUSTSTORE_VERSION + "\", \"STACK_NAME\": \""
        + Scenario.STACK_NAME + "\"}"));
    assertThat(variables.has(TruststoreExpiryHandler.TRUSTSTORE_URI)).isTrue();
    assertThat(variables.has(Metrics.STACK_NAME)).isTrue();
  }

  @Test
  void itRunsOnceADayOnTheGlobalsWithoutSnapStart() {
    JsonNode function = template.properties("TruststoreExpiryFunction");
    assertThat(template.type("TruststoreExpiryFunction")).isEqualTo("AWS::Serverless::Function");
    assertThat(function.path("Handler").asText())
        .isEqualTo(TruststoreExpiryHandler.class.getName() + "::handleRequest");
    assertThat(function.path("CodeUri").asText()).isEqualTo("functions");
    JsonNode events = function.path("Events");
    assertThat(events).hasSize(1);
    assertThat(events.path("Daily").path("Type").asText()).isEqualTo("Schedule");
    assertThat(events.path("Daily").path("Properties").path("Schedule").asText()).isEqualTo("rate(1 day)");
    // Runtime, architecture, memory and timeout come from Globals, as for every function.
    for (String global : Set.of("Runtime", "Architectures", "MemorySize", "Timeout")) {
      assertThat(function.has(global)).as(global).isFalse();
    }
    assertThat(function.has("SnapStart")).as("a background job: nobody waits for its cold start").isFalse();
    assertThat(template.resource("TruststoreExpiryFunction").path("Metadata").path("cfn-lint").path("config")
        .path("ignore_checks")).isEqualTo(json("[\"I2530\"]"));
    assertThat(function.path("LoggingConfig").path("LogGroup")).isEqualTo(json("{\"Ref\": \"TruststoreExpiryLogGroup\"}"));
    Scenario scenario = Scenario.of(template);
    assertThat(scenario.property("TruststoreExpiryLogGroup", "LogGroupName").asText())
        .isEqualTo("/aws/lambda/mtls-truststore-expiry");
    assertThat(template.properties("TruststoreExpiryLogGroup").path("RetentionInDays"))
        .isEqualTo(json("{\"Ref\": \"LogRetentionInDays\"}"));
    assertThat(template.properties("TruststoreExpiryLogGroup").path("KmsKeyId"))
        .isEqualTo(template.properties("TruststoreLogGroup").path("KmsKeyId"));
  }

  /**
   * Its own logs, the staged truststore object's versions (no other key, no bucket listing), and PutMetricData only
   * under the namespace condition: the one '*' resource.
   */
  @Test
  void itMayReadOnlyTheStagedTruststoreAndPublishOnlyInTheStacksNamespace() {
    assertThat(template.properties("TruststoreExpiryFunction").path("Role"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"TruststoreExpiryFunctionRole\", \"Arn\"]}"));
    JsonNode role = template.properties("TruststoreExpiryFunctionRole");
    assertThat(role.path("AssumeRolePolicyDocument").path("Statement")).isEqualTo(json("""
        [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]"""));
    Intrinsics intrinsics = Scenario.of(template).with("TruststoreBucket.Arn", BUCKET_ARN)
        .with("TruststoreExpiryLogGroup.Arn", LOGS).intrinsics();

    Map<String, Map<String, Set<String>>> granted = TemplateTest.grantedUnderConditions(role, intrinsics);

    assertThat(granted).isEqualTo(Map.of(
        "", Map.of(
            "logs:CreateLogStream", Set.of(LOGS),
            "logs:PutLogEvents", Set.of(LOGS),
            "s3:GetObjectVersion", Set.of(BUCKET_ARN + "/truststore.pem")),
        IN_NAMESPACE, Map.of("cloudwatch:PutMetricData", Set.of("*"))));
    Set<String> resources = new TreeSet<>();
    granted.get("").values().forEach(resources::addAll);
    assertThat(resources).noneMatch(resource -> resource.equals("*"));
  }

  /** The alarm reads what the function publishes: the same namespace, metric and dimension. */
  @Test
  void theAlarmWatchesTheMetricTheFunctionPublishes() {
    JsonNode alarm = template.properties("TruststoreExpiryAlarm");
    assertThat(alarm.path("Namespace").asText()).isEqualTo(Metrics.NAMESPACE);
    assertThat(alarm.path("MetricName").asText()).isEqualTo(TruststoreExpiryHandler.METRIC);
    assertThat(alarm.path("Dimensions")).isEqualTo(json("[{\"Name\": \"" + Metrics.DIMENSION
        + "\", \"Value\": {\"Ref\": \"AWS::StackName\"}}]"));
  }
}
