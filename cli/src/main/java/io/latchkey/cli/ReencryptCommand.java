package io.latchkey.cli;

import io.latchkey.ConfigException;
import io.latchkey.KeyRing;
import io.latchkey.provider.env.internal.PathText;
import io.latchkey.reencrypt.JdbcCiphertextStore;
import io.latchkey.reencrypt.ProgressListener;
import io.latchkey.reencrypt.ReencryptionJob;
import io.latchkey.reencrypt.ReencryptionReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Re-encrypts every stored token of one or more database columns under the current key. */
@Command(
    name = "reencrypt",
    header = "Re-encrypts stored tokens in a database under the current key.",
    description = {
      "Walks every row of each target column in batches and re-encrypts each token that is",
      "not yet under the current key, writing it back only if the row still holds the token",
      "that was read, so the application can keep running. Rows no key can read are reported",
      "and left untouched. Run it again after a crash or a stop: it finishes the work.",
      "With only a current key (no _PREVIOUS), it reads every row and reports each one the",
      "current key cannot read: the check to run before retiring an old key.",
      "AES-GCM tokens it rewrites record no time unless --timestamp is given.",
      "",
      "The database password comes from the variable named by --db-password-env, never from",
      "an argument or the URL. Exit status 0 only when the report is clean: every row of every",
      "target was read (the rows counted before and after equal the rows read) and is under the",
      "current key. Otherwise 1, with the reason on standard error."
    },
    footer = {
      "",
      "Targets file: one target per line, TABLE KEY_COLUMN CIPHERTEXT_COLUMN [WHERE condition];",
      "blank lines and lines starting with # are ignored. Example:",
      "  credentials id api_key_token",
      "  webhooks   id signing_secret WHERE deleted_at IS NULL"
    })
final class ReencryptCommand implements Callable<Integer> {
  private static final Pattern TARGET_LINE =
      Pattern.compile("(\\S+)\\s+(\\S+)\\s+(\\S+)(?:\\s+(?i:where)\\s+(.+))?");

  /** One target from options: a table and its two columns. */
  static final class Target {
    @Option(names = "--table", required = true, paramLabel = "TABLE", description = "table")
    String table;

    @Option(
        names = "--key-column",
        required = true,
        paramLabel = "COLUMN",
        description = "the table's key column (unique, ordered)")
    String keyColumn;

    @Option(
        names = "--ciphertext-column",
        required = true,
        paramLabel = "COLUMN",
        description = "the column holding tokens")
    String ciphertextColumn;

    @Option(
        names = "--where",
        paramLabel = "CONDITION",
        description = "only rows matching this SQL condition (trusted input)")
    String where;
  }

  /** Where targets come from: options for one, a file for several. */
  static final class Targets {
    @ArgGroup(exclusive = false)
    Target one;

    @Option(
        names = "--targets",
        paramLabel = "FILE",
        description = "read targets from FILE, one per line (see below)")
    Path file;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  RingCommand.KeySource keys;

  @Mixin FormatOption format;

  @Mixin TimestampOption timestamp;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Targets targets;

  @Option(
      names = "--jdbc-url",
      required = true,
      paramLabel = "URL",
      description = "the database, such as jdbc:postgresql://db:5432/app (no credentials in it)")
  String jdbcUrl;

  @Option(names = "--db-user", paramLabel = "NAME", description = "database user")
  String dbUser;

  @Option(
      names = "--db-password-env",
      paramLabel = "NAME",
      defaultValue = "LATCHKEY_DB_PASSWORD",
      converter = Converters.EnvName.class,
      description = "variable holding the database password (default: ${DEFAULT-VALUE})")
  String dbPasswordEnv;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "500",
      converter = Converters.PositiveInt.class,
      description = "rows per batch and transaction (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Option(names = "--dry-run", description = "count what would change; write nothing")
  boolean dryRun;

  @Spec CommandSpec spec;

  private final Io io;

  ReencryptCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    if (JdbcUrlCredentials.holdsCredential(jdbcUrl)) {
      // Refused before anything else, and the URL is not printed back: it is already in the
      // process list, and need not be in the terminal or the CI log too.
      throw new UsageError(
          spec.commandLine(),
          "--jdbc-url must not hold credentials (user-info before '@', or a password, token or"
              + " key parameter); give the user with --db-user and put the password in the"
              + " variable named by --db-password-env (default LATCHKEY_DB_PASSWORD), and"
              + " change the password if the URL was shared");
    }
    if (batchSize > ReencryptionJob.MAX_BATCH_SIZE) {
      throw new UsageError(
          spec.commandLine(), "--batch-size must be at most " + ReencryptionJob.MAX_BATCH_SIZE);
    }
    KeyRing ring = keys.load(io, format, timestamp.timestamp);
    try (DriverManagerDataSource dataSource =
        new DriverManagerDataSource(jdbcUrl, dbUser, io.env().get(dbPasswordEnv))) {
      return run(ring, dataSource);
    }
  }

