package io.latchkey.spring;

import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.MutableClock;
import java.time.Clock;
import java.time.Duration;

/**
 * Gives every test application's resolver the clock the running test set, so that time-to-lives
 * pass without sleeping, and a {@code test} provider the test controls. Listed in the tests' {@code
 * META-INF/spring.factories}; the resolver is built before any bean exists, so the test hands the
 * clock over through this holder.
 */
public final class TestCustomizer implements SecretResolverCustomizer {
  private static volatile Clock clock = new MutableClock();
  private static volatile MapProvider provider = new MapProvider(clock);

  /**
   * Gives the applications started from now on a new clock and a new {@code test} provider on it,
   * and returns the clock.
   */
  static MutableClock freshClock() {
    MutableClock fresh = new MutableClock();
    clock = fresh;
    provider = new MapProvider(fresh);
    return fresh;
  }

  /** The {@code test} provider of the applications started from now on. */
  static MapProvider provider() {
    return provider;
  }

  @Override
  public void customize(SecretResolver.Builder builder) {
    // Loads run on the reading thread and are not retried, so a refresh has ended when the read
    // that started it returns.
    builder
        .clock(clock)
        .jitter(0)
        .executor(Runnable::run)
        .retry(1, Duration.ofMillis(1), Duration.ofMillis(1))
        .provider(provider);
  }
}
