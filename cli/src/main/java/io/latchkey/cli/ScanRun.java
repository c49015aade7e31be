package io.latchkey.cli;

import io.latchkey.internal.PathText;
import io.latchkey.scan.Finding;
import io.latchkey.scan.SecretScanner;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One run of {@code scan}: what it reads (files, directories, standard input, a diff), how it reads
 * each (binary and oversized files skipped, byte-order marks honoured, invalid UTF-8 replaced,
 * every file streamed in bounded memory), what it reports, and the closing summary.
 */
final class ScanRun {
  /** How much of a file decides whether it is binary, as git decides. */
  private static final int SNIFF = 8192;

  /** What a diff scans: files added, copied, modified, renamed, or changed in type. */
  private static final String CHANGES = "ACMRT";

  private final SecretScanner scanner;
  private final Set<String> allowed;
  private final ScanReport report;
  private final Io io;
  private final long maxFileSize;
  private final Path root;
  private final FileNames fileNames = new FileNames();

  private long files;
  private long problems;
  private long allowedCount;
  private long binary;
  private long large;
  private long unreadable;
  private long notScanned;

  /**
   * Prepares a run.
   *
   * @param root the top of the work tree, or the scan's directory outside one: the paths of {@code
   *     .env} files are fingerprinted relative to it, so that an allowed one stays allowed wherever
   *     the scan starts
   */
  ScanRun(
      SecretScanner scanner,
      Set<String> allowed,
      ScanReport report,
      Io io,
      long maxFileSize,
      Path root) {
    this.scanner = scanner;
    this.allowed = allowed;
    this.report = report;
    this.io = io;
    this.maxFileSize = maxFileSize;
    this.root = root;
  }

  /** Scans files, directories and {@code -}, each named relative to {@code base}. */
  void paths(Path base, List<String> paths) throws IOException, Git.Failure {
    for (String given : paths) {
      if (given.equals("-")) {
        if (stream(io.in(), ScanCommand.STDIN)) {
          files++;
        }
        continue;
      }
      Path path = base.resolve(given).normalize();
      if (Files.isDirectory(path)) {
        directory(base, path);
      } else if (Files.isRegularFile(path)) {
        file(base, path);
      } else {
        // A value typed where a PATH belongs may be a secret pasted there: shown only if it looks
        // like a path, and then located in the report too.
        boolean shown = PathText.looksLikePath(given);
        unreadable(
            shown ? display(base, path) : null,
            PathText.name("PATH", given, List.of()),
            Files.exists(path, LinkOption.NOFOLLOW_LINKS)
                ? "not a regular file or a directory"
                : "no such file or directory");
      }
    }
  }

