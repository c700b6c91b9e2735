package com.mtlsgateway.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mtlsgateway.customresource.CustomResourceRequest;
import com.mtlsgateway.customresource.InvalidPropertyException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DomainStatusPropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static DomainStatusProperties parse(Map<String, Object> properties) throws Exception {
    ObjectNode event = JSON.createObjectNode().put("RequestType", "Create")
        .put("ResponseURL", "https://example.com/response").put("StackId",
            "arn:aws:cloudformation:us-east-1:123456789012:stack/s/5b6c1f40-c7a1-11ef-9a4e-0a1b2c3d4e5f")
        .put("RequestId", "6a1e0c52-3f7b-4d8a-b1c9-2e4f6a8b0c1d").put("LogicalResourceId", "DomainStatus")
        .put("ResourceType", "Custom::DomainStatus");
    ObjectNode props = JSON.valueToTree(properties);
    props.put("ServiceToken", "arn:aws:lambda:us-east-1:123456789012:function:f").put("ServiceTimeout", "300");
    event.set("ResourceProperties", props);
    return DomainStatusProperties.from(CustomResourceRequest.parse(JSON.writeValueAsBytes(event)).properties());
  }

  @Test
  void defaultsFailOnWarningsAndNoVersion() throws Exception {
    assertThat(parse(Map.of("DomainName", "api.example.com")))
        .isEqualTo(new DomainStatusProperties("api.example.com", null, true));
  }

  @Test
  void readsEveryProperty() throws Exception {
    assertThat(parse(Map.of("DomainName", "*.api.example.com", "TruststoreVersion", "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY",
        "FailOnTruststoreWarnings", "false")))
        .isEqualTo(new DomainStatusProperties("*.api.example.com", "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY", false));
  }

  @Test
  void anEmptyVersionIsAbsent() throws Exception {
    assertThat(parse(Map.of("DomainName", "api.example.com", "TruststoreVersion", "")).truststoreVersion()).isNull();
  }

  @Test
  void domainNameIsRequired() {
    assertThatThrownBy(() -> parse(Map.of("TruststoreVersion", "v1")))
        .isInstanceOf(InvalidPropertyException.class)
        .hasMessage("Property DomainName is required: set it in the resource's Properties");
  }

  @Test
  void rejectsWhatIsNotADomainName() {
    for (String wrong : new String[] {"https://api.example.com", "api.example.com/", "arn:aws:apigateway:us-east-1::"
        + "/domainnames/api.example.com", "api", "api .example.com", "-api.example.com", "a." + "b".repeat(64) + ".com",
        "api.example.com.", "*"}) {
      assertThatThrownBy(() -> parse(Map.of("DomainName", wrong))).as(wrong)
          .isInstanceOf(InvalidPropertyException.class)
          .hasMessageStartingWith("Property DomainName is not a domain name (\"")
          .hasMessageContaining("e.g. api.example.com");
    }
    String longName = ("a".repeat(60) + ".").repeat(5) + "com";
    assertThatThrownBy(() -> parse(Map.of("DomainName", longName)))
        .hasMessageStartingWith("Property DomainName is not a domain name (\"" + "a".repeat(60) + "...\")");
  }

  @Test
  void flagMustBeTrueOrFalse() {
    assertThatThrownBy(() -> parse(Map.of("DomainName", "api.example.com", "FailOnTruststoreWarnings", "yes")))
        .hasMessage("Property FailOnTruststoreWarnings must be \"true\" or \"false\": it is \"yes\"");
  }

  @Test
  void rejectsUnknownProperties() {
    assertThatThrownBy(() -> parse(Map.of("DomainName", "api.example.com", "FailOnWarnings", "false")))
        .hasMessageStartingWith("Property FailOnWarnings is not known: check the spelling; this resource accepts "
            + "DomainName, FailOnTruststoreWarnings, TruststoreVersion");
  }
}
