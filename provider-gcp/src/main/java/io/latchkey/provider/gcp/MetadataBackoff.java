package io.latchkey.provider.gcp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, per secret, that {@code GetSecretVersion} was denied, for a while: the metadata checks
 * of that secret pause, and resume once the back-off has passed and a check is allowed again.
 *
 * <p>A denial may be transient (an IAM binding being edited or propagating, a deny policy rolled
 * out and back), so it is a condition to re-check, not a switch for the provider's life. Each
 * denial in a row doubles the pause, from {@link #FIRST} up to {@link #MAX}; an allowed call ends
 * it at once. Time comes from the injected clock, so tests advance it instead of waiting.
 */
final class MetadataBackoff {
  /** The pause after a first denial. */
  static final Duration FIRST = Duration.ofMinutes(1);

  /** The longest pause, however many denials in a row. */
  static final Duration MAX = Duration.ofMinutes(30);

  private record Pause(Duration length, Instant until) {}

  private final Clock clock;
  private final Map<String, Pause> paused = new ConcurrentHashMap<>();

  MetadataBackoff(Clock clock) {
    this.clock = clock;
  }

  /** Whether the checks of a secret are paused now. */
  boolean isPaused(String secret) {
    Pause p = paused.get(secret);
    return p != null && clock.instant().isBefore(p.until());
  }

  /**
   * Records a denial for a secret and pauses its checks.
   *
   * @return true if this is the first denial of a run (worth a log line), false if it repeats one
   */
  boolean denied(String secret) {
    Instant now = clock.instant();
    Pause p =
        paused.compute(
            secret,
            (k, old) -> {
              Duration next =
                  old == null
                      ? FIRST
                      : old.length().multipliedBy(2).compareTo(MAX) > 0
                          ? MAX
                          : old.length().multipliedBy(2);
              return new Pause(next, now.plus(next));
            });
    return p.length().equals(FIRST);
  }

  /**
   * Records an allowed call for a secret, ending any run of denials.
   *
   * @return true if a run of denials just ended (worth saying so)
   */
  boolean allowed(String secret) {
    return !paused.isEmpty() && paused.remove(secret) != null;
  }
}