  /**
   * A directory: inside a git work tree, the files git would commit; outside one, every file but
   * those under {@code .git}. Links are not followed: git commits a link, not what it points to.
   */
  private void directory(Path base, Path dir) throws IOException, Git.Failure {
    Git git = new Git(dir, io.env());
    Optional<Path> workTree = git.workTree();
    if (workTree.isPresent()) {
      byte[] listing = git.bytes("ls-files", "-z", "--cached", "--others", "--exclude-standard");
      int start = 0;
      for (int i = 0; i < listing.length; i++) {
        if (listing[i] == 0) {
          listed(base, dir, Arrays.copyOfRange(listing, start, i));
          start = i + 1;
        }
      }
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            return d.getFileName() != null && d.getFileName().toString().equals(".git")
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
            if (attrs.isRegularFile()) {
              file(base, f);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path f, IOException e) {
            unreadable(display(base, f), "cannot be read");
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /**
   * One entry of git's listing, named by its bytes (a name need not be valid in the platform's
   * file-name encoding): a file is scanned, a submodule or nested repository named as not scanned,
   * and anything else that is there, or that cannot be examined, counted unreadable. A link is
   * passed over (git commits the link, not what it points to), and so is a tracked file deleted
   * from the work tree, which has nothing to read.
   */
  private void listed(Path base, Path dir, byte[] name) throws IOException {
    Path file;
    BasicFileAttributes attrs;
    try {
      file = fileNames.resolve(dir, name);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      String prefix = display(base, dir);
      String text = escape(new String(name, StandardCharsets.UTF_8));
      unreadable(prefix.isEmpty() ? text : prefix + "/" + text, "cannot be read");
      return;
    }
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      unreadable(display(base, file), "cannot be read");
      return;
    }
    if (attrs.isRegularFile()) {
      file(base, file);
    } else if (attrs.isDirectory()) {
      // git lists a submodule or a nested repository as one entry and never its files.
      notScanned++;
      skipped(
          display(base, file),
          "not scanned, a submodule or nested git repository (scan it on its own)");
    } else if (!attrs.isSymbolicLink()) {
      unreadable(display(base, file), "cannot be read, not a regular file");
    }
  }

  /** One file: refused if it is a {@code .env} file, skipped if too large, scanned otherwise. */
  private void file(Path base, Path file) throws IOException {
    String shown = display(base, file);
    envFile(shown, display(root, file));
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      unreadable(shown, "cannot be read");
      return;
    }
    if (size > maxFileSize) {
      large++;
      skipped(shown, "skipped, " + size + " bytes, larger than --max-file-size " + maxFileSize);
      return;
    }
    try (InputStream in = Files.newInputStream(file)) {
      if (stream(in, shown)) {
        files++;
      }
    } catch (IOException e) {
      unreadable(shown, "cannot be read");
    }
  }

  /**
   * Refuses a {@code .env} file unless allowed.
   *
   * @param shown its path in the report
   * @param fromRoot its path from the top of the work tree, which its fingerprint is made of
   */
  private void envFile(String shown, String fromRoot) throws IOException {
    if (EnvFiles.isRefused(shown)) {
      add(
          new ScanReport.Problem(
              shown, 1, 1, EnvFiles.RULE, EnvFiles.EXCERPT, EnvFiles.fingerprint(fromRoot)));
    }
  }

  /**
   * Scans a stream of bytes, and says whether it did: skipped if binary (a NUL byte in its first 8
   * KiB, unless it starts with a UTF-16 byte-order mark), decoded as UTF-8 (or the UTF-16 its mark
   * names), malformed bytes replaced rather than refused.
   */
  private boolean stream(InputStream raw, String shown) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(SNIFF);
    byte[] head = in.readNBytes(SNIFF);
    in.reset();
    Charset charset = StandardCharsets.UTF_8;
    int mark = 0;
    if (startsWith(head, 0xEF, 0xBB, 0xBF)) {
      mark = 3;
    } else if (startsWith(head, 0xFF, 0xFE)) {
      charset = StandardCharsets.UTF_16LE;
      mark = 2;
    } else if (startsWith(head, 0xFE, 0xFF)) {
      charset = StandardCharsets.UTF_16BE;
      mark = 2;
    } else {
      for (byte b : head) {
        if (b == 0) {
          binary++;
          // Counted in the summary, not named on standard error; named in a SARIF log.
          report.notice(new ScanReport.Notice(shown, shown + ": skipped, binary", false));
          return false;
        }
      }
    }
    in.skipNBytes(mark);
    CharsetDecoder decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try (Reader text = new InputStreamReader(in, decoder)) {
      scanner.scan(text, f -> finding(shown, f));
    }
    return true;
  }

