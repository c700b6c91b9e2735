package com.mtlsgateway.customresource;

import static org.assertj.core.api.Assertions.assertThat;

import com.mtlsgateway.testing.CapturedStdout;
import com.mtlsgateway.testing.LocalReceiver;
import com.mtlsgateway.testing.LocalReceiver.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpResponseSenderTest {
  private static final byte[] BODY = "{\"Status\":\"SUCCESS\"}".getBytes(StandardCharsets.UTF_8);

  private LocalReceiver receiver;

  @BeforeEach
  void startReceiver() {
    receiver = LocalReceiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  @Test
  void putsTheBodyWithAnEmptyContentTypeAndAContentLength() {
    boolean delivered = sender(4).send(receiver.url(), BODY, in(Duration.ofSeconds(5)));

    assertThat(delivered).isTrue();
    LocalReceiver.Request request = receiver.onlyRequest();
    assertThat(request.method()).isEqualTo("PUT");
    assertThat(request.uri().getRawPath()).isEqualTo(receiver.url().getRawPath());
    assertThat(request.uri().getRawQuery()).isEqualTo(receiver.url().getRawQuery());
    assertThat(request.headers()).containsKey("content-type");
    assertThat(request.header("Content-Type")).isEmpty();
    assertThat(request.header("Content-Length")).isEqualTo(String.valueOf(BODY.length));
    assertThat(request.body()).isEqualTo(BODY);
  }

  @Test
  void retriesAfterServerErrors() {
    receiver.script(Reply.status(500), Reply.s3Error(503, "SlowDown"));

    boolean delivered = sender(4).send(receiver.url(), BODY, in(Duration.ofSeconds(5)));

    assertThat(delivered).isTrue();
    assertThat(receiver.requests()).hasSize(3).allSatisfy(request -> assertThat(request.body()).isEqualTo(BODY));
  }

  @Test
  void retriesAfterADroppedConnection() {
    receiver.script(Reply.dropConnection());

    boolean delivered = sender(4).send(receiver.url(), BODY, in(Duration.ofSeconds(5)));

    assertThat(delivered).isTrue();
    assertThat(receiver.requests()).hasSize(2);
  }

  @Test
  void abandonsASlowAnswerAndRetries() {
    receiver.script(Reply.status(200).after(Duration.ofSeconds(10)));
    Instant start = Instant.now();

    boolean delivered = sender(4).send(receiver.url(), BODY, in(Duration.ofSeconds(1)));

    assertThat(delivered).isTrue();
    assertThat(receiver.requests()).hasSize(2);
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void clientErrorIsNotRetriedAndItsCodeIsLoggedWithoutTheUrl() {
    receiver.script(Reply.s3Error(403, "SignatureDoesNotMatch"));
    boolean delivered;
    String log;
    try (CapturedStdout stdout = CapturedStdout.start()) {
      delivered = sender(4).send(receiver.url(), BODY, in(Duration.ofSeconds(5)));
      log = stdout.text();
    }

    assertThat(delivered).isFalse();
    assertThat(receiver.requests()).hasSize(1);
    assertThat(log).contains("giving up", "HTTP 403 SignatureDoesNotMatch")
        .doesNotContain(receiver.url().getHost(), receiver.url().getRawPath(), receiver.url().getRawQuery());
  }

  @Test
  void stopsAfterMaxAttempts() {
    receiver.script(Reply.status(500), Reply.status(500), Reply.status(500), Reply.status(500));

    boolean delivered = sender(3).send(receiver.url(), BODY, in(Duration.ofSeconds(5)));

    assertThat(delivered).isFalse();
    assertThat(receiver.requests()).hasSize(3);
  }

  @Test
  void stopsRetryingAtTheDeliveryDeadline() {
    for (int i = 0; i < 200; i++) {
      receiver.script(Reply.status(500));
    }
    Instant deliverBy = in(Duration.ofMillis(400));

    boolean delivered = new HttpResponseSender(new HttpResponseSender.RetryPolicy(200, Duration.ofMillis(40),
        Duration.ofMillis(40), Duration.ofSeconds(1)), Clock.systemUTC()).send(receiver.url(), BODY, deliverBy);

    assertThat(delivered).isFalse();
    assertThat(receiver.requests().size()).isBetween(2, 100);
    assertThat(Instant.now()).isBefore(deliverBy.plusMillis(100));
  }

  @Test
  void unreachableUrlIsNotDelivered() {
    receiver.close(); // nothing listens on its port any more

    assertThat(sender(2).send(receiver.url(), BODY, in(Duration.ofSeconds(2)))).isFalse();
  }

  private static HttpResponseSender sender(int maxAttempts) {
    return new HttpResponseSender(new HttpResponseSender.RetryPolicy(maxAttempts, Duration.ofMillis(10),
        Duration.ofMillis(40), Duration.ofSeconds(2)), Clock.systemUTC());
  }

  private static Instant in(Duration duration) {
    return Instant.now().plus(duration);
  }
}
