package com.mtlsgateway.truststore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mtlsgateway.aws.Metrics;
import com.mtlsgateway.customresource.LocalContext;
import com.mtlsgateway.testing.CapturedStdout;
import com.mtlsgateway.testing.StubHttpClient;
import com.mtlsgateway.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The expiry check's Lambda entry point on certificates made here, with S3 and CloudWatch answered in process: what
 * it reads, publishes and logs, and how it fails.
 */
class TruststoreExpiryHandlerTest {

  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final TestPki PKI = TestPki.at(NOW);
  private static final String TRUSTSTORE_URI = "s3://mtls-test-truststore/truststore.pem?versionId=v1";
  private static final String EVENT = """
      {"version": "0", "id": "4e1b7c2a-9d3f-4a68-b5e0-2c8f1d6a7b94", "detail-type": "Scheduled Event",
       "source": "aws.events", "account": "123456789012", "time": "2030-01-01T00:00:00Z", "region": "us-east-1",
       "resources": ["arn:aws:events:us-east-1:123456789012:rule/demo-TruststoreExpiryFunctionDaily-R7m2Xc4Tq9Vb"],
       "detail": {}}""";
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

  private final List<PutMetricDataRequest> published = Collections.synchronizedList(new ArrayList<>());
  private final StubHttpClient cloudWatchHttp = new StubHttpClient(request -> StubHttpClient.Answer.ok(
      Map.of("Content-Type", "application/cbor", "smithy-protocol", "rpc-v2-cbor"), new byte[] {(byte) 0xa0}));
  private final CloudWatchClient cloudWatch = CloudWatchClient.builder().httpClient(cloudWatchHttp)
      .region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
      .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
          published.add((PutMetricDataRequest) context.request());
        }
      }))
      .build();

  private static S3Client s3Holding(StubHttpClient.Answer answer) {
    return S3Client.builder().httpClient(new StubHttpClient(request -> answer)).region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS).forcePathStyle(true)
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
  }

  private static S3Client s3Holding(String bundle) {
    return s3Holding(StubHttpClient.Answer.ok(Map.of("Content-Type", "application/x-pem-file"),
        bundle.getBytes(StandardCharsets.US_ASCII)));
  }

  private JsonNode check(S3Client s3, Map<String, String> environment) throws IOException {
    TruststoreExpiryHandler handler = new TruststoreExpiryHandler(s3, cloudWatch, Clock.fixed(NOW, ZoneOffset.UTC),
        environment);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(EVENT.getBytes(StandardCharsets.UTF_8)), out,
        LocalContext.withTimeLeft("truststore-expiry", Duration.ofSeconds(60), System.err));
    return new ObjectMapper().readTree(out.toByteArray());
  }

  private static Map<String, String> environment() {
    return Map.of(TruststoreExpiryHandler.TRUSTSTORE_URI, TRUSTSTORE_URI, Metrics.STACK_NAME, "mtls-demo");
  }

  @Test
  void publishesTheDaysLeftToTheEarliestExpiryAndLogsTheCertificate() throws IOException {
    TestPki.Issued root = PKI.certificate("CN=Demo Root CA")
        .validity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(3650))).selfSigned();
    TestPki.Issued issuing = PKI.certificate("CN=Demo Issuing CA,O=Example")
        .validity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(20).plusHours(12))).issuedBy(root);

    JsonNode result;
    List<String> log;
    try (CapturedStdout stdout = CapturedStdout.start()) {
      result = check(s3Holding(TestPki.bundle(root, issuing)), environment());
      log = stdout.lines();
    }

    assertThat(published).singleElement().satisfies(request -> {
      assertThat(request.namespace()).isEqualTo("MtlsGateway");
      assertThat(request.metricData()).containsExactly(MetricDatum.builder()
          .metricName("TruststoreDaysToEarliestExpiry")
          .dimensions(Dimension.builder().name("StackName").value("mtls-demo").build())
          .unit(StandardUnit.NONE).value(20.5).timestamp(NOW).build());
    });
    assertThat(log).singleElement().isEqualTo(new ObjectMapper().writeValueAsString(result));
    assertThat(result.get("event").asText()).isEqualTo("truststore.expiry.checked");
    assertThat(result.get("truststoreUri").asText()).isEqualTo(TRUSTSTORE_URI);
    assertThat(result.get("certificates").asInt()).isEqualTo(2);
    assertThat(result.get("earliestSubject").asText()).isEqualTo("CN=Demo Issuing CA,O=Example");
    assertThat(result.get("earliestNotAfter").asText()).isEqualTo("2030-01-21T12:00:00Z");
    assertThat(result.get("daysLeft").asDouble()).isEqualTo(20.5);
    assertThat(result.get("StackName").asText()).isEqualTo("mtls-demo");
  }

  @Test
  void anExpiredCaPublishesANegativeValue() throws IOException {
    TestPki.Issued expired = TestPki.at(NOW.minus(Duration.ofDays(400))).certificate("CN=Expired CA")
        .validity(NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofHours(78))).selfSigned();
    TestPki.Issued valid = PKI.certificate("CN=Valid CA").selfSigned();

    try (CapturedStdout stdout = CapturedStdout.start()) {
      check(s3Holding(TestPki.bundle(valid, expired)), environment());
      assertThat(stdout.lines()).singleElement().asString().contains("\"earliestSubject\":\"CN=Expired CA\"")
          .contains("\"daysLeft\":-3.25");
    }

    assertThat(published).singleElement()
        .satisfies(request -> assertThat(request.metricData().get(0).value()).isEqualTo(-3.25));
  }

  @Test
  void anEmptyTruststoreFailsNamingTheObjectAndTheFixAndPublishesNothing() {
    try (CapturedStdout stdout = CapturedStdout.start()) {
      assertThatThrownBy(() -> check(s3Holding(""), environment()))
          .isInstanceOf(TruststoreExpiryHandler.CheckFailedException.class)
          .hasMessage("TRUSTSTORE_URI " + TRUSTSTORE_URI + " does not read as a PEM bundle of certificates (it is"
              + " empty); the check reads the truststore version the stack staged and API Gateway uses: update the"
              + " stack so that Custom::Truststore stages it again (and keep that object version: the domain pins"
              + " it)");
      assertThat(stdout.lines()).singleElement().asString().contains("\"event\":\"truststore.expiry.failed\"");
    }
    assertThat(published).isEmpty();
  }

  @Test
  void aMissingVersionFailsWithS3sAnswerAndTheFix() {
    S3Client s3 = s3Holding(new StubHttpClient.Answer(404, Map.of("Content-Type", "application/xml"),
        ("<Error><Code>NoSuchVersion</Code><Message>The specified version does not exist.</Message>"
            + "<RequestId>R1</RequestId></Error>").getBytes(StandardCharsets.UTF_8)));

    try (CapturedStdout stdout = CapturedStdout.start()) {
      assertThatThrownBy(() -> check(s3, environment()))
          .hasMessageStartingWith("TRUSTSTORE_URI " + TRUSTSTORE_URI + ": S3 GetObject: NoSuchVersion (404)")
          .hasMessageContaining("the object has no such version")
          .hasMessageEndingWith("update the stack so that Custom::Truststore stages it again (and keep that object"
              + " version: the domain pins it)");
      assertThat(stdout.lines()).singleElement().asString().contains("\"reason\":\"TRUSTSTORE_URI s3://");
    }
    assertThat(published).isEmpty();
  }

  @Test
  void withoutTheSettingsItFailsBeforeAnyCall() {
    S3Client s3 = s3Holding("unused");

    try (CapturedStdout stdout = CapturedStdout.start()) {
      assertThatThrownBy(() -> check(s3, Map.of(Metrics.STACK_NAME, "mtls-demo")))
          .hasMessageStartingWith("the environment variable TRUSTSTORE_URI is not set");
      assertThatThrownBy(() -> check(s3, Map.of(TruststoreExpiryHandler.TRUSTSTORE_URI, TRUSTSTORE_URI)))
          .hasMessageStartingWith("the environment variable STACK_NAME is not set");
      assertThat(stdout.lines()).hasSize(2).allSatisfy(line -> assertThat(line)
          .contains("\"event\":\"truststore.expiry.failed\""));
    }
    assertThat(published).isEmpty();
    assertThat(cloudWatchHttp.requests()).isEmpty();
  }
}
