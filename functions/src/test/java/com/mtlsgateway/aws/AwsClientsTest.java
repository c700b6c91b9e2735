package com.mtlsgateway.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class AwsClientsTest {

  @Test
  void lambdaEnvironmentGivesItsRegionAndEnvironmentCredentials() {
    Map<String, String> lambda = Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY", "example", "AWS_SESSION_TOKEN", "example");

    try (S3Client s3 = AwsClients.configure(S3Client.builder(), lambda).build()) {
      assertThat(s3.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
      assertThat(s3.serviceClientConfiguration().credentialsProvider())
          .isInstanceOf(EnvironmentVariableCredentialsProvider.class);
    }
  }

  @Test
  void withoutEnvironmentCredentialsTheSdkDefaultChainIsUsed() {
    try (S3Client s3 = AwsClients.configure(S3Client.builder(), Map.of("AWS_REGION", "us-east-2")).build()) {
      assertThat(s3.serviceClientConfiguration().region()).isEqualTo(Region.US_EAST_2);
      assertThat(s3.serviceClientConfiguration().credentialsProvider())
          .isNotInstanceOf(EnvironmentVariableCredentialsProvider.class);
    }
  }

  @Test
  void everyClientReportsItsCallsInFlight() {
    try (S3Client s3 = AwsClients.configure(S3Client.builder(), Map.of("AWS_REGION", "us-east-2")).build()) {
      assertThat(s3.serviceClientConfiguration().overrideConfiguration().executionInterceptors())
          .contains(AwsCallsInFlight.INSTANCE);
    }
  }
}
