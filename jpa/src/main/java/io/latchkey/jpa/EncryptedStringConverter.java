package io.latchkey.jpa;

import io.latchkey.KeyRing;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.descriptor.java.Immutability;

/**
 * Stores a {@code String} attribute, as UTF-8 as a token bound to its table and column; subclass it
 * once per column, naming them (see {@link EncryptedConverter}).
 *
 * <p>Loading an entity and committing without a change makes no UPDATE: strings compare by content.
 *
 * @since 0.1
 */
// Inherited by the application's subclasses: how Hibernate copies the value for its dirty check.
@Mutability(Immutability.class)
public abstract class EncryptedStringConverter extends EncryptedConverter<String> {

  /**
   * Creates a converter for the given column that takes its key ring from the persistence unit (see
   * {@link LatchkeyJpa}).
   *
   * @param table the table's name, as in the associated data of its tokens
   * @param column the column's name, as in the associated data of its tokens
   */
  protected EncryptedStringConverter(String table, String column) {
    super(ValueKind.STRING, table, column, null);
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
  protected EncryptedStringConverter(String table, String column, KeyRing ring) {
    super(ValueKind.STRING, table, column, ring(ring));
  }
}
