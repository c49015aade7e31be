/**
 * Fernet tokens and {@link io.latchkey.crypto.FernetKeyRing}, a MultiFernet-style {@link
 * io.latchkey.KeyRing} byte-compatible with pyca/cryptography.
 */
module io.latchkey.crypto {
  requires transitive io.latchkey;

  exports io.latchkey.crypto;
}
