package com.mtlsgateway.demo;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.mtlsgateway.json.JsonArray;
import com.mtlsgateway.json.JsonCodec;
import com.mtlsgateway.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The demo backend of template.yaml ({@code DemoBackend=true}): the Lambda target of the internal ALB that the NLB
 * forwards to, so that a fresh account sees the whole path (mTLS domain, VPC link, NLB) work.
 *
 * <ul>
 *   <li>{@code GET /healthcheck} (or HEAD): 200 {@code {"DEMO":"Health Check OK"}}. The NLB's health check of the
 *       ALB asks for it too.
 *   <li>{@code GET /whoami} (or HEAD): 200 with the client certificate fields API Gateway forwarded as
 *       {@code X-Client-Cert-*} headers: {@code {"subject": ..., "issuer": ..., "serialNumber": ..., "notBefore":
 *       ..., "notAfter": ...}} (null for a header that did not arrive).
 *   <li>Another method on those paths: 405 with {@code Allow: GET, HEAD}. Any other path: 404. An event that is not
 *       a JSON object: 400.
 * </ul>
 *
 * <p>Events and responses are the ALB's Lambda target format (read and written by JsonCodec, no event library): the
 * request's {@code httpMethod}, {@code path} and {@code headers} (names in lower case), or {@code multiValueHeaders}
 * when the target group has multi-value headers on, in which case the response uses {@code multiValueHeaders} as
 * well.
 */
public final class HealthCheckHandler implements RequestStreamHandler {

  static final String HEALTH_CHECK_BODY = "{\"DEMO\":\"Health Check OK\"}";

  /** JSON field of /whoami to the header API Gateway sets (template.yaml, integration RequestParameters). */
  private static final Map<String, String> CLIENT_CERT_HEADERS = new LinkedHashMap<>();

  static {
    CLIENT_CERT_HEADERS.put("subject", "x-client-cert-subject");
    CLIENT_CERT_HEADERS.put("issuer", "x-client-cert-issuer");
    CLIENT_CERT_HEADERS.put("serialNumber", "x-client-cert-serial");
    CLIENT_CERT_HEADERS.put("notBefore", "x-client-cert-not-before");
    CLIENT_CERT_HEADERS.put("notAfter", "x-client-cert-not-after");
  }

  /** For the Lambda runtime. */
  public HealthCheckHandler() {}

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    Object event;
    try {
      event = JsonCodec.parse(input.readAllBytes());
    } catch (JsonProcessingException e) {
      event = null;
    }
    output.write(JsonCodec.write(respond(event)).getBytes(StandardCharsets.UTF_8));
    output.flush();
  }

  static JsonObject respond(Object input) {
    if (!(input instanceof JsonObject event)) {
      return response(false, 400, "Bad Request", message("Bad Request"));
    }
    boolean multiValue = event.has("multiValueHeaders");
    String method = Objects.requireNonNullElse(JsonCodec.scalarText(event.get("httpMethod")), "");
    String path = Objects.requireNonNullElse(JsonCodec.scalarText(event.get("path")), "");
    if (!path.equals("/healthcheck") && !path.equals("/whoami")) {
      return response(multiValue, 404, "Not Found", message("Not Found"));
    }
    if (!method.equals("GET") && !method.equals("HEAD")) {
      JsonObject response = response(multiValue, 405, "Method Not Allowed", message("Method Not Allowed"));
      header(response, multiValue, "Allow", "GET, HEAD");
      return response;
    }
    String body = path.equals("/healthcheck") ? HEALTH_CHECK_BODY : whoami(event, multiValue);
    return response(multiValue, 200, "OK", body);
  }

  private static String whoami(JsonObject event, boolean multiValue) {
    JsonObject body = new JsonObject();
    CLIENT_CERT_HEADERS.forEach((field, header) -> body.put(field, header(event, multiValue, header)));
    return body.toString();
  }

  /** The first value of a request header, whatever the case of its name, or null. */
  private static String header(JsonObject event, boolean multiValue, String name) {
    JsonObject headers = event.object(multiValue ? "multiValueHeaders" : "headers");
    if (headers == null) {
      return null;
    }
    for (Map.Entry<String, Object> header : headers.members().entrySet()) {
      if (header.getKey().toLowerCase(Locale.ROOT).equals(name)) {
        Object value = header.getValue();
        if (multiValue) {
          value = value instanceof JsonArray values && values.size() > 0 ? values.get(0) : null;
        }
        return value instanceof String text ? text : null;
      }
    }
    return null;
  }

  private static String message(String text) {
    return new JsonObject().put("message", text).toString();
  }

  private static JsonObject response(boolean multiValue, int status, String reason, String body) {
    JsonObject response = new JsonObject();
    response.put("statusCode", status);
    response.put("statusDescription", status + " " + reason);
    response.put("isBase64Encoded", false);
    response.putObject(multiValue ? "multiValueHeaders" : "headers");
    header(response, multiValue, "Content-Type", "application/json");
    header(response, multiValue, "Cache-Control", "no-store");
    response.put("body", body);
    return response;
  }

  private static void header(JsonObject response, boolean multiValue, String name, String value) {
    if (multiValue) {
      response.object("multiValueHeaders").putArray(name).add(value);
    } else {
      response.object("headers").put(name, value);
    }
  }
}
