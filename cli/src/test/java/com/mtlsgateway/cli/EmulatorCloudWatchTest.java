package com.mtlsgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

/**
 * The CloudWatch client for a local emulator never reaches AWS, even when the profile file tells the SDK to ignore the
 * configured endpoint ({@code ignore_configured_endpoint_urls = true}).
 */
class EmulatorCloudWatchTest {

  private static final List<String> PROPERTIES = List.of("aws.configFile", "aws.endpointUrl",
      "aws.ignoreConfiguredEndpointUrls", "aws.accessKeyId", "aws.secretAccessKey");

  @TempDir
  Path dir;

  private HttpServer emulator;
  private final List<String> targets = new CopyOnWriteArrayList<>();

  @BeforeEach
  void aLocalEndpointAndAProfileThatIgnoresIt() throws IOException {
    emulator = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    emulator.createContext("/", exchange -> {
      targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
      exchange.getRequestBody().readAllBytes();
      byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    emulator.start();
    Path config = Files.writeString(dir.resolve("config"), "[default]\nignore_configured_endpoint_urls = true\n");
    PROPERTIES.forEach(System::clearProperty);
    System.setProperty("aws.configFile", config.toString());
    System.setProperty("aws.endpointUrl", "http://127.0.0.1:" + emulator.getAddress().getPort());
    System.setProperty("aws.accessKeyId", "testing");
    System.setProperty("aws.secretAccessKey", "testing");
  }

  @AfterEach
  void restore() {
    emulator.stop(0);
    PROPERTIES.forEach(System::clearProperty);
  }

  private static void putOneDataPoint(CloudWatchClient cloudWatch) {
    try (cloudWatch) {
      cloudWatch.putMetricData(b -> b.namespace("MtlsGateway")
          .metricData(MetricDatum.builder().metricName("Test").value(1.0).build()));
    }
  }

  @Test
  void aRequestForAnotherHostIsRefusedBeforeItIsSent() {
    assertThatThrownBy(() -> putOneDataPoint(EmulatorCloudWatch.client()))
        .hasStackTraceContaining("the CloudWatch client for a local emulator refused to call"
            + " monitoring.us-east-1.amazonaws.com, which is not this machine")
        .hasStackTraceContaining("ignore_configured_endpoint_urls = true");
    assertThat(targets).isEmpty();
  }

  @Test
  void theHandlersClientKeepsTheLocalEndpointThatPassedTheCheck() {
    assertThat(LocalEndpoint.problem(Map.of(), LocalEndpoint.systemProperties())).isEmpty();

    putOneDataPoint(Handlers.cloudWatch());

    assertThat(targets).containsExactly("GraniteServiceVersion20100801.PutMetricData");
    assertThat(System.getProperty("aws.ignoreConfiguredEndpointUrls")).isEqualTo("false");
  }
}
