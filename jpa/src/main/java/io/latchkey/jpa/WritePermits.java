package io.latchkey.jpa;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The encrypted values an entity's INSERT or UPDATE is about to bind, granted by {@link RowBinding}
 * just before Hibernate binds them on the same thread, each with its row's id. A value bound
 * without a permit is a query parameter, which is refused.
 *
 * <p>Permits are matched by identity, not by content, so a query parameter equal to an entity's
 * value is still refused; they are cleared before and after every entity write, and dropped when
 * the transaction ends, so that a write that failed half-way leaves no plaintext reachable from a
 * pooled thread.
 */
final class WritePermits {
  private static final ThreadLocal<Held> HELD = ThreadLocal.withInitial(Held::new);

  /** The id of a permit granted for a row whose id is not part of the associated data. */
  static final Object NO_ID = new Object();

  private record Permit(Object column, Object value, Object id) {}

  /** A thread's permits, and the session whose transaction will drop them when it ends. */
  private static final class Held {
    final List<Permit> permits = new ArrayList<>();
    // Weak: a session abandoned without ending its transaction must not be kept alive by a thread.
    WeakReference<Object> droppedBy;
  }

  private WritePermits() {}

  static void grant(Object column, Object value, Object id) {
    HELD.get().permits.add(new Permit(column, value, id == null ? NO_ID : id));
  }

  /**
   * Takes the permit for a value of a column, returning its row id, {@link #NO_ID}, or {@code null}
   * when there is none.
   */
  static Object take(Object column, Object value) {
    List<Permit> permits = HELD.get().permits;
    for (int i = 0; i < permits.size(); i++) {
      Permit p = permits.get(i);
      if (p.column == column && p.value == value) {
        permits.remove(i);
        return p.id;
      }
    }
    return null;
  }

  static void clear() {
    HELD.get().permits.clear();
  }

  /**
   * Notes that {@code session}'s transaction will {@linkplain #drop() drop} this thread's permits;
   * returns {@code false} when it already will, so that a flush of many rows asks once.
   */
  static boolean droppedAtEndOf(Object session) {
    Held held = HELD.get();
    if (held.droppedBy != null && held.droppedBy.get() == session) {
      return false;
    }
    held.droppedBy = new WeakReference<>(session);
    return true;
  }

  /** Forgets this thread's permits altogether, at the end of a transaction. */
  static void drop() {
    HELD.remove();
  }

  /** Tells whether this thread holds a permit; for tests. */
  static boolean isEmpty() {
    return HELD.get().permits.isEmpty();
  }
}
