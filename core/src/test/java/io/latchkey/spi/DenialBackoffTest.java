package io.latchkey.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

final class DenialBackoffTest {
  private final MutableClock clock = new MutableClock();
  private final DenialBackoff backoff =
      new DenialBackoff(clock, Duration.ofSeconds(10), Duration.ofSeconds(35));

  @Test
  void pauseDoublesPerDenialInARow_upToTheLongest_andAnAllowedCallEndsIt() {
    assertThat(backoff.mayCall("db")).isTrue();
    assertThat(backoff.denied("db")).isTrue();
    assertThat(backoff.mayCall("db")).isFalse();
    assertThat(backoff.mayCall("other")).isTrue();
    clock.advance(Duration.ofSeconds(10));
    assertThat(backoff.mayCall("db")).isTrue();
    assertThat(backoff.denied("db")).isFalse();
    clock.advance(Duration.ofSeconds(19));
    assertThat(backoff.mayCall("db")).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(backoff.mayCall("db")).isTrue();
    backoff.denied("db"); // 40 s capped to 35 s
    clock.advance(Duration.ofSeconds(35));
    assertThat(backoff.mayCall("db")).isTrue();
    assertThat(backoff.allowed("db")).isTrue();
    assertThat(backoff.allowed("db")).isFalse();
    assertThat(backoff.denied("db")).as("a new run starts at the first pause").isTrue();
    assertThat(backoff.toString()).doesNotContain("db");
  }

  @Test
  void invalidPauses_areRefused() {
    assertThatThrownBy(() -> new DenialBackoff(clock, Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DenialBackoff(clock, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void providerThreads_areNamedDaemons_joinedOnceEnded() throws Exception {
    ProviderThreads threads = new ProviderThreads("latchkey-test-");
    CountDownLatch release = new CountDownLatch(1);
    Thread t =
        threads.newThread(
            () -> {
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    assertThat(t.getName()).isEqualTo("latchkey-test-1");
    assertThat(t.isDaemon()).isTrue();
    t.start();
    assertThat(threads.allEnded()).isFalse();
    release.countDown();
    assertThat(threads.join(Duration.ofMinutes(1))).isTrue();
    assertThat(threads.allEnded()).isTrue();
  }
}
