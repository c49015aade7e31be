package io.latchkey.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.io.Serializable;
import java.util.Objects;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.OptimisticLock;
import org.hibernate.annotations.OptimisticLockType;
import org.hibernate.annotations.OptimisticLocking;

/**
 * Entities whose ids or locking do not fit a row-bound or encrypted attribute, and their workable
 * neighbours.
 */
final class Refused {
  private Refused() {}

  /** A composite key with no {@code toString()}: it prints as its class and hash. */
  @Embeddable
  static class Key implements Serializable {
    private static final long serialVersionUID = 1L;

    String tenant;
    String name;

    Key() {}

    Key(String tenant, String name) {
      this.tenant = tenant;
      this.name = name;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.tenant.equals(tenant) && k.name.equals(name);
    }

    @Override
    public int hashCode() {
      return Objects.hash(tenant, name);
    }
  }

  /** A record key, whose text is ambiguous when a part holds its separators. */
  @Embeddable
  record RecordKey(String a, String b) implements Serializable {}

  @Entity
  @Table(name = "composite_rows")
  static class ByEmbeddedId {
    @EmbeddedId Key id;

    @Encrypted(boundToId = true)
    @Column(name = "secret", length = 512)
    String secret;
  }

  @Entity
  @Table(name = "record_rows")
  static class ByRecordId {
    @EmbeddedId RecordKey id;

    @Encrypted(boundToId = true)
    @Column(name = "secret", length = 512)
    String secret;
  }

  @Entity
  @IdClass(Key.class)
  @Table(name = "id_class_rows")
  static class ByIdClass {
    @Id String tenant;
    @Id String name;

    @Encrypted(boundToId = true)
    @Column(name = "secret", length = 512)
    String secret;
  }

  /** Bound to its table and column only: a composite id is no concern. */
  @Entity
  @Table(name = "composite_column_rows")
  static class ColumnBoundByEmbeddedId {
    @EmbeddedId Key id;

    @Encrypted
    @Column(name = "secret", length = 512)
    String secret;
  }

  @Entity
  @OptimisticLocking(type = OptimisticLockType.ALL)
  @DynamicUpdate
  @Table(name = "locked_all")
  static class LockedAll {
    @Id Long id;

    String label;

    @Encrypted
    @Column(name = "secret", length = 512)
    String secret;
  }

  @Entity
  @OptimisticLocking(type = OptimisticLockType.DIRTY)
  @DynamicUpdate
  @Table(name = "locked_dirty")
  static class LockedDirty {
    @Id Long id;

    @Encrypted
    @Column(name = "secret", length = 512)
    String secret;
  }

  /** Locked by every column but the encrypted one, which is left out of the comparison. */
  @Entity
  @OptimisticLocking(type = OptimisticLockType.ALL)
  @DynamicUpdate
  @Table(name = "locked_excluded")
  static class LockedExcluded {
    @Id Long id;

    String label;

    @OptimisticLock(excluded = true)
    @Encrypted
    @Column(name = "secret", length = 512)
    String secret;
  }

  /** Labels are unique, so a write can fail on the database after its permits were granted. */
  @Entity
  @DynamicUpdate
  @Table(name = "labelled", uniqueConstraints = @UniqueConstraint(columnNames = "label"))
  static class Labelled {
    @Id Long id;

    @Column(name = "label")
    String label;

    @Encrypted(boundToId = true)
    @Column(name = "secret", length = 512)
    String secret;

    @Encrypted
    @Column(name = "note", length = 512)
    String note;

    Labelled() {}

    Labelled(Long id, String label, String secret, String note) {
      this.id = id;
      this.label = label;
      this.secret = secret;
      this.note = note;
    }
  }
}
