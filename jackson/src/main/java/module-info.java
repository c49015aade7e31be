/**
 * A Jackson 2 module that never writes a secret by accident; see {@link
 * io.latchkey.jackson.LatchkeyModule}.
 */
module io.latchkey.jackson {
  requires transitive io.latchkey.crypto;
  requires transitive com.fasterxml.jackson.databind;

  exports io.latchkey.jackson;
}
