package com.mtlsgateway.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mtlsgateway.customresource.CustomResourceRequest;
import com.mtlsgateway.customresource.InvalidPropertyException;
import com.mtlsgateway.endpoint.DefaultEndpointHandler.ResourceId;
import com.mtlsgateway.endpoint.DefaultEndpointProperties.BackendProtocol;
import com.mtlsgateway.endpoint.DefaultEndpointProperties.BackendTls;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DefaultEndpointPropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static DefaultEndpointProperties parse(Map<String, Object> properties) throws Exception {
    ObjectNode event = JSON.createObjectNode().put("RequestType", "Create")
        .put("ResponseURL", "https://example.com/response").put("StackId",
            "arn:aws:cloudformation:us-east-1:123456789012:stack/s/5b6c1f40-c7a1-11ef-9a4e-0a1b2c3d4e5f")
        .put("RequestId", "6a1e0c52-3f7b-4d8a-b1c9-2e4f6a8b0c1d").put("LogicalResourceId", "DefaultEndpoint")
        .put("ResourceType", "Custom::DefaultEndpoint");
    ObjectNode props = JSON.valueToTree(properties);
    props.put("ServiceToken", "arn:aws:lambda:us-east-1:123456789012:function:f").put("ServiceTimeout", "300");
    event.set("ResourceProperties", props);
    return DefaultEndpointProperties.from(CustomResourceRequest.parse(JSON.writeValueAsBytes(event)).properties());
  }

  @Test
  void disabledIsTrueByDefault() throws Exception {
    assertThat(parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "prod")))
        .isEqualTo(new DefaultEndpointProperties("a1b2c3d4e5", "prod", true, Optional.empty(), Optional.empty()));
  }

  @Test
  void disabledReadsTrueAndFalse() throws Exception {
    assertThat(parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "v1_beta-2", "Disabled", "false")).disabled())
        .isFalse();
    assertThat(parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "prod", "Disabled", "true")).disabled())
        .isTrue();
    assertThat(parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "prod", "Disabled", "")).disabled())
        .as("an empty string (unset parameter) is the default").isTrue();
    assertThatThrownBy(() -> parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "prod", "Disabled", "yes")))
        .isInstanceOf(InvalidPropertyException.class)
        .hasMessageStartingWith("Property Disabled is \"");
  }

  @Test
  void backendIsAbsentWithoutBackendProtocolAndReadWithIt() throws Exception {
    assertThat(parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "prod")).backend())
        .as("stacks made before the property: integrations neither checked nor changed").isEmpty();
    assertThat(parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "prod", "BackendProtocol", "HTTP")).backend())
        .contains(new BackendTls(BackendProtocol.HTTP, false));
    assertThat(parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "prod", "BackendProtocol", "HTTPS",
        "BackendTlsSkipVerification", "false")).backend()).contains(new BackendTls(BackendProtocol.HTTPS, false));
    assertThat(parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "prod", "BackendProtocol", "HTTPS",
        "BackendTlsSkipVerification", "true")).backend()).contains(new BackendTls(BackendProtocol.HTTPS, true));
    assertThat(BackendProtocol.HTTPS.scheme()).isEqualTo("https://");
    assertThat(BackendProtocol.HTTP.scheme()).isEqualTo("http://");
  }

  @Test
  void skippingVerificationNeedsHttps() {
    assertThatThrownBy(() -> parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "prod", "BackendProtocol", "HTTP",
        "BackendTlsSkipVerification", "true"))).isInstanceOf(InvalidPropertyException.class)
        .hasMessage("Property BackendTlsSkipVerification is true but BackendProtocol is HTTP: skipping certificate "
            + "verification only means something for HTTPS: set BackendProtocol to HTTPS, or "
            + "BackendTlsSkipVerification to false");
    assertThatThrownBy(() -> parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "prod",
        "BackendTlsSkipVerification", "false"))).isInstanceOf(InvalidPropertyException.class)
        .hasMessage("Property BackendTlsSkipVerification is given without BackendProtocol: give BackendProtocol "
            + "(HTTP or HTTPS) with it");
    assertThatThrownBy(() -> parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "prod", "BackendProtocol",
        "https"))).hasMessage("Property BackendProtocol is \"https\", not HTTP or HTTPS: give HTTP or HTTPS"
            + " (upper case), as !Ref BackendProtocol does");
    assertThatThrownBy(() -> parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "prod", "BackendProtocol",
        "HTTPS", "BackendTlsSkipVerification", "yes")))
        .hasMessage("Property BackendTlsSkipVerification is \"yes\", not \"true\" or \"false\": give \"true\""
            + " or \"false\" (lower case), as CloudFormation passes a boolean");
  }

  @Test
  void methodsDeploymentIdIsOptionalAndKept() throws Exception {
    assertThat(parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "prod")).methodsDeploymentId())
        .as("stacks made before the property").isEmpty();
    assertThat(parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "prod", "MethodsDeploymentId", ""))
        .methodsDeploymentId()).isEmpty();
    DefaultEndpointProperties properties = parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "prod",
        "BackendProtocol", "HTTPS", "BackendTlsSkipVerification", "true", "MethodsDeploymentId", "x1y2z3"));
    assertThat(properties).isEqualTo(new DefaultEndpointProperties("a1b2c3d4e5", "prod", true,
        Optional.of(new BackendTls(BackendProtocol.HTTPS, true)), Optional.of("x1y2z3")));
    assertThat(parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "prod", "MethodsDeploymentId", "x1y2z3"))
        .methodsDeploymentId()).as("also without BackendProtocol").contains("x1y2z3");
  }

  @Test
  void methodsDeploymentIdIsChecked() {
    assertThatThrownBy(() -> parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "prod", "MethodsDeploymentId",
        "arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/deployments/x1y2z3")))
        .isInstanceOf(InvalidPropertyException.class)
        .hasMessage("Property MethodsDeploymentId is not a deployment id: give the stage's "
            + "AWS::ApiGateway::Deployment (e.g. !Ref ApiDeployment, letters and digits such as x1y2z3), or leave "
            + "the property out");
    assertThatThrownBy(() -> parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "prod", "MethodsDeploymentId",
        List.of("x1y2z3")))).hasMessageStartingWith("Property MethodsDeploymentId must be a string");
  }

  @Test
  void restApiIdAndStageNameAreRequiredAndChecked() {
    assertThatThrownBy(() -> parse(Map.of("StageName", "prod")))
        .hasMessageStartingWith("Property RestApiId is required");
    assertThatThrownBy(() -> parse(Map.of("RestApiId", "a1b2c3d4e5")))
        .hasMessageStartingWith("Property StageName is required");
    assertThatThrownBy(() -> parse(Map.of("RestApiId", "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
        "StageName", "prod"))).hasMessageStartingWith("Property RestApiId is not a REST API id: ");
    assertThatThrownBy(() -> parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "prod/other")))
        .hasMessageStartingWith("Property StageName is not a stage name: ");
    assertThatThrownBy(() -> parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "s".repeat(129))))
        .hasMessageStartingWith("Property StageName is not a stage name: ");
    assertThatThrownBy(() -> parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", List.of("prod"))))
        .hasMessageStartingWith("Property StageName must be a string");
  }

  @Test
  void unknownPropertiesAreRejected() {
    assertThatThrownBy(() -> parse(Map.of("RestApiId", "a1b2c3d4e5", "StageName", "prod", "Disable", "true")))
        .isInstanceOf(InvalidPropertyException.class)
        .hasMessageStartingWith("Property Disable is not known");
  }

  @Test
  void resourceIdRoundTripsAndStaysUnderOneKilobyte() {
    ResourceId id = new ResourceId("a1b2c3d4e5", "prod", false);
    assertThat(id.toString()).isEqualTo("a1b2c3d4e5/prod/original=false");
    assertThat(ResourceId.parse(id.toString())).contains(id);
    ResourceId longest = new ResourceId("a".repeat(64), "s".repeat(128), true);
    assertThat(ResourceId.parse(longest.toString())).contains(longest);
    assertThat(longest.toString().length()).isLessThan(1024);
  }

  @Test
  void idsNotMadeByTheHandlerDoNotParse() {
    assertThat(ResourceId.parse("mtls-gateway:create-failed:6a1e0c52")).isEmpty();
    assertThat(ResourceId.parse("a1b2c3d4e5/prod/original=maybe")).isEmpty();
    assertThat(ResourceId.parse("a1b2c3d4e5/prod")).isEmpty();
    assertThat(ResourceId.parse(null)).isEmpty();
  }
}
