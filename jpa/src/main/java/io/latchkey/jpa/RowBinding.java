package io.latchkey.jpa;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.engine.spi.TransactionCompletionCallbacks.AfterCompletionCallback;
import org.hibernate.event.spi.PostInsertEvent;
import org.hibernate.event.spi.PostInsertEventListener;
import org.hibernate.event.spi.PostUpdateEvent;
import org.hibernate.event.spi.PostUpdateEventListener;
import org.hibernate.event.spi.PreInsertEvent;
import org.hibernate.event.spi.PreInsertEventListener;
import org.hibernate.event.spi.PreLoadEvent;
import org.hibernate.event.spi.PreLoadEventListener;
import org.hibernate.event.spi.PreUpdateEvent;
import org.hibernate.event.spi.PreUpdateEventListener;
import org.hibernate.persister.entity.EntityPersister;

/**
 * The Hibernate events around an entity's encrypted attributes: just before an INSERT or UPDATE, it
 * grants the values about to be bound a {@linkplain WritePermits permit} carrying the row's id;
 * when a row is read, it decrypts the row-bound values with the id, before Hibernate hands the
 * state to the entity and keeps it as the snapshot its dirty check compares with.
 */
final class RowBinding
    implements PreInsertEventListener,
        PreUpdateEventListener,
        PreLoadEventListener,
        PostInsertEventListener,
        PostUpdateEventListener {
  private static final long serialVersionUID = 1L;

  /** An encrypted attribute: its name, the object that takes its permits, and its type if ours. */
  record Column(String attribute, Object handle, EncryptedType type) {
    boolean isBoundToId() {
      return type != null && type.cipher().isBoundToId();
    }
  }

  private record Plan(int[] positions, Column[] columns) {
    static final Plan NONE = new Plan(new int[0], new Column[0]);
  }

  private static final AfterCompletionCallback DROP_PERMITS =
      (successful, session) -> WritePermits.drop();

  private final transient Map<String, List<Column>> byEntity;
  private final transient ConcurrentMap<EntityPersister, Plan> plans = new ConcurrentHashMap<>();

  RowBinding(Map<String, List<Column>> byEntity) {
    this.byEntity = Map.copyOf(byEntity);
  }

  private Plan plan(EntityPersister persister) {
    return plans.computeIfAbsent(
        persister,
        p -> {
          List<Column> columns = byEntity.get(p.getEntityName());
          if (columns == null) {
            return Plan.NONE;
          }
          int[] positions = new int[columns.size()];
          for (int i = 0; i < positions.length; i++) {
            positions[i] =
                p.findAttributeMapping(columns.get(i).attribute()).getStateArrayPosition();
          }
          return new Plan(positions, columns.toArray(new Column[0]));
        });
  }

  @Override
  public boolean onPreInsert(PreInsertEvent event) {
    grant(plan(event.getPersister()), event.getState(), event.getId(), event.getSession());
    return false;
  }

  @Override
  public boolean onPreUpdate(PreUpdateEvent event) {
    grant(plan(event.getPersister()), event.getState(), event.getId(), event.getSession());
    return false;
  }

  private static void grant(
      Plan plan, Object[] state, Object id, SharedSessionContractImplementor session) {
    WritePermits.clear();
    if (plan.positions.length == 0) {
      return;
    }
    // A write that fails before its Post event (a constraint violation, a value refused half-way)
    // would leave permits, which hold plaintexts, on the thread until its next write.
    if (WritePermits.droppedAtEndOf(session)) {
      session.getTransactionCompletionCallbacks().registerCallback(DROP_PERMITS);
    }
    for (int i = 0; i < plan.positions.length; i++) {
      Object value = state[plan.positions[i]];
      if (value != null) {
        Column c = plan.columns[i];
        WritePermits.grant(c.handle(), value, c.isBoundToId() ? id : null);
      }
    }
  }

  @Override
  public void onPostInsert(PostInsertEvent event) {
    WritePermits.clear();
  }

  @Override
  public void onPostUpdate(PostUpdateEvent event) {
    WritePermits.clear();
  }

  @Override
  public void onPreLoad(PreLoadEvent event) {
    Plan plan = plan(event.getPersister());
    Object[] state = event.getState();
    for (int i = 0; i < plan.positions.length; i++) {
      if (state[plan.positions[i]] instanceof Sealed sealed) {
        state[plan.positions[i]] = plan.columns[i].type().open(sealed, event.getId());
      }
    }
  }
}
