/**
 * Log redaction for Log4j 2: {@link io.latchkey.log4j2.RedactingPatternConverter} is the {@code
 * %redact{...}} pattern converter; {@link io.latchkey.log4j2.RedactingRewritePolicy} redacts each
 * event's message, exception chain and context data for layouts that are not patterns. Both mask
 * every value of the {@link io.latchkey.redact.Redactor} handed to {@link
 * io.latchkey.log4j2.LatchkeyLog4j2#install}. See docs/redaction.md, "In your logs".
 *
 * <p>Nothing in this package accepts {@code null}; the plugin factories return {@code null} as
 * Log4j expects of a plugin that cannot be created, after reporting why to the status logger.
 */
package io.latchkey.log4j2;
