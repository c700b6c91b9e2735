package com.mtlsgateway.truststore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mtlsgateway.aws.Metrics;
import com.mtlsgateway.cli.EmulatorCloudWatch;
import com.mtlsgateway.customresource.LocalContext;
import com.mtlsgateway.testing.CapturedStdout;
import com.mtlsgateway.testing.MotoServer;
import com.mtlsgateway.testing.PublishedMetrics;
import com.mtlsgateway.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The daily truststore expiry check through its Lambda entry point, on the scheduled event of events/, against moto's
 * S3 and CloudWatch: the metric it publishes is read back from CloudWatch as the stack's alarm reads it.
 */
@ExtendWith(MotoServer.class)
class TruststoreExpiryMotoTest {

  private static final String BUCKET = "mtls-test-truststore";
  private static final String STACK = "mtls-expiry-test";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MotoServer.Running moto;
  private S3Client s3;
  private CloudWatchClient cloudWatch;

  TruststoreExpiryMotoTest(MotoServer.Running moto) {
    this.moto = moto;
  }

  @BeforeEach
  void setUp() {
    s3 = moto.resetWithVersionedBuckets(BUCKET);
    cloudWatch = EmulatorCloudWatch.client();
  }

  @AfterEach
  void close() {
    s3.close();
    cloudWatch.close();
  }

  static byte[] scheduledEvent() throws IOException {
    return Files.readAllBytes(Path.of(System.getProperty("project.root"), "events",
        "expiry-check-scheduled.json"));
  }

  private String stage(String bundle) {
    String version = s3.putObject(b -> b.bucket(BUCKET).key("truststore.pem"),
        RequestBody.fromString(bundle, StandardCharsets.UTF_8)).versionId();
    return "s3://" + BUCKET + "/truststore.pem?versionId=" + version;
  }

  private JsonNode check(String truststoreUri) throws IOException {
    TruststoreExpiryHandler handler = new TruststoreExpiryHandler(s3, cloudWatch, Clock.systemUTC(),
        Map.of("TRUSTSTORE_URI", truststoreUri, Metrics.STACK_NAME, STACK));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(scheduledEvent()), out,
        LocalContext.withTimeLeft("truststore-expiry", Duration.ofSeconds(60), System.err));
    return JSON.readTree(out.toByteArray());
  }

  @Test
  void theScheduledEventPublishesTheDaysLeftToTheEarliestExpiryForTheStack() throws IOException {
    Instant now = Instant.now();
    TestPki pki = TestPki.at(now);
    TestPki.Issued root = pki.certificate("CN=Expiry Root CA").validity(now.minus(Duration.ofDays(10)),
        now.plus(Duration.ofDays(3650))).selfSigned();
    TestPki.Issued issuing = pki.certificate("CN=Expiry Issuing CA").validity(now.minus(Duration.ofDays(10)),
        now.plus(Duration.ofDays(20))).issuedBy(root);

    JsonNode result = check(stage(TestPki.bundle(issuing, root)));

    assertThat(result.get("event").asText()).isEqualTo("truststore.expiry.checked");
    assertThat(result.get("earliestSubject").asText()).isEqualTo("CN=Expiry Issuing CA");
    assertThat(result.get("daysLeft").asDouble()).isCloseTo(20, within(0.01));
    assertThat(PublishedMetrics.of(cloudWatch, TruststoreExpiryHandler.METRIC, STACK)).singleElement().satisfies(point -> {
      assertThat(point.sampleCount()).isEqualTo(1.0);
      assertThat(point.minimum()).isCloseTo(20, within(0.01));
    });
    assertThat(PublishedMetrics.of(cloudWatch, TruststoreExpiryHandler.METRIC, "another-stack")).isEmpty();
  }

  @Test
  void anExpiredCaPublishesANegativeValue() throws IOException {
    Instant now = Instant.now();
    TestPki.Issued expired = TestPki.at(now.minus(Duration.ofDays(400))).certificate("CN=Expired CA").validity(
        now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(2))).selfSigned();

    check(stage(TestPki.bundle(expired)));

    assertThat(PublishedMetrics.of(cloudWatch, TruststoreExpiryHandler.METRIC, STACK)).singleElement()
        .satisfies(point -> assertThat(point.minimum()).isCloseTo(-2, within(0.01)));
  }

  @Test
  void anUnreadableTruststoreFailsNamingTheObjectAndTheFixAndPublishesNothing() throws IOException {
    String missing = "s3://" + BUCKET + "/truststore.pem?versionId=no-such-version";
    String empty = stage("");

    try (CapturedStdout stdout = CapturedStdout.start()) {
      assertThatThrownBy(() -> check(missing)).isInstanceOf(TruststoreExpiryHandler.CheckFailedException.class)
          .hasMessageStartingWith("TRUSTSTORE_URI " + missing + ": S3 GetObject")
          .hasMessageContaining("update the stack so that Custom::Truststore stages it again");
      assertThatThrownBy(() -> check(empty)).isInstanceOf(TruststoreExpiryHandler.CheckFailedException.class)
          .hasMessageStartingWith("TRUSTSTORE_URI " + empty + " does not read as a PEM bundle of certificates (it is"
              + " empty)")
          .hasMessageContaining("update the stack so that Custom::Truststore stages it again");
      assertThat(stdout.lines()).hasSize(2).allSatisfy(line -> assertThat(line)
          .contains("\"event\":\"truststore.expiry.failed\"").contains("\"reason\":\"TRUSTSTORE_URI s3://"));
    }
    assertThat(PublishedMetrics.of(cloudWatch, TruststoreExpiryHandler.METRIC, STACK)).isEmpty();
  }
}
