/**
 * Log redaction for Logback: {@link io.latchkey.logback.RedactingEncoder} wraps any encoder and
 * redacts the whole text of each event; {@link io.latchkey.logback.RedactingConverter} is the
 * {@code %redact(...)} conversion word for pattern layouts. Both mask every value of the {@link
 * io.latchkey.redact.Redactor} handed to {@link io.latchkey.logback.LatchkeyLogback#install}. See
 * docs/redaction.md, "In your logs".
 *
 * <p>Nothing in this package returns {@code null} or accepts it, apart from Logback's own
 * conventions (an encoder without a header returns {@code null} for it).
 */
package io.latchkey.logback;
