package io.latchkey.bench;

import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.resolver.SecretHandle;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of resolving a reference the {@link SecretResolver} holds fresh in its cache, beside a
 * bare {@link ConcurrentHashMap#get} of the same key type: the bound is 3×.
 *
 * <p>Both sides hold 64 references ({@code aws:prod/service-N#password}, a 21- or 22-byte value
 * each) and look up one of them, cycling through all 64 so that neither side profits from a single
 * hot key. {@code concurrentHashMapGet} returns the {@link Secret} stored in the map; {@code
 * resolveCached} returns what {@link SecretResolver#resolve(SecretRef)} returns: a handle to the
 * cached value that the caller may wipe without wiping the cache's. The time-to-live is an hour, so
 * every call is a hit, and no provider call happens during measurement (the benchmark checks this
 * in tear-down).
 *
 * <p>Both sides look up with the same keys, so that they do the same key work. The plain methods
 * look up with references equal to the stored ones but parsed apart from them (an application that
 * parses its references where it reads them), so each hit compares the two with {@link
 * SecretRef#equals}; the {@code …SameKey} methods look up with the very instances stored (an
 * application that prefetched its own {@code SecretRef} constants), where the map's identity check
 * decides and {@code equals} is never called.
 *
 * <p>{@code floorGetCopy} is the least that a read returning the caller's own copy costs: the map
 * look-up of {@code concurrentHashMapGet} and the copy, with nothing else; the resolver reads no
 * clock on this path, since a timer marks each entry due at its refresh time. {@code
 * floorGetClockCopy} adds one read of the system clock, which is what a read that checks the
 * value's age itself (as the resolver did before the timer, and does with a clock of the caller's)
 * costs at least. {@code systemClockRead} and {@code copyHeldValue} are those parts alone.
 *
 * <p>{@code handleGet} reads the same 64 references through a {@link SecretHandle} each ({@link
 * SecretHandle#get()}), as an application that keeps handles instead of secrets: the handle keeps
 * the entry it read, so a read is a check of its due mark and a copy, with no map look-up and no
 * key comparison; the bound for handles is 3× {@code concurrentHashMapGet}.
 *
 * <p>{@code resolveDuringOutage} reads the same 64 references (with the keys {@code resolveCached}
 * uses) from a second resolver whose values have all expired (its clock, the system clock plus an
 * offset, was moved past the time-to-live) while its backend hangs: each reference's one background
 * refresh is blocked in the provider for the whole measurement, and every read returns the held
 * value within {@code maxStale} without waiting. The bound is 10× {@code resolveCached}.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar ResolverCacheBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Benchmark)
public class ResolverCacheBenchmark {
  private static final int KEYS = 64;

  private final ConcurrentHashMap<SecretRef, Secret> map = new ConcurrentHashMap<>();
  private SecretRef[] refs;
  private SecretRef[] equalRefs;
  private SecretHandle[] handles;
  private Secret[] held;
  private SecretResolver resolver;
  private CountingProvider provider;
  private int next;
  private long forever = Long.MAX_VALUE;
  private SecretResolver outage;
  private HangingProvider hanging;

  @Setup
  public void setUp() {
    refs = new SecretRef[KEYS];
    equalRefs = new SecretRef[KEYS];
    held = new Secret[KEYS];
    provider = new CountingProvider();
    resolver =
        SecretResolver.builder()
            .provider("aws", provider)
            .ttl(Duration.ofHours(1))
            .maxStale(Duration.ofHours(2))
            .build();
    List<SecretRef> all = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      refs[i] = SecretRef.parse("aws:prod/service-" + i + "#password");
      equalRefs[i] = SecretRef.parse(refs[i].toString());
      held[i] = Secret.of("pw-0123456789abcdef-" + i);
      map.put(refs[i], held[i]);
      all.add(refs[i]);
    }
    resolver.prefetch(all);
    handles = new SecretHandle[KEYS];
    for (int i = 0; i < KEYS; i++) {
      handles[i] = resolver.handle(equalRefs[i]);
      handles[i].get();
    }
    provider.fetches = 0;

    OffsetClock clock = new OffsetClock();
    hanging = new HangingProvider();
    outage =
        SecretResolver.builder()
            .provider("aws", hanging)
            .clock(clock)
            .ttl(Duration.ofHours(1))
            .maxStale(Duration.ofHours(2))
            .timeout(Duration.ofHours(1))
            .build();
    outage.prefetch(all);
    hanging.hang = true;
    clock.offset = Duration.ofMinutes(61).toMillis();
    for (SecretRef ref : refs) {
      outage.resolve(ref); // starts the one refresh per reference that will hang
    }
  }

  @TearDown
  public void tearDown() {
    outage.close();
    if (hanging.calls.get() > 2 * KEYS) {
      throw new IllegalStateException("more than one refresh per reference during the outage");
    }
    resolver.close();
    if (provider.fetches != 0) {
      throw new IllegalStateException("the provider was called during measurement");
    }
  }

  private int nextIndex() {
    int i = next;
    next = (i + 1) & (KEYS - 1);
    return i;
  }

  @Benchmark
  public Secret concurrentHashMapGet() {
    return map.get(equalRefs[nextIndex()]);
  }

  @Benchmark
  public Secret resolveCached() {
    return resolver.resolve(equalRefs[nextIndex()]);
  }

  @Benchmark
  public Secret concurrentHashMapGetSameKey() {
    return map.get(refs[nextIndex()]);
  }

  @Benchmark
  public Secret resolveCachedSameKey() {
    return resolver.resolve(refs[nextIndex()]);
  }

  @Benchmark
  public Secret handleGet() {
    return handles[nextIndex()].get();
  }

  @Benchmark
  public long systemClockRead() {
    return System.currentTimeMillis();
  }

  @Benchmark
  public Secret copyHeldValue() {
    return held[nextIndex()].copy();
  }

  @Benchmark
  public Secret floorGetCopy() {
    return map.get(equalRefs[nextIndex()]).copy();
  }

  @Benchmark
  public Secret floorGetClockCopy() {
    Secret held = map.get(equalRefs[nextIndex()]);
    return System.currentTimeMillis() < forever ? held.copy() : held;
  }

  @Benchmark
  public Secret resolveDuringOutage() {
    return outage.resolve(equalRefs[nextIndex()]);
  }

  /**
   * The system clock moved forward by an offset the set-up sets past the time-to-live, so that both
   * resolvers pay for the same clock read.
   */
  static final class OffsetClock extends Clock {
    volatile long offset;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long millis() {
      return System.currentTimeMillis() + offset;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }
  }

  /** A provider that answers until told to hang, then blocks every call until interrupted. */
  static final class HangingProvider implements SecretProvider {
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean hang;

    @Override
    public String name() {
      return "aws";
    }

    @Override
    public SecretVersion fetch(SecretRef ref) {
      calls.incrementAndGet();
      if (hang) {
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new ProviderException(ref, ProviderException.Kind.UNAVAILABLE, "interrupted");
      }
      String n = ref.path().substring(ref.path().lastIndexOf('-') + 1);
      return SecretVersion.of(Secret.of("pw-0123456789abcdef-" + n), "v1", Instant.EPOCH);
    }

    @Override
    public Optional<String> currentVersionId(SecretRef ref) {
      fetch(ref);
      return Optional.of("v1");
    }

    @Override
    public Optional<ConfigValue> get(String name) {
      return Optional.empty();
    }

    @Override
    public String description() {
      return "hanging";
    }
  }

  /** A provider that answers at once and counts its calls. */
  static final class CountingProvider implements SecretProvider {
    volatile int fetches;

    @Override
    public String name() {
      return "aws";
    }

    @Override
    public SecretVersion fetch(SecretRef ref) {
      fetches++;
      String n = ref.path().substring(ref.path().lastIndexOf('-') + 1);
      return SecretVersion.of(Secret.of("pw-0123456789abcdef-" + n), "v1", Instant.now());
    }

    @Override
    public Optional<ConfigValue> get(String name) {
      return Optional.empty();
    }

    @Override
    public String description() {
      return "in-memory";
    }
  }
}
