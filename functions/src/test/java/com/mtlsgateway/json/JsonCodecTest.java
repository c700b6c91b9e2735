package com.mtlsgateway.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonCodecTest {

  @Test
  void readsEveryKindOfValue() throws Exception {
    Object parsed = parse("{\"s\":\"a\\nb\\u00e9\",\"t\":true,\"f\":false,\"n\":null,\"i\":42,\"big\":123456789012345678901234,"
        + "\"d\":1.5,\"a\":[1,\"x\",{}],\"o\":{\"k\":\"v\"}}");

    JsonObject object = (JsonObject) parsed;
    assertThat(object.members().keySet()).containsExactly("s", "t", "f", "n", "i", "big", "d", "a", "o");
    assertThat(object.get("s")).isEqualTo("a\nbé");
    assertThat(object.get("t")).isEqualTo(true);
    assertThat(object.get("f")).isEqualTo(false);
    assertThat(object.has("n")).isTrue();
    assertThat(object.get("n")).isNull();
    assertThat(object.get("i")).isEqualTo(42L);
    assertThat(object.get("big")).isEqualTo(new BigInteger("123456789012345678901234"));
    assertThat(object.get("d")).isEqualTo(1.5);
    assertThat(((JsonArray) object.get("a")).elements()).containsExactly(1L, "x", new JsonObject());
    assertThat(object.object("o").string("k")).isEqualTo("v");
    assertThat(object.has("missing")).isFalse();
  }

  @Test
  void aRepeatedMemberKeepsItsLastValue() throws Exception {
    assertThat(((JsonObject) parse("{\"a\":1,\"a\":2}")).get("a")).isEqualTo(2L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "{", "{\"a\":}", "[1,]", "{} {}", "{\"a\":1} x", "nul", "'a'"})
  void refusesAnythingButOneWellFormedValue(String text) {
    assertThatThrownBy(() -> parse(text)).isInstanceOf(JsonProcessingException.class);
  }

  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  @Test
  void parseRefusesNamesAndNestingBeyondItsLimits() {
    assertThatThrownBy(() -> parse("{\"" + "n".repeat(JsonCodec.MAX_NAME_LENGTH + 1) + "\":1}"))
        .isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> parse(nested(JsonCodec.MAX_NESTING_DEPTH + 1)))
        .isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void parseLenientKeepsLongNames() throws Exception {
    String name = "n".repeat(JsonCodec.MAX_NAME_LENGTH + 1);

    JsonObject object = (JsonObject) JsonCodec.parseLenient(("{\"" + name + "\":\"v\",\"k\":\"w\"}")
        .getBytes(StandardCharsets.UTF_8));

    assertThat(object.members().keySet()).containsExactly(name, "k");
  }

  @Test
  void parseLenientStandsNullForWhatIsNestedTooDeepAndReadsOn() throws Exception {
    String deep = "{\"a\":" + "[".repeat(200_000) + "{\"x\":1}" + "]".repeat(200_000) + ",\"b\":\"after\"}";

    JsonObject object = (JsonObject) JsonCodec.parseLenient(deep.getBytes(StandardCharsets.UTF_8));

    assertThat(object.string("b")).isEqualTo("after");
    Object level = object.get("a");
    int depth = 1;
    while (level instanceof JsonArray array && array.size() > 0) {
      level = array.elements().get(0);
      depth++;
    }
    assertThat(level).isNull();
    assertThat(depth).isEqualTo(JsonCodec.MAX_NESTING_DEPTH);
    assertThat(JsonCodec.parse(JsonCodec.write(object).getBytes(StandardCharsets.UTF_8))).isEqualTo(object);
  }

  @Test
  void parseLenientReadsWhatParseReads() throws Exception {
    String text = "{\"a\":[1,\"x\",{\"k\":null}],\"deep\":" + nested(JsonCodec.MAX_NESTING_DEPTH - 1) + "}";

    assertThat(JsonCodec.parseLenient(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(parse(text));
  }

  @Test
  void writesCompactJsonThatAnotherReaderReadsBack() throws Exception {
    JsonObject object = new JsonObject().put("s", "line\nbreak \"quoted\" \u0001 é").put("i", 7).put("l", 1L << 40)
        .put("b", true).put("n", null).put("d", 0.25).put("dec", new BigDecimal("12.50"))
        .put("big", new BigInteger("99999999999999999999"));
    object.putArray("a").add("x").addObject().put("k", "v");
    object.putObject("o");

    String text = JsonCodec.write(object);

    assertThat(text).isEqualTo("{\"s\":\"line\\nbreak \\\"quoted\\\" \\u0001 é\",\"i\":7,\"l\":1099511627776,\"b\":true,"
        + "\"n\":null,\"d\":0.25,\"dec\":12.50,\"big\":99999999999999999999,\"a\":[\"x\",{\"k\":\"v\"}],\"o\":{}}");
    assertThat(new ObjectMapper().readTree(text).path("s").asText()).isEqualTo("line\nbreak \"quoted\" \u0001 é");
    assertThat(parse(text)).isEqualTo(parse(new ObjectMapper().writeValueAsString(new ObjectMapper().readTree(text))));
  }

  @Test
  void refusesValuesJsonHasNot() {
    assertThatThrownBy(() -> new JsonObject().put("x", new Object())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object");
    assertThatThrownBy(() -> new JsonArray().add(3.0f)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void scalarTextIsWhatAJsonReaderShows() {
    assertThat(JsonCodec.scalarText("a")).isEqualTo("a");
    assertThat(JsonCodec.scalarText(12L)).isEqualTo("12");
    assertThat(JsonCodec.scalarText(true)).isEqualTo("true");
    assertThat(JsonCodec.scalarText(null)).isNull();
    assertThat(JsonCodec.scalarText(new JsonObject())).isNull();
    assertThat(JsonCodec.scalarText(new JsonArray())).isNull();
  }

  private static Object parse(String text) throws JsonProcessingException {
    return JsonCodec.parse(text.getBytes(StandardCharsets.UTF_8));
  }
}
