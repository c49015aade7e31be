package io.latchkey.jpa;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.hibernate.annotations.Type;

/**
 * Marks a {@code String}, {@code byte[]} or {@link io.latchkey.Secret} attribute of an entity as
 * stored encrypted, with Hibernate ORM 7: the column holds a token bound to its table and column
 * and, with {@link #boundToId()}, to the row's id.
 *
 * <pre>{@code
 * @Entity
 * @Table(name = "credentials")
 * class Credential {
 *   @Id UUID id;
 *   @Encrypted(boundToId = true)
 *   @Column(name = "api_key", length = 512)
 *   Secret apiKey;
 * }
 * }</pre>
 *
 * <p>This annotation is Hibernate's: on another persistence provider it does nothing, and the value
 * would be stored as it is. There, use the converters ({@link EncryptedStringConverter} and its
 * siblings), which are portable. The key ring, what is refused, and how a column is rotated are in
 * docs/jpa-and-jackson.md.
 *
 * <h2>Security</h2>
 *
 * <p>A token copied into another column, or with {@link #boundToId()} into another row, is rejected
 * when read. The attribute cannot be compared in a query: each encryption of a value differs, and a
 * query that binds a value for it is refused.
 *
 * @since 0.1
 */
@Documented
@Retention(RUNTIME)
@Target({FIELD, METHOD})
@Type(EncryptedType.class)
public @interface Encrypted {

  /**
   * Binds each value to its row's id as well as to its table and column, so that a token copied
   * into another row of the same column is rejected there. The id must be known before the row is
   * inserted: assigned, a UUID, or from a sequence, not an IDENTITY column; and it must be one
   * attribute of type {@code Long}, {@code Integer}, {@code Short}, {@code Byte}, {@code
   * BigInteger}, {@code String} or {@code UUID}, whose text tells every two ids apart (a composite
   * id is refused when the unit starts). Needs an {@link io.latchkey.crypto.aead.AeadKeyRing}.
   *
   * @return {@code true} to bind values to the row's id; {@code false} by default
   */
  boolean boundToId() default false;
}
