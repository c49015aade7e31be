package io.latchkey.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the {@code git} binary for {@code scan} and {@code hook}: in a given directory, with the
 * command's environment, never with a secret among its arguments (they name paths, revisions and
 * options only).
 *
 * <p>Every call turns off what git could otherwise run or print on its own account: the file-system
 * monitor a repository may configure ({@code core.fsmonitor}, which runs a program), external diff
 * drivers and text conversions, colours, pagers and prompts, and the context {@code GIT_DIFF_OPTS}
 * would force into a diff; and it takes no optional lock, so that a scan inside a pre-commit hook,
 * while git holds the index, neither waits nor writes.
 */
final class Git {
  /** Thrown when git cannot be run or fails; the message is git's first line of error. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }
  }

  /** Receives git's standard output as it comes. */
  interface Output {
    void read(InputStream stdout) throws IOException;
  }

  /** The most of git's standard error kept for a message. */
  private static final int MAX_ERROR = 4096;

  private final Path dir;
  private final Map<String, String> env;

  Git(Path dir, Map<String, String> env) {
    this.dir = dir;
    this.env = env;
  }

  /**
   * The top of the work tree that holds the directory, or empty when it is in none: looked for as
   * git looks for it, from the directory up, without running anything.
   */
  Optional<Path> workTree() {
    if (env.containsKey("GIT_DIR") || env.containsKey("GIT_WORK_TREE")) {
      // Inside a hook, or set by the user: only git knows where these point.
      try {
        return Optional.of(Path.of(text("rev-parse", "--show-toplevel").strip()));
      } catch (Failure e) {
        return Optional.empty();
      }
    }
    for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      try {
        if (GitIndex.gitDir(p).isPresent()) {
          return Optional.of(p);
        }
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Runs git and returns its standard output as UTF-8 text. */
  String text(String... args) throws Failure {
    return new String(bytes(args), StandardCharsets.UTF_8);
  }

  /** Runs git and returns its standard output. */
  byte[] bytes(String... args) throws Failure {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    run(List.of(args), stdout -> stdout.transferTo(out));
    return out.toByteArray();
  }

  /** Runs git and hands its standard output to {@code output} while it runs. */
  void run(List<String> args, Output output) throws Failure {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(
        List.of(
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.quotePath=false",
            "-c",
            "color.ui=never",
            "--no-pager"));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    // It overrides even --unified on the command line, and so would give -U0 diffs context.
    pb.environment().remove("GIT_DIFF_OPTS");
    pb.environment().put("GIT_OPTIONAL_LOCKS", "0");
    pb.environment().put("GIT_TERMINAL_PROMPT", "0");
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new Failure(
          Files.isDirectory(dir)
              ? "cannot run git (is it installed and on the PATH?)"
              : "cannot run git: the directory to run it in does not exist");
    }
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    Thread drain =
        new Thread(
            () -> {
              try (InputStream err = process.getErrorStream()) {
                byte[] buffer = new byte[8192];
                for (int n; (n = err.read(buffer)) >= 0; ) {
                  synchronized (errors) {
                    errors.write(buffer, 0, Math.min(n, Math.max(0, MAX_ERROR - errors.size())));
                  }
                }
              } catch (IOException e) {
                // git has gone; its exit status says the rest
              }
            },
            "git-stderr");
    drain.setDaemon(true);
    drain.start();
    try {
      process.getOutputStream().close();
      try (InputStream stdout = process.getInputStream()) {
        output.read(stdout);
        // Whatever the reader left, so that git is not blocked writing it.
        stdout.transferTo(OutputStream.nullOutputStream());
      }
      int status = process.waitFor();
      drain.join();
      if (status != 0) {
        String message;
        synchronized (errors) {
          message = errors.toString(StandardCharsets.UTF_8).strip();
        }
        int newline = message.indexOf('\n');
        throw new Failure("git failed: " + (newline > 0 ? message.substring(0, newline) : message));
      }
    } catch (IOException e) {
      process.destroy();
      throw new Failure("git failed: input/output error");
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw new Failure("interrupted while git ran");
    }
  }
}
