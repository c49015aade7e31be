package io.latchkey.cli;

import io.latchkey.LatchkeyException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/** The streams and environment a command works with, injected so that tests run in-process. */
record Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {

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
