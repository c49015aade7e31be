package io.latchkey.bench.spring;

import io.latchkey.SecretRef;
import io.latchkey.provider.vault.VaultSecretProvider;
import io.latchkey.spi.SecretProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Vault provider's first use in a fresh JVM: building it from settings and prefetching 20
 * references ({@code fetchAll}) from the loopback Vault answering after 20 ms, once per fork: what
 * the provider's HTTP client costs a fresh JVM, loaded and run for the first time (466 ms on the
 * JDK's {@code java.net.http} client, 239 ms on the provider's own). With warm-up iterations
 * ({@code -wi 30 -i 50 -f 2}) it measures the same in a JVM that has done it before.
 *
 * <pre>
 * java -cp "bench-spring-boot/target/classes:$(cat bench-spring-boot/target/classpath.txt)" \
 *     org.openjdk.jmh.Main VaultFirstReadBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(10)
@State(Scope.Benchmark)
public class VaultFirstReadBenchmark {
  private LoopbackServers.Child servers;
  private List<SecretRef> refs;

  /**
   * Starts the loopback servers in their own process.
   *
   * @throws IOException if the servers cannot start
   */
  @Setup(Level.Trial)
  public void start() throws IOException {
    servers = LoopbackServers.Child.start();
    refs = new ArrayList<>();
    for (int i = 0; i < StarterStartupBenchmark.SECRETS; i++) {
      refs.add(SecretRef.parse("vault:secret/data/bench/s" + i + "#value"));
    }
  }

  /**
   * Stops the servers.
   *
   * @throws Exception if they cannot be stopped
   */
  @TearDown(Level.Trial)
  public void stop() throws Exception {
    servers.close();
  }

  /**
   * Builds the provider and prefetches the 20 references.
   *
   * @return how many values were fetched (20)
   */
  @Benchmark
  public int firstPrefetch() {
    try (SecretProvider vault = VaultSecretProvider.fromEnvironment(servers.vault)) {
      int fetched = vault.fetchAll(refs).size();
      if (fetched != refs.size()) {
        throw new IllegalStateException("fetched " + fetched + " of " + refs.size());
      }
      return fetched;
    }
  }
}
