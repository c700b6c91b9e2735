package com.mtlsgateway.aws;

import java.util.Map;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The SDK clients, each built once per container on first use and shared by every invocation (clients are
 * thread-safe, and building one costs much of a cold start).
 *
 * <p>Every client gets: the Region from {@code AWS_REGION} (always set by Lambda; elsewhere the SDK's default
 * chain: {@code aws.region}, then the profile); {@link EnvironmentVariableCredentialsProvider} when
 * {@code AWS_ACCESS_KEY_ID} is set (as in Lambda), else the SDK's default chain; the Apache 5 HTTP client, the
 * project's only one: pure Java, so the package carries no native libraries and a process exits at once, and it sends
 * the PATCH requests of API Gateway's updates, which the JDK's URLConnection client cannot. The endpoint is the SDK's
 * own: {@code AWS_ENDPOINT_URL} or {@code AWS_ENDPOINT_URL_S3} point it at an emulator; with an IP endpoint such as
 * {@code http://127.0.0.1:5000} S3 uses path-style addressing. Every client reports its calls to
 * {@link AwsCallsInFlight#INSTANCE}, so that a request that runs out of time can log what it was waiting for.
 *
 * <p>A failed build (e.g. no Region anywhere) throws the SDK's exception on every call rather than caching it.
 */
public final class AwsClients {
  private static S3Client s3;
  private static AcmClient acm;
  private static SecretsManagerClient secretsManager;
  private static ApiGatewayClient apiGateway;
  private static CloudWatchClient cloudWatch;

  private AwsClients() {}

  /**
   * @return the container's S3 client
   * @throws software.amazon.awssdk.core.exception.SdkClientException when no Region can be found
   */
  public static synchronized S3Client s3() {
    if (s3 == null) {
      s3 = configure(S3Client.builder(), System.getenv()).build();
    }
    return s3;
  }

  /**
   * @return the container's ACM client
   * @throws software.amazon.awssdk.core.exception.SdkClientException when no Region can be found
   */
  public static synchronized AcmClient acm() {
    if (acm == null) {
      acm = configure(AcmClient.builder(), System.getenv()).build();
    }
    return acm;
  }

  /**
   * @return the container's Secrets Manager client
   * @throws software.amazon.awssdk.core.exception.SdkClientException when no Region can be found
   */
  public static synchronized SecretsManagerClient secretsManager() {
    if (secretsManager == null) {
      secretsManager = configure(SecretsManagerClient.builder(), System.getenv()).build();
    }
    return secretsManager;
  }

  /**
   * @return the container's API Gateway (REST APIs, v1) client; its updates are PATCH requests
   * @throws software.amazon.awssdk.core.exception.SdkClientException when no Region can be found
   */
  public static synchronized ApiGatewayClient apiGateway() {
    if (apiGateway == null) {
      apiGateway = configure(ApiGatewayClient.builder(), System.getenv()).build();
    }
    return apiGateway;
  }

  /**
   * @return the container's CloudWatch client (metrics)
   * @throws software.amazon.awssdk.core.exception.SdkClientException when no Region can be found
   */
  public static synchronized CloudWatchClient cloudWatch() {
    if (cloudWatch == null) {
      cloudWatch = configure(CloudWatchClient.builder(), System.getenv()).build();
    }
    return cloudWatch;
  }

  /** Applies the common settings to a client builder, reading the environment from {@code env}. */
  static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder,
      Map<String, String> env) {
    String region = env.get("AWS_REGION");
    if (region != null && !region.isBlank()) {
      builder.region(Region.of(region));
    }
    if (env.get("AWS_ACCESS_KEY_ID") != null) {
      // Lambda sets the role's credentials in the environment: no chain to walk at cold start.
      builder.credentialsProvider(EnvironmentVariableCredentialsProvider.create());
    }
    builder.httpClientBuilder(Apache5HttpClient.builder());
    builder.overrideConfiguration(c -> c.addExecutionInterceptor(AwsCallsInFlight.INSTANCE));
    return builder;
  }

  /**
   * Closes the clients built so far and forgets them (a later call builds new ones). For processes that end after
   * one command, such as {@code bin/mtls}; Lambda never needs it. Never throws.
   */
  public static synchronized void closeAll() {
    for (AutoCloseable client : new AutoCloseable[] {s3, acm, secretsManager, apiGateway, cloudWatch}) {
      if (client != null) {
        try {
          client.close();
        } catch (Exception e) {
          // Closing only releases pooled connections: nothing is lost when it fails.
        }
      }
    }
    s3 = null;
    acm = null;
    secretsManager = null;
    apiGateway = null;
    cloudWatch = null;
  }
}
