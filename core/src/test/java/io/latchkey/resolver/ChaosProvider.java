package io.latchkey.resolver;

import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that misbehaves on demand: it hangs until interrupted, hangs ignoring interruption,
 * waits at a gate, throws any {@link ProviderException.Kind}, flaps, and rotates its values. It
 * counts the calls made and the calls in flight, so tests prove what the resolver did without
 * looking at the wall clock.
 *
 * <p>Each secret is a JSON object {@code {"user":"PATH.u.vN.Zq7","password":"PATH.p.vN.Zq7"}}, N
 * its version, so a value names the secret, the field and the version it belongs to.
 */
class ChaosProvider implements SecretProvider {
  enum Fault {
    NONE,
    /** Blocks until interrupted, as a socket read without a time-out does until closed. */
    HANG,
    /** Blocks until {@link #release} opens, whatever interrupts it. */
    HANG_IGNORING_INTERRUPTS,
    /** Waits at {@link #gate}, interruptibly, then answers. */
    GATED,
    /** Throws {@link #kind}. */
    THROW,
    /** Every other call throws {@link #kind}. */
    FLAP
  }

  private final Map<String, Integer> versions = new ConcurrentHashMap<>();
  private final AtomicInteger flaps = new AtomicInteger();
  final AtomicInteger calls = new AtomicInteger();
  final AtomicInteger fetches = new AtomicInteger();
  final AtomicInteger inFlight = new AtomicInteger();
  final List<Duration> attemptTimeouts = new CopyOnWriteArrayList<>();
  final CountDownLatch release = new CountDownLatch(1);
  volatile CountDownLatch gate = new CountDownLatch(1);
  volatile Fault fault = Fault.NONE;
  volatile ProviderException.Kind kind = ProviderException.Kind.UNAVAILABLE;
  volatile boolean extracts = true;

  ChaosProvider(String... paths) {
    for (String path : paths) {
      versions.put(path, 1);
    }
  }

  /** Makes a new version of a secret. */
  void rotate(String path) {
    versions.merge(path, 1, Integer::sum);
  }

  /** Deletes a secret. */
  void delete(String path) {
    versions.remove(path);
  }

  /** A value that names its secret, field and version, and shares no 8 characters with a name. */
  static String value(String path, String field, int version) {
    return path + "." + field.charAt(0) + ".v" + version + ".Zq7";
  }

  @Override
  public String name() {
    return "chaos";
  }

  @Override
  public void attemptTimeout(Duration timeout) {
    attemptTimeouts.add(timeout);
  }

  @Override
  public SecretVersion fetch(SecretRef ref) {
    return call(
        ref,
        () -> {
          fetches.incrementAndGet();
          int v = version(ref);
          String path = ref.path();
          String json =
              "{\"user\":\""
                  + value(path, "user", v)
                  + "\",\"password\":\""
                  + value(path, "password", v)
                  + "\"}";
          SecretVersion whole = SecretVersion.of(Secret.of(json), "v" + v, Instant.EPOCH);
          return ref.field().isPresent() ? field(ref, whole) : whole;
        });
  }

  /** A batch call that hangs until interrupted, for a subclass's {@code fetchAll}. */
  Map<SecretRef, SecretVersion> fetchAllHanging(Collection<SecretRef> refs) {
    return call(
        refs.iterator().next(),
        () -> {
          await(new CountDownLatch(1), refs.iterator().next());
          return Map.of();
        });
  }

  @Override
  public Optional<String> currentVersionId(SecretRef ref) {
    return call(ref, () -> Optional.of("v" + version(ref)));
  }

  @Override
  public boolean extractsFields() {
    return extracts;
  }

  @Override
  public SecretVersion field(SecretRef ref, SecretVersion whole) {
    String json = whole.value().reveal();
    String key = "\"" + ref.field().orElseThrow() + "\":\"";
    int at = json.indexOf(key);
    if (at < 0) {
      throw new SecretNotFoundException(ref, "the secret has no field '" + ref.field().get() + "'");
    }
    int start = at + key.length();
    return new SecretVersion(
        Secret.of(json.substring(start, json.indexOf('"', start))),
        whole.versionId(),
        whole.stages(),
        whole.fetchedAt());
  }

  @Override
  public Optional<ConfigValue> get(String name) {
    return Optional.empty();
  }

  @Override
  public String description() {
    return "chaos";
  }

  private int version(SecretRef ref) {
    Integer v = versions.get(ref.path());
    if (v == null) {
      throw new SecretNotFoundException(ref, "no such secret");
    }
    return v;
  }

  private interface Answer<T> {
    T get();
  }

  private <T> T call(SecretRef ref, Answer<T> answer) {
    calls.incrementAndGet();
    inFlight.incrementAndGet();
    try {
      switch (fault) {
        case HANG:
          await(new CountDownLatch(1), ref);
          break;
        case HANG_IGNORING_INTERRUPTS:
          awaitIgnoringInterrupts(release);
          break;
        case GATED:
          await(gate, ref);
          break;
        case THROW:
          throw new ProviderException(ref, kind, "scripted " + kind.label());
        case FLAP:
          if (flaps.incrementAndGet() % 2 == 1) {
            throw new ProviderException(ref, kind, "scripted " + kind.label());
          }
          break;
        default:
          break;
      }
      return answer.get();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private static void await(CountDownLatch latch, SecretRef ref) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException(ref, ProviderException.Kind.OTHER, "interrupted");
    }
  }

  private static void awaitIgnoringInterrupts(CountDownLatch latch) {
    while (true) {
      try {
        latch.await();
        return;
      } catch (InterruptedException e) {
        // A backend client that swallows interrupts: only the latch lets it go.
      }
    }
  }
}
