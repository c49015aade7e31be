package io.latchkey.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.ProviderException;
import io.latchkey.SecretRef;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A discovered provider whose creation hangs (an SDK starting up): a caller is let go at its
 * time-out, whether its reference names a field or not (asking whether the provider reads fields
 * out of a secret would create it on the caller's thread). The join bound is a safety net only: the
 * resolver's time-out is 100 ms, and no duration is asserted.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
final class DiscoveredProviderTimeoutTest {
  private URLClassLoader loader;
  private SecretResolver resolver;

  @BeforeEach
  void register(@TempDir Path dir) throws Exception {
    loader = SlowStartProviderFactory.resetAndRegister(dir);
    Thread thread = Thread.currentThread();
    ClassLoader saved = thread.getContextClassLoader();
    try {
      thread.setContextClassLoader(loader);
      resolver =
          SecretResolver.builder()
              .discoverProviders(Map.of())
              .timeout(Duration.ofMillis(100))
              .retry(1, Duration.ofMillis(1), Duration.ofMillis(1))
              .build();
    } finally {
      thread.setContextClassLoader(saved);
    }
  }

  @AfterEach
  void release() throws Exception {
    SlowStartProviderFactory.release.countDown();
    resolver.close();
    loader.close();
  }

  private Thread caller(String ref, AtomicReference<Throwable> outcome) {
    Thread t =
        new Thread(() -> outcome.set(catchThrowable(() -> resolver.resolve(SecretRef.parse(ref)))));
    t.setDaemon(true);
    t.setContextClassLoader(loader);
    return t;
  }

  @Test
  void plainReference_isLetGoAtItsTimeout_whileTheProviderIsCreated() throws Exception {
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread t = caller("slow-start:db", outcome);
    t.start();
    t.join(Duration.ofSeconds(20).toMillis());
    assertThat(t.isAlive()).as("caller still held").isFalse();
    assertThat(outcome.get())
        .isInstanceOfSatisfying(
            ProviderException.class,
            p -> assertThat(p.kind()).isEqualTo(ProviderException.Kind.TIMEOUT));
  }

  @Test
  void fieldReference_isLetGoAtItsTimeout_whileTheProviderIsCreated() throws Exception {
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread t = caller("slow-start:db#password", outcome);
    t.start();
    SlowStartProviderFactory.entered.await();
    t.join(Duration.ofSeconds(20).toMillis());
    assertThat(t.isAlive())
        .as(
            "a field reference's caller is held by the provider's creation, past its 100 ms time-out")
        .isFalse();
    assertThat(outcome.get())
        .isInstanceOfSatisfying(
            ProviderException.class,
            p -> assertThat(p.kind()).isEqualTo(ProviderException.Kind.TIMEOUT));
  }
}
