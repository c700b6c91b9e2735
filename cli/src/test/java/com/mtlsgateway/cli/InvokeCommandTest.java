package com.mtlsgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mtlsgateway.aws.Metrics;
import com.mtlsgateway.json.JsonCodec;
import com.mtlsgateway.json.JsonObject;
import com.mtlsgateway.customresource.CustomResourceHandler;
import com.mtlsgateway.customresource.CustomResourceRequest;
import com.mtlsgateway.customresource.Deadline;
import com.mtlsgateway.customresource.HttpResponseSender;
import com.mtlsgateway.customresource.Outcome;
import com.mtlsgateway.customresource.ResourceProperties;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** {@code mtls invoke} with stand-in handlers (the protocol around the handler) and with the real one. */
class InvokeCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORIGINAL_URL =
      "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/stack%7CTruststore%7Cid"
          + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=do-not-print-me";

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final List<byte[]> received = new CopyOnWriteArrayList<>();

  private int invoke(Handlers handlers, String event, Duration timeout) throws IOException {
    Path file = Files.writeString(dir.resolve("event.json"), event);
    InvokeCommand command = new InvokeCommand(handlers, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), received::add);
    return command.run(file, timeout);
  }

  private int invoke(RequestStreamHandler handler, String event) throws IOException {
    return invoke(new Handlers(Map.of("Custom::Test", () -> handler)), event, Duration.ofSeconds(30));
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static String event(String resourceType, String requestType) {
    return """
        {
          "RequestType": "%s",
          "ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:TruststoreFunction",
          "ResponseURL": "%s",
          "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/cli-test/5b6c1f40-c7a1-11ef-9a4e-0a1b2c3d4e5f",
          "RequestId": "c3b2a190-7e6d-4c5b-8a9f-0e1d2c3b4a59",
          "LogicalResourceId": "Truststore",
          "PhysicalResourceId": "s3://cli-test-staging/truststore.pem",
          "ResourceType": "%s",
          "ResourceProperties": {
            "ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:TruststoreFunction",
            "ServiceTimeout": "300",
            "SourceUri": "s3://cli-test-source/ca-bundle.pem",
            "StagingBucket": "cli-test-staging",
            "StagingKey": "truststore.pem",
            "AcceptWarnings": "false"
          }
        }
        """.formatted(requestType, ORIGINAL_URL, resourceType);
  }

  /** A stand-in handler that PUTs {@code body} to the event's ResponseURL, as CloudFormation expects. */
  private static RequestStreamHandler putting(String body, String contentType) {
    return (in, output, context) -> {
      URI url = URI.create(JSON.readTree(in).get("ResponseURL").asText());
      HttpRequest.Builder request = HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofString(body));
      if (contentType != null) {
        request.header("Content-Type", contentType);
      }
      try {
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    };
  }

  @Test
  void truststoreDeletePrintsExactlyTheBodyTheHandlerPut() throws IOException {
    int status = invoke(Handlers.builtIn(), event("Custom::Truststore", "Delete"), Duration.ofSeconds(60));

    assertThat(received).as("bodies the local ResponseURL accepted; stderr:\n%s", stderr()).hasSize(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).as("the body, then a newline before the stderr summary")
        .isEqualTo(new String(received.get(0), StandardCharsets.UTF_8) + "\n");
    JsonNode body = JSON.readTree(out.toByteArray());
    assertThat(body.get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(body.get("PhysicalResourceId").asText()).isEqualTo("s3://cli-test-staging/truststore.pem");
    assertThat(body.get("RequestId").asText()).isEqualTo("c3b2a190-7e6d-4c5b-8a9f-0e1d2c3b4a59");
    assertThat(body.get("LogicalResourceId").asText()).isEqualTo("Truststore");
    assertThat(status).isZero();
    assertThat(stderr()).contains("Custom::Truststore Delete Truststore answered SUCCESS");
    assertThat(stderr() + out).doesNotContain("do-not-print-me").doesNotContain("cloudformation-custom-resource");
  }

  @Test
  void unknownResourceTypeExits2AndNamesTheKnownOnes() throws IOException {
    int status = invoke(Handlers.builtIn(), event("Custom::Nope", "Create"), Duration.ofSeconds(5));

    assertThat(status).isEqualTo(2);
    assertThat(out.size()).isZero();
    assertThat(stderr()).contains("no handler for ResourceType 'Custom::Nope'")
        .containsPattern("known types: (Custom::\\w+, )*Custom::DefaultEndpoint, Custom::DomainStatus, (Custom::\\w+, )*"
            + "Custom::ImportedCertificate, (Custom::\\w+, )*Custom::Truststore");
  }

  @Test
  void failedStatusExits1() throws IOException {
    String body = "{\"Status\":\"FAILED\",\"Reason\":\"NOT_PEM\",\"PhysicalResourceId\":\"x\"}";
    assertThat(invoke(putting(body, ""), event("Custom::Test", "Create"))).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(body + "\n");
  }

  @Test
  void aHandlerThatNeverAnswersExits2() throws IOException {
    assertThat(invoke((in, output, context) -> in.readAllBytes(), event("Custom::Test", "Create"))).isEqualTo(2);
    assertThat(out.size()).isZero();
    assertThat(stderr()).contains("the handler sent no response");
  }

  @Test
  void aPutWithAContentTypeIsRefusedLikeThePresignedUrlWould() throws IOException {
    String body = "{\"Status\":\"SUCCESS\",\"PhysicalResourceId\":\"x\"}";
    assertThat(invoke(putting(body, "application/json"), event("Custom::Test", "Create"))).isEqualTo(2);
    assertThat(received).isEmpty();
    assertThat(stderr()).contains("403 SignatureDoesNotMatch").contains("application/json");
  }

  @Test
  void handlerLogsGoToStderrAndOnlyTheBodyToStdout() throws IOException {
    String body = "{\"Status\":\"SUCCESS\",\"PhysicalResourceId\":\"x\"}";
    RequestStreamHandler put = putting(body, null);
    RequestStreamHandler handler = (in, output, context) -> {
      System.out.println("printed with System.out");
      context.getLogger().log("logged with the Lambda logger");
      output.write("the Lambda output stream".getBytes(StandardCharsets.UTF_8));
      put.handleRequest(in, output, context);
    };
    assertThat(invoke(handler, event("Custom::Test", "Create"))).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(body + "\n");
    assertThat(stderr()).contains("printed with System.out\n").contains("logged with the Lambda logger\n");
  }

  @Test
  void theContextCarriesTheDeadline() throws IOException {
    AtomicInteger remaining = new AtomicInteger();
    RequestStreamHandler put = putting("{\"Status\":\"SUCCESS\",\"PhysicalResourceId\":\"x\"}", null);
    RequestStreamHandler handler = (InputStream in, OutputStream output, Context context) -> {
      remaining.set(context.getRemainingTimeInMillis());
      put.handleRequest(in, output, context);
    };
    invoke(new Handlers(Map.of("Custom::Test", () -> handler)), event("Custom::Test", "Create"), Duration.ofSeconds(42));
    assertThat(remaining.get()).isBetween(35_000, 42_000);
  }

  @Test
  void theDeadlineCountsFromWhenTheHandlerHasBeenCreated() throws IOException {
    AtomicInteger remaining = new AtomicInteger();
    RequestStreamHandler put = putting("{\"Status\":\"SUCCESS\",\"PhysicalResourceId\":\"x\"}", null);
    Handlers slowInit = new Handlers(Map.of("Custom::Test", () -> {
      sleep(Duration.ofMillis(1500)); // as building SDK clients takes, in Lambda's init, before the Timeout counts
      return (InputStream in, OutputStream output, Context context) -> {
        remaining.set(context.getRemainingTimeInMillis());
        put.handleRequest(in, output, context);
      };
    }));

    invoke(slowInit, event("Custom::Test", "Create"), Duration.ofSeconds(5));

    assertThat(remaining.get()).isBetween(4_500, 5_000);
  }

  /** A custom resource handler with a slow init and a create that takes as long as an AWS call. */
  private static final class SlowHandler extends CustomResourceHandler<String> {
    SlowHandler() {
      super(new HttpResponseSender(), Clock.systemUTC());
      sleep(Duration.ofMillis(700));
    }

    @Override
    protected String parse(ResourceProperties properties) {
      properties.raw().keySet().forEach(properties::optional);
      properties.finish();
      return "";
    }

    @Override
    protected Outcome create(String properties, CustomResourceRequest request, Deadline deadline) {
      sleep(Duration.ofMillis(300));
      return Outcome.of("slow:created");
    }

    @Override
    protected Outcome update(String properties, String old, CustomResourceRequest request, Deadline deadline) {
      return Outcome.sameId(Map.of());
    }

    @Override
    protected Outcome delete(String properties, CustomResourceRequest request, Deadline deadline) {
      return Outcome.sameId(Map.of());
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 1, 2, 9})
  void aTimeoutBelowTheMinimumGivesOneStableReadableAnswer(int seconds) throws IOException {
    int status = invoke(new Handlers(Map.of("Custom::Test", SlowHandler::new)), event("Custom::Test", "Create"),
        Duration.ofSeconds(seconds));

    assertThat(status).isEqualTo(1);
    JsonNode body = JSON.readTree(out.toByteArray());
    assertThat(body.get("Status").asText()).isEqualTo("FAILED");
    assertThat(body.get("Reason").asText()).isEqualTo("The Create was not started: the function had " + seconds
        + " s left, and a request needs at least 10 s (5 s for the work and 5 s kept to answer CloudFormation);"
        + " raise the function's Timeout to 10 s or more");
    assertThat(stderr()).contains("mtls: --timeout " + seconds + " is less than the 10 s a custom resource handler"
        + " needs to start its work; give --timeout 10 or more (the default is 120)");
  }

  @Test
  void theMinimumTimeoutRunsTheWork() throws IOException {
    int status = invoke(new Handlers(Map.of("Custom::Test", SlowHandler::new)), event("Custom::Test", "Create"),
        CustomResourceHandler.MIN_TIMEOUT);

    assertThat(status).isZero();
    assertThat(JSON.readTree(out.toByteArray()).get("PhysicalResourceId").asText()).isEqualTo("slow:created");
    assertThat(stderr()).doesNotContain("--timeout");
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anEventNestedBeyondTheJsonReadersLimitGetsTheHandlersFailed() throws IOException {
    String event = event("Custom::Test", "Create").replace("\"AcceptWarnings\": \"false\"",
        "\"Deep\": " + "[".repeat(2_000) + "]".repeat(2_000));

    int status = invoke(new Handlers(Map.of("Custom::Test", SlowHandler::new)), event, Duration.ofSeconds(30));

    assertThat(status).isEqualTo(1);
    assertThat(JSON.readTree(out.toByteArray()).get("Reason").asText())
        .isEqualTo("Property Deep must be a string, not a list: give it a single value");
  }

  @Test
  void aHandlerStillRunningAfterItsDeadlineIsGivenUpOn() throws IOException {
    RequestStreamHandler sleeper = (in, output, context) -> {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    long start = System.nanoTime();
    int status = invoke(new Handlers(Map.of("Custom::Test", () -> sleeper)), event("Custom::Test", "Create"),
        Duration.ofSeconds(1));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(status).isEqualTo(2);
    assertThat(stderr()).contains("still running").contains("sent no response");
  }

  @Test
  void aHandlerThatCannotBeCreatedExits2WithTheReason() throws IOException {
    Handlers broken = new Handlers(Map.of("Custom::Test", () -> {
      throw new IllegalStateException("no S3 client", new RuntimeException("Unable to load region"));
    }));
    assertThat(invoke(broken, event("Custom::Test", "Create"), Duration.ofSeconds(5))).isEqualTo(2);
    assertThat(out.size()).isZero();
    assertThat(stderr()).contains("the handler could not be created")
        .contains("IllegalStateException: no S3 client; caused by RuntimeException: Unable to load region");
  }

  @Test
  void eventsThatCannotBeCustomResourceEventsExit2() throws IOException {
    Handlers handlers = Handlers.builtIn();
    assertThat(invoke(handlers, "not json", Duration.ofSeconds(5))).isEqualTo(2);
    assertThat(invoke(handlers, "[1, 2]", Duration.ofSeconds(5))).isEqualTo(2);
    assertThat(invoke(handlers, "{\"RequestType\": \"Create\"}", Duration.ofSeconds(5))).isEqualTo(2);
    assertThat(invoke(handlers, "{\"ResourceType\": \"Custom::Truststore\"}", Duration.ofSeconds(5))).isEqualTo(2);
    assertThat(stderr()).contains("is not JSON").contains("is not a JSON object").contains("has no ResourceType")
        .contains("has no ResponseURL");
    assertThat(out.size()).isZero();
  }

  @Test
  void aMissingEventFileExits2() {
    InvokeCommand command = new InvokeCommand(Handlers.builtIn(), new PrintStream(out), new PrintStream(err));
    assertThat(command.run(dir.resolve("missing.json"), Duration.ofSeconds(5))).isEqualTo(2);
    assertThat(stderr()).contains("cannot read").contains("no such file");
  }

  private static String scheduled(String ruleArn) {
    return """
        {"version": "0", "id": "4e1b7c2a-9d3f-4a68-b5e0-2c8f1d6a7b94", "detail-type": "Scheduled Event",
         "source": "aws.events", "account": "123456789012", "time": "2030-01-01T00:00:00Z", "region": "us-east-1",
         "resources": ["%s"], "detail": {}}""".formatted(ruleArn);
  }

  /** Stand-ins for the two scheduled functions: each answers with the result event its real one returns. */
  private static Handlers scheduledHandlers(Map<String, String> environment, List<String> ran) {
    RequestStreamHandler refresh = (in, out, context) -> {
      ran.add("refresh");
      out.write("{\"event\":\"revocation.refreshed\",\"indexUri\":\"s3://b/i\",\"indexVersion\":\"v\"}"
          .getBytes(StandardCharsets.UTF_8));
    };
    RequestStreamHandler expiry = (in, out, context) -> {
      ran.add("expiry");
      out.write(("{\"event\":\"truststore.expiry.checked\",\"earliestSubject\":\"CN=Root\",\"daysLeft\":12.5,"
          + "\"metric\":\"MtlsGateway/TruststoreDaysToEarliestExpiry\",\"StackName\":\"demo\"}")
          .getBytes(StandardCharsets.UTF_8));
    };
    return new Handlers(Map.of(), () -> null, Map.of(Handlers.REFRESH_RULE, () -> refresh, Handlers.EXPIRY_RULE,
        () -> expiry), environment);
  }

  @Test
  void aScheduledEventRunsTheFunctionOfItsRule() throws IOException {
    List<String> ran = new CopyOnWriteArrayList<>();
    Handlers handlers = scheduledHandlers(Map.of("TRUSTSTORE_URI", "s3://b/t.pem?versionId=v", "STACK_NAME", "demo",
        "REVOCATION_LIST_URIS", "http://crl.example.com/ca.crl", "REVOCATION_INDEX_URI", "s3://b/i"), ran);

    assertThat(invoke(handlers, scheduled("arn:aws:events:us-east-1:123456789012:rule/"
        + "demo-TruststoreExpiryFunctionDaily-R7m2Xc4Tq9Vb"), Duration.ofSeconds(30))).as(stderr()).isZero();
    assertThat(stderr()).contains("mtls: the check published MtlsGateway/TruststoreDaysToEarliestExpiry = 12.5 days"
        + " (StackName=demo): CN=Root expires first");
    assertThat(invoke(handlers, scheduled("arn:aws:events:us-east-1:123456789012:rule/"
        + "demo-RevocationRefreshFunctionRefresh-K3v8Qw1Zp6Ld"), Duration.ofSeconds(30))).as(stderr()).isZero();

    assertThat(ran).containsExactly("expiry", "refresh");
  }

  @Test
  void aScheduledEventOfAnotherRuleOrWithoutItsSettingsIsRefused() throws IOException {
    List<String> ran = new CopyOnWriteArrayList<>();

    assertThat(invoke(scheduledHandlers(Map.of(), ran), scheduled("arn:aws:events:us-east-1:123456789012:rule/"
        + "demo-SomethingElse-R7m2Xc4Tq9Vb"), Duration.ofSeconds(30))).isEqualTo(2);
    assertThat(stderr()).contains("but its rule demo-SomethingElse-R7m2Xc4Tq9Vb does not name one rule of the"
        + " template, in full or cut short: choose the function by the rule's name in resources,"
        + " arn:aws:events:REGION:ACCOUNT:rule/STACK-RULE-SUFFIX with RULE one of RevocationRefreshFunctionRefresh,"
        + " TruststoreExpiryFunctionDaily or its start");
    assertThat(invoke(scheduledHandlers(Map.of(), ran), scheduled("arn:aws:events:us-east-1:123456789012:rule/"
        + "demo-Revocation-Truststore-R7m2Xc4Tq9Vb"), Duration.ofSeconds(30))).isEqualTo(2);
    assertThat(invoke(scheduledHandlers(Map.of(), ran), scheduled("arn:aws:lambda:us-east-1:123456789012:function:f"),
        Duration.ofSeconds(30))).isEqualTo(2);
    assertThat(stderr()).contains("but its resources do not hold the ARN of one rule: choose the function");
    assertThat(invoke(scheduledHandlers(Map.of("TRUSTSTORE_URI", "s3://b/t.pem?versionId=v"), ran),
        scheduled("arn:aws:events:us-east-1:123456789012:rule/demo-TruststoreExpiryFunctionDaily-R7m2Xc4Tq9Vb"),
        Duration.ofSeconds(30))).isEqualTo(2);
    assertThat(stderr()).contains("mtls: a scheduled event of rule TruststoreExpiryFunctionDaily needs STACK_NAME,");

    assertThat(ran).isEmpty();
  }

  @Test
  void aRuleNameCutShortByCloudFormationStillNamesItsFunction() throws IOException {
    List<String> ran = new CopyOnWriteArrayList<>();
    Handlers handlers = scheduledHandlers(Map.of("TRUSTSTORE_URI", "s3://b/t.pem?versionId=v", "STACK_NAME", "demo",
        "REVOCATION_LIST_URIS", "http://crl.example.com/ca.crl", "REVOCATION_INDEX_URI", "s3://b/i"), ran);
    // 64 characters: CloudFormation shortened both the stack's name and the rule's logical id.
    String name = "mtls-gateway-production-eu-west-1-b-RevocationRefre-K3v8Qw1Zp6Ld";
    assertThat(name).hasSize(64);
    String arn = "arn:aws:events:us-east-1:123456789012:rule/" + name;

    assertThat(invoke(handlers, scheduled(arn), Duration.ofSeconds(30))).as(stderr()).isZero();

    assertThat(ran).containsExactly("refresh");
    JsonObject event = (JsonObject) JsonCodec.parse(scheduled(arn).getBytes(StandardCharsets.UTF_8));
    assertThat(InvokeCommand.rule(event, handlers.rules()))
        .contains(new InvokeCommand.RuleName(Handlers.REFRESH_RULE, "mtls-gateway-production-eu-west-1-b"));
  }

  @Test
  void aRefreshThatStagedItsIndexButPublishedNoMetricIsToldApartFromAFailedOne() throws IOException {
    RequestStreamHandler refreshedWithoutMetric = (in, output, context) -> {
      output.write("{\"event\":\"revocation.refreshed\",\"indexUri\":\"s3://b/i\",\"indexVersion\":\"v2\"}"
          .getBytes(StandardCharsets.UTF_8));
      new Metrics(null, Map.of()); // no STACK_NAME: the metric cannot be published
    };
    Handlers handlers = new Handlers(Map.of(), () -> null, Map.of(Handlers.REFRESH_RULE, () -> refreshedWithoutMetric),
        Map.of("TRUSTSTORE_URI", "s3://b/t.pem?versionId=v", "STACK_NAME", "demo", "REVOCATION_LIST_URIS",
            "http://crl.example.com/ca.crl", "REVOCATION_INDEX_URI", "s3://b/i"));

    assertThat(invoke(handlers, scheduled("arn:aws:events:us-east-1:123456789012:rule/"
        + "demo-RevocationRefreshFunctionRefresh-K3v8Qw1Zp6Ld"), Duration.ofSeconds(30))).isEqualTo(1);

    assertThat(JSON.readTree(out.toByteArray()).get("errorType").asText()).isEqualTo(Metrics.MetricException.class
        .getName());
    assertThat(stderr()).contains("mtls: the refresh staged s3://b/i version v2 (a new version), but its metric was"
        + " not published").contains("what it staged is in place").contains("STACK_NAME is not set")
        .doesNotContain("the refresh failed").doesNotContain("the last good index stays");
  }

  @Test
  void handlersTakeOnlyTheTemplatesScheduledFunctions() {
    assertThatThrownBy(() -> new Handlers(Map.of(), () -> null, Map.of("SomethingElse", () -> null), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("no scheduled function of the template has the rule"
            + " SomethingElse");
    assertThat(Handlers.builtIn().rules()).containsExactlyInAnyOrderElementsOf(Handlers.SCHEDULED.stream()
        .map(Handlers.Scheduled::rule).toList());
  }
}
