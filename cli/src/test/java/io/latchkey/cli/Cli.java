package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Runs the command line in-process and captures what it prints. */
final class Cli {
  private Cli() {}

  /** What one run printed, and its exit status. */
  record Result(int exitCode, byte[] stdoutBytes, String stderr) {
    String stdout() {
      return new String(stdoutBytes, UTF_8);
    }
  }

  static Result run(Map<String, String> env, String stdin, String... args) {
    return run(env, stdin.getBytes(UTF_8), args);
  }

  static Result run(Map<String, String> env, byte[] stdin, String... args) {
    return run(env, new ByteArrayInputStream(stdin), args);
  }

  static Result run(Map<String, String> env, InputStream stdin, String... args) {
    return run(env, stdin, ProcessArguments::current, args);
  }

  /** Runs as if this process had been started with {@code commandLine}, for {@code doctor}. */
  static Result runWithCommandLine(
      Map<String, String> env, List<String> commandLine, String... args) {
    return run(env, new ByteArrayInputStream(new byte[0]), () -> List.copyOf(commandLine), args);
  }

  private static Result run(
      Map<String, String> env,
      InputStream stdin,
      Supplier<List<String>> commandLine,
      String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            args,
            stdin,
            new PrintStream(out, false, UTF_8),
            new PrintStream(err, false, UTF_8),
            env,
            commandLine);
    return new Result(exit, out.toByteArray(), err.toString(UTF_8));
  }
}
