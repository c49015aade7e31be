/**
 * Fernet tokens and {@link io.latchkey.crypto.FernetKeyRing}, a MultiFernet-style {@link
 * io.latchkey.KeyRing} byte-compatible with pyca/cryptography.
 *
 * <p>The module needs the JDK's {@code java.base} alone, besides core. The re-encryption job that
 * moves stored ciphertexts to a new key is in its own module, {@code io.latchkey.reencrypt} (Maven
 * {@code io.latchkey:latchkey-reencrypt}), with the JDBC store that brings {@code java.sql}.
 */
module io.latchkey.crypto {
  requires transitive io.latchkey;
  // @JsonValue on the types that hold keys, so that Jackson writes their masked form; without
  // Jackson the annotations are simply not there.
  requires static com.fasterxml.jackson.annotation;

  exports io.latchkey.crypto;
}
