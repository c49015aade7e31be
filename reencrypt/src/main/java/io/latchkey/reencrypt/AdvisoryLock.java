package io.latchkey.reencrypt;

import io.latchkey.LatchkeyException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL session-level advisory lock on one target, held by keeping its connection open: it
 * keeps out jobs in every process, and PostgreSQL releases it if the process dies. If the
 * connection is lost, {@link #ensureHeld()} takes the lock again on a fresh one, and fails for good
 * once another session has taken it meanwhile.
 */
final class AdvisoryLock implements CiphertextStore.Lock {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcCiphertextStore.class);

  private final DataSource dataSource;
  private final String name;
  private final long key;
  private final Consumer<AdvisoryLock> onClose;
  private boolean open = true;
  private boolean lost;
  private Connection connection;

  private AdvisoryLock(
      DataSource dataSource,
      String name,
      long key,
      Connection connection,
      Consumer<AdvisoryLock> onClose) {
    this.dataSource = dataSource;
    this.name = name;
    this.key = key;
    this.connection = connection;
    this.onClose = onClose;
  }

  /**
   * Takes the lock on the given connection, which the lock keeps until it is closed.
   *
   * @param name the target's name, for messages
   * @param onClose told when the lock is closed
   * @return the lock, or empty if another session holds it (the caller then closes the connection)
   */
  static Optional<AdvisoryLock> tryTake(
      DataSource dataSource, Connection c, String name, long key, Consumer<AdvisoryLock> onClose)
      throws SQLException {
    if (!tryLock(c, key)) {
      return Optional.empty();
    }
    LOG.debug("{}: took advisory lock {}", name, key);
    return Optional.of(new AdvisoryLock(dataSource, name, key, c, onClose));
  }

  /** The lock key: the first 8 bytes of SHA-256("latchkey:reencrypt:table.column"). */
  static long key(String table, String column) {
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

  /**
   * The lock key of the table PostgreSQL resolves the name to ({@code credentials} and {@code
   * public.credentials} are one table, and must be one lock): its schema and name from the
   * catalogue. {@code fallback} if the name resolves to nothing, which the table check before the
   * lock has already ruled out.
   */
  static long keyOfResolved(Connection c, String table, String column, long fallback)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT n.nspname, r.relname FROM pg_class r"
                + " JOIN pg_namespace n ON n.oid = r.relnamespace WHERE r.oid = to_regclass(?)")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? key(rs.getString(1) + "." + rs.getString(2), column) : fallback;
      }
    }
  }

  /** Tells whether the connection is to PostgreSQL, the one database with advisory locks here. */
  static boolean isPostgres(Connection c) throws SQLException {
    return "PostgreSQL".equalsIgnoreCase(c.getMetaData().getDatabaseProductName());
  }

  private static boolean tryLock(Connection c, long key) throws SQLException {
    if (!c.getAutoCommit()) {
      c.setAutoCommit(true);
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      ps.setLong(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /**
   * Takes the lock again on a fresh connection if the one holding it was lost; once another session
   * has taken it, every later write fails.
   */
  synchronized void ensureHeld() throws SQLException {
    if (lost) {
      throw lockLost();
    }
    if (!open || connection.isValid(5)) {
      return;
    }
    LOG.warn("{}: the connection holding the lock was lost; taking the lock again", name);
    SqlErrors.closeQuietly(connection);
    Connection c = dataSource.getConnection();
    boolean held = false;
    try {
      held = tryLock(c, key);
    } finally {
      if (!held) {
        SqlErrors.closeQuietly(c);
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
    onClose.accept(this);
    if (lost) {
      return;
    }
    // Unlock explicitly: with a pooling data source, close() returns the session to the pool
    // and the lock would stay held.
    try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
      ps.setLong(1, key);
      ps.executeQuery().close();
    } catch (SQLException e) {
      LOG.debug("{}: releasing the advisory lock failed ({})", name, SqlErrors.describe(e));
    } finally {
      SqlErrors.closeQuietly(connection);
    }
  }
}
