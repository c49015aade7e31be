package io.latchkey.jpa;

import jakarta.persistence.AttributeConverter;
import java.io.Serializable;
import java.sql.Types;
import org.hibernate.MappingException;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.usertype.LoggableUserType;
import org.hibernate.usertype.UserType;
import org.hibernate.usertype.UserTypeCreationContext;

/**
 * The Hibernate type behind {@link Encrypted}: one instance per attribute, which knows its table
 * and column, compares values by content (so that loading an entity does not make it dirty), and
 * encrypts only the values an entity's own INSERT or UPDATE binds. Hibernate's logs show its values
 * as {@value #LOGGED} (its {@code DEBUG} listing of the entities a flush wrote prints every
 * attribute through the type).
 */
final class EncryptedType implements UserType<Object>, LoggableUserType {
  /** What Hibernate's logs show in place of a value. */
  static final String LOGGED = "[encrypted]";

  /** Room for a token of a 200-byte plaintext; set {@code @Column(length)} for more. */
  private static final long DEFAULT_LENGTH = 400;

  private final boolean boundToId;
  private final Relational relational = new Relational();
  private final ValueKind kind;
  private final String attribute;
  private volatile ColumnCipher cipher;

  EncryptedType(Encrypted annotation, UserTypeCreationContext context) {
    this.boundToId = annotation.boundToId();
    this.attribute = context.getMemberDetails().getName();
    Class<?> type = context.getMemberDetails().getType().determineRawClass().toJavaClass();
    this.kind = ValueKind.of(type);
    if (kind == null) {
      throw new MappingException(
          "@Encrypted attribute "
              + attribute
              + " is a "
              + type.getName()
              + "; only String, byte[] and io.latchkey.Secret attributes can be encrypted");
    }
  }

  /** Names the table and column, once the integrator has found them in the mapping. */
  void configure(String table, String column) {
    cipher = new ColumnCipher(table, column, boundToId, kind);
  }

  ColumnCipher cipher() {
    return cipher;
  }

  @Override
  public String toLoggableString(Object value, SessionFactoryImplementor factory) {
    return value == null ? "null" : LOGGED;
  }

  @Override
  public int getSqlType() {
    return Types.VARCHAR;
  }

  @Override
  public long getDefaultSqlLength() {
    return DEFAULT_LENGTH;
  }

  @Override
  public Class<Object> returnedClass() {
    @SuppressWarnings("unchecked")
    Class<Object> type = (Class<Object>) kind.type();
    return type;
  }

  @Override
  public boolean equals(Object x, Object y) {
    return x == y || (x != null && y != null && kind.equal(x, y));
  }

  @Override
  public int hashCode(Object x) {
    return kind.hash(x);
  }

  /**
   * Converts through a converter rather than binding values itself, so that Hibernate's own binding
   * log (trace level) prints the token, never the plaintext.
   */
  @Override
  public AttributeConverter<Object, ?> getValueConverter() {
    return relational;
  }

  /** Decrypts a row-bound value once its row's id is known. */
  Object open(Sealed sealed, Object id) {
    return cipher.open(sealed.token(), id);
  }

  /** Between an attribute's value and the token its column holds. */
  private final class Relational implements AttributeConverter<Object, String> {
    @Override
    public String convertToDatabaseColumn(Object value) {
      if (value == null) {
        return null;
      }
      Object id = WritePermits.take(EncryptedType.this, value);
      if (id == null) {
        throw cipher.refusal();
      }
      return cipher.seal(value, id == WritePermits.NO_ID ? null : id);
    }

    @Override
    public Object convertToEntityAttribute(String stored) {
      if (stored == null) {
        return null;
      }
      // The row's id is not known yet: RowBinding opens the value once Hibernate announces the
      // row.
      return boundToId ? new Sealed(stored) : cipher.open(stored, null);
    }
  }

  @Override
  public Object deepCopy(Object value) {
    return kind.copy(value);
  }

  @Override
  public boolean isMutable() {
    return kind.isMutable();
  }

  @Override
  public Serializable disassemble(Object value) {
    throw new UnsupportedOperationException(
        cipher.name() + " is encrypted and is not put in a cache, where it would be a plaintext");
  }

  @Override
  public Object assemble(Serializable cached, Object owner) {
    throw new UnsupportedOperationException(cipher.name() + " is never cached");
  }

  @Override
  public String toString() {
    return "Encrypted[" + (cipher == null ? attribute : cipher.name()) + "]";
  }
}
