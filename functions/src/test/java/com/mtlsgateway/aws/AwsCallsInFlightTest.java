package com.mtlsgateway.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mtlsgateway.testing.LocalReceiver;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class AwsCallsInFlightTest {

  private static S3Client s3(URI endpoint, AwsCallsInFlight tracker) {
    return S3Client.builder().region(Region.US_EAST_1).endpointOverride(endpoint).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .overrideConfiguration(c -> c.addExecutionInterceptor(tracker).retryStrategy(r -> r.maxAttempts(1)))
        .build();
  }

  @Test
  void aCallIsListedWhileItRunsAndNotOnceItSucceedsOrFails() throws Exception {
    AwsCallsInFlight tracker = new AwsCallsInFlight();
    long before = System.nanoTime();
    try (LocalReceiver server = LocalReceiver.start(); S3Client s3 = s3(server.url().resolve("/"), tracker)) {
      server.script(LocalReceiver.Reply.status(200).after(Duration.ofSeconds(3)), LocalReceiver.Reply.status(500));
      CompletableFuture<?> slow = CompletableFuture.runAsync(
          () -> s3.putObject(b -> b.bucket("bucket").key("key"), RequestBody.fromString("x")));

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (server.requests().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      Thread.sleep(300);
      assertThat(tracker.startedSince(before)).singleElement().satisfies(call -> {
        assertThat(call.service()).isEqualTo("S3");
        assertThat(call.operation()).isEqualTo("PutObject");
        assertThat(call.running()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
      });
      assertThat(tracker.startedSince(System.nanoTime())).isEmpty();

      slow.get(10, TimeUnit.SECONDS);
      assertThat(tracker.startedSince(before)).isEmpty();
      assertThatThrownBy(() -> s3.putObject(b -> b.bucket("bucket").key("key"), RequestBody.fromString("x")))
          .isInstanceOf(SdkException.class);
      assertThat(tracker.startedSince(before)).isEmpty();
    }
  }
}
