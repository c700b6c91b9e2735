package com.mtlsgateway.customresource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/**
 * The JSON of the functions and of {@code bin/mtls}: log lines and one-line JSON output, all written by one
 * ObjectMapper (thread-safe once configured, and never configured here).
 *
 * <pre>{@code
 * ObjectNode line = Json.object();
 * line.put("event", "truststore.staged");
 * Json.log(line); // {"event":"truststore.staged"} and a line break, on stdout
 * }</pre>
 */
public final class Json {
  /** Also parses the events; package-private so that no caller can reconfigure it. */
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** A new, empty JSON object to fill and pass to {@link #log} or {@link #write}. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * A handler's own log line about {@code request}, to complete and pass to {@link #log}: {@code event},
   * {@code requestType}, {@code logicalResourceId} and {@code requestId} (never the ResponseURL).
   */
  public static ObjectNode line(String event, CustomResourceRequest request) {
    ObjectNode line = object();
    line.put("event", event);
    line.put("requestType", request.requestType().name());
    line.put("logicalResourceId", request.logicalResourceId());
    line.put("requestId", request.requestId());
    return line;
  }

  /**
   * The object as compact JSON on one line: fields in insertion order, no white space between tokens, line breaks
   * inside values escaped as {@code \n}.
   *
   * @throws UncheckedIOException never for a tree built with {@code put} (strings, numbers, booleans, nulls)
   */
  public static String write(ObjectNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      // A tree of strings, numbers and booleans always serialises.
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Prints the object as one line ({@link #write}) on stdout, which Lambda sends to the function's log stream:
   * one call is always one log event.
   */
  public static void log(ObjectNode line) {
    System.out.println(write(line));
  }
}
