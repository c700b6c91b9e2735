package com.mtlsgateway.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TruststoreWarningsReasonTest {
  private static final String HEAD = "3 warnings. Warnings: ";

  @Test
  void allWarningsWhenTheyFit() {
    assertThat(TruststoreWarningsReason.build(HEAD, List.of("a", "b\nc", "d"), 1000))
        .isEqualTo("3 warnings. Warnings: a | b c | d");
  }

  @Test
  void wholeWarningsThenHowManyMore() {
    List<String> warnings = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      warnings.add("Certificate " + i + " \"CN=Issuing CA " + i + "\" is expired");
    }
    int room = 600;
    String reason = TruststoreWarningsReason.build(HEAD, warnings, room);

    assertThat(TruststoreWarningsReason.jsonBytes(reason)).isLessThanOrEqualTo(room);
    assertThat(reason).startsWith(HEAD + "Certificate 0 \"CN=Issuing CA 0\" is expired | Certificate 1 ");
    String[] parts = reason.substring(HEAD.length()).split(" \\| ");
    int listed = parts.length - 1;
    assertThat(parts[parts.length - 1]).isEqualTo("... and " + (100 - listed) + " more (all in the function's log)");
    for (int i = 0; i < listed; i++) {
      assertThat(parts[i]).isEqualTo(warnings.get(i));
    }
    // One more would not have fit.
    String oneMore = HEAD + String.join(" | ", warnings.subList(0, listed + 1)) + " | ... and " + (99 - listed)
        + " more (all in the function's log)";
    assertThat(TruststoreWarningsReason.jsonBytes(oneMore)).isGreaterThan(room);
  }

  @Test
  void aWarningLongerThanTheRoomIsCountedNotCut() {
    String reason = TruststoreWarningsReason.build(HEAD, List.of("x".repeat(5000), "short"), 300);
    assertThat(reason).isEqualTo(HEAD + "... and 2 more (all in the function's log)");
  }

  @Test
  void jsonEscapesCount() {
    assertThat(TruststoreWarningsReason.jsonBytes("a\"b")).isEqualTo(4);
    assertThat(TruststoreWarningsReason.jsonBytes("é")).isEqualTo(2);
  }
}
