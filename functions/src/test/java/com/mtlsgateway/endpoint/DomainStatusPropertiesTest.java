package com.mtlsgateway.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mtlsgateway.customresource.CustomResourceRequest;
import com.mtlsgateway.customresource.InvalidPropertyException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DomainStatusPropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CERTIFICATE =
      "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
  private static final String OWNERSHIP_CERTIFICATE =
      "arn:aws:acm:us-east-1:123456789012:certificate/99999999-8888-7777-6666-555555555555";

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
        .isEqualTo(new DomainStatusProperties("api.example.com", null, null, null, null, true));
  }

  @Test
  void readsEveryProperty() throws Exception {
    assertThat(parse(Map.of("DomainName", "*.api.example.com", "TruststoreVersion", "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY",
        "CertificateArn", CERTIFICATE, "CertificateNotAfter", "2026-06-30T23:59:59Z",
        "OwnershipVerificationCertificateArn", OWNERSHIP_CERTIFICATE, "FailOnTruststoreWarnings", "false")))
        .isEqualTo(new DomainStatusProperties("*.api.example.com", "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY", CERTIFICATE,
            "2026-06-30T23:59:59Z", OWNERSHIP_CERTIFICATE, false));
  }

  @Test
  void anEmptyVersionIsAbsent() throws Exception {
    assertThat(parse(Map.of("DomainName", "api.example.com", "TruststoreVersion", "")).truststoreVersion()).isNull();
  }

  /** CloudFormation sends "" for a property set to an empty parameter; the certificate values are then absent. */
  @Test
  void emptyCertificateValuesAreAbsent() throws Exception {
    assertThat(parse(Map.of("DomainName", "api.example.com", "CertificateArn", "", "CertificateNotAfter", "",
        "OwnershipVerificationCertificateArn", "")))
        .isEqualTo(new DomainStatusProperties("api.example.com", null, null, null, null, true));
  }

  /** Only read so that a change re-runs the check: any text is taken as is, never checked. */
  @Test
  void certificateValuesAreTakenAsGiven() throws Exception {
    DomainStatusProperties properties = parse(Map.of("DomainName", "api.example.com", "CertificateArn", "not-an-arn",
        "CertificateNotAfter", "someday"));
    assertThat(properties.certificateArn()).isEqualTo("not-an-arn");
    assertThat(properties.certificateNotAfter()).isEqualTo("someday");
    assertThat(properties.ownershipVerificationCertificateArn()).isNull();
  }

  @Test
  void certificateValuesMustBeStrings() {
    assertThatThrownBy(() -> parse(Map.of("DomainName", "api.example.com", "CertificateArn", List.of("a"))))
        .isInstanceOf(InvalidPropertyException.class)
        .hasMessageStartingWith("Property CertificateArn ");
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
        .hasMessageStartingWith("Property FailOnTruststoreWarnings is \"yes\", not \"true\" or \"false\": give");
  }

  @Test
  void rejectsUnknownProperties() {
    assertThatThrownBy(() -> parse(Map.of("DomainName", "api.example.com", "FailOnWarnings", "false")))
        .hasMessageStartingWith("Property FailOnWarnings is not known: check the spelling; this resource accepts "
            + "CertificateArn, CertificateNotAfter, DomainName, FailOnTruststoreWarnings,"
            + " OwnershipVerificationCertificateArn, TruststoreVersion");
  }
}
