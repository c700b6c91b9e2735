package com.mtlsgateway.truststore;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mtlsgateway.customresource.LocalContext;
import com.mtlsgateway.testing.LocalReceiver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Plays CloudFormation for a handler: builds events exactly as CloudFormation sends them (PascalCase keys, string
 * values, ServiceToken at the top and among the properties, ServiceTimeout as a string), invokes the handler's
 * Lambda entry point with them, and returns the body the handler PUT to the (local) ResponseURL.
 */
public final class CloudFormation implements AutoCloseable {

  public static final ObjectMapper JSON = new ObjectMapper();
  static final String STACK_ID =
      "arn:aws:cloudformation:us-east-1:123456789012:stack/mtls-gateway-test/5b6c1f40-c7a1-11ef-9a4e-0a1b2c3d4e5f";
  private static final String SERVICE_TOKEN =
      "arn:aws:lambda:us-east-1:123456789012:function:mtls-gateway-test-TruststoreFunction-Q8x2Lm4Np7Rz";

  private final LocalReceiver receiver = LocalReceiver.start();

  /** A Create event with a fresh RequestId. */
  public static ObjectNode create(Map<String, String> properties) {
    ObjectNode event = JSON.createObjectNode()
        .put("RequestType", "Create")
        .put("ServiceToken", SERVICE_TOKEN)
        .put("ResponseURL", "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/placeholder")
        .put("StackId", STACK_ID)
        .put("RequestId", UUID.randomUUID().toString())
        .put("LogicalResourceId", "Truststore")
        .put("ResourceType", "Custom::Truststore");
    event.set("ResourceProperties", properties(properties));
    return event;
  }

  /** An Update event: CloudFormation adds the current id and the properties before the change. */
  public static ObjectNode update(String physicalResourceId, Map<String, String> properties, Map<String, String> old) {
    ObjectNode event = create(properties).put("RequestType", "Update").put("PhysicalResourceId", physicalResourceId);
    event.set("OldResourceProperties", properties(old));
    return event;
  }

  /** A Delete event: CloudFormation adds the id. */
  public static ObjectNode delete(String physicalResourceId, Map<String, String> properties) {
    return create(properties).put("RequestType", "Delete").put("PhysicalResourceId", physicalResourceId);
  }

  private static ObjectNode properties(Map<String, String> values) {
    ObjectNode properties = JSON.createObjectNode().put("ServiceToken", SERVICE_TOKEN).put("ServiceTimeout", "300");
    values.forEach(properties::put);
    return properties;
  }

  /**
   * Invokes the handler with {@code event} (its ResponseURL replaced by the local receiver's) and returns the
   * one response it PUT.
   */
  public JsonNode send(RequestStreamHandler handler, ObjectNode event) {
    return send(handler, event, java.time.Duration.ofSeconds(60));
  }

  /** As {@link #send(RequestStreamHandler, ObjectNode)}, with this much Lambda time left at the start. */
  public JsonNode send(RequestStreamHandler handler, ObjectNode event, java.time.Duration timeLeft) {
    int before = receiver.requests().size();
    ObjectNode sent = event.deepCopy().put("ResponseURL", receiver.url().toString());
    try {
      handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(sent)), new ByteArrayOutputStream(),
          LocalContext.withTimeLeft("mtls-gateway-test", timeLeft, System.err));
      List<LocalReceiver.Request> requests = receiver.requests();
      assertThat(requests).as("responses PUT for one event").hasSize(before + 1);
      LocalReceiver.Request put = requests.get(requests.size() - 1);
      assertThat(put.method()).isEqualTo("PUT");
      assertThat(put.header("Content-Type")).as("Content-Type of the response PUT").isEmpty();
      return JSON.readTree(put.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    receiver.close();
  }
}
