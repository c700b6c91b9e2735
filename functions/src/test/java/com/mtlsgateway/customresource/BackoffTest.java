package com.mtlsgateway.customresource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure policy: no sleeping, a fixed clock for the deadline. */
class BackoffTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Backoff BACKOFF =
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(16), Duration.ofSeconds(2));

  @Test
  void doublesFromTheFirstWaitUpToTheCap() {
    Backoff.Waits waits = BACKOFF.waits();
    List<Long> seconds = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      seconds.add(waits.next().toSeconds());
    }

    assertThat(seconds).containsExactly(1L, 2L, 4L, 8L, 16L, 16L, 16L);
  }

  @Test
  void aCapThatIsNoPowerOfTwoOfTheFirstIsReachedAndKept() {
    Backoff.Waits waits = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ZERO).waits();

    assertThat(List.of(waits.next(), waits.next(), waits.next(), waits.next(), waits.next())).containsExactly(
        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5),
        Duration.ofSeconds(5));
  }

  @Test
  void eachLoopStartsAgainFromTheFirstWait() {
    Backoff.Waits first = BACKOFF.waits();
    first.next();
    first.next();

    assertThat(BACKOFF.waits().next()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void theServicesMinimumLengthensTheWaitAndTheDoublingGoesOnFromIt() {
    Backoff.Waits waits = BACKOFF.waits();

    assertThat(waits.next(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
    assertThat(waits.next()).isEqualTo(Duration.ofSeconds(10));
    assertThat(waits.next(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(16));
  }

  @Test
  void aShorterOrMissingMinimumChangesNothing() {
    Backoff.Waits waits = BACKOFF.waits();

    assertThat(waits.next(Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
    assertThat(waits.next(Duration.ofMillis(500))).isEqualTo(Duration.ofSeconds(2));
    assertThat(waits.next(Duration.ofSeconds(-3))).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void theServicesMinimumIsBoundedByTheCap() {
    Backoff.Waits waits = BACKOFF.waits();

    assertThat(waits.next(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(16));
    assertThat(waits.next(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Duration.ofSeconds(16));
  }

  @Test
  void aWaitFitsWhileItAndTheMarginAreLeftBeforeTheDeadline() {
    Duration wait = Duration.ofSeconds(4);

    assertThat(BACKOFF.fits(wait, deadlineIn(Duration.ofSeconds(60)))).isTrue();
    assertThat(BACKOFF.fits(wait, deadlineIn(Duration.ofSeconds(6)))).isTrue();
    assertThat(BACKOFF.fits(wait, deadlineIn(Duration.ofMillis(5_999)))).isFalse();
    assertThat(BACKOFF.fits(wait, deadlineIn(Duration.ZERO))).isFalse();
    assertThat(BACKOFF.fits(wait, deadlineIn(Duration.ofSeconds(-10)))).isFalse();
  }

  @Test
  void theMarginIsThePolicys() {
    Backoff wide = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(16), Duration.ofSeconds(3));
    Deadline deadline = deadlineIn(Duration.ofMillis(4_500));

    assertThat(BACKOFF.fits(Duration.ofSeconds(1), deadline)).isTrue();
    assertThat(wide.fits(Duration.ofSeconds(1), deadline)).isTrue();
    assertThat(wide.fits(Duration.ofSeconds(2), deadline)).isFalse();
    assertThat(wide.margin()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void rejectsPoliciesThatCannotWait() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(16), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("first");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cap");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("margin");
    assertThatThrownBy(() -> new Backoff(null, Duration.ofSeconds(2), Duration.ZERO))
        .isInstanceOf(NullPointerException.class);
  }

  private static Deadline deadlineIn(Duration left) {
    return new Deadline(NOW.plus(left), CLOCK);
  }
}
