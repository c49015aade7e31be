package io.latchkey.provider.vault;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which secrets' metadata the token was denied, and when to ask again. A denial is a
 * condition, not a verdict: a token file rewritten late or a token restored later is denied for a
 * while, then allowed. The wait starts at {@link #FIRST} and doubles with each denial in a row, up
 * to {@link #LONGEST}; an allowed read forgets the secret.
 */
final class Denials {
  /** The wait after the first denial. */
  static final Duration FIRST = Duration.ofSeconds(10);

  /** The longest wait, for a policy that never grants the metadata. */
  static final Duration LONGEST = Duration.ofMinutes(10);

  private record Denial(long retryAt, Duration backoff) {}

  private final Clock clock;
  private final ConcurrentHashMap<String, Denial> denials = new ConcurrentHashMap<>();

  Denials(Clock clock) {
    this.clock = clock;
  }

  /** Tells whether to ask for the key now: never denied, or its wait is over. */
  boolean mayAsk(String key) {
    Denial d = denials.get(key);
    return d == null || clock.millis() >= d.retryAt();
  }

  /**
   * Records a denial.
   *
   * @return the wait before the next question when this is the first denial in a row (the caller
   *     logs it), else null
   */
  Duration denied(String key) {
    long now = clock.millis();
    Denial after =
        denials.compute(
            key,
            (k, d) -> {
              Duration wait = d == null ? FIRST : min(d.backoff().multipliedBy(2), LONGEST);
              return new Denial(now + wait.toMillis(), wait);
            });
    return after.backoff().equals(FIRST) ? FIRST : null;
  }

  /** Records an allowed read: the next denial starts over. */
  void allowed(String key) {
    denials.remove(key);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public String toString() {
    return "Denials[" + denials.size() + "]";
  }
}
