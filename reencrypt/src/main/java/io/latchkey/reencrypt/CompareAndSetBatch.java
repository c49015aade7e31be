package io.latchkey.reencrypt;

import io.latchkey.LatchkeyException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One page's updates, written in one transaction as a compare-and-set per row: the rows' values are
 * read under row locks ({@code SELECT k, ct ... WHERE k IN (...) FOR UPDATE}, one statement per
 * {@value #KEYS_PER_READ} keys) and compared in Java, then the rows that still hold what the job
 * read are updated by key in one JDBC batch. A row whose value changed is left with the
 * application's value.
 *
 * <p>The comparison is Java's, exact to the character, because SQL's is the column's collation: on
 * a case- or pad-insensitive column {@code ct = ?} matches a value the application changed from
 * {@code abc} to {@code ABC} or {@code abc }, and the job would overwrite it.
 *
 * <p>Before the commit, the updated rows are read again with the same statement, and each must hold
 * exactly the token written: an update count says a row was touched, not what it now holds, and a
 * column that pads, cuts or converts what it is given (a fixed-width {@code CHAR}, MySQL without
 * strict mode, a trigger) would otherwise commit a value that no longer decrypts while the report
 * counted it as rotated. A mismatch rolls the whole batch back and fails it.
 *
 * @param <K> the type of row keys
 */
final class CompareAndSetBatch<K> {
  /**
   * The most keys one read names: a page may hold 10,000 rows, and SQLite before 3.32 takes at most
   * 999 parameters in a statement.
   */
  static final int KEYS_PER_READ = 500;

  /** Reads a row's key from the first column, as the page that the job read it from did. */
  @FunctionalInterface
  interface KeyReader<K> {
    K read(ResultSet rs) throws SQLException;
  }

  private final String name;
  private final String table;
  private final String keyColumn;
  private final String ciphertextColumn;
  private final Statements sql;
  private final KeyReader<K> keys;
  private final List<CiphertextUpdate<K>> batch;

  CompareAndSetBatch(
      String name,
      String table,
      String keyColumn,
      String ciphertextColumn,
      Statements sql,
      KeyReader<K> keys,
      List<CiphertextUpdate<K>> batch) {
    this.name = name;
    this.table = table;
    this.keyColumn = keyColumn;
    this.ciphertextColumn = ciphertextColumn;
    this.sql = sql;
    this.keys = keys;
    this.batch = batch;
  }

  /**
   * Writes the batch and commits it, or rolls it back and rethrows.
   *
   * @param retry whether an earlier attempt may have committed before its connection broke
   * @return for each update in order, whether the row now holds its replacement
   * @throws LatchkeyException if the driver's answer does not fit the batch, a key matched more
   *     than one row (the key column is not unique), or a written row does not read back as exactly
   *     the token written (the batch is then rolled back)
   */
  List<Boolean> write(Connection c, boolean retry) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      List<Boolean> written = new ArrayList<>(Collections.nCopies(batch.size(), false));
      List<Integer> all = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        all.add(i);
      }
      List<Integer> matching = new ArrayList<>(batch.size());
      Map<K, String> current = currentValues(c, all);
      for (int i = 0; i < batch.size(); i++) {
        CiphertextUpdate<K> u = batch.get(i);
        String value = current.get(u.key());
        if (value == null) {
          continue; // deleted since it was read: nothing to keep, nothing to write
        }
        if (value.equals(u.expected())) {
          matching.add(i);
        } else if (retry && value.equals(u.replacement())) {
          // The first attempt committed before its connection broke: a replacement is a fresh
          // token (random IV), so finding it in the row means this job wrote it.
          written.set(i, true);
        }
      }
      if (!matching.isEmpty()) {
        readBack(c, matching, update(c, matching), written);
      }
      c.commit();
      return written;
    } catch (SQLException | RuntimeException e) {
      SqlErrors.rollbackQuietly(c);
      throw e;
    } finally {
      SqlErrors.restoreAutoCommit(c, autoCommit);
    }
  }

  /** Runs the updates of the matching rows in one JDBC batch; returns the driver's counts. */
  private int[] update(Connection c, List<Integer> matching) throws SQLException {
    int[] counts;
    try (PreparedStatement ps = c.prepareStatement(sql.update)) {
      for (int i : matching) {
        CiphertextUpdate<K> u = batch.get(i);
        ps.setString(1, u.replacement());
        ps.setObject(2, u.key());
        ps.addBatch();
      }
      counts = ps.executeBatch();
    }
    if (counts.length != matching.size()) {
      throw new LatchkeyException(
          name
              + ": the driver answered "
              + counts.length
              + " counts for "
              + matching.size()
              + " updates");
    }
    for (int count : counts) {
      if (count > 1) {
        throw notUnique(count);
      }
    }
    return counts;
  }

  /**
   * Reads the updated rows again, in the write transaction, and marks written each that holds
   * exactly its replacement. A row the update did not reach (a count of 0, or no count, and the row
   * still holds what was read, or is gone) is not written, as before. Any other row holds neither:
   * the database changed the value on its way in, so the batch must not be committed.
   */
  private void readBack(Connection c, List<Integer> matching, int[] counts, List<Boolean> written)
      throws SQLException {
    Map<K, String> stored = currentValues(c, matching);
    int altered = 0;
    for (int j = 0; j < matching.size(); j++) {
      int i = matching.get(j);
      CiphertextUpdate<K> u = batch.get(i);
      String value = stored.get(u.key());
      if (u.replacement().equals(value)) {
        written.set(i, true);
      } else if (counts[j] == 1 || (value != null && !value.equals(u.expected()))) {
        altered++;
      }
    }
    if (altered > 0) {
      throw new LatchkeyException(
          name
              + ": "
              + ReencryptionReport.rows(altered)
              + " of a batch of "
              + matching.size()
              + " did not read back as the token written to column "
              + ciphertextColumn
              + " of table "
              + table
              + " (does the column pad, cut or convert what it is given?); the batch was rolled"
              + " back, so its rows still hold what they held");
    }
  }

  /**
   * The values of the batch's rows at the given indices by key, with {@code NULL} as the empty
   * string, locked until the transaction ends; a row deleted since the page was read is absent.
   */
  private Map<K, String> currentValues(Connection c, List<Integer> indices) throws SQLException {
    boolean lock = !isSqlite(c);
    Map<K, String> values = new HashMap<>();
    for (int from = 0; from < indices.size(); from += KEYS_PER_READ) {
      int to = Math.min(indices.size(), from + KEYS_PER_READ);
      try (PreparedStatement ps = c.prepareStatement(sql.selectIn(to - from, lock))) {
        for (int j = from; j < to; j++) {
          ps.setObject(j - from + 1, batch.get(indices.get(j)).key());
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String value = rs.getString(2);
            if (values.put(keys.read(rs), value == null ? "" : value) != null) {
              throw notUnique(2);
            }
          }
        }
      }
    }
    return values;
  }

  private LatchkeyException notUnique(int rows) {
    return new LatchkeyException(
        name
            + ": a key matched "
            + (rows > 2 ? Integer.toString(rows) : "more than one")
            + " rows; the key column "
            + keyColumn
            + " must be unique");
  }

  private static boolean isSqlite(Connection c) throws SQLException {
    return "SQLite".equalsIgnoreCase(c.getMetaData().getDatabaseProductName());
  }
}
