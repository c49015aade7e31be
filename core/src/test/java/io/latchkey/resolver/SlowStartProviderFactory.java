package io.latchkey.resolver;

import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.spi.ProviderName;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretProviderFactory;
import io.latchkey.spi.SecretVersion;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A factory that DiscoveredProviderCloseTest registers through a context class loader of its own:
 * creating its provider blocks, deaf to interruption as an SDK starting up is, until the test
 * releases it. Public because ServiceLoader instantiates it.
 */
@ProviderName("slow-start")
public final class SlowStartProviderFactory implements SecretProviderFactory {
  static volatile CountDownLatch entered = new CountDownLatch(1);
  static volatile CountDownLatch release = new CountDownLatch(1);
  static final AtomicInteger created = new AtomicInteger();
  static final AtomicInteger closed = new AtomicInteger();

  /** Creates the factory; ServiceLoader calls this. */
  public SlowStartProviderFactory() {}

  /**
   * Resets the latches and counters, and returns a class loader that lists this factory as a
   * service, for a context class loader that discovery reads; the caller closes it.
   */
  static URLClassLoader resetAndRegister(Path dir) throws IOException {
    reset();
    Path services = dir.resolve("META-INF/services/" + SecretProviderFactory.class.getName());
    Files.createDirectories(services.getParent());
    Files.writeString(services, SlowStartProviderFactory.class.getName() + "\n");
    return new URLClassLoader(
        new URL[] {dir.toUri().toURL()}, SlowStartProviderFactory.class.getClassLoader());
  }

  static void reset() {
    entered = new CountDownLatch(1);
    release = new CountDownLatch(1);
    created.set(0);
    closed.set(0);
  }

  @Override
  public SecretProvider create(Map<String, String> environment) {
    entered.countDown();
    boolean interrupted = false;
    while (true) {
      try {
        release.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    created.incrementAndGet();
    return new SecretProvider() {
      @Override
      public String name() {
        return "slow-start";
      }

      @Override
      public SecretVersion fetch(SecretRef ref) {
        return SecretVersion.of(Secret.of("started"), Instant.EPOCH);
      }

      @Override
      public Optional<ConfigValue> get(String name) {
        return Optional.empty();
      }

      @Override
      public String description() {
        return "slow-start";
      }

      @Override
      public void close() {
        closed.incrementAndGet();
      }
    };
  }
}
