package com.mtlsgateway.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Client certificate revocation in template.yaml: nothing of it without RevocationListUris; with it, the index
 * custom resource, the scheduled refresh and its alarm, the REQUEST authorizer on both methods, its gateway
 * responses, and a deployment of its own.
 */
class RevocationTemplateTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Two CRLs in S3 (one with a version) and one at an HTTP distribution point. */
  private static final String CRLS =
      "s3://crl-bucket/ca1.crl?versionId=abc,http://crl.example.com/ca2.crl,s3://other/x/ca3.crl";
  /** Every resource that exists only with revocation checks. */
  private static final Set<String> REVOCATION = Set.of("RevocationListLogGroup", "RevocationRefreshLogGroup",
      "RevocationIndexRole", "RevocationListFunction", "RevocationList", "RevocationRefreshFunction",
      "RevocationRefreshFailedAlarm", "RevocationAuthorizerLogGroup", "RevocationAuthorizerFunctionRole",
      "RevocationAuthorizerFunction", "RevocationAuthorizer", "RevocationAuthorizerInvokePermission",
      "RevocationAccessDeniedResponse", "RevocationAuthorizerFailureResponse",
      "RevocationAuthorizerConfigurationErrorResponse", "ApiDeploymentV1Revocation", "RevocationNextUpdateAlarm");
  private static final Set<String> OUTPUTS = Set.of("RevocationIndexUri", "RevocationIndexVersion", "RevokedCount",
      "RevocationEarliestNextUpdate", "RevocationRefreshFailedAlarmName");
  private static final String BUCKET_ARN = "arn:aws:s3:::" + Scenario.TRUSTSTORE_BUCKET;
  private static final String TRUSTSTORE_ARN = BUCKET_ARN + "/truststore.pem";
  private static final String INDEX_ARN = BUCKET_ARN + "/revocation/index.bin";
  private static final String LOGS = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/mtls-";
  private static final String LIST_LOGS = LOGS + "revocation-list:*";
  private static final String REFRESH_LOGS = LOGS + "revocation-refresh:*";
  private static final String AUTHORIZER_LOGS = LOGS + "revocation-authorizer:*";
  private static final List<String> METHODS = List.of("RootMethod", "ProxyMethod");
  private static final Pattern CONTEXT_VARIABLE = Pattern.compile("\\$context\\.[A-Za-z.]+");

  private static CfnTemplate template;

  @BeforeAll
  static void load() throws IOException {
    template = CfnTemplate.load();
  }

  /** Every revocation resource and output hangs on RevocationOn, which is "RevocationListUris is not empty". */
  @Test
  void everythingOfItHangsOnRevocationListUris() {
    assertThat(template.root().path("Conditions").path("RevocationOn"))
        .isEqualTo(json("{\"Fn::Not\": [{\"Fn::Equals\": [{\"Ref\": \"RevocationListUris\"}, \"\"]}]}"));
    assertThat(template.root().path("Conditions").path("RevocationOff"))
        .isEqualTo(json("{\"Fn::Equals\": [{\"Ref\": \"RevocationListUris\"}, \"\"]}"));
    Set<String> conditional = new TreeSet<>();
    template.root().path("Resources").properties().forEach(resource -> {
      if (resource.getValue().path("Condition").asText().equals("RevocationOn")) {
        conditional.add(resource.getKey());
      }
    });
    assertThat(conditional).isEqualTo(new TreeSet<>(REVOCATION));
    assertThat(template.resource("ApiDeploymentV1").path("Condition").asText()).isEqualTo("RevocationOff");
    Set<String> outputs = new TreeSet<>();
    template.root().path("Outputs").properties().forEach(output -> {
      if (output.getValue().path("Condition").asText().equals("RevocationOn")) {
        outputs.add(output.getKey());
      }
    });
    assertThat(outputs).isEqualTo(new TreeSet<>(OUTPUTS));
  }

  /**
   * Without CRLs the stack is what it was before revocation checks existed: none of their resources, methods without
   * authorization, the same deployment. With CRLs, exactly the revocation resources come in, and a deployment of the
   * methods with the authorizer replaces that one. For every kind of backend and certificate.
   */
  @ParameterizedTest
  @ValueSource(strings = {"ips", "demo", "existing", "import"})
  void revocationAddsItsResourcesAndNothingElse(String kind) {
    Scenario off = scenario(kind);
    Scenario on = scenario(kind).withRevocation(CRLS);
    assertThat(off.failedRules()).isEmpty();
    assertThat(on.failedRules()).isEmpty();
    assertThat(off.resources()).doesNotContainAnyElementsOf(REVOCATION).contains("ApiDeploymentV1");
    Set<String> expected = new TreeSet<>(off.resources());
    expected.remove("ApiDeploymentV1");
    expected.addAll(REVOCATION);
    assertThat(on.resources()).isEqualTo(expected);

    for (String method : METHODS) {
      assertThat(off.property(method, "AuthorizationType").asText()).as(method).isEqualTo("NONE");
      assertThat(off.property(method, "AuthorizerId").isMissingNode()).as(method).isTrue();
      assertThat(on.property(method, "AuthorizationType").asText()).as(method).isEqualTo("CUSTOM");
      assertThat(on.property(method, "AuthorizerId").asText()).as(method).isEqualTo("{RevocationAuthorizer}");
    }
    assertThat(off.property("ApiStage", "DeploymentId").asText()).isEqualTo("{ApiDeploymentV1}");
    assertThat(on.property("ApiStage", "DeploymentId").asText()).isEqualTo("{ApiDeploymentV1Revocation}");
  }

  private static Scenario scenario(String kind) {
    return switch (kind) {
      case "demo" -> Scenario.demo(template);
      case "existing" -> Scenario.existingNlb(template);
      case "import" -> Scenario.of(template).importing();
      default -> Scenario.of(template);
    };
  }

  /**
   * A deployment is a snapshot, made only for a new logical id: one per value of RevocationOn, so that turning
   * revocation on or off deploys the methods as they then are. The one with the authorizer also waits for its invoke
   * permission and for the gateway responses (both take effect with a deployment), and is deleted before the
   * authorizer.
   */
  @Test
  void turningRevocationOnOrOffMakesANewDeployment() {
    assertThat(template.resourcesOfType("AWS::ApiGateway::Deployment"))
        .containsOnlyKeys("ApiDeploymentV1", "ApiDeploymentV1Revocation");
    assertThat(template.properties("ApiStage").path("DeploymentId")).isEqualTo(json("""
        {"Fn::If": ["RevocationOn", {"Ref": "ApiDeploymentV1Revocation"}, {"Ref": "ApiDeploymentV1"}]}"""));
    assertThat(template.dependsOn("ApiDeploymentV1")).containsExactlyInAnyOrder("RootMethod", "ProxyMethod");
    // Unchanged for stacks without revocation: CloudFormation keeps their deployment.
    assertThat(template.properties("ApiDeploymentV1").path("Description").asText())
        .isEqualTo("ANY / and ANY /{proxy+} over the VPC link");
    assertThat(template.dependsOn("ApiDeploymentV1Revocation")).containsExactlyInAnyOrder("RootMethod",
        "ProxyMethod", "RevocationAuthorizer", "RevocationAuthorizerInvokePermission",
        "RevocationAccessDeniedResponse", "RevocationAuthorizerFailureResponse",
        "RevocationAuthorizerConfigurationErrorResponse");
    for (String deployment : List.of("ApiDeploymentV1", "ApiDeploymentV1Revocation")) {
      assertThat(template.properties(deployment).path("RestApiId")).isEqualTo(json("{\"Ref\": \"RestApi\"}"));
      assertThat(template.properties(deployment).has("StageName")).isFalse();
    }
    for (String method : METHODS) {
      JsonNode properties = template.properties(method);
      assertThat(properties.path("AuthorizationType"))
          .isEqualTo(json("{\"Fn::If\": [\"RevocationOn\", \"CUSTOM\", \"NONE\"]}"));
      assertThat(properties.path("AuthorizerId")).isEqualTo(json("""
          {"Fn::If": ["RevocationOn", {"Ref": "RevocationAuthorizer"}, {"Ref": "AWS::NoValue"}]}"""));
    }
  }

  @Test
  void parametersHaveSafeDefaults() {
    assertThat(template.parameter("RevocationListUris").path("Default").asText("missing")).isEmpty();
    // A String: only a pattern can refuse an eleventh entry (the policy has room for ten).
    assertThat(template.parameter("RevocationListUris").path("Type").asText()).isEqualTo("String");
    assertThat(template.parameter("RevocationListUris").path("Description").asText()).contains("at most 10");
    JsonNode failMode = template.parameter("RevocationFailMode");
    assertThat(failMode.path("AllowedValues")).isEqualTo(json("[\"CLOSED\", \"OPEN\"]"));
    assertThat(failMode.path("Default").asText()).isEqualTo("CLOSED");
    assertThat(failMode.path("Description").asText()).contains("explicit opt-out", "denied either way");
    assertNumber("RevocationGracePeriodHours", 24, 0, 720);
    assertNumber("RevocationRefreshSeconds", 60, 1, 3600);
    assertThat(template.parameter("RevocationRefreshRate").path("Default").asText()).isEqualTo("rate(1 hour)");
  }

  private static void assertNumber(String name, int defaultValue, int min, int max) {
    JsonNode parameter = template.parameter(name);
    assertThat(parameter.path("Type").asText()).as(name).isEqualTo("Number");
    assertThat(parameter.path("Default").asInt()).as(name).isEqualTo(defaultValue);
    assertThat(parameter.path("MinValue").asInt()).as(name).isEqualTo(min);
    assertThat(parameter.path("MaxValue").asInt()).as(name).isEqualTo(max);
  }

  /** CloudFormation matches AllowedPattern against the whole value, with Java regex syntax. */
  @Test
  void revocationListUrisTakesUpToTenS3OrHttpLocations() {
    String ten = IntStream.rangeClosed(1, 10).mapToObj(i -> "s3://crl-bucket/ca" + i + ".crl")
        .collect(Collectors.joining(","));
    assertPattern("RevocationListUris",
        List.of("", CRLS, "s3://crl-bucket/ca.crl", "http://crl.example.com/root.crl",
            "https://pki.example.com/crl/issuing%20ca.crl?x=1", "s3://b.example/dir/ca key.crl?versionId=null.v1+/=",
            ten),
        List.of(ten + ",s3://crl-bucket/ca11.crl", "s3://crl-bucket/ca.crl, http://crl.example.com/ca.crl",
            "s3://crl-bucket/ca.crl,", ",s3://crl-bucket/ca.crl", "s3://crl-bucket/a.crl,,http://crl.example.com/b.crl",
            "s3://crl-bucket/*.crl", "s3://crl-bucket/a/s3://other/b.crl", "s3://crl-bucket/ca.crl?foo=bar",
            "s3://crl-bucket/ca.crl?versionId=", "s3://Crl-Bucket/ca.crl", "s3://crl-bucket/", "s3://crl-bucket",
            "ftp://crl.example.com/ca.crl", "crl.example.com/ca.crl", "arn:aws:s3:::crl-bucket/ca.crl",
            "https://crl.example.com/a b.crl", "s3://crl-bucket/a\"b.crl", "s3://crl-bucket/a.crl?versionId=v\"1",
            "http://crl.example.com/a\\b.crl", "https://crl.example.com/\"x\".crl"));
  }

  @Test
  void revocationRefreshRateIsAnEventBridgeSchedule() {
    assertPattern("RevocationRefreshRate",
        List.of("rate(1 hour)", "rate(1 minute)", "rate(15 minutes)", "rate(1 day)", "rate(2 days)",
            "rate(12 hours)", "cron(0 * * * ? *)", "cron(0/15 * * * ? *)"),
        List.of("", "rate(1 hours)", "rate(5 minute)", "rate(0 minutes)", "rate(01 minutes)", "1 hour",
            "rate(1 week)", "cron()", "cron(0 * * * ? *) ", "at(2026-01-01T00:00:00)"));
  }

  /**
   * Custom::RevocationList gets exactly the properties its handler reads: the staged truststore (URI and version, the
   * outputs of Custom::Truststore), the CRLs as one comma-separated string, and where to stage the index.
   */
  @Test
  void theIndexIsStagedFromTheTruststoreAndTheCrls() {
    assertThat(template.type("RevocationList")).isEqualTo("Custom::RevocationList");
    JsonNode raw = template.properties("RevocationList");
    Set<String> names = new TreeSet<>();
    raw.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrder("ServiceToken", "ServiceTimeout", "TruststoreUri",
        "TruststoreVersion", "RevocationListUris", "IndexBucket", "IndexKey");
    assertThat(raw.path("ServiceToken")).isEqualTo(json("{\"Fn::GetAtt\": [\"RevocationListFunction\", \"Arn\"]}"));
    assertThat(raw.path("ServiceTimeout").asInt()).isEqualTo(300);
    assertThat(raw.path("TruststoreUri")).isEqualTo(json("{\"Fn::GetAtt\": [\"Truststore\", \"TruststoreUri\"]}"));
    assertThat(raw.path("TruststoreVersion"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"Truststore\", \"TruststoreVersion\"]}"));
    assertThat(raw.path("IndexBucket")).isEqualTo(json("{\"Ref\": \"TruststoreBucket\"}"));
    assertThat(template.root().path("Mappings").path("Revocation").path("Index").path("Key").asText())
        .isEqualTo("revocation/index.bin");

    JsonNode evaluated = Scenario.of(template).withRevocation(CRLS).intrinsics().evaluate(raw);
    assertThat(evaluated.path("TruststoreUri").asText())
        .isEqualTo("s3://" + Scenario.TRUSTSTORE_BUCKET + "/truststore.pem");
    assertThat(evaluated.path("TruststoreVersion").asText()).isEqualTo(Scenario.TRUSTSTORE_VERSION);
    assertThat(evaluated.path("RevocationListUris").asText()).isEqualTo(CRLS);
    assertThat(evaluated.path("IndexKey").asText()).isEqualTo("revocation/index.bin");

    JsonNode function = template.properties("RevocationListFunction");
    assertThat(function.path("Handler").asText())
        .isEqualTo("com.mtlsgateway.revocation.RevocationListHandler::handleRequest");
    assertThat(function.path("CodeUri").asText()).isEqualTo("functions");
    assertThat(function.path("Role")).isEqualTo(json("{\"Fn::GetAtt\": [\"RevocationIndexRole\", \"Arn\"]}"));
    assertThat(template.dependsOn("RevocationList"))
        .contains("RevocationListLogGroup", "RevocationIndexRole", "TruststoreBucketPolicy");
    assertThat(Scenario.of(template).withRevocation(CRLS).property("RevocationListLogGroup", "LogGroupName")
        .asText()).isEqualTo("/aws/lambda/mtls-revocation-list");
  }

  /**
   * The refresh reads the exact truststore version the domain uses, the same CRLs, and the index the custom resource
   * staged (so it exists only after the first index), on RevocationRefreshRate.
   */
  @Test
  void theIndexIsRefreshedOnTheSchedule() {
    JsonNode function = template.properties("RevocationRefreshFunction");
    assertThat(function.path("Handler").asText())
        .isEqualTo("com.mtlsgateway.revocation.RevocationRefreshHandler::handleRequest");
    assertThat(function.path("Role")).isEqualTo(json("{\"Fn::GetAtt\": [\"RevocationIndexRole\", \"Arn\"]}"));
    assertThat(function.path("Environment").path("Variables").path("REVOCATION_INDEX_URI"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"RevocationList\", \"IndexUri\"]}"));
    Scenario scenario = Scenario.of(template).withRevocation(CRLS);
    JsonNode variables = scenario.property("RevocationRefreshFunction", "Environment").path("Variables");
    assertThat(fields(variables)).containsExactlyInAnyOrder("TRUSTSTORE_URI", "REVOCATION_LIST_URIS",
        "REVOCATION_INDEX_URI", "STACK_NAME");
    assertThat(variables.path("STACK_NAME").asText()).as("the metric's StackName dimension")
        .isEqualTo(Scenario.STACK_NAME);
    assertThat(variables.path("TRUSTSTORE_URI").asText())
        .isEqualTo("s3://" + Scenario.TRUSTSTORE_BUCKET + "/truststore.pem?versionId=" + Scenario.TRUSTSTORE_VERSION);
    assertThat(variables.path("REVOCATION_LIST_URIS").asText()).isEqualTo(CRLS);
    assertThat(variables.path("REVOCATION_INDEX_URI").asText()).isEqualTo(Scenario.REVOCATION_INDEX_URI);

    JsonNode events = function.path("Events");
    assertThat(events).hasSize(1);
    JsonNode event = events.elements().next();
    assertThat(event.path("Type").asText()).isEqualTo("Schedule");
    assertThat(event.path("Properties").path("Schedule")).isEqualTo(json("{\"Ref\": \"RevocationRefreshRate\"}"));
    assertThat(scenario.property("RevocationRefreshLogGroup", "LogGroupName").asText())
        .isEqualTo("/aws/lambda/mtls-revocation-refresh");
  }

  /** A failed refresh (the handler logs and throws) sets off an alarm on the function's Errors; no action yet. */
  @Test
  void aFailedRefreshSetsOffAnAlarm() {
    assertThat(template.type("RevocationRefreshFailedAlarm")).isEqualTo("AWS::CloudWatch::Alarm");
    JsonNode alarm = template.properties("RevocationRefreshFailedAlarm");
    assertThat(alarm.path("Namespace").asText()).isEqualTo("AWS/Lambda");
    assertThat(alarm.path("MetricName").asText()).isEqualTo("Errors");
    assertThat(alarm.path("Dimensions")).isEqualTo(json("""
        [{"Name": "FunctionName", "Value": {"Ref": "RevocationRefreshFunction"}}]"""));
    assertThat(alarm.path("Statistic").asText()).isEqualTo("Sum");
    assertThat(alarm.path("Threshold").asDouble()).isEqualTo(1.0);
    assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
    assertThat(alarm.path("TreatMissingData").asText()).isEqualTo("notBreaching");
    assertThat(alarm.path("EvaluationPeriods").asInt()).isEqualTo(1);
    assertThat(Scenario.of(template).withRevocation(CRLS).property("RevocationRefreshFailedAlarm", "AlarmActions")
        .isMissingNode()).as("no destination, no action").isTrue();
    assertThat(Scenario.of(template).withRevocation(CRLS).withAlarmTopic()
        .property("RevocationRefreshFailedAlarm", "AlarmActions"))
        .isEqualTo(json("[\"" + Scenario.ALARM_TOPIC + "\"]"));
    assertThat(template.root().path("Outputs").path("RevocationRefreshFailedAlarmName").path("Value"))
        .isEqualTo(json("{\"Ref\": \"RevocationRefreshFailedAlarm\"}"));
  }

  /**
   * The two index writers: their own logs, the staged truststore (read), the index key (read and write), the bucket's
   * versioning and listing, and the S3 CRLs only (ARNs without the versionId; http(s) entries give nothing). Nothing
   * else.
   */
  @ParameterizedTest
  @CsvSource({
      "'" + CRLS + "', 'arn:aws:s3:::crl-bucket/ca1.crl arn:aws:s3:::other/x/ca3.crl'",
      "'http://crl.example.com/ca.crl,https://pki.example.org/root.crl', ''",
      "https://mirror.example.com/s3://crl-bucket/ca.crl, ''",
      "s3://b.example/dir/ca key.crl?versionId=null.v1+/=, 'arn:aws:s3:::b.example/dir/ca key.crl'",
      "'http://crl.example.com/a.crl,s3://crl-bucket/b.crl', arn:aws:s3:::crl-bucket/b.crl",
  })
  void theIndexWritersReadOnlyTheirSourcesAndWriteOnlyTheIndex(String uris, String crlArns) {
    assertThat(uris).matches(template.parameter("RevocationListUris").path("AllowedPattern").asText());
    Set<String> crls = crlArns.isEmpty() ? Set.of() : new TreeSet<>(List.of(crlArns.split(" (?=arn:)")));
    assertThat(indexWriterGrants(uris)).isEqualTo(expectedIndexWriterGrants(crls));
    for (String function : List.of("RevocationListFunction", "RevocationRefreshFunction")) {
      assertThat(template.properties(function).path("Role")).as(function)
          .isEqualTo(json("{\"Fn::GetAtt\": [\"RevocationIndexRole\", \"Arn\"]}"));
    }
    assertThat(template.properties("RevocationIndexRole").path("AssumeRolePolicyDocument").path("Statement"))
        .isEqualTo(json("""
            [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]"""));
  }

  /** Up to ten entries, S3 or not in any order: each S3 entry gives its own ARN, at its position. */
  @Test
  void everyOneOfTenEntriesGetsItsArn() {
    List<String> entries = new ArrayList<>();
    Set<String> arns = new TreeSet<>();
    for (int i = 1; i <= 10; i++) {
      if (i % 3 == 0) {
        entries.add("http://crl.example.com/ca" + i + ".crl");
      } else {
        entries.add("s3://crl-bucket-" + i + "/ca" + i + ".crl?versionId=v" + i);
        arns.add("arn:aws:s3:::crl-bucket-" + i + "/ca" + i + ".crl");
      }
    }
    String uris = String.join(",", entries);
    assertThat(uris).matches(template.parameter("RevocationListUris").path("AllowedPattern").asText());
    assertThat(indexWriterGrants(uris)).isEqualTo(expectedIndexWriterGrants(arns));
  }

  /**
   * CloudFormation evaluates every condition, also without revocation, and Fn::Select does not check bounds: for 0 to
   * 10 entries, every condition RevocationListNInS3 evaluates (true exactly for the S3 entries there are), and so does
   * every Fn::Select of the index writers' role, chosen or not.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 5, 9, 10})
  void everyConditionAndSelectEvaluatesForAnyNumberOfEntries(int count) {
    String uris = IntStream.rangeClosed(1, count).mapToObj(i -> "s3://crl-bucket/ca" + i + ".crl")
        .collect(Collectors.joining(","));
    Intrinsics intrinsics = Scenario.of(template).withRevocation(uris).intrinsics();
    for (int n = 1; n <= 10; n++) {
      assertThat(intrinsics.condition("RevocationList" + n + "InS3")).as("entry %d of %d", n, count)
          .isEqualTo(n <= count);
    }
    assertThat(intrinsics.condition("RevocationListInS3")).isEqualTo(count > 0);
    assertThat(intrinsics.condition("RevocationOn")).isEqualTo(count > 0);
    List<JsonNode> selects = new ArrayList<>();
    collect(template.properties("RevocationIndexRole"), "Fn::Select", selects);
    assertThat(selects).as("three per entry").hasSize(30);
    for (JsonNode select : selects) {
      assertThat(intrinsics.evaluate(select).isTextual()).as("%s", select).isTrue();
    }
  }

  private static Map<String, Set<String>> indexWriterGrants(String uris) {
    Intrinsics intrinsics = Scenario.of(template).withRevocation(uris)
        .with("TruststoreBucket.Arn", BUCKET_ARN)
        .with("RevocationListLogGroup.Arn", LIST_LOGS)
        .with("RevocationRefreshLogGroup.Arn", REFRESH_LOGS).intrinsics();
    JsonNode role = template.properties("RevocationIndexRole");
    assertThat(role.has("ManagedPolicyArns")).isFalse();
    Map<String, Map<String, Set<String>>> granted = TemplateTest.grantedUnderConditions(role, intrinsics);
    // The refresh's metric: PutMetricData names no resource, so only in the stack's namespace.
    assertThat(granted).containsOnlyKeys("", TruststoreExpiryTemplateTest.IN_NAMESPACE);
    assertThat(granted.get(TruststoreExpiryTemplateTest.IN_NAMESPACE))
        .isEqualTo(Map.of("cloudwatch:PutMetricData", Set.of("*")));
    return granted.get("");
  }

  private static Map<String, Set<String>> expectedIndexWriterGrants(Set<String> crls) {
    Set<String> read = new TreeSet<>(crls);
    read.add(TRUSTSTORE_ARN);
    read.add(INDEX_ARN);
    Map<String, Set<String>> expected = new TreeMap<>();
    expected.put("logs:CreateLogStream", Set.of(LIST_LOGS, REFRESH_LOGS));
    expected.put("logs:PutLogEvents", Set.of(LIST_LOGS, REFRESH_LOGS));
    expected.put("s3:GetObject", read);
    expected.put("s3:GetObjectVersion", read);
    expected.put("s3:PutObject", Set.of(INDEX_ARN));
    expected.put("s3:GetBucketVersioning", Set.of(BUCKET_ARN));
    // Reading the index before the first upload then gets 404 instead of 403.
    expected.put("s3:ListBucket", Set.of(BUCKET_ARN));
    return expected;
  }

  /** The authorizer reads the index object (its latest version) and writes its own logs: nothing else. */
  @Test
  void theAuthorizerMayOnlyReadTheIndex() {
    Intrinsics intrinsics = Scenario.of(template).withRevocation(CRLS).with("TruststoreBucket.Arn", BUCKET_ARN)
        .with("RevocationAuthorizerLogGroup.Arn", AUTHORIZER_LOGS).intrinsics();
    assertThat(template.properties("RevocationAuthorizerFunction").path("Role"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"RevocationAuthorizerFunctionRole\", \"Arn\"]}"));
    JsonNode role = template.properties("RevocationAuthorizerFunctionRole");
    assertThat(role.path("AssumeRolePolicyDocument").path("Statement")).isEqualTo(json("""
        [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]"""));
    assertThat(TemplateTest.granted(role, intrinsics)).isEqualTo(Map.of(
        "logs:CreateLogStream", Set.of(AUTHORIZER_LOGS),
        "logs:PutLogEvents", Set.of(AUTHORIZER_LOGS),
        "s3:GetObject", Set.of(INDEX_ARN)));
  }

  /**
   * On the request path, so SnapStart on published versions, called through the alias; short timeout; its settings
   * from the parameters and the index from the custom resource. The template says where SAM falls short (a change of
   * a parameter alone publishes no new version).
   */
  @Test
  void theAuthorizerFunctionRunsFromASnapStartAlias() throws IOException {
    JsonNode function = template.properties("RevocationAuthorizerFunction");
    assertThat(function.path("Handler").asText())
        .isEqualTo("com.mtlsgateway.revocation.RevocationAuthorizer::handleRequest");
    assertThat(function.path("CodeUri").asText()).isEqualTo("functions");
    assertThat(function.path("AutoPublishAlias").asText()).isEqualTo("live");
    assertThat(function.path("AutoPublishAliasAllProperties").asBoolean()).isTrue();
    assertThat(function.path("SnapStart")).isEqualTo(json("{\"ApplyOn\": \"PublishedVersions\"}"));
    assertThat(function.path("Timeout").asInt()).isEqualTo(10);
    assertThat(function.has("Events")).as("called by API Gateway through the alias permission").isFalse();
    assertThat(function.has("VpcConfig")).isFalse();
    assertThat(function.path("Environment").path("Variables").path("REVOCATION_INDEX_URI"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"RevocationList\", \"IndexUri\"]}"));

    JsonNode variables = Scenario.of(template).withRevocation(CRLS).with("RevocationFailMode", "OPEN")
        .with("RevocationGracePeriodHours", "0").with("RevocationRefreshSeconds", "5")
        .property("RevocationAuthorizerFunction", "Environment").path("Variables");
    assertThat(fields(variables)).as("only the fixed index location: tunables would not reach a published version")
        .containsExactly("REVOCATION_INDEX_URI");
    assertThat(variables.path("REVOCATION_INDEX_URI").asText()).isEqualTo(Scenario.REVOCATION_INDEX_URI);
    JsonNode stage = Scenario.of(template).withRevocation(CRLS).with("RevocationFailMode", "OPEN")
        .with("RevocationGracePeriodHours", "0").with("RevocationRefreshSeconds", "5")
        .property("ApiStage", "Variables");
    assertThat(stage.path("revocationFailMode").asText()).isEqualTo("OPEN");
    assertThat(stage.path("revocationGracePeriodHours").asText()).isEqualTo("0");
    assertThat(stage.path("revocationRefreshSeconds").asText()).isEqualTo("5");
    assertThat(fields(Scenario.of(template).property("ApiStage", "Variables")))
        .as("without revocation, the stage's variables are as before").containsExactlyInAnyOrder("vpcLinkId",
            "nlbEndpoint");
    assertThat(Scenario.of(template).withRevocation(CRLS).property("RevocationAuthorizerLogGroup", "LogGroupName")
        .asText()).isEqualTo("/aws/lambda/mtls-revocation-authorizer");

    List<String> lines = Files.readAllLines(CfnTemplate.projectRoot().resolve("template.yaml"));
    TemplateTest.assertCommentAbove(lines, "RevocationAuthorizerFunction:", "serverless-application-model#1640");
  }

  /**
   * REQUEST authorizer without a cache (no documented way to key it on the client certificate, so no identity source
   * either), invoking the alias; the invoke permission is on that alias, for this authorizer of this API only.
   */
  @Test
  void theAuthorizerIsUncachedAndCallsTheAlias() {
    assertThat(template.resourcesOfType("AWS::ApiGateway::Authorizer")).containsOnlyKeys("RevocationAuthorizer");
    JsonNode authorizer = template.properties("RevocationAuthorizer");
    assertThat(authorizer.path("Type").asText()).isEqualTo("REQUEST");
    assertThat(authorizer.path("RestApiId")).isEqualTo(json("{\"Ref\": \"RestApi\"}"));
    assertThat(authorizer.path("AuthorizerResultTtlInSeconds").isInt()).isTrue();
    assertThat(authorizer.path("AuthorizerResultTtlInSeconds").asInt()).isZero();
    assertThat(authorizer.has("IdentitySource")).isFalse();
    assertThat(authorizer.has("AuthorizerCredentials")).as("a resource-based permission instead").isFalse();
    assertThat(CfnTemplate.texts(authorizer.path("AuthorizerUri")).get(0))
        .contains("${RevocationAuthorizerFunction.Alias}");

    Scenario scenario = Scenario.of(template).withRevocation(CRLS).with("RevocationAuthorizer", Scenario.AUTHORIZER_ID);
    assertThat(scenario.property("RevocationAuthorizer", "AuthorizerUri").asText())
        .isEqualTo("arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/" + Scenario.AUTHORIZER_ALIAS_ARN
            + "/invocations");

    JsonNode permission = template.properties("RevocationAuthorizerInvokePermission");
    assertThat(permission.path("FunctionName")).isEqualTo(json("{\"Ref\": \"RevocationAuthorizerFunction.Alias\"}"));
    assertThat(permission.path("Action").asText()).isEqualTo("lambda:InvokeFunction");
    assertThat(permission.path("Principal").asText()).isEqualTo("apigateway.amazonaws.com");
    assertThat(scenario.property("RevocationAuthorizerInvokePermission", "SourceArn").asText())
        .isEqualTo("arn:aws:execute-api:eu-west-1:111122223333:" + Scenario.REST_API_ID + "/authorizers/"
            + Scenario.AUTHORIZER_ID);
  }

  /**
   * What a refused client reads: a JSON body saying why, with the authorizer's check and reason after a Deny, and the
   * request id in every case. Gateway response bodies only substitute variables (no VTL, no escaping): only these
   * variables, and the body is JSON for realistic values.
   */
  @ParameterizedTest
  @CsvSource({
      "RevocationAccessDeniedResponse, ACCESS_DENIED, 403, true",
      "RevocationAuthorizerFailureResponse, AUTHORIZER_FAILURE, 500, false",
      "RevocationAuthorizerConfigurationErrorResponse, AUTHORIZER_CONFIGURATION_ERROR, 500, false",
  })
  void refusedClientsAreToldWhy(String id, String type, String status, boolean afterDeny)
      throws JsonProcessingException {
    assertThat(template.resourcesOfType("AWS::ApiGateway::GatewayResponse")).hasSize(3).containsKey(id);
    JsonNode response = template.properties(id);
    assertThat(response.path("RestApiId")).isEqualTo(json("{\"Ref\": \"RestApi\"}"));
    assertThat(response.path("ResponseType").asText()).isEqualTo(type);
    assertThat(response.path("StatusCode").asText()).isEqualTo(status);
    assertThat(fields(response.path("ResponseTemplates"))).containsExactly("application/json");
    String body = response.path("ResponseTemplates").path("application/json").asText();
    assertThat(body).doesNotContain("#", "$util", "$input");

    Set<String> variables = new TreeSet<>();
    Matcher matcher = CONTEXT_VARIABLE.matcher(body);
    while (matcher.find()) {
      variables.add(matcher.group());
    }
    assertThat(variables).isEqualTo(afterDeny
        ? Set.of("$context.requestId", "$context.authorizer.check", "$context.authorizer.reason")
        : Set.of("$context.requestId"));
    Map<String, String> values = new LinkedHashMap<>();
    values.put("$context.requestId", "c0ffee00-1111-2222-3333-444455556666");
    values.put("$context.authorizer.check", "revoked");
    values.put("$context.authorizer.reason",
        "serial 0a1b2c of CN=Issuing CA,O=Example is revoked (keyCompromise) since 2026-01-02T03:04:05Z");
    String filled = body;
    for (Map.Entry<String, String> value : values.entrySet()) {
      filled = filled.replace(value.getKey(), value.getValue());
    }
    JsonNode json = JSON.readTree(filled);
    assertThat(json.path("message").asText()).contains("revocation");
    assertThat(json.path("requestId").asText()).isEqualTo(values.get("$context.requestId"));
    if (afterDeny) {
      assertThat(json.path("message").asText()).startsWith("Forbidden");
      assertThat(json.path("revocationCheck").asText()).isEqualTo("revoked");
      assertThat(json.path("reason").asText()).isEqualTo(values.get("$context.authorizer.reason"));
    }
  }

  @Test
  void theOutputsNameTheIndexAndTheAlarm() {
    JsonNode outputs = template.root().path("Outputs");
    assertThat(outputs.path("RevocationIndexUri").path("Value"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"RevocationList\", \"IndexUri\"]}"));
    assertThat(outputs.path("RevocationIndexVersion").path("Value"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"RevocationList\", \"IndexVersion\"]}"));
    assertThat(outputs.path("RevokedCount").path("Value"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"RevocationList\", \"RevokedCount\"]}"));
    assertThat(outputs.path("RevocationEarliestNextUpdate").path("Value"))
        .isEqualTo(json("{\"Fn::GetAtt\": [\"RevocationList\", \"EarliestNextUpdate\"]}"));
    Intrinsics intrinsics = Scenario.of(template).withRevocation(CRLS).intrinsics();
    assertThat(intrinsics.string(outputs.path("RevocationIndexUri").path("Value")))
        .isEqualTo(Scenario.REVOCATION_INDEX_URI);
    OUTPUTS.forEach(output -> assertThat(outputs.path(output).path("Description").asText()).as(output).isNotBlank());
  }

  private static void assertPattern(String parameter, List<String> accepted, List<String> refused) {
    Pattern pattern = Pattern.compile(template.parameter(parameter).path("AllowedPattern").asText());
    assertThat(accepted).as("%s accepts", parameter).allMatch(value -> pattern.matcher(value).matches());
    assertThat(refused).as("%s refuses", parameter).noneMatch(value -> pattern.matcher(value).matches());
  }

  private static void collect(JsonNode node, String function, List<JsonNode> found) {
    if (node.isObject() && node.size() == 1 && node.has(function)) {
      found.add(node);
    }
    node.forEach(child -> collect(child, function, found));
  }

  private static List<String> fields(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
