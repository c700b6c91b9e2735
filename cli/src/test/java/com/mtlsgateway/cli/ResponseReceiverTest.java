package com.mtlsgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseReceiverTest {

  @ParameterizedTest
  @CsvSource({"OPTIONS, an OPTIONS", "POST, a POST"})
  void anotherMethodThanPutIsRefusedNamingItWithTheRightArticle(String method, String named) throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (ResponseReceiver receiver = ResponseReceiver.start(new PrintStream(log, true, StandardCharsets.UTF_8),
        body -> { })) {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(receiver.url()).method(method, HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(405);
      assertThat(response.body()).contains("the ResponseURL takes a PUT, not " + named + "<");
      assertThat(log.toString(StandardCharsets.UTF_8)).contains("takes a PUT, not " + named + "\n");
      assertThat(receiver.accepted()).isZero();
    }
  }
}
