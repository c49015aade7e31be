package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.latchkey.scan.Finding;
import io.latchkey.scan.SecretScanner;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** Scans files, the staged change or a range of commits for secrets and {@code .env} files. */
@Command(
    name = "scan",
    header = "Refuses secrets and .env files in files, the staged change or a commit range.",
    description = {
      "Scans for the credentials people leak most (AWS, Google Cloud, GitHub, GitLab,",
      "Slack, Stripe, OpenAI-style and Anthropic keys, JWTs, private keys, passwords in",
      "database URLs, high-entropy values of secret-named settings) and refuses every",
      ".env file other than .env.example, .env.sample and .env.template. Each problem is",
      "a line: path:line:column rule masked-excerpt fingerprint. No value is printed.",
      "",
      "With PATHs (default: the current directory), directories are walked: inside a",
      "git work tree, the files git would commit (tracked, and untracked but not",
      "ignored, as 'git ls-files -co --exclude-standard' lists them); outside one,",
      "every file but .git directories. '-' reads standard input. With --staged, the",
      "lines the next commit adds ('git diff --cached'); with --diff A..B, the lines",
      "added between two commits. Binary files (a NUL byte in the first 8 KiB) and",
      "files larger than --max-file-size are skipped, with a notice for the latter.",
      "",
      "A finding that is not a secret is allowed by adding its fingerprint to",
      ".latchkey-allow at the top of the work tree (one a line, '#' for comments)."
    },
    footer = {
      "",
      "Examples:",
      "  latchkey scan                       # the current directory",
      "  latchkey scan --staged              # what 'git commit' would add",
      "  latchkey scan --diff origin/main..HEAD --format sarif > scan.sarif",
      "  kubectl logs deploy/api | latchkey scan -",
      "",
      "Exit status: 0 nothing found, 1 a secret or a .env file found, 2 usage error or",
      "a file, the repository or git could not be read."
    })
final class ScanCommand implements Callable<Integer> {
  /** Where a finding of standard input is said to be. */
  static final String STDIN = "<stdin>";

  /** The default largest file scanned. */
  static final long DEFAULT_MAX_FILE_SIZE = 32L << 20;

  /** A revision range, without anything git could take for an option. */
  private static final Pattern RANGE =
      Pattern.compile("[A-Za-z0-9_./@^~{}:+-]+\\.\\.\\.?[A-Za-z0-9_./@^~{}:+-]*");

  /** The output formats. */
  enum Format {
    TEXT,
    SARIF
  }

