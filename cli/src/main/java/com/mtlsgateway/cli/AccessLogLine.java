package com.mtlsgateway.cli;

import com.mtlsgateway.json.JsonCodec;
import com.mtlsgateway.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One request in the stage's JSON access log format (template.yaml, ApiStage AccessLogSetting Format): the same keys
 * in the same order, every value a string as the format quotes them, and "-" for what the local gateway does not
 * know, as API Gateway writes an absent value.
 *
 * @param requestId this gateway's id of the request (also sent to the client as {@code x-amzn-RequestId})
 * @param requestTime when the request arrived
 * @param sourceIp the client's address
 * @param userAgent the User-Agent header, or null
 * @param domainName the host the client called (the Host header without the port), or null
 * @param integration what the backend answered, or null when the request never reached it
 * @param error the gateway's own answer, or null when the backend's answer was passed on
 * @param clientCert the client certificate's fields, or null without one
 * @param revocation the revocation check's outcome, or null when it did not decide the request
 */
record AccessLogLine(String requestId, Instant requestTime, String sourceIp, String userAgent, String domainName,
    String httpMethod, String path, String protocol, int status, long responseLength, long responseLatencyMillis,
    Integration integration, GatewayError error, ClientCertContext clientCert, Revocation revocation) {

  /**
   * The backend call.
   *
   * @param status the backend's HTTP status, or null when it gave none
   * @param error why there was no answer, or null
   */
  record Integration(Integer status, long latencyMillis, String error) {}

  /**
   * An answer API Gateway makes itself.
   *
   * @param message {@code $context.error.message}, e.g. "Forbidden"
   * @param responseType {@code $context.error.responseType}, e.g. INTEGRATION_TIMEOUT, or null when not known
   */
  record GatewayError(String message, String responseType) {}

  /** The revocation authorizer's decision ("Deny") and check ("revoked", "crl-stale"). */
  record Revocation(String decision, String check) {}

  /** {@code $context.requestTime}: the Common Log Format time. */
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private static final String ABSENT = "-";

  /** The line: one JSON object, keys as the stage's format names them. */
  String json() {
    JsonObject line = new JsonObject();
    line.put("requestId", requestId);
    line.put("extendedRequestId", ABSENT);
    line.put("requestTime", REQUEST_TIME.format(requestTime));
    line.put("sourceIp", sourceIp);
    line.put("userAgent", orAbsent(userAgent));
    line.put("domainName", orAbsent(domainName));
    line.put("httpMethod", httpMethod);
    line.put("path", path);
    line.put("protocol", protocol);
    line.put("status", Integer.toString(status));
    line.put("responseLength", Long.toString(responseLength));
    line.put("responseLatency", Long.toString(responseLatencyMillis));
    line.put("integrationStatus", integration == null || integration.status() == null ? ABSENT
        : integration.status().toString());
    line.put("integrationLatency", integration == null ? ABSENT : Long.toString(integration.latencyMillis()));
    line.put("integrationError", integration == null ? ABSENT : orAbsent(integration.error()));
    line.put("errorMessage", error == null ? ABSENT : error.message());
    line.put("errorResponseType", error == null ? ABSENT : orAbsent(error.responseType()));
    line.put("clientCertSubjectDN", clientCert == null ? ABSENT : clientCert.subjectDN());
    line.put("clientCertIssuerDN", clientCert == null ? ABSENT : clientCert.issuerDN());
    line.put("clientCertSerialNumber", clientCert == null ? ABSENT : clientCert.serialNumber());
    line.put("clientCertNotBefore", clientCert == null ? ABSENT : clientCert.notBefore());
    line.put("clientCertNotAfter", clientCert == null ? ABSENT : clientCert.notAfter());
    line.put("authorizeStatus", ABSENT);
    line.put("authorizerLatency", ABSENT);
    line.put("authorizerError", ABSENT);
    line.put("authorizerDecision", revocation == null ? ABSENT : revocation.decision());
    line.put("revocationCheck", revocation == null ? ABSENT : revocation.check());
    return JsonCodec.write(line);
  }

  private static String orAbsent(String value) {
    return value == null || value.isEmpty() ? ABSENT : value;
  }
}
