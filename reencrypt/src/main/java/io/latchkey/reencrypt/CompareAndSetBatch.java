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
import java.util.Optional;

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
  private final String keyColumn;
  private final Statements sql;
  private final KeyReader<K> keys;
  private final List<CiphertextUpdate<K>> batch;

  CompareAndSetBatch(
      String name,
      String keyColumn,
      Statements sql,
      KeyReader<K> keys,
      List<CiphertextUpdate<K>> batch) {
    this.name = name;
    this.keyColumn = keyColumn;
    this.sql = sql;
    this.keys = keys;
    this.batch = batch;
  }

  /**
   * Writes the batch and commits it, or rolls it back and rethrows.
   *
   * @param retry whether an earlier attempt may have committed before its connection broke
   * @return for each update in order, whether the row now holds its replacement
   * @throws LatchkeyException if the driver's answer does not fit the batch, or a key matched more
   *     than one row (the key column is not unique)
   */
  List<Boolean> write(Connection c, boolean retry) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      List<Boolean> written = new ArrayList<>(Collections.nCopies(batch.size(), false));
      List<Integer> matching = new ArrayList<>(batch.size());
      Map<K, String> current = currentValues(c);
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
        update(c, matching, written);
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

  private void update(Connection c, List<Integer> matching, List<Boolean> written)
      throws SQLException {
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
    for (int j = 0; j < counts.length; j++) {
      int i = matching.get(j);
      if (counts[j] > 1) {
        throw notUnique(counts[j]);
      }
      if (counts[j] == 1) {
        written.set(i, true);
      } else {
        // SUCCESS_NO_INFO, or a row gone despite the lock: the row says what happened.
        try (PreparedStatement ps = c.prepareStatement(sql.selectCurrent)) {
          written.set(
              i, current(ps, batch.get(i).key()).equals(Optional.of(batch.get(i).replacement())));
        }
      }
    }
  }

  /**
   * The batch's rows' values by key, with {@code NULL} as the empty string, locked until the
   * transaction ends; a row deleted since the page was read is absent.
   */
  private Map<K, String> currentValues(Connection c) throws SQLException {
    boolean lock = !isSqlite(c);
    Map<K, String> values = new HashMap<>();
    for (int from = 0; from < batch.size(); from += KEYS_PER_READ) {
      int to = Math.min(batch.size(), from + KEYS_PER_READ);
      try (PreparedStatement ps = c.prepareStatement(sql.selectIn(to - from, lock))) {
        for (int i = from; i < to; i++) {
          ps.setObject(i - from + 1, batch.get(i).key());
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

  /** The row's value, with {@code NULL} as the empty string; empty if no row has the key. */
  private Optional<String> current(PreparedStatement ps, K key) throws SQLException {
    ps.setObject(1, key);
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      String value = rs.getString(1);
      if (rs.next()) {
        throw notUnique(2);
      }
      return Optional.of(value == null ? "" : value);
    }
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
