package io.latchkey.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** This process's command line, as {@code ps} and {@code /proc} show it to every local user. */
final class ProcessArguments {
  private static final Path PROC_CMDLINE = Path.of("/proc/self/cmdline");

  private ProcessArguments() {}

  /**
   * Returns every argument this process was started with, JVM options included, from each source
   * the platform offers; duplicates do no harm to a search.
   */
  static List<String> current() {
    List<String> args = new ArrayList<>();
    ProcessHandle.Info info = ProcessHandle.current().info();
    info.arguments().ifPresent(a -> args.addAll(Arrays.asList(a)));
    info.commandLine().ifPresent(args::add);
    // The JDK may leave arguments out (it does where the information is restricted); Linux's own
    // record is what other users read.
    if (Files.isReadable(PROC_CMDLINE)) {
      try {
        args.addAll(split(Files.readAllBytes(PROC_CMDLINE)));
      } catch (IOException e) {
        // Not worth failing a check for: the other sources stand.
      }
    }
    return args;
  }

  /** Splits {@code /proc/PID/cmdline}: arguments, each ended by a NUL byte. */
  static List<String> split(byte[] cmdline) {
    List<String> args = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= cmdline.length; i++) {
      if (i == cmdline.length || cmdline[i] == 0) {
        if (i > start) {
          args.add(new String(cmdline, start, i - start, StandardCharsets.UTF_8));
        }
        start = i + 1;
      }
    }
    return args;
  }
}
