package io.latchkey.bench;

import io.latchkey.config.Config;
import io.latchkey.config.ConfigSchema;
import io.smallrye.config.SmallRyeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading and validating a 100-setting configuration from the environment and a {@code .env} file
 * with Latchkey, side by side with SmallRye Config doing the same work.
 *
 * <p>Run from the project root after {@code ./mvnw -B -pl bench -am package -DskipTests}:
 *
 * <pre>
 * # full measurement (the cold methods take 20 fresh JVMs each), results as JSON:
 * java -jar bench/target/benchmarks.jar ConfigBenchmark -rf json -rff bench/target/config.json
 * # quick look:
 * java -jar bench/target/benchmarks.jar 'ConfigBenchmark.*_load$' -f 1 -wi 1 -i 2 -w 1s -r 1s
 * java -jar bench/target/benchmarks.jar 'ConfigBenchmark.*Cold' -f 3
 * </pre>
 *
 * <p>The configuration is a billing service's ({@link Billing}): 100 settings of mixed types
 * (strings, integers with ranges, ports, booleans, durations, URIs with allowed schemes, enums,
 * comma-separated lists, secrets, a Fernet key), four derived from others (a database URL built
 * from host, port, name, user and password; a Redis URL; a public base URL and a callback URL
 * derived from it), four with a deprecated name (two of them set under it). 34 values come from a
 * map standing for the process environment (which also holds 24 variables nobody declared), 35 from
 * a real {@code .env} file written to a temporary directory in setup, 21 from defaults; 6 optional
 * settings stay unset. The environment wins over the file. What each method measures:
 *
 * <ul>
 *   <li>{@code latchkey_load} (steady state, average time per load, µs): {@code
 *       EnvSecretProvider.builder().environment(map).dotenvFile(path).build()}, which reads and
 *       parses the {@code .env} file, then {@code schema.load(provider)}, which looks up, parses
 *       and checks all 100 settings and returns the {@link Config}. The schema is built once in
 *       setup, as an application builds it once.
 *   <li>{@code latchkey_buildSchema} (steady state, µs): declaring the 100 {@link
 *       io.latchkey.config.Setting}s and building the {@link ConfigSchema} (resolution order of the
 *       derived settings, alias and secret tables). An application does this once, at start-up, so
 *       it is in the cold number; this method shows its share.
 *   <li>{@code latchkey_loadCold} (single shot on a fresh JVM, ms): building the schema and then
 *       all of {@code latchkey_load}, measured once per JVM, with no warm-up, in 20 forks. This is
 *       the number for "after JVM start-up": it includes loading and initialising the classes of
 *       Latchkey's core and {@code env} provider, SLF4J (bound to slf4j-nop here) and the JDK
 *       classes they use first, running in the interpreter. It does not include the JVM's own
 *       start-up or JMH's, which came before.
 *   <li>{@code smallrye_load} (steady state, µs): a {@link SmallRyeConfig} built with {@code
 *       SmallRyeConfigBuilder} over an {@code EnvConfigSource} of the same map (ordinal 300) and
 *       {@code DotEnvConfigSourceProvider} on the same file (ordinal 295, so the environment wins
 *       as in Latchkey); its default interceptors (for expressions); a {@code
 *       FallbackConfigSourceInterceptor} for the four deprecated names; a duration converter that
 *       reads {@code 30s}, {@code 500ms} and {@code 3650d} as Latchkey does (SmallRye itself reads
 *       ISO-8601 only; this is the converter Quarkus registers); and the {@code @ConfigMapping}
 *       interface {@link BillingConfig} with the same 100 members and types (a secret is a {@code
 *       io.smallrye.config.Secret<String>}, a derived setting a {@code @WithDefault} expression).
 *       SmallRye maps and converts all members while building, then calls a {@code ConfigValidator}
 *       that checks what the converters do not: integer ranges and ports, absolute URIs with an
 *       allowed scheme, and the Fernet key's shape, reporting every problem at once. Enum
 *       membership is checked by SmallRye's enum converter. No discovered sources, converters or
 *       interceptors (no class-path scan, no system properties), since Latchkey reads only what it
 *       is given.
 *   <li>{@code smallrye_loadCold} (single shot, 20 forks, ms): the same on a fresh JVM. The mapping
 *       is SmallRye's schema: its metadata is read and its implementation class generated (with
 *       ASM) on first use, inside the measurement, as it would be at an application's start-up.
 *       Later builds in the same JVM reuse them, as {@code smallrye_load} does.
 * </ul>
 *
 * <p>Differences that remain: SmallRye's booleans accept {@code on}/{@code y} and read anything
 * else as {@code false} where Latchkey rejects it; its lists drop empty entries where Latchkey
 * reports them; its expressions do not percent-encode, so the database password here is one that
 * needs no encoding (Latchkey's template encodes it with {@code |url}, and both give the same URI);
 * it logs no warning when a deprecated name is used; its {@code .env} reader is {@code
 * java.util.Properties}, so the file uses only the syntax both read. Latchkey's {@code Config} also
 * records each value's origin for its masked report; SmallRye's keeps each value's source too.
 *
 * <p>The benchmark class touches neither library itself, so that linking it loads none of their
 * classes before a cold measurement: the work is in {@link LatchkeyBilling} and {@link
 * SmallRyeBilling}.
 *
 * <p>Setup loads the configuration with each library and checks typed values from every kind of
 * source (environment, {@code .env}, default, deprecated name, derived, unset optional) and that no
 * secret shows in Latchkey's masked {@code toString()}, and throws {@link IllegalStateException} if
 * one is wrong, so a broken benchmark cannot report numbers. The cold methods must not touch either
 * library before they run, so their result is checked after the measurement instead, in a tear-down
 * that fails the run.
 */
@Threads(1)
public class ConfigBenchmark {

  /** The inputs both libraries read: plain JDK work, so that cold measurements stay cold. */
  @State(Scope.Benchmark)
  public static class Inputs {
    Map<String, String> environment;
    Path directory;
    Path dotenv;

    /** Writes the {@code .env} file to a new temporary directory. */
    @Setup(Level.Trial)
    public void write() throws IOException {
      environment = Billing.environment();
      directory = Files.createTempDirectory("latchkey-config-bench");
      dotenv = directory.resolve(".env");
      Files.writeString(dotenv, Billing.dotenv(), StandardCharsets.UTF_8);
    }

    /** Deletes the file and its directory. */
    @TearDown(Level.Trial)
    public void delete() throws IOException {
      Files.deleteIfExists(dotenv);
      Files.deleteIfExists(directory);
    }
  }

  /** The Latchkey schema, built once, and a checked load of it. */
  @State(Scope.Benchmark)
  public static class LatchkeyWarm {
    ConfigSchema schema;

    /** Builds the schema and checks one load. */
    @Setup(Level.Trial)
    public void setUp(Inputs inputs) {
      schema = LatchkeyBilling.schema();
      LatchkeyBilling.check(LatchkeyBilling.load(schema, inputs.environment, inputs.dotenv));
    }
  }

  /** A SmallRye load checked before measuring. */
  @State(Scope.Benchmark)
  public static class SmallRyeWarm {
    /** Checks one load. */
    @Setup(Level.Trial)
    public void setUp(Inputs inputs) {
      SmallRyeBilling.check(SmallRyeBilling.load(inputs.environment, inputs.dotenv));
    }
  }

  /** Holds a cold load's result, checked once the measurement is over. */
  @State(Scope.Thread)
  public static class LatchkeyColdResult {
    Config config;

    /** Fails the run if the measured load was wrong. */
    @TearDown(Level.Iteration)
    public void check() {
      LatchkeyBilling.check(Objects.requireNonNull(config, "no result"));
    }
  }

  /** Holds a cold load's result, checked once the measurement is over. */
  @State(Scope.Thread)
  public static class SmallRyeColdResult {
    SmallRyeConfig config;

    /** Fails the run if the measured load was wrong. */
    @TearDown(Level.Iteration)
    public void check() {
      SmallRyeBilling.check(Objects.requireNonNull(config, "no result"));
    }
  }

  // ---- Latchkey ----

  /** Parses the {@code .env} file and loads and validates the schema; see the class comment. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Fork(1)
  @Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
  @Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
  public Config latchkey_load(Inputs inputs, LatchkeyWarm warm) {
    return LatchkeyBilling.load(warm.schema, inputs.environment, inputs.dotenv);
  }

  /** Declares the 100 settings and builds the schema; see the class comment. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Fork(1)
  @Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
  @Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
  public ConfigSchema latchkey_buildSchema() {
    return LatchkeyBilling.schema();
  }

  /** Builds the schema and loads it, once, on a fresh JVM; see the class comment. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Fork(20)
  @Warmup(iterations = 0)
  @Measurement(iterations = 1)
  public Config latchkey_loadCold(Inputs inputs, LatchkeyColdResult result) {
    Config config =
        LatchkeyBilling.load(LatchkeyBilling.schema(), inputs.environment, inputs.dotenv);
    result.config = config;
    return config;
  }

  // ---- SmallRye Config ----

  /** Builds a SmallRye config and maps and validates all 100 members; see the class comment. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Fork(1)
  @Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
  @Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
  public BillingConfig smallrye_load(Inputs inputs, SmallRyeWarm warm) {
    return SmallRyeBilling.load(inputs.environment, inputs.dotenv)
        .getConfigMapping(BillingConfig.class);
  }

  /** The same as {@code smallrye_load}, once, on a fresh JVM; see the class comment. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Fork(20)
  @Warmup(iterations = 0)
  @Measurement(iterations = 1)
  public BillingConfig smallrye_loadCold(Inputs inputs, SmallRyeColdResult result) {
    SmallRyeConfig config = SmallRyeBilling.load(inputs.environment, inputs.dotenv);
    result.config = config;
    return config.getConfigMapping(BillingConfig.class);
  }
}
