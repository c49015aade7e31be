/**
 * A scanner of the credentials people leak most, for commits, outbound text and reports.
 *
 * <p>{@link io.latchkey.scan.SecretScanner} finds AWS, Google Cloud, GitHub, GitLab, Slack, Stripe,
 * OpenAI-style and Anthropic keys, JSON Web Tokens, PEM private keys, passwords in database URLs
 * and high-entropy values assigned to secret-named settings, each validated by its format, checksum
 * and entropy; each {@link io.latchkey.scan.Finding} says which {@link io.latchkey.scan.Rule},
 * where, a masked excerpt and a fingerprint, never the value. {@link io.latchkey.scan.Sanitizer}
 * masks both what the scanner finds and every value a {@link io.latchkey.redact.Redactor} knows:
 *
 * <pre>{@code
 * List<Finding> findings = SecretScanner.defaults().scan(text);
 * String safe = Sanitizer.of(Redactor.of(config)).clean(prompt);
 * }</pre>
 *
 * <p>The command line's {@code latchkey scan} and its pre-commit hook are built on this package;
 * {@code docs/scanning.md} describes every rule and its limits.
 *
 * <p>Nothing in this package accepts or returns {@code null}, and nothing here puts a value in a
 * {@code toString()}, an exception message or a log line.
 */
package io.latchkey.scan;
