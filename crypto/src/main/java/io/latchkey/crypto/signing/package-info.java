/**
 * Rings of HMAC-SHA256 signing keys (JWT's {@code HS256}) that rotate without signing anyone out.
 *
 * <p>{@link io.latchkey.crypto.signing.SigningKeyRing} signs with the current key and verifies with
 * it or any previous key; each key has an identifier for a token's {@code kid} header, and the ring
 * hands JWT libraries the JCA keys they sign and verify with. The rotation procedure is in
 * docs/rotation.md, section 2.
 *
 * <p>Nothing in this package accepts or returns {@code null}.
 */
package io.latchkey.crypto.signing;
