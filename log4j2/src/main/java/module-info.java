/**
 * Log redaction for Log4j 2: the {@code %redact{...}} pattern converter and a rewrite policy; see
 * {@link io.latchkey.log4j2.LatchkeyLog4j2}.
 */
// The module is named after its package, digits and all, as the other modules are.
@SuppressWarnings("module")
module io.latchkey.log4j2 {
  requires transitive io.latchkey;
  requires transitive org.apache.logging.log4j;
  requires transitive org.apache.logging.log4j.core;

  exports io.latchkey.log4j2;
}
