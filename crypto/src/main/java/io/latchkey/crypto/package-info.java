/**
 * Fernet keys and the Fernet key ring.
 *
 * <p>{@link io.latchkey.crypto.FernetKey} parses, generates and derives keys; {@link
 * io.latchkey.crypto.FernetKeyRing} encrypts with a primary key and decrypts with it or any
 * previous key, to the <a href="https://github.com/fernet/spec">Fernet specification</a>, so that
 * tokens interoperate with Python's {@code cryptography.fernet} and every other conforming
 * implementation.
 *
 * <p>Nothing in this package accepts or returns {@code null}.
 */
package io.latchkey.crypto;
