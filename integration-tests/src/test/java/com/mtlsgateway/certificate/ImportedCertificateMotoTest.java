package com.mtlsgateway.certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mtlsgateway.certificate.ServerCertificates.Material;
import com.mtlsgateway.customresource.CustomResourceHandler;
import com.mtlsgateway.customresource.HttpResponseSender;
import com.mtlsgateway.testing.CapturedStdout;
import com.mtlsgateway.testing.LocalAwsEndpoint;
import com.mtlsgateway.testing.MotoServer;
import com.mtlsgateway.testing.TestPki;
import com.mtlsgateway.truststore.CloudFormation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.acm.model.KeyAlgorithm;
import software.amazon.awssdk.services.acm.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@code Custom::ImportedCertificate} against moto server (ACM, S3, Secrets Manager), through the handler's Lambda
 * entry point with events as CloudFormation sends them. What moto cannot model (a certificate in use, a refused
 * re-import) is served by a local HTTP server answering ACM's JSON errors, set as the ACM client's endpoint.
 */
@ExtendWith(MotoServer.class)
class ImportedCertificateMotoTest {

  private static final TestPki PKI = TestPki.at(Instant.now());
  private static final Material MATERIAL = ServerCertificates.issue(PKI);

  private final MotoServer.Running moto;
  private S3Client s3;
  private SecretsManagerClient secrets;
  private AcmClient acm;
  private CloudFormation cloudFormation;

  ImportedCertificateMotoTest(MotoServer.Running moto) {
    this.moto = moto;
  }

  @BeforeEach
  void prepare() {
    moto.reset();
    s3 = moto.s3();
    secrets = ServerCertificates.secretsManager();
    acm = ServerCertificates.acm();
    cloudFormation = new CloudFormation();
    s3.createBucket(b -> b.bucket(ServerCertificates.BUCKET));
    ServerCertificates.put(s3, "server.pem", MATERIAL.certificatePem());
    ServerCertificates.put(s3, "chain.pem", MATERIAL.chainPem());
    ServerCertificates.put(s3, "server.key", MATERIAL.keyPem());
    secrets.createSecret(b -> b.name(ServerCertificates.SECRET_NAME).secretString(MATERIAL.keyPem()));
  }

  @AfterEach
  void close() {
    cloudFormation.close();
    s3.close();
    secrets.close();
    acm.close();
  }

