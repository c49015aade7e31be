package io.latchkey.cli;

import io.latchkey.ConfigException;
import io.latchkey.KeyRing;
import io.latchkey.internal.PathText;
import io.latchkey.reencrypt.JdbcCiphertextStore;
import io.latchkey.reencrypt.ProgressListener;
import io.latchkey.reencrypt.ReencryptionJob;
import io.latchkey.reencrypt.ReencryptionReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /** Where a targets file defined it ({@code targets.txt line 3}); null for options. */
    String line;

    /** The targets-file line number, from 1; 0 for options. */
    int lineNumber;

    /** How a problem with one part of the target is named: its option, or its file line. */
    String origin(String option) {
      return line == null ? option : line;
    }
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
    try {
      DriverManager.getDriver(jdbcUrl);
    } catch (SQLException e) {
      // DriverManager words this as a lost connection (SQLState 08001); no retry would help.
      throw new UsageError(
          spec.commandLine(),
          "--jdbc-url: no JDBC driver in this jar accepts the URL; it bundles the PostgreSQL"
              + " (jdbc:postgresql:) and H2 (jdbc:h2:) drivers");
    }
    List<Target> list = targetList();
    try (DriverManagerDataSource dataSource =
        new DriverManagerDataSource(jdbcUrl, dbUser, io.env().get(dbPasswordEnv))) {
      List<JdbcCiphertextStore<Object>> stores = stores(dataSource, list);
      KeyRing ring = keys.load(io, format, timestamp.timestamp);
      return run(ring, stores);
    }
  }

  private int run(KeyRing ring, List<JdbcCiphertextStore<Object>> stores) {
    ReencryptionJob.Builder job =
        ReencryptionJob.builder(ring)
            .batchSize(batchSize)
            .dryRun(dryRun)
            .progress(progressPrinter(io.err()));
    stores.forEach(job::target);
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

  /**
   * The targets' stores, checked as the job's builders would check them, so that a mistake in a
   * target is a usage error naming its option or targets-file line (never the text typed there)
   * rather than an internal error.
   */
  private List<JdbcCiphertextStore<Object>> stores(DataSource dataSource, List<Target> list) {
    List<JdbcCiphertextStore<Object>> stores = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Map<String, Target> seen = new HashMap<>();
    for (Target t : list) {
      JdbcCiphertextStore<Object> store = store(dataSource, t, problems);
      if (store == null) {
        continue;
      }
      stores.add(store);
      // Unquoted identifiers name the same table and column whatever their case.
      String id = (t.table + "." + t.ciphertextColumn).toLowerCase(Locale.ROOT);
      Target first = seen.putIfAbsent(id, t);
      if (first != null) {
        problems.add(
            t.origin("--table")
                + ": repeats the target "
                + store.name()
                + " of line "
                + first.lineNumber
                + "; give each table and column once");
      }
    }
    if (!problems.isEmpty()) {
      throw new UsageError(spec.commandLine(), String.join("; ", problems));
    }
    return stores;
  }

  /**
   * Builds a target's store, or adds to {@code problems} why it cannot be built, naming the option
   * or the targets-file line and never the text typed there.
   */
  private static JdbcCiphertextStore<Object> store(
      DataSource dataSource, Target t, List<String> problems) {
    JdbcCiphertextStore.Builder<Object> store =
        JdbcCiphertextStore.builder(dataSource, Object.class);
    int before = problems.size();
    // The builder's messages name the part and the rule, never the value.
    try {
      store.table(t.table);
    } catch (IllegalArgumentException e) {
      problems.add(t.origin("--table") + ": " + e.getMessage());
    }
    try {
      store.keyColumn(t.keyColumn);
    } catch (IllegalArgumentException e) {
      problems.add(t.origin("--key-column") + ": " + e.getMessage());
    }
    try {
      store.ciphertextColumn(t.ciphertextColumn);
    } catch (IllegalArgumentException e) {
      problems.add(t.origin("--ciphertext-column") + ": " + e.getMessage());
    }
    if (t.where != null) {
      try {
        store.filter(t.where);
      } catch (IllegalArgumentException e) {
        problems.add(t.origin("--where") + ": " + e.getMessage());
      }
    }
    if (t.keyColumn.equalsIgnoreCase(t.ciphertextColumn)) {
      problems.add(
          t.origin("--key-column and --ciphertext-column")
              + ": the key column and the ciphertext column must differ");
    }
    return problems.size() == before ? store.build() : null;
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
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m = TARGET_LINE.matcher(line);
      if (!m.matches()) {
        problems.add(
            name
                + " line "
                + (i + 1)
                + ": expected TABLE KEY_COLUMN CIPHERTEXT_COLUMN [WHERE condition]");
        continue;
      }
      Target t = new Target();
      t.line = name + " line " + (i + 1);
      t.lineNumber = i + 1;
      t.table = m.group(1);
      t.keyColumn = m.group(2);
      t.ciphertextColumn = m.group(3);
      t.where = m.group(4);
      list.add(t);
    }
    if (list.isEmpty() && problems.isEmpty()) {
      problems.add(name + ": holds no target");
    }
    if (!problems.isEmpty()) {
      throw new UsageError(spec.commandLine(), String.join("; ", problems));
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
