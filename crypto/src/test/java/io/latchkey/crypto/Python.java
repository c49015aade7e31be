package io.latchkey.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code python3} for the interoperability tests: secrets travel in the environment and tokens
 * on stdin, never on the command line.
 */
public final class Python {
  private Python() {}

  /**
   * What a run printed, standard error included, and its exit code.
   *
   * @param exitCode the exit code
   * @param out standard output and standard error, interleaved
   */
  public record Result(int exitCode, String out) {}

  /**
   * Tells whether a {@code python3} that can import the given module is on the PATH.
   *
   * @param module a module, such as {@code cryptography.fernet}
   * @return {@code true} if the import works
   */
  public static boolean canImport(String module) {
    try {
      return run(List.of("-c", "import " + module), Map.of(), "").exitCode() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Runs {@code python3} with the given arguments and waits for it to end.
   *
   * @param args the arguments after {@code python3}
   * @param env variables added to the environment
   * @param stdin what to write to its standard input
   * @return what it printed and its exit code
   * @throws IOException if it cannot be started or read
   */
  public static Result run(List<String> args, Map<String, String> env, String stdin)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add("python3");
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(UTF_8));
    }
    try {
      // Reading to the end of the output waits for the script to finish; no timer needed.
      String out = new String(p.getInputStream().readAllBytes(), UTF_8);
      return new Result(p.waitFor(), out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
