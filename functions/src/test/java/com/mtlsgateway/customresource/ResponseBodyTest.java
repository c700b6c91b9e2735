package com.mtlsgateway.customresource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseBodyTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ReplyTo REPLY_TO = new ReplyTo(null,
      "arn:aws:cloudformation:eu-west-1:123456789012:stack/mtls-gateway/5b9d1a20-3c1f-11ef-9f2a-0a1b2c3d4e5f",
      "7f1e7c4e-1d3b-4c1a-9d1e-2f3a4b5c6d7e", "Truststore", null);

  @Test
  void successBodyHasTheDocumentedFieldsInOrder() throws IOException {
    byte[] body = ResponseBody.build(Response.success(REPLY_TO, Outcome.of("s3://b/k", Map.of("V", "1")), "s3://b/k"));

    assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"Status\":\"SUCCESS\","
        + "\"PhysicalResourceId\":\"s3://b/k\",\"StackId\":\"" + REPLY_TO.stackId() + "\",\"RequestId\":\""
        + REPLY_TO.requestId() + "\",\"LogicalResourceId\":\"Truststore\",\"NoEcho\":false,\"Data\":{\"V\":\"1\"}}");
  }

  @Test
  void sameResponseGivesSameBytes() {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("Z", "1");
    data.put("A", "2");
    Map<String, String> reversed = new LinkedHashMap<>();
    reversed.put("A", "2");
    reversed.put("Z", "1");

    byte[] first = ResponseBody.build(Response.success(REPLY_TO, Outcome.of("id", data), "id"));
    byte[] second = ResponseBody.build(Response.success(REPLY_TO, Outcome.of("id", reversed), "id"));

    assertThat(first).isEqualTo(second);
  }

  @Test
  void reasonThatFitsExactlyIsKeptWhole() throws IOException {
    int room = ResponseBody.MAX_BYTES - ResponseBody.build(failed("")).length;

    byte[] exact = ResponseBody.build(failed("x".repeat(room)));
    byte[] oneMore = ResponseBody.build(failed("x".repeat(room + 1)));

    assertThat(exact).hasSize(ResponseBody.MAX_BYTES);
    assertThat(reason(exact)).isEqualTo("x".repeat(room));
    assertThat(oneMore.length).isLessThanOrEqualTo(ResponseBody.MAX_BYTES);
    assertThat(reason(oneMore)).endsWith(ResponseBody.TRUNCATED);
  }

  @Test
  void hugeReasonIsCutToFillTheBody() throws IOException {
    byte[] body = ResponseBody.build(failed("x".repeat(1_000_000)));

    assertThat(body.length).isBetween(ResponseBody.MAX_BYTES - 1, ResponseBody.MAX_BYTES);
    assertThat(reason(body)).startsWith("xxxx").endsWith(ResponseBody.TRUNCATED);
  }

  @Test
  void escapedCharactersAreCountedAsSent() throws IOException {
    byte[] body = ResponseBody.build(failed("\"\\".repeat(5000)));

    assertThat(body.length).isLessThanOrEqualTo(ResponseBody.MAX_BYTES);
    assertThat(reason(body)).startsWith("\"\\\"\\").endsWith(ResponseBody.TRUNCATED);
  }

  /** Every alignment of 2-, 3- and 4-byte characters (the last a surrogate pair in Java) against the cut. */
  @ParameterizedTest
  @ValueSource(strings = {"é", "€", "😀", "a😀é€"})
  void multiByteReasonIsCutOnACharacterBoundary(String unit) throws IOException {
    for (int padding = 0; padding < 8; padding++) {
      String original = "a".repeat(padding) + unit.repeat(3000);
      byte[] body = ResponseBody.build(failed(original));

      assertThat(body.length).isLessThanOrEqualTo(ResponseBody.MAX_BYTES).isGreaterThan(ResponseBody.MAX_BYTES - 4);
      String reason = reason(strictUtf8(body));
      assertThat(reason).endsWith(ResponseBody.TRUNCATED).doesNotContain("?", "\uFFFD");
      assertThat(original).startsWith(reason.substring(0, reason.length() - ResponseBody.TRUNCATED.length()));
    }
  }

  @Test
  void loneSurrogateStillGivesValidUtf8() throws IOException {
    byte[] body = ResponseBody.build(failed("broken \uD83D here"));

    assertThat(reason(strictUtf8(body))).isEqualTo("broken ? here");
  }

  @Test
  void controlCharactersAreRemovedFromTheReason() throws IOException {
    byte[] body = ResponseBody.build(failed(
        "\u001B[1;31mERROR\u001B[0m: bad\r\n\tline\u0000two\u0007\u0085\u009B end"));

    assertThat(reason(body)).isEqualTo("ERROR: bad linetwo end");
  }

  @Test
  void dataThatCannotFitTurnsIntoFailedSayingSo() throws IOException {
    Response response = Response.success(REPLY_TO, Outcome.of("s3://b/k", Map.of("Big", "v".repeat(5000))),
        "s3://b/k");

    byte[] body = ResponseBody.build(response);

    JsonNode json = MAPPER.readTree(body);
    assertThat(body.length).isLessThanOrEqualTo(ResponseBody.MAX_BYTES);
    assertThat(json.get("Status").asText()).isEqualTo("FAILED");
    assertThat(json.get("Reason").asText())
        .startsWith("The response Data is 5010 bytes of JSON, too large for CloudFormation's 4096-byte");
    assertThat(json.get("Data").isEmpty()).isTrue();
    assertThat(json.get("PhysicalResourceId").asText()).isEqualTo("s3://b/k");
    assertThat(ResponseBody.fit(response).status()).isEqualTo(Response.Status.FAILED);
  }

  @Test
  void dataTooLargeOnAFailureKeepsTheOriginalReason() throws IOException {
    Response response = new Response(Response.Status.FAILED, "original cause", "id", REPLY_TO, false,
        Map.of("Big", "v".repeat(5000)));

    assertThat(reason(ResponseBody.build(response))).endsWith("The request had failed anyway: original cause");
  }

  @Test
  void dataThatFitsIsKeptAndTheReasonCut() throws IOException {
    Response response = new Response(Response.Status.FAILED, "r".repeat(5000), "id", REPLY_TO, false,
        Map.of("Small", "v".repeat(1000)));

    JsonNode json = MAPPER.readTree(ResponseBody.build(response));

    assertThat(json.get("Data").get("Small").asText()).hasSize(1000);
    assertThat(json.get("Reason").asText()).endsWith(ResponseBody.TRUNCATED);
  }

  @Test
  void invalidPhysicalIdIsRefused() {
    assertThatThrownBy(() -> ResponseBody.build(Response.failed(REPLY_TO, "", "r")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void physicalIdRulesCountUtf8Bytes() {
    assertThat(ResponseBody.physicalIdProblem("x".repeat(1024))).isEmpty();
    assertThat(ResponseBody.physicalIdProblem("x".repeat(1025))).contains("is 1025 bytes: CloudFormation allows at most 1024");
    assertThat(ResponseBody.physicalIdProblem("€".repeat(342))).contains("is 1026 bytes: CloudFormation allows at most 1024");
    assertThat(ResponseBody.physicalIdProblem("")).contains("is empty: CloudFormation requires a non-empty id");
    assertThat(ResponseBody.physicalIdProblem(null)).isPresent();
    assertThat(ResponseBody.physicalIdProblem("a\nb")).contains("contains control characters");
  }

  private static Response failed(String reason) {
    return Response.failed(REPLY_TO, "s3://staging-bucket/truststore.pem", reason);
  }

  private static String reason(byte[] body) throws IOException {
    return MAPPER.readTree(body).get("Reason").asText();
  }

  private static String reason(String body) throws IOException {
    return MAPPER.readTree(body).get("Reason").asText();
  }

  /** Decodes, failing on any malformed byte sequence (String's own decoding would hide it). */
  private static String strictUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new AssertionError("body is not valid UTF-8", e);
    }
  }
}
