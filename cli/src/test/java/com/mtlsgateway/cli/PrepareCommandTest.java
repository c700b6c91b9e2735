package com.mtlsgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mtlsgateway.json.JsonCodec;
import com.mtlsgateway.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code invoke --prepare} without an emulator: what it refuses, and the events it derives (against moto:
 * PrepareEveryEventFileTest in integration-tests).
 */
class PrepareCommandTest extends CommandTestSupport {

  private static final Path EVENTS = Path.of(System.getProperty("project.root", ".."), "events");

  private int prepare(Map<String, String> environment, Path event) {
    return new PrepareCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), environment, Map.of()).run(event,
        Duration.ofSeconds(5));
  }

  @Test
  void withoutALocalEndpointNothingIsPreparedOrRun() {
    Path event = EVENTS.resolve("imported-certificate-update.json");
    assertThat(prepare(Map.of(), event)).isEqualTo(Main.USAGE_OR_IO);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("mtls: invoke --prepare refused: AWS_ENDPOINT_URL is not set").doesNotContain("--prepare: put");
    assertThat(stdout()).isEmpty();
    err.reset();
    assertThat(prepare(Map.of("AWS_ENDPOINT_URL", "https://acm.us-east-1.amazonaws.com"), event))
        .isEqualTo(Main.USAGE_OR_IO);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("mtls: invoke --prepare refused:"
        + " AWS_ENDPOINT_URL=https://acm.us-east-1.amazonaws.com is not on this machine");
  }

  @Test
  void onceTheEndpointIsCheckedNoProfileSettingCanSendTheCallsToAws() {
    System.clearProperty("aws.ignoreConfiguredEndpointUrls");
    try {
      // A missing event file: the command stops after the check, before any AWS call.
      assertThat(prepare(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"), EVENTS.resolve("no-such-event.json")))
          .isEqualTo(Main.USAGE_OR_IO);
      // The system property comes before the profile's ignore_configured_endpoint_urls in the SDK's order.
      assertThat(System.getProperty("aws.ignoreConfiguredEndpointUrls")).isEqualTo("false");
    } finally {
      System.clearProperty("aws.ignoreConfiguredEndpointUrls");
    }
  }

  @Test
  void theCreateBeforeAnUpdateHasItsOldPropertiesAndNoId() throws Exception {
    JsonObject update = event("imported-certificate-update.json");
    JsonObject create = EventPreparation.priorCreate(update);
    assertThat(create.string("RequestType")).isEqualTo("Create");
    assertThat(create.has("PhysicalResourceId")).isFalse();
    assertThat(create.has("OldResourceProperties")).isFalse();
    assertThat(create.object("ResourceProperties")).isEqualTo(update.object("OldResourceProperties"));
    assertThat(create.object("ResourceProperties").string("CertificateUri"))
        .isEqualTo("s3://mtls-gateway-demo-certificates/server.pem");
    assertThat(create.string("RequestId")).isNotEqualTo(update.string("RequestId"))
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    for (String same : new String[] {"ResourceType", "LogicalResourceId", "StackId", "ServiceToken", "ResponseURL"}) {
      assertThat(create.get(same)).as(same).isEqualTo(update.get(same));
    }
  }

  @Test
  void theCreateBeforeADeleteHasTheDeletesProperties() throws Exception {
    JsonObject delete = event("truststore-delete.json");
    JsonObject create = EventPreparation.priorCreate(delete);
    assertThat(create.string("RequestType")).isEqualTo("Create");
    assertThat(create.has("PhysicalResourceId")).isFalse();
    assertThat(create.object("ResourceProperties")).isEqualTo(delete.object("ResourceProperties"));
  }

  @Test
  void aSecretIsNamedByItsArnWithoutTheRandomSuffix() {
    assertThat(EventPreparation.secretName(
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:mtls-gateway-demo/server-key-AbCdEf"))
        .isEqualTo("mtls-gateway-demo/server-key");
    assertThat(EventPreparation.secretName("arn:aws:secretsmanager:us-east-1:123456789012:secret:my-key"))
        .as("a partial ARN: no suffix").isEqualTo("my-key");
    assertThat(EventPreparation.secretName("plain-name")).isEqualTo("plain-name");
  }

  @Test
  void aStagedVersionNeedsBothItsLocationAndItsVersion() throws Exception {
    JsonObject data = (JsonObject) JsonCodec.parse(("{\"TruststoreUri\":\"s3://b/truststore.pem\","
        + "\"TruststoreVersion\":\"v1\"}").getBytes(StandardCharsets.UTF_8));
    assertThat(PrepareCommand.versioned(data, "TruststoreUri", "TruststoreVersion"))
        .contains("s3://b/truststore.pem?versionId=v1");

    for (String partial : new String[] {"{\"TruststoreUri\":\"s3://b/truststore.pem\"}",
        "{\"TruststoreVersion\":\"v1\"}", "{\"TruststoreUri\":\" \",\"TruststoreVersion\":\"v1\"}", "{}"}) {
      JsonObject missing = (JsonObject) JsonCodec.parse(partial.getBytes(StandardCharsets.UTF_8));
      assertThat(PrepareCommand.versioned(missing, "TruststoreUri", "TruststoreVersion")).as(partial).isEmpty();
    }
    assertThat(PrepareCommand.versioned(null, "TruststoreUri", "TruststoreVersion")).isEmpty();
  }

  @Test
  void everyDemoFileIsInEvents() {
    EventPreparation.DEMO_FILES.values().forEach(file -> assertThat(EVENTS.resolve(file)).isRegularFile());
    EventPreparation.DEMO_FILES.values().forEach(file -> assertThat(contents(EVENTS.resolve(file)))
        .as(file).doesNotContain("PRIVATE KEY"));
  }

  private static String contents(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonObject event(String name) throws Exception {
    return (JsonObject) JsonCodec.parse(Files.readAllBytes(EVENTS.resolve(name)));
  }
}
