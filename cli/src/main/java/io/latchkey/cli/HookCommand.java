package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code latchkey hook}: git hooks that run the commit guard. */
@Command(
    name = "hook",
    header = "Installs the pre-commit hook that runs 'latchkey scan --staged'.",
    description = {"Use 'latchkey hook install' in a git work tree."})
final class HookCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  private final Io io;

  HookCommand(Io io) {
    this.io = io;
  }

  /** A command is required. */
  @Override
  public Integer call() {
    io.fail("latchkey hook", "missing command: install");
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }

  /** Writes the pre-commit hook. */
  @Command(
      name = "install",
      header = "Writes a pre-commit hook that runs 'latchkey scan --staged'.",
      description = {
        "Writes the repository's pre-commit hook (where 'git rev-parse --git-path",
        "hooks' says: .git/hooks, or core.hooksPath), so that every commit is",
        "scanned and refused while it adds a secret or a .env file. A hook this",
        "command wrote is replaced; any other hook is left alone unless --force is",
        "given, in which case it is kept as pre-commit.latchkey-backup. The hook runs",
        "the jar this command runs from, with the java that runs it, unless",
        "--command names another way to run latchkey."
      },
      footer = {
        "",
        "Examples:",
        "  latchkey hook install",
        "  latchkey hook install --command latchkey --force",
        "",
        "Exit status: 0 installed, 1 another hook is in the way, 2 usage error or not",
        "in a git work tree."
      })
  static final class Install implements Callable<Integer> {
    /** The line by which a hook written here is recognised, and replaced without --force. */
    static final String MARKER = "# latchkey pre-commit hook";

    static final String BACKUP = "pre-commit.latchkey-backup";

    @Option(names = "--force", description = "replace another pre-commit hook (kept as a backup)")
    boolean force;

    @Option(
        names = "--command",
        paramLabel = "CMD",
        description = "how the hook runs latchkey (default: this jar with this java)")
    String command;

    @Option(names = "-C", paramLabel = "DIR", description = "run as if started in DIR")
    Path directory;

    private final Io io;

    Install(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() throws IOException {
      Path base = (directory == null ? Path.of("") : directory).toAbsolutePath().normalize();
      Git git = new Git(base, io.env());
      Path hooks;
      try {
        hooks = base.resolve(git.text("rev-parse", "--git-path", "hooks").strip());
      } catch (Git.Failure e) {
        io.fail("latchkey hook install", "not inside a git work tree (" + e.getMessage() + ")");
        return 2;
      }
      Path hook = hooks.resolve("pre-commit");
      if (Files.exists(hook) && !Files.readString(hook, UTF_8).contains(MARKER)) {
        if (!force) {
          io.fail(
              "latchkey hook install",
              "a pre-commit hook that latchkey did not write is in place; --force replaces it and"
                  + " keeps it as "
                  + BACKUP);
          return 1;
        }
        Files.move(hook, hooks.resolve(BACKUP), StandardCopyOption.REPLACE_EXISTING);
      }
      Files.createDirectories(hooks);
      String run = command != null ? command : defaultCommand();
      Files.writeString(hook, script(run), UTF_8);
      try {
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: git for Windows runs hooks through its own shell anyway.
      }
      io.out()
          .println("installed " + ScanRun.display(base, hook) + ": runs " + run + " scan --staged");
      io.finishOutput();
      return 0;
    }

    /** The hook: a POSIX shell script, as git runs hooks. */
    static String script(String run) {
      return "#!/bin/sh\n"
          + MARKER
          + ": refuses a commit that adds a secret or a .env file.\n"
          + "# Written by 'latchkey hook install', which replaces it; see docs/scanning.md.\n"
          + "# A finding that is not a secret: add its fingerprint to .latchkey-allow.\n"
          + "exec "
          + run
          + " scan --staged\n";
    }

    /** This jar with this java, quoted for the shell; {@code latchkey} when not run from a jar. */
    static String defaultCommand() {
      Optional<String> java = ProcessHandle.current().info().command();
      Path jar;
      try {
        jar = Path.of(Install.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      } catch (URISyntaxException | RuntimeException e) {
        return "latchkey";
      }
      if (java.isEmpty() || !jar.toString().endsWith(".jar")) {
        return "latchkey";
      }
      return quote(java.get()) + " -jar " + quote(jar.toAbsolutePath().toString());
    }

    /** A word for the POSIX shell: in single quotes, each single quote written {@code '\''}. */
    static String quote(String word) {
      return "'" + word.replace("'", "'\\''") + "'";
    }
  }
}
