package com.mtlsgateway.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BackendProtocol, BackendHostName and BackendTlsSkipVerification in template.yaml: HTTP (the default) is the plain
 * hop to the NLB as before; HTTPS makes both integration URIs https://BackendHostName:TargetPort (the VPC link still
 * routes to the NLB, whose TCP listener passes TLS through to the backend), checks the targets over HTTPS, and hands
 * the protocol and the skip flag to Custom::DefaultEndpoint, which sets the integrations' TLS setting and redeploys.
 */
class BackendTlsTemplateTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BACKEND = "backend.example.com";
  private static CfnTemplate template;

  @BeforeAll
  static void load() throws IOException {
    template = CfnTemplate.load();
  }

  private static Scenario https(Scenario scenario) {
    return scenario.with("BackendProtocol", "HTTPS").with("BackendHostName", BACKEND).with("TargetPort", "443");
  }

  /** The method's integration URI with the stage's variables put in, as API Gateway does at request time. */
  private static String uri(Scenario scenario, String method) {
    return ApiTemplateTest.resolve(scenario.property(method, "Integration").path("Uri").asText(),
        scenario.property("ApiStage", "Variables"));
  }

  @Test
  void httpIsTheDefaultAndKeepsThePlainHopToTheNlb() {
    assertThat(template.parameter("BackendProtocol").path("Default").asText()).isEqualTo("HTTP");
    assertThat(template.parameter("BackendProtocol").path("AllowedValues")).isEqualTo(json("[\"HTTP\", \"HTTPS\"]"));
    assertThat(template.parameter("BackendHostName").path("Default").asText("missing")).isEmpty();
    assertThat(template.parameter("BackendTlsSkipVerification").path("Default").asText()).isEqualTo("false");

    Scenario http = Scenario.of(template);
    assertThat(http.failedRules()).isEmpty();
    assertThat(uri(http, "RootMethod")).isEqualTo("http://" + Scenario.NLB_DNS + ":80/");
    assertThat(uri(http, "ProxyMethod")).isEqualTo("http://" + Scenario.NLB_DNS + ":80/{proxy}");
    assertThat(http.property("ApiStage", "Variables").has("backendEndpoint")).isFalse();
    assertThat(http.property("NlbIpTargetGroup", "HealthCheckProtocol").asText()).isEqualTo("HTTP");
    JsonNode custom = http.property("DefaultEndpoint", "BackendProtocol");
    assertThat(custom.asText()).isEqualTo("HTTP");
    assertThat(http.property("DefaultEndpoint", "BackendTlsSkipVerification").asText()).isEqualTo("false");
    assertThat(Scenario.demo(template).failedRules()).as("the demo stays plain HTTP").isEmpty();
  }

  /** The URI's host is the certificate's name on the backend's TLS port, whichever NLB the VPC link reaches. */
  @ParameterizedTest
  @ValueSource(strings = {"new", "existing"})
  void httpsCallsTheCertificatesNameOnTheBackendsTlsPortThroughTheVpcLink(String backend) {
    Scenario scenario = https(backend.equals("new") ? Scenario.of(template) : Scenario.existingNlb(template));

    assertThat(scenario.failedRules()).isEmpty();
    assertThat(uri(scenario, "RootMethod")).isEqualTo("https://" + BACKEND + ":443/");
    assertThat(uri(scenario, "ProxyMethod")).isEqualTo("https://" + BACKEND + ":443/{proxy}");
    JsonNode variables = scenario.property("ApiStage", "Variables");
    assertThat(variables.has("nlbEndpoint")).as("kept for the HTTP deployment live until the redeploy").isTrue();
    assertThat(variables.path("vpcLinkId").asText()).as("routing stays the VPC link's").isEqualTo(Scenario.VPC_LINK_ID);
    for (String method : new String[] {"RootMethod", "ProxyMethod"}) {
      JsonNode integration = scenario.property(method, "Integration");
      assertThat(integration.path("ConnectionType").asText()).isEqualTo("VPC_LINK");
      assertThat(integration.path("ConnectionId").asText()).isEqualTo("${stageVariables.vpcLinkId}");
    }
    assertThat(scenario.property("VpcLink", "TargetArns").get(0).asText())
        .isEqualTo(backend.equals("new") ? "{Nlb}" : Scenario.EXISTING_NLB_ARN);
    assertThat(scenario.property("DefaultEndpoint", "BackendProtocol").asText()).isEqualTo("HTTPS");
    assertThat(scenario.property("DefaultEndpoint", "BackendTlsSkipVerification").asText()).isEqualTo("false");
  }

  /** TLS passes through the NLB (TCP on the TLS port) to the backend, which the NLB checks over HTTPS. */
  @Test
  void theNlbPassesTcpThroughAndChecksTheTargetsOverHttps() {
    Scenario scenario = https(Scenario.of(template));

    assertThat(scenario.property("NlbListener", "Protocol").asText()).isEqualTo("TCP");
    assertThat(scenario.property("NlbListener", "Port").asText()).isEqualTo("443");
    assertThat(scenario.property("NlbIpTargetGroup", "Protocol").asText()).isEqualTo("TCP");
    assertThat(scenario.property("NlbIpTargetGroup", "Port").asText()).isEqualTo("443");
    assertThat(scenario.property("NlbIpTargetGroup", "HealthCheckProtocol").asText()).isEqualTo("HTTPS");
    assertThat(scenario.property("NlbIpTargetGroup", "HealthCheckPort").asText()).isEqualTo("traffic-port");
    assertThat(scenario.property("NlbIpTargetGroup", "HealthCheckPath").asText()).isEqualTo("/healthcheck");
    assertThat(scenario.property("NlbIpTargetGroup", "Matcher")).isEqualTo(json("{\"HttpCode\": \"200-399\"}"));
    JsonNode egress = scenario.property("NlbSecurityGroup", "SecurityGroupEgress").get(0);
    assertThat(egress.path("FromPort").asText()).isEqualTo("443");
    assertThat(egress.path("ToPort").asText()).isEqualTo("443");
  }

  @Test
  void skippingVerificationIsAnExplicitHttpsOnlyChoiceHandedToTheCustomResource() {
    Scenario skip = https(Scenario.of(template)).with("BackendTlsSkipVerification", "true");

    assertThat(skip.failedRules()).isEmpty();
    assertThat(skip.property("DefaultEndpoint", "BackendTlsSkipVerification").asText()).isEqualTo("true");
    assertThat(template.properties("DefaultEndpoint").path("BackendTlsSkipVerification"))
        .isEqualTo(json("{\"Ref\": \"BackendTlsSkipVerification\"}"));
    assertThat(template.properties("DefaultEndpoint").path("BackendProtocol"))
        .isEqualTo(json("{\"Ref\": \"BackendProtocol\"}"));
  }

  /**
   * Turning revocation on or off updates both methods (authorizer) and switches the stage's deployment; the custom
   * resource gets that deployment too, so the switch is an Update of it, which sets the integrations' TLS setting
   * again (should CloudFormation's method update drop it) and redeploys. The same expression as the stage's, so that
   * a renamed deployment is renamed in both.
   */
  @Test
  void theCustomResourceFollowsTheStagesDeploymentAcrossTheRevocationSwitch() {
    assertThat(template.properties("DefaultEndpoint").path("MethodsDeploymentId"))
        .isEqualTo(template.properties("ApiStage").path("DeploymentId"));
    Scenario off = https(Scenario.of(template)).with("BackendTlsSkipVerification", "true");
    Scenario on = https(Scenario.of(template)).with("BackendTlsSkipVerification", "true")
        .withRevocation("s3://crl/ca.crl");

    assertThat(off.property("DefaultEndpoint", "MethodsDeploymentId").asText()).isEqualTo("{ApiDeploymentV1}")
        .isEqualTo(off.property("ApiStage", "DeploymentId").asText());
    assertThat(on.property("DefaultEndpoint", "MethodsDeploymentId").asText())
        .isEqualTo("{ApiDeploymentV1Revocation}").isEqualTo(on.property("ApiStage", "DeploymentId").asText());
    assertThat(on.property("RootMethod", "AuthorizationType").asText())
        .as("the switch does change the methods").isNotEqualTo(off.property("RootMethod", "AuthorizationType")
            .asText());
    assertThat(on.property("DefaultEndpoint", "BackendTlsSkipVerification").asText())
        .as("and nothing else of the custom resource").isEqualTo("true");
  }

  @Test
  void rulesRefuseWhatCannotWork() {
    assertThat(Scenario.of(template).with("BackendProtocol", "HTTPS").failedRules()).containsExactly(
        "BackendHttps: BackendProtocol=HTTPS needs BackendHostName: the DNS name on the backend's certificate, which "
            + "API Gateway checks the certificate against (e.g. backend.example.com).");
    assertThat(https(Scenario.demo(template)).failedRules()).containsExactly(
        "BackendHttps: The demo backend serves plain HTTP only (its ALB listens on port 80 without a certificate): "
            + "use BackendProtocol=HTTP with DemoBackend=true, or point TargetIps or ExistingNlbArn at a backend that "
            + "serves TLS on TargetPort.");
    assertThat(Scenario.of(template).with("BackendHostName", BACKEND).failedRules()).containsExactly(
        "BackendHttp: BackendHostName is only used with BackendProtocol=HTTPS: set BackendProtocol=HTTPS, or leave "
            + "BackendHostName empty.");
    assertThat(Scenario.of(template).with("BackendTlsSkipVerification", "true").failedRules()).containsExactly(
        "BackendHttp: BackendTlsSkipVerification only applies to BackendProtocol=HTTPS: set BackendProtocol=HTTPS, "
            + "or leave BackendTlsSkipVerification 'false'.");
  }

  @Test
  void backendHostNameIsADnsNameWithoutSchemeOrPort() {
    String pattern = template.parameter("BackendHostName").path("AllowedPattern").asText();
    assertThat("").matches(pattern);
    assertThat(BACKEND).matches(pattern);
    assertThat("api-1.internal.example.co.uk").matches(pattern);
    for (String wrong : new String[] {"https://backend.example.com", "backend.example.com:443", "backend",
        "backend.example.com/path", "*.example.com", "-a.example.com"}) {
      assertThat(wrong).as(wrong).doesNotMatch(pattern);
    }
  }

  @Test
  void theParametersAreInTheNetworkGroupWithLabels() {
    JsonNode network = null;
    for (JsonNode group : template.root().path("Metadata").path("AWS::CloudFormation::Interface")
        .path("ParameterGroups")) {
      if (group.path("Label").path("default").asText().equals("Network and backend")) {
        network = group.path("Parameters");
      }
    }
    assertThat(network).isNotNull();
    assertThat(network).contains(JSON.getNodeFactory().textNode("BackendProtocol"),
        JSON.getNodeFactory().textNode("BackendHostName"),
        JSON.getNodeFactory().textNode("BackendTlsSkipVerification"));
    JsonNode labels = template.root().path("Metadata").path("AWS::CloudFormation::Interface").path("ParameterLabels");
    assertThat(labels.path("BackendTlsSkipVerification").path("default").asText()).contains("not recommended");
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
