package io.latchkey.examples.spring;

import io.latchkey.resolver.SecretResolver;
import io.latchkey.spring.SecretResolverCustomizer;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;

/**
 * Gives the application under test a clock the test moves by hand, and loads on the reading thread,
 * so that a rotation reaches the application when the test says, with no sleep. Listed in the
 * tests' {@code META-INF/spring.factories}.
 */
public final class TestClock implements SecretResolverCustomizer {
  static final MutableClock CLOCK = new MutableClock();

  @Override
  public void customize(SecretResolver.Builder builder) {
    builder
        .clock(CLOCK)
        .jitter(0)
        .ttl(Duration.ofMinutes(5))
        .executor(Runnable::run)
        .retry(1, Duration.ofMillis(1), Duration.ofMillis(1));
  }
}
