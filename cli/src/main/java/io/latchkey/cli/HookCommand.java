package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import io.latchkey.internal.PathText;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
        "command wrote is replaced; any other hook, a symbolic link included, is",
        "left alone unless --force is given, in which case it is kept as",
        "pre-commit.latchkey-backup, or the first of pre-commit.latchkey-backup.1,",
        ".2 and so on that is free: a backup is never replaced. A link is never",
        "followed: --force moves the link itself. A directory, a pipe or a device",
        "where the hook goes is refused, even with --force. The new hook is written",
        "beside the old one and renamed over it, so no commit sees a partial hook.",
        "The hook runs the jar this command runs from, with the java that runs it,",
        "unless --command names another way to run latchkey."
      },
      footer = {
        "",
        "Examples:",
        "  latchkey hook install",
        "  latchkey hook install --command latchkey --force",
        "",
        "Exit status: 0 installed, 1 another hook is in the way or the hook cannot be",
        "written, 2 usage error or not in a git work tree."
      })
  static final class Install implements Callable<Integer> {
    /** The line by which a hook written here is recognised, and replaced without --force. */
    static final String MARKER = "# latchkey pre-commit hook";

    /**
     * The name another hook replaced with --force is kept under, followed by {@code .1}, {@code .2}
     * and so on when it is taken.
     */
    static final String BACKUP = "pre-commit.latchkey-backup";

    /** The highest number a backup's name is given before the command gives up. */
    static final int MAX_BACKUPS = 999;

    /**
     * How much of a hook is read for the marker, which a hook written here has on its second line:
     * whatever is in the way is never read whole.
     */
    static final int MARKER_WINDOW = 64 * 1024;

    private static final String NAME = "latchkey hook install";

    private static final byte[] MARKER_BYTES = MARKER.getBytes(StandardCharsets.US_ASCII);

    private static final Set<PosixFilePermission> EXECUTABLE =
        PosixFilePermissions.fromString("rwxr-xr-x");

    /** What is where the hook goes, looked at without following a link or opening anything. */
    enum Found {
      NOTHING,
      OURS,
      ANOTHER_FILE,
      LINK,
      DIRECTORY,
      NOT_A_FILE
    }

    /** An I/O failure, worded with the path it concerns; the command exits 1 with it. */
    private static final class Failed extends Exception {
      private static final long serialVersionUID = 1L;

      Failed(String message) {
        super(message, null, false, false);
      }

      Failed(String shown, String what, IOException cause) {
        this(shown + ": " + what + " (" + why(cause) + ")");
      }
    }

    @Spec CommandSpec spec;

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
    public Integer call() {
      // An empty command (an unset variable in a setup script) would write a hook that fails
      // every commit, and a line break would end the exec line: refused before anything changes.
      if (command != null
          && (command.isBlank() || command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0)) {
        throw new UsageError(spec.commandLine(), "--command must be one non-blank line");
      }
      Path base = (directory == null ? Path.of("") : directory).toAbsolutePath().normalize();
      if (directory != null && !Files.isDirectory(base)) {
        // Else git cannot start there, which reads as if git were missing.
        io.fail(
            NAME,
            PathText.name("-C", directory.toString(), List.of())
                + ": "
                + (Files.exists(base) ? "is not a directory" : "does not exist"));
        return 2;
      }
      List<String> answer;
      try {
        answer =
            new Git(base, io.env())
                .text("rev-parse", "--is-inside-work-tree", "--git-path", "hooks")
                .lines()
                .toList();
      } catch (Git.Failure e) {
        io.fail(NAME, "not inside a git work tree (" + e.getMessage() + ")");
        return 2;
      }
      if (answer.size() != 2 || !answer.get(0).equals("true")) {
        // A bare repository, or its .git directory: no commit is made there, so no hook would run.
        io.fail(
            NAME,
            "not inside a git work tree (a bare repository or a .git directory, where no commit"
                + " runs a pre-commit hook)");
        return 2;
      }
      Path hooks = base.resolve(answer.get(1));
      Path hook = hooks.resolve("pre-commit");
      String shown = ScanRun.display(base, hook);
      try {
        Found found = inspect(hook, shown);
        String refusal = refusal(found, base, hooks, shown);
        if (refusal != null) {
          io.fail(NAME, refusal);
          return 1;
        }
        String run = command != null ? command : defaultCommand();
        Path backup = install(found, base, hooks, hook, script(run));
        io.out().println("installed " + shown + ": runs " + run + " scan --staged");
        if (backup != null) {
          io.out().println("kept the hook that was in place as " + ScanRun.display(base, backup));
        }
      } catch (Failed e) {
        io.fail(NAME, e.getMessage());
        return 1;
      }
      io.finishOutput();
      return 0;
    }

    /**
     * Why nothing is written, or {@code null}: a directory, a pipe or a device is never replaced,
     * another hook or a link only with --force, and only while a backup name is free.
     */
    private String refusal(Found found, Path base, Path hooks, String shown) throws Failed {
      if (found == Found.DIRECTORY) {
        return shown + " is a directory; move it away, then install again";
      }
      if (found == Found.NOT_A_FILE) {
        return shown
            + " is not a regular file (a pipe, a device or a socket), refused without being"
            + " opened; move it away, then install again";
      }
      if (found != Found.ANOTHER_FILE && found != Found.LINK) {
        return null;
      }
      Path backup = freeBackup(hooks, base);
      if (backup == null) {
        return shown
            + " is a hook that latchkey did not write, and every backup name from "
            + BACKUP
            + " to "
            + BACKUP
            + "."
            + MAX_BACKUPS
            + " is taken; remove the backups no longer needed";
      }
      if (force) {
        return null;
      }
      return shown
          + (found == Found.LINK
              ? " is a symbolic link, which latchkey does not follow; --force replaces it (the"
                  + " link itself, not what it points to) and keeps it as "
              : " is a pre-commit hook that latchkey did not write; --force replaces it and"
                  + " keeps it as ")
          + ScanRun.display(base, backup);
    }

    /**
     * Writes the new hook beside the old one, moves another hook to a free backup name, then
     * renames the new hook into place; returns the backup, or {@code null} when there is none.
     */
    private static Path install(Found found, Path base, Path hooks, Path hook, String script)
        throws Failed {
      String shownHooks = ScanRun.display(base, hooks);
      try {
        Files.createDirectories(hooks);
      } catch (IOException e) {
        throw new Failed(shownHooks, "cannot be created", e);
      }
      Path written;
      try {
        written = writeNew(hooks, script);
      } catch (IOException e) {
        throw new Failed(shownHooks, "cannot hold the new hook", e);
      }
      String shown = ScanRun.display(base, hook);
      Path backup = null;
      try {
        if (found == Found.ANOTHER_FILE || found == Found.LINK) {
          backup = keep(hook, hooks, base);
        }
        try {
          Files.move(written, hook, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(written, hook, StandardCopyOption.REPLACE_EXISTING);
        }
        return backup;
      } catch (IOException e) {
        deleteQuietly(written);
        if (backup != null) {
          try {
            // Put the user's hook back where it was, as nothing was installed.
            Files.move(backup, hook);
          } catch (IOException notMoved) {
            throw new Failed(
                shown,
                "cannot be replaced; the hook that was in place is kept as "
                    + ScanRun.display(base, backup),
                e);
          }
        }
        throw new Failed(shown, "cannot be replaced", e);
      } catch (Failed e) {
        deleteQuietly(written);
        throw e;
      }
    }

    /** What is at {@code hook}, a link being a link and a pipe never opened. */
    static Found inspect(Path hook, String shown) throws Failed {
      BasicFileAttributes attributes;
      try {
        attributes = Files.readAttributes(hook, BasicFileAttributes.class, NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        return Found.NOTHING;
      } catch (IOException e) {
        throw new Failed(shown, "cannot be examined", e);
      }
      if (attributes.isSymbolicLink()) {
        return Found.LINK;
      }
      if (attributes.isDirectory()) {
        return Found.DIRECTORY;
      }
      if (!attributes.isRegularFile()) {
        return Found.NOT_A_FILE;
      }
      return hasMarker(hook) ? Found.OURS : Found.ANOTHER_FILE;
    }

    /**
     * Whether the marker is among the first {@link #MARKER_WINDOW} bytes, compared as bytes: a hook
     * in another encoding than UTF-8 is read as well as any, and one that cannot be read is not
     * this command's.
     */
    private static boolean hasMarker(Path hook) {
      byte[] head;
      try (InputStream in = Files.newInputStream(hook, NOFOLLOW_LINKS)) {
        head = in.readNBytes(MARKER_WINDOW);
      } catch (IOException e) {
        return false;
      }
      for (int i = 0; i + MARKER_BYTES.length <= head.length; i++) {
        if (Arrays.equals(head, i, i + MARKER_BYTES.length, MARKER_BYTES, 0, MARKER_BYTES.length)) {
          return true;
        }
      }
      return false;
    }

    /**
     * The first backup name that nothing, not even a dangling link, holds; {@code null} if none.
     */
    private static Path freeBackup(Path hooks, Path base) throws Failed {
      for (int n = 0; n <= MAX_BACKUPS; n++) {
        Path backup = backupName(hooks, n);
        try {
          Files.readAttributes(backup, BasicFileAttributes.class, NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          return backup;
        } catch (IOException e) {
          throw new Failed(ScanRun.display(base, backup), "cannot be examined", e);
        }
      }
      return null;
    }

    private static Path backupName(Path hooks, int n) {
      return hooks.resolve(n == 0 ? BACKUP : BACKUP + "." + n);
    }

    /**
     * Moves the hook (a link as a link) to the first free backup name. The move does not replace: a
     * name taken since it was found free is passed over.
     */
    private static Path keep(Path hook, Path hooks, Path base) throws Failed {
      for (int n = 0; n <= MAX_BACKUPS; n++) {
        Path backup = backupName(hooks, n);
        try {
          Files.move(hook, backup);
          return backup;
        } catch (FileAlreadyExistsException e) {
          // taken: the next name
        } catch (IOException e) {
          throw new Failed(
              ScanRun.display(base, hook),
              "cannot be moved to " + ScanRun.display(base, backup),
              e);
        }
      }
      throw new Failed(
          ScanRun.display(base, hook) + ": cannot be kept, every backup name is taken");
    }

    /**
     * Writes the hook to a new file in the hooks directory, executable from its creation where the
     * file system has POSIX permissions, and forces it to the disk before it is renamed into place.
     */
    private static Path writeNew(Path hooks, String script) throws IOException {
      boolean posix = hooks.getFileSystem().supportedFileAttributeViews().contains("posix");
      Path written =
          posix
              ? Files.createTempFile(
                  hooks, "pre-commit.", ".new", PosixFilePermissions.asFileAttribute(EXECUTABLE))
              : Files.createTempFile(hooks, "pre-commit.", ".new");
      try {
        try (FileChannel channel = FileChannel.open(written, StandardOpenOption.WRITE)) {
          ByteBuffer bytes = ByteBuffer.wrap(script.getBytes(UTF_8));
          while (bytes.hasRemaining()) {
            channel.write(bytes);
          }
          channel.force(true);
        }
        if (posix) {
          // The umask may have taken bits away at creation; git runs a hook only if executable.
          Files.setPosixFilePermissions(written, EXECUTABLE);
        }
        // Elsewhere nothing to set: git for Windows runs hooks through its own shell anyway.
        return written;
      } catch (IOException | RuntimeException e) {
        deleteQuietly(written);
        throw e;
      }
    }

    private static void deleteQuietly(Path file) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A leftover file named pre-commit.*.new, which git never runs.
      }
    }

    /** The reason of an I/O failure, in the system's words when it gives any; never a path. */
    static String why(IOException e) {
      if (e instanceof AccessDeniedException) {
        return "permission denied";
      }
      if (e instanceof NoSuchFileException) {
        return "no such file or directory";
      }
      if (e instanceof FileAlreadyExistsException) {
        return "something else is in the way";
      }
      if (e instanceof FileSystemException f && f.getReason() != null) {
        return f.getReason();
      }
      return "input/output error";
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
