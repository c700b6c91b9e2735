package com.mtlsgateway.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      -5     | 0 ms
      0      | 0 ms
      49     | 49 ms
      999    | 999 ms
      1000   | 1 s
      1449   | 1.4 s
      4500   | 4.5 s
      9960   | 10 s
      10000  | 10 s
      115400 | 115 s
      """)
  void readsAsAPersonWouldWriteIt(long millis, String expected) {
    assertThat(Durations.readable(Duration.ofMillis(millis))).isEqualTo(expected);
  }
}
