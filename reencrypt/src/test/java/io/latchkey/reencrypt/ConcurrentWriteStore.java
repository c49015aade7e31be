package io.latchkey.reencrypt;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * A store through which the application writes one row between the job's read of the page that
 * holds it and the job's write: the write runs, once, right after that page is read.
 */
final class ConcurrentWriteStore extends ForwardingStore<Long> {
  /** The application's write, through its own connection. */
  interface Write {
    void run() throws SQLException;
  }

  private final long key;
  private final Write write;
  private boolean written;

  ConcurrentWriteStore(CiphertextStore<Long> delegate, long key, Write write) {
    super(delegate);
    this.key = key;
    this.write = write;
  }

  @Override
  public List<StoredCiphertext<Long>> page(Optional<Long> after, int limit) {
    List<StoredCiphertext<Long>> rows = super.page(after, limit);
    if (!written && rows.stream().anyMatch(r -> r.key() == key)) {
      written = true;
      try {
        write.run();
      } catch (SQLException e) {
        throw new AssertionError(e);
      }
    }
    return rows;
  }
}
