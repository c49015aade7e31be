/**
 * Encrypted entity attributes for Jakarta Persistence: {@link io.latchkey.jpa.Encrypted} with
 * Hibernate ORM 7 (bound to the table, the column and, when asked, the row's id), and portable
 * attribute converters ({@link io.latchkey.jpa.EncryptedStringConverter}, {@link
 * io.latchkey.jpa.EncryptedBytesConverter}, {@link io.latchkey.jpa.EncryptedSecretConverter}) for
 * any provider. {@link io.latchkey.jpa.LatchkeyJpa} says where the key ring comes from. See
 * docs/jpa-and-jackson.md.
 *
 * <p>Nothing in this package accepts or returns {@code null}, except attribute values, where {@code
 * null} is stored as {@code NULL}.
 */
package io.latchkey.jpa;
