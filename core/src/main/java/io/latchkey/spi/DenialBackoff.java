package io.latchkey.spi;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, per key (a secret, a mount), that a call was denied, and pauses that call for a while:
 * the one rule every provider applies to a denied version check or metadata read.
 *
 * <p>A denial may be transient (a policy being edited or propagating, a token file rewritten late,
 * a token restored), so it is a condition to re-check, not a switch for the provider's life. Each
 * denial in a row doubles the pause, from the first pause up to the longest; an allowed call ends
 * the run at once. Time comes from the given clock, so tests move it instead of waiting.
 *
 * @since 0.1
 */
public final class DenialBackoff {
  private record Pause(Duration length, long until) {}

  private final Clock clock;
  private final Duration first;
  private final Duration longest;
  private final ConcurrentHashMap<String, Pause> paused = new ConcurrentHashMap<>();

  /**
   * Creates a back-off.
   *
   * @param clock the clock that times the pauses
   * @param first the pause after a first denial
   * @param longest the longest pause, however many denials in a row
   * @throws IllegalArgumentException if {@code first} is not positive or {@code longest} is shorter
   *     than {@code first}
   */
  public DenialBackoff(Clock clock, Duration first, Duration longest) {
    this.clock = requireNonNull(clock, "clock");
    this.first = requireNonNull(first, "first");
    this.longest = requireNonNull(longest, "longest");
    if (first.isZero() || first.isNegative() || longest.compareTo(first) < 0) {
      throw new IllegalArgumentException("pauses must be positive, the longest at least the first");
    }
  }

  /**
   * Tells whether the call for a key may be made now: never denied, or its pause is over.
   *
   * @param key what was denied, such as a secret's name
   * @return whether to make the call
   */
  public boolean mayCall(String key) {
    if (paused.isEmpty()) {
      return true;
    }
    Pause p = paused.get(requireNonNull(key, "key"));
    return p == null || clock.millis() >= p.until();
  }

  /**
   * Records a denial and pauses the key's calls.
   *
   * @param key what was denied
   * @return whether this is the first denial of a run (worth one log line), not a repeat
   */
  public boolean denied(String key) {
    requireNonNull(key, "key");
    long now = clock.millis();
    Pause p =
        paused.compute(
            key,
            (k, old) -> {
              Duration next =
                  old == null
                      ? first
                      : old.length().multipliedBy(2).compareTo(longest) > 0
                          ? longest
                          : old.length().multipliedBy(2);
              return new Pause(next, saturatedAdd(now, next.toMillis()));
            });
    return p.length().equals(first);
  }

  /**
   * Records an allowed call, ending the key's run of denials.
   *
   * @param key what was allowed
   * @return whether a run of denials just ended (worth saying so)
   */
  public boolean allowed(String key) {
    return !paused.isEmpty() && paused.remove(requireNonNull(key, "key")) != null;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  /** Returns the pauses' lengths and how many keys are paused; never a key. */
  @Override
  public String toString() {
    return "DenialBackoff[first="
        + first
        + ", longest="
        + longest
        + ", paused="
        + paused.size()
        + "]";
  }
}
