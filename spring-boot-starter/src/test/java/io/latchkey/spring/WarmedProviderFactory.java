package io.latchkey.spring;

import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.spi.ProviderName;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretProviderFactory;
import io.latchkey.spi.SecretVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider factory that WarmUpTest registers through a context class loader of its own: it
 * records the threads that warmed it up, and its provider serves one value for every path. Public
 * because ServiceLoader instantiates it.
 */
@ProviderName("warmed")
public final class WarmedProviderFactory implements SecretProviderFactory {
  static final String VALUE = "canary-warmed-3c59dc048e8850243be8";
  static final List<String> WARMED_ON = new CopyOnWriteArrayList<>();
  static volatile CountDownLatch warmed = new CountDownLatch(1);

  /**
   * When set, every fetch waits for it (bounded, so that a regression fails instead of hanging).
   */
  static volatile CountDownLatch fetchGate;

  static final AtomicInteger CLOSED = new AtomicInteger();

  /** Creates the factory; ServiceLoader calls this. */
  public WarmedProviderFactory() {}

  @Override
  public void warmUp() {
    WARMED_ON.add(Thread.currentThread().getName());
    warmed.countDown();
  }

  @Override
  public SecretProvider create(Map<String, String> environment) {
    return new SecretProvider() {
      @Override
      public String name() {
        return "warmed";
      }

      @Override
      public SecretVersion fetch(SecretRef ref) {
        CountDownLatch gate = fetchGate;
        if (gate != null) {
          try {
            if (!gate.await(60, TimeUnit.SECONDS)) {
              throw new IllegalStateException("the fetch gate never opened");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
          }
        }
        return SecretVersion.of(Secret.of(VALUE), Instant.EPOCH);
      }

      @Override
      public void close() {
        CLOSED.incrementAndGet();
      }

      @Override
      public Optional<ConfigValue> get(String name) {
        return Optional.empty();
      }

      @Override
      public String description() {
        return "warmed";
      }
    };
  }
}
