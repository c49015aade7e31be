package io.latchkey.scan;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Tokens that announce themselves with a provider's prefix: GitHub, GitLab, Slack, Stripe, and the
 * {@code sk-} keys of OpenAI, Anthropic and the providers that copied their format. Each is checked
 * against its provider's format (length, alphabet, parts), its checksum where the provider defines
 * one (GitHub's), and the randomness of its secret part.
 */
final class TokenDetector implements Detector {
  /** The prefixes, in lower case as the providers write them; the keywords of this detector. */
  static final List<String> PREFIXES =
      List.of(
          "ghp_",
          "gho_",
          "ghu_",
          "ghs_",
          "ghr_", // 0-4
          "github_pat_", // 5
          "glpat-",
          "gldt-",
          "glrt-",
          "glptt-",
          "glsoat-",
          "glft-",
          "gloas-",
          "glcbt-", // 6-13
          "xox",
          "xapp-", // 14-15
          "sk_live_",
          "sk_test_",
          "rk_live_",
          "rk_test_", // 16-19
          "sk-"); // 20

  /** GitHub's base62 alphabet: digits, then upper case, then lower case. */
  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  /** A GitHub token's random part, followed by its 6-character checksum. */
  private static final int GITHUB_RANDOM = 30;

  private static final int GITHUB_CHECKSUM = 6;

  /** The longest token read: the longest provider format with room to spare. */
  private static final int MAX = 512;

  private static final Chars.Set GITLAB = c -> Chars.isAlnum(c) || c == '-' || c == '_' || c == '.';

  private static final Chars.Set SLACK = c -> Chars.isAlnum(c) || c == '-';

  private static final Chars.Set FINE_GRAINED = c -> Chars.isAlnum(c) || c == '_';

  @Override
  public List<String> keywords() {
    return PREFIXES;
  }

  @Override
  public List<Rule> rules() {
    return List.of(
        Rules.GITHUB_TOKEN,
        Rules.GITHUB_FINE_GRAINED_TOKEN,
        Rules.GITLAB_TOKEN,
        Rules.SLACK_TOKEN,
        Rules.STRIPE_KEY,
        Rules.OPENAI_API_KEY,
        Rules.ANTHROPIC_API_KEY);
  }

  @Override
  public void detect(Window w, int keyword, int start, int end, Candidates out) {
    char[] t = w.chars;
    int n = w.length;
    // Prefixes are lower case; the keyword matched in any case. A token is a word of its own.
    if (!Chars.at(t, start, n, PREFIXES.get(keyword))
        || (start > 0 && (Chars.isAlnum(t[start - 1]) || t[start - 1] == '_'))) {
      return;
    }
    if (keyword <= 4) {
      github(t, n, start, end, out);
    } else if (keyword == 5) {
      fineGrained(t, n, start, end, out);
    } else if (keyword <= 13) {
      int stop = Chars.run(t, end, n, GITLAB, MAX);
      // A sentence may end right after a token; a dot inside one separates its parts.
      while (stop > end && t[stop - 1] == '.') {
        stop--;
      }
      if (stop - end >= 20 && isRandom(t, end, stop, 3.0)) {
        out.add(Rules.GITLAB_TOKEN, start, stop, Excerpts.prefixed(t, start, end - start));
      }
    } else if (keyword <= 15) {
      slack(t, n, start, end, keyword == 15, out);
    } else if (keyword <= 19) {
      int stop = Chars.run(t, end, n, Chars.ALNUM, MAX);
      if (stop - end >= 20
          && Chars.count(Chars.classes(t, end, stop) & (Chars.LOWER | Chars.UPPER | Chars.DIGIT))
              >= 2
          && isRandom(t, end, stop, 3.3)
          && !isWordChar(t, stop, n)) {
        out.add(Rules.STRIPE_KEY, start, stop, Excerpts.prefixed(t, start, end - start));
      }
    } else {
      sk(t, n, start, end, out);
    }
  }

  private static boolean isWordChar(char[] t, int i, int n) {
    return i < n && (Chars.isAlnum(t[i]) || t[i] == '_');
  }

  private static boolean isRandom(char[] t, int from, int to, double minEntropy) {
    return Chars.entropy(t, from, to) >= minEntropy && !Placeholders.isInToken(t, from, to);
  }

  /** {@code ghp_} and its kin: 30 random base62 characters, then the CRC32 of those in base62. */
  private static void github(char[] t, int n, int start, int end, Candidates out) {
    int stop = Chars.run(t, end, n, Chars.ALNUM, GITHUB_RANDOM + GITHUB_CHECKSUM + 1);
    if (stop - end != GITHUB_RANDOM + GITHUB_CHECKSUM || isWordChar(t, stop, n)) {
      return;
    }
    if (checksum(t, end) == decode62(t, end + GITHUB_RANDOM, GITHUB_CHECKSUM)) {
      out.add(Rules.GITHUB_TOKEN, start, stop, Excerpts.prefixed(t, start, end - start));
    }
  }

  /** The CRC32 of a GitHub token's random part, as GitHub computes it. */
  static long checksum(char[] t, int from) {
    CRC32 crc = new CRC32();
    crc.update(new String(t, from, GITHUB_RANDOM).getBytes(StandardCharsets.US_ASCII));
    return crc.getValue();
  }

  /** A base62 number, or -1 if a character is outside the alphabet. */
  static long decode62(char[] t, int from, int length) {
    long value = 0;
    for (int i = from; i < from + length; i++) {
      int digit = BASE62.indexOf(t[i]);
      if (digit < 0) {
        return -1;
      }
      value = value * 62 + digit;
    }
    return value;
  }

  /** {@code github_pat_}, 22 characters, an underscore, 59 characters. */
  private static void fineGrained(char[] t, int n, int start, int end, Candidates out) {
    int stop = Chars.run(t, end, n, FINE_GRAINED, 100);
    if (stop - end != 82 || t[end + 22] != '_' || isWordChar(t, stop, n)) {
      return;
    }
    for (int i = end; i < stop; i++) {
      if (t[i] == '_' && i != end + 22) {
        return;
      }
    }
    if (isRandom(t, end + 23, stop, 4.0)) {
      out.add(
          Rules.GITHUB_FINE_GRAINED_TOKEN, start, stop, Excerpts.prefixed(t, start, end - start));
    }
  }

  /**
   * Slack: {@code xoxb-}, {@code xoxp-}, {@code xoxa-}, {@code xoxr-}, {@code xoxs-}, {@code
   * xoxo-}, {@code xoxe.xoxp-}, {@code xoxe-} and {@code xapp-}, then dash-separated parts among
   * which a number (a team, user or app id) and a long random part.
   */
  private static void slack(char[] t, int n, int start, int end, boolean app, Candidates out) {
    int body = end;
    if (!app) {
      if (Chars.at(t, body, n, "e.xox")) {
        body += 5;
      }
      if (body + 1 >= n || "abposre".indexOf(t[body]) < 0 || t[body + 1] != '-') {
        return;
      }
      body += 2;
    }
    int stop = Chars.run(t, body, n, SLACK, MAX);
    while (stop > body && t[stop - 1] == '-') {
      stop--;
    }
    boolean number = false;
    int longest = 0;
    int longestAt = body;
    for (int part = body; part < stop; ) {
      int partEnd = part;
      boolean digits = true;
      while (partEnd < stop && t[partEnd] != '-') {
        digits &= Chars.isDigit(t[partEnd]);
        partEnd++;
      }
      number |= digits && partEnd > part;
      if (partEnd - part > longest) {
        longest = partEnd - part;
        longestAt = part;
      }
      part = partEnd + 1;
    }
    if (number
        && longest >= 20
        && isRandom(t, longestAt, longestAt + longest, 3.0)
        && !Placeholders.isInToken(t, body, stop)) {
      out.add(Rules.SLACK_TOKEN, start, stop, Excerpts.prefixed(t, start, body - start));
    }
  }

  /**
   * {@code sk-ant-…} (Anthropic); {@code sk-proj-}, {@code sk-svcacct-}, {@code sk-admin-}, {@code
   * sk-None-}, legacy keys holding {@code T3BlbkFJ} (base64 of "OpenAI"), and {@code sk-} with 32
   * or more random letters and digits (OpenAI's format as other providers copied it).
   */
  private static void sk(char[] t, int n, int start, int end, Candidates out) {
    int stop = Chars.run(t, end, n, Chars.BASE64URL, MAX);
    if (Chars.at(t, end, n, "ant-")) {
      int key = Chars.run(t, end + 4, stop, c -> c != '-', 16);
      key = key < stop ? key + 1 : end + 4;
      if (stop - key >= 80 && isRandom(t, key, stop, 4.0)) {
        out.add(Rules.ANTHROPIC_API_KEY, start, stop, Excerpts.prefixed(t, start, 7));
      }
      return;
    }
    for (String kind : new String[] {"proj-", "svcacct-", "admin-", "None-"}) {
      if (Chars.at(t, end, n, kind)) {
        int key = end + kind.length();
        if (stop - key >= 40 && isRandom(t, key, stop, 4.0)) {
          out.add(
              Rules.OPENAI_API_KEY,
              start,
              stop,
              Excerpts.prefixed(t, start, 3 + kind.length() - 1));
        }
        return;
      }
    }
    int length = stop - end;
    boolean legacy = length >= 40 && Chars.indexOf(t, end, stop, "T3BlbkFJ") >= 0;
    boolean plain =
        length >= 32
            && length <= 128
            && Chars.run(t, end, stop, Chars.ALNUM, MAX) == stop
            && (Chars.classes(t, end, stop) & Chars.DIGIT) != 0
            && (Chars.classes(t, end, stop) & (Chars.LOWER | Chars.UPPER)) != 0;
    // 32 random hex digits have an entropy above 3.1 in all but one case in a thousand.
    if ((legacy || plain) && isRandom(t, end, stop, 3.0)) {
      out.add(Rules.OPENAI_API_KEY, start, stop, Excerpts.prefixed(t, start, 3));
    }
  }
}
