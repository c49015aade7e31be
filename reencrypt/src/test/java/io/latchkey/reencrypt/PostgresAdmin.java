package io.latchkey.reencrypt;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/** What an operator does to a PostgreSQL server from their own session, for the tests. */
final class PostgresAdmin {
  /** The {@code ApplicationName} the tests give the job's connections. */
  static final String JOB_APPLICATION = "latchkey-reencrypt-job";

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
   * Terminates a job backend, as {@code pg_terminate_backend} from psql would, and waits for it.
   */
  void terminate(int pid) throws SQLException, InterruptedException {
    try (Connection c = admin.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE application_name = ? AND pid = ?")) {
      ps.setString(1, JOB_APPLICATION);
      ps.setInt(2, pid);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || !rs.getBoolean(1)) {
          throw new AssertionError("backend " + pid + " is not a job backend");
        }
      }
      awaitGone(c, List.of(pid));
    }
  }

  /** Waits until none of the given backends is listed any more. */
  static void awaitGone(Connection c, List<Integer> pids)
      throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try (PreparedStatement ps =
        c.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("int4", pids.toArray()));
      while (true) {
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getInt(1) == 0) {
            return;
          }
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("backends " + pids + " are still running");
        }
        Thread.sleep(10);
      }
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
