package io.latchkey.bench.spring;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One start of {@link StarterStartupBenchmark}'s application in a fresh JVM, taken apart: where a
 * cold start's time goes rather than how long it takes, for comparing two forms (or two builds of
 * the starter) over many JVMs, a difference of a few milliseconds at a time, which JMH's single
 * figure per fork hides in the noise of a fresh JVM.
 *
 * <p>It prints, one per line as {@code name value}: {@code run} (the start, in ms), the main
 * thread's CPU time and the process's ({@code cpu.main}, {@code cpu.process}), where the main
 * thread's time in the start went ({@code main.oncpu} on a CPU, {@code main.runqueue} ready but
 * waiting for one, {@code main.blocked} the rest: waiting on a lock, a file or another thread; from
 * {@code /proc/thread-self/schedstat}, where there is one), the classes loaded ({@code classes},
 * the JVM's total, and {@code classes.run}, those loaded during the start), each of Spring Boot's
 * start-up steps summed by name ({@code step.NAME}, in ms, from {@link
 * BufferingApplicationStartup}; a bean's creation is {@code step.spring.beans.instantiate|BEAN}),
 * and, where {@code /proc} shows them, the CPU time of the JVM's threads by name ({@code
 * thread.NAME}: the JIT's compiler threads, the starter's own), read once the context is started.
 *
 * <pre>
 * java -cp "bench-spring-boot/target/classes:$(cat bench-spring-boot/target/classpath.txt)" \
 *     io.latchkey.bench.spring.StartupSteps latchkeyEnv
 * </pre>
 */
public final class StartupSteps {
  private StartupSteps() {}

  /**
   * Starts the application once in the form the argument names, and prints the figures.
   *
   * @param args the form: {@code plain}, {@code latchkey}, {@code latchkeyVault}, {@code
   *     latchkeyEnv} or {@code springCloudAws}
   * @throws Exception if the loopback servers cannot start or stop
   */
  public static void main(String[] args) throws Exception {
    String form = args.length == 1 ? args[0] : "";
    // Started for every form, as the benchmark does: the client side of starting them (a process,
    // futures) then loads the same classes before every form's start, not only before some.
    try (LoopbackServers.Child child = LoopbackServers.Child.start()) {
      Map<String, Object> properties = StarterStartupBenchmark.properties(form, child);
      SpringApplication app = StarterStartupBenchmark.application();
      BufferingApplicationStartup startup = new BufferingApplicationStartup(100_000);
      app.setApplicationStartup(startup);
      long classesBefore = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
      long[] schedBefore = schedstat();
      long start = System.nanoTime();
      try (ConfigurableApplicationContext context =
          app.run(StarterStartupBenchmark.arguments(properties))) {
        long run = System.nanoTime() - start;
        long[] schedAfter = schedstat();
        Map<String, Double> figures = new TreeMap<>();
        figures.put("run", run / 1e6);
        if (schedBefore != null && schedAfter != null) {
          double onCpu = (schedAfter[0] - schedBefore[0]) / 1e6;
          double queued = (schedAfter[1] - schedBefore[1]) / 1e6;
          figures.put("main.oncpu", onCpu);
          figures.put("main.runqueue", queued);
          figures.put("main.blocked", run / 1e6 - onCpu - queued);
        }
        figures.put(
            "cpu.main", ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e6);
        figures.put(
            "cpu.process",
            ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime()
                / 1e6);
        figures.put(
            "classes",
            (double) ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
        figures.put(
            "classes.run",
            (double)
                (ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount()
                    - classesBefore));
        steps(startup.getBufferedTimeline(), figures);
        threads(figures);
        figures.forEach((name, value) -> System.out.printf("%s %.2f%n", name, value));
      }
    }
  }

  /**
   * The calling thread's time on a CPU and waiting for one, in ns, from {@code
   * /proc/thread-self/schedstat} (Linux), or null where there is none.
   */
  private static long[] schedstat() throws IOException {
    Path file = Paths.get("/proc/thread-self/schedstat");
    if (!Files.isReadable(file)) {
      return null;
    }
    String[] fields = Files.readString(file, StandardCharsets.UTF_8).trim().split(" ");
    return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1])};
  }

  /** Sums the steps by name; a bean's creation is named by its bean too. */
  private static void steps(StartupTimeline timeline, Map<String, Double> figures) {
    for (StartupTimeline.TimelineEvent event : timeline.getEvents()) {
      StringBuilder name = new StringBuilder("step.").append(event.getStartupStep().getName());
      event
          .getStartupStep()
          .getTags()
          .forEach(
              tag -> {
                if (tag.getKey().equals("beanName")) {
                  name.append('|').append(tag.getValue());
                }
              });
      figures.merge(name.toString(), event.getDuration().toNanos() / 1e6, Double::sum);
    }
  }

  /**
   * Adds each live thread's CPU time by name, from {@code /proc/self/task} (Linux); the threads
   * that have ended are not there.
   */
  private static void threads(Map<String, Double> figures) throws IOException {
    Path tasks = Paths.get("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return;
    }
    // utime and stime are counted in clock ticks, 100 a second on Linux.
    double msPerTick = 10;
    try (DirectoryStream<Path> all = Files.newDirectoryStream(tasks)) {
      for (Path task : all) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"), StandardCharsets.UTF_8);
        } catch (IOException e) {
          continue; // the thread ended meanwhile
        }
        int close = stat.lastIndexOf(')');
        String name =
            stat.substring(stat.indexOf('(') + 1, close)
                .replaceAll("[0-9 ]+$", "")
                .replace(' ', '_');
        String[] fields = stat.substring(close + 2).split(" ");
        double ms = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * msPerTick;
        figures.merge("thread." + name, ms, Double::sum);
      }
    }
  }
}
