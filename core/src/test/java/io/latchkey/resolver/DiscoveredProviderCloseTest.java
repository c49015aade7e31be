package io.latchkey.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.SecretRef;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing while a discovered provider is still being created: close() must not wait for the
 * creation (an SDK may take seconds to start), and the provider created after it is closed by the
 * thread that created it. The time-out, on a thread of its own, only keeps a close() that did wait
 * from hanging the build.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
final class DiscoveredProviderCloseTest {
  private static final SecretRef REF = SecretRef.parse("slow-start:db");

  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private URLClassLoader loader;
  private Thread creator;

  @BeforeEach
  void register(@TempDir Path dir) throws Exception {
    loader = SlowStartProviderFactory.resetAndRegister(dir);
  }

  @AfterEach
  void release() throws Exception {
    SlowStartProviderFactory.release.countDown();
    if (creator != null) {
      creator.join();
    }
    loader.close();
  }

  /** Starts a thread that sees the factory, to run the call that creates the provider. */
  private void startCreator(Runnable call) throws InterruptedException {
    creator = new Thread(() -> failures.add(catchThrowable(call::run)), "creator");
    creator.setContextClassLoader(loader);
    creator.start();
    SlowStartProviderFactory.entered.await();
  }

  @Test
  void close_whileCreating_returnsWithoutWaiting_andTheCreatorClosesWhatItCreated()
      throws Exception {
    DiscoveredProvider provider = new DiscoveredProvider("slow-start", Map.of());
    startCreator(() -> provider.fetch(REF));

    provider.close();
    assertThat(SlowStartProviderFactory.created).hasValue(0);

    SlowStartProviderFactory.release.countDown();
    creator.join();
    assertThat(SlowStartProviderFactory.created).hasValue(1);
    assertThat(SlowStartProviderFactory.closed).hasValue(1);
    assertThat(failures)
        .singleElement(InstanceOfAssertFactories.THROWABLE)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the secret resolver is closed");
  }

  @Test
  void close_afterCreation_closesTheProviderOnce_andLaterCallsThrow() throws Exception {
    DiscoveredProvider provider = new DiscoveredProvider("slow-start", Map.of());
    SlowStartProviderFactory.release.countDown();
    startCreator(() -> provider.fetch(REF));
    creator.join();
    assertThat(failures).containsExactly((Throwable) null);

    provider.close();
    provider.close();
    assertThat(SlowStartProviderFactory.closed).hasValue(1);
    assertThat(catchThrowable(() -> provider.fetch(REF)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the secret resolver is closed");
  }

  @Test
  void resolverClose_whileADiscoveredProviderIsCreated_releasesTheCaller() throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader saved = thread.getContextClassLoader();
    SecretResolver resolver;
    try {
      // Discovery lists the factories the context class loader sees.
      thread.setContextClassLoader(loader);
      resolver =
          SecretResolver.builder().discoverProviders(Map.of()).executor(Runnable::run).build();
    } finally {
      thread.setContextClassLoader(saved);
    }
    startCreator(() -> resolver.resolve(REF));

    resolver.close();
    assertThat(SlowStartProviderFactory.created).hasValue(0);

    SlowStartProviderFactory.release.countDown();
    creator.join();
    assertThat(SlowStartProviderFactory.closed).hasValue(1);
    assertThat(failures)
        .singleElement(InstanceOfAssertFactories.THROWABLE)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the secret resolver is closed");
  }
}
