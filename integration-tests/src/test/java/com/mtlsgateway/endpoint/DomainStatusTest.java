package com.mtlsgateway.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mtlsgateway.customresource.HttpResponseSender;
import com.mtlsgateway.customresource.ResponseBody;
import com.mtlsgateway.testing.CapturedStdout;
import com.mtlsgateway.testing.LocalAwsEndpoint;
import com.mtlsgateway.testing.MotoServer;
import com.mtlsgateway.truststore.CloudFormation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.EndpointType;
import software.amazon.awssdk.services.apigateway.model.GetDomainNameResponse;
import software.amazon.awssdk.services.apigateway.model.SecurityPolicy;

/**
 * {@code Custom::DomainStatus} through the handler's Lambda entry point with events as CloudFormation sends them.
 * Against moto server what it models (a domain it always reports AVAILABLE, with a regional name and hosted zone,
 * and NotFoundException for a missing one); through a local JDK HTTP server answering API Gateway's own JSON what
 * it does not (truststore warnings, PENDING_* and UPDATING states, throttling).
 */
@ExtendWith(MotoServer.class)
class DomainStatusTest {

  private static final String DOMAIN = "api.example.com";
  private static final String CERTIFICATE =
      "arn:aws:acm:us-east-1:123456789012:certificate/11111111-1111-4111-8111-111111111111";
  /** The properties' CertificateArn (the domain's RegionalCertificateArn) and OwnershipVerificationCertificateArn. */
  private static final String SERVED_CERTIFICATE = CERTIFICATE;
  private static final String OWNERSHIP_CERTIFICATE =
      "arn:aws:acm:us-east-1:123456789012:certificate/99999999-8888-4777-8666-555555555555";

  private final MotoServer.Running moto;
  private CloudFormation cloudFormation;

  DomainStatusTest(MotoServer.Running moto) {
    this.moto = moto;
  }

  @BeforeEach
  void prepare() {
    moto.reset();
    cloudFormation = new CloudFormation();
  }

  @AfterEach
  void close() {
    cloudFormation.close();
  }

