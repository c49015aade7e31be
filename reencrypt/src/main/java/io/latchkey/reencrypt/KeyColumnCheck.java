package io.latchkey.reencrypt;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks, through the driver's {@link DatabaseMetaData}, that a key column can page its table by
 * keyset pagination without losing a row: declared {@code NOT NULL} (a {@code NULL} key is never
 * greater than the previous key, so its row would never be read), and unique on its own, by a
 * single-column primary key or a unique index on exactly that column without a condition (rows
 * sharing a key value at a page boundary would be skipped by {@code key > ?}).
 */
final class KeyColumnCheck {
  private KeyColumnCheck() {}

  /**
   * Returns what makes {@code keyColumn} unfit to page {@code table}, one reason per problem, each
   * naming the table and column; empty when it is fit.
   *
   * @param table the table as configured, optionally schema-qualified, unquoted
   * @param keyColumn the key column as configured, unquoted
   */
  static List<String> problems(Connection c, String table, String keyColumn) throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    int dot = table.indexOf('.');
    String schema = dot < 0 ? null : stored(md, table.substring(0, dot));
    String bare = stored(md, dot < 0 ? table : table.substring(dot + 1));
    String column = stored(md, keyColumn);
    String where = "key column " + keyColumn + " of table " + table;

    List<ColumnRow> found = columns(md, c, schema, bare, column);
    if (found.isEmpty()) {
      return List.of(
          where
              + " is not in the database's catalog (is the table a view?), so it cannot be shown"
              + " to be unique and never NULL; use a table's primary-key column");
    }
    Set<String> schemas = new LinkedHashSet<>();
    found.forEach(r -> schemas.add(String.valueOf(r.schema)));
    if (schemas.size() > 1) {
      return List.of(
          where + " is found in several schemas; qualify the table with its schema (schema.table)");
    }
    ColumnRow col = found.get(0);
    List<String> primaryKey = primaryKey(md, col);
    String hint =
        primaryKey.size() == 1 && !primaryKey.get(0).equalsIgnoreCase(col.column)
            ? "; use the primary-key column " + primaryKey.get(0).toLowerCase(Locale.ROOT)
            : primaryKey.size() == 1 ? "" : "; use a unique, NOT NULL column such as a primary key";

    List<String> problems = new ArrayList<>();
    if (col.nullable != DatabaseMetaData.columnNoNulls) {
      problems.add(
          where
              + " allows NULL: rows with a NULL key would never be read; declare it NOT NULL"
              + hint);
    }
    boolean unique =
        (primaryKey.size() == 1 && primaryKey.get(0).equalsIgnoreCase(col.column))
            || uniqueIndexOnExactly(md, col);
    if (!unique) {
      problems.add(
          where
              + " is not unique on its own (no primary key or unconditional unique index on"
              + " exactly that column): rows sharing a key value could be skipped between pages"
              + hint);
    }
    return problems;
  }

  /** Where the column was found, with the names as the database stores them. */
  private record ColumnRow(
      String catalog, String schema, String table, String column, int nullable) {}

  /** Unquoted identifiers are stored folded to one case by most databases. */
  private static String stored(DatabaseMetaData md, String identifier) throws SQLException {
    if (md.storesUpperCaseIdentifiers()) {
      return identifier.toUpperCase(Locale.ROOT);
    }
    if (md.storesLowerCaseIdentifiers()) {
      return identifier.toLowerCase(Locale.ROOT);
    }
    return identifier;
  }

  /**
   * Finds the column in the given schema, or, for an unqualified table, in the connection's current
   * schema first (where the unqualified SQL finds it on PostgreSQL and H2) and then in any.
   */
  private static List<ColumnRow> columns(
      DatabaseMetaData md, Connection c, String schema, String table, String column)
      throws SQLException {
    if (schema != null) {
      return columnsIn(md, c, schema, table, column);
    }
    String current = c.getSchema();
    if (current != null) {
      List<ColumnRow> rows = columnsIn(md, c, current, table, column);
      if (!rows.isEmpty()) {
        return rows;
      }
    }
    return columnsIn(md, c, null, table, column);
  }

  private static List<ColumnRow> columnsIn(
      DatabaseMetaData md, Connection c, String schema, String table, String column)
      throws SQLException {
    String escape = md.getSearchStringEscape();
    List<ColumnRow> rows = new ArrayList<>();
    try (ResultSet rs =
        md.getColumns(
            c.getCatalog(),
            schema == null ? null : pattern(schema, escape),
            pattern(table, escape),
            pattern(column, escape))) {
      while (rs.next()) {
        // Patterns match case-insensitively on some drivers and "_" may be unescapable: compare.
        if (table.equalsIgnoreCase(rs.getString("TABLE_NAME"))
            && column.equalsIgnoreCase(rs.getString("COLUMN_NAME"))) {
          rows.add(
              new ColumnRow(
                  rs.getString("TABLE_CAT"),
                  rs.getString("TABLE_SCHEM"),
                  rs.getString("TABLE_NAME"),
                  rs.getString("COLUMN_NAME"),
                  rs.getInt("NULLABLE")));
        }
      }
    }
    return rows;
  }

  /** Escapes the pattern characters of a metadata search, where the driver says how. */
  private static String pattern(String name, String escape) {
    if (escape == null || escape.isEmpty()) {
      return name;
    }
    return name.replace(escape, escape + escape)
        .replace("_", escape + "_")
        .replace("%", escape + "%");
  }

  /** The primary key's columns, in key order. */
  private static List<String> primaryKey(DatabaseMetaData md, ColumnRow col) throws SQLException {
    Map<Integer, String> columns = new TreeMap<>();
    try (ResultSet rs = md.getPrimaryKeys(col.catalog, col.schema, col.table)) {
      while (rs.next()) {
        columns.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
      }
    }
    return List.copyOf(columns.values());
  }

  /** Whether an unconditional unique index covers exactly the column. */
  private static boolean uniqueIndexOnExactly(DatabaseMetaData md, ColumnRow col)
      throws SQLException {
    Map<String, Set<String>> indexes = new LinkedHashMap<>();
    Set<String> partial = new LinkedHashSet<>();
    try (ResultSet rs = md.getIndexInfo(col.catalog, col.schema, col.table, true, false)) {
      while (rs.next()) {
        String index = rs.getString("INDEX_NAME");
        if (rs.getShort("TYPE") == DatabaseMetaData.tableIndexStatistic || index == null) {
          continue;
        }
        if (rs.getBoolean("NON_UNIQUE")) {
          continue;
        }
        String filter = rs.getString("FILTER_CONDITION");
        if (filter != null && !filter.isBlank()) {
          // A partial unique index (PostgreSQL's WHERE clause) leaves the other rows free.
          partial.add(index);
        }
        String name = rs.getString("COLUMN_NAME");
        // An expression index has no column name: it never equals the plain column.
        indexes
            .computeIfAbsent(index, k -> new LinkedHashSet<>())
            .add(name == null ? "" : name.toLowerCase(Locale.ROOT));
      }
    }
    String wanted = col.column.toLowerCase(Locale.ROOT);
    return indexes.entrySet().stream()
        .anyMatch(e -> !partial.contains(e.getKey()) && e.getValue().equals(Set.of(wanted)));
  }
}
