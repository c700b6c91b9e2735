package com.mtlsgateway.customresource;

import com.mtlsgateway.json.JsonCodec;
import com.mtlsgateway.json.JsonObject;

/**
 * The log lines of the functions and the one-line JSON output of {@code bin/mtls}, written by {@link JsonCodec}.
 *
 * <pre>{@code
 * JsonObject line = Json.object();
 * line.put("event", "truststore.staged");
 * Json.log(line); // {"event":"truststore.staged"} and a line break, on stdout
 * }</pre>
 */
public final class Json {

  private Json() {}

  /** A new, empty JSON object to fill and pass to {@link #log} or {@link #write}. */
  public static JsonObject object() {
    return new JsonObject();
  }

  /**
   * A handler's own log line about {@code request}, to complete and pass to {@link #log}: {@code event},
   * {@code requestType}, {@code logicalResourceId} and {@code requestId} (never the ResponseURL).
   */
  public static JsonObject line(String event, CustomResourceRequest request) {
    return object().put("event", event).put("requestType", request.requestType().name())
        .put("logicalResourceId", request.logicalResourceId()).put("requestId", request.requestId());
  }

  /**
   * The object as compact JSON on one line: fields in insertion order, no white space between tokens, line breaks
   * inside values escaped as {@code \n}.
   */
  public static String write(JsonObject node) {
    return JsonCodec.write(node);
  }

  /**
   * Prints the object as one line ({@link #write}) on stdout, which Lambda sends to the function's log stream:
   * one call is always one log event.
   */
  public static void log(JsonObject line) {
    System.out.println(write(line));
  }
}
