package io.latchkey.cli;

import io.latchkey.LatchkeyException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The streams, environment and command line a command works with, injected so that tests run
 * in-process.
 *
 * @param commandLine this process's command line as {@code doctor} checks it for secrets: every
 *     argument, as the operating system shows it to other users
 */
record Io(
    InputStream in,
    PrintStream out,
    PrintStream err,
    Map<String, String> env,
    Supplier<List<String>> commandLine) {

  /** Streams and environment, with the real command line of this process. */
  Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    this(in, out, err, env, ProcessArguments::current);
  }

  /** Reports a failure as the one line on standard error that scripts and people read. */
  void fail(String command, String reason) {
    err.println(command + ": " + reason);
    err.flush();
  }

  /** Flushes standard output, which as a {@link PrintStream} hides write errors until asked. */
  void finishOutput() {
    out.flush();
    if (out.checkError()) {
      throw new LatchkeyException("cannot write to standard output");
    }
  }

  /** The environment holds keys: never print it. */
  @Override
  public String toString() {
    return "Io[env=" + env.size() + " variables]";
  }
}
