package io.latchkey.scan;

import static java.util.Objects.requireNonNull;

/**
 * A credential the {@link SecretScanner} found: which rule, where, a masked excerpt and a
 * fingerprint. It never holds the credential itself.
 *
 * <p>Positions count characters (UTF-16 code units, as Java strings and SARIF's default do), from 1
 * for lines and columns and from 0 for the offset. Lines end at {@code \n}.
 *
 * <h2>Security</h2>
 *
 * <p>The excerpt shows at most the first seven characters of the credential when its format begins
 * with a public prefix ({@code ghp_****}, {@code AKIA****}, {@code sk-proj****}), or the name it is
 * assigned to ({@code DB_PASSWORD=****}), never more. The fingerprint is a one-way hash of the rule
 * and the value: it tells two findings of the same value apart from others without revealing it,
 * but, as for any unsalted hash, it confirms a guess of a short or common value, so allow-list only
 * values that are not secrets (test fixtures, documentation) and rotate the rest.
 *
 * @param rule the rule that found it
 * @param line its line, from 1
 * @param column its column in that line, from 1
 * @param offset the number of characters before it in the text
 * @param length its length in characters
 * @param excerpt a masked excerpt, such as {@code ghp_****} or {@code DB_PASSWORD=****}
 * @param fingerprint 32 lower-case hex digits that identify the rule and the value
 * @since 0.1
 */
public record Finding(
    Rule rule,
    long line,
    long column,
    long offset,
    int length,
    String excerpt,
    String fingerprint) {
  /**
   * Checks the components.
   *
   * @param rule the rule that found it
   * @param line its line, from 1
   * @param column its column, from 1
   * @param offset the number of characters before it
   * @param length its length in characters
   * @param excerpt a masked excerpt
   * @param fingerprint 32 lower-case hex digits
   * @throws IllegalArgumentException if a position is out of range or the fingerprint is not 32
   *     lower-case hex digits
   */
  public Finding {
    requireNonNull(rule, "rule");
    requireNonNull(excerpt, "excerpt");
    requireNonNull(fingerprint, "fingerprint");
    if (line < 1 || column < 1 || offset < 0 || length < 1) {
      throw new IllegalArgumentException(
          "a finding needs line >= 1, column >= 1, offset >= 0 and length >= 1");
    }
    if (!Fingerprints.isFingerprint(fingerprint)) {
      throw new IllegalArgumentException("a fingerprint is 32 lower-case hex digits");
    }
  }

  /**
   * Returns this finding placed in a larger text, for a piece that was scanned on its own and
   * begins at the start of a line: the added lines of a diff's hunk, for instance.
   *
   * @param firstLine the line, in the larger text, of the piece's first line
   * @param firstOffset the offset, in the larger text, of the piece's first character
   * @return the finding at its place in the larger text
   */
  public Finding withOrigin(long firstLine, long firstOffset) {
    return new Finding(
        rule, line + firstLine - 1, column, offset + firstOffset, length, excerpt, fingerprint);
  }
}
