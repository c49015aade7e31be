package io.latchkey.bench.spring;

import io.latchkey.Secret;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
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
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The start-up cost of the Latchkey starter: one minimal Spring Boot application (no web server,
 * auto-configuration on, one {@code @ConfigurationProperties} bean holding 20 secrets) started and
 * closed once per invocation, in five forms:
 *
 * <ul>
 *   <li>{@code plain}: the 20 values written in the properties themselves, no integration;
 *   <li>{@code latchkey}: {@code spring.config.import=latchkey:}, each value {@code
 *       ref+aws:bench/sN#value}, prefetched (in one batch call) from the loopback Secrets Manager
 *       answering every request after 20 ms;
 *   <li>{@code latchkeyVault}: the same with each value {@code
 *       ref+vault:secret/data/bench/sN#value}, prefetched (20 requests at once) from the loopback
 *       Vault answering after 20 ms, through the provider's own HTTP/1.1 client;
 *   <li>{@code latchkeyEnv}: the same with each value {@code ref+env:BENCH_SN}, read by the env
 *       provider from {@code latchkey.environment.*}: the starter's own cost, with no network call
 *       and no cloud SDK;
 *   <li>{@code springCloudAws}: Spring Cloud AWS 4.0.0's {@code
 *       spring.config.import=aws-secretsmanager:bench/s0;…;bench/s19} against the same server.
 * </ul>
 *
 * <p>Spring Cloud AWS's auto-configurations are excluded in all five (its config data import does
 * not need them), so that the plain application pays for no integration. The servers run in a
 * process of their own ({@link LoopbackServers}), started and warmed up before the measured starts:
 * a server in the measured JVM would charge the application for loading and compiling the server's
 * side of each call. Single-shot time: with warm-up iterations it measures a start in a JVM that
 * has loaded the classes before (a restart); with {@code -wi 0 -i 1} and several forks it measures
 * the first start of a fresh JVM.
 *
 * <pre>
 * ./mvnw -B -q -pl bench-spring-boot -am -DskipTests package
 * java -cp "bench-spring-boot/target/classes:$(cat bench-spring-boot/target/classpath.txt)" \
 *     org.openjdk.jmh.Main StarterStartupBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 20)
@Fork(2)
@State(Scope.Benchmark)
public class StarterStartupBenchmark {
  static final int SECRETS = 20;
  private static final String EXCLUDE =
      "io.awspring.cloud.autoconfigure.core.AwsAutoConfiguration,"
          + "io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration,"
          + "io.awspring.cloud.autoconfigure.core.RegionProviderAutoConfiguration,"
          + "io.awspring.cloud.autoconfigure.config.secretsmanager.SecretsManagerAutoConfiguration,"
          + "io.awspring.cloud.autoconfigure.config.secretsmanager"
          + ".SecretsManagerReloadAutoConfiguration";

  private LoopbackServers.Child servers;

  /** The value of secret {@code i}. */
  static String value(int i) {
    return "secret-value-" + i + "-0123456789abcdef";
  }

