/**
 * Latchkey's keyed AES-256-GCM token format, beside Fernet.
 *
 * <p>{@link io.latchkey.crypto.aead.AesGcmKey} parses, generates and derives keys; {@link
 * io.latchkey.crypto.aead.AesGcmKeyRing} encrypts with a primary key and decrypts with any key of
 * the ring, found by the key id every token carries, and binds tokens to {@link
 * io.latchkey.crypto.aead.AssociatedData} such as the row they are stored in. {@link
 * io.latchkey.crypto.aead.AeadKeyRing} is the interface integrations take; {@link
 * io.latchkey.crypto.aead.MigrationKeyRing} reads both formats while a column moves from one to the
 * other; {@link io.latchkey.crypto.aead.TokenFormat} tells the formats apart. The format is
 * specified in docs/encryption.md.
 *
 * <p>Nothing in this package accepts or returns {@code null}.
 */
package io.latchkey.crypto.aead;
