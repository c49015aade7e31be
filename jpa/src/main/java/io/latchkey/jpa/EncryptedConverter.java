package io.latchkey.jpa;

import static java.util.Objects.requireNonNull;

import io.latchkey.KeyRing;
import io.latchkey.LatchkeyException;
import jakarta.persistence.AttributeConverter;

/**
 * A portable Jakarta Persistence converter that stores an attribute as a token bound to its table
 * and column: the base of {@link EncryptedStringConverter}, {@link EncryptedBytesConverter} and
 * {@link EncryptedSecretConverter}.
 *
 * <p>A converter is told nothing about the attribute it converts, and a persistence provider makes
 * one instance per converter class, so each encrypted column gets a small subclass that names it:
 *
 * <pre>{@code
 * @Converter
 * public class ApiKeyColumn extends EncryptedSecretConverter {
 *   public ApiKeyColumn() {
 *     super("credentials", "api_key");
 *   }
 * }
 *
 * @Convert(converter = ApiKeyColumn.class)
 * @Column(name = "api_key", length = 512)
 * private Secret apiKey;
 * }</pre>
 *
 * <p>Converters cannot bind a value to its row's id (they never see the entity); with Hibernate,
 * {@link Encrypted} can, and needs no subclass. Where the key ring comes from is described in
 * {@link LatchkeyJpa}.
 *
 * <h2>Security</h2>
 *
 * <p>A token copied into another column is rejected when read. With Hibernate, a value bound for
 * the column anywhere but in its entity's own INSERT or UPDATE (a query parameter) is refused;
 * other providers cannot tell the two apart, and such a query matches nothing. Messages name the
 * table and column, never a value.
 *
 * @param <T> the attribute's Java type
 * @since 0.1
 */
public abstract class EncryptedConverter<T> implements AttributeConverter<T, String> {
  private final ColumnCipher cipher;
  private volatile boolean writesNeedPermits;

  EncryptedConverter(ValueKind kind, String table, String column, KeyRing ring) {
    this.cipher = new ColumnCipher(table, column, false, kind);
    if (ring != null) {
      cipher.bind(ring);
    }
  }

  static KeyRing ring(KeyRing ring) {
    return requireNonNull(ring, "ring");
  }

  ColumnCipher cipher() {
    return cipher;
  }

  /** Called by the Hibernate integration: its ring (or none), and writes checked by permit. */
  void bindToHibernate(KeyRing ring) {
    if (ring != null) {
      cipher.bind(ring);
    }
    writesNeedPermits = true;
  }

  /**
   * Encrypts an attribute value into the token to store.
   *
   * @param attribute the value; {@code null} stores {@code NULL}
   * @return the token, or {@code null}
   * @throws UnsupportedOperationException with Hibernate, if the value is a query parameter
   * @throws IllegalStateException if no key ring is available
   */
  @Override
  public final String convertToDatabaseColumn(T attribute) {
    if (attribute == null) {
      return null;
    }
    if (writesNeedPermits && WritePermits.take(this, attribute) == null) {
      throw cipher.refusal();
    }
    return cipher.seal(attribute, null);
  }

  /**
   * Decrypts a stored token into the attribute value.
   *
   * @param stored the column's value; {@code null} reads as {@code null}
   * @return the value, or {@code null}
   * @throws LatchkeyException naming the column if the value is not a token (a plaintext from
   *     before encryption was turned on) or the token is rejected
   * @throws IllegalStateException if no key ring is available
   */
  @Override
  public final T convertToEntityAttribute(String stored) {
    if (stored == null) {
      return null;
    }
    @SuppressWarnings("unchecked")
    T value = (T) cipher.open(stored, null);
    return value;
  }

  /**
   * Returns {@code SimpleName[table.column]}.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + cipher.name() + "]";
  }
}