  private static boolean startsWith(byte[] head, int... bytes) {
    if (head.length < bytes.length) {
      return false;
    }
    for (int i = 0; i < bytes.length; i++) {
      if ((head[i] & 0xff) != bytes[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Scans what a diff adds: {@code git diff --cached} for the staged change, {@code git diff A..B}
   * for a range. Files larger than {@code --max-file-size} are binary to git here ({@code
   * core.bigFileThreshold}), so it never sends their lines. A file git shows as binary otherwise (a
   * NUL byte, UTF-16, a {@code binary} or {@code -diff} attribute) is read whole from the new side
   * and scanned as a path scan would read it.
   *
   * <p>The options pin the shape of the diff the reader expects against what a user's or a
   * repository's configuration would change: prefixes ({@code diff.noprefix}, {@code
   * diff.mnemonicPrefix}), paths relative to the current directory ({@code diff.relative}, which
   * would also leave out every file outside it), context between hunks ({@code
   * diff.interHunkContext}), blank context lines ({@code diff.suppressBlankEmpty}), submodules
   * shown as their own diffs ({@code diff.submodule}), colours, external drivers and text
   * conversions.
   */
  void diff(Git git, List<String> which) throws Git.Failure {
    // T: a link or a submodule replaced by a regular file is a type change, not a modification.
    List<String> names =
        new ArrayList<>(
            List.of("diff", "--name-only", "-z", "--no-relative", "--diff-filter=" + CHANGES));
    names.addAll(which);
    byte[] listing = git.bytes(names.toArray(new String[0]));
    int start = 0;
    try {
      for (int i = 0; i < listing.length; i++) {
        if (listing[i] == 0) {
          String path = new String(listing, start, i - start, StandardCharsets.UTF_8);
          envFile(escape(path), path);
          start = i + 1;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> args =
        new ArrayList<>(
            List.of(
                "-c",
                "core.bigFileThreshold=" + maxFileSize,
                "-c",
                "diff.suppressBlankEmpty=false",
                "diff",
                "--no-ext-diff",
                "--no-textconv",
                "--no-color",
                "--no-relative",
                "--submodule=short",
                "--unified=0",
                "--inter-hunk-context=0",
                "--diff-filter=" + CHANGES,
                "--src-prefix=a/",
                "--dst-prefix=b/"));
    args.addAll(which);
    String side = newSide(which);
    git.run(
        args,
        stdout -> {
          Reader text =
              new InputStreamReader(
                  stdout,
                  StandardCharsets.UTF_8
                      .newDecoder()
                      .onMalformedInput(CodingErrorAction.REPLACE)
                      .onUnmappableCharacter(CodingErrorAction.REPLACE));
          new DiffReader(text)
              .read(
                  new DiffReader.Hunks() {
                    private String last;

                    @Override
                    public void hunk(String path, long firstLine, Reader added) throws IOException {
                      if (!path.equals(last)) {
                        files++;
                        last = path;
                      }
                      String shown = escape(path);
                      scanner.scan(added, f -> finding(shown, f.withOrigin(firstLine, 0)));
                    }

                    @Override
                    public void binary(String path) {
                      long size = size(git, side, path);
                      if (size > maxFileSize) {
                        large++;
                        skipped(
                            escape(path),
                            "not scanned, "
                                + size
                                + " bytes, larger than --max-file-size "
                                + maxFileSize);
                      } else {
                        whole(git, side, path);
                      }
                    }
                  });
        });
  }

  /**
   * The revision whose files a diff adds: the index for {@code --cached}, {@code B} of {@code A..B}
   * or {@code A...B} ({@code HEAD} when empty), or {@code null} for the work tree.
   */
  private static String newSide(List<String> which) {
    String last = which.get(which.size() - 1);
    if (last.equals("--cached")) {
      return "";
    }
    int dots = last.lastIndexOf("..");
    if (dots < 0) {
      return null;
    }
    String right = last.substring(dots + 2);
    return right.isEmpty() ? "HEAD" : right;
  }

  /**
   * Scans the whole of a file git would not show as text, from the revision or index it is in, and
   * counts it scanned or binary as a path scan would; one that cannot be read is named and counted
   * unreadable, never passed over.
   */
  private void whole(Git git, String side, String path) {
    String shown = escape(path);
    boolean[] scanned = new boolean[1];
    try {
      if (side == null) {
        try (InputStream in = Files.newInputStream(root.resolve(path), LinkOption.NOFOLLOW_LINKS)) {
          scanned[0] = stream(in, shown);
        }
      } else {
        git.run(
            List.of("cat-file", "blob", object(side, path)),
            out -> scanned[0] = stream(unclosed(out), shown));
      }
    } catch (IOException | Git.Failure | InvalidPathException e) {
      unreadable(shown, "cannot be read");
      return;
    }
    if (scanned[0]) {
      files++;
    }
  }

  /** Git.run drains and closes git's output itself, after the scan has closed its reader. */
  private static InputStream unclosed(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public void close() {}
    };
  }

  /** A file of a revision, or of the index's merged stage when {@code side} is empty. */
  private static String object(String side, String path) {
    // ":0:" rather than ":", which would read a name such as "1:x" as stage 1 of "x".
    return (side.isEmpty() ? ":0" : side) + ":" + path;
  }

  /**
   * The size of a file a diff shows as binary, to tell one git skipped for its size from a binary
   * one; -1 when it cannot be told, and then reading it says the rest.
   */
  private long size(Git git, String side, String path) {
    try {
      if (side == null) {
        return Files.size(root.resolve(path));
      }
      return Long.parseLong(git.text("cat-file", "-s", object(side, path)).trim());
    } catch (IOException | Git.Failure | NumberFormatException | InvalidPathException e) {
      return -1;
    }
  }

  private void finding(String path, Finding f) {
    try {
      add(ScanCommand.problem(path, f));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void add(ScanReport.Problem p) throws IOException {
    if (allowed.contains(p.fingerprint())) {
      allowedCount++;
      return;
    }
    problems++;
    report.add(p);
  }

  /** Names a path skipped by design on standard error and in the report. */
  private void skipped(String shown, String reason) {
    notice(shown, shown, reason, false);
  }

  /** Counts a path that could not be read, and names it on standard error and in the report. */
  private void unreadable(String shown, String reason) {
    unreadable(shown, shown, reason);
  }

  /**
   * Counts a path that could not be read, and names it.
   *
   * @param path its location in the report, or {@code null} for none
   * @param named how the notice names it
   */
  private void unreadable(String path, String named, String reason) {
    unreadable++;
    notice(path, named, reason, true);
  }

  private void notice(String path, String named, String reason, boolean incomplete) {
    String message = named + ": " + reason;
    io.err().println("latchkey scan: " + message);
    report.notice(new ScanReport.Notice(path, message, incomplete));
  }

  /** A path for the report: relative to the scan's directory, {@code /} between names. */
  static String display(Path base, Path file) {
    Path shown = file.startsWith(base) ? base.relativize(file) : file;
    return escape(shown.toString().replace('\\', '/'));
  }

  /** A name with a line break or an escape sequence must not forge a line of the report. */
  static String escape(String path) {
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (Character.isISOControl(c)) {
        out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Prints the summary on standard error; returns the exit status. */
  int summarise() {
    StringBuilder s = new StringBuilder("latchkey scan: ");
    s.append(
            problems == 0 ? "nothing found" : problems + (problems == 1 ? " problem" : " problems"))
        .append(" in ")
        .append(files)
        .append(files == 1 ? " file" : " files");
    List<String> also = new ArrayList<>();
    if (allowedCount > 0) {
      also.add(allowedCount + " allowed by fingerprint");
    }
    if (binary > 0) {
      also.add(binary + " binary skipped");
    }
    if (large > 0) {
      also.add(large + " too large skipped");
    }
    if (notScanned > 0) {
      also.add(notScanned + " not scanned");
    }
    if (unreadable > 0) {
      also.add(unreadable + " unreadable");
    }
    if (!also.isEmpty()) {
      s.append(" (").append(String.join(", ", also)).append(')');
    }
    io.err().println(s);
    if (problems > 0) {
      io.err()
          .println(
              "latchkey scan: rotate every real secret found (see docs/rotation.md); allow one"
                  + " that is not a secret by adding its fingerprint to "
                  + AllowList.FILE_NAME);
    }
    io.err().flush();
    if (problems > 0) {
      return 1;
    }
    return unreadable > 0 ? 2 : 0;
  }
}
