/**
 * Log redaction for Logback: an encoder wrapper and the {@code %redact(...)} conversion word; see
 * {@link io.latchkey.logback.LatchkeyLogback}.
 */
module io.latchkey.logback {
  requires transitive io.latchkey;
  requires transitive ch.qos.logback.classic;
  requires transitive ch.qos.logback.core;

  exports io.latchkey.logback;
}
