package io.latchkey.reencrypt;

/**
 * The SQL a JDBC store runs on its target, filled in once. The identifiers were checked by the
 * builder, and the filter is trusted SQL from the operator; {@code k} is the key column, {@code ct}
 * the ciphertext column and {@code t} the table.
 */
final class Statements {
  /** The first page: {@code SELECT k, ct FROM t WHERE [(filter) AND] k IS NOT NULL ...}. */
  final String selectFirst;

  /** A later page: {@code SELECT k, ct FROM t WHERE [(filter) AND] k > ? ORDER BY k LIMIT ?}. */
  final String selectAfter;

  /** The set half, once Java compared the value: {@code UPDATE t SET ct = ? WHERE k = ?}. */
  final String update;

  /** Every row the filter matches. */
  final String countRows;

  // Probes: queries that return no row, run to check the table, the columns and the filter.
  final String probeTable;
  final String probeKey;
  final String probeCiphertext;
  final String probeFilter;

  private final String table;
  private final String keyColumn;
  private final String ciphertextColumn;
  private final String where;

  /**
   * @param filter a SQL condition restricting the rows, or null for every row
   */
  Statements(String table, String keyColumn, String ciphertextColumn, String filter) {
    this.table = table;
    this.keyColumn = keyColumn;
    this.ciphertextColumn = ciphertextColumn;
    // A newline before the closing parenthesis ends any line comment in the filter.
    this.where = filter == null ? "" : "(" + filter + "\n) AND ";
    this.selectFirst =
        fill("SELECT {k}, {ct} FROM {t} WHERE {w}{k} IS NOT NULL ORDER BY {k} LIMIT ?");
    this.selectAfter = fill("SELECT {k}, {ct} FROM {t} WHERE {w}{k} > ? ORDER BY {k} LIMIT ?");
    this.update = fill("UPDATE {t} SET {ct} = ? WHERE {k} = ?");
    this.countRows = fill("SELECT COUNT(*) FROM {t} WHERE {w}1 = 1");
    this.probeTable = fill("SELECT 1 FROM {t} WHERE 1 = 0");
    this.probeKey = fill("SELECT {k} FROM {t} WHERE 1 = 0");
    this.probeCiphertext = fill("SELECT {ct} FROM {t} WHERE 1 = 0");
    this.probeFilter = fill("SELECT 1 FROM {t} WHERE {w}1 = 0");
  }

  /**
   * Several rows' keys and ciphertexts, for the compare half of the compare-and-set: {@code SELECT
   * k, ct FROM t WHERE k IN (?, ...)}, with {@code FOR UPDATE} when {@code lock} is true, so that
   * the rows stay as read until the write transaction ends; run again after the updates, in the
   * same transaction, to check what the rows hold before the commit. SQLite has no {@code FOR
   * UPDATE} and needs none: it lets no other connection commit between a write transaction's read
   * and its write.
   */
  String selectIn(int keys, boolean lock) {
    StringBuilder s = new StringBuilder(fill("SELECT {k}, {ct} FROM {t} WHERE {k} IN ("));
    for (int i = 0; i < keys; i++) {
      s.append(i == 0 ? "?" : ", ?");
    }
    return s.append(lock ? ") FOR UPDATE" : ")").toString();
  }

  private String fill(String template) {
    return template
        .replace("{t}", table)
        .replace("{k}", keyColumn)
        .replace("{ct}", ciphertextColumn)
        .replace("{w}", where);
  }
}
