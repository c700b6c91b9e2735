package com.mtlsgateway.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mtlsgateway.customresource.CustomResourceRequest;
import com.mtlsgateway.customresource.InvalidPropertyException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountRolePropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static AccountRoleProperties parse(Map<String, Object> properties) throws Exception {
    ObjectNode event = JSON.createObjectNode().put("RequestType", "Create")
        .put("ResponseURL", "https://example.com/response").put("StackId",
            "arn:aws:cloudformation:us-east-1:123456789012:stack/s/5b6c1f40-c7a1-11ef-9a4e-0a1b2c3d4e5f")
        .put("RequestId", "6a1e0c52-3f7b-4d8a-b1c9-2e4f6a8b0c1d").put("LogicalResourceId", "ApiGatewayAccountRole")
        .put("ResourceType", "Custom::ApiGatewayAccountRole");
    ObjectNode props = JSON.valueToTree(properties);
    props.put("ServiceToken", "arn:aws:lambda:us-east-1:123456789012:function:f").put("ServiceTimeout", "420");
    event.set("ResourceProperties", props);
    return AccountRoleProperties.from(CustomResourceRequest.parse(JSON.writeValueAsBytes(event)).properties());
  }

  @Test
  void readsARoleArn() throws Exception {
    for (String arn : new String[] {"arn:aws:iam::111122223333:role/mtls-ApiGatewayCloudWatchRole-1A2B3C4D5E6F",
        "arn:aws-us-gov:iam::111122223333:role/service-role/apigw+logs=1,a.b@c-d"}) {
      assertThat(parse(Map.of("RoleArn", arn))).isEqualTo(new AccountRoleProperties(arn));
    }
  }

  @Test
  void rejectsWhatIsNotARoleArnAndUnknownProperties() {
    assertThatThrownBy(() -> parse(Map.of())).isInstanceOf(InvalidPropertyException.class)
        .hasMessageStartingWith("Property RoleArn is required");
    for (String wrong : new String[] {"mtls-ApiGatewayCloudWatchRole", "arn:aws:iam::111122223333:user/alice",
        "arn:aws:iam::1111:role/x", "arn:aws:iam::111122223333:role/" + "r".repeat(65)}) {
      assertThatThrownBy(() -> parse(Map.of("RoleArn", wrong))).as(wrong)
          .hasMessageStartingWith("Property RoleArn is not an IAM role ARN: give the ARN of the role");
    }
    assertThatThrownBy(() -> parse(Map.of("RoleArn", "arn:aws:iam::111122223333:role/x", "Role", "x")))
        .hasMessageStartingWith("Property Role is not known");
  }

  /** IAM's own limits (path 512, name 64) are accepted. */
  @Test
  void theLongestRoleArnIamAllowsIsAccepted() throws Exception {
    String arn = "arn:aws-us-gov:iam::111122223333:role/" + "p".repeat(509) + "/" + "n".repeat(64);
    assertThat(parse(Map.of("RoleArn", arn)).roleArn()).isEqualTo(arn);
  }
}
