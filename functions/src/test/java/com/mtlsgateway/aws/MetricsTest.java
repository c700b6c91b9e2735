package com.mtlsgateway.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {

  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void daysAndHoursKeepTheFraction() {
    Instant later = NOW.plus(Duration.ofDays(20).plusHours(12));

    assertThat(Metrics.daysBetween(NOW, later)).isEqualTo(20.5);
    assertThat(Metrics.hoursBetween(NOW, later)).isEqualTo(492.0);
    assertThat(Metrics.hoursBetween(NOW, NOW.plus(Duration.ofMinutes(90)))).isEqualTo(1.5);
  }

  @Test
  void aPassedInstantGivesANegativeValue() {
    assertThat(Metrics.daysBetween(NOW, NOW.minus(Duration.ofHours(78)))).isEqualTo(-3.25);
    assertThat(Metrics.hoursBetween(NOW, NOW.minus(Duration.ofMinutes(30)))).isEqualTo(-0.5);
    assertThat(Metrics.daysBetween(NOW, NOW)).isZero();
  }

  @Test
  void withoutTheStackNameNothingCanBePublished() {
    assertThatThrownBy(() -> new Metrics(null, Map.of(Metrics.STACK_NAME, " ")))
        .isInstanceOf(Metrics.MetricException.class)
        .hasMessageStartingWith("the environment variable STACK_NAME is not set: it is the value of the metrics'"
            + " StackName dimension")
        .hasMessageContaining("STACK_NAME=mtls-gateway-demo");
  }
}
