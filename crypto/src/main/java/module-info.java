/**
 * Fernet tokens and {@link io.latchkey.crypto.FernetKeyRing}, a MultiFernet-style {@link
 * io.latchkey.KeyRing} byte-compatible with pyca/cryptography ({@code io.latchkey.crypto}); the
 * keyed AES-256-GCM format with associated data, {@link io.latchkey.crypto.aead.AesGcmKeyRing}
 * ({@code io.latchkey.crypto.aead}); rings of HMAC signing keys for JWT's {@code HS256} ({@code
 * io.latchkey.crypto.signing}); and API keys checked against stored hashes ({@code
 * io.latchkey.crypto.apikey}).
 *
 * <p>The module needs the JDK's {@code java.base} alone, besides core; what the packages share sits
 * in {@code io.latchkey.crypto.internal}, which is not exported. The re-encryption job that moves
 * stored ciphertexts to a new key is in its own module, {@code io.latchkey.reencrypt} (Maven {@code
 * io.latchkey:latchkey-reencrypt}), with the JDBC store that brings {@code java.sql}.
 */
module io.latchkey.crypto {
  requires transitive io.latchkey;
  // @JsonValue on the types that hold keys, so that Jackson writes their masked form; without
  // Jackson the annotations are simply not there.
  requires static com.fasterxml.jackson.annotation;

  exports io.latchkey.crypto;
  exports io.latchkey.crypto.aead;
  exports io.latchkey.crypto.signing;
  exports io.latchkey.crypto.apikey;
}
