package com.mtlsgateway.customresource;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mtlsgateway.aws.AwsCallsInFlight;
import com.mtlsgateway.json.JsonCodec;
import com.mtlsgateway.testing.CapturedStdout;
import com.mtlsgateway.testing.LocalReceiver;
import com.mtlsgateway.testing.LocalReceiver.Reply;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The runtime end to end: event bytes in, the PUT a local ResponseURL receives out. */
class CustomResourceHandlerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String CREATE_REQUEST_ID = "7f1e7c4e-1d3b-4c1a-9d1e-2f3a4b5c6d7e";
  private static final String MARKER = CustomResourceHandler.CREATE_FAILED_ID_PREFIX + CREATE_REQUEST_ID;
  /** Fast retries, so that fault-injection tests stay quick. */
  private static final HttpResponseSender SENDER = new HttpResponseSender(
      new HttpResponseSender.RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(2)),
      Clock.systemUTC());

  private LocalReceiver receiver;

  /** What one handleRequest produced. */
  private record Invocation(byte[] output, List<String> log, Throwable thrown) {}

  @BeforeEach
  void startReceiver() {
    receiver = LocalReceiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  @Test
  void createAnswersSuccessWithTheHandlersIdAndData() throws IOException {
    TestHandler handler = handler(call -> Outcome.of("test:" + call.props().name(), Map.of("B", "2", "A", "1")));

    Invocation invocation = invoke(handler, event("create.json"));

    assertThat(invocation.thrown()).isNull();
    JsonNode body = onlyBody();
    assertThat(body.get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(body.has("Reason")).isFalse();
    assertThat(body.get("PhysicalResourceId").asText()).isEqualTo("test:alpha");
    assertThat(body.get("StackId").asText())
        .isEqualTo("arn:aws:cloudformation:eu-west-1:123456789012:stack/mtls-gateway/5b9d1a20-3c1f-11ef-9f2a-0a1b2c3d4e5f");
    assertThat(body.get("RequestId").asText()).isEqualTo(CREATE_REQUEST_ID);
    assertThat(body.get("LogicalResourceId").asText()).isEqualTo("Test");
    assertThat(body.get("NoEcho").asBoolean()).isFalse();
    assertThat(body.get("Data").toString()).isEqualTo("{\"A\":\"1\",\"B\":\"2\"}");
    assertThat(handler.calls).singleElement().satisfies(call -> {
      assertThat(call.type()).isEqualTo(RequestType.Create);
      assertThat(call.props()).isEqualTo(new TestHandler.Props("alpha", true));
    });
    assertThat(invocation.output()).isEqualTo(receiver.onlyRequest().body());
  }

  @Test
  void unknownPropertyFailsNamingItWithoutCallingCreate() throws IOException {
    ObjectNode event = event("create.json");
    Events.properties(event).put("Colour", "red");
    TestHandler handler = handler(call -> Outcome.of("never"));

    invoke(handler, event);

    JsonNode body = onlyBody();
    assertThat(body.get("Status").asText()).isEqualTo("FAILED");
    assertThat(body.get("Reason").asText())
        .startsWith("Property Colour is not known")
        .contains("Enabled, Name");
    assertThat(body.get("PhysicalResourceId").asText()).isEqualTo(MARKER);
    assertThat(handler.calls).isEmpty();
  }

  @Test
  void missingPropertyFailsNamingIt() throws IOException {
    ObjectNode event = event("create.json");
    Events.properties(event).remove("Name");

    invoke(handler(call -> Outcome.of("never")), event);

    assertThat(onlyBody().get("Reason").asText()).startsWith("Property Name is required");
  }

  @Test
  void malformedFlagFailsNamingIt() throws IOException {
    ObjectNode event = event("create.json");
    Events.properties(event).put("Enabled", "yes");

    invoke(handler(call -> Outcome.of("never")), event);

    assertThat(onlyBody().get("Reason").asText()).startsWith("Property Enabled is \"");
  }

  @Test
  void customResourceExceptionMessageIsTheReasonAsIs() throws IOException {
    Invocation invocation = invoke(handler(call -> {
      throw new CustomResourceException("StagingBucket b has no versioning: enable it");
    }), event("create.json"));

    assertThat(onlyBody().get("Reason").asText()).isEqualTo("StagingBucket b has no versioning: enable it");
    assertThat(logLine(invocation).has("stackTrace")).isFalse();
  }

  @Test
  void unexpectedExceptionIsNamedInTheReasonAndItsTraceLogged() throws IOException {
    Invocation invocation = invoke(handler(call -> {
      throw new IllegalStateException("boom");
    }), event("create.json"));

    assertThat(onlyBody().get("Reason").asText()).isEqualTo("IllegalStateException: boom");
    assertThat(logLine(invocation).get("stackTrace").asText()).contains("IllegalStateException", "TestHandler");
  }

  @Test
  void hugeReasonIsCutSoTheBodyFits() throws IOException {
    invoke(handler(call -> {
      throw new CustomResourceException("é".repeat(100_000));
    }), event("create.json"));

    byte[] body = receiver.onlyRequest().body();
    assertThat(body.length).isLessThanOrEqualTo(ResponseBody.MAX_BYTES).isGreaterThan(ResponseBody.MAX_BYTES - 8);
    assertThat(MAPPER.readTree(body).get("Reason").asText()).endsWith(ResponseBody.TRUNCATED);
  }

  @Test
  void controlCharactersAreRemovedFromTheReason() throws IOException {
    invoke(handler(call -> {
      throw new CustomResourceException("\u001B[31mred\u001B[0m line1\r\nline2\u0007\u0000");
    }), event("create.json"));

    assertThat(onlyBody().get("Reason").asText()).isEqualTo("red line1 line2");
  }

  @Test
  void emptyPhysicalIdFromCreateFailsWithTheMarkerId() throws IOException {
    invoke(handler(call -> Outcome.of("")), event("create.json"));

    JsonNode body = onlyBody();
    assertThat(body.get("Status").asText()).isEqualTo("FAILED");
    assertThat(body.get("Reason").asText()).contains("PhysicalResourceId", "empty");
    assertThat(body.get("PhysicalResourceId").asText()).isEqualTo(MARKER);
  }

  @Test
  void tooLongPhysicalIdFromCreateFailsWithTheMarkerId() throws IOException {
    invoke(handler(call -> Outcome.of("x".repeat(2048))), event("create.json"));

    JsonNode body = onlyBody();
    assertThat(body.get("Status").asText()).isEqualTo("FAILED");
    assertThat(body.get("Reason").asText()).contains("2048 bytes", "at most 1024");
    assertThat(body.get("PhysicalResourceId").asText()).isEqualTo(MARKER);
  }

  @Test
  void tooLongPhysicalIdFromUpdateFailsWithTheEventsId() throws IOException {
    invoke(handler(call -> Outcome.of("x".repeat(2048))), event("update.json"));

    JsonNode body = onlyBody();
    assertThat(body.get("Status").asText()).isEqualTo("FAILED");
    assertThat(body.get("PhysicalResourceId").asText()).isEqualTo("test:alpha");
  }

  @Test
  void createWithoutAnIdFails() throws IOException {
    invoke(handler(call -> Outcome.sameId(Map.of())), event("create.json"));

    JsonNode body = onlyBody();
    assertThat(body.get("Status").asText()).isEqualTo("FAILED");
    assertThat(body.get("Reason").asText()).isEqualTo("The handler returned no PhysicalResourceId for a Create");
    assertThat(body.get("PhysicalResourceId").asText()).isEqualTo(MARKER);
  }

  @Test
  void dataTooLargeFailsSayingSoAndKeepsTheNewId() throws IOException {
    Map<String, String> data = new LinkedHashMap<>();
    for (int i = 0; i < 10; i++) {
      data.put("Value" + i, "v".repeat(500));
    }
    invoke(handler(call -> Outcome.of("test:alpha", data)), event("create.json"));

    byte[] raw = receiver.onlyRequest().body();
    JsonNode body = MAPPER.readTree(raw);
    assertThat(raw.length).isLessThanOrEqualTo(ResponseBody.MAX_BYTES);
    assertThat(body.get("Status").asText()).isEqualTo("FAILED");
    assertThat(body.get("Reason").asText()).contains("Data", "too large", "4096");
    assertThat(body.get("Data").isEmpty()).isTrue();
    // The resource exists: the rollback's Delete must reach it under its real id.
    assertThat(body.get("PhysicalResourceId").asText()).isEqualTo("test:alpha");
  }

  @Test
  void responseIsRetriedAfterA500AndADroppedConnection() throws IOException {
    receiver.script(Reply.status(500), Reply.dropConnection());

    Invocation invocation = invoke(handler(call -> Outcome.of("test:alpha")), event("create.json"));

    assertThat(invocation.thrown()).isNull();
    List<LocalReceiver.Request> requests = receiver.requests();
    assertThat(requests).hasSize(3);
    assertThat(requests).allSatisfy(request -> assertThat(request.body()).isEqualTo(requests.get(0).body()));
    assertThat(logLine(invocation).get("delivered").asBoolean()).isTrue();
  }

  @Test
  void undeliveredResponseFailsTheInvocationSoLambdaRetries() throws IOException {
    receiver.script(Reply.s3Error(403, "AccessDenied"));

    Invocation invocation = invoke(handler(call -> Outcome.of("test:alpha")), event("create.json"));

    assertThat(receiver.requests()).hasSize(1);
    assertThat(invocation.thrown()).isInstanceOf(IOException.class);
    assertThat(logLine(invocation).get("delivered").asBoolean()).isFalse();
  }

  @Test
  void workPastTheDeadlineIsAnsweredFailedBeforeTheLambdaDeadline() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    TestHandler handler = handler(call -> {
      try {
        Thread.sleep(20_000);
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
      return Outcome.of("too-late");
    });
    LocalContext context = context(CustomResourceHandler.MIN_TIMEOUT);

    Invocation invocation = invoke(handler, event("create.json"), context);

    Instant returned = Instant.now();
    assertThat(invocation.thrown()).isNull();
    LocalReceiver.Request put = receiver.onlyRequest();
    assertThat(put.receivedAt()).isBefore(context.deadline());
    assertThat(returned).isBefore(context.deadline());
    JsonNode body = MAPPER.readTree(put.body());
    assertThat(body.get("Status").asText()).isEqualTo("FAILED");
    assertThat(body.get("Reason").asText()).isEqualTo("Timed out: the Create did not finish within 5 s, the time the"
        + " function had left less 5 s kept to answer CloudFormation; raise the function's Timeout, or see its log"
        + " for what was slow");
    assertThat(body.get("PhysicalResourceId").asText()).isEqualTo(MARKER);
    // The handler was told its deadline: the reserve before the Lambda deadline.
    assertThat(handler.calls.get(0).deadline().at()).isBefore(context.deadline().minusMillis(4900));
    assertThat(interrupted.await(2, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aTimedOutRequestNamesAndLogsTheAwsCallsStillRunning() throws Exception {
    try (LocalReceiver slowS3 = LocalReceiver.start(); S3Client s3 = S3Client.builder().region(Region.US_EAST_1)
        .endpointOverride(slowS3.url().resolve("/")).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .overrideConfiguration(c -> c.addExecutionInterceptor(AwsCallsInFlight.INSTANCE)).build()) {
      slowS3.script(LocalReceiver.Reply.status(200).after(Duration.ofSeconds(30)));
      TestHandler handler = handler(call -> {
        s3.getObjectAsBytes(b -> b.bucket("source-bucket").key("ca.pem"));
        return Outcome.of("too-late");
      });

      Invocation invocation = invoke(handler, event("create.json"), context(CustomResourceHandler.MIN_TIMEOUT));

      assertThat(onlyBody().get("Reason").asText()).isEqualTo("Timed out: the Create did not finish within 5 s, the"
          + " time the function had left less 5 s kept to answer CloudFormation; it was still waiting for S3"
          + " GetObject; raise the function's Timeout, or see its log for what was slow");
      JsonNode line = invocation.log().stream().map(CustomResourceHandlerTest::json)
          .filter(node -> "aws-call.still-running".equals(node.path("event").asText())).findFirst().orElseThrow();
      assertThat(line.get("service").asText()).isEqualTo("S3");
      assertThat(line.get("operation").asText()).isEqualTo("GetObject");
      assertThat(line.get("runningMs").asLong()).isBetween(4000L, 5100L);
      assertThat(line.get("requestId").asText()).isEqualTo(CREATE_REQUEST_ID);
      assertThat(String.join("\n", invocation.log())).doesNotContain(receiver.url().getPath())
          .doesNotContain("source-bucket").doesNotContain("secret");
    }
  }

  private static JsonNode json(String line) {
    try {
      return MAPPER.readTree(line);
    } catch (IOException e) {
      return MAPPER.createObjectNode();
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 9})
  void lessTimeThanTheMinimumIsAnsweredFailedAtOnceWithoutWork(long seconds) throws IOException {
    TestHandler handler = handler(call -> Outcome.of("test:" + call.props().name()));
    long started = System.nanoTime();

    Invocation invocation = invoke(handler, event("create.json"), context(Duration.ofSeconds(seconds)));

    assertThat(invocation.thrown()).isNull();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    JsonNode body = onlyBody();
    assertThat(body.get("Status").asText()).isEqualTo("FAILED");
    assertThat(body.get("Reason").asText()).isEqualTo("The Create was not started: the function had " + seconds
        + " s left, and a request needs at least 10 s (5 s for the work and 5 s kept to answer CloudFormation);"
        + " raise the function's Timeout to 10 s or more");
    assertThat(body.get("PhysicalResourceId").asText()).isEqualTo(MARKER);
    assertThat(handler.calls).isEmpty();
    assertThat(handler.parses.get()).isZero();
  }

  @Test
  void theMinimumItselfIsEnough() throws IOException {
    TestHandler handler = handler(call -> Outcome.of("test:" + call.props().name()));

    invoke(handler, event("create.json"), context(CustomResourceHandler.MIN_TIMEOUT));

    assertThat(onlyBody().get("Status").asText()).isEqualTo("SUCCESS");
  }

  @Test
  void theDeleteOfAFailedCreatesMarkerSucceedsEvenWithLittleTime() throws IOException {
    ObjectNode delete = event("delete.json");
    delete.put("PhysicalResourceId", MARKER);
    TestHandler handler = handler(call -> Outcome.sameId(Map.of()));

    invoke(handler, delete, context(Duration.ofSeconds(2)));

    assertThat(onlyBody().get("Status").asText()).isEqualTo("SUCCESS");
  }

  @Test
  void aCleanupOfAFailedCreateThatFailsOrTimesOutStillSucceedsAndIsLogged() throws IOException {
    for (TestHandler.Work cleanup : List.<TestHandler.Work>of(call -> {
      throw new IllegalStateException("ACM is down");
    }, call -> {
      Thread.sleep(5_000);
      return Outcome.sameId(Map.of());
    })) {
      ObjectNode delete = event("delete.json");
      delete.put("PhysicalResourceId", MARKER);
      TestHandler handler = handler(call -> Outcome.sameId(Map.of()));
      handler.cleanup = cleanup;
      try (LocalReceiver own = LocalReceiver.start()) {
        delete.put("ResponseURL", own.url().toString());

        Invocation invocation = invoke(handler, delete, context(Duration.ofSeconds(2)));

        JsonNode body = MAPPER.readTree(own.onlyRequest().body());
        assertThat(body.get("Status").asText()).isEqualTo("SUCCESS");
        assertThat(body.get("PhysicalResourceId").asText()).isEqualTo(MARKER);
        assertThat(invocation.log()).anyMatch(line -> line.contains("\"event\":\"create-failed.cleanup-incomplete\""));
      }
    }
  }

  @Test
  void failedCreateAnswersTheMarkerAndItsDeleteSucceedsWithoutCallingTheHandler() throws IOException {
    TestHandler handler = handler(call -> {
      throw new CustomResourceException("cannot create");
    });
    invoke(handler, event("create.json"));
    String failedId = onlyBody().get("PhysicalResourceId").asText();
    assertThat(failedId).isEqualTo(MARKER);

    ObjectNode delete = event("delete.json");
    delete.put("PhysicalResourceId", failedId);
    Events.properties(delete).put("Unknown", "would fail parse");
    int parsesBefore = handler.parses.get();
    try (LocalReceiver second = LocalReceiver.start()) {
      delete.put("ResponseURL", second.url().toString());
      invoke(handler, delete);

      JsonNode body = MAPPER.readTree(second.onlyRequest().body());
      assertThat(body.get("Status").asText()).isEqualTo("SUCCESS");
      assertThat(body.get("PhysicalResourceId").asText()).isEqualTo(failedId);
    }
    assertThat(handler.parses.get()).isEqualTo(parsesBefore);
    assertThat(handler.calls).extracting(TestHandler.Call::type).containsExactly(RequestType.Create);
  }

  @Test
  void theSameEventTwiceGivesTheSameBody() throws IOException {
    ObjectNode event = event("create.json");
    TestHandler handler = handler(call -> Outcome.of("test:" + call.props().name(), Map.of("Z", "1", "A", "2")));

    invoke(handler, event);
    invoke(handler, event);
    invoke(handler(call -> Outcome.of("test:" + call.props().name(), Map.of("A", "2", "Z", "1"))), event);

    List<LocalReceiver.Request> requests = receiver.requests();
    assertThat(requests).hasSize(3);
    assertThat(requests.get(1).body()).isEqualTo(requests.get(0).body());
    assertThat(requests.get(2).body()).isEqualTo(requests.get(0).body());
  }

  @Test
  void theSameFailingEventTwiceGivesTheSameBody() throws IOException {
    ObjectNode event = event("create.json");
    TestHandler handler = handler(call -> {
      throw new CustomResourceException("no");
    });

    invoke(handler, event);
    invoke(handler, event);

    List<LocalReceiver.Request> requests = receiver.requests();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1).body()).isEqualTo(requests.get(0).body());
  }

  @Test
  void updateKeepsTheEventsIdByDefaultAndSeesOldProperties() throws IOException {
    TestHandler handler = handler(call -> Outcome.sameId(Map.of()));

    invoke(handler, event("update.json"));

    JsonNode body = onlyBody();
    assertThat(body.get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(body.get("PhysicalResourceId").asText()).isEqualTo("test:alpha");
    TestHandler.Call call = handler.calls.get(0);
    assertThat(call.props()).isEqualTo(new TestHandler.Props("alpha", false));
    assertThat(call.old()).isEqualTo(new TestHandler.Props("alpha", true));
  }

  @Test
  void updateMayReplaceWithANewId() throws IOException {
    invoke(handler(call -> Outcome.of("test:beta")), event("update.json"));

    assertThat(onlyBody().get("PhysicalResourceId").asText()).isEqualTo("test:beta");
  }

  @Test
  void updateGetsNullOldPropertiesWhenTheyNoLongerParse() throws IOException {
    ObjectNode event = event("update.json");
    ((ObjectNode) event.get("OldResourceProperties")).put("Retired", "x");
    TestHandler handler = handler(call -> Outcome.sameId(Map.of()));

    invoke(handler, event);

    assertThat(onlyBody().get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(handler.calls.get(0).old()).isNull();
  }

  @Test
  void failedUpdateAndDeleteAnswerTheEventsId() throws IOException {
    TestHandler handler = handler(call -> {
      throw new CustomResourceException("no");
    });

    invoke(handler, event("update.json"));
    invoke(handler, event("delete.json"));

    assertThat(receiver.requests()).hasSize(2).allSatisfy(request -> {
      JsonNode body = MAPPER.readTree(request.body());
      assertThat(body.get("Status").asText()).isEqualTo("FAILED");
      assertThat(body.get("PhysicalResourceId").asText()).isEqualTo("test:alpha");
    });
  }

  @Test
  void deleteGetsNullPropertiesWhenTheyNoLongerParse() throws IOException {
    ObjectNode event = event("delete.json");
    Events.properties(event).remove("Name");
    TestHandler handler = handler(call -> Outcome.sameId(Map.of()));

    invoke(handler, event);

    assertThat(onlyBody().get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(handler.calls).singleElement().satisfies(call -> assertThat(call.props()).isNull());
  }

  @Test
  void deleteGetsNullPropertiesWhenParsingThrowsAnyRuntimeException() throws IOException {
    TestHandler handler = handler(call -> Outcome.sameId(Map.of()));
    handler.parseFailure = new IllegalArgumentException("unforeseen");

    invoke(handler, event("delete.json"));

    assertThat(onlyBody().get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(handler.calls).singleElement().satisfies(call -> assertThat(call.props()).isNull());
  }

  @Test
  void aWorkerThreadThatCannotStartIsAnsweredFailed() throws IOException {
    TestHandler handler = handler(call -> Outcome.of("never"));
    handler.startFailure = new OutOfMemoryError("unable to create native thread: possibly out of memory");

    Invocation invocation = invoke(handler, event("create.json"));

    assertThat(invocation.thrown()).isNull();
    JsonNode body = onlyBody();
    assertThat(body.get("Status").asText()).isEqualTo("FAILED");
    assertThat(body.get("PhysicalResourceId").asText()).isEqualTo(MARKER);
    assertThat(body.get("Reason").asText()).contains("OutOfMemoryError", "unable to create native thread");
    assertThat(handler.calls).isEmpty();
    assertThat(logLine(invocation).get("stackTrace").asText()).contains("OutOfMemoryError");
  }

  @Test
  void logIsOneJsonLinePerRequestWithoutTheResponseUrl() throws IOException {
    receiver.script(Reply.status(500)); // the retry is logged too
    LocalContext context = context(Duration.ofSeconds(30));

    Invocation invocation = invoke(handler(call -> Outcome.of("test:alpha")), event("create.json"), context);

    String url = receiver.url().toString();
    assertThat(String.join("\n", invocation.log()))
        .doesNotContain(url, receiver.url().getHost(), receiver.url().getRawPath(), receiver.url().getRawQuery());
    assertThat(invocation.log()).hasSize(2);
    JsonNode line = logLine(invocation);
    assertThat(line.get("requestType").asText()).isEqualTo("Create");
    assertThat(line.get("logicalResourceId").asText()).isEqualTo("Test");
    assertThat(line.get("resourceType").asText()).isEqualTo("Custom::Test");
    assertThat(line.get("requestId").asText()).isEqualTo(CREATE_REQUEST_ID);
    assertThat(line.get("awsRequestId").asText()).isEqualTo(context.getAwsRequestId());
    assertThat(line.get("status").asText()).isEqualTo("SUCCESS");
    assertThat(line.get("physicalResourceId").asText()).isEqualTo("test:alpha");
    assertThat(line.get("durationMs").isIntegralNumber()).isTrue();
    assertThat(line.get("delivered").asBoolean()).isTrue();
    assertThat(line.has("reason")).isFalse();
  }

  @Test
  void failedRequestLogsItsReason() throws IOException {
    Invocation invocation = invoke(handler(call -> {
      throw new CustomResourceException("cannot");
    }), event("create.json"));

    JsonNode line = logLine(invocation);
    assertThat(line.get("status").asText()).isEqualTo("FAILED");
    assertThat(line.get("reason").asText()).isEqualTo("cannot");
  }

  @Test
  void malformedEventThatCanBeAnsweredIsAnsweredFailed() throws IOException {
    ObjectNode event = event("create.json");
    event.put("RequestType", "Replace");
    TestHandler handler = handler(call -> Outcome.of("never"));

    invoke(handler, event);

    JsonNode body = onlyBody();
    assertThat(body.get("Status").asText()).isEqualTo("FAILED");
    assertThat(body.get("Reason").asText()).contains("RequestType", "Replace");
    assertThat(body.get("PhysicalResourceId").asText()).isEqualTo(MARKER);
    assertThat(handler.parses.get()).isZero();
  }

  @Test
  void aPropertyNameBeyondTheJsonReadersLimitIsAnsweredFailedNamingIt() throws IOException {
    ObjectNode event = event("create.json");
    String name = "n".repeat(JsonCodec.MAX_NAME_LENGTH + 1);
    Events.properties(event).put(name, "x");
    TestHandler handler = handler(call -> Outcome.of("never"));

    Invocation invocation = invoke(handler, event);

    assertThat(invocation.thrown()).isNull();
    JsonNode body = onlyBody();
    assertThat(body.get("Status").asText()).isEqualTo("FAILED");
    assertThat(body.get("Reason").asText()).isEqualTo("Property " + "n".repeat(97) + "... (50001 characters) is not"
        + " known: check the spelling; this resource accepts Enabled, Name");
    assertThat(body.get("PhysicalResourceId").asText()).isEqualTo(MARKER);
    assertThat(handler.calls).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {1_000, 100_000})
  void aPropertyNestedBeyondTheJsonReadersLimitIsAnsweredFailedNamingIt(int depth) throws IOException {
    TestHandler handler = handler(call -> Outcome.of("never"));

    Invocation invocation = invoke(handler, withNameNested(event("create.json"), depth));

    assertThat(invocation.thrown()).isNull();
    JsonNode body = onlyBody();
    assertThat(body.get("Status").asText()).isEqualTo("FAILED");
    assertThat(body.get("Reason").asText())
        .isEqualTo("Property Name must be a string, not a list: give it a single value");
    assertThat(body.get("PhysicalResourceId").asText()).isEqualTo(MARKER);
  }

  @Test
  void aDeleteWithAPropertyNestedBeyondTheLimitStillDeletes() throws IOException {
    TestHandler handler = handler(call -> Outcome.sameId(Map.of()));

    invoke(handler, withNameNested(event("delete.json"), 5_000));

    assertThat(onlyBody().get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(handler.calls).singleElement().satisfies(call -> {
      assertThat(call.type()).isEqualTo(RequestType.Delete);
      assertThat(call.props()).isNull();
    });
  }

  /** The event with its Name property a list nested {@code depth} deep: as text, as no JSON writer goes so deep. */
  private static byte[] withNameNested(ObjectNode event, int depth) {
    Events.properties(event).put("Name", "@nested@");
    return new String(Events.bytes(event), StandardCharsets.UTF_8)
        .replace("\"@nested@\"", "[".repeat(depth) + "\"x\"" + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void eventWithoutResponseUrlCannotBeAnsweredAndThrows() {
    ObjectNode event = event("create.json");
    event.remove("ResponseURL");

    Invocation invocation = invoke(handler(call -> Outcome.of("never")), event);

    assertThat(invocation.thrown()).isInstanceOf(InvalidRequestException.class).hasMessageContaining("ResponseURL");
    assertThat(receiver.requests()).isEmpty();
  }

  private ObjectNode event(String name) {
    return Events.load(name, receiver.url());
  }

  private static TestHandler handler(TestHandler.Work work) {
    return new TestHandler(SENDER, work);
  }

  private JsonNode onlyBody() throws IOException {
    return MAPPER.readTree(receiver.onlyRequest().body());
  }

  /** The runtime's own line: the last one (the sender logs failed attempts before it). */
  private static JsonNode logLine(Invocation invocation) throws IOException {
    assertThat(invocation.log()).isNotEmpty();
    return MAPPER.readTree(invocation.log().get(invocation.log().size() - 1));
  }

  private static Invocation invoke(CustomResourceHandler<?> handler, ObjectNode event) {
    return invoke(handler, event, context(Duration.ofSeconds(30)));
  }

  private static LocalContext context(Duration timeLeft) {
    return LocalContext.withTimeLeft("mtls-gateway-test", timeLeft, System.err);
  }

  private static Invocation invoke(CustomResourceHandler<?> handler, ObjectNode event, LocalContext context) {
    return invoke(handler, Events.bytes(event), context);
  }

  private static Invocation invoke(CustomResourceHandler<?> handler, byte[] event) {
    return invoke(handler, event, context(Duration.ofSeconds(30)));
  }

  private static Invocation invoke(CustomResourceHandler<?> handler, byte[] event, LocalContext context) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CapturedStdout stdout = CapturedStdout.start()) {
      Throwable thrown = null;
      try {
        handler.handleRequest(new ByteArrayInputStream(event), out, context);
      } catch (IOException | RuntimeException e) {
        thrown = e;
      }
      return new Invocation(out.toByteArray(), stdout.lines(), thrown);
    }
  }
}
