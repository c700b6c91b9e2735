package com.mtlsgateway.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * Reads and writes JSON with jackson-core's streaming parser and generator only: no data binding, whose start-up (some
 * hundreds of classes) would weigh on every cold start, and whose jar would weigh on the Lambda package.
 *
 * <p>Values: JSON objects are {@link JsonObject}, arrays {@link JsonArray}, strings String, true/false Boolean, null
 * null, integers Long (BigInteger beyond 64 bits), other numbers Double. Writing also takes Integer and BigDecimal.
 * Thread-safe.
 */
public final class JsonCodec {

  /**
   * The deepest nesting {@link #parse} accepts, and the deepest {@link #parseLenient} builds: jackson-core's default
   * (StreamReadConstraints), stated here so that it is a choice. Our reader recurses once per level.
   */
  public static final int MAX_NESTING_DEPTH = 1000;
  /** The longest member name {@link #parse} accepts, in characters: jackson-core's default (StreamReadConstraints). */
  public static final int MAX_NAME_LENGTH = 50_000;

  private static final JsonFactory FACTORY = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
      .maxNestingDepth(MAX_NESTING_DEPTH).maxNameLength(MAX_NAME_LENGTH).build()).build();
  /**
   * No limit on depth or name length: what such input costs is bounded by its size (Lambda delivers at most some
   * megabytes), and the deep part is skipped by jackson-core's loop, never by our recursion.
   */
  private static final JsonFactory LENIENT = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
      .maxNestingDepth(Integer.MAX_VALUE).maxNameLength(Integer.MAX_VALUE).build()).build();

  private JsonCodec() {}

  /**
   * Parses one JSON document. A member repeated in an object keeps its last value, as most JSON readers do.
   *
   * @throws JsonProcessingException when the input is not one well-formed JSON value (its location says where); also
   *     for anything after the value but white space, a member name longer than {@link #MAX_NAME_LENGTH} and nesting
   *     deeper than {@link #MAX_NESTING_DEPTH}
   */
  public static Object parse(byte[] json) throws JsonProcessingException {
    return parse(FACTORY, json);
  }

  /**
   * Parses like {@link #parse}, but accepts member names of any length, and nesting of any depth: an array or object
   * nested deeper than {@link #MAX_NESTING_DEPTH} is read past and stands as null, so that the result is within the
   * limits of {@link #parse} and {@link #write} (only its names may be longer). For input
   * that must be answered whatever it holds, such as a CloudFormation event: its odd values are then refused by the
   * same checks as any other malformed value, and the rest of it can still be read.
   *
   * @throws JsonProcessingException when the input is not one well-formed JSON value
   */
  public static Object parseLenient(byte[] json) throws JsonProcessingException {
    return parse(LENIENT, json);
  }

  private static Object parse(JsonFactory factory, byte[] json) throws JsonProcessingException {
    try (JsonParser parser = factory.createParser(json)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new JsonParseException(parser, "No content to read: the input is empty");
      }
      Object value = value(parser, first, 1);
      JsonToken after = parser.nextToken();
      if (after != null) {
        throw new JsonParseException(parser, "Trailing token (" + after + ") after the JSON value");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      // Parsing a byte array reads no file or socket; jackson-core still declares IOException.
      throw new UncheckedIOException(e);
    }
  }

  /** The value starting at {@code token}, at {@code depth} (the top level is 1). */
  private static Object value(JsonParser parser, JsonToken token, int depth) throws IOException {
    boolean tooDeep = depth > MAX_NESTING_DEPTH; // only with LENIENT: FACTORY has refused it already
    switch (token) {
      case START_OBJECT -> {
        if (tooDeep) {
          parser.skipChildren();
          return null;
        }
        JsonObject object = new JsonObject();
        for (JsonToken next = parser.nextToken(); next != JsonToken.END_OBJECT; next = parser.nextToken()) {
          String name = parser.currentName();
          object.put(name, value(parser, parser.nextToken(), depth + 1));
        }
        return object;
      }
      case START_ARRAY -> {
        if (tooDeep) {
          parser.skipChildren();
          return null;
        }
        JsonArray array = new JsonArray();
        for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
          array.add(value(parser, next, depth + 1));
        }
        return array;
      }
      case VALUE_STRING -> {
        return parser.getText();
      }
      case VALUE_NUMBER_INT -> {
        return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? parser.getBigIntegerValue()
            : (Object) parser.getLongValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return parser.getDoubleValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new JsonParseException(parser, "Unexpected token " + token);
    }
  }

  /**
   * The value as compact JSON on one line: members in order, no white space between tokens, control characters in
   * strings escaped (a line break as {@code \n}), other characters as they are.
   *
   * @param value any value {@link JsonObject#put} takes
   * @throws IllegalArgumentException for a value of another type
   */
  public static String write(Object value) {
    StringWriter out = new StringWriter();
    try (JsonGenerator generator = FACTORY.createGenerator(out)) {
      write(generator, value);
    } catch (IOException e) {
      // A StringWriter does not fail.
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void write(JsonGenerator generator, Object value) throws IOException {
    if (value == null) {
      generator.writeNull();
    } else if (value instanceof String text) {
      generator.writeString(text);
    } else if (value instanceof Boolean bool) {
      generator.writeBoolean(bool);
    } else if (value instanceof Long || value instanceof Integer) {
      generator.writeNumber(((Number) value).longValue());
    } else if (value instanceof BigInteger big) {
      generator.writeNumber(big);
    } else if (value instanceof Double number) {
      generator.writeNumber(number);
    } else if (value instanceof BigDecimal decimal) {
      generator.writeNumber(decimal);
    } else if (value instanceof JsonObject object) {
      generator.writeStartObject();
      for (Map.Entry<String, Object> member : object.members().entrySet()) {
        generator.writeFieldName(member.getKey());
        write(generator, member.getValue());
      }
      generator.writeEndObject();
    } else if (value instanceof JsonArray array) {
      generator.writeStartArray();
      for (Object element : array) {
        write(generator, element);
      }
      generator.writeEndArray();
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
  }

  /**
   * The text of a scalar as a JSON reader would show it (a string itself, a number or boolean its JSON text), or null
   * for null, objects and arrays.
   */
  public static String scalarText(Object value) {
    if (value instanceof String text) {
      return text;
    }
    if (value instanceof Boolean || value instanceof Number) {
      return value.toString();
    }
    return null;
  }

  static Object checkValue(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
        || value instanceof Integer || value instanceof BigInteger || value instanceof Double
        || value instanceof BigDecimal || value instanceof JsonObject || value instanceof JsonArray) {
      return value;
    }
    throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
  }
}
