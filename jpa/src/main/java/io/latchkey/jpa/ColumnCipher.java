package io.latchkey.jpa;

import static java.util.Objects.requireNonNull;

import io.latchkey.InvalidTokenException;
import io.latchkey.KeyRing;
import io.latchkey.LatchkeyException;
import io.latchkey.SwappableKeyRing;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.crypto.aead.AeadKeyRing;
import io.latchkey.crypto.aead.AssociatedData;
import io.latchkey.crypto.aead.TokenFormat;
import java.util.Arrays;

/**
 * Encrypts and decrypts the values of one column, bound to its table and column and, when asked, to
 * the row's id; and says what went wrong, by column, never by value.
 */
final class ColumnCipher {
  private final String table;
  private final String column;
  private final boolean boundToId;
  private final ValueKind kind;
  private final AssociatedData columnData;
  private volatile KeyRing ring;

  ColumnCipher(String table, String column, boolean boundToId, ValueKind kind) {
    this.table = requireNonNull(table, "table");
    this.column = requireNonNull(column, "column");
    this.boundToId = boundToId;
    this.kind = requireNonNull(kind, "kind");
    this.columnData = AssociatedData.of(table, column);
  }

  String name() {
    return table + "." + column;
  }

  boolean isBoundToId() {
    return boundToId;
  }

  ValueKind kind() {
    return kind;
  }

  /** Gives this column the ring of its persistence unit; {@code null} falls back to the holder. */
  void bind(KeyRing ring) {
    if (ring != null) {
      check(ring);
    }
    this.ring = ring;
  }

  /**
   * Refuses a ring this column cannot use as it is meant to: one that would drop the column's
   * associated data without saying so (tokens made so stop reading once the same keys come through
   * an {@link AeadKeyRing}), and Fernet for a row-bound column.
   */
  void check(KeyRing ring) {
    KeyRing inner = unwrap(ring);
    if (inner instanceof AeadKeyRing aead) {
      if (boundToId && aead.format() != TokenFormat.AES_GCM) {
        throw fernetForRow(inner.getClass().getSimpleName() + " that writes Fernet");
      }
      return;
    }
    if (!(inner instanceof FernetKeyRing)) {
      throw new IllegalStateException(
          name()
              + " is bound to its table and column, which needs a ring that takes associated"
              + " data: give an AeadKeyRing (AesGcmKeyRing, SwappableAeadKeyRing, or a"
              + " MigrationKeyRing while moving from Fernet) or a FernetKeyRing, not a "
              + inner.getClass().getSimpleName());
    }
    if (boundToId) {
      throw fernetForRow(inner.getClass().getSimpleName());
    }
  }

  private IllegalStateException fernetForRow(String ring) {
    return new IllegalStateException(
        name()
            + " is bound to the row id, which needs associated data: give an AeadKeyRing that"
            + " writes AES-GCM (AesGcmKeyRing, or MigrationKeyRing.toAesGcm while moving from"
            + " Fernet), not a "
            + ring);
  }

  /** Checks the ring this column will fall back to, unless it was given one of its own. */
  void checkFallback(KeyRing fallback) {
    if (ring == null) {
      check(fallback);
    }
  }

  /**
   * The ring a call uses now: core's {@link SwappableKeyRing} offers no associated-data methods, so
   * each call looks through it to the ring it holds at that moment, which may have been swapped.
   */
  private static KeyRing unwrap(KeyRing ring) {
    KeyRing r = ring;
    while (r instanceof SwappableKeyRing swappable) {
      r = swappable.current();
    }
    return r;
  }

  private KeyRing ring() {
    KeyRing r = ring;
    if (r == null) {
      r =
          LatchkeyJpa.registered()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          name()
                              + " is encrypted, but no key ring was given: put one in the"
                              + " persistence unit's properties under "
                              + LatchkeyJpa.KEY_RING
                              + ", or call LatchkeyJpa.register(ring) (see"
                              + " docs/jpa-and-jackson.md)"));
      bind(r);
    }
    KeyRing inner = unwrap(r);
    if (inner != r) {
      // A swap may have put in a ring of another kind since the unit started.
      check(inner);
    }
    return inner;
  }

  /** Encrypts an attribute value; {@code id} is the row's id, used when bound to it. */
  String seal(Object value, Object id) {
    byte[] plaintext = kind.toBytes(value);
    try {
      KeyRing r = ring();
      if (r instanceof AeadKeyRing aead) {
        if (aead.format() == TokenFormat.AES_GCM) {
          return aead.encrypt(plaintext, associatedData(id));
        }
        // A ring that writes Fernet (the way back from AES-GCM) binds nothing, as a Fernet ring
        // does: allowed for a column, refused for a row, whose binding would be lost unsaid.
        if (boundToId) {
          throw fernetForRow(r.getClass().getSimpleName() + " that writes Fernet");
        }
        return aead.encrypt(plaintext, AssociatedData.empty());
      }
      return r.encrypt(plaintext);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  /** Decrypts a stored value into an attribute value. */
  Object open(String stored, Object id) {
    if (stored.isEmpty()) {
      // An empty value from before encryption was turned on: the re-encryption job leaves it, as
      // it leaves NULL (an empty value has nothing to hide; its token would tell its length too).
      return kind.fromBytes(new byte[0]);
    }
    KeyRing r = ring();
    byte[] plaintext;
    try {
      plaintext =
          r instanceof AeadKeyRing aead
              ? aead.decrypt(stored, associatedData(id))
              : r.decrypt(stored);
    } catch (InvalidTokenException e) {
      // Told apart only after decryption failed: a Fernet-framed check decodes the whole value.
      if (TokenFormat.detect(stored).isEmpty()) {
        throw new LatchkeyException(
            name()
                + ": the stored value is not a Latchkey token; a value written before encryption"
                + " was turned on? Encrypt the column in place with the re-encryption job's"
                + " plaintext mode first (see docs/encryption.md)",
            e);
      }
      throw new LatchkeyException(
          name()
              + ": the stored token was rejected ("
              + e.getMessage()
              + "); a token copied from another "
              + (boundToId ? "row or column" : "column")
              + " is rejected too",
          e);
    }
    return kind.fromBytes(plaintext);
  }

  private AssociatedData associatedData(Object id) {
    if (!boundToId) {
      return columnData;
    }
    if (id == null) {
      throw new IllegalStateException(
          name()
              + " is bound to the row id, but the row has no id yet: the database generates it"
              + " on insert (IDENTITY); use a sequence, a UUID or an assigned id for this entity");
    }
    return AssociatedData.forRow(table, column, id);
  }

  /** The refusal for a value bound anywhere but in an entity's own INSERT or UPDATE. */
  UnsupportedOperationException refusal() {
    return new UnsupportedOperationException(
        name()
            + " is encrypted (each encryption of a value differs), so it cannot be compared or"
            + " set in a query: query by another column, or load the entity and set the"
            + " attribute");
  }
}
