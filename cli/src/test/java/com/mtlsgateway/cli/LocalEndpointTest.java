package com.mtlsgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code invoke --prepare} changes only an emulator on this machine. */
class LocalEndpointTest {

  @Test
  void aLoopbackEndpointIsLocal() {
    for (String endpoint : new String[] {"http://127.0.0.1:5000", "http://localhost:4566", "http://[::1]:5000",
        "https://LOCALHOST:8443/"}) {
      assertThat(LocalEndpoint.problem(Map.of("AWS_ENDPOINT_URL", endpoint), Map.of())).as(endpoint).isEmpty();
    }
    assertThat(LocalEndpoint.problem(Map.of(), Map.of("aws.endpointUrl", "http://127.0.0.1:5000"))).isEmpty();
  }

  @Test
  void noEndpointMeansAwsItself() {
    assertThat(LocalEndpoint.problem(Map.of(), Map.of())).get().asString()
        .startsWith("AWS_ENDPOINT_URL is not set, so the AWS calls would go to AWS itself")
        .contains("export AWS_ENDPOINT_URL=http://127.0.0.1:5000");
    assertThat(LocalEndpoint.problem(Map.of("AWS_ENDPOINT_URL", " "), Map.of())).isPresent();
  }

  @Test
  void anEndpointElsewhereIsRefused() {
    for (String endpoint : new String[] {"https://s3.us-east-1.amazonaws.com", "http://10.0.0.5:5000",
        "http://127.0.0.1.example.com:5000", "not a url", "http://localhost.evil:80"}) {
      assertThat(LocalEndpoint.problem(Map.of("AWS_ENDPOINT_URL", endpoint), Map.of())).as(endpoint).get().asString()
          .contains("AWS_ENDPOINT_URL=" + endpoint + " is not on this machine");
    }
  }

  @Test
  void aServiceEndpointElsewhereIsRefusedEvenWithALocalGlobalOne() {
    assertThat(LocalEndpoint.problem(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5000",
        "AWS_ENDPOINT_URL_SECRETS_MANAGER", "https://secretsmanager.us-east-1.amazonaws.com"), Map.of()))
        .get().asString().startsWith("AWS_ENDPOINT_URL_SECRETS_MANAGER=https://secretsmanager");
    assertThat(LocalEndpoint.problem(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
        Map.of("aws.endpointUrlS3", "https://s3.amazonaws.com"))).get().asString()
        .startsWith("AWS_ENDPOINT_URL_S3=https://s3.amazonaws.com");
    assertThat(LocalEndpoint.problem(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5000",
        "AWS_ENDPOINT_URL_API_GATEWAY", "http://localhost:5001"), Map.of())).isEmpty();
    assertThat(LocalEndpoint.problem(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
        Map.of("aws.endpointUrlCloudWatch", "https://monitoring.us-east-1.amazonaws.com"))).get().asString()
        .startsWith("AWS_ENDPOINT_URL_CLOUDWATCH=https://monitoring");
  }

  @Test
  void theSystemPropertyWinsOverTheEnvironmentAsInTheSdk() {
    assertThat(LocalEndpoint.problem(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
        Map.of("aws.endpointUrl", "https://apigateway.us-east-1.amazonaws.com"))).isPresent();
  }

  @Test
  void ignoringConfiguredEndpointsIsRefused() {
    assertThat(LocalEndpoint.problem(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5000",
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"), Map.of())).get().asString()
        .contains("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true");
  }
}
