package io.latchkey.reencrypt;

import static java.util.Objects.requireNonNull;

import io.latchkey.ConfigException;
import io.latchkey.LatchkeyException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;

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
 *   <li>writes: per page, one transaction on a fresh connection that reads the rows to write with
 *       {@code SELECT k, ct FROM t WHERE k IN (?, ...) FOR UPDATE}, 500 keys a statement (without
 *       {@code FOR UPDATE} on SQLite, whose write transactions exclude other writers anyway),
 *       compares it with the value the job read using {@link String#equals} (exact, whatever the
 *       column's collation: a case-insensitive or pad-insensitive comparison in SQL would take a
 *       value the application changed for the old one), and writes the rows that still hold it with
 *       one JDBC batch of {@code UPDATE t SET ct = ? WHERE k = ?}; a row whose value changed keeps
 *       the application's value. Before the commit it reads the updated rows again with the same
 *       {@code SELECT} and requires each to hold exactly the token written; if one does not (the
 *       column padded, cut or converted it), the batch is rolled back and the call fails, naming
 *       the table, the column and how many rows, so the job aborts the target;
 *   <li>{@link #count()}: {@code SELECT COUNT(*) FROM t [WHERE (filter)]}, every row the filter
 *       matches, so that the job can compare it with the rows it read.
 * </ul>
 *
 * <p>{@code ORDER BY k LIMIT ?} and the key comparison work on PostgreSQL, H2, MySQL, MariaDB and
 * SQLite. The key type must be one the driver converts with {@link ResultSet#getObject(int, Class)}
 * ({@code Long}, {@code Integer}, {@code String}, {@code UUID}), or {@code Object} to take whatever
 * the driver returns; not an array type, and not a binary column ({@code BINARY}, {@code
 * VARBINARY}, {@code BYTEA}, {@code BLOB}), which the checks refuse.
 *
 * <p><b>Checks.</b> Before its first read, and when a job takes its {@linkplain #lock() lock}, the
 * store checks that the table and both columns exist; that the ciphertext column holds characters
 * and is not fixed-width ({@code CHAR} and {@code NCHAR} pad a shorter token, so a token of another
 * length would not read back as written); that the key column is not binary, nor read as a Java
 * array (a {@code byte[]} key equals only itself, so no row read could be matched for writing
 * back); and, through the driver's {@link java.sql.DatabaseMetaData}, that the key column can page
 * the table without losing a row: declared {@code NOT NULL} (a row with a {@code NULL} key would
 * never be read) and unique on its own, through a single-column primary key or an unconditional
 * unique index on exactly that column (rows sharing a key value would be skipped at a page
 * boundary). It throws a {@link ConfigException} naming the table and each column that fails,
 * before anything is read or written; a table's primary-key column always passes.
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
  private static final String IDENTIFIER = "[A-Za-z_][A-Za-z0-9_]*";
  private static final Pattern COLUMN = Pattern.compile(IDENTIFIER);
  private static final Pattern TABLE = Pattern.compile(IDENTIFIER + "(\\." + IDENTIFIER + ")?");

  private final DataSource dataSource;
  private final Class<K> keyType;
  private final String table;
  private final String keyColumn;
  private final String ciphertextColumn;
  private final boolean filtered;
  private final String name;
  private final long advisoryKey;
  private final SqlRetry retry;
  private final Statements sql;
  private final TableCheck tableCheck;

  private volatile boolean checked;
  private final AtomicReference<AdvisoryLock> advisoryLock = new AtomicReference<>();

  private JdbcCiphertextStore(Builder<K> b) {
    this.dataSource = b.dataSource;
    this.keyType = b.keyType;
    this.table = b.table;
    this.keyColumn = b.keyColumn;
    this.ciphertextColumn = b.ciphertextColumn;
    this.filtered = b.filter != null;
    this.name = table + "." + ciphertextColumn;
    this.advisoryKey = AdvisoryLock.key(table, ciphertextColumn);
    this.retry = new SqlRetry(name, b.maxAttempts, b.backoff, b.waiter);

    this.sql = new Statements(table, keyColumn, ciphertextColumn, b.filter);
    this.tableCheck =
        new TableCheck(name, table, keyColumn, keyType, ciphertextColumn, filtered, sql);
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
    private Consumer<Duration> waiter = SqlRetry::sleep;

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

    /** Replaces the back-off's wait, so that a test can record the waits instead of sleeping. */
    Builder<K> waiter(Consumer<Duration> waiter) {
      this.waiter = requireNonNull(waiter, "waiter");
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
   * @throws ConfigException if the table or a column does not exist, the key column may be {@code
   *     NULL}, is not unique or is binary, the ciphertext column is not a character type or is
   *     fixed-width, or the filter is not valid
   * @throws LatchkeyException if the database cannot be read, after retrying a lost connection
   */
  @Override
  public List<StoredCiphertext<K>> page(Optional<K> after, int limit) {
    requireNonNull(after, "after");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
    check();
    return retry.run(
        "reading a page",
        attempt -> {
          try (Connection c = dataSource.getConnection();
              PreparedStatement ps =
                  c.prepareStatement(after.isPresent() ? sql.selectAfter : sql.selectFirst)) {
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
   *     if an update matched more than one row (the key column is not unique), if a written row did
   *     not read back as exactly the token written (nothing of the batch is committed then), or if
   *     the job's lock was lost to another job
   */
  @Override
  public List<Boolean> compareAndSet(List<CiphertextUpdate<K>> updates) {
    requireNonNull(updates, "updates");
    if (updates.isEmpty()) {
      return List.of();
    }
    check();
    List<CiphertextUpdate<K>> batch = List.copyOf(updates);
    return retry.run("writing a batch", attempt -> write(batch, attempt > 1));
  }

  private List<Boolean> write(List<CiphertextUpdate<K>> batch, boolean retry) throws SQLException {
    AdvisoryLock lock = advisoryLock.get();
    if (lock != null) {
      lock.ensureHeld();
    }
    try (Connection c = dataSource.getConnection()) {
      return new CompareAndSetBatch<>(
              name, table, keyColumn, ciphertextColumn, sql, this::readKey, batch)
          .write(c, retry);
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
    return retry.run(
        "counting rows",
        attempt -> {
          try (Connection c = dataSource.getConnection();
              PreparedStatement ps = c.prepareStatement(sql.countRows);
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
   * @throws ConfigException if the table or a column does not exist, the key column may be {@code
   *     NULL}, is not unique or is binary, the ciphertext column is not a character type or is
   *     fixed-width, or the filter is not valid
   * @throws LatchkeyException if another job holds the lock
   */
  @Override
  public Lock lock() {
    check();
    return retry.run(
        "taking the lock",
        attempt -> {
          Connection c = dataSource.getConnection();
          boolean keep = false;
          try {
            if (AdvisoryLock.isPostgres(c)) {
              AdvisoryLock lock =
                  AdvisoryLock.tryTake(
                          dataSource,
                          c,
                          name,
                          AdvisoryLock.keyOfResolved(c, table, ciphertextColumn, advisoryKey),
                          closed -> advisoryLock.compareAndSet(closed, null))
                      .orElseThrow(() -> LocalLocks.lockHeld(name));
              keep = true;
              advisoryLock.set(lock);
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

  /** Runs the table checks once, before the store's first use (see the class description). */
  private void check() {
    if (checked) {
      return;
    }
    synchronized (this) {
      if (checked) {
        return;
      }
      retry.run(
          "checking the table",
          attempt -> {
            try (Connection c = dataSource.getConnection()) {
              tableCheck.run(c);
            }
            return null;
          });
      checked = true;
    }
  }

  private K readKey(ResultSet rs) throws SQLException {
    Object key = keyType == Object.class ? rs.getObject(1) : rs.getObject(1, keyType);
    return keyType.cast(key);
  }
}
