/**
 * Redaction of the secret values the process loaded, wherever text leaves it: log lines, messages
 * sent to other services, reports.
 *
 * <p>A {@link io.latchkey.redact.Redactor} is built from a loaded {@link io.latchkey.config.Config}
 * (and, to follow rotations, a {@link io.latchkey.resolver.SecretResolver}) and replaces every
 * occurrence of every value, raw or in a common encoding, with a mask:
 *
 * <pre>{@code
 * Redactor redactor = Redactor.builder().config(config).resolver(resolver).build();
 * log.info(redactor.redact(responseBody));
 * }</pre>
 *
 * <p>Logging integrations and sanitisers build on its three entry points: {@link
 * io.latchkey.redact.Redactor#redact(CharSequence)} for a string, {@link
 * io.latchkey.redact.Redactor#redact(StringBuilder, int)} for a layout's buffer, and {@link
 * io.latchkey.redact.Redactor#find(CharSequence)} for the positions alone.
 *
 * <p>Nothing in this package accepts or returns {@code null}, and nothing here puts a value in a
 * {@code toString()}, an exception message or a log line.
 */
package io.latchkey.redact;
