package io.latchkey.bench;

import io.latchkey.SecretRef;
import io.latchkey.provider.env.EnvSecretProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The cost of one poll of 1,000 mounted secret files by the env provider: what keeping them current
 * costs when they are polled every second (the default interval). The bound is 1% of one
 * core, that is 10 ms of CPU time per poll round.
 *
 * <p>A secrets directory holds 1,000 files of 44 bytes each (a Fernet key's length), every one
 * fetched once in set-up so that the provider polls it; the benchmark is {@link
 * EnvSecretProvider#poll()}, which reads every file again and compares it with what is served (no
 * file changes, the steady state). {@code layout=plain} has plain files; {@code layout=kubernetes}
 * has the kubelet's layout, each file a symbolic link through {@code ..data} to a timestamped
 * directory, so each read follows two links.
 *
 * <p>JMH reports the wall time per poll round; the benchmark also prints, at the end of each
 * iteration, the polling thread's CPU time per round ({@link ThreadMXBean}), which is what the
 * bound is about. On one thread reading files the page cache holds, the two agree.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar MountedFilesPollBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class MountedFilesPollBenchmark {
  private static final int FILES = 1_000;

  @Param({"plain", "kubernetes"})
  public String layout;

  private Path directory;
  private EnvSecretProvider provider;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private long cpuAtStart;
  private long polls;

  @Setup
  public void setUp() throws IOException {
    directory = Files.createTempDirectory("latchkey-poll-bench-");
    Path files = directory;
    if (layout.equals("kubernetes")) {
      files = Files.createDirectory(directory.resolve("..2026_11_23_10_00_00.000000001"));
      Files.createSymbolicLink(directory.resolve("..data"), files.getFileName());
    }
    for (int i = 0; i < FILES; i++) {
      String name = String.format(Locale.ROOT, "secret_%04d", i);
      String value = String.format(Locale.ROOT, "k%043d", i);
      Files.write(files.resolve(name), value.getBytes(StandardCharsets.UTF_8));
      if (layout.equals("kubernetes")) {
        Files.createSymbolicLink(directory.resolve(name), Path.of("..data").resolve(name));
      }
    }
    provider =
        EnvSecretProvider.builder()
            .environment(Map.of())
            .noDotenv()
            .secretsDir(directory)
            .pollInterval(Duration.ZERO)
            .build();
    for (int i = 0; i < FILES; i++) {
      provider.fetch(SecretRef.parse(String.format(Locale.ROOT, "env:SECRET_%04d", i)));
    }
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    cpuAtStart = threads.getCurrentThreadCpuTime();
    polls = 0;
  }

  @Benchmark
  public void pollThousandFiles() {
    provider.poll();
    polls++;
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    long cpu = threads.getCurrentThreadCpuTime() - cpuAtStart;
    if (polls > 0) {
      double micros = cpu / 1_000.0 / polls;
      System.out.printf(
          Locale.ROOT,
          "%n  CPU time per poll round of %d files: %.1f us (%.3f%% of one core at one round a"
              + " second)%n",
          FILES,
          micros,
          micros / 10_000.0);
    }
  }

  @TearDown
  public void tearDown() {
    provider.close();
    if (!provider.sourceProblems().isEmpty()) {
      throw new IllegalStateException("a file was reported: " + provider.sourceProblems());
    }
    try (Stream<Path> walk = Files.walk(directory)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
