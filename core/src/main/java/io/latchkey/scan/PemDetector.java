package io.latchkey.scan;

import java.util.List;

/**
 * PEM private keys ({@code -----BEGIN RSA PRIVATE KEY-----}, {@code EC}, {@code DSA}, {@code
 * OPENSSH}, {@code ENCRYPTED}, PKCS #8 and PGP's {@code PRIVATE KEY BLOCK}), with line breaks as
 * they are in a key file, escaped as {@code \n} in JSON and in string literals, or gone when a key
 * was pasted onto one line. Public keys and certificates are not secret and are not reported.
 *
 * <p>The finding is the base64 body; the markers around it are public.
 */
final class PemDetector implements Detector {
  private static final String BEGIN = "-----BEGIN ";
  private static final String DASHES = "-----";
  private static final String END = "-----END";

  /** The shortest body worth reporting: shorter ones are elisions such as {@code MIIE...}. */
  private static final int MIN_BASE64 = 64;

  /** A body cut off before its end marker (a key pasted into a log) must be at least this long. */
  private static final int MIN_UNTERMINATED = 200;

  /** The longest body read: an 8192-bit RSA key takes about 6,500 characters. */
  private static final int MAX_BODY = 11_000;

  /** Lines of RFC 1421 headers ({@code Proc-Type}, {@code DEK-Info}) or PGP's armor headers. */
  private static final int MAX_HEADERS = 4;

  @Override
  public List<String> keywords() {
    return List.of("-----begin");
  }

  @Override
  public List<Rule> rules() {
    return List.of(Rules.PRIVATE_KEY);
  }

  @Override
  public void detect(Window w, int keyword, int start, int end, Candidates out) {
    char[] t = w.chars;
    int n = w.length;
    if (!Chars.at(t, start, n, BEGIN)) {
      return;
    }
    int labelStart = start + BEGIN.length();
    int labelEnd =
        Chars.run(t, labelStart, n, c -> Chars.isUpper(c) || Chars.isDigit(c) || c == ' ', 40);
    String label = w.text(labelStart, labelEnd);
    if (!(label.endsWith("PRIVATE KEY") || label.endsWith("PRIVATE KEY BLOCK"))
        || !Chars.at(t, labelEnd, n, DASHES)) {
      return;
    }
    int i = skipHeaders(t, n, labelEnd + DASHES.length());
    int limit = Math.min(n, i + MAX_BODY);
    int bodyStart = -1;
    int bodyEnd = -1;
    int base64 = 0;
    boolean terminated = false;
    while (i < limit) {
      char c = t[i];
      if (Chars.BASE64.has(c) || c == '=') {
        bodyStart = bodyStart < 0 ? i : bodyStart;
        bodyEnd = i + 1;
        base64++;
        i++;
      } else if (isBreak(c)) {
        i++;
      } else if (c == '\\' && i + 1 < n && "nr\\".indexOf(t[i + 1]) >= 0) {
        i += 2;
      } else {
        terminated = Chars.at(t, i, n, END);
        break;
      }
    }
    if (bodyStart < 0
        || base64 < MIN_BASE64
        || (!terminated && base64 < MIN_UNTERMINATED)
        || Chars.entropy(t, bodyStart, bodyEnd) < 4.5
        || Placeholders.isInToken(t, bodyStart, bodyEnd)) {
      return;
    }
    out.add(
        Rules.PRIVATE_KEY,
        bodyStart,
        bodyEnd,
        Excerpts.labelled("BEGIN " + label + " "),
        Candidates.BASE64_ONLY);
  }

  /**
   * Skips the line break after the marker and any header lines ({@code Name: value}), raw or
   * escaped, to where the base64 begins.
   */
  private static int skipHeaders(char[] t, int n, int from) {
    int i = from;
    for (int headers = 0; headers <= MAX_HEADERS; headers++) {
      i = skipBreaks(t, n, i);
      int lineEnd = i;
      while (lineEnd < n && t[lineEnd] != '\n' && t[lineEnd] != '\r' && t[lineEnd] != '\\') {
        lineEnd++;
      }
      int colon = Chars.indexOf(t, i, lineEnd, ":");
      if (colon < 0 || colon - i > 20) {
        return i;
      }
      i = lineEnd;
    }
    return i;
  }

  /**
   * What may stand between lines of a key: line breaks and blanks, and the quotes of string
   * literals that a key was split into ({@code "MIIE…\n" +} on each line of Java or Python).
   */
  private static boolean isBreak(char c) {
    return c == '\n' || c == '\r' || c == ' ' || c == '\t' || c == '"' || c == '\'';
  }

  private static int skipBreaks(char[] t, int n, int from) {
    int i = from;
    while (i < n) {
      if (isBreak(t[i])) {
        i++;
      } else if (t[i] == '\\' && i + 1 < n && (t[i + 1] == 'n' || t[i + 1] == 'r')) {
        i += 2;
      } else {
        break;
      }
    }
    return i;
  }
}
