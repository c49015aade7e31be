package io.latchkey.reencrypt;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the JDBC store makes of a driver's errors: whether a fresh connection may succeed where this
 * one failed, and a description by SQLState and exception class only, since drivers' messages may
 * quote a statement's data. Also the clean-ups whose own failure is only worth a debug line.
 */
final class SqlErrors {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcCiphertextStore.class);

  /** SQLStates outside class 08 that mean "this connection is gone, a fresh one may work". */
  private static final Set<String> TRANSIENT_STATES =
      Set.of(
          "57P01", // admin_shutdown: the server process was terminated
          "57P02", // crash_shutdown
          "57P03", // cannot_connect_now: the server is starting up
          "40001", // serialization_failure
          "40P01"); // deadlock_detected

  private SqlErrors() {}

  /** Tells whether an error means the connection was lost, so that a fresh one may succeed. */
  static boolean isTransient(SQLException e) {
    if (isNoSuitableDriver(e)) {
      return false;
    }
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

  /**
   * Tells whether an error is {@link java.sql.DriverManager}'s "no suitable driver": a plain {@link
   * SQLException} with SQLState 08001 and no cause. Its class 08 would read as a lost connection,
   * but no retry can make a missing driver appear; drivers throw their own subclasses.
   */
  static boolean isNoSuitableDriver(SQLException e) {
    return e.getClass() == SQLException.class
        && "08001".equals(e.getSQLState())
        && e.getCause() == null
        && e.getNextException() == null;
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
    if (isNoSuitableDriver(e)) {
      return "no JDBC driver accepts the URL (SQLState 08001): check the URL and that its driver is"
          + " on the class path";
    }
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

  static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      LOG.debug("rollback failed ({})", describe(e));
    }
  }

  static void restoreAutoCommit(Connection c, boolean autoCommit) {
    try {
      if (!c.isClosed() && c.getAutoCommit() != autoCommit) {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      LOG.debug("restoring auto-commit failed ({})", describe(e));
    }
  }

  static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      LOG.debug("closing a connection failed ({})", describe(e));
    }
  }
}