  /**
   * Starts the loopback Secrets Manager and Vault in a process of their own, each with the 20
   * secrets, warmed up, and answering after 20 ms.
   *
   * @throws IOException if they cannot start
   */
  @Setup(Level.Trial)
  public void start() throws IOException {
    servers = LoopbackServers.Child.start();
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
   * The application without any integration.
   *
   * @return how many secrets it bound
   */
  @Benchmark
  public int plain() {
    return run(properties("plain", servers));
  }

  /**
   * The application with the starter, every secret a reference prefetched at start-up.
   *
   * @return how many secrets it bound
   */
  @Benchmark
  public int latchkey() {
    return run(properties("latchkey", servers));
  }

  /**
   * The application with the starter, every secret a reference prefetched at start-up from the
   * loopback Vault (KV v2), whose provider speaks HTTP/1.1 through a client of its own: no SDK.
   *
   * @return how many secrets it bound
   */
  @Benchmark
  public int latchkeyVault() {
    return run(properties("latchkeyVault", servers));
  }

  /**
   * The application with the starter, every secret a reference to the env provider: the starter's
   * own cost, without a network call or a cloud SDK.
   *
   * @return how many secrets it bound
   */
  @Benchmark
  public int latchkeyEnv() {
    return run(properties("latchkeyEnv", servers));
  }

  /**
   * The application with Spring Cloud AWS's Secrets Manager import of the same secrets.
   *
   * @return how many secrets it bound
   */
  @Benchmark
  public int springCloudAws() {
    return run(properties("springCloudAws", servers));
  }

  /**
   * Returns the properties of a form, named as its benchmark method is.
   *
   * @param form {@code plain}, {@code latchkey}, {@code latchkeyVault}, {@code latchkeyEnv} or
   *     {@code springCloudAws}
   * @param servers the loopback servers
   * @return the properties, passed to the application as command-line arguments
   */
  static Map<String, Object> properties(String form, LoopbackServers.Child servers) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("spring.autoconfigure.exclude", EXCLUDE);
    properties.put("logging.level.root", "WARN");
    switch (form) {
      case "plain" -> {
        for (int i = 0; i < SECRETS; i++) {
          properties.put("bench.secrets.s" + i, value(i));
        }
      }
      case "latchkey" ->
          withReferences(properties, servers.aws, i -> "ref+aws:bench/s" + i + "#value");
      case "latchkeyVault" ->
          withReferences(
              properties, servers.vault, i -> "ref+vault:secret/data/bench/s" + i + "#value");
      case "latchkeyEnv" -> {
        properties.put("latchkey.environment.LATCHKEY_ENV_FILE", "none");
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < SECRETS; i++) {
          env.put("BENCH_S" + i, value(i));
        }
        withReferences(properties, env, i -> "ref+env:BENCH_S" + i);
      }
      case "springCloudAws" -> {
        StringBuilder imports = new StringBuilder("aws-secretsmanager:");
        for (int i = 0; i < SECRETS; i++) {
          imports.append(i == 0 ? "" : ";").append("bench/s").append(i);
        }
        properties.put("spring.config.import", imports.toString());
        properties.put(
            "spring.cloud.aws.secretsmanager.endpoint",
            servers.aws.get("AWS_ENDPOINT_URL_SECRETS_MANAGER"));
        properties.put("spring.cloud.aws.secretsmanager.region", servers.aws.get("AWS_REGION"));
        properties.put(
            "spring.cloud.aws.credentials.access-key", servers.aws.get("AWS_ACCESS_KEY_ID"));
        properties.put(
            "spring.cloud.aws.credentials.secret-key", servers.aws.get("AWS_SECRET_ACCESS_KEY"));
      }
      default -> throw new IllegalArgumentException("no form named " + form);
    }
    return properties;
  }

  /** Adds the starter's import, the provider's settings and the 20 references. */
  private static void withReferences(
      Map<String, Object> properties, Map<String, String> settings, IntFunction<String> reference) {
    properties.put("spring.config.import", "latchkey:");
    settings.forEach((k, v) -> properties.put("latchkey.environment." + k, v));
    for (int i = 0; i < SECRETS; i++) {
      properties.put("bench.secrets.s" + i, reference.apply(i));
    }
  }

  /** The application as every form starts it: no web server, no banner, no start-up log line. */
  static SpringApplication application() {
    SpringApplication app = new SpringApplication(BenchApp.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    app.setBannerMode(Banner.Mode.OFF);
    app.setLogStartupInfo(false);
    return app;
  }

  /** The properties as command-line arguments: Boot reads {@code spring.config.import} there. */
  static String[] arguments(Map<String, Object> properties) {
    return properties.entrySet().stream()
        .map(e -> "--" + e.getKey() + "=" + e.getValue())
        .toArray(String[]::new);
  }

  private static int run(Map<String, Object> properties) {
    try (ConfigurableApplicationContext context = application().run(arguments(properties))) {
      int bound = context.getBean(BenchProperties.class).getSecrets().size();
      if (bound != SECRETS) {
        throw new IllegalStateException("bound " + bound + " secrets, not " + SECRETS);
      }
      return bound;
    }
  }

  /** The minimal application. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableConfigurationProperties(BenchProperties.class)
  public static class BenchApp {}

  /** Where the application holds its 20 secrets. */
  @ConfigurationProperties("bench")
  public static class BenchProperties {
    private final Map<String, Secret> secrets = new LinkedHashMap<>();

    /**
     * Returns the secrets.
     *
     * @return name to secret
     */
    public Map<String, Secret> getSecrets() {
      return secrets;
    }
  }
}
