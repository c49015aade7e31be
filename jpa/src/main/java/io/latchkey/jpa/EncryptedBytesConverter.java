package io.latchkey.jpa;

import io.latchkey.KeyRing;
import org.hibernate.annotations.Mutability;

/**
 * Stores a {@code byte[]} attribute as a token bound to its table and column; subclass it once per
 * column, naming them (see {@link EncryptedConverter}).
 *
 * <p>With Hibernate, the array is copied for the dirty check (the copy is compared by content), so
 * changing it in place is seen, and loading an entity encrypts nothing.
 *
 * @since 0.1
 */
// Inherited by the application's subclasses: how Hibernate copies the value for its dirty check.
@Mutability(BytesCopy.class)
public abstract class EncryptedBytesConverter extends EncryptedConverter<byte[]> {

  /**
   * Creates a converter for the given column that takes its key ring from the persistence unit (see
   * {@link LatchkeyJpa}).
   *
   * @param table the table's name, as in the associated data of its tokens
   * @param column the column's name, as in the associated data of its tokens
   */
  protected EncryptedBytesConverter(String table, String column) {
    super(ValueKind.BYTES, table, column, null);
  }

  /**
   * Creates a converter for the given column with its own key ring, for a subclass whose ring is
   * injected (CDI, Spring) or built in place.
   *
   * @param table the table's name, as in the associated data of its tokens
   * @param column the column's name, as in the associated data of its tokens
   * @param ring the key ring; an {@link io.latchkey.crypto.aead.AeadKeyRing} binds tokens to the
   *     column, a Fernet ring binds them to nothing
   */
  protected EncryptedBytesConverter(String table, String column, KeyRing ring) {
    super(ValueKind.BYTES, table, column, ring(ring));
  }
}
