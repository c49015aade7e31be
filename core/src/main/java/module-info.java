/**
 * Latchkey's public API: {@link io.latchkey.Secret}, {@link io.latchkey.KeyRing} and the
 * {@link io.latchkey.LatchkeyException} hierarchy.
 *
 * <p>The module depends on the SLF4J API alone; implementations such as the Fernet key ring live
 * in other modules.
 */
module io.latchkey {
  requires transitive org.slf4j;

  exports io.latchkey;
}