  private int run(KeyRing ring, DataSource dataSource) {
    ReencryptionJob.Builder job =
        ReencryptionJob.builder(ring)
            .batchSize(batchSize)
            .dryRun(dryRun)
            .progress(progressPrinter(io.err()));
    for (Target t : targetList()) {
      JdbcCiphertextStore.Builder<Object> store =
          JdbcCiphertextStore.builder(dataSource, Object.class)
              .table(t.table)
              .keyColumn(t.keyColumn)
              .ciphertextColumn(t.ciphertextColumn);
      if (t.where != null) {
        store.filter(t.where);
      }
      job.target(store.build());
    }
    ReencryptionReport report = job.build().run();
    io.out().print(report);
    if (!report.toString().endsWith("\n")) {
      io.out().println();
    }
    io.finishOutput();
    if (report.isClean()) {
      return 0;
    }
    // The exit status follows the report's verdict; the reason goes where scripts read failures.
    io.fail(spec.qualifiedName(), report.verdict());
    return 1;
  }

  private List<Target> targetList() {
    if (targets.file == null) {
      return List.of(targets.one);
    }
    String password = io.env().get(dbPasswordEnv);
    String name =
        PathText.name(
            "--targets", targets.file.toString(), password == null ? List.of() : List.of(password));
    List<String> lines;
    try {
      lines = Files.readAllLines(targets.file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(
          name, Files.exists(targets.file) ? "cannot be read" : "does not exist");
    }
    List<Target> list = new ArrayList<>();
    List<ConfigException.Problem> problems = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m = TARGET_LINE.matcher(line);
      if (!m.matches()) {
        problems.add(
            new ConfigException.Problem(
                name + " line " + (i + 1),
                "expected TABLE KEY_COLUMN CIPHERTEXT_COLUMN [WHERE condition]"));
        continue;
      }
      Target t = new Target();
      t.table = m.group(1);
      t.keyColumn = m.group(2);
      t.ciphertextColumn = m.group(3);
      t.where = m.group(4);
      list.add(t);
    }
    if (list.isEmpty() && problems.isEmpty()) {
      problems.add(new ConfigException.Problem(name, "holds no target"));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return list;
  }

  /**
   * A progress bar redrawn in place on a terminal; elsewhere (a pipe, a CI log) a plain line at
   * most every few seconds and at the end of each target.
   */
  // On Java 17, the release this targets, System.console() is null when not on a terminal.
  @SuppressWarnings("SystemConsoleNull")
  static ProgressListener progressPrinter(PrintStream err) {
    boolean terminal = System.console() != null && err == System.err;
    return new ProgressListener() {
      private long lastLine;
      private String lastTarget = "";

      @Override
      public void onBatch(Progress p) {
        boolean done = p.total().isPresent() && p.scanned() >= p.total().getAsLong();
        if (terminal) {
          err.print("\r" + bar(p) + (done ? "\n" : ""));
          err.flush();
          return;
        }
        long now = System.nanoTime();
        if (done || !p.target().equals(lastTarget) || now - lastLine > 5_000_000_000L) {
          err.println(line(p));
          lastLine = now;
          lastTarget = p.target();
        }
      }
    };
  }

  static String line(ProgressListener.Progress p) {
    String of =
        p.total().isPresent()
            ? String.format(
                Locale.ROOT, "%,d/%,d rows (%d%%)", p.scanned(), p.total().getAsLong(), percent(p))
            : String.format(Locale.ROOT, "%,d rows", p.scanned());
    return String.format(
        Locale.ROOT, "%s: %s, %,d rotated, %,d failed", p.target(), of, p.rotated(), p.failed());
  }

  static String bar(ProgressListener.Progress p) {
    int width = 30;
    int filled = p.total().isPresent() ? (int) (percent(p) * width / 100) : 0;
    return String.format(
        Locale.ROOT,
        "%s [%s%s] %s",
        p.target(),
        "#".repeat(filled),
        "-".repeat(width - filled),
        line(p).substring(p.target().length() + 2));
  }

  private static long percent(ProgressListener.Progress p) {
    long total = p.total().orElse(0);
    return total == 0 ? 100 : Math.min(100, p.scanned() * 100 / total);
  }
}
