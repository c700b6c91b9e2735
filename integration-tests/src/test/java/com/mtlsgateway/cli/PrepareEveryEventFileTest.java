package com.mtlsgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mtlsgateway.certificate.ServerCertificates;
import com.mtlsgateway.aws.Metrics;
import com.mtlsgateway.revocation.CrlChecker;
import com.mtlsgateway.testing.MotoServer;
import com.mtlsgateway.testing.PublishedMetrics;
import com.mtlsgateway.truststore.TruststoreExpiryHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.acm.model.CertificateSummary;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code mtls invoke --prepare EVENT_FILE} on every file in events/, each against a moto server that holds nothing
 * (reset before each file): the command alone makes the event run as in a deploy, and the handler's answer is the one
 * the event is meant to get.
 *
 * <p>The files run in this JVM ({@link Main#run}, the SDK pointed at moto by {@link MotoServer}'s system properties):
 * a JVM per file would take most of this class's time. {@code bin/mtls invoke --prepare} itself, with
 * AWS_ENDPOINT_URL in its environment, runs in {@link #theCertificateUpdateReimportsOverTheCertificateItsCreateImported}
 * and {@link #anEndpointOtherThanThisMachineIsRefusedBeforeAnyCall} (and in bin/demo's last step, on every
 * imported-certificate, default-endpoint and domain-status file: DemoScriptTest).
 */
@ExtendWith(MotoServer.class)
class PrepareEveryEventFileTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  /** Exit status and response of the files not meant to answer SUCCESS (or, for the refresh, to refresh). */
  private static final Map<String, Integer> NEGATIVE = Map.of(
      "truststore-create-invalid.json", 1,
      "authorizer-revoked.json", 1,
      "authorizer-no-client-cert.json", 1);

  private final MotoServer.Running moto;
  private final Path root = Command.projectRoot();

  PrepareEveryEventFileTest(MotoServer.Running moto) {
    this.moto = moto;
  }

  /** {@code mtls invoke --prepare} in this JVM; @param file a file of events/, or the path of another event file */
  private Command prepare(String file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"invoke", "--prepare", eventPath(file)},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Command(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** {@code bin/mtls invoke --prepare events/FILE} as a user runs it, in its own JVM, from the checkout. */
  private Command binMtlsPrepare(String file) throws IOException, InterruptedException {
    return Command.run(root, TIMEOUT, List.of(root.resolve("bin/mtls").toString(), "invoke", "--prepare",
        "events/" + file), Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString(), "AWS_REGION", MotoServer.REGION,
        "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test"));
  }

  private String eventPath(String file) {
    return file.contains("/") ? file : root.resolve("events").resolve(file).toString();
  }

  private static JsonNode body(Command run) throws IOException {
    assertThat(run.stdout()).as(run.transcript()).startsWith("{");
    return JSON.readTree(run.stdout());
  }

  static List<String> eventFiles(Path root) {
    try (Stream<Path> files = Files.list(root.resolve("events"))) {
      return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
          .filter(name -> name.endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The daily truststore expiry check as a user runs it: the truststore Create runs first and the metric lands in
   * moto's CloudWatch, for the stack the event's rule names, with the days left to the demo bundle's earliest expiry.
   */
  @Test
  void binMtlsRunsTheTruststoreExpiryCheckAndItsMetricIsInCloudWatch() throws Exception {
    moto.reset();

    Command run = binMtlsPrepare("expiry-check-scheduled.json");

    assertThat(run.exitCode()).as(run.transcript()).isZero();
    assertThat(run.stderr()).contains("running events/truststore-create.json first",
        "TRUSTSTORE_URI=s3://mtls-gateway-demo-truststore/truststore.pem?versionId=", "STACK_NAME=mtls-gateway-demo",
        "the check published MtlsGateway/TruststoreDaysToEarliestExpiry = ");
    JsonNode body = body(run);
    X509Certificate earliest = CrlChecker.truststore(Files.readAllBytes(root.resolve(
        "events/truststore/ca-bundle.pem"))).stream().min(Comparator.comparing(X509Certificate::getNotAfter))
        .orElseThrow();
    assertThat(body.get("earliestSubject").asText()).isEqualTo(earliest.getSubjectX500Principal().getName());
    try (CloudWatchClient cloudWatch = EmulatorCloudWatch.client()) {
      assertThat(PublishedMetrics.of(cloudWatch, TruststoreExpiryHandler.METRIC, "mtls-gateway-demo"))
          .singleElement().satisfies(point -> assertThat(point.minimum())
              .isCloseTo(body.get("daysLeft").asDouble(), within(0.01))
              .isCloseTo(Metrics.daysBetween(Instant.now(), earliest.getNotAfter().toInstant()), within(0.01)));
    }
  }

  @TestFactory
  Stream<DynamicTest> everyEventFileRunsOnAnEmptyEmulatorWithItsExpectedAnswer() {
    List<String> files = eventFiles(root);
    assertThat(files).hasSize(24);
    return files.stream().map(file -> DynamicTest.dynamicTest(file, () -> {
      moto.reset();
      Command run = prepare(file);
      int expected = NEGATIVE.getOrDefault(file, 0);
      assertThat(run.exitCode()).as(run.transcript()).isEqualTo(expected);
      JsonNode body = body(run);
      if (file.startsWith("authorizer-")) {
        assertThat(body.at("/policyDocument/Statement/0/Effect").asText()).as(run.transcript())
            .isEqualTo(expected == 0 ? "Allow" : "Deny");
        assertThat(run.stderr()).contains("REVOCATION_INDEX_URI=s3://mtls-gateway-demo-truststore/revocation/index.bin");
      } else if (file.startsWith("revocation-refresh")) {
        assertThat(body.get("event").asText()).as(run.transcript()).isEqualTo("revocation.refreshed");
        assertThat(body.get("revokedCount").asInt()).isEqualTo(1);
      } else if (file.startsWith("expiry-check-")) {
        assertThat(body.get("event").asText()).as(run.transcript()).isEqualTo("truststore.expiry.checked");
        assertThat(body.get("StackName").asText()).isEqualTo("mtls-gateway-demo");
      } else {
        assertThat(body.get("Status").asText()).as(run.transcript()).isEqualTo(expected == 0 ? "SUCCESS" : "FAILED");
      }
      if (file.contains("-update") || file.contains("-delete")) {
        assertThat(run.stderr()).as(run.transcript()).contains("running that Create first")
            .contains("answered SUCCESS");
      }
      assertThat(run.stdout() + run.stderr()).doesNotContain("PRIVATE KEY").doesNotContain("X-Amz-Signature");
    }));
  }

  @Test
  void theCertificateUpdateReimportsOverTheCertificateItsCreateImported() throws Exception {
    moto.reset();
    Command run = binMtlsPrepare("imported-certificate-update.json");
    assertThat(run.exitCode()).as(run.transcript()).isZero();
    JsonNode body = body(run);
    try (AcmClient acm = ServerCertificates.acm(); S3Client s3 = moto.s3()) {
      List<CertificateSummary> certificates = acm.listCertificates().certificateSummaryList();
      assertThat(certificates).as("one certificate: the Update re-imported over the Create's").hasSize(1);
      String arn = certificates.get(0).certificateArn();
      assertThat(body.get("PhysicalResourceId").asText()).isEqualTo(arn)
          .isNotEqualTo("arn:aws:acm:us-east-1:123456789012:certificate/8f4c2e1a-6b3d-4a7e-9c5f-1d2e3f4a5b6c");
      assertThat(run.stderr()).contains("replaced by " + arn + ": the id the Create answered");
      String renewal = s3.getObjectAsBytes(b -> b.bucket(ServerCertificates.BUCKET).key("server-2026.pem"))
          .asUtf8String();
      assertThat(acm.getCertificate(b -> b.certificateArn(arn)).certificate().strip()).isEqualTo(renewal.strip());
      assertThat(acm.listTagsForCertificate(b -> b.certificateArn(arn)).tags())
          .anyMatch(t -> t.key().equals("mtls-gateway:stack"));
    }
    assertThat(run.stderr()).contains("replaced by arn:aws:secretsmanager:us-east-1:123456789012:secret:"
        + ServerCertificates.SECRET_NAME + "-");
  }

  @Test
  void theCertificateDeleteRemovesWhatItsCreateImported() throws Exception {
    moto.reset();
    Command run = prepare("imported-certificate-delete.json");
    assertThat(run.exitCode()).as(run.transcript()).isZero();
    try (AcmClient acm = ServerCertificates.acm()) {
      assertThat(acm.listCertificates().certificateSummaryList()).isEmpty();
    }
  }

  /** A second run keeps what the first made (and a user's own objects at those names). */
  @Test
  void whatIsAlreadyInTheEmulatorIsKept() throws Exception {
    moto.reset();
    Command first = prepare("imported-certificate-create.json");
    assertThat(first.exitCode()).as(first.transcript()).isZero();
    Command second = prepare("imported-certificate-create.json");
    assertThat(second.exitCode()).as(second.transcript()).isZero();
    assertThat(second.stderr()).contains("mtls: --prepare: kept the certificate, chain and key already there")
        .doesNotContain("made now");
    try (S3Client s3 = moto.s3()) {
      s3.createBucket(b -> b.bucket("mtls-gateway-demo-source"));
      s3.putObject(b -> b.bucket("mtls-gateway-demo-source").key("ca-bundle.pem"),
          RequestBody.fromBytes(
              Files.readAllBytes(root.resolve("events/truststore/ca-bundle-v2.pem"))));
    }
    Command own = prepare("truststore-create.json");
    assertThat(own.exitCode()).as(own.transcript()).isZero();
    assertThat(own.stderr()).contains("kept s3://mtls-gateway-demo-source/ca-bundle.pem (already there)");
    assertThat(body(own).at("/Data/CertificateCount").asText()).as("the bundle already there was read").isEqualTo("3");
  }

  @Test
  void anObjectWithoutADemoFileIsReportedAndAMalformedUriStopsThePreparation(@TempDir Path dir) throws Exception {
    moto.reset();
    String event = Files.readString(root.resolve("events/truststore-create.json"), StandardCharsets.UTF_8);
    Path mine = Files.writeString(dir.resolve("mine.json"),
        event.replace("s3://mtls-gateway-demo-source/ca-bundle.pem", "s3://mtls-gateway-demo-source/mine.pem"));
    Command missing = prepare(mine.toString());
    assertThat(missing.exitCode()).as(missing.transcript()).isEqualTo(1);
    assertThat(missing.stderr()).contains("mtls: --prepare: s3://mtls-gateway-demo-source/mine.pem is missing and"
        + " there is no demo file for it: put your own");
    assertThat(body(missing).get("Reason").asText()).contains("SourceUri s3://mtls-gateway-demo-source/mine.pem");

    Path malformed = Files.writeString(dir.resolve("malformed.json"),
        event.replace("s3://mtls-gateway-demo-source/ca-bundle.pem", "s3://Not_A_Bucket/ca-bundle.pem"));
    Command stopped = prepare(malformed.toString());
    assertThat(stopped.exitCode()).as(stopped.transcript()).isEqualTo(2);
    assertThat(stopped.stdout()).isEmpty();
    assertThat(stopped.stderr()).contains("mtls: --prepare: the event names s3://Not_A_Bucket/ca-bundle.pem, which"
        + " has an invalid bucket name");
  }

  @Test
  void anEndpointOtherThanThisMachineIsRefusedBeforeAnyCall() throws Exception {
    Command run = Command.run(root, TIMEOUT, List.of(root.resolve("bin/mtls").toString(), "invoke", "--prepare",
        "events/truststore-create.json"), Map.of("AWS_ENDPOINT_URL", "https://s3.us-east-1.amazonaws.com",
        "AWS_REGION", MotoServer.REGION));
    assertThat(run.exitCode()).as(run.transcript()).isEqualTo(2);
    assertThat(run.stdout()).isEmpty();
    assertThat(run.stderr()).contains("mtls: invoke --prepare refused: AWS_ENDPOINT_URL="
        + "https://s3.us-east-1.amazonaws.com is not on this machine");
  }
}
