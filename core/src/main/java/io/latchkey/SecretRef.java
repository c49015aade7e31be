package io.latchkey;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A reference to a secret in some provider: a scheme that picks the provider, a path inside it, an
 * optional version (or stage, or label) and an optional field of a JSON secret.
 *
 * <h2>Grammar</h2>
 *
 * <pre>
 * ref     = [scheme ":"] path ["@" version] ["#" field]
 * scheme  = %x61-7A *( %x61-7A / DIGIT / "-" )          ; a-z, then a-z 0-9 -
 * path    = 1*char
 * version = 1*char
 * field   = 1*char
 * char    = ALPHA / DIGIT / "-" / "." / "_" / "~" / "/" / "+" / "=" / "," / ":" / escape
 * escape  = "%" HEXDIG HEXDIG                             ; UTF-8 bytes, as in URLs
 * </pre>
 *
 * <p>Without a scheme the reference names the environment provider ({@code env}); a colon in a
 * reference without a valid scheme is an error, so {@code AWS:prod/db} is rejected rather than read
 * as an environment name. Any other character, including {@code @}, {@code #}, {@code %}, spaces
 * and non-ASCII letters, is written as percent-escaped UTF-8: the AWS secret {@code team@prod} is
 * {@code aws:team%40prod}. The version comes before the field.
 *
 * <pre>{@code
 * SecretRef.parse("aws:prod/db#password");          // field "password" of a JSON secret
 * SecretRef.parse("aws:prod/db@AWSPREVIOUS");       // a version stage
 * SecretRef.parse("gcp:projects/p/secrets/api-key/versions/3");
 * SecretRef.parse("vault:secret/data/app#api_key");
 * SecretRef.parse("LLM_API_KEY");                   // env:LLM_API_KEY
 * }</pre>
 *
 * <p>What a path, a version or a field means is up to the provider; selecting a field from a JSON
 * secret is the provider's job too, since core has no JSON parser. {@link #toString()} writes the
 * canonical form, always with its scheme, which {@link #parse(String)} reads back to an equal
 * reference.
 *
 * <h2>Security</h2>
 *
 * <p>A reference names a secret; it is not one. Still, a value is sometimes pasted where a
 * reference was expected, so parse errors never quote the text: they give the position and what was
 * expected there.
 *
 * @since 0.1
 */
public final class SecretRef implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The scheme of a reference written without one: {@value}. */
  public static final String DEFAULT_SCHEME = "env";

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final String scheme;
  private final String path;
  private final String version;
  private final String field;
  // Cached as String caches its hash: resolver look-ups hash the reference on every call.
  private transient int hash;

  private SecretRef(String scheme, String path, String version, String field) {
    this.scheme = scheme;
    this.path = path;
    this.version = version;
    this.field = field;
  }

  /**
   * Parses a reference written in the grammar above.
   *
   * @param text the reference, such as {@code aws:prod/db#password}
   * @return the reference
   * @throws IllegalArgumentException if the text does not follow the grammar; the message gives the
   *     position (counted from 0) and what was expected there, never the text
   */
  public static SecretRef parse(String text) {
    requireNonNull(text, "text");
    return new Parser(text, "reference").parse();
  }

  /**
   * Tells what is wrong with a text as a reference, for callers that word their own error: where
   * the grammar broke and what it expected there, never the text itself.
   *
   * @param text the candidate reference
   * @return the problem, or empty if {@link #parse(String)} accepts the text
   */
  public static Optional<Problem> problem(String text) {
    requireNonNull(text, "text");
    try {
      new Parser(text, "reference").parse();
      return Optional.empty();
    } catch (Malformed e) {
      return Optional.of(new Problem(e.position, e.reason));
    }
  }

  /**
   * Where a text stops following the reference grammar, and what was expected there.
   *
   * @param position the offset in the text, counted from 0, where the grammar broke
   * @param reason what was expected there, such as {@code expected a path}; never quotes the text
   */
  public record Problem(int position, String reason) {
    /**
     * Checks the components.
     *
     * @param position the offset in the text, counted from 0, where the grammar broke
     * @param reason what was expected there
     */
    public Problem {
      requireNonNull(reason, "reason");
    }

    /** Returns {@code at position N: reason}. */
    @Override
    public String toString() {
      return "at position " + position + ": " + reason;
    }
  }

  /**
   * Returns a reference with no version and no field.
   *
   * @param scheme the provider's scheme, such as {@code aws}
   * @param path the path inside the provider, unescaped (any non-empty string)
   * @return the reference
   * @throws IllegalArgumentException if the scheme is not lower-case letters, digits and hyphens
   *     starting with a letter, or the path is empty or has an unpaired surrogate (which no
   *     canonical form can write)
   */
  public static SecretRef of(String scheme, String path) {
    requireNonNull(scheme, "scheme");
    requireNonNull(path, "path");
    if (!isScheme(scheme)) {
      throw new IllegalArgumentException(
          "scheme must be a lower-case letter followed by lower-case letters, digits or '-'");
    }
    if (path.isEmpty()) {
      throw new IllegalArgumentException("path must not be empty");
    }
    checkWellFormed(path, "path");
    return new SecretRef(scheme, path, null, null);
  }

  /**
   * Returns the scheme, which picks the provider.
   *
   * @return the scheme, such as {@code aws}; {@code env} when the text had none
   */
  public String scheme() {
    return scheme;
  }

  /**
   * Returns the path inside the provider, with escapes decoded.
   *
   * @return the path, such as {@code prod/db}
   */
  public String path() {
    return path;
  }

  /**
   * Returns the version, stage or label asked for.
   *
   * @return the version, such as {@code AWSPREVIOUS}, or empty for the current one
   */
  public Optional<String> version() {
    return Optional.ofNullable(version);
  }

  /**
   * Returns the field of a JSON secret asked for.
   *
   * @return the field, such as {@code password}, or empty for the whole value
   */
  public Optional<String> field() {
    return Optional.ofNullable(field);
  }

  /**
   * Returns a copy of this reference that asks for the given version.
   *
   * @param version the version, stage or label; unescaped, not empty
   * @return the copy
   * @throws IllegalArgumentException if {@code version} is empty or has an unpaired surrogate
   */
  public SecretRef withVersion(String version) {
    requireNonNull(version, "version");
    if (version.isEmpty()) {
      throw new IllegalArgumentException("version must not be empty");
    }
    checkWellFormed(version, "version");
    return new SecretRef(scheme, path, version, field);
  }

  /**
   * Returns a copy of this reference that asks for the given field of a JSON secret.
   *
   * @param field the field name; unescaped, not empty
   * @return the copy
   * @throws IllegalArgumentException if {@code field} is empty or has an unpaired surrogate
   */
  public SecretRef withField(String field) {
    requireNonNull(field, "field");
    if (field.isEmpty()) {
      throw new IllegalArgumentException("field must not be empty");
    }
    checkWellFormed(field, "field");
    return new SecretRef(scheme, path, version, field);
  }

  /**
   * Returns a copy of this reference that asks for the whole secret, without a field.
   *
   * @return the copy, or this reference if it has no field
   * @since 0.2
   */
  public SecretRef withoutField() {
    return field == null ? this : new SecretRef(scheme, path, version, null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretRef other
        && scheme.equals(other.scheme)
        && path.equals(other.path)
        && Objects.equals(version, other.version)
        && Objects.equals(field, other.field);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Objects.hash(scheme, path, version, field);
      hash = h;
    }
    return h;
  }

  /**
   * Returns the canonical form, {@code scheme:path[@version][#field]} with every character outside
   * the grammar's {@code char} percent-escaped; {@link #parse(String)} reads it back.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(scheme).append(':');
    escape(path, sb);
    if (version != null) {
      escape(version, sb.append('@'));
    }
    if (field != null) {
      escape(field, sb.append('#'));
    }
    return sb.toString();
  }

  /**
   * Rejects an unpaired surrogate: UTF-8 cannot encode it, so {@link #toString()} would write a
   * {@code ?} in its place and the canonical form would name another secret.
   */
  private static void checkWellFormed(String s, String what) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            what + " has an unpaired surrogate at index " + i + "; it cannot be written as UTF-8");
      }
    }
  }

  /**
   * Tells whether a text is a valid scheme: a lower-case letter, then lower-case letters, digits or
   * {@code -}.
   *
   * @param s the candidate scheme
   * @return whether {@link #of(String, String)} accepts it as a scheme
   */
  public static boolean isScheme(String s) {
    requireNonNull(s, "scheme");
    if (s.isEmpty() || !isLower(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      if (!isSchemeChar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLower(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isSchemeChar(char c) {
    return isLower(c) || (c >= '0' && c <= '9') || c == '-';
  }

  private static boolean isPlain(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "-._~/+=,:".indexOf(c) >= 0;
  }

  private static void escape(String s, StringBuilder sb) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isPlain(c)) {
        sb.append(c);
      } else {
        int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
        for (byte b : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
          sb.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
        i = end - 1;
      }
    }
  }

  private enum Part {
    PATH,
    VERSION,
    FIELD
  }

  /** A single-pass parser that reports the first error with its position. */
  private static final class Parser {
    private final String text;
    private final String subject;
    private int pos;

    Parser(String text, String subject) {
      this.text = text;
      this.subject = subject;
    }

    SecretRef parse() {
      String scheme = DEFAULT_SCHEME;
      int colon = text.indexOf(':');
      int stop = firstOf('@', '#');
      if (colon >= 0 && (stop < 0 || colon < stop)) {
        String candidate = text.substring(0, colon);
        if (!isScheme(candidate)) {
          throw error(
              schemeErrorPosition(candidate),
              "expected a scheme (a lower-case letter, then lower-case letters, digits or '-')"
                  + " before ':'");
        }
        scheme = candidate;
        pos = colon + 1;
      }
      String path = component("a path", Part.PATH);
      String version = null;
      String field = null;
      if (pos < text.length() && text.charAt(pos) == '@') {
        pos++;
        version = component("a version after '@'", Part.VERSION);
      }
      if (pos < text.length() && text.charAt(pos) == '#') {
        pos++;
        field = component("a field name after '#'", Part.FIELD);
      }
      return new SecretRef(scheme, path, version, field);
    }

    private int firstOf(char a, char b) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == a || c == b) {
          return i;
        }
      }
      return -1;
    }

    private int schemeErrorPosition(String candidate) {
      if (candidate.isEmpty() || !isLower(candidate.charAt(0))) {
        return 0;
      }
      for (int i = 1; i < candidate.length(); i++) {
        if (!isSchemeChar(candidate.charAt(i))) {
          return i;
        }
      }
      return candidate.length();
    }

    /** Reads one component up to the delimiter that may follow it, or the end. */
    private String component(String expected, Part part) {
      int start = pos;
      ByteArrayOutputStream bytes = null;
      StringBuilder plain = new StringBuilder();
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if ((c == '#' && part != Part.FIELD) || (c == '@' && part == Part.PATH)) {
          break;
        }
        if (c == '%') {
          if (pos + 2 >= text.length()) {
            throw error(pos, "expected two hex digits after '%'");
          }
          int hi = hexDigit(text.charAt(pos + 1));
          int lo = hexDigit(text.charAt(pos + 2));
          if (hi < 0 || lo < 0) {
            throw error(pos, "expected two hex digits after '%'");
          }
          if (bytes == null) {
            bytes = new ByteArrayOutputStream();
          }
          flush(plain, bytes);
          bytes.write(hi << 4 | lo);
          pos += 3;
          continue;
        }
        if (!isPlain(c)) {
          if (c == '@') {
            throw error(
                pos,
                part == Part.FIELD
                    ? "unexpected '@' in the field; write the version before '#', or '%40' for a"
                        + " literal '@'"
                    : "unexpected second '@'; write '%40' for a literal '@'");
          }
          if (c == '#') {
            throw error(pos, "unexpected second '#'; write '%23' for a literal '#'");
          }
          throw error(
              pos,
              Character.isWhitespace(c) || Character.isISOControl(c)
                  ? "unexpected white space or control character; escape it as %XX"
                  : "unexpected character; escape it as %XX (UTF-8)");
        }
        plain.append(c);
        pos++;
      }
      if (pos == start) {
        throw error(pos, "expected " + expected);
      }
      if (bytes == null) {
        return plain.toString();
      }
      flush(plain, bytes);
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes.toByteArray()))
            .toString();
      } catch (CharacterCodingException e) {
        throw error(start, "percent-escapes do not form valid UTF-8");
      }
    }

    /** The grammar's HEXDIG: ASCII only, where {@link Character#digit} also takes other scripts. */
    private static int hexDigit(char c) {
      return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    private static void flush(StringBuilder plain, ByteArrayOutputStream bytes) {
      byte[] b = plain.toString().getBytes(StandardCharsets.US_ASCII);
      bytes.write(b, 0, b.length);
      plain.setLength(0);
    }

    private IllegalArgumentException error(int position, String what) {
      return new Malformed(subject, position, what);
    }
  }

  /** The parser's error, keeping its parts so that {@link #problem(String)} need not read text. */
  private static final class Malformed extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int position;
    private final String reason;

    Malformed(String subject, int position, String reason) {
      super(subject + " at position " + position + ": " + reason);
      this.position = position;
      this.reason = reason;
    }
  }
}
