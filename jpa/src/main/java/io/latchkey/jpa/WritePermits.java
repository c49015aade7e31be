package io.latchkey.jpa;

import java.util.ArrayList;
import java.util.List;

/**
 * The encrypted values an entity's INSERT or UPDATE is about to bind, granted by {@link RowBinding}
 * just before Hibernate binds them on the same thread, each with its row's id. A value bound
 * without a permit is a query parameter, which is refused.
 *
 * <p>Permits are matched by identity, not by content, so a query parameter equal to an entity's
 * value is still refused; they are cleared before and after every entity write.
 */
final class WritePermits {
  private static final ThreadLocal<List<Permit>> PERMITS = ThreadLocal.withInitial(ArrayList::new);

  /** The id of a permit granted for a row whose id is not part of the associated data. */
  static final Object NO_ID = new Object();

  private record Permit(Object column, Object value, Object id) {}

  private WritePermits() {}

  static void grant(Object column, Object value, Object id) {
    PERMITS.get().add(new Permit(column, value, id == null ? NO_ID : id));
  }

  /**
   * Takes the permit for a value of a column, returning its row id, {@link #NO_ID}, or {@code null}
   * when there is none.
   */
  static Object take(Object column, Object value) {
    List<Permit> permits = PERMITS.get();
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
    PERMITS.get().clear();
  }
}
