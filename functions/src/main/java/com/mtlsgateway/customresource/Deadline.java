package com.mtlsgateway.customresource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a handler's work must be done: shortly before the Lambda deadline, leaving the runtime time to answer
 * CloudFormation (see {@link CustomResourceHandler}). Handlers poll it in loops and bound their waits by it; when
 * it passes, the runtime answers FAILED and interrupts the work.
 */
public final class Deadline {
  private final Instant at;
  private final Clock clock;

  /**
   * @param at    when the work must be done
   * @param clock the clock {@code at} is measured on
   */
  public Deadline(Instant at, Clock clock) {
    this.at = Objects.requireNonNull(at, "at");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Time left, never negative. */
  public Duration remaining() {
    Duration left = Duration.between(clock.instant(), at);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** True once no time is left. */
  public boolean expired() {
    return remaining().isZero();
  }

  /** When the work must be done. */
  public Instant at() {
    return at;
  }

  @Override
  public String toString() {
    return "Deadline[at=" + at + "]";
  }
}
