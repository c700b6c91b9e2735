package com.mtlsgateway.truststore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mtlsgateway.customresource.HttpResponseSender;
import com.mtlsgateway.customresource.LocalContext;
import com.mtlsgateway.testing.CapturedStdout;
import com.mtlsgateway.testing.LocalReceiver;
import com.mtlsgateway.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The handler's paths that make no S3 call, through its real entry point (event JSON in, the PUT to a local
 * ResponseURL out): Delete, and a bundle refused by validation. Its S3 client is real but points at
 * http://127.0.0.1:1, where nothing listens, and records every call it is asked to make: any S3 call would both
 * fail and show in {@link #s3Calls}. Everything that reaches S3 is tested against moto server in integration-tests
 * (TruststoreStagingTest, TruststoreStagerS3Test, EventFilesTest).
 */
class TruststoreHandlerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final TestPki PKI = TestPki.at(NOW);
  private static final String REQUEST_ID = "0f7d9a3e-8c41-4b9e-9d2a-6e5f4c3b2a10";

  private final List<String> s3Calls = Collections.synchronizedList(new ArrayList<>());
  private final S3Client unreachableS3 = S3Client.builder()
      .endpointOverride(URI.create("http://127.0.0.1:1"))
      .region(Region.US_EAST_1)
      .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("unused", "unused")))
      .httpClient(Apache5HttpClient.builder().connectionTimeout(Duration.ofSeconds(2)).build())
      .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())
          .addExecutionInterceptor(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
              s3Calls.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }
          }))
      .build();
  private final TruststoreHandler handler = new TruststoreHandler(unreachableS3, new HttpResponseSender(), CLOCK);
  private final LocalReceiver receiver = LocalReceiver.start();

  @AfterEach
  void close() {
    receiver.close();
    unreachableS3.close();
  }

  private static ObjectNode event(String requestType, Map<String, String> properties) {
    ObjectNode event = JSON.createObjectNode()
        .put("RequestType", requestType)
        .put("ServiceToken", "arn:aws:lambda:us-east-1:123456789012:function:truststore")
        .put("ResponseURL", "replaced")
        .put("StackId", "arn:aws:cloudformation:us-east-1:123456789012:stack/test/5b6c1f40-c7a1-11ef-9a4e-0a1b2c3d4e5f")
        .put("RequestId", REQUEST_ID)
        .put("LogicalResourceId", "Truststore")
        .put("ResourceType", "Custom::Truststore");
    ObjectNode props = event.putObject("ResourceProperties")
        .put("ServiceToken", "arn:aws:lambda:us-east-1:123456789012:function:truststore")
        .put("ServiceTimeout", "300");
    properties.forEach(props::put);
    return event;
  }

  private static ObjectNode delete(String physicalId, Map<String, String> properties) {
    return event("Delete", properties).put("PhysicalResourceId", physicalId);
  }

  /** Runs one event; returns the body the ResponseURL received. */
  private JsonNode invoke(ObjectNode event) throws IOException {
    int before = receiver.requests().size();
    event.put("ResponseURL", receiver.url().toString());
    handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), new ByteArrayOutputStream(),
        LocalContext.withTimeLeft("mtls-gateway-test", Duration.ofSeconds(30), System.err));
    List<LocalReceiver.Request> requests = receiver.requests();
    assertThat(requests).hasSize(before + 1);
    return JSON.readTree(requests.get(requests.size() - 1).body());
  }

  private static String validBundle() {
    return TestPki.bundle(PKI.chain("Clients", 2));
  }

  @Test
  void theS3ClientFailsAndIsSeenWhenCalled() {
    assertThatThrownBy(() -> unreachableS3.getBucketVersioning(b -> b.bucket("stage")))
        .isInstanceOf(SdkClientException.class);
    assertThat(s3Calls).containsExactly("GetBucketVersioning");
  }

  @Test
  void anInvalidBundleFailsWithItsFindingsBeforeAnyS3Call() throws IOException {
    TestPki.Issued leaf = PKI.certificate("CN=client").ca(false).selfSigned();

    JsonNode body = invoke(event("Create", Map.of("Pem", leaf.pem() + "garbage", "StagingBucket", "stage")));

    assertThat(body.get("Status").asText()).isEqualTo("FAILED");
    assertThat(body.get("PhysicalResourceId").asText()).isEqualTo("mtls-gateway:create-failed:" + REQUEST_ID);
    assertThat(body.get("Reason").asText())
        .startsWith("Truststore bundle from Pem (inline) is not valid (1 WARNING)")
        .contains("NOT_CA #0 CN=client: ");
    assertThat(s3Calls).isEmpty();
  }

  @Test
  void deleteSucceedsKeepsTheIdAndMakesNoS3Call() throws IOException {
    JsonNode body = invoke(delete("s3://stage/truststore.pem",
        Map.of("Pem", validBundle(), "StagingBucket", "stage")));

    assertThat(body.get("Status").asText()).as("Reason: %s", body.path("Reason").asText()).isEqualTo("SUCCESS");
    assertThat(body.get("PhysicalResourceId").asText()).isEqualTo("s3://stage/truststore.pem");
    assertThat(body.path("Data").size()).isZero();
    assertThat(s3Calls).isEmpty();
  }

  @Test
  void deleteSucceedsEvenWhenThePropertiesNoLongerParse() throws IOException {
    JsonNode body = invoke(delete("s3://stage/truststore.pem", Map.of("Colour", "red")));

    assertThat(body.get("Status").asText()).as("Reason: %s", body.path("Reason").asText()).isEqualTo("SUCCESS");
    assertThat(body.get("PhysicalResourceId").asText()).isEqualTo("s3://stage/truststore.pem");
    assertThat(s3Calls).isEmpty();
  }

  @Test
  void logsEveryFindingOnOneLineButNeverTheBundleNorTheResponseUrl() throws IOException {
    TestPki.Issued leaf = PKI.certificate("CN=client").ca(false).selfSigned();
    String pem = validBundle() + leaf.pem();

    List<String> lines;
    try (CapturedStdout stdout = CapturedStdout.start()) {
      invoke(event("Create", Map.of("Pem", pem, "StagingBucket", "stage")));
      lines = stdout.lines();
    }

    String base64Line = pem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    assertThat(lines).noneMatch(line -> line.contains(base64Line))
        .noneMatch(line -> line.contains(receiver.url().getPath()))
        .noneMatch(line -> line.contains("X-Amz-Signature"));
    JsonNode validated = lines.stream().map(TruststoreHandlerTest::json)
        .filter(line -> "truststore.validated".equals(line.path("event").asText())).findFirst().orElseThrow();
    assertThat(validated.get("valid").asBoolean()).isFalse();
    assertThat(validated.get("source").asText()).isEqualTo("Pem (inline)");
    assertThat(validated.get("findings")).singleElement().satisfies(f -> {
      assertThat(f.get("code").asText()).isEqualTo("NOT_CA");
      assertThat(f.get("severity").asText()).isEqualTo("WARNING");
      assertThat(f.get("certificate").get("index").asInt()).isEqualTo(2);
      assertThat(f.get("certificate").get("subject").asText()).isEqualTo("CN=client");
    });
    assertThat(s3Calls).isEmpty();
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }
}
