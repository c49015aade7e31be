/**
 * Fernet tokens and {@link io.latchkey.crypto.FernetKeyRing}, a MultiFernet-style {@link
 * io.latchkey.KeyRing} byte-compatible with pyca/cryptography, and the {@linkplain
 * io.latchkey.crypto.reencrypt.ReencryptionJob re-encryption job} that moves stored ciphertexts
 * to a ring's primary key.
 */
module io.latchkey.crypto {
  requires transitive io.latchkey;
  // JdbcCiphertextStore takes a javax.sql.DataSource, so clients need java.sql too.
  requires transitive java.sql;
  // @JsonValue on the types that hold keys, so that Jackson writes their masked form; without
  // Jackson the annotations are simply not there.
  requires static com.fasterxml.jackson.annotation;

  exports io.latchkey.crypto;
  exports io.latchkey.crypto.reencrypt;
}
