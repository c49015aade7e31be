package io.latchkey.reencrypt;

import static java.util.Objects.requireNonNull;

import io.latchkey.ConfigException;
import io.latchkey.LatchkeyException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CiphertextStore} over one character column of a SQL table, read by keyset pagination and
 * written back with conditional updates.
 *
 * <pre>{@code
 * JdbcCiphertextStore<Long> credentials =
 *     JdbcCiphertextStore.builder(dataSource, Long.class)
 *         .table("credentials")          // or schema.table
 *         .keyColumn("id")               // unique and not null, such as the primary key
 *         .ciphertextColumn("secret")    // VARCHAR, TEXT or another character type
 *         .filter("tenant_id = 7")       // optional, trusted SQL
 *         .build();
 * }</pre>
 *
 * <p>It runs, with {@code k} the key column, {@code ct} the ciphertext column and {@code t} the
 * table:
 *
 * <ul>
 *   <li>reads: {@code SELECT k, ct FROM t WHERE [(filter) AND] k > ? ORDER BY k LIMIT ?}, on a
 *       fresh connection from the data source for each page;
 *   <li>writes: one JDBC batch of {@code UPDATE t SET ct = ? WHERE k = ? AND COALESCE(ct, '') = ?}
 *       per page, in one transaction on a fresh connection; an update count of 0 means the
 *       application changed the row meanwhile, and its value is kept;
 *   <li>{@link #count()}: {@code SELECT COUNT(*) FROM t [WHERE (filter)]}, every row the filter
 *       matches, so that the job can compare it with the rows it read.
 * </ul>
 *
 * <p>{@code ORDER BY k LIMIT ?} and the key comparison work on PostgreSQL, H2, MySQL, MariaDB and
 * SQLite. The key type must be one the driver converts with {@link ResultSet#getObject(int,
 * Class)} ({@code Long}, {@code Integer}, {@code String}, {@code UUID}), or {@code Object} to take
 * whatever the driver returns.
 *
 * <p><b>Checks.</b> Before its first read, and when a job takes its {@linkplain #lock() lock}, the
 * store checks that the table and both columns exist and that the ciphertext column holds
 * characters, and, through the driver's {@link java.sql.DatabaseMetaData}, that the key column can
 * page the table without losing a row: declared {@code NOT NULL} (a row with a {@code NULL} key
 * would never be read) and unique on its own, through a single-column primary key or an
 * unconditional unique index on exactly that column (rows sharing a key value would be skipped at
 * a page boundary). It throws a {@link ConfigException} naming the table and each column that
 * fails, before anything is read or written; a table's primary-key column always passes.
 *
 * <p><b>Retries.</b> When the connection is lost (SQLState class {@code 08}, a terminated server
 * process, {@link SQLRecoverableException} or {@link SQLTransientException}), the page or batch is
 * retried on a fresh connection, up to {@link Builder#maxAttempts(int)} attempts with a doubling
 * back-off. A batch whose commit may have landed before the connection broke is safe to retry: a
 * row that already holds the replacement is counted as written.
 *
 * <p><b>Locking.</b> On PostgreSQL, {@link #lock()} takes the session-level advisory lock {@code
 * pg_try_advisory_lock(k)}, where {@code k} is the first 8 bytes (big-endian) of the SHA-256 of
 * {@code "latchkey:reencrypt:" + table + "." + ciphertextColumn} in lower case, on a connection
 * held for the job's duration: it keeps out jobs in every process, and PostgreSQL releases it if
 * the process dies. If that connection is lost, the lock is taken again before the next write, and
 * the job stops if another job took it meanwhile. On other databases the lock covers only this JVM
 * (keyed by JDBC URL, table and column); to keep out jobs in other processes, use PostgreSQL or
 * wrap the store in one whose {@link #lock()} uses a lock the processes share.
 *
 * <h2>Security</h2>
 *
 * <p>The table and column names are checked against {@code [A-Za-z_][A-Za-z0-9_]*} (the table
 * optionally qualified by a schema) and used unquoted, so they cannot inject SQL. The {@linkplain
 * Builder#filter(String) filter} is pasted into the SQL as it is: it must come from the operator,
 * never from an end user. Errors name the table, the column, the SQLState and the driver's
 * exception class; they never carry a driver message (which may quote data) or a stored value.
 *
 * @param <K> the type of row keys
 * @since 0.1
 */
public final class JdbcCiphertextStore<K> implements CiphertextStore<K> {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcCiphertextStore.class);

  private static final String IDENTIFIER = "[A-Za-z_][A-Za-z0-9_]*";
  private static final Pattern COLUMN = Pattern.compile(IDENTIFIER);
  private static final Pattern TABLE = Pattern.compile(IDENTIFIER + "(\\." + IDENTIFIER + ")?");
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  /** SQLStates outside class 08 that mean "this connection is gone, a fresh one may work". */
  private static final Set<String> TRANSIENT_STATES =
      Set.of(
          "57P01", // admin_shutdown: the server process was terminated
          "57P02", // crash_shutdown
          "57P03", // cannot_connect_now: the server is starting up
          "40001", // serialization_failure
          "40P01"); // deadlock_detected

  private static final Set<Integer> NON_CHARACTER_TYPES =
      Set.of(
          Types.BIGINT,
          Types.BINARY,
          Types.BIT,
          Types.BLOB,
          Types.BOOLEAN,
          Types.DATE,
          Types.DECIMAL,
          Types.DOUBLE,
          Types.FLOAT,
          Types.INTEGER,
          Types.LONGVARBINARY,
          Types.NUMERIC,
          Types.REAL,
          Types.SMALLINT,
          Types.TIME,
          Types.TIME_WITH_TIMEZONE,
          Types.TIMESTAMP,
          Types.TIMESTAMP_WITH_TIMEZONE,
          Types.TINYINT,
          Types.VARBINARY,
          Types.ARRAY);

  /** Waits between retries; tests replace it so that they do not wait. */
  interface Sleeper {
    /** Waits for the given time. */
    void sleep(Duration duration) throws InterruptedException;
  }

  private final DataSource dataSource;
  private final Class<K> keyType;
  private final String table;
  private final String keyColumn;
  private final String ciphertextColumn;
  private final boolean filtered;
  private final String name;
  private final int maxAttempts;
  private final Duration backoff;
  private final Sleeper sleeper;
  private final long advisoryKey;

  private final String selectFirst;
  private final String selectAfter;
  private final String update;
  private final String selectCurrent;
  private final String countRows;
  private final String probeTable;
  private final String probeKey;
  private final String probeCiphertext;
  private final String probeFilter;

  private volatile boolean checked;
  private volatile AdvisoryLock advisoryLock;

  private JdbcCiphertextStore(Builder<K> b) {
    this.dataSource = b.dataSource;
    this.keyType = b.keyType;
    this.table = b.table;
    this.keyColumn = b.keyColumn;
    this.ciphertextColumn = b.ciphertextColumn;
    this.filtered = b.filter != null;
    this.name = table + "." + ciphertextColumn;
    this.maxAttempts = b.maxAttempts;
    this.backoff = b.backoff;
    this.sleeper = b.sleeper;
    this.advisoryKey = advisoryLockKey(table, ciphertextColumn);

    // A newline before the closing parenthesis ends any line comment in the filter.
    String where = filtered ? "(" + b.filter + "\n) AND " : "";
    this.selectFirst =
        sql("SELECT {k}, {ct} FROM {t} WHERE {w}{k} IS NOT NULL ORDER BY {k} LIMIT ?", where);
    this.selectAfter =
        sql("SELECT {k}, {ct} FROM {t} WHERE {w}{k} > ? ORDER BY {k} LIMIT ?", where);
    this.update = sql("UPDATE {t} SET {ct} = ? WHERE {k} = ? AND COALESCE({ct}, '') = ?", where);
    this.selectCurrent = sql("SELECT {ct} FROM {t} WHERE {k} = ?", where);
    this.countRows = sql("SELECT COUNT(*) FROM {t} WHERE {w}1 = 1", where);
    this.probeTable = sql("SELECT 1 FROM {t} WHERE 1 = 0", where);
    this.probeKey = sql("SELECT {k} FROM {t} WHERE 1 = 0", where);
    this.probeCiphertext = sql("SELECT {ct} FROM {t} WHERE 1 = 0", where);
    this.probeFilter = sql("SELECT 1 FROM {t} WHERE {w}1 = 0", where);
  }

  /** Fills in a statement; the identifiers were checked, the filter is trusted. */
  private String sql(String template, String where) {
    return template
        .replace("{t}", table)
        .replace("{k}", keyColumn)
        .replace("{ct}", ciphertextColumn)
        .replace("{w}", where);
  }

  /**
   * Returns a builder for a store that reads keys as {@code keyType}.
   *
   * @param dataSource where connections come from; a fresh connection is taken for each page and
   *     each batch, so a pooling data source is welcome but not required
   * @param keyType the Java type of the key column, such as {@code Long.class}, or {@code
   *     Object.class} to take whatever the driver returns
   * @param <K> the type of row keys
   * @return a new builder
   */
  public static <K> Builder<K> builder(DataSource dataSource, Class<K> keyType) {
    return new Builder<>(
        requireNonNull(dataSource, "dataSource"), requireNonNull(keyType, "keyType"));
  }

  /**
   * Builds a {@link JdbcCiphertextStore}; {@link #table(String)}, {@link #keyColumn(String)} and
   * {@link #ciphertextColumn(String)} are required.
   *
   * @param <K> the type of row keys
   */
  public static final class Builder<K> {
    private final DataSource dataSource;
    private final Class<K> keyType;
    private String table;
    private String keyColumn;
    private String ciphertextColumn;
    private String filter;
    private int maxAttempts = 5;
    private Duration backoff = Duration.ofMillis(250);
    private Sleeper sleeper = d -> Thread.sleep(d.toMillis());

    private Builder(DataSource dataSource, Class<K> keyType) {
      this.dataSource = dataSource;
      this.keyType = keyType;
    }

    /**
     * Sets the table.
     *
     * @param table a plain identifier, optionally qualified by a schema ({@code app.credentials})
     * @return this builder
     * @throws IllegalArgumentException if it is not an identifier
     */
    public Builder<K> table(String table) {
      requireNonNull(table, "table");
      if (!TABLE.matcher(table).matches()) {
        throw new IllegalArgumentException(
            "table must be an identifier ([A-Za-z_][A-Za-z0-9_]*), optionally schema-qualified");
      }
      this.table = table;
      return this;
    }

    /**
     * Sets the key column, which must be declared {@code NOT NULL} and be unique on its own
     * (checked before the first read); the primary key is the usual choice.
     *
     * @param column a plain identifier
     * @return this builder
     * @throws IllegalArgumentException if it is not an identifier
     */
    public Builder<K> keyColumn(String column) {
      this.keyColumn = column(column, "key column");
      return this;
    }

    /**
     * Sets the column that holds the ciphertexts.
     *
     * @param column a plain identifier of a character column
     * @return this builder
     * @throws IllegalArgumentException if it is not an identifier
     */
    public Builder<K> ciphertextColumn(String column) {
      this.ciphertextColumn = column(column, "ciphertext column");
      return this;
    }

    /**
     * Restricts the rows to those matching a SQL condition, such as {@code tenant_id = 7}.
     *
     * <p><b>The filter is trusted SQL</b>: it is pasted into every read as it is, so it must come
     * from the operator running the job, never from an end user's input.
     *
     * @param condition a boolean SQL expression over the table's columns
     * @return this builder
     * @throws IllegalArgumentException if it is blank
     */
    public Builder<K> filter(String condition) {
      requireNonNull(condition, "condition");
      if (condition.isBlank()) {
        throw new IllegalArgumentException("filter must not be blank");
      }
      this.filter = condition;
      return this;
    }

    /**
     * Sets how many times a page or batch is tried when the connection is lost (5 by default).
     *
     * @param attempts from 1 (no retry) to 20
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder<K> maxAttempts(int attempts) {
      if (attempts < 1 || attempts > 20) {
        throw new IllegalArgumentException("max attempts must be from 1 to 20, was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * Sets the wait before the first retry, doubled before each further one and capped at 10
     * seconds (250 ms by default).
     *
     * @param backoff zero or positive, at most one minute
     * @return this builder
     * @throws IllegalArgumentException if negative or longer than a minute
     */
    public Builder<K> backoff(Duration backoff) {
      requireNonNull(backoff, "backoff");
      if (backoff.isNegative() || backoff.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("backoff must be from zero to one minute");
      }
      this.backoff = backoff;
      return this;
    }

    Builder<K> sleeper(Sleeper sleeper) {
      this.sleeper = requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Builds the store; it does not connect until it is first used.
     *
     * @return the store
     * @throws IllegalStateException if the table or a column was not set
     */
    public JdbcCiphertextStore<K> build() {
      List<String> missing = new ArrayList<>();
      if (table == null) {
        missing.add("table");
      }
      if (keyColumn == null) {
        missing.add("keyColumn");
      }
      if (ciphertextColumn == null) {
        missing.add("ciphertextColumn");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException(
            "a JDBC ciphertext store needs " + String.join(", ", missing));
      }
      if (keyColumn.equalsIgnoreCase(ciphertextColumn)) {
        throw new IllegalStateException("the key column and the ciphertext column must differ");
      }
      return new JdbcCiphertextStore<>(this);
    }

    private static String column(String column, String what) {
      requireNonNull(column, what);
      if (!COLUMN.matcher(column).matches()) {
        throw new IllegalArgumentException(
            what + " must be an identifier ([A-Za-z_][A-Za-z0-9_]*)");
      }
      return column;
    }
  }

  /**
   * Returns {@code table.ciphertextColumn}, as given to the builder.
   *
   * @return the target's name
   */
  @Override
  public String name() {
    return name;
  }

  /**
   * {@inheritDoc}
   *
   * @throws ConfigException if the table or a column does not exist, the key column may be
   *     {@code NULL} or is not unique, or the filter is not valid
   * @throws LatchkeyException if the database cannot be read, after retrying a lost connection
   */
  @Override
  public List<StoredCiphertext<K>> page(Optional<K> after, int limit) {
    requireNonNull(after, "after");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
    check();
    return withRetry(
        "reading a page",
        attempt -> {
          try (Connection c = dataSource.getConnection();
              PreparedStatement ps =
                  c.prepareStatement(after.isPresent() ? selectAfter : selectFirst)) {
            int i = 1;
            if (after.isPresent()) {
              ps.setObject(i++, after.get());
            }
            ps.setInt(i, limit);
            List<StoredCiphertext<K>> rows = new ArrayList<>(Math.min(limit, 1024));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                K key = readKey(rs);
                String ct = rs.getString(2);
                rows.add(new StoredCiphertext<>(key, ct == null ? "" : ct));
              }
            }
            return rows;
          }
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>The updates are written in one JDBC batch and one transaction.
   *
   * @throws LatchkeyException if the database cannot be written after retrying a lost connection,
   *     if an update matched more than one row (the key column is not unique), or if the job's lock
   *     was lost to another job
   */
  @Override
  public List<Boolean> compareAndSet(List<CiphertextUpdate<K>> updates) {
    requireNonNull(updates, "updates");
    if (updates.isEmpty()) {
      return List.of();
    }
    check();
    List<CiphertextUpdate<K>> batch = List.copyOf(updates);
    return withRetry("writing a batch", attempt -> write(batch, attempt > 1));
  }

  private List<Boolean> write(List<CiphertextUpdate<K>> batch, boolean retry) throws SQLException {
    AdvisoryLock lock = advisoryLock;
    if (lock != null) {
      lock.ensureHeld();
    }
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        int[] counts;
        try (PreparedStatement ps = c.prepareStatement(update)) {
          for (CiphertextUpdate<K> u : batch) {
            ps.setString(1, u.replacement());
            ps.setObject(2, u.key());
            ps.setString(3, u.expected());
            ps.addBatch();
          }
          counts = ps.executeBatch();
        }
        if (counts.length != batch.size()) {
          throw new LatchkeyException(
              name
                  + ": the driver answered "
                  + counts.length
                  + " counts for "
                  + batch.size()
                  + " updates");
        }
        List<Boolean> written = new ArrayList<>(batch.size());
        for (int i = 0; i < counts.length; i++) {
          CiphertextUpdate<K> u = batch.get(i);
          if (counts[i] == 1) {
            written.add(true);
          } else if (counts[i] > 1) {
            throw new LatchkeyException(
                name
                    + ": an update matched "
                    + counts[i]
                    + " rows; the key column "
                    + keyColumn
                    + " must be unique");
          } else if (counts[i] == 0 && !retry) {
            written.add(false);
          } else {
            // On a retry the first attempt may have committed before the connection broke (and a
            // driver may answer SUCCESS_NO_INFO): a replacement is a fresh token (random IV), so
            // finding it in the row means this job wrote it.
            written.add(u.replacement().equals(current(c, u.key())));
          }
        }
        c.commit();
        return written;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      } finally {
        restoreAutoCommit(c, autoCommit);
      }
    }
  }

  private String current(Connection c, K key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(selectCurrent)) {
      ps.setObject(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /**
   * Counts the rows the store will read, with one {@code SELECT COUNT(*)}.
   *
   * @return the number of rows matching the filter
   * @throws LatchkeyException if the database cannot be read
   */
  @Override
  public OptionalLong count() {
    check();
    return withRetry(
        "counting rows",
        attempt -> {
          try (Connection c = dataSource.getConnection();
              PreparedStatement ps = c.prepareStatement(countRows);
              ResultSet rs = ps.executeQuery()) {
            return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
          }
        });
  }

  /**
   * Checks the table and columns, then takes the lock that keeps other re-encryption jobs off this
   * table and column: a PostgreSQL advisory lock, or a lock within this JVM on other databases (see
   * the class description).
   *
   * @throws ConfigException if the table or a column does not exist, the key column may be
   *     {@code NULL} or is not unique, or the filter is not valid
   * @throws LatchkeyException if another job holds the lock
   */
  @Override
  public Lock lock() {
    check();
    return withRetry(
        "taking the lock",
        attempt -> {
          Connection c = dataSource.getConnection();
          boolean keep = false;
          try {
            if (isPostgres(c)) {
              if (!tryAdvisoryLock(c)) {
                throw LocalLocks.lockHeld(name);
              }
              AdvisoryLock lock = new AdvisoryLock(c);
              keep = true;
              advisoryLock = lock;
              LOG.debug("{}: took advisory lock {}", name, advisoryKey);
              return lock;
            }
            String url = String.valueOf(c.getMetaData().getURL());
            return LocalLocks.acquire(
                "jdbc|"
                    + url
                    + "|"
                    + table.toLowerCase(Locale.ROOT)
                    + "."
                    + ciphertextColumn.toLowerCase(Locale.ROOT),
                name);
          } finally {
            if (!keep) {
              c.close();
            }
          }
        });
  }

  /**
   * Returns {@code JdbcCiphertextStore[table.column, key k]}, noting a filter without quoting it.
   */
  @Override
  public String toString() {
    return "JdbcCiphertextStore["
        + name
        + ", key "
        + keyColumn
        + (filtered ? ", filtered" : "")
        + "]";
  }

  /** The advisory lock key: the first 8 bytes of SHA-256("latchkey:reencrypt:table.column"). */
  static long advisoryLockKey(String table, String column) {
    String id =
        "latchkey:reencrypt:"
            + table.toLowerCase(Locale.ROOT)
            + "."
            + column.toLowerCase(Locale.ROOT);
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      long k = 0;
      for (int i = 0; i < 8; i++) {
        k = k << 8 | (d[i] & 0xff);
      }
      return k;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  // ---- checks --------------------------------------------------------------------------------

  private void check() {
    if (checked) {
      return;
    }
    synchronized (this) {
      if (checked) {
        return;
      }
      withRetry(
          "checking the table",
          attempt -> {
            try (Connection c = dataSource.getConnection()) {
              boolean autoCommit = c.getAutoCommit();
              // A failed probe must not abort a transaction that later probes run in.
              c.setAutoCommit(true);
              try {
                checkSchema(c);
              } finally {
                restoreAutoCommit(c, autoCommit);
              }
            }
            return null;
          });
      checked = true;
    }
  }

  private void checkSchema(Connection c) throws SQLException {
    SQLException tableError = probe(c, probeTable);
    if (tableError != null) {
      throw new ConfigException(
          name,
          "table " + table + " does not exist or cannot be read (" + describe(tableError) + ")");
    }
    List<ConfigException.Problem> problems = new ArrayList<>();
    SQLException keyError = probe(c, probeKey);
    if (keyError != null) {
      problems.add(
          new ConfigException.Problem(
              name,
              "key column "
                  + keyColumn
                  + " does not exist in table "
                  + table
                  + " ("
                  + describe(keyError)
                  + ")"));
    } else {
      KeyColumnCheck.problems(c, table, keyColumn)
          .forEach(p -> problems.add(new ConfigException.Problem(name, p)));
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(probeCiphertext)) {
      int type = rs.getMetaData().getColumnType(1);
      if (NON_CHARACTER_TYPES.contains(type)) {
        problems.add(
            new ConfigException.Problem(
                name,
                "ciphertext column "
                    + ciphertextColumn
                    + " has type "
                    + rs.getMetaData().getColumnTypeName(1)
                    + "; expected a character type such as VARCHAR or TEXT"));
      }
    } catch (SQLException e) {
      if (isTransient(e)) {
        throw e;
      }
      problems.add(
          new ConfigException.Problem(
              name,
              "ciphertext column "
                  + ciphertextColumn
                  + " does not exist in table "
                  + table
                  + " ("
                  + describe(e)
                  + ")"));
    }
    if (filtered && problems.isEmpty()) {
      SQLException filterError = probe(c, probeFilter);
      if (filterError != null) {
        problems.add(
            new ConfigException.Problem(
                name,
                "filter is not a valid condition on table "
                    + table
                    + " ("
                    + describe(filterError)
                    + ")"));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /** Runs a query that returns no row; returns its error, or rethrows it if it is transient. */
  private static SQLException probe(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeQuery(sql).close();
      return null;
    } catch (SQLException e) {
      if (isTransient(e)) {
        throw e;
      }
      return e;
    }
  }

  // ---- locking -------------------------------------------------------------------------------

  private static boolean isPostgres(Connection c) throws SQLException {
    return "PostgreSQL".equalsIgnoreCase(c.getMetaData().getDatabaseProductName());
  }

  private boolean tryAdvisoryLock(Connection c) throws SQLException {
    if (!c.getAutoCommit()) {
      c.setAutoCommit(true);
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      ps.setLong(1, advisoryKey);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /** A session-level advisory lock, held by keeping its connection open. */
  private final class AdvisoryLock implements Lock {
    private boolean open = true;
    private boolean lost;
    private Connection connection;

    AdvisoryLock(Connection connection) {
      this.connection = connection;
    }

    /**
     * Takes the lock again on a fresh connection if the one holding it was lost; once another
     * session has taken it, every later write fails.
     */
    synchronized void ensureHeld() throws SQLException {
      if (lost) {
        throw lockLost();
      }
      if (!open || connection.isValid(5)) {
        return;
      }
      LOG.warn("{}: the connection holding the lock was lost; taking the lock again", name);
      closeQuietly(connection);
      Connection c = dataSource.getConnection();
      boolean held = false;
      try {
        held = tryAdvisoryLock(c);
      } finally {
        if (!held) {
          closeQuietly(c);
        }
      }
      if (!held) {
        lost = true;
        throw lockLost();
      }
      connection = c;
    }

    private LatchkeyException lockLost() {
      return new LatchkeyException(
          name
              + ": the lock was lost with its connection and another re-encryption job holds it"
              + " now");
    }

    @Override
    public synchronized void close() {
      if (!open) {
        return;
      }
      open = false;
      if (advisoryLock == this) {
        advisoryLock = null;
      }
      if (lost) {
        return;
      }
      // Unlock explicitly: with a pooling data source, close() returns the session to the pool
      // and the lock would stay held.
      try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
        ps.setLong(1, advisoryKey);
        ps.executeQuery().close();
      } catch (SQLException e) {
        LOG.debug("{}: releasing the advisory lock failed ({})", name, describe(e));
      } finally {
        closeQuietly(connection);
      }
    }
  }

  // ---- retries and errors --------------------------------------------------------------------

  @FunctionalInterface
  private interface SqlWork<T> {
    T run(int attempt) throws SQLException;
  }

  private <T> T withRetry(String what, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return work.run(attempt);
      } catch (SQLException e) {
        if (!isTransient(e)) {
          throw new LatchkeyException(name + ": " + what + " failed: " + describe(e));
        }
        if (attempt >= maxAttempts) {
          throw new LatchkeyException(
              name
                  + ": "
                  + what
                  + " failed after "
                  + attempt
                  + (attempt == 1 ? " attempt: " : " attempts: ")
                  + describe(e));
        }
        Duration wait = backoff(attempt);
        LOG.warn(
            "{}: {} failed ({}); retrying on a fresh connection in {} ms (attempt {} of {})",
            name,
            what,
            describe(e),
            wait.toMillis(),
            attempt + 1,
            maxAttempts);
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new LatchkeyException(name + ": interrupted while waiting to retry " + what);
        }
      }
    }
  }

  private Duration backoff(int attempt) {
    Duration d = backoff.multipliedBy(1L << Math.min(attempt - 1, 20));
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  /** Tells whether an error means the connection was lost, so that a fresh one may succeed. */
  static boolean isTransient(SQLException e) {
    for (Throwable t = e; t != null; t = next(t)) {
      if (t instanceof SQLRecoverableException || t instanceof SQLTransientException) {
        return true;
      }
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        if (state.startsWith("08") || TRANSIENT_STATES.contains(state)) {
          return true;
        }
      }
    }
    return false;
  }

  private static Throwable next(Throwable t) {
    if (t instanceof SQLException s && s.getNextException() != null && s.getNextException() != s) {
      return s.getNextException();
    }
    return t.getCause() == t ? null : t.getCause();
  }

  /**
   * Describes an error by SQLState and class only: drivers' messages may quote the statement's
   * data.
   */
  static String describe(SQLException e) {
    String state = null;
    for (Throwable t = e; t != null && state == null; t = next(t)) {
      if (t instanceof SQLException s) {
        state = s.getSQLState();
      }
    }
    Throwable shown =
        e instanceof BatchUpdateException && e.getNextException() != null
            ? e.getNextException()
            : e;
    return (isTransient(e) ? "connection lost" : "database error")
        + ", SQLState "
        + (state == null ? "unknown" : state)
        + ", "
        + shown.getClass().getSimpleName();
  }

  private K readKey(ResultSet rs) throws SQLException {
    Object key = keyType == Object.class ? rs.getObject(1) : rs.getObject(1, keyType);
    return keyType.cast(key);
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      LOG.debug("rollback failed ({})", describe(e));
    }
  }

  private static void restoreAutoCommit(Connection c, boolean autoCommit) {
    try {
      if (!c.isClosed() && c.getAutoCommit() != autoCommit) {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      LOG.debug("restoring auto-commit failed ({})", describe(e));
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      LOG.debug("closing a connection failed ({})", describe(e));
    }
  }
}
