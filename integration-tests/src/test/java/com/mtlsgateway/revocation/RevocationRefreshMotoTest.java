package com.mtlsgateway.revocation;

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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * The scheduled refresh against a real S3 API (moto server) and a local CRL distribution point, through its Lambda
 * entry point with the environment the template sets.
 */
@ExtendWith(MotoServer.class)
class RevocationRefreshMotoTest {

  private static final String BUCKET = "mtls-test-truststore";
  private static final String CRLS = "mtls-test-crls";
  private static final String SCHEDULED_EVENT = """
      {"version": "0", "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa", "detail-type": "Scheduled Event",
       "source": "aws.events", "account": "123456789012", "time": "2030-01-01T00:00:00Z", "region": "us-east-1",
       "resources": ["arn:aws:events:us-east-1:123456789012:rule/refresh"], "detail": {}}""";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Instant NOW = Instant.now();
  private static final TestPki PKI = TestPki.at(NOW);
  private static final TestPki.Issued ALPHA = PKI.certificate("CN=Alpha Clients CA").selfSigned();
  private static final TestPki.Issued BETA = PKI.certificate("CN=Beta Clients CA").selfSigned();

  private static final String STACK = "mtls-refresh-test";

  private static CrlServer http;
  private static S3Client handlerS3;
  private static CloudWatchClient cloudWatch;

  private final MotoServer.Running moto;
  private S3Client s3;
  private RevocationRefreshHandler handler;
  private Map<String, String> environment;

  RevocationRefreshMotoTest(MotoServer.Running moto) {
    this.moto = moto;
  }

  @BeforeAll
  static void start(MotoServer.Running moto) {
    http = CrlServer.start();
    handlerS3 = moto.s3();
    cloudWatch = EmulatorCloudWatch.client();
  }

  @AfterAll
  static void stop() {
    http.close();
    handlerS3.close();
    cloudWatch.close();
  }

  @BeforeEach
  void setUp() {
    s3 = moto.resetWithVersionedBuckets(BUCKET, CRLS);
    String truststoreVersion = s3.putObject(b -> b.bucket(BUCKET).key("truststore.pem"),
        RequestBody.fromString(TestPki.bundle(ALPHA, BETA), StandardCharsets.UTF_8)).versionId();
    http.serve("/alpha.crl", RevocationPki.crl(ALPHA, NOW).revoke(11, 12).der());
    s3.putObject(b -> b.bucket(CRLS).key("beta.crl"), RequestBody.fromBytes(RevocationPki.crl(BETA, NOW).revoke(21)
        .der()));
    environment = new HashMap<>();
    environment.put("TRUSTSTORE_URI", "s3://" + BUCKET + "/truststore.pem?versionId=" + truststoreVersion);
    environment.put("REVOCATION_LIST_URIS", http.url("/alpha.crl") + ",s3://" + CRLS + "/beta.crl");
    environment.put("REVOCATION_INDEX_URI", "s3://" + BUCKET + "/revocation/index.bin");
    environment.put(Metrics.STACK_NAME, STACK);
    handler = handler(environment);
  }

  @AfterEach
  void close() {
    s3.close();
  }

