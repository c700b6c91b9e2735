package com.mtlsgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"help", "--help", "-h"})
  void helpGoesToStdoutAndExits0(String word) {
    assertThat(run(word)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("mtls truststore validate FILE [--accept-warnings] [--json]")
        .contains("mtls invoke EVENT_FILE [--prepare] [--timeout SECONDS]")
        .contains("--prepare: first makes a local emulator (moto) hold what the event names")
        .contains("mtls client check --truststore FILE --cert FILE [--key FILE] [--crl CRL_FILE...] [--json]")
        .contains("Exit status: 0 accepted, 1 refused, 2 usage or I/O error")
        .contains("Exit status: 0 valid, 1 not valid, 2 usage or I/O error")
        .contains("mtls smoke --url URL --cert FILE --key FILE [--execute-api-url URL] [--ca FILE]")
        .contains("Exit status: 0 all checks passed, 1 a check failed, 2 usage or I/O error");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void helpAfterACommandStillHelps() {
    assertThat(run("truststore", "validate", "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("mtls invoke EVENT_FILE");
  }

  @Test
  void noArgumentsIsAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("mtls: no command given")
        .contains("usage: mtls truststore validate FILE");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "frobnicate", "truststore", "truststore check x.pem", "truststore validate",
      "truststore validate a.pem b.pem", "truststore validate a.pem --strict", "invoke",
      "invoke e.json --timeout", "invoke e.json --timeout abc", "invoke e.json --timeout 0",
      "invoke e.json --timeout=901", "invoke a.json b.json",
      "smoke", "smoke --url https://api.example.com/healthcheck --cert c.pem",
      "smoke --url https://api.example.com/healthcheck --key k.pem",
      "smoke --cert c.pem --key k.pem",
      "smoke --url http://api.example.com/healthcheck --cert c.pem --key k.pem",
      "smoke --url api.example.com/healthcheck --cert c.pem --key k.pem",
      "smoke --url https://api.example.com/a%zz --cert c.pem --key k.pem",
      "smoke --url https://h/ --cert c.pem --key k.pem --execute-api-url ftp://x/",
      "smoke --url https://h/ --cert c.pem --key k.pem --timeout 0",
      "smoke --url https://h/ --cert c.pem --key k.pem --timeout=301",
      "smoke --url https://h/ --cert c.pem --key k.pem --timeout soon",
      "smoke --url https://h/ --cert c.pem --key k.pem --insecure",
      "smoke --url https://h/ --cert c.pem --key k.pem extra",
      "smoke --url https://h/ --url=https://i/ --cert c.pem --key k.pem",
      "smoke --url --cert c.pem --key k.pem",
      "smoke --url https://h/ --cert c.pem --key",
      "client", "client verify", "client check --cert c.pem", "client check --truststore t.pem",
      "client check --truststore t.pem --cert c.pem --crl", "client check --truststore t.pem --cert c.pem --crl --json",
      "client check --truststore t.pem --cert c.pem --json --json", "client check --truststore t.pem --cert c.pem x",
      "client check --truststore t.pem --cert c.pem --chain x.pem",
      "client check --truststore t.pem --truststore=u.pem --cert c.pem",
      "client check --truststore t.pem --cert c.pem --crl 1 2 3 4 5 6 7 8 9 10 11"})
  void badArgumentsPrintTheUsageAndExit2(String line) {
    assertThat(run(line.split(" "))).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("mtls: ").contains(Main.USAGE);
  }
}
