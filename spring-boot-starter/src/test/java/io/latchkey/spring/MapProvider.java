package io.latchkey.spring;

import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider of scheme {@code test} over a map the test changes: values with version ids, and an
 * outage switch. Counts its fetches.
 */
final class MapProvider implements SecretProvider {
  private final Map<String, String> values = new ConcurrentHashMap<>();
  private final Map<String, Integer> versions = new ConcurrentHashMap<>();
  private final AtomicInteger fetches = new AtomicInteger();
  private final Clock clock;
  private volatile boolean down;
  private final Set<String> downPaths = ConcurrentHashMap.newKeySet();
  private volatile CountDownLatch hold;
  private volatile boolean heldTooLong;
  private final List<String> fetchingThreads = new CopyOnWriteArrayList<>();

  MapProvider(Clock clock) {
    this.clock = clock;
  }

  /** Stores a new version of a secret. */
  MapProvider put(String path, String value) {
    values.put(path, value);
    versions.merge(path, 1, Integer::sum);
    return this;
  }

  void down(boolean down) {
    this.down = down;
  }

  /** Makes the backend unavailable for one path only. */
  void downFor(String path) {
    downPaths.add(path);
  }

  int fetches() {
    return fetches.get();
  }

  /**
   * Makes every fetch wait until the latch opens. The wait has a generous bound only so that a
   * regression fails the test instead of hanging it; {@link #heldTooLong()} says it was reached.
   */
  void holdUntil(CountDownLatch latch) {
    this.hold = latch;
  }

  boolean heldTooLong() {
    return heldTooLong;
  }

  /** The names of the threads that fetched, in order. */
  List<String> fetchingThreads() {
    return List.copyOf(fetchingThreads);
  }

  @Override
  public String name() {
    return "test";
  }

  @Override
  public SecretVersion fetch(SecretRef ref) {
    fetches.incrementAndGet();
    fetchingThreads.add(Thread.currentThread().getName());
    CountDownLatch latch = hold;
    if (latch != null) {
      try {
        if (!latch.await(60, TimeUnit.SECONDS)) {
          heldTooLong = true;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while held", e);
      }
    }
    if (down || downPaths.contains(ref.path())) {
      throw new ProviderException(
          ref, ProviderException.Kind.UNAVAILABLE, "the test backend is down");
    }
    String value = values.get(ref.path());
    if (value == null) {
      throw new SecretNotFoundException(ref, "no secret named " + ref.path());
    }
    return SecretVersion.of(Secret.of(value), "v" + versions.get(ref.path()), clock.instant());
  }

  @Override
  public Optional<ConfigValue> get(String name) {
    return Optional.empty();
  }

  @Override
  public String description() {
    return "test map";
  }
}
