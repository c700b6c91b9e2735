package com.mtlsgateway.customresource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing the JSON CloudFormation sends, through the same path as production. */
class CustomResourceRequestTest {
  private static final String RESPONSE_URL_START = "https://cloudformation-custom-resource-response-euwest1";

  @Test
  void parsesCreateAsCloudFormationSendsIt() {
    CustomResourceRequest request = CustomResourceRequest.parse(Events.bytes(Events.load("create.json")));

    assertThat(request.requestType()).isEqualTo(RequestType.Create);
    assertThat(request.responseUrl()).startsWith(RESPONSE_URL_START).contains("X-Amz-Signature=");
    assertThat(request.stackId())
        .isEqualTo("arn:aws:cloudformation:eu-west-1:123456789012:stack/mtls-gateway/5b9d1a20-3c1f-11ef-9f2a-0a1b2c3d4e5f");
    assertThat(request.requestId()).isEqualTo("7f1e7c4e-1d3b-4c1a-9d1e-2f3a4b5c6d7e");
    assertThat(request.resourceType()).isEqualTo("Custom::Test");
    assertThat(request.logicalResourceId()).isEqualTo("Test");
    assertThat(request.physicalResourceId()).isNull();
    assertThat(request.oldProperties()).isNull();
    assertThat(request.properties().required("Name")).isEqualTo("alpha");
    assertThat(request.properties().raw()).containsKeys("ServiceToken", "ServiceTimeout");
    assertThat(request.properties().raw().get("ServiceTimeout")).isInstanceOf(String.class);
  }

  @Test
  void parsesUpdateWithOldResourceProperties() {
    CustomResourceRequest request = CustomResourceRequest.parse(Events.bytes(Events.load("update.json")));

    assertThat(request.requestType()).isEqualTo(RequestType.Update);
    assertThat(request.physicalResourceId()).isEqualTo("test:alpha");
    assertThat(request.properties().flag("Enabled", true)).isFalse();
    assertThat(request.oldProperties().flag("Enabled", false)).isTrue();
  }

  @Test
  void parsesDeleteWithPhysicalResourceId() {
    CustomResourceRequest request = CustomResourceRequest.parse(Events.bytes(Events.load("delete.json")));

    assertThat(request.requestType()).isEqualTo(RequestType.Delete);
    assertThat(request.physicalResourceId()).isEqualTo("test:alpha");
    assertThat(request.oldProperties()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"RequestType", "ResponseURL", "StackId", "RequestId", "ResourceType", "LogicalResourceId",
      "ResourceProperties"})
  void missingFieldIsNamed(String field) {
    ObjectNode event = Events.load("create.json");
    event.remove(field);

    assertThatThrownBy(() -> CustomResourceRequest.parse(Events.bytes(event)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("Field " + field + " is missing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PhysicalResourceId", "OldResourceProperties"})
  void updateWithoutItsOwnFieldsIsRejectedNamingThem(String field) {
    ObjectNode event = Events.load("update.json");
    event.remove(field);

    assertThatThrownBy(() -> CustomResourceRequest.parse(Events.bytes(event)))
        .hasMessageStartingWith("Field " + field + " is missing");
  }

  @Test
  void deleteWithoutPhysicalResourceIdIsRejectedNamingIt() {
    ObjectNode event = Events.load("delete.json");
    event.remove("PhysicalResourceId");

    assertThatThrownBy(() -> CustomResourceRequest.parse(Events.bytes(event)))
        .hasMessage("Field PhysicalResourceId is missing: a Delete request always carries the id returned by the"
            + " Create");
  }

  @Test
  void theMissingPhysicalResourceIdMessageTakesTheRightArticle() {
    ObjectNode event = Events.load("update.json");
    event.remove("PhysicalResourceId");

    assertThatThrownBy(() -> CustomResourceRequest.parse(Events.bytes(event)))
        .hasMessage("Field PhysicalResourceId is missing: an Update request always carries the id returned by the"
            + " Create");
  }

  @Test
  void nonStringFieldIsRejected() {
    ObjectNode event = Events.load("create.json");
    event.put("RequestId", 42);

    assertThatThrownBy(() -> CustomResourceRequest.parse(Events.bytes(event)))
        .hasMessage("Field RequestId is not a string");
  }

  @Test
  void unknownRequestTypeIsRejectedAndTheRequestCanStillBeAnswered() {
    ObjectNode event = Events.load("create.json");
    event.put("RequestType", "Replace");

    assertThatThrownBy(() -> CustomResourceRequest.parse(Events.bytes(event)))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e).hasMessageContaining("RequestType", "Replace");
          assertThat(e.replyTo()).hasValueSatisfying(
              replyTo -> assertThat(replyTo.requestId()).isEqualTo("7f1e7c4e-1d3b-4c1a-9d1e-2f3a4b5c6d7e"));
        });
  }

  @Test
  void badResponseUrlIsRejectedWithoutQuotingIt() {
    ObjectNode event = Events.load("create.json");
    event.put("ResponseURL", "s3-secret-signature-value");

    assertThatThrownBy(() -> CustomResourceRequest.parse(Events.bytes(event)))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e).hasMessage("Field ResponseURL is not an absolute http(s) URL");
          assertThat(e.replyTo()).isEmpty();
        });
  }

  @Test
  void invalidJsonIsRejectedWithoutQuotingIt() {
    byte[] json = ("{\"ResponseURL\": " + RESPONSE_URL_START + "}").getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> CustomResourceRequest.parse(json))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("The event is not valid JSON")
        .message().doesNotContain("cloudformation");
  }

  @Test
  void nonObjectJsonIsRejected() {
    assertThatThrownBy(() -> CustomResourceRequest.parse("[]".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("The event is not a JSON object");
  }

  @Test
  void tooLongPhysicalIdInTheEventIsRejected() {
    ObjectNode event = Events.load("delete.json");
    event.put("PhysicalResourceId", "x".repeat(ResponseBody.MAX_PHYSICAL_ID_BYTES + 1));

    assertThatThrownBy(() -> CustomResourceRequest.parse(Events.bytes(event)))
        .hasMessageStartingWith("Field PhysicalResourceId is 1025 bytes");
  }

  @Test
  void fieldsTooLongToAnswerWithinTheBodyLimitAreRejected() {
    ObjectNode event = Events.load("create.json");
    event.put("StackId", "arn:" + "x".repeat(3000));

    assertThatThrownBy(() -> CustomResourceRequest.parse(Events.bytes(event)))
        .hasMessageContaining("too long to fit in a response");
  }

  @Test
  void toStringLeavesOutTheResponseUrlAndPropertyValues() {
    ObjectNode event = Events.load("update.json");
    Events.properties(event).put("Name", "property-value");
    CustomResourceRequest request = CustomResourceRequest.parse(Events.bytes(event));

    assertThat(request.toString())
        .contains("test:alpha", "Name")
        .doesNotContain("cloudformation-custom-resource-response", "X-Amz", "property-value");
  }
}
