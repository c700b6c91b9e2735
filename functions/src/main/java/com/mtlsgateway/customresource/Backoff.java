package com.mtlsgateway.customresource;

import java.time.Duration;
import java.util.Objects;

/**
 * How a handler waits between retries within its {@link Deadline}: {@link #first()} wait, doubled after each wait up
 * to {@link #cap()}, never shorter than a minimum the service asked for (Retry-After, itself bounded by the cap), and
 * only while the wait plus {@link #margin()} (time kept for the call that follows, or for what is done on giving up)
 * fits before the deadline. The policy is immutable and shared; each retry loop takes its own {@link Waits}.
 *
 * <pre>{@code
 * Backoff.Waits waits = BACKOFF.waits();
 * while (true) {
 *   try { return call(); } catch (RetryableException e) {
 *     Duration wait = waits.next(retryAfter(e));
 *     if (!BACKOFF.fits(wait, deadline)) { throw ...; }
 *     Thread.sleep(wait.toMillis());
 *   }
 * }
 * }</pre>
 */
public final class Backoff {
  private final Duration first;
  private final Duration cap;
  private final Duration margin;

  /**
   * @param first  the first wait; positive
   * @param cap    the longest wait; not shorter than {@code first}
   * @param margin time that must still be left after a wait; not negative
   */
  public Backoff(Duration first, Duration cap, Duration margin) {
    this.first = Objects.requireNonNull(first, "first");
    this.cap = Objects.requireNonNull(cap, "cap");
    this.margin = Objects.requireNonNull(margin, "margin");
    if (first.isNegative() || first.isZero()) {
      throw new IllegalArgumentException("first must be positive: " + first);
    }
    if (cap.compareTo(first) < 0) {
      throw new IllegalArgumentException("cap " + cap + " is shorter than first " + first);
    }
    if (margin.isNegative()) {
      throw new IllegalArgumentException("margin must not be negative: " + margin);
    }
  }

  /** The first wait. */
  public Duration first() {
    return first;
  }

  /** The longest wait. */
  public Duration cap() {
    return cap;
  }

  /** Time that must still be left before the deadline after a wait. */
  public Duration margin() {
    return margin;
  }

  /** True when {@code wait} plus {@link #margin()} still fits in what is left of {@code deadline}. */
  public boolean fits(Duration wait, Deadline deadline) {
    return deadline.remaining().compareTo(wait.plus(margin)) >= 0;
  }

  /** A fresh sequence of waits for one retry loop, starting at {@link #first()}. */
  public Waits waits() {
    return new Waits();
  }

  @Override
  public String toString() {
    return "Backoff[first=" + first + ", cap=" + cap + ", margin=" + margin + "]";
  }

  /** The waits of one retry loop; not thread-safe. */
  public final class Waits {
    private Duration upcoming = first;

    private Waits() {
    }

    /** The next wait; the one after it is twice as long, up to the cap. */
    public Duration next() {
      return next(Duration.ZERO);
    }

    /**
     * The next wait, at least {@code minimum} (what the service asked for, such as Retry-After; bounded by the cap).
     * The one after it is twice the wait returned, up to the cap.
     *
     * @param minimum the service's minimum; zero or negative when it asked for none
     */
    public Duration next(Duration minimum) {
      Duration bounded = minimum.compareTo(cap) > 0 ? cap : minimum;
      Duration wait = bounded.compareTo(upcoming) > 0 ? bounded : upcoming;
      Duration doubled = wait.multipliedBy(2);
      upcoming = doubled.compareTo(cap) > 0 ? cap : doubled;
      return wait;
    }
  }
}