  private JsonNode refresh() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      handler.handleRequest(new ByteArrayInputStream(SCHEDULED_EVENT.getBytes(StandardCharsets.UTF_8)), out,
          LocalContext.withTimeLeft("refresh", Duration.ofSeconds(60), System.err));
      return JSON.readTree(out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RevocationRefreshHandler handler(Map<String, String> environment) {
    return new RevocationRefreshHandler(handlerS3, CrlFetcher.defaultHttpClient(), cloudWatch, Clock.systemUTC(),
        environment);
  }

  private static List<Datapoint> published() {
    return PublishedMetrics.of(cloudWatch, RevocationRefreshHandler.METRIC, STACK);
  }

  private List<ObjectVersion> indexVersions() {
    return s3.listObjectVersions(b -> b.bucket(BUCKET).prefix("revocation/index.bin")).versions();
  }

  private String currentVersion() {
    return s3.headObject(b -> b.bucket(BUCKET).key("revocation/index.bin")).versionId();
  }

  @Test
  void theFirstRefreshStagesTheIndexAndAnUnchangedOneReusesIt() {
    JsonNode first = refresh();
    JsonNode second = refresh();

    assertThat(first.properties()).extracting(Map.Entry::getKey).contains("event", "indexUri", "indexVersion",
        "reused", "revokedCount", "earliestNextUpdate", "summary", "findings");
    assertThat(first.get("event").asText()).isEqualTo("revocation.refreshed");
    assertThat(first.get("indexUri").asText()).isEqualTo("s3://" + BUCKET + "/revocation/index.bin");
    assertThat(first.get("reused").asBoolean()).isFalse();
    assertThat(first.get("revokedCount").asLong()).isEqualTo(3);
    assertThat(first.get("earliestNextUpdate").asText())
        .isEqualTo(NOW.plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS).toString());
    assertThat(first.get("summary").asText()).isEqualTo("no findings");
    assertThat(first.get("findings")).isEmpty();
    assertThat(second.get("reused").asBoolean()).isTrue();
    assertThat(second.get("indexVersion").asText()).isEqualTo(first.get("indexVersion").asText());
    assertThat(indexVersions()).singleElement()
        .satisfies(v -> assertThat(v.versionId()).isEqualTo(first.get("indexVersion").asText()));
  }

  @Test
  void aCrlThatRevokesOneMoreSerialStagesANewVersion() {
    JsonNode before = refresh();
    http.serve("/alpha.crl", RevocationPki.crl(ALPHA, NOW).number(2).revoke(11, 12, 13).der());

    JsonNode after = refresh();

    assertThat(after.get("reused").asBoolean()).isFalse();
    assertThat(after.get("indexVersion").asText()).isNotEqualTo(before.get("indexVersion").asText());
    assertThat(after.get("revokedCount").asLong()).isEqualTo(4);
    assertThat(currentVersion()).isEqualTo(after.get("indexVersion").asText());
    assertThat(indexVersions()).hasSize(2);
  }

  @Test
  void aCrlSourceAnswering500FailsTheRefreshAndTheLastGoodIndexStays() {
    String good = refresh().get("indexVersion").asText();
    http.status("/alpha.crl", 500);
    String log;

    try (CapturedStdout stdout = CapturedStdout.start()) {
      assertThatThrownBy(this::refresh).isInstanceOf(RevocationRefreshHandler.RefreshFailedException.class)
          .hasMessageStartingWith("The CRLs in RevocationListUris cannot be used (1 ERROR: CRL_UNREADABLE x1")
          .hasMessageContaining("CRL_UNREADABLE " + http.url("/alpha.crl") + ": could not be fetched: answered "
              + "HTTP 500 (expected 200)");
      log = stdout.text();
    }

    assertThat(currentVersion()).isEqualTo(good);
    assertThat(indexVersions()).hasSize(1);
    assertThat(log).contains("\"event\":\"revocation.refresh.failed\"",
        "\"kept\":\"the last good index stays in place\"");
  }

  @Test
  void anExpiredCrlFailsTheRefreshAndTheLastGoodIndexStays() {
    String good = refresh().get("indexVersion").asText();
    s3.putObject(b -> b.bucket(CRLS).key("beta.crl"), RequestBody.fromBytes(RevocationPki.crl(BETA, NOW)
        .validity(NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofMinutes(1))).revoke(21, 22).der()));

    assertThatThrownBy(this::refresh).isInstanceOf(RevocationRefreshHandler.RefreshFailedException.class)
        .hasMessageContaining("CRL_EXPIRED s3://" + CRLS + "/beta.crl: expired: its nextUpdate ");

