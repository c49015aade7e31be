package io.latchkey.resolver;

import static java.util.Objects.requireNonNull;

import io.latchkey.SecretRef;
import java.util.Optional;

/**
 * How a setting's raw value spells a secret reference, in one place for every integration that
 * reads raw values (the {@link ResolvingConfigSource}, a Spring property source, a MicroProfile
 * config source).
 *
 * <p>Two spellings name a reference; every other value is plain text:
 *
 * <ul>
 *   <li><b>{@code ref+REFERENCE}</b>, such as {@code ref+aws:prod/db#password}, in the style of
 *       helmfile's vals. No placeholder engine reads it: Spring's {@code ${…}} placeholders,
 *       MicroProfile Config's expressions, Helm and Go templates ({@code {{…}}}), Docker Compose's
 *       {@code ${…}} and {@code $VAR} interpolation and POSIX shells all pass it through unchanged,
 *       since it contains neither {@code $} nor braces. This is the spelling to use.
 *   <li><b>{@code ${ref:REFERENCE}}</b>, the original spelling, kept for existing files. Spring and
 *       MicroProfile read it as a placeholder named {@code ref} with a default value and replace it
 *       before Latchkey sees it, and Docker Compose reads it as a variable {@code ref}: use it only
 *       where values reach Latchkey untouched (the process environment, a {@code .env} file read by
 *       Latchkey).
 * </ul>
 *
 * <p>{@code REFERENCE} follows the grammar {@link SecretRef} documents, the whole value is the
 * reference (no text around it), and a value that must literally begin with one of the prefixes is
 * escaped by doubling one character: {@code ref++x} is the plain text {@code ref+x}, and {@code
 * $${ref:x}} is the plain text {@code ${ref:x}}.
 *
 * <h2>Security</h2>
 *
 * <p>A value that was meant as a secret may have been written as a reference by mistake, so a
 * malformed reference is reported by position and reason only, never quoted.
 *
 * @since 0.1
 */
public final class ReferenceSyntax {
  /** The prefix of the spelling no template engine reads: {@value}. */
  public static final String PREFIX = "ref+";

  /** The prefix of the placeholder spelling: {@value}. */
  public static final String PLACEHOLDER_PREFIX = "${ref:";

  private static final String ESCAPED = "ref++";
  private static final String ESCAPED_PLACEHOLDER = "$" + PLACEHOLDER_PREFIX;

  private ReferenceSyntax() {}

  /**
   * Reads the reference a raw value spells.
   *
   * @param value a setting's raw value
   * @return the reference, or empty if the value is plain text (including an escaped prefix)
   * @throws IllegalArgumentException if the value starts like a reference but is not a valid one;
   *     the message says where and why, such as {@code has an invalid secret reference at position
   *     3: expected a path}, and never quotes the value
   */
  public static Optional<SecretRef> reference(String value) {
    requireNonNull(value, "value");
    if (value.startsWith(ESCAPED) || value.startsWith(ESCAPED_PLACEHOLDER)) {
      return Optional.empty();
    }
    String body;
    int offset;
    if (value.startsWith(PREFIX)) {
      body = value.substring(PREFIX.length());
      offset = PREFIX.length();
    } else if (value.startsWith(PLACEHOLDER_PREFIX)) {
      if (!value.endsWith("}")) {
        throw new IllegalArgumentException("has a secret reference without its closing '}'");
      }
      body = value.substring(PLACEHOLDER_PREFIX.length(), value.length() - 1);
      offset = PLACEHOLDER_PREFIX.length();
    } else {
      return Optional.empty();
    }
    try {
      return Optional.of(SecretRef.parse(body));
    } catch (IllegalArgumentException e) {
      // Parsed again only to learn where and why, without reading the message back; positions
      // count from the start of the whole value, which is what the user wrote.
      SecretRef.Problem problem = SecretRef.problem(body).orElseThrow(() -> e);
      throw new IllegalArgumentException(
          "has an invalid secret reference at position "
              + (problem.position() + offset)
              + ": "
              + problem.reason());
    }
  }

  /**
   * Returns the plain text a raw value stands for when it is not a reference: an escaped prefix
   * loses its doubled character, every other value is returned as it is.
   *
   * @param value a setting's raw value that {@link #reference(String)} found plain
   * @return the text the value stands for
   */
  public static String literal(String value) {
    requireNonNull(value, "value");
    if (value.startsWith(ESCAPED)) {
      return PREFIX + value.substring(ESCAPED.length());
    }
    if (value.startsWith(ESCAPED_PLACEHOLDER)) {
      return value.substring(1);
    }
    return value;
  }

  /**
   * Tells whether a raw value is written as a reference, valid or not, without parsing it: a cheap
   * test for integrations that look at many values.
   *
   * @param value a setting's raw value
   * @return true if {@link #reference(String)} would return a reference or refuse the value
   */
  public static boolean looksLikeReference(String value) {
    requireNonNull(value, "value");
    return (value.startsWith(PREFIX) && !value.startsWith(ESCAPED))
        || value.startsWith(PLACEHOLDER_PREFIX);
  }
}
