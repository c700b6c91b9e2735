package com.mtlsgateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mtlsgateway.customresource.LocalContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Through the real entry point: ALB event JSON in (as the ALB sends it to a Lambda target), response JSON out. */
class HealthCheckHandlerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void healthCheckAnswersTheDemoBody() throws IOException {
    JsonNode response = invoke(fixture("alb-healthcheck.json"));

    assertThat(response.path("statusCode").asInt()).isEqualTo(200);
    assertThat(response.path("statusDescription").asText()).isEqualTo("200 OK");
    assertThat(response.path("isBase64Encoded").asBoolean(true)).isFalse();
    assertThat(response.path("headers").path("Content-Type").asText()).isEqualTo("application/json");
    assertThat(JSON.readTree(response.path("body").asText()))
        .isEqualTo(JSON.readTree("{\"DEMO\":\"Health Check OK\"}"));
    assertThat(response.path("body").asText()).isEqualTo("{\"DEMO\":\"Health Check OK\"}");
  }

  @Test
  void headIsAnsweredLikeGet() throws IOException {
    ObjectNode event = fixture("alb-healthcheck.json");
    event.put("httpMethod", "HEAD");
    assertThat(invoke(event).path("statusCode").asInt()).isEqualTo(200);
  }

  @Test
  void whoamiEchoesTheClientCertificateHeadersApiGatewayForwarded() throws IOException {
    ObjectNode event = fixture("alb-healthcheck.json");
    event.put("path", "/whoami");
    JsonNode response = invoke(event);

    assertThat(response.path("statusCode").asInt()).isEqualTo(200);
    assertThat(JSON.readTree(response.path("body").asText())).isEqualTo(JSON.readTree("""
        {"subject": "CN=client-1,O=Example", "issuer": "CN=Example Issuing CA,O=Example",
         "serialNumber": "1a:2b:3c:4d", "notBefore": "Jan 1 00:00:00 2030 GMT",
         "notAfter": "Jan 1 00:00:00 2031 GMT"}"""));
  }

  @Test
  void whoamiWithoutTheHeadersSaysNull() throws IOException {
    ObjectNode event = fixture("alb-healthcheck.json");
    event.put("path", "/whoami");
    event.putObject("headers").put("User-Agent", "curl/8.5.0");
    JsonNode body = JSON.readTree(invoke(event).path("body").asText());
    assertThat(body.path("subject").isNull()).isTrue();
    assertThat(body.size()).isEqualTo(5);
  }

  @ParameterizedTest
  @CsvSource({
      "POST, /healthcheck, 405, 405 Method Not Allowed",
      "DELETE, /whoami, 405, 405 Method Not Allowed",
      "GET, /, 404, 404 Not Found",
      "GET, /healthcheck/, 404, 404 Not Found",
      "GET, /HEALTHCHECK, 404, 404 Not Found",
  })
  void otherRequestsAreRefused(String method, String path, int status, String description) throws IOException {
    ObjectNode event = fixture("alb-healthcheck.json");
    event.put("httpMethod", method);
    event.put("path", path);
    JsonNode response = invoke(event);

    assertThat(response.path("statusCode").asInt()).isEqualTo(status);
    assertThat(response.path("statusDescription").asText()).isEqualTo(description);
    assertThat(response.path("body").asText()).doesNotContain("Health Check OK");
    if (status == 405) {
      assertThat(response.path("headers").path("Allow").asText()).isEqualTo("GET, HEAD");
    }
  }

  /** With multi-value headers on the target group, the ALB sends and expects multiValueHeaders. */
  @Test
  void multiValueHeadersGetMultiValueHeaders() throws IOException {
    JsonNode response = invoke(fixture("alb-healthcheck-multivalue.json"));

    assertThat(response.path("statusCode").asInt()).isEqualTo(200);
    assertThat(response.has("headers")).isFalse();
    assertThat(response.path("multiValueHeaders").path("Content-Type").get(0).asText()).isEqualTo("application/json");

    ObjectNode whoami = fixture("alb-healthcheck-multivalue.json");
    whoami.put("path", "/whoami");
    assertThat(JSON.readTree(invoke(whoami).path("body").asText()).path("subject").asText())
        .isEqualTo("CN=client-1,O=Example");
  }

  @Test
  void somethingThatIsNotAnEventIsABadRequest() throws IOException {
    for (String input : new String[] {"", "not json", "[1, 2]", "\"text\""}) {
      JsonNode response = invoke(input.getBytes(StandardCharsets.UTF_8));
      assertThat(response.path("statusCode").asInt()).as(input).isEqualTo(400);
    }
  }

  private static ObjectNode fixture(String name) throws IOException {
    try (InputStream in = HealthCheckHandlerTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return (ObjectNode) JSON.readTree(in);
    }
  }

  private static JsonNode invoke(JsonNode event) throws IOException {
    return invoke(JSON.writeValueAsBytes(event));
  }

  private static JsonNode invoke(byte[] event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new HealthCheckHandler().handleRequest(new ByteArrayInputStream(event), out,
        LocalContext.withTimeLeft("mtls-local-DemoBackend", Duration.ofSeconds(10), System.err));
    return JSON.readTree(out.toByteArray());
  }
}
