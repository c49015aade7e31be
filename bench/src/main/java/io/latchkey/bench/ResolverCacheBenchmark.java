package io.latchkey.bench;

import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.SecretResolver;
import io.latchkey.config.ConfigValue;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
 * <p>Both sides hold 64 references ({@code aws:prod/service-N#password}, a 24-byte value each) and
 * look up one of them, cycling through all 64 so that neither side profits from a single hot key.
 * {@code concurrentHashMapGet} returns the {@link Secret} stored in the map; {@code resolveCached}
 * returns what {@link SecretResolver#resolve(SecretRef)} returns: a handle to the cached value that
 * the caller may wipe without wiping the cache's. The time-to-live is an hour, so every call is a
 * hit, and no provider call happens during measurement (the benchmark checks this in tear-down).
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
  private SecretResolver resolver;
  private CountingProvider provider;
  private int next;

  @Setup
  public void setUp() {
    refs = new SecretRef[KEYS];
    provider = new CountingProvider();
    resolver =
        SecretResolver.builder()
            .provider("aws", provider)
            .ttl(Duration.ofHours(1))
            .maxStale(Duration.ofHours(2))
            .build();
    List<SecretRef> all = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      // Parsed anew, as an application holding its own SecretRef constants would have them.
      refs[i] = SecretRef.parse("aws:prod/service-" + i + "#password");
      map.put(SecretRef.parse(refs[i].toString()), Secret.of("pw-0123456789abcdef-" + i));
      all.add(refs[i]);
    }
    resolver.prefetch(all);
    provider.fetches = 0;
  }

  @TearDown
  public void tearDown() {
    resolver.close();
    if (provider.fetches != 0) {
      throw new IllegalStateException("the provider was called during measurement");
    }
  }

  private SecretRef nextRef() {
    int i = next;
    next = (i + 1) & (KEYS - 1);
    return refs[i];
  }

  @Benchmark
  public Secret concurrentHashMapGet() {
    return map.get(nextRef());
  }

  @Benchmark
  public Secret resolveCached() {
    return resolver.resolve(nextRef());
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