    assertThat(currentVersion()).isEqualTo(good);
    assertThat(indexVersions()).hasSize(1);
  }

  @Test
  void theAuthorizerDecidesOnTheRefreshedIndex() {
    refresh();
    TestPki.Issued client = RevocationPki.client(ALPHA, "CN=client.example.com", 13, NOW);
    MutableClock clock = new MutableClock(Instant.now());
    RevocationAuthorizer authorizer = new RevocationAuthorizer(handlerS3,
        Map.of("REVOCATION_INDEX_URI", "s3://" + BUCKET + "/revocation/index.bin"), clock);
    RevocationCheck before = authorizer.decide(AuthorizerEvents.withClient(client)).check();
    http.serve("/alpha.crl", RevocationPki.crl(ALPHA, NOW).number(2).revoke(11, 12, 13).der());

    refresh();
    clock.advance(Duration.ofSeconds(60));

    assertThat(before).isEqualTo(RevocationCheck.NOT_REVOKED);
    assertThat(authorizer.decide(AuthorizerEvents.withClient(client)).check()).isEqualTo(RevocationCheck.REVOKED);
  }

  @Test
  void eachRefreshPublishesTheHoursLeftToTheEarliestNextUpdateForTheStack() {
    s3.putObject(b -> b.bucket(CRLS).key("beta.crl"), RequestBody.fromBytes(RevocationPki.crl(BETA, NOW)
        .validity(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(6))).revoke(21).der()));

    JsonNode result = refresh();
    double expected = Metrics.hoursBetween(Instant.now(), NOW.plus(Duration.ofHours(6)));

    assertThat(result.get("hoursToEarliestNextUpdate").asDouble()).isCloseTo(expected, within(0.02));
    assertThat(published()).singleElement().satisfies(point -> {
      assertThat(point.sampleCount()).isEqualTo(1.0);
      assertThat(point.minimum()).isCloseTo(expected, within(0.01));
    });
  }

  @Test
  void aFailedRefreshPublishesTheHoursLeftOfTheIndexItKept() {
    s3.putObject(b -> b.bucket(CRLS).key("beta.crl"), RequestBody.fromBytes(RevocationPki.crl(BETA, NOW)
        .validity(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(6))).revoke(21).der()));
    refresh();
    s3.putObject(b -> b.bucket(CRLS).key("beta.crl"), RequestBody.fromBytes(RevocationPki.crl(BETA, NOW)
        .validity(NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofMinutes(1))).revoke(21, 22).der()));

    try (CapturedStdout stdout = CapturedStdout.start()) {
      assertThatThrownBy(this::refresh).isInstanceOf(RevocationRefreshHandler.RefreshFailedException.class)
          .hasMessageContaining("CRL_EXPIRED").hasNoSuppressedExceptions();
      assertThat(stdout.text()).doesNotContain("revocation.metric.failed");
    }

    assertThat(published()).as("the refresh's and the failed refresh's").singleElement().satisfies(point -> {
      assertThat(point.sampleCount()).isEqualTo(2.0);
      assertThat(point.minimum()).isCloseTo(Metrics.hoursBetween(Instant.now(), NOW.plus(Duration.ofHours(6))),
          within(0.01));
    });
  }

  @Test
  void aMetricThatCannotBePublishedFailsTheInvocationAfterTheRefreshStagedTheIndex() {
    Map<String, String> noStackName = new HashMap<>(environment);
    noStackName.remove(Metrics.STACK_NAME);
    handler = handler(noStackName);

    String log;
    try (CapturedStdout stdout = CapturedStdout.start()) {
      assertThatThrownBy(this::refresh).isInstanceOf(Metrics.MetricException.class)
          .hasMessageStartingWith("the environment variable STACK_NAME is not set");
      log = stdout.text();
    }

    assertThat(indexVersions()).as("the refresh itself succeeded").hasSize(1);
    assertThat(log).contains("\"event\":\"revocation.refreshed\"", "\"event\":\"revocation.metric.failed\"",
        "\"index\":\"refreshed\"");
  }

  @Test
  void aRefreshFailureIsThrownEvenWhenTheMetricFailsToo() {
    refresh();
    Map<String, String> noStackName = new HashMap<>(environment);
    noStackName.remove(Metrics.STACK_NAME);
    handler = handler(noStackName);
    http.status("/alpha.crl", 500);

    String log;
    try (CapturedStdout stdout = CapturedStdout.start()) {
      assertThatThrownBy(this::refresh).isInstanceOf(RevocationRefreshHandler.RefreshFailedException.class)
          .hasMessageContaining("CRL_UNREADABLE").satisfies(e -> assertThat(e.getSuppressed()).singleElement()
              .satisfies(metric -> assertThat(metric).hasMessageStartingWith("the environment variable STACK_NAME")));
      log = stdout.text();
    }

    assertThat(log).contains("\"event\":\"revocation.refresh.failed\"", "\"event\":\"revocation.metric.failed\"",
        "\"index\":\"kept\"");
  }
}
