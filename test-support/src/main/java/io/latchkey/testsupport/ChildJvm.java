package io.latchkey.testsupport;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code main} in a child JVM with a small heap, for a test whose failure would be an {@code
 * OutOfMemoryError} or a read that never ends (a device, a FIFO) and must not take the build's JVM
 * down with it; and makes FIFOs for such tests.
 */
public final class ChildJvm {
  /** How long a child, or {@code mkfifo}, may run before it is killed. */
  public static final long LIMIT_SECONDS = 60;

  private ChildJvm() {}

  /**
   * What a child printed (standard output and error together) and its exit status.
   *
   * @param exitCode the exit status, or -1 if it was killed after {@link #LIMIT_SECONDS}
   * @param output what it printed, or {@code "blocked"} if it was killed
   */
  public record Result(int exitCode, String output) {}

  /**
   * Runs {@code main} with the test's class path, a 48 MB heap and no standard input, killing it
   * after {@link #LIMIT_SECONDS}.
   *
   * @param main the class whose {@code main} runs
   * @param args its arguments
   * @return what it printed and its exit status
   * @throws IOException if the child cannot be started
   * @throws InterruptedException if interrupted while waiting
   */
  public static Result run(Class<?> main, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of("-Xmx48m", "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    Path output = Files.createTempFile("child", ".txt");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(new File("/dev/null"))
              .start();
      if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        return new Result(-1, "blocked");
      }
      return new Result(p.exitValue(), Files.readString(output, UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /**
   * Makes a FIFO with {@code mkfifo}.
   *
   * @param fifo where
   * @return whether it was made; false where there is no {@code mkfifo}, for the test to skip
   * @throws InterruptedException if interrupted while waiting
   */
  public static boolean mkfifo(Path fifo) throws InterruptedException {
    Process p;
    try {
      p =
          new ProcessBuilder("mkfifo", fifo.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      return false;
    }
    boolean done = p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    return done && p.exitValue() == 0 && Files.exists(fifo);
  }
}
