package com.mtlsgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mtlsgateway.testing.MotoServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The command block of docs/local-events.md, pasted into {@code sh -e} as a user would run it (on a free port instead
 * of 5000, so that it runs beside other tests): it starts moto, prepares and runs two events, and stops moto.
 */
class LocalEventsDocTest {

  @Test
  void theDocsCommandBlockWorksWhenPasted() throws IOException, InterruptedException {
    Path root = Command.projectRoot();
    String doc = Files.readString(root.resolve("docs/local-events.md"), StandardCharsets.UTF_8);
    Matcher block = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL).matcher(doc);
    assertThat(block.find()).as("a ```sh block in docs/local-events.md").isTrue();
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String script = block.group(1).replace("5000", String.valueOf(port));
    assertThat(script).contains("moto_server -H 127.0.0.1 -p " + port);
    Command run = Command.run(root, Duration.ofMinutes(5), List.of("sh", "-e", "-c", script));
    assertThat(run.exitCode()).as(MotoServer.NOT_FOUND + "\n" + run.transcript()).isZero();
    assertThat(run.stdout()).as(run.transcript()).contains("\"Status\":\"SUCCESS\"")
        .contains("\"Effect\":\"Deny\"").contains("exit 1: Deny, as expected");
    assertThat(run.stderr()).as(run.transcript())
        .contains("mtls: --prepare: PhysicalResourceId arn:aws:acm:us-east-1:123456789012:certificate/8f4c2e1a")
        .contains("answered SUCCESS");
  }
}
