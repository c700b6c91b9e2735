package com.mtlsgateway.customresource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** The one ObjectMapper of the runtime (thread-safe once configured) and the log line writer. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static String write(ObjectNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      // A tree of strings, numbers and booleans always serialises.
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Prints one JSON object as one line on stdout, which Lambda sends to the function's log stream. Jackson escapes
   * line breaks inside values, so a line is always one log event.
   */
  static void log(ObjectNode line) {
    System.out.println(write(line));
  }
}
