package io.latchkey.scan;

import java.util.List;

/**
 * AWS credentials: access key ids, which announce themselves ({@code AKIA} for a user's long-term
 * key, {@code ASIA} for a temporary one, {@code ABIA}, {@code ACCA}), and secret access keys, which
 * do not: 40 characters of base64 that only the words around them tell apart from any other.
 */
final class AwsDetector implements Detector {
  private static final List<String> KEYWORDS =
      List.of(
          "akia",
          "asia",
          "abia",
          "acca", // 0-3: key ids
          "aws",
          "secret_access_key",
          "secretaccesskey",
          "secret-access-key"); // 4-7

  /** How far after a keyword a secret key is looked for, and across how many line breaks. */
  private static final int REACH = 256;

  private static final int MAX_LINES = 4;

  private static final int SECRET_LENGTH = 40;

  /** Base32's alphabet (RFC 4648), which key ids are written in. */
  private static final Chars.Set BASE32 = c -> Chars.isUpper(c) || (c >= '2' && c <= '7');

  @Override
  public List<String> keywords() {
    return KEYWORDS;
  }

  @Override
  public List<Rule> rules() {
    return List.of(Rules.AWS_ACCESS_KEY_ID, Rules.AWS_SECRET_ACCESS_KEY);
  }

  @Override
  public void detect(Window w, int keyword, int start, int end, Candidates out) {
    char[] t = w.chars;
    int n = w.length;
    if (keyword < 4) {
      keyId(t, n, start, end, out);
      return;
    }
    // "aws" inside a word ("laws", "draws") is not about AWS; "myAwsKey" and "AWS_KEY" are.
    if (keyword == 4 && start > 0 && Chars.isLower(t[start - 1]) && Chars.isLower(t[start])) {
      return;
    }
    int lines = 0;
    int limit = Math.min(n, end + REACH);
    int i = end;
    while (i < limit) {
      char c = t[i];
      if (c == '\n' && ++lines > MAX_LINES) {
        return;
      }
      if (!Chars.BASE64.has(c)) {
        i++;
        continue;
      }
      int stop = Chars.run(t, i, n, Chars.BASE64, SECRET_LENGTH + 1);
      if (stop - i == SECRET_LENGTH
          && (i == 0 || !Chars.BASE64.has(t[i - 1]))
          && (stop == n || t[stop] != '=')
          && isSecretKey(t, i, stop)) {
        out.add(Rules.AWS_SECRET_ACCESS_KEY, i, stop, Excerpts.named(t, i));
        return;
      }
      i = Chars.run(t, stop, n, Chars.BASE64, Integer.MAX_VALUE);
    }
  }

  /** Random-looking: both cases and a digit, high entropy, no path, no documentation example. */
  private static boolean isSecretKey(char[] t, int from, int to) {
    int classes = Chars.classes(t, from, to);
    return (classes & (Chars.UPPER | Chars.LOWER | Chars.DIGIT)) == 7
        && t[from] != '/'
        && Chars.entropy(t, from, to) >= 4.2
        && !Placeholders.isInToken(t, from, to);
  }

  private static void keyId(char[] t, int n, int start, int end, Candidates out) {
    // Key ids are upper case; the keyword matched in any case.
    for (int i = start; i < end; i++) {
      if (!Chars.isUpper(t[i])) {
        return;
      }
    }
    if (start > 0 && Chars.isAlnum(t[start - 1])) {
      return;
    }
    int stop = Chars.run(t, end, n, BASE32, 17);
    if (stop - end != 16
        || (stop < n && Chars.isAlnum(t[stop]))
        || Chars.entropy(t, end, stop) < 2.8
        || Placeholders.isInToken(t, end, stop)) {
      return;
    }
    out.add(Rules.AWS_ACCESS_KEY_ID, start, stop, Excerpts.prefixed(t, start, 4));
  }
}
