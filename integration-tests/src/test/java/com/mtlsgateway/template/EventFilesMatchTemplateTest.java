package com.mtlsgateway.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mtlsgateway.certificate.CertificateChecker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * events/*.json are requests this stack's template.yaml could really send. CloudFormation custom resource events: the
 * resource's logical id, the ServiceToken of the function the template names (as CloudFormation names it:
 * STACK-LogicalId-SUFFIX), the ServiceTimeout and properties the resource sets, the literal values it sets, and
 * property values its parameters allow. Lambda authorizer events: the authorizer's type, a method and path the API
 * serves, the stage's variables and the client certificate fields. Scheduled events: the rule SAM makes for the
 * template's one Schedule event.
 */
class EventFilesMatchTemplateTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static CfnTemplate template;

  @BeforeAll
  static void load() throws IOException {
    template = CfnTemplate.load();
  }

  private static List<Path> eventFiles() throws IOException {
    try (Stream<Path> files = Files.list(CfnTemplate.projectRoot().resolve("events"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
    }
  }

  /** The resource of {@code type} in the template: its logical id. */
  private static String resourceOfType(String type) {
    Map<String, JsonNode> resources = template.resourcesOfType(type);
    assertThat(resources).as("resources of type %s in template.yaml", type).hasSize(1);
    return resources.keySet().iterator().next();
  }

  /** Each file is one of the kinds of events this stack's functions receive. */
  @TestFactory
  Stream<DynamicTest> everyEventIsOfAKindTheStackSends() throws IOException {
    return eventFiles().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      JsonNode event = JSON.readTree(file.toFile());
      assertThat(isCustomResourceEvent(event) || isAuthorizerEvent(event) || isScheduledEvent(event))
          .as("%s is a CloudFormation custom resource event, a Lambda authorizer event or an EventBridge scheduled "
              + "event", file.getFileName()).isTrue();
    }));
  }

  private static boolean isCustomResourceEvent(JsonNode event) {
    return event.has("RequestType");
  }

  private static boolean isAuthorizerEvent(JsonNode event) {
    return event.has("methodArn") && event.has("type");
  }

  private static boolean isScheduledEvent(JsonNode event) {
    return event.path("source").asText().equals("aws.events")
        && event.path("detail-type").asText().equals("Scheduled Event");
  }

  private static List<Path> eventFiles(Predicate<JsonNode> kind) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path file : eventFiles()) {
      if (kind.test(JSON.readTree(file.toFile()))) {
        files.add(file);
      }
    }
    return files;
  }

  @TestFactory
  Stream<DynamicTest> everyEventIsWhatTheTemplatesResourceSends() throws IOException {
    List<Path> files = eventFiles(EventFilesMatchTemplateTest::isCustomResourceEvent);
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      JsonNode event = JSON.readTree(file.toFile());
      String logicalId = resourceOfType(event.path("ResourceType").asText());
      JsonNode resource = template.properties(logicalId);
      String stack = event.path("StackId").asText().split("/")[1];

      assertThat(event.path("LogicalResourceId").asText()).isEqualTo(logicalId);
      assertThat(event.path("ResponseURL").asText()).as("ResponseURL names the resource and request")
          .contains("%7C" + logicalId + "%7C" + event.path("RequestId").asText() + "?");
      String function = CfnTemplate.referencedId(resource.path("ServiceToken"));
      assertThat(event.path("ServiceToken").asText()).as("ServiceToken: function %s of stack %s", function, stack)
          .matches("arn:aws:lambda:[a-z0-9-]+:\\d{12}:function:" + stack + "-" + function + "-[A-Za-z0-9]{12}");

      Set<String> always = new TreeSet<>();
      Set<String> allowed = new TreeSet<>();
      for (Map.Entry<String, JsonNode> property : resource.properties()) {
        allowed.add(property.getKey());
        if (!property.getValue().has("Fn::If")) {
          always.add(property.getKey());
        }
      }
      for (String name : List.of("ResourceProperties", "OldResourceProperties")) {
        JsonNode properties = event.path(name);
        if (properties.isMissingNode()) {
          continue;
        }
        Set<String> names = new TreeSet<>();
        properties.fieldNames().forEachRemaining(names::add);
        assertThat(names).as("%s: the template's properties", name).containsAll(always);
        assertThat(allowed).as("%s: only the template's properties", name).containsAll(names);
        assertThat(properties.path("ServiceTimeout").asText())
            .isEqualTo(resource.path("ServiceTimeout").asText());
        if (resource.has("Tags")) {
          assertThat(properties.path("Tags")).as("%s.Tags", name)
              .isEqualTo(JSON.readTree("[{\"Key\": \"mtls-gateway:stack\", \"Value\": \"" + stack + "\"}]"));
        }
        // A literal value in the template (a string, or a YAML number or boolean, which CloudFormation sends as its
        // text; not an intrinsic) is sent as is, in every request.
        for (Map.Entry<String, JsonNode> property : resource.properties()) {
          if (property.getValue().isValueNode()) {
            assertThat(properties.path(property.getKey()).asText(null))
                .as("%s.%s: the template's literal value", name, property.getKey())
                .isEqualTo(property.getValue().asText());
          }
        }
        // Values that come from a parameter ({"Ref": P}, or {"Fn::If": [c, {"Ref": P}, ...]}) match its pattern.
        for (String property : names) {
          JsonNode value = resource.path(property);
          JsonNode ref = value.has("Fn::If") ? value.path("Fn::If").path(1) : value;
          String parameter = ref.path("Ref").asText(null);
          if (parameter == null || !template.root().path("Parameters").has(parameter)) {
            continue;
          }
          String pattern = template.parameter(parameter).path("AllowedPattern").asText(null);
          if (pattern != null) {
            assertThat(properties.path(property).asText()).as("%s.%s against parameter %s's AllowedPattern", name,
                property, parameter).matches(pattern);
          }
        }
      }
    }));
  }

  /**
   * What API Gateway sends the template's REQUEST authorizer: its type, the ARN of a method the API has (ANY on / or
   * on /{proxy+}) on a stage, the stage's variables, and the client certificate fields the template forwards.
   */
  @TestFactory
  Stream<DynamicTest> everyAuthorizerEventIsWhatTheApiSends() throws IOException {
    Map<String, JsonNode> authorizers = template.resourcesOfType("AWS::ApiGateway::Authorizer");
    // The stage's variables as CloudFormation sets them when the authorizer exists (revocation on), backend defaults.
    Set<String> stageVariables = new TreeSet<>();
    Scenario.of(template).withRevocation("s3://crl/ca.crl").property("ApiStage", "Variables").fieldNames()
        .forEachRemaining(stageVariables::add);
    List<Path> files = eventFiles(EventFilesMatchTemplateTest::isAuthorizerEvent);
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      JsonNode event = JSON.readTree(file.toFile());
      assertThat(authorizers).as("an authorizer in template.yaml").hasSize(1);
      assertThat(event.path("type").asText())
          .isEqualTo(authorizers.values().iterator().next().path("Properties").path("Type").asText());
      String resource = event.path("resource").asText();
      assertThat(resource).as("a resource of the API").isIn("/", "/{proxy+}");
      assertThat(event.path("methodArn").asText()).as("methodArn")
          .matches("arn:aws:execute-api:[a-z0-9-]+:\\d{12}:[a-z0-9]{10}/[A-Za-z0-9_-]+/[A-Z]+/.*")
          .endsWith("/" + event.path("httpMethod").asText() + event.path("path").asText());
      assertThat(event.path("requestContext").path("resourcePath").asText()).isEqualTo(resource);
      Set<String> variables = new TreeSet<>();
      event.path("stageVariables").fieldNames().forEachRemaining(variables::add);
      assertThat(variables).as("stageVariables: the stage's Variables").isEqualTo(stageVariables);
      JsonNode clientCert = event.path("requestContext").path("identity").path("clientCert");
      if (!clientCert.isMissingNode() && !clientCert.isNull()) {
        for (String field : List.of("clientCertPem", "subjectDN", "issuerDN", "serialNumber")) {
          assertThat(clientCert.path(field).isTextual()).as("clientCert.%s", field).isTrue();
        }
        assertThat(clientCert.path("validity").path("notBefore").isTextual()).isTrue();
        assertThat(clientCert.path("validity").path("notAfter").isTextual()).isTrue();
      }
    }));
  }

  /** What EventBridge sends the template's scheduled functions: the rule SAM names FunctionLogicalId + EventName. */
  @TestFactory
  Stream<DynamicTest> everyScheduledEventIsWhatItsRuleSends() throws IOException {
    List<String> rules = new ArrayList<>();
    template.resourcesOfType("AWS::Serverless::Function").forEach((id, function) ->
        function.path("Properties").path("Events").properties().forEach(event -> {
          if (event.getValue().path("Type").asText().equals("Schedule")) {
            rules.add(id + event.getKey());
          }
        }));
    List<Path> files = eventFiles(EventFilesMatchTemplateTest::isScheduledEvent);
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      JsonNode event = JSON.readTree(file.toFile());
      assertThat(event.path("resources")).hasSize(1);
      assertThat(event.path("resources").get(0).asText()).as("the ARN of one of the rules %s", rules)
          .matches("arn:aws:events:[a-z0-9-]+:\\d{12}:rule/[A-Za-z0-9-]+-(" + String.join("|", rules)
              + ")-[A-Za-z0-9]{12}");
      assertThat(event.path("detail").isObject() && event.path("detail").isEmpty()).as("detail: {}").isTrue();
    }));
  }

  @Test
  void theCheckersDomainNamePatternIsTheTemplates() {
    JsonNode domainName = template.parameter("DomainName");
    assertThat(CertificateChecker.DOMAIN_NAME_PATTERN).isEqualTo(domainName.path("AllowedPattern").asText());
    assertThat(CertificateChecker.MIN_DOMAIN_LENGTH).isEqualTo(domainName.path("MinLength").asInt());
    assertThat(CertificateChecker.MAX_DOMAIN_LENGTH).isEqualTo(domainName.path("MaxLength").asInt());
  }
}