  /** Inline certificate and chain, key from Secrets Manager, two tags. */
  private static Map<String, Object> inline(Material material) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("CertificatePem", material.certificatePem());
    properties.put("ChainPem", material.chainPem());
    properties.put("PrivateKeySecretArn", ServerCertificates.SECRET_ARN);
    properties.put("DomainName", ServerCertificates.DOMAIN);
    properties.put("Tags", List.of(Map.of("Key", "Project", "Value", "demo"), Map.of("Key", "Owner", "Value", "ops")));
    return properties;
  }

  private static ObjectNode event(String type, String physicalId, Map<String, Object> properties,
      Map<String, Object> old) {
    ObjectNode event = CloudFormation.create(Map.of()).put("RequestType", type)
        .put("ResourceType", "Custom::ImportedCertificate").put("LogicalResourceId", "ImportedCertificate");
    ObjectNode props = (ObjectNode) event.get("ResourceProperties");
    props.setAll((ObjectNode) CloudFormation.JSON.valueToTree(properties));
    if (physicalId != null) {
      event.put("PhysicalResourceId", physicalId);
    }
    if (old != null) {
      ObjectNode oldProps = props.deepCopy().retain("ServiceToken", "ServiceTimeout");
      oldProps.setAll((ObjectNode) CloudFormation.JSON.valueToTree(old));
      event.set("OldResourceProperties", oldProps);
    }
    return event;
  }

  private JsonNode send(ObjectNode event) {
    return cloudFormation.send(new ImportedCertificateHandler(), event);
  }

  private static void assertSuccess(JsonNode response) {
    assertThat(response.get("Status").asText()).as("Reason: %s", response.path("Reason").asText())
        .isEqualTo("SUCCESS");
  }

  private Map<String, String> tags(String arn) {
    return acm.listTagsForCertificate(b -> b.certificateArn(arn)).tags().stream()
        .collect(Collectors.toMap(t -> t.key(), t -> t.value() == null ? "" : t.value()));
  }

  private String imported(String arn) {
    return acm.getCertificate(b -> b.certificateArn(arn)).certificate();
  }

  @Test
  void createImportsTheCertificateWithItsTagsAndReturnsItsArnAndData() {
    ObjectNode created = event("Create", null, inline(MATERIAL), null);
    JsonNode response = send(created);

    assertSuccess(response);
    String arn = response.get("PhysicalResourceId").asText();
    assertThat(arn).startsWith("arn:aws:acm:us-east-1:123456789012:certificate/");
    assertThat(imported(arn).strip()).isEqualTo(MATERIAL.certificatePem().strip());
    assertThat(tags(arn)).as("set by the ImportCertificate call itself").isEqualTo(Map.of("Project", "demo",
        "Owner", "ops", "mtls-gateway:request-id", created.get("RequestId").asText(), "mtls-gateway:stack-id",
        created.get("StackId").asText()));
    JsonNode data = response.get("Data");
    assertThat(data.get("CertificateArn").asText()).isEqualTo(arn);
    assertThat(data.get("NotAfter").asText())
        .isEqualTo(MATERIAL.server().certificate().getNotAfter().toInstant().toString());
    assertThat(data.get("Subject").asText()).isEqualTo("CN=api.example.com,O=Demo");
    assertThat(data.get("SubjectAlternativeNames").asText()).isEqualTo("api.example.com,www.api.example.com");
    assertThat(data.get("KeyAlgorithm").asText()).isEqualTo("RSA_2048");
  }

  @Test
  void certificateChainAndKeyFromS3() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("CertificateUri", "s3://" + ServerCertificates.BUCKET + "/server.pem");
    properties.put("ChainUri", "s3://" + ServerCertificates.BUCKET + "/chain.pem");
    properties.put("PrivateKeyUri", "s3://" + ServerCertificates.BUCKET + "/server.key");
    properties.put("DomainName", ServerCertificates.DOMAIN);

    JsonNode response = send(event("Create", null, properties, null));

    assertSuccess(response);
    assertThat(imported(response.get("PhysicalResourceId").asText()).strip())
        .isEqualTo(MATERIAL.certificatePem().strip());
  }

  @Test
  void aMissingSecretFailsNamingItAndImportsNothing() {
    Map<String, Object> properties = inline(MATERIAL);
    properties.put("PrivateKeySecretArn", ServerCertificates.SECRET_ARN + "-typo");

    JsonNode response = send(event("Create", null, properties, null));

    assertThat(response.get("Status").asText()).isEqualTo("FAILED");
    assertThat(response.get("Reason").asText())
        .startsWith("PrivateKeySecretArn " + ServerCertificates.SECRET_ARN + "-typo: Secrets Manager GetSecretValue: "
            + "ResourceNotFoundException (")
        .contains("secretsmanager:GetSecretValue");
    assertThat(acm.listCertificates().certificateSummaryList()).isEmpty();
  }

  @Test
  void aJsonSecretFailsSayingTheKeyMustBeBarePemWithoutShowingIt() {
    String json = "{\"PrivateKey\": \"" + MATERIAL.keyPem().replace("\n", "\\n") + "\"}";
    secrets.putSecretValue(b -> b.secretId(ServerCertificates.SECRET_NAME).secretString(json));

    JsonNode response = send(event("Create", null, inline(MATERIAL), null));

    assertThat(response.get("Status").asText()).isEqualTo("FAILED");
    assertThat(response.get("Reason").asText())
        .startsWith("PrivateKeySecretArn " + ServerCertificates.SECRET_ARN + ": the secret's SecretString looks like"
            + " JSON")
        .contains("must be the bare PEM private key", "not JSON").doesNotContain("PrivateKey\"");
    for (String line : MATERIAL.keyPem().split("\n")) {
      if (!line.startsWith("-----")) {
        assertThat(response.get("Reason").asText()).doesNotContain(line);
      }
    }
    assertThat(acm.listCertificates().certificateSummaryList()).isEmpty();
  }

  @Test
  void anEmptyChainObjectIsInvalidAndImportsNothing() {
    ServerCertificates.put(s3, "empty.pem", "\n");
    Map<String, Object> properties = inline(MATERIAL);
    properties.remove("ChainPem");
    properties.put("ChainUri", "s3://" + ServerCertificates.BUCKET + "/empty.pem");

    JsonNode response = send(event("Create", null, properties, null));

    assertThat(response.get("Status").asText()).isEqualTo("FAILED");
    assertThat(response.get("Reason").asText()).contains("ChainUri s3://" + ServerCertificates.BUCKET
        + "/empty.pem PEM_INVALID: ChainPem is empty");
    assertThat(acm.listCertificates().certificateSummaryList()).isEmpty();
  }

  @Test
  void checksFailBeforeAnyCallToAcm() {
    Map<String, Object> properties = inline(MATERIAL);
    properties.put("DomainName", "other.example.org");

    JsonNode response = send(event("Create", null, properties, null));

    assertThat(response.get("Status").asText()).isEqualTo("FAILED");
    assertThat(response.get("Reason").asText())
        .startsWith("The certificate material is not fit to import into ACM (1 problem;")
        .contains("DomainName DOMAIN_NOT_COVERED: the certificate does not cover other.example.org");
    assertThat(acm.listCertificates().certificateSummaryList()).isEmpty();
  }

  @Test
  void updateReimportsToTheSameArnAndSyncsTags() {
    String arn = send(event("Create", null, inline(MATERIAL), null)).get("PhysicalResourceId").asText();
    Material renewed = MATERIAL.renewed(PKI);
    Map<String, Object> properties = inline(renewed);
    properties.put("Tags", List.of(Map.of("Key", "Project", "Value", "demo-2026"), Map.of("Key", "New", "Value", "")));

    JsonNode response = send(event("Update", arn, properties, inline(MATERIAL)));

    assertSuccess(response);
    assertThat(response.get("PhysicalResourceId").asText()).as("same ARN: no replacement").isEqualTo(arn);
    assertThat(imported(arn).strip()).isEqualTo(renewed.certificatePem().strip());
    assertThat(acm.listCertificates().certificateSummaryList()).hasSize(1);
    // The Create's mtls-gateway:request-id tag is not asserted: moto drops all tags on a re-import (ACM keeps them).
    assertThat(tags(arn)).containsEntry("Project", "demo-2026").containsEntry("New", "").doesNotContainKey("Owner");
  }

  @Test
  void updateOfACertificateDeletedOutOfBandImportsANewOne() {
    String arn = send(event("Create", null, inline(MATERIAL), null)).get("PhysicalResourceId").asText();
    acm.deleteCertificate(b -> b.certificateArn(arn));

    JsonNode response = send(event("Update", arn, inline(MATERIAL.renewed(PKI)), inline(MATERIAL)));

    assertSuccess(response);
    String replacement = response.get("PhysicalResourceId").asText();
    assertThat(replacement).isNotEqualTo(arn).startsWith("arn:aws:acm:");
    assertThat(tags(replacement)).containsOnlyKeys("Project", "Owner", "mtls-gateway:request-id",
        "mtls-gateway:stack-id").containsEntry("Project", "demo").containsEntry("Owner", "ops");
  }

  // Lambda retries a failed or timed-out asynchronous invocation with the same event (same RequestId).

  @Test
  void theSameCreateEventDeliveredTwiceImportsOneCertificate() {
    ObjectNode create = event("Create", null, inline(MATERIAL), null);

    JsonNode first = send(create);
    JsonNode retry = send(create);

    assertSuccess(first);
    assertSuccess(retry);
    String arn = first.get("PhysicalResourceId").asText();
    assertThat(retry.get("PhysicalResourceId").asText()).as("the retry reuses the first import").isEqualTo(arn);
    assertThat(retry.get("Data")).isEqualTo(first.get("Data"));
    assertThat(acm.listCertificates().certificateSummaryList()).extracting(c -> c.certificateArn())
        .containsExactly(arn);
    assertThat(tags(arn)).containsEntry("mtls-gateway:request-id", create.get("RequestId").asText());
  }

  @Test
  void aCreateWithAnotherRequestIdImportsANewCertificate() {
    String first = send(event("Create", null, inline(MATERIAL), null)).get("PhysicalResourceId").asText();

    JsonNode other = send(event("Create", null, inline(MATERIAL), null));

    assertSuccess(other);
    assertThat(other.get("PhysicalResourceId").asText()).isNotEqualTo(first);
    assertThat(acm.listCertificates().certificateSummaryList()).hasSize(2);
  }

  @Test
  void theSameReplacingUpdateDeliveredTwiceImportsOneCertificate() {
    String arn = send(event("Create", null, inline(MATERIAL), null)).get("PhysicalResourceId").asText();
    acm.deleteCertificate(b -> b.certificateArn(arn));
    ObjectNode update = event("Update", arn, inline(MATERIAL.renewed(PKI)), inline(MATERIAL));

    JsonNode first = send(update);
    JsonNode retry = send(update);

    assertSuccess(first);
    assertSuccess(retry);
    String replacement = first.get("PhysicalResourceId").asText();
    assertThat(replacement).isNotEqualTo(arn);
    assertThat(retry.get("PhysicalResourceId").asText()).isEqualTo(replacement);
    assertThat(acm.listCertificates().certificateSummaryList()).extracting(c -> c.certificateArn())
        .containsExactly(replacement);
    assertThat(tags(replacement)).containsEntry("mtls-gateway:request-id", update.get("RequestId").asText());
  }

  @Test
  void userTagsCannotTakeTheRequestIdTag() {
    Map<String, Object> properties = inline(MATERIAL);
    properties.put("Tags", List.of(Map.of("Key", "mtls-gateway:request-id", "Value", "x")));

    JsonNode response = send(event("Create", null, properties, null));

    assertThat(response.get("Status").asText()).isEqualTo("FAILED");
    assertThat(response.get("Reason").asText()).contains("mtls-gateway:request-id").contains("reserved");
    assertThat(acm.listCertificates().certificateSummaryList()).isEmpty();
  }

  @Test
  void deleteRemovesTheCertificate() {
    String arn = send(event("Create", null, inline(MATERIAL), null)).get("PhysicalResourceId").asText();

    JsonNode response = send(event("Delete", arn, inline(MATERIAL), null));

    assertSuccess(response);
    assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(arn);
    assertThatThrownBy(() -> acm.describeCertificate(b -> b.certificateArn(arn)))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void deleteOfAMissingCertificateSucceeds() {
    String arn = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000000";

    assertSuccess(send(event("Delete", arn, inline(MATERIAL), null)));
  }

  // A Create that timed out after ACM imported: the Delete of its failed-Create id removes what it imported.

  /** An ACM client whose ImportCertificate answers only after the handler's deadline (moto answers at once). */
  private static AcmClient acmAnsweringImportsLate() {
    return AcmClient.builder().httpClient(Apache5HttpClient.builder().build())
        .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
          @Override
          public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if ("ImportCertificate".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
              try {
                Thread.sleep(30_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the runtime gave up on the work: let it end
              }
            }
          }
        })).build();
  }

  private List<String> certificateArns() {
    return acm.listCertificates(b -> b.includes(f -> f.keyTypes(KeyAlgorithm.knownValues())))
        .certificateSummaryList().stream().map(c -> c.certificateArn()).toList();
  }

  @Test
  void theDeleteOfACreateThatTimedOutAfterTheImportRemovesWhatItImportedAndNothingElse() {
    String otherStacks = send(event("Create", null, inline(MATERIAL), null)).get("PhysicalResourceId").asText();
    String untagged = acm.importCertificate(b -> b.certificate(SdkBytes.fromUtf8String(MATERIAL.certificatePem()))
        .privateKey(SdkBytes.fromUtf8String(MATERIAL.keyPem()))).certificateArn();
    ObjectNode create = event("Create", null, inline(MATERIAL), null);
    JsonNode failed;
    try (AcmClient lateAcm = acmAnsweringImportsLate()) {
      failed = cloudFormation.send(new ImportedCertificateHandler(lateAcm, s3, secrets, new HttpResponseSender(),
          Clock.systemUTC()), create, CustomResourceHandler.MIN_TIMEOUT);
    }
    assertThat(failed.get("Reason").asText()).startsWith("Timed out: the Create did not finish");
    String failedId = failed.get("PhysicalResourceId").asText();
    assertThat(failedId).isEqualTo(CustomResourceHandler.CREATE_FAILED_ID_PREFIX + create.get("RequestId").asText());
    assertThat(certificateArns()).as("ACM imported it all the same").hasSize(3);

    JsonNode deleted;
    String log;
    try (CapturedStdout stdout = CapturedStdout.start()) {
      deleted = send(event("Delete", failedId, inline(MATERIAL), null));
      log = stdout.text();
    }

    assertSuccess(deleted);
    assertThat(deleted.get("PhysicalResourceId").asText()).isEqualTo(failedId);
    assertThat(certificateArns()).containsExactlyInAnyOrder(otherStacks, untagged);
    assertThat(log).contains("\"event\":\"imported-certificate.cleaned-up\"")
        .contains("\"createRequestId\":\"" + create.get("RequestId").asText() + "\"");
  }

  @Test
  void theDeleteOfAFailedCreatesIdWithNothingImportedSucceeds() {
    String kept = send(event("Create", null, inline(MATERIAL), null)).get("PhysicalResourceId").asText();

    JsonNode deleted = send(event("Delete", CustomResourceHandler.CREATE_FAILED_ID_PREFIX
        + "0f7d9a3e-8c41-4b9e-9d2a-6e5f4c3b2a10", inline(MATERIAL), null));

    assertSuccess(deleted);
    assertThat(certificateArns()).containsExactly(kept);
  }

  @Test
  void noLogLineHoldsAnyLineOfTheKey() {
    List<String> keyLines = MATERIAL.keyPem().lines().filter(line -> !line.startsWith("-----")).toList();
    List<JsonNode> responses = new ArrayList<>();
    String log;
    try (CapturedStdout stdout = CapturedStdout.start()) {
      JsonNode created = send(event("Create", null, inline(MATERIAL), null));
      responses.add(created);
      String arn = created.get("PhysicalResourceId").asText();
      responses.add(send(event("Update", arn, inline(MATERIAL.renewed(PKI)), inline(MATERIAL))));
      Map<String, Object> wrongDomain = inline(MATERIAL);
      wrongDomain.put("DomainName", "other.example.org");
      responses.add(send(event("Create", null, wrongDomain, null)));
      Map<String, Object> mismatch = inline(MATERIAL.rekeyed(PKI));
      responses.add(send(event("Update", arn, mismatch, inline(MATERIAL))));
      responses.add(send(event("Delete", arn, inline(MATERIAL), null)));
      log = stdout.text();
    }
    assertThat(responses).extracting(r -> r.get("Status").asText())
        .containsExactly("SUCCESS", "SUCCESS", "FAILED", "FAILED", "SUCCESS");
    assertThat(responses.get(3).get("Reason").asText()).contains("KEY_MISMATCH");
    assertThat(log.lines().count()).as("log lines").isGreaterThanOrEqualTo(5);
    for (String line : log.lines().toList()) {
      for (String keyLine : keyLines) {
        assertThat(line).as("a log line").doesNotContain(keyLine);
      }
    }
    for (JsonNode response : responses) {
      for (String keyLine : keyLines) {
        assertThat(response.toString()).doesNotContain(keyLine);
      }
    }
  }

  // ACM behaviour moto does not model, served by a local endpoint answering ACM's JSON protocol.

  /** An ACM error as the JSON 1.1 protocol sends it: the type in {@code __type} and in x-amzn-ErrorType. */
  private static LocalAwsEndpoint.Reply acmError(String type, String message) {
    return new LocalAwsEndpoint.Reply(400, type, "{\"__type\":\"" + type + "\",\"message\":\"" + message
        + "\"}");
  }

  private static LocalAwsEndpoint.Reply acmOk(String json) {
    return LocalAwsEndpoint.Reply.ok(200, json);
  }

  /** The handler with an ACM client at {@code endpoint}; SDK retries off, so the handler's own are tested. */
  private ImportedCertificateHandler handlerWithAcmAt(LocalAwsEndpoint endpoint) {
    return new ImportedCertificateHandler(endpoint.client(AcmClient.builder()), s3, secrets, new HttpResponseSender(), Clock.systemUTC());
  }

  private static List<String> targets(LocalAwsEndpoint endpoint) {
    return endpoint.requests().stream().map(r -> r.header("X-Amz-Target")).toList();
  }

  @Test
  void aRefusedReimportImportsANewCertificateWithTheTags() {
    String old = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-1111-4111-8111-111111111111";
    String replacement = "arn:aws:acm:us-east-1:123456789012:certificate/22222222-2222-4222-8222-222222222222";
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start()) {
      endpoint.script(acmError("ValidationException", "The certificate you are trying to import has key usages"
          + " that are not present in the certificate being replaced"), acmOk("{\"CertificateSummaryList\":[]}"),
          acmOk("{\"CertificateArn\":\"" + replacement + "\"}"));
      ObjectNode update = event("Update", old, inline(MATERIAL.renewed(PKI)), inline(MATERIAL));

      JsonNode response = cloudFormation.send(handlerWithAcmAt(endpoint), update);

      assertSuccess(response);
      assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(replacement);
      assertThat(targets(endpoint)).containsExactly("CertificateManager.ImportCertificate",
          "CertificateManager.ListCertificates", "CertificateManager.ImportCertificate");
      assertThat(endpoint.requests().get(0).body()).contains("\"CertificateArn\":\"" + old + "\"")
          .doesNotContain("Tags");
      assertThat(endpoint.requests().get(1).body()).contains("\"CertificateStatuses\":[\"ISSUED\"]")
          .contains("\"keyTypes\":[\"RSA_2048\"]").contains("\"SortBy\":\"CREATED_AT\"")
          .contains("\"SortOrder\":\"DESCENDING\"");
      assertThat(endpoint.requests().get(2).body()).doesNotContain("CertificateArn")
          .contains("\"Tags\":[{\"Key\":\"Project\",\"Value\":\"demo\"},{\"Key\":\"Owner\",\"Value\":\"ops\"},"
              + "{\"Key\":\"mtls-gateway:request-id\",\"Value\":\"" + update.get("RequestId").asText() + "\"},"
              + "{\"Key\":\"mtls-gateway:stack-id\",\"Value\":\"" + update.get("StackId").asText() + "\"}]");
    }
  }

  /** The role may re-import and delete only certificates tagged with the stack's id (template.yaml). */
  @Test
  void aReimportOrDeleteTheRoleRefusesNamesTheMissingStackTagAndImportsNothing() {
    String old = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-1111-4111-8111-111111111111";
    String denied = "User: arn:aws:sts::123456789012:assumed-role/mtls-CertificateFunctionRole/f is not authorized"
        + " to perform: acm:ImportCertificate on resource: " + old;
    ObjectNode update = event("Update", old, inline(MATERIAL.renewed(PKI)), inline(MATERIAL));
    String fix = "; the function's role may re-import and delete only certificates tagged mtls-gateway:stack-id="
        + "<this stack's id>, which the stack sets when it imports one; if this certificate lacks it (imported by an"
        + " earlier version), add it and retry: aws acm add-tags-to-certificate --certificate-arn " + old
        + " --tags Key=mtls-gateway:stack-id,Value=" + update.get("StackId").asText();
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start()) {
      endpoint.script(acmError("AccessDeniedException", denied), acmError("AccessDeniedException", denied));

      JsonNode updated = cloudFormation.send(handlerWithAcmAt(endpoint), update);
      JsonNode deleted = cloudFormation.send(handlerWithAcmAt(endpoint), event("Delete", old, inline(MATERIAL),
          null));

      assertThat(updated.get("Status").asText()).isEqualTo("FAILED");
      assertThat(updated.get("Reason").asText()).startsWith("ACM ImportCertificate (re-import to " + old
          + "): AccessDeniedException (400)").endsWith(fix);
      assertThat(deleted.get("Status").asText()).isEqualTo("FAILED");
      assertThat(deleted.get("Reason").asText()).startsWith("ACM DeleteCertificate " + old
          + ": AccessDeniedException (400)").endsWith(fix);
      assertThat(targets(endpoint)).as("no new import in place of the refused one").containsExactly(
          "CertificateManager.ImportCertificate", "CertificateManager.DeleteCertificate");
    }
  }

  @Test
  void aRetriedRefusedReimportReusesTheCertificateTheFirstAttemptImported() {
    String old = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-1111-4111-8111-111111111111";
    String other = "arn:aws:acm:us-east-1:123456789012:certificate/33333333-3333-4333-8333-333333333333";
    String replacement = "arn:aws:acm:us-east-1:123456789012:certificate/22222222-2222-4222-8222-222222222222";
    Material renewed = MATERIAL.renewed(PKI);
    long notAfter = renewed.server().certificate().getNotAfter().toInstant().getEpochSecond();
    ObjectNode update = event("Update", old, inline(renewed), inline(MATERIAL));
    String requestId = update.get("RequestId").asText();
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start()) {
      // A certificate for the same name from another request, one for another name, then the first attempt's.
      endpoint.script(acmError("ValidationException", "The certificate you are trying to import has key usages"
          + " that are not present in the certificate being replaced"),
          acmOk("{\"CertificateSummaryList\":["
              + "{\"CertificateArn\":\"" + other + "\",\"DomainName\":\"api.example.com\",\"NotAfter\":" + notAfter
              + "},{\"CertificateArn\":\"arn:aws:acm:us-east-1:123456789012:certificate/44444444-4444-4444-8444-"
              + "444444444444\",\"DomainName\":\"other.example.org\",\"NotAfter\":" + notAfter + "}],"
              + "\"NextToken\":\"page2\"}"),
          acmOk("{\"Tags\":[{\"Key\":\"mtls-gateway:request-id\",\"Value\":\"another-request\"}]}"),
          acmOk("{\"CertificateSummaryList\":[{\"CertificateArn\":\"" + replacement
              + "\",\"DomainName\":\"api.example.com\",\"NotAfter\":" + notAfter + "}]}"),
          acmOk("{\"Tags\":[{\"Key\":\"Project\",\"Value\":\"demo\"},{\"Key\":\"mtls-gateway:request-id\","
              + "\"Value\":\"" + requestId + "\"}]}"));

      JsonNode response = cloudFormation.send(handlerWithAcmAt(endpoint), update);

      assertSuccess(response);
      assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(replacement);
      assertThat(targets(endpoint)).as("no second import").containsExactly("CertificateManager.ImportCertificate",
          "CertificateManager.ListCertificates", "CertificateManager.ListTagsForCertificate",
          "CertificateManager.ListCertificates", "CertificateManager.ListTagsForCertificate");
      assertThat(endpoint.requests().get(2).body()).contains(other);
      assertThat(endpoint.requests().get(3).body()).contains("\"NextToken\":\"page2\"");
      assertThat(endpoint.requests().get(4).body()).contains(replacement);
    }
  }

  @Test
  void aReimportWithoutAnAnswerFailsWithAReasonAndNoStackTrace() {
    String old = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-1111-4111-8111-111111111111";
    String log;
    JsonNode response;
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start()) {
      endpoint.script(acmOk("{\"CertificateArn\": not json"));
      try (CapturedStdout stdout = CapturedStdout.start()) {
        response = cloudFormation.send(handlerWithAcmAt(endpoint), event("Update", old, inline(MATERIAL.renewed(PKI)),
            inline(MATERIAL)));
        log = stdout.text();
      }
      assertThat(targets(endpoint)).containsExactly("CertificateManager.ImportCertificate");
    }

    assertThat(response.get("Status").asText()).isEqualTo("FAILED");
    assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(old);
    assertThat(response.get("Reason").asText()).startsWith("ACM ImportCertificate (re-import to " + old + "): ")
        .doesNotStartWith("SdkClientException");
    assertThat(log).doesNotContain("stackTrace");
  }

  @Test
  void aMalformedGetSecretValueAnswerIsNotQuotedInTheReasonOrLog() {
    String marker = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC";
    String log;
    JsonNode response;
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start();
        SecretsManagerClient brokenSecrets = endpoint.client(SecretsManagerClient.builder())) {
      endpoint.script(LocalAwsEndpoint.Reply.ok(200, "{\"ARN\":\"" + ServerCertificates.SECRET_ARN
          + "\",\"SecretString\":" + marker + "\n-----END PRIVATE KEY-----\n\"}"));
      ImportedCertificateHandler handler = new ImportedCertificateHandler(acm, s3, brokenSecrets,
          new HttpResponseSender(), Clock.systemUTC());
      try (CapturedStdout stdout = CapturedStdout.start()) {
        response = cloudFormation.send(handler, event("Create", null, inline(MATERIAL), null));
        log = stdout.text();
      }
      assertThat(endpoint.requests()).singleElement()
          .satisfies(r -> assertThat(r.header("X-Amz-Target")).isEqualTo("secretsmanager.GetSecretValue"));
    }

    assertThat(response.get("Status").asText()).isEqualTo("FAILED");
    assertThat(response.get("Reason").asText())
        .startsWith("PrivateKeySecretArn " + ServerCertificates.SECRET_ARN + ": Secrets Manager GetSecretValue: ")
        .contains("SdkClientException").doesNotContain(marker);
    assertThat(log).doesNotContain(marker);
    assertThat(acm.listCertificates().certificateSummaryList()).isEmpty();
  }

  @Test
  void theDeleteOfAFailedCreatesIdLeavesACertificateInUseAndSaysSo() {
    String arn = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-1111-4111-8111-111111111111";
    String domain = "arn:aws:apigateway:us-east-1::/domainnames/api.example.com";
    String createRequestId = "0f7d9a3e-8c41-4b9e-9d2a-6e5f4c3b2a10";
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start()) {
      endpoint.script(acmOk("{\"CertificateSummaryList\":[{\"CertificateArn\":\"" + arn + "\",\"Type\":\"IMPORTED\"}]}"),
          acmOk("{\"Tags\":[{\"Key\":\"mtls-gateway:request-id\",\"Value\":\"" + createRequestId + "\"}]}"),
          acmOk("{\"Certificate\":{\"CertificateArn\":\"" + arn + "\",\"InUseBy\":[\"" + domain + "\"]}}"));
      JsonNode response;
      String log;
      try (CapturedStdout stdout = CapturedStdout.start()) {
        response = cloudFormation.send(handlerWithAcmAt(endpoint), event("Delete",
            CustomResourceHandler.CREATE_FAILED_ID_PREFIX + createRequestId, inline(MATERIAL), null));
        log = stdout.text();
      }

      assertSuccess(response);
      assertThat(targets(endpoint)).containsExactly("CertificateManager.ListCertificates",
          "CertificateManager.ListTagsForCertificate", "CertificateManager.DescribeCertificate");
      assertThat(log).contains("\"event\":\"imported-certificate.cleanup-incomplete\"")
          .contains("\"left\":[\"" + arn + " (in use by " + domain + ")\"]");
    }
  }

  @Test
  void deleteRetriesWhileTheCertificateIsInUse() {
    String arn = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-1111-4111-8111-111111111111";
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start()) {
      endpoint.script(acmError("ResourceInUseException", "Certificate " + arn + " in use."),
          acmError("ResourceInUseException", "Certificate " + arn + " in use."), acmOk("{}"));

      JsonNode response = cloudFormation.send(handlerWithAcmAt(endpoint), event("Delete", arn, inline(MATERIAL),
          null));

      assertSuccess(response);
      assertThat(targets(endpoint)).containsOnly("CertificateManager.DeleteCertificate").hasSize(3);
      List<LocalAwsEndpoint.Request> requests = endpoint.requests();
      assertThat(Duration.between(requests.get(0).receivedAt(), requests.get(2).receivedAt()))
          .as("backoff 1 s then 2 s").isGreaterThanOrEqualTo(Duration.ofMillis(2900));
    }
  }

  @Test
  void deleteOfACertificateStillInUseFailsBeforeTheDeadlineNamingWhatHoldsIt() {
    String arn = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-1111-4111-8111-111111111111";
    String domain = "arn:aws:apigateway:us-east-1::/domainnames/api.example.com";
    LocalAwsEndpoint.Reply inUse = acmError("ResourceInUseException", "Certificate " + arn + " in use.");
    try (LocalAwsEndpoint endpoint = LocalAwsEndpoint.start()) {
      endpoint.script(inUse, inUse, inUse, acmOk("{\"Certificate\":{\"CertificateArn\":\"" + arn
          + "\",\"InUseBy\":[\"" + domain + "\"]}}"));
      Instant start = Instant.now();

      // 12 s left: the work must end 5 s before, so 7 s for attempts after 0, 1 and 3 s, then DescribeCertificate.
      JsonNode response = cloudFormation.send(handlerWithAcmAt(endpoint), event("Delete", arn, inline(MATERIAL),
          null), Duration.ofSeconds(12));

      assertThat(response.get("Status").asText()).isEqualTo("FAILED");
      assertThat(response.get("PhysicalResourceId").asText()).isEqualTo(arn);
      assertThat(response.get("Reason").asText()).startsWith("ACM DeleteCertificate " + arn
          + ": the certificate is still in use by " + domain + " after 3 attempts;");
      assertThat(targets(endpoint)).containsExactly("CertificateManager.DeleteCertificate",
          "CertificateManager.DeleteCertificate", "CertificateManager.DeleteCertificate",
          "CertificateManager.DescribeCertificate");
      assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(7));
    }
  }
}
