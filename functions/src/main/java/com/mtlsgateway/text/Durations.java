package com.mtlsgateway.text;

import java.time.Duration;
import java.util.Locale;

/** Durations as a Reason or a log message shows them. */
public final class Durations {

  private Durations() {}

  /**
   * {@code "850 ms"} below a second, {@code "1.5 s"} below ten seconds (no {@code ".0"}), whole seconds above:
   * {@code "12 s"}. Negative durations read as {@code "0 ms"}.
   */
  public static String readable(Duration duration) {
    long millis = Math.max(0, duration.toMillis());
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis < 10_000) {
      String tenths = String.format(Locale.ROOT, "%.1f", millis / 1000.0);
      return (tenths.endsWith(".0") ? tenths.substring(0, tenths.length() - 2) : tenths) + " s";
    }
    return Math.round(millis / 1000.0) + " s";
  }
}
