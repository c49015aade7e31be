package io.latchkey.provider.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Remembers that {@code DescribeSecret} was denied, for a while: the version checks pause, and
 * resume once the back-off has passed and a check is allowed again.
 *
 * <p>A denial may be transient (a policy being edited, a role's session being renewed, an SCP
 * rolled out and back), so it is a condition to re-check, not a switch for the provider's life.
 * Each denial in a row doubles the pause, from {@link #FIRST} up to {@link #MAX}; an allowed call
 * ends the pause at once. Time comes from the injected clock, so tests advance it instead of
 * waiting.
 */
final class DescribeBackoff {
  /** The pause after a first denial. */
  static final Duration FIRST = Duration.ofMinutes(1);

  /** The longest pause, however many denials in a row. */
  static final Duration MAX = Duration.ofMinutes(30);

  private final Clock clock;
  private Instant pausedUntil;
  private Duration pause = Duration.ZERO;

  DescribeBackoff(Clock clock) {
    this.clock = clock;
  }

  /** Whether the version checks are paused now. */
  synchronized boolean isPaused() {
    return pausedUntil != null && clock.instant().isBefore(pausedUntil);
  }

  /**
   * Records a denial and pauses the checks.
   *
   * @return true if this is the first denial of a run (worth a warning), false if it repeats one
   */
  synchronized boolean denied() {
    boolean first = pause.isZero();
    pause = first ? FIRST : min(pause.multipliedBy(2), MAX);
    pausedUntil = clock.instant().plus(pause);
    return first;
  }

  /**
   * Records an allowed call, ending any run of denials.
   *
   * @return true if a run of denials just ended (worth saying so)
   */
  synchronized boolean allowed() {
    boolean wasDenied = !pause.isZero();
    pause = Duration.ZERO;
    pausedUntil = null;
    return wasDenied;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
