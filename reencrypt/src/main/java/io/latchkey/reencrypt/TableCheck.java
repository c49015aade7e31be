package io.latchkey.reencrypt;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a JDBC store checks before it reads anything: that the table and both columns exist, that
 * the ciphertext column holds characters and is not fixed-width, that the key column is not read as
 * an array and can page the table ({@link KeyColumnCheck}), and that the filter is a valid
 * condition. Each probe is a query that returns no row.
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

  /**
   * Fixed-width character types: the database pads a shorter value with spaces (and may cut a
   * longer one), so a token of another length than the ones stored, such as an AES-GCM token
   * replacing a Fernet one, would not read back as written.
   */
  private static final Set<Integer> FIXED_WIDTH_TYPES = Set.of(Types.CHAR, Types.NCHAR);

  /**
   * Key column types whose values a driver reads as byte arrays or other objects that equal only
   * themselves; H2 reports {@code UUID} as {@code BINARY} too, but reads it as a {@code UUID}.
   */
  private static final Set<Integer> BINARY_TYPES =
      Set.of(Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB, Types.ARRAY);

  private final String name;
  private final String table;
  private final String keyColumn;
  private final Class<?> keyType;
  private final String ciphertextColumn;
  private final boolean filtered;
  private final Statements sql;

  /**
   * @param name the target's name, which every problem is reported under
   * @param keyType the Java type the store reads keys as
   * @param filtered whether the store has a filter, which is then checked too
   * @param sql the store's statements, whose probes the checks run
   */
  TableCheck(
      String name,
      String table,
      String keyColumn,
      Class<?> keyType,
      String ciphertextColumn,
      boolean filtered,
      Statements sql) {
    this.name = name;
    this.table = table;
    this.keyColumn = keyColumn;
    this.keyType = keyType;
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
    String keyWhere = "key column " + keyColumn + " of table " + table;
    if (keyType.isArray()) {
      problems.add(
          new Problem(
              name,
              keyWhere
                  + " is read as "
                  + keyType.getSimpleName()
                  + ", an array: an array equals only itself, so no row read could be matched"
                  + " for writing back; read keys as Long, String, UUID or another value type"));
    }
    boolean keyFound = false;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql.probeKey)) {
      ResultSetMetaData md = rs.getMetaData();
      if (isBinary(md.getColumnType(1), md.getColumnClassName(1))) {
        problems.add(
            new Problem(
                name,
                keyWhere
                    + " has type "
                    + md.getColumnTypeName(1)
                    + ", whose values are read as byte arrays or other objects that equal only"
                    + " themselves, so no row read could be matched for writing back; use a key"
                    + " column of a number, text or UUID type, such as the primary key"));
      }
      keyFound = true;
    } catch (SQLException e) {
      if (SqlErrors.isTransient(e)) {
        throw e;
      }
      problems.add(new Problem(name, "key column " + keyColumn + missingFrom(e)));
    }
    if (keyFound) {
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
      } else if (FIXED_WIDTH_TYPES.contains(type)) {
        problems.add(
            new Problem(
                name,
                "ciphertext column "
                    + ciphertextColumn
                    + " of table "
                    + table
                    + " has type "
                    + rs.getMetaData().getColumnTypeName(1)
                    + ", which is fixed-width: the database pads a shorter token with spaces (or"
                    + " cuts a longer one), so a token of another length would not read back as"
                    + " written; use a variable-width type such as VARCHAR or TEXT"));
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

  /**
   * Whether a key column's values are byte arrays (or large objects, or SQL arrays): by the class
   * the driver says it reads them as where it says one, else by the column's JDBC type.
   */
  private static boolean isBinary(int type, String className) {
    if (className != null && (className.startsWith("[") || className.equals("java.sql.Blob"))) {
      return true;
    }
    return BINARY_TYPES.contains(type) && !"java.util.UUID".equals(className);
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