  private static Map<String, String> properties(String domain, String failOnWarnings) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("DomainName", domain);
    properties.put("TruststoreVersion", "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY");
    properties.put("CertificateArn", SERVED_CERTIFICATE);
    properties.put("CertificateNotAfter", "2026-06-30T23:59:59Z");
    properties.put("OwnershipVerificationCertificateArn", OWNERSHIP_CERTIFICATE);
    if (failOnWarnings != null) {
      properties.put("FailOnTruststoreWarnings", failOnWarnings);
    }
    return properties;
  }

  private static ObjectNode event(ObjectNode event) {
    return event.put("ResourceType", "Custom::DomainStatus").put("LogicalResourceId", "DomainStatus");
  }

  private static ObjectNode create(String domain) {
    return event(CloudFormation.create(properties(domain, null)));
  }

  private static void assertSuccess(JsonNode response) {
    assertThat(response.get("Status").asText()).as("Reason: %s", response.path("Reason").asText())
        .isEqualTo("SUCCESS");
  }

  private static void assertFailed(JsonNode response) {
    assertThat(response.get("Status").asText()).isEqualTo("FAILED");
    assertThat(response.toString().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ResponseBody.MAX_BYTES);
  }

  // moto server

  private static ApiGatewayClient motoApiGateway() {
    return ApiGatewayClient.builder().httpClient(Apache5HttpClient.builder().build()).build();
  }

  @Test
  void aDomainInMotoSucceedsWithItsData() {
    GetDomainNameResponse created;
    try (ApiGatewayClient apiGateway = motoApiGateway()) {
      apiGateway.createDomainName(b -> b.domainName(DOMAIN).regionalCertificateArn(CERTIFICATE)
          .endpointConfiguration(e -> e.types(EndpointType.REGIONAL)).securityPolicy(SecurityPolicy.TLS_1_2));
      created = apiGateway.getDomainName(b -> b.domainName(DOMAIN));
    }

    JsonNode response = cloudFormation.send(new DomainStatusHandler(), create(DOMAIN));

    assertSuccess(response);
    assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(DOMAIN);
    JsonNode data = response.get("Data");
    assertThat(data.get("DomainNameStatus").asText()).isEqualTo("AVAILABLE");
    assertThat(data.get("TruststoreWarningCount").asText()).isEqualTo("0");
    assertThat(data.get("RegionalDomainName").asText()).isEqualTo(created.regionalDomainName())
        .matches("d-[a-z0-9]+\\.execute-api\\.us-east-1\\.amazonaws\\.com");
    assertThat(data.get("RegionalHostedZoneId").asText()).isEqualTo(created.regionalHostedZoneId()).isNotEmpty();

    ObjectNode update = event(CloudFormation.update(DOMAIN, properties(DOMAIN, "false"), properties(DOMAIN, null)));
    JsonNode updated = cloudFormation.send(new DomainStatusHandler(), update);
    assertSuccess(updated);
    assertThat(updated.get("PhysicalResourceId").asText()).isEqualTo(DOMAIN);
    assertThat(updated.get("Data")).isEqualTo(data);
  }

  @Test
  void aMissingDomainFailsNamingIt() {
    JsonNode response = cloudFormation.send(new DomainStatusHandler(), create("missing.example.com"));

    assertFailed(response);
    assertThat(response.get("PhysicalResourceId").asText()).startsWith("mtls-gateway:create-failed:");
    assertThat(response.get("Reason").asText())
        .startsWith("Custom domain missing.example.com (property DomainName) was not found: API Gateway "
            + "GetDomainName: NotFoundException (404)")
        .contains("!Ref the AWS::ApiGateway::DomainName");
  }

  @Test
  void deleteDoesNothingEvenForAMissingDomain() {
    ObjectNode delete = event(CloudFormation.delete("missing.example.com", properties("missing.example.com", null)));

    JsonNode response = cloudFormation.send(new DomainStatusHandler(), delete);

    assertSuccess(response);
    assertThat(response.get("PhysicalResourceId").asText()).isEqualTo("missing.example.com");
  }

  // What moto does not model: API Gateway's GetDomainName JSON (API Reference, GetDomainName "Response Syntax")
  // from a local server. The warning texts are examples: AWS documents them only as strings.

  private static String domainJson(String status, String message, List<String> warnings) {
    ObjectNode domain = CloudFormation.JSON.createObjectNode()
        .put("domainName", DOMAIN)
        .put("domainNameArn", "arn:aws:apigateway:us-east-1::/domainnames/" + DOMAIN)
        .put("certificateUploadDate", 1767225600)
        .put("regionalDomainName", "d-abcde12345.execute-api.us-east-1.amazonaws.com")
        .put("regionalHostedZoneId", "Z1UJRXOUMOOFQ8")
        .put("regionalCertificateArn", CERTIFICATE)
        .put("ownershipVerificationCertificateArn",
            "arn:aws:acm:us-east-1:123456789012:certificate/22222222-2222-4222-8222-222222222222")
        .put("securityPolicy", "TLS_1_2")
        .put("domainNameStatus", status);
    if (message != null) {
      domain.put("domainNameStatusMessage", message);
    }
    domain.putObject("endpointConfiguration").put("ipAddressType", "ipv4").putArray("types").add("REGIONAL");
    ObjectNode mtls = domain.putObject("mutualTlsAuthentication")
        .put("truststoreUri", "s3://mtls-gateway-truststores/truststore.pem")
        .put("truststoreVersion", "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY");
    if (!warnings.isEmpty()) {
      ArrayNode list = mtls.putArray("truststoreWarnings");
      warnings.forEach(list::add);
    }
    domain.putObject("tags");
    return domain.toString();
  }

  private static LocalAwsEndpoint.Reply ok(String json) {
    return LocalAwsEndpoint.Reply.ok(200, json);
  }

  private static List<String> warnings(int count) {
    List<String> warnings = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      warnings.add("Certificate at position " + (i + 1) + " with subject \"CN=Partner CA " + (i + 1)
          + ",O=Partner\" has expired");
    }
    return warnings;
  }

  /** The handler with an API Gateway client at {@code fake}; SDK retries off, so the handler's own are tested. */
  private static DomainStatusHandler handlerAt(LocalAwsEndpoint fake) {
    return new DomainStatusHandler(fake.client(ApiGatewayClient.builder()), new HttpResponseSender(),
        Clock.systemUTC());
  }

  @Test
  void truststoreWarningsFailWithThemInTheReasonAndAllInTheLog() {
    List<String> warnings = warnings(2);
    try (LocalAwsEndpoint fake = LocalAwsEndpoint.start(); CapturedStdout stdout = CapturedStdout.start()) {
      fake.script(ok(domainJson("AVAILABLE", null, warnings)));

      JsonNode response = cloudFormation.send(handlerAt(fake), create(DOMAIN));

      assertFailed(response);
      assertThat(response.get("Reason").asText())
          .startsWith("Custom domain api.example.com: API Gateway reports 2 truststore warnings for its truststore"
              + " s3://mtls-gateway-truststores/truststore.pem (version 3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY); mTLS"
              + " stays on but clients whose certificates chain to these entries get 403.")
          .contains("or set FailOnTruststoreWarnings to \"false\" (the AcceptTruststoreWarnings parameter in this"
              + " project's template.yaml) to accept them")
          .endsWith("Warnings: " + warnings.get(0) + " | " + warnings.get(1));
      assertThat(fake.calls()).containsExactly("GET /domainnames/api.example.com");
      JsonNode line = checkedLine(stdout);
      assertThat(line.get("truststoreWarningCount").asInt()).isEqualTo(2);
      assertThat(line.get("truststoreWarnings")).hasSize(2);
    }
  }

  @Test
  void manyWarningsListAsManyWholeOnesAsFitThenHowManyMore() {
    List<String> warnings = warnings(200);
    try (LocalAwsEndpoint fake = LocalAwsEndpoint.start(); CapturedStdout stdout = CapturedStdout.start()) {
      fake.script(ok(domainJson("AVAILABLE", null, warnings)));

      JsonNode response = cloudFormation.send(handlerAt(fake), create(DOMAIN));

      assertFailed(response);
      String reason = response.get("Reason").asText();
      assertThat(reason).doesNotContain(ResponseBody.TRUNCATED).contains("Warnings: " + warnings.get(0) + " | ");
      String[] listed = reason.substring(reason.indexOf("Warnings: ") + "Warnings: ".length()).split(" \\| ");
      int whole = listed.length - 1;
      assertThat(whole).isGreaterThan(10);
      assertThat(List.of(listed).subList(0, whole)).isEqualTo(warnings.subList(0, whole));
      assertThat(listed[whole]).isEqualTo("... and " + (200 - whole) + " more (all in the function's log)");
      assertThat(response.toString().getBytes(StandardCharsets.UTF_8).length)
          .as("nearly full: one more warning would not fit").isGreaterThan(ResponseBody.MAX_BYTES - 120);
      JsonNode line = checkedLine(stdout);
      assertThat(line.get("truststoreWarnings")).hasSize(200);
      assertThat(line.get("truststoreWarnings").get(199).asText()).isEqualTo(warnings.get(199));
    }
  }

  @Test
  void warningsAcceptedSucceedAndAreCounted() {
    try (LocalAwsEndpoint fake = LocalAwsEndpoint.start(); CapturedStdout stdout = CapturedStdout.start()) {
      fake.script(ok(domainJson("AVAILABLE", null, warnings(3))));

      JsonNode response = cloudFormation.send(handlerAt(fake),
          event(CloudFormation.create(properties(DOMAIN, "false"))));

      assertSuccess(response);
      assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(DOMAIN);
      assertThat(response.get("Data").get("TruststoreWarningCount").asText()).isEqualTo("3");
      assertThat(response.get("Data").get("DomainNameStatus").asText()).isEqualTo("AVAILABLE");
      assertThat(response.get("Data").get("RegionalDomainName").asText())
          .isEqualTo("d-abcde12345.execute-api.us-east-1.amazonaws.com");
      assertThat(response.get("Data").get("RegionalHostedZoneId").asText()).isEqualTo("Z1UJRXOUMOOFQ8");
      JsonNode line = checkedLine(stdout);
      assertThat(line.get("failOnTruststoreWarnings").asBoolean()).isFalse();
      assertThat(line.get("truststoreWarnings").get(2).asText()).isEqualTo(warnings(3).get(2));
    }
  }

  @Test
  void pendingOwnershipVerificationFailsWithTheMessageAndTheFix() {
    String message = "The ownership verification certificate for api.example.com has expired.";
    try (LocalAwsEndpoint fake = LocalAwsEndpoint.start()) {
      fake.script(ok(domainJson("PENDING_OWNERSHIP_VERIFICATION", message, List.of())));
      ObjectNode update = event(CloudFormation.update(DOMAIN, properties(DOMAIN, null), properties(DOMAIN, null)));

      JsonNode response = cloudFormation.send(handlerAt(fake), update);

      assertFailed(response);
      assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(DOMAIN);
      assertThat(response.get("Reason").asText())
          .startsWith("Custom domain api.example.com is PENDING_OWNERSHIP_VERIFICATION (\"" + message + "\").")
          .contains("renew or re-validate the ownership verification certificate (OwnershipVerificationCertificateArn");
      assertThat(fake.calls()).hasSize(1);
    }
  }

  /** A new ownership verification certificate re-runs the check (the properties change); its values are logged. */
  @Test
  void aNewOwnershipCertificateIsCheckedAndLogged() {
    String other = "arn:aws:acm:us-east-1:123456789012:certificate/77777777-6666-5555-4444-333333333333";
    try (LocalAwsEndpoint fake = LocalAwsEndpoint.start(); CapturedStdout stdout = CapturedStdout.start()) {
      fake.script(ok(domainJson("PENDING_OWNERSHIP_VERIFICATION", "Not yet verified.", List.of())));
      Map<String, String> changed = properties(DOMAIN, null);
      changed.put("OwnershipVerificationCertificateArn", other);
      ObjectNode update = event(CloudFormation.update(DOMAIN, changed, properties(DOMAIN, null)));

      JsonNode response = cloudFormation.send(handlerAt(fake), update);

      assertFailed(response);
      assertThat(response.get("Reason").asText()).contains("is PENDING_OWNERSHIP_VERIFICATION");
      JsonNode line = checkedLine(stdout);
      assertThat(line.get("certificateArnProperty").asText()).isEqualTo(SERVED_CERTIFICATE);
      assertThat(line.get("certificateNotAfterProperty").asText()).isEqualTo("2026-06-30T23:59:59Z");
      assertThat(line.get("ownershipVerificationCertificateArnProperty").asText()).isEqualTo(other);
    }
  }

  @Test
  void failedNamesTheCertificateParameters() {
    try (LocalAwsEndpoint fake = LocalAwsEndpoint.start()) {
      fake.script(ok(domainJson("FAILED", "The certificate does not match the domain name.", List.of())));

      JsonNode response = cloudFormation.send(handlerAt(fake), create(DOMAIN));

      assertFailed(response);
      assertThat(response.get("Reason").asText())
          .startsWith("Custom domain api.example.com is FAILED (\"The certificate does not match the domain name.\").")
          .contains("usually RegionalCertificateArn (the CertificateArn parameter, or the certificate the stack"
              + " imported), OwnershipVerificationCertificateArn or the truststore");
    }
  }

  @Test
  void pendingCertificateReimportFailsWithTheFix() {
    try (LocalAwsEndpoint fake = LocalAwsEndpoint.start()) {
      fake.script(ok(domainJson("PENDING_CERTIFICATE_REIMPORT", "The certificate has expired.", List.of())));

      JsonNode response = cloudFormation.send(handlerAt(fake), create(DOMAIN));

      assertFailed(response);
      assertThat(response.get("Reason").asText())
          .startsWith("Custom domain api.example.com is PENDING_CERTIFICATE_REIMPORT (\"The certificate has expired.\")")
          .contains("re-import a currently valid certificate to the same ACM ARN");
    }
  }

  @Test
  void updatingTwiceThenAvailableSucceedsAfterPolling() {
    try (LocalAwsEndpoint fake = LocalAwsEndpoint.start()) {
      fake.script(ok(domainJson("UPDATING", "Updating truststore", List.of())),
          ok(domainJson("UPDATING", "Updating truststore", List.of())), ok(domainJson("AVAILABLE", null, List.of())));

      JsonNode response = cloudFormation.send(handlerAt(fake), create(DOMAIN));

      assertSuccess(response);
      assertThat(response.get("Data").get("DomainNameStatus").asText()).isEqualTo("AVAILABLE");
      assertThat(fake.calls()).hasSize(3);
      List<LocalAwsEndpoint.Request> requests = fake.requests();
      assertThat(Duration.between(requests.get(0).receivedAt(), requests.get(2).receivedAt()))
          .as("backoff 1 s then 2 s").isGreaterThanOrEqualTo(Duration.ofMillis(2900));
    }
  }

  @Test
  void stillUpdatingFailsBeforeTheDeadline() {
    LocalAwsEndpoint.Reply updating = ok(domainJson("UPDATING", null, List.of()));
    try (LocalAwsEndpoint fake = LocalAwsEndpoint.start()) {
      fake.script(updating, updating, updating, updating, updating);
      Instant start = Instant.now();

      // 12 s left, the work must end 5 s before: calls at 0, 1 and 3 s; a 4 s wait and a call no longer fit.
      JsonNode response = cloudFormation.send(handlerAt(fake), create(DOMAIN), Duration.ofSeconds(12));

      assertFailed(response);
      assertThat(response.get("Reason").asText())
          .startsWith("Custom domain api.example.com is still UPDATING after 3 calls over 3 s (no status message);"
              + " the function's time is up.");
      assertThat(fake.calls()).hasSize(3);
      assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(7));
    }
  }

  @Test
  void throttlingIsRetried() {
    try (LocalAwsEndpoint fake = LocalAwsEndpoint.start()) {
      fake.script(new LocalAwsEndpoint.Reply(429, "TooManyRequestsException", "{\"message\":\"Too Many Requests\"}"),
          ok(domainJson("AVAILABLE", null, List.of())));

      JsonNode response = cloudFormation.send(handlerAt(fake), create(DOMAIN));

      assertSuccess(response);
      assertThat(fake.calls()).hasSize(2);
      List<LocalAwsEndpoint.Request> requests = fake.requests();
      assertThat(Duration.between(requests.get(0).receivedAt(), requests.get(1).receivedAt()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }
  }

  @Test
  void accessDeniedNamesThePermissionNeeded() {
    try (LocalAwsEndpoint fake = LocalAwsEndpoint.start()) {
      fake.script(new LocalAwsEndpoint.Reply(403, "AccessDeniedException", "{\"Message\":\"User: arn:aws:sts::"
          + "123456789012:assumed-role/r/f is not authorized to perform: apigateway:GET on resource: "
          + "arn:aws:apigateway:us-east-1::/domainnames/api.example.com\"}"));

      JsonNode response = cloudFormation.send(handlerAt(fake), create(DOMAIN));

      assertFailed(response);
      assertThat(response.get("Reason").asText()).startsWith("API Gateway GetDomainName api.example.com: ")
          .endsWith("the function's role needs apigateway:GET on arn:aws:apigateway:REGION::/domainnames/"
              + "api.example.com");
    }
  }

  private static JsonNode checkedLine(CapturedStdout stdout) {
    List<JsonNode> lines = new ArrayList<>();
    for (String text : stdout.lines()) {
      try {
        JsonNode line = CloudFormation.JSON.readTree(text);
        if ("domainStatus.checked".equals(line.path("event").asText())) {
          lines.add(line);
        }
      } catch (IOException e) {
        // not a JSON line
      }
    }
    assertThat(lines).hasSize(1);
    return lines.get(0);
  }
}
