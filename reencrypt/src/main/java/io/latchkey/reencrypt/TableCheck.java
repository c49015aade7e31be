package io.latchkey.reencrypt;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a JDBC store checks before it reads anything: that the table and both columns exist, that
 * the ciphertext column holds characters, that the key column can page the table ({@link
 * KeyColumnCheck}), and that the filter is a valid condition. Each probe is a query that returns no
 * row.
 */
final class TableCheck {
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

  private final String name;
  private final String table;
  private final String keyColumn;
  private final String ciphertextColumn;
  private final boolean filtered;
  private final Statements sql;

  /**
   * @param name the target's name, which every problem is reported under
   * @param filtered whether the store has a filter, which is then checked too
   * @param sql the store's statements, whose probes the checks run
   */
  TableCheck(
      String name,
      String table,
      String keyColumn,
      String ciphertextColumn,
      boolean filtered,
      Statements sql) {
    this.name = name;
    this.table = table;
    this.keyColumn = keyColumn;
    this.ciphertextColumn = ciphertextColumn;
    this.filtered = filtered;
    this.sql = sql;
  }

  /**
   * Runs every check on the connection, in auto-commit so that a failed probe cannot abort a
   * transaction the later probes run in.
   *
   * @throws ConfigException naming the table and each column that fails
   * @throws SQLException if the connection was lost, for the caller to retry
   */
  void run(Connection c) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(true);
    try {
      checkSchema(c);
    } finally {
      SqlErrors.restoreAutoCommit(c, autoCommit);
    }
  }

  private void checkSchema(Connection c) throws SQLException {
    SQLException tableError = probe(c, sql.probeTable);
    if (tableError != null) {
      throw new ConfigException(
          name,
          "table "
              + table
              + " does not exist or cannot be read ("
              + SqlErrors.describe(tableError)
              + ")");
    }
    List<Problem> problems = new ArrayList<>();
    SQLException keyError = probe(c, sql.probeKey);
    if (keyError != null) {
      problems.add(new Problem(name, "key column " + keyColumn + missingFrom(keyError)));
    } else {
      KeyColumnCheck.problems(c, table, keyColumn).forEach(p -> problems.add(new Problem(name, p)));
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql.probeCiphertext)) {
      int type = rs.getMetaData().getColumnType(1);
      if (NON_CHARACTER_TYPES.contains(type)) {
        problems.add(
            new Problem(
                name,
                "ciphertext column "
                    + ciphertextColumn
                    + " has type "
                    + rs.getMetaData().getColumnTypeName(1)
                    + "; expected a character type such as VARCHAR or TEXT"));
      }
    } catch (SQLException e) {
      if (SqlErrors.isTransient(e)) {
        throw e;
      }
      problems.add(new Problem(name, "ciphertext column " + ciphertextColumn + missingFrom(e)));
    }
    if (filtered && problems.isEmpty()) {
      SQLException filterError = probe(c, sql.probeFilter);
      if (filterError != null) {
        problems.add(
            new Problem(
                name,
                "filter is not a valid condition on table "
                    + table
                    + " ("
                    + SqlErrors.describe(filterError)
                    + ")"));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  private String missingFrom(SQLException e) {
    return " does not exist in table " + table + " (" + SqlErrors.describe(e) + ")";
  }

  /** Runs a query that returns no row; returns its error, or rethrows it if it is transient. */
  private static SQLException probe(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeQuery(sql).close();
      return null;
    } catch (SQLException e) {
      if (SqlErrors.isTransient(e)) {
        throw e;
      }
      return e;
    }
  }
}
