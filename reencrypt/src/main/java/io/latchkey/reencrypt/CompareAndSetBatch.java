package io.latchkey.reencrypt;

import io.latchkey.LatchkeyException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One page's updates, written as one JDBC batch of compare-and-set {@code UPDATE}s in one
 * transaction: an update count of 0 means the application changed the row meanwhile, and its value
 * is kept.
 *
 * @param <K> the type of row keys
 */
final class CompareAndSetBatch<K> {
  private final String name;
  private final String keyColumn;
  private final Statements sql;
  private final List<CiphertextUpdate<K>> batch;

  CompareAndSetBatch(
      String name, String keyColumn, Statements sql, List<CiphertextUpdate<K>> batch) {
    this.name = name;
    this.keyColumn = keyColumn;
    this.sql = sql;
    this.batch = batch;
  }

  /**
   * Writes the batch and commits it, or rolls it back and rethrows.
   *
   * @param retry whether an earlier attempt may have committed before its connection broke
   * @return for each update in order, whether the row now holds its replacement
   * @throws LatchkeyException if the driver's answer does not fit the batch, or an update matched
   *     more than one row (the key column is not unique)
   */
  List<Boolean> write(Connection c, boolean retry) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      int[] counts;
      try (PreparedStatement ps = c.prepareStatement(sql.update)) {
        for (CiphertextUpdate<K> u : batch) {
          ps.setString(1, u.replacement());
          ps.setObject(2, u.key());
          ps.setString(3, u.expected());
          ps.addBatch();
        }
        counts = ps.executeBatch();
      }
      if (counts.length != batch.size()) {
        throw new LatchkeyException(
            name
                + ": the driver answered "
                + counts.length
                + " counts for "
                + batch.size()
                + " updates");
      }
      List<Boolean> written = new ArrayList<>(batch.size());
      for (int i = 0; i < counts.length; i++) {
        CiphertextUpdate<K> u = batch.get(i);
        if (counts[i] == 1) {
          written.add(true);
        } else if (counts[i] > 1) {
          throw new LatchkeyException(
              name
                  + ": an update matched "
                  + counts[i]
                  + " rows; the key column "
                  + keyColumn
                  + " must be unique");
        } else if (counts[i] == 0 && !retry) {
          written.add(false);
        } else {
          // On a retry the first attempt may have committed before the connection broke (and a
          // driver may answer SUCCESS_NO_INFO): a replacement is a fresh token (random IV), so
          // finding it in the row means this job wrote it.
          written.add(u.replacement().equals(current(c, u.key())));
        }
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

  private String current(Connection c, K key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.selectCurrent)) {
      ps.setObject(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
