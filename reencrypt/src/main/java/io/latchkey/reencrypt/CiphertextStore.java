package io.latchkey.reencrypt;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where a {@link ReencryptionJob} reads and writes ciphertexts: a column of a SQL table ({@link
 * JdbcCiphertextStore}), or anything an application implements this interface for (a document
 * store, a key-value store, files).
 *
 * <p>The job reads the store in pages, in key order, by keyset pagination: each call to {@link
 * #page(Optional, int)} starts strictly after the last key of the previous page, so memory stays
 * flat however large the store is, and rows inserted or deleted during the run do not shift the
 * pages. It writes back with {@link #compareAndSet(List)}, which must not overwrite a value that
 * changed since it was read. It {@linkplain #count() counts} the rows before the first page and
 * after the last, and reports the run as clean only if both counts equal the rows it read: a store
 * that does not count can be re-encrypted, but its report is never clean.
 *
 * <p>Implementations should be safe to call from one thread at a time; the job never calls a store
 * concurrently.
 *
 * <pre>{@code
 * final class MapStore implements CiphertextStore<String> {
 *   private final ConcurrentNavigableMap<String, String> map = new ConcurrentSkipListMap<>();
 *
 *   public String name() {
 *     return "settings";
 *   }
 *
 *   public List<StoredCiphertext<String>> page(Optional<String> after, int limit) {
 *     var tail = after.isPresent() ? map.tailMap(after.get(), false) : map;
 *     return tail.entrySet().stream()
 *         .limit(limit)
 *         .map(e -> new StoredCiphertext<>(e.getKey(), e.getValue()))
 *         .toList();
 *   }
 *
 *   public List<Boolean> compareAndSet(List<CiphertextUpdate<String>> updates) {
 *     return updates.stream()
 *         .map(u -> map.replace(u.key(), u.expected(), u.replacement()))
 *         .toList();
 *   }
 *
 *   public OptionalLong count() {
 *     return OptionalLong.of(map.size());
 *   }
 * }
 * }</pre>
 *
 * @param <K> the type of row keys: unique, never {@code null}, ordered the same way by the store on
 *     every call, and equal by {@link Object#equals} to the same key read again, so not arrays (the
 *     job aborts a target whose keys are arrays)
 * @since 0.1
 */
public interface CiphertextStore<K> {

  /**
   * Returns a short name for reports and logs, such as {@code credentials.secret}.
   *
   * @return the name of this target; not blank
   */
  String name();

  /**
   * Returns the next rows in key order, strictly after {@code after}.
   *
   * <p>A stored {@code NULL} or empty value is returned as a row whose {@linkplain
   * StoredCiphertext#ciphertext() ciphertext} is the empty string.
   *
   * @param after the last key already read; empty to start from the first row
   * @param limit the most rows to return; positive
   * @return at most {@code limit} rows in ascending key order, all with keys after {@code after};
   *     an empty list when no row is left
   * @throws io.latchkey.LatchkeyException if the store cannot be read; the message names the store
   *     and never contains a stored value
   */
  List<StoredCiphertext<K>> page(Optional<K> after, int limit);

  /**
   * Writes each replacement only where the row still holds the expected ciphertext.
   *
   * <p>An update whose row changed (or disappeared) since it was read is not written: the
   * application's newer value wins. Implementations may write the updates of one call in one
   * transaction.
   *
   * @param updates the writes to attempt, each for a distinct key
   * @return one element per update, in the same order: {@code true} if it was written, {@code
   *     false} if the row no longer held the expected ciphertext
   * @throws io.latchkey.LatchkeyException if the store cannot be written; the message names the
   *     store and never contains a stored value
   */
  List<Boolean> compareAndSet(List<CiphertextUpdate<K>> updates);

  /**
   * Returns the number of rows, for progress reports and for the report's check that every row was
   * read.
   *
   * <p>The job calls it before its first page and after its last; a report is clean only if both
   * answers equal the rows the pages returned. A store that returns empty (the default) can still
   * be re-encrypted, but its report is never clean, since nothing shows that its pages covered
   * every row.
   *
   * @return the number of rows {@link #page(Optional, int)} would return overall if called now, or
   *     empty when unknown (the default)
   */
  default OptionalLong count() {
    return OptionalLong.empty();
  }

  /**
   * Takes the lock that keeps two re-encryption jobs off this target at once, failing at once if
   * another job holds it.
   *
   * <p>The default is a lock within this JVM, keyed by the store's class and {@linkplain #name()
   * name}. An application that runs jobs from several processes overrides this with a lock they
   * share (a database advisory lock, a lease in its own store).
   *
   * @return the lock, to be closed when the job ends
   * @throws io.latchkey.LatchkeyException if another job holds the lock
   */
  default Lock lock() {
    return LocalLocks.acquire(getClass().getName() + "|" + name(), name());
  }

  /** A held lock on a target; closing it releases the lock, and closing it again does nothing. */
  interface Lock extends AutoCloseable {
    /** Releases the lock. */
    @Override
    void close();
  }
}
