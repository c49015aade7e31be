package io.latchkey.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.SecretRef;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class TimeoutLinkTest {
  private static final SecretRef REF = SecretRef.parse("fake:db");

  @Test
  void proceed_afterCancelAll_isRefusedWithoutRunningTheAttempt() {
    AtomicInteger calls = new AtomicInteger();
    List<Runnable> submitted = new CopyOnWriteArrayList<>();
    TimeoutLink link =
        new TimeoutLink(
            (ref, cached) -> {
              calls.incrementAndGet();
              return null;
            },
            submitted::add,
            Duration.ofMinutes(1),
            Clock.systemUTC(),
            new HealthBook(Set.of("fake")));

    link.cancelAll();

    assertThat(catchThrowable(() -> link.proceed(REF, null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the secret resolver is closed");
    assertThat(submitted).isEmpty();
    assertThat(calls).hasValue(0);
  }
}
