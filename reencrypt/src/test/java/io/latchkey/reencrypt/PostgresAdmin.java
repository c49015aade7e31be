package io.latchkey.reencrypt;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** What an operator does to a PostgreSQL server from their own session, for the tests. */
final class PostgresAdmin {
  /** The {@code ApplicationName} the tests give the job's connections. */
  static final String JOB_APPLICATION = "latchkey-reencrypt-job";

  /**
   * How long the server waits for a backend to exit or a lock to be released before the test fails:
   * a bound on a hang, not a measure of speed.
   */
  private static final int WAIT_MILLIS = 60_000;

  private final DataSource admin;

  PostgresAdmin(DataSource admin) {
    this.admin = admin;
  }

  /** A session of the operator's own, not one of the job's. */
  Connection adminConnection() throws SQLException {
    return admin.getConnection();
  }

  static String withApplicationName(String url, String name) {
    return url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + name;
  }

  static int backendPid(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * Terminates a job backend, as {@code pg_terminate_backend} from psql would, and waits until it
   * has exited.
   */
  void terminate(int pid) throws SQLException {
    try (Connection c = admin.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT pg_terminate_backend(pid, "
                    + WAIT_MILLIS
                    + ") FROM pg_stat_activity WHERE application_name = ? AND pid = ?")) {
      ps.setString(1, JOB_APPLICATION);
      ps.setInt(2, pid);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new AssertionError("backend " + pid + " is not a job backend");
        }
        if (!rs.getBoolean(1)) {
          throw new AssertionError("backend " + pid + " did not exit");
        }
      }
    }
  }

  /**
   * Ends the given backends if they are still running, as PostgreSQL does itself once it notices
   * that their client is gone, and waits until each has exited. The server does the waiting ({@code
   * pg_terminate_backend} with a timeout, PostgreSQL 14 and later), so the test neither sleeps nor
   * polls; the timeout only bounds a backend that never exits.
   */
  void terminateAndAwait(List<Integer> pids) throws SQLException {
    try (Connection c = admin.getConnection();
        PreparedStatement end =
            c.prepareStatement("SELECT pg_terminate_backend(?, " + WAIT_MILLIS + ")");
        PreparedStatement left =
            c.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ANY (?)")) {
      for (int pid : pids) {
        // False, with a warning, for a backend that exited on its own meanwhile.
        end.setInt(1, pid);
        end.executeQuery().close();
      }
      left.setArray(1, c.createArrayOf("int4", pids.toArray()));
      try (ResultSet rs = left.executeQuery()) {
        rs.next();
        if (rs.getInt(1) != 0) {
          throw new AssertionError("backends " + pids + " are still running");
        }
      }
    }
  }

  /**
   * Waits until no session holds the advisory lock {@code key}: takes it, which blocks on the
   * server until its holder lets it go or exits, and releases it at once.
   */
  void awaitAdvisoryLockReleased(long key) throws SQLException {
    try (Connection c = admin.getConnection();
        Statement s = c.createStatement();
        PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_lock(?)");
        PreparedStatement unlock = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
      // Bounds a lock that is never released, which fails the test instead of hanging it.
      s.execute("SET lock_timeout = " + WAIT_MILLIS);
      lock.setLong(1, key);
      lock.executeQuery().close();
      unlock.setLong(1, key);
      unlock.executeQuery().close();
    }
  }

  /** The backends holding an advisory lock. */
  List<Integer> advisoryLockHolders() throws SQLException {
    List<Integer> pids = new ArrayList<>();
    try (Connection c = admin.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted")) {
      while (rs.next()) {
        pids.add(rs.getInt(1));
      }
    }
    return pids;
  }

  /** The job backends still connected, with the given application name. */
  List<Integer> backends(String applicationName) throws SQLException {
    List<Integer> pids = new ArrayList<>();
    try (Connection c = admin.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
      ps.setString(1, applicationName);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          pids.add(rs.getInt(1));
        }
      }
    }
    return pids;
  }

  /** Takes a session-level advisory lock on a connection the caller keeps open. */
  static boolean tryAdvisoryLock(Connection c, long key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      ps.setLong(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }
}
