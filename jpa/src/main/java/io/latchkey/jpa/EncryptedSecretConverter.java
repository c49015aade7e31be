package io.latchkey.jpa;

import io.latchkey.KeyRing;
import io.latchkey.Secret;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.descriptor.java.Immutability;

/**
 * Stores an {@link io.latchkey.Secret} attribute as a token bound to its table and column; subclass
 * it once per column, naming them (see {@link EncryptedConverter}).
 *
 * <p>With Hibernate, a secret is held as an immutable value: loading an entity and committing makes
 * no UPDATE, and a new secret with the same content is no change either. {@link
 * io.latchkey.Secret#wipe() Wiping} the attribute's secret is not a change.
 *
 * @since 0.1
 */
// Inherited by the application's subclasses: how Hibernate copies the value for its dirty check.
@Mutability(Immutability.class)
public abstract class EncryptedSecretConverter extends EncryptedConverter<Secret> {

  /**
   * Creates a converter for the given column that takes its key ring from the persistence unit (see
   * {@link LatchkeyJpa}).
   *
   * @param table the table's name, as in the associated data of its tokens
   * @param column the column's name, as in the associated data of its tokens
   */
  protected EncryptedSecretConverter(String table, String column) {
    super(ValueKind.SECRET, table, column, null);
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
  protected EncryptedSecretConverter(String table, String column, KeyRing ring) {
    super(ValueKind.SECRET, table, column, ring(ring));
  }
}
