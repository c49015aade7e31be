package io.latchkey.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.provider.aws.AwsSecretProvider;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import io.latchkey.provider.gcp.GcpSecretProvider;
import io.latchkey.provider.gcp.testing.FakeSecretManager;
import io.latchkey.provider.vault.VaultSecretProvider;
import io.latchkey.provider.vault.testing.FakeVault;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Start-up prefetch of 50 references from a backend that takes 20 ms to answer each request, beside
 * resolving the same 50 one after another. The bound: under 3 round trips (about 60 ms).
 *
 * <p>Each backend is the provider module's loopback server, speaking the real wire protocol over
 * TCP, with 20 ms of latency injected into every request; each provider is the real one, as {@code
 * fromEnvironment} builds it for the server's settings (AWS: the provider's own HTTP client, which
 * it chooses for static keys; GCP: the official gRPC client; Vault: the provider's own HTTP/1.1
 * client). Each invocation is a start-up in a warm JVM: it builds the provider (so its channel or
 * connections, and Vault's token and mount look-ups, are new) and a new {@link SecretResolver}
 * (nothing cached), resolves the 50 references, and closes both:
 *
 * <ul>
 *   <li>{@code prefetch}: {@link SecretResolver#prefetch}. On AWS this is {@code
 *       BatchGetSecretValue}, 20 secrets per call, the three calls in parallel; GCP and Vault have
 *       no batch read, so their {@code fetchAll} puts the 50 requests in flight at once.
 *   <li>{@code sequential}: {@link SecretResolver#resolve(SecretRef)} for each reference in turn,
 *       what an application that reads its secrets one by one at start-up does.
 * </ul>
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar ResolverPrefetchBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ResolverPrefetchBenchmark {
  private static final int REFERENCES = 50;
  private static final Duration LATENCY = Duration.ofMillis(20);

  @Param({"aws", "gcp", "vault"})
  public String backend;

  private AutoCloseable server;
  private Map<String, String> environment;
  private Function<Map<String, String>, SecretProvider> providers;
  private List<SecretRef> refs;

  @Setup
  public void setUp() {
    refs = new ArrayList<>();
    switch (backend) {
      case "aws" -> {
        FakeSecretsManager aws = FakeSecretsManager.start();
        for (int i = 0; i < REFERENCES; i++) {
          aws.putSecretString("prod/service-" + i, "{\"password\":\"pw-" + i + "\"}");
          refs.add(SecretRef.parse("aws:prod/service-" + i + "#password"));
        }
        aws.latency(LATENCY);
        server = aws;
        environment = aws.environment();
        providers = AwsSecretProvider::fromEnvironment;
      }
      case "gcp" -> {
        FakeSecretManager gcp = FakeSecretManager.start();
        for (int i = 0; i < REFERENCES; i++) {
          gcp.addVersion("service-" + i, ("pw-" + i).getBytes(UTF_8));
          refs.add(SecretRef.parse("gcp:service-" + i));
        }
        gcp.latency(LATENCY);
        server = gcp;
        environment = gcp.environment();
        providers = GcpSecretProvider::fromEnvironment;
      }
      case "vault" -> {
        FakeVault vault = FakeVault.start();
        for (int i = 0; i < REFERENCES; i++) {
          vault.putKv2("secret", "service-" + i, Map.of("password", "pw-" + i));
          refs.add(SecretRef.parse("vault:secret/data/service-" + i + "#password"));
        }
        vault.latency(LATENCY);
        server = vault;
        environment = vault.environment();
        providers = VaultSecretProvider::fromEnvironment;
      }
      default -> throw new IllegalArgumentException(backend);
    }
  }

  @TearDown
  public void tearDown() throws Exception {
    server.close();
  }

  @Benchmark
  public Secret prefetch() {
    try (SecretProvider provider = providers.apply(environment);
        SecretResolver resolver = SecretResolver.builder().provider(provider).build()) {
      resolver.prefetch(refs);
      return resolver.resolve(refs.get(REFERENCES - 1));
    }
  }

  @Benchmark
  public Secret sequential() {
    try (SecretProvider provider = providers.apply(environment);
        SecretResolver resolver = SecretResolver.builder().provider(provider).build()) {
      Secret last = null;
      for (SecretRef ref : refs) {
        last = resolver.resolve(ref);
      }
      return last;
    }
  }
}