  /** Names the formats without repeating what was typed. */
  static final class FormatConverter implements ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      return switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "text" -> Format.TEXT;
        case "sarif" -> Format.SARIF;
        default -> throw new TypeConversionException("expected text or sarif");
      };
    }
  }

  /** A size in bytes, with an optional K, M or G (powers of 1024). */
  static final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      String v = value.strip().toUpperCase(Locale.ROOT).replaceAll("I?B$", "");
      int shift = 0;
      if (!v.isEmpty() && "KMG".indexOf(v.charAt(v.length() - 1)) >= 0) {
        shift = 10 * (1 + "KMG".indexOf(v.charAt(v.length() - 1)));
        v = v.substring(0, v.length() - 1);
      }
      try {
        long n = Long.parseLong(v);
        if (n < 1 || n > (Long.MAX_VALUE >> shift)) {
          throw new NumberFormatException();
        }
        return n << shift;
      } catch (NumberFormatException e) {
        throw new TypeConversionException("expected a size such as 1048576, 512K, 32M or 1G");
      }
    }
  }

  @Parameters(paramLabel = "PATH", arity = "0..*", description = "files and directories, or -")
  List<String> paths = new ArrayList<>();

  @Option(names = "--staged", description = "scan what the next commit adds")
  boolean staged;

  @Option(
      names = "--diff",
      paramLabel = "A..B",
      description = "scan the lines added between two revisions, as in CI")
  String range;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      converter = FormatConverter.class,
      description = "text (default) or sarif (SARIF 2.1.0 JSON)")
  Format format = Format.TEXT;

  @Option(
      names = "--allow-file",
      paramLabel = "FILE",
      description = "the allow-list (default: .latchkey-allow at the top of the work tree)")
  Path allowFile;

  @Option(
      names = "--max-file-size",
      paramLabel = "SIZE",
      converter = SizeConverter.class,
      description = "skip larger files, with a notice (default: 32M)")
  long maxFileSize = DEFAULT_MAX_FILE_SIZE;

  @Option(names = "--skip-rule", paramLabel = "RULE", description = "do not apply this rule")
  List<String> skipRules = new ArrayList<>();

  @Option(names = "-C", paramLabel = "DIR", description = "run as if started in DIR")
  Path directory;

  @Spec CommandSpec spec;

  private final Io io;

  ScanCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    if ((staged ? 1 : 0) + (range != null ? 1 : 0) + (paths.isEmpty() ? 0 : 1) > 1) {
      throw new ParameterException(
          spec.commandLine(), "give PATHs, --staged or --diff, not more than one of them");
    }
    if (range != null && !RANGE.matcher(range).matches()) {
      throw new ParameterException(
          spec.commandLine(), "--diff expects a revision range such as origin/main..HEAD");
    }
    if (range != null && !SecretScanner.defaults().scan(range).isEmpty()) {
      // A token pasted where the range belongs: git would quote it back in its error.
      throw new ParameterException(
          spec.commandLine(),
          "--diff: the range given holds what looks like a secret (not shown); expected a"
              + " revision range such as origin/main..HEAD");
    }
    SecretScanner scanner;
    try {
      scanner = SecretScanner.defaults().withoutRules(skipRules);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--skip-rule: " + e.getMessage());
    }
    Path base = (directory == null ? Path.of("") : directory).toAbsolutePath().normalize();
    Git git = new Git(base, io.env());
    Optional<Path> workTree = git.workTree();
    if ((staged || range != null) && workTree.isEmpty()) {
      io.fail(
          "latchkey scan",
          (staged ? "--staged" : "--diff")
              + " needs a git repository, and "
              + (directory == null ? "the current directory" : "-C DIR")
              + " is not inside one");
      return 2;
    }
    Set<String> allowed;
    Path allowPath =
        allowFile != null
            ? base.resolve(allowFile)
            : workTree.orElse(base).resolve(AllowList.FILE_NAME);
    try {
      allowed = AllowList.read(allowPath, allowFile != null);
    } catch (AllowList.Invalid e) {
      io.fail("latchkey scan", e.getMessage());
      return 2;
    }

    // A diff names files from the top of the work tree; PATHs are shown from where the scan runs.
    Path root = workTree.orElse(base);
    Path shownFrom = staged || range != null ? root : base;
    Writer out = new BufferedWriter(new OutputStreamWriter(io.out(), UTF_8));
    ScanReport report =
        format == Format.SARIF
            ? new SarifReport(out, shownFrom, Main.Version.number())
            : new TextReport(out);
    ScanRun run = new ScanRun(scanner, allowed, report, io, maxFileSize, root);
    try {
      if (staged) {
        run.diff(git, List.of("--cached"));
      } else if (range != null) {
        run.diff(git, List.of(range));
      } else {
        run.paths(base, paths.isEmpty() ? List.of(".") : paths);
      }
    } catch (Git.Failure e) {
      // Not git's own words: they quote the arguments (a range pasted by mistake may be a token),
      // and the log is uploaded; standard error has them, for whoever ran the command.
      report.notice(
          new ScanReport.Notice(
              null, "git failed: the repository or the range given could not be read", true));
      report.finish();
      io.fail("latchkey scan", e.getMessage());
      return 2;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    report.finish();
    io.finishOutput();
    return run.summarise();
  }

  /** Reports a finding of the scanner. */
  static ScanReport.Problem problem(String path, Finding f) {
    return new ScanReport.Problem(
        path, f.line(), f.column(), f.rule().id(), f.excerpt(), f.fingerprint());
  }
}
