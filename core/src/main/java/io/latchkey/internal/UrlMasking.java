package io.latchkey.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The lexical rule that finds the credentials in a text that is not secret as a whole: the user
 * info of every URL, {@code name=value} parameters whose names mark a credential, long bare
 * fragments. The configuration's report masks what it finds ({@code ConfigReport.maskUrls}), and
 * the redactor redacts the same stretches wherever they appear, so that the two never disagree
 * about what a credential is. The rule is written down in {@code docs/security.md}, "How URLs are
 * masked".
 *
 * <p>Masking is lexical, so that it works on text that does not parse as a URI too: that is exactly
 * the text an error message quotes, and a password written unencoded breaks any parser. Where the
 * text is ambiguous the mask covers more, never less. Each pass is a few forward or backward scans
 * without regular expressions, and there are at most {@value #MAX_PASSES} passes, so the time is
 * linear in the length of the text.
 *
 * <p>Not exported by the module: for Latchkey's own packages only.
 */
public final class UrlMasking {
  /** What replaces each credential. */
  public static final String MASK = "***";

  /** Masking passes before a text that still changes is hidden whole. */
  private static final int MAX_PASSES = 4;

  /** A longer user name, or one with other characters, may be a token and is masked. */
  private static final int MAX_USER = 32;

  /** GitHub's password for a token sent as the user name. */
  private static final String PLACEHOLDER = "x-oauth-basic";

  /** A longer bare fragment, or one with other characters, may be a key and is masked. */
  private static final int MAX_ANCHOR = 32;

  /** Parts of parameter names that mark a credential (matched in lower case, decoded). */
  private static final String[] CREDENTIAL_PARTS = {
    "pass",
    "pwd",
    "secret",
    "token",
    "auth",
    "key",
    "sig",
    "cred",
    "sess",
    "cookie",
    "jwt",
    "bearer",
    "private",
    "assertion",
    "ticket",
    "hmac",
    "otp"
  };

  /** Endings of parameter names that mark a credential: {@code code}, {@code sid}. */
  private static final String[] CREDENTIAL_ENDINGS = {"code", "sid"};

  /** Names that hold a credential word but are known settings, not credentials (MongoDB). */
  private static final String[] NOT_CREDENTIALS = {"authsource", "authmechanism"};

  private UrlMasking() {}

  /**
   * Masks every credential in {@code text}: the user info of every URL in it, credential parameters
   * in queries, fragments and connection strings, and long fragments.
   *
   * @param text any text
   * @return the text with each credential replaced by {@value #MASK}
   */
  public static String url(String text) {
    return url(text, false);
  }

  /**
   * Masks as {@link #url(String)} does and, when {@code unparsed} is set, also from the first
   * {@code :} to the last {@code @}, on each pass: for a value that failed to parse as a URI and
   * has no {@code ://}, whose password may have broken it.
   *
   * @param text any text
   * @param unparsed whether the text is a value that failed to parse as a URI
   * @return the masked text
   */
  public static String url(String text, boolean unparsed) {
    // One mask may join text that another rule then reads differently (a mask that takes the
    // ';' ending a value): masking the output again until nothing changes makes masking stable.
    // A text that keeps changing is hidden whole: cautious, and only contrived text gets there.
    String current = text;
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      String next = maskOnce(current, unparsed);
      if (next.equals(current)) {
        return current;
      }
      current = next;
    }
    return MASK;
  }

  private static String maskOnce(String text, boolean unparsed) {
    return find(text, unparsed).apply(text);
  }

  private static Ranges find(String text, boolean unparsed) {
    Ranges ranges = new Ranges();
    maskUrls(text, ranges);
    maskSchemelessUserInfo(text, ranges);
    maskParameters(text, ranges);
    if (unparsed) {
      maskUnparsedUserInfo(text, ranges);
    }
    return ranges;
  }

  /**
   * Every stretch of {@code text} that {@link #url(String)} replaces by {@value #MASK}, as written
   * in {@code text}: each span a pass masks, and each run of text the masks cover together, in
   * order of first appearance and each once. A text masked whole gives itself.
   *
   * @param text any text
   * @return the credentials; empty when {@code url(text)} is {@code text}
   */
  public static List<String> credentials(String text) {
    Set<String> found = new LinkedHashSet<>();
    // Where each character of the text being masked came from in the original: a character of
    // the original stands for itself, a character of a mask for the whole stretch it replaced.
    int[] from = new int[text.length()];
    int[] to = new int[text.length()];
    for (int i = 0; i < text.length(); i++) {
      from[i] = i;
      to[i] = i + 1;
    }
    boolean[] masked = new boolean[text.length()];
    String current = text;
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      Ranges ranges = find(current, false);
      ranges.merge();
      if (ranges.size == 0) {
        return runs(text, masked, found);
      }
      int[] nextFrom = new int[current.length() + MASK.length() * ranges.size];
      int[] nextTo = new int[nextFrom.length];
      int length = 0;
      int copied = 0;
      for (int k = 0; k < ranges.size; k++) {
        int start = ranges.start(k);
        int end = ranges.end(k);
        int origin = from[start];
        int originEnd = to[end - 1];
        found.add(text.substring(origin, originEnd));
        Arrays.fill(masked, origin, originEnd, true);
        for (int i = copied; i < start; i++, length++) {
          nextFrom[length] = from[i];
          nextTo[length] = to[i];
        }
        for (int m = 0; m < MASK.length(); m++, length++) {
          nextFrom[length] = origin;
          nextTo[length] = originEnd;
        }
        copied = end;
      }
      for (int i = copied; i < current.length(); i++, length++) {
        nextFrom[length] = from[i];
        nextTo[length] = to[i];
      }
      String next = ranges.apply(current);
      if (next.equals(current)) {
        return runs(text, masked, found);
      }
      current = next;
      from = Arrays.copyOf(nextFrom, length);
      to = Arrays.copyOf(nextTo, length);
    }
    // url(text) hides such a text whole.
    found.clear();
    found.add(text);
    return new ArrayList<>(found);
  }

  /** Adds each run of masked characters, which one mask covers in the output, to the spans. */
  private static List<String> runs(String text, boolean[] masked, Set<String> found) {
    int i = 0;
    while (i < masked.length) {
      if (!masked[i]) {
        i++;
        continue;
      }
      int start = i;
      while (i < masked.length && masked[i]) {
        i++;
      }
      found.add(text.substring(start, i));
    }
    return new ArrayList<>(found);
  }

  /**
   * Masks from the first {@code :} to the last {@code @}, for a value that failed to parse and has
   * no {@code ://}: often a URL whose password broke it with a space or whose {@code //} lost a
   * {@code :} ({@code postgres//app:pa ss@db/app}). The lexical rules read a word up to white
   * space, and would show the part of such a password after a space. A mask over the colon's first
   * occurrence covers more than the password when the colon is a scheme's, never less. The span is
   * added to the other rules' spans on the same text, so it only ever masks more.
   */
  private static void maskUnparsedUserInfo(String text, Ranges ranges) {
    int at = text.lastIndexOf('@');
    if (at < 0) {
      return;
    }
    int colon = indexOf(text, ':', 0, at);
    if (colon >= 0) {
      ranges.add(colon + 1, at);
    }
  }

  /**
   * A URL starts at each {@code ://} whose scheme begins the text or follows a separator (white
   * space, a comma, a quote, {@code =} and so on), and runs to the next such start: a {@code ://}
   * inside a URL ({@code ?next=x://} aside) is taken as part of it. Its user info ends at the last
   * {@code @} before the next URL, because a password written unencoded may hold {@code / ? # @} or
   * spaces, and an {@code @} in a path or query is rare enough that masking up to it costs little.
   */
  private static void maskUrls(String text, Ranges ranges) {
    int[] starts = new int[8];
    int[] schemes = new int[8];
    int count = 0;
    int previous = 0;
    for (int sep = text.indexOf("://"); sep >= 0; sep = text.indexOf("://", sep + 3)) {
      int scheme = schemeStart(text, previous, sep);
      if (count == 0 || (scheme > 0 && isSeparator(text.charAt(scheme - 1)))) {
        if (count == starts.length) {
          starts = Arrays.copyOf(starts, count * 2);
          schemes = Arrays.copyOf(schemes, count * 2);
        }
        starts[count] = sep + 3;
        schemes[count] = scheme;
        count++;
      }
      previous = sep + 3;
    }
    for (int k = 0; k < count; k++) {
      int start = starts[k];
      // The separator before the next scheme is left out: a mask that took it would make the
      // next URL part of this one when the output is masked again.
      int end = k + 1 < count ? schemes[k + 1] - 1 : text.length();
      int at = -1;
      for (int i = end - 1; i >= start; i--) {
        if (text.charAt(i) == '@') {
          at = i;
          break;
        }
      }
      if (at >= 0) {
        maskUserInfo(text, start, at, ranges);
      } else {
        int authorityEnd = start;
        while (authorityEnd < end && !endsAuthority(text.charAt(authorityEnd))) {
          authorityEnd++;
        }
        // No user info, so this must be host[:port]; anything else (an unencoded password that
        // holds "://") is hidden whole. A mask there is this class's own output, whose user info
        // took the '/' or '?' that ended the authority: masking it again would not be stable.
        if (!contains(text, MASK, start, authorityEnd) && !isAuthority(text, start, authorityEnd)) {
          ranges.add(start, authorityEnd);
        }
      }
      // A '#' in an unencoded password is not a fragment: look after the user info.
      maskFragment(text, at >= 0 ? at + 1 : start, end, ranges);
    }
  }

  private static boolean isSeparator(char c) {
    return Character.isWhitespace(c) || ",;=\"'(<[{|>`".indexOf(c) >= 0;
  }

  /**
   * Keeps a user name only when a password follows it and it looks like a name; a lone user part
   * (GitHub's {@code https://TOKEN@github.com}) or a user with an empty or placeholder password
   * ({@code TOKEN:x-oauth-basic}) is a credential itself.
   */
  private static void maskUserInfo(String text, int start, int at, Ranges ranges) {
    if (at == start) {
      return;
    }
    int colon = indexOf(text, ':', start, at);
    if (colon >= 0
        && colon + 1 < at
        && isPlainUser(text, start, colon)
        // startsWith, not equals: an '@' later in the text may have lengthened the password.
        && !text.regionMatches(true, colon + 1, PLACEHOLDER, 0, PLACEHOLDER.length())) {
      ranges.add(colon + 1, at);
    } else {
      ranges.add(start, at);
    }
  }

  private static boolean isPlainUser(String text, int start, int end) {
    if (end - start > MAX_USER) {
      return false;
    }
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (!(isAsciiAlnum(c) || c == '.' || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean endsAuthority(char c) {
    return c == '/' || c == '?' || c == '#' || c == '\\' || c == ';' || Character.isWhitespace(c);
  }

  /** Whether [start, end) is empty or a comma-separated list of host[:port]. */
  private static boolean isAuthority(String text, int start, int end) {
    int i = start;
    while (true) {
      int comma = indexOf(text, ',', i, end);
      int partEnd = comma < 0 ? end : comma;
      if (!isHostPort(text, i, partEnd)) {
        return false;
      }
      if (partEnd == end) {
        return true;
      }
      i = partEnd + 1;
    }
  }

  private static boolean isHostPort(String text, int start, int end) {
    int i = start;
    if (i < end && text.charAt(i) == '[') {
      int close = indexOf(text, ']', i, end);
      if (close < 0) {
        return false;
      }
      for (int j = i + 1; j < close; j++) {
        char c = text.charAt(j);
        if (!(isAsciiAlnum(c) || c == ':' || c == '.' || c == '%' || c == '_' || c == '-')) {
          return false;
        }
      }
      i = close + 1;
    } else {
      while (i < end && text.charAt(i) != ':') {
        char c = text.charAt(i);
        if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == '%')) {
          return false;
        }
        i++;
      }
    }
    if (i == end) {
      return true;
    }
    if (text.charAt(i) != ':') {
      return false;
    }
    if (end - i - 1 < 1 || end - i - 1 > 5) {
      return false;
    }
    for (int j = i + 1; j < end; j++) {
      if (!isAsciiDigit(text.charAt(j))) {
        return false;
      }
    }
    return true;
  }

  /** Where the scheme (or chain of schemes, {@code jdbc:postgresql}) before {@code ://} starts. */
  private static int schemeStart(String text, int from, int sep) {
    int i = sep;
    while (i > from) {
      char c = text.charAt(i - 1);
      if (isAsciiAlnum(c) || c == '+' || c == '.' || c == '-' || c == ':') {
        i--;
      } else {
        break;
      }
    }
    return i;
  }

  /**
   * A fragment of {@code name=value} pairs is masked by {@link #maskParameters}; a bare one is kept
   * only when it reads as an anchor ({@code #top}), since some links carry a key there.
   */
  private static void maskFragment(String text, int start, int end, Ranges ranges) {
    int hash = indexOf(text, '#', start, end);
    if (hash < 0) {
      return;
    }
    int i = hash + 1;
    boolean anchor = true;
    while (i < end && !endsFragment(text.charAt(i))) {
      char c = text.charAt(i);
      if (c == '=') {
        return;
      }
      if (!(isAsciiAlnum(c) || c == '.' || c == '_' || c == '-')) {
        anchor = false;
      }
      i++;
    }
    if (!anchor || i - hash - 1 > MAX_ANCHOR) {
      ranges.add(hash + 1, i);
    }
  }

  private static boolean endsFragment(char c) {
    return Character.isWhitespace(c)
        || c == ','
        || c == '\''
        || c == '"'
        || c == ')'
        || c == '>'
        || c == ']';
  }

  /**
   * {@code user:password@host} without a scheme (a Redis or Kafka address) is masked as in a URL;
   * the unit is a run of text between white space that starts with a plain user name.
   */
  private static void maskSchemelessUserInfo(String text, Ranges ranges) {
    int i = 0;
    int n = text.length();
    while (i < n) {
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int start = i;
      int colon = -1;
      int at = -1;
      // Only the part before a URL in the same word counts: maskUrls masks the URL.
      int limit = -1;
      while (i < n && !Character.isWhitespace(text.charAt(i))) {
        char c = text.charAt(i);
        if (limit < 0) {
          if (c == ':' && text.startsWith("//", i + 1)) {
            limit = schemeStart(text, start, i);
          } else if (c == ':' && colon < 0) {
            colon = i;
          } else if (c == '@') {
            at = i;
          }
        }
        i++;
      }
      if (limit < 0) {
        limit = i;
      }
      if (colon >= limit) {
        colon = -1; // the colon of a scheme chain (jdbc:mysql://) is not a user's
      }
      if (at >= 0 && text.regionMatches(true, start, "mailto:", 0, 7)) {
        // mailto:ops@example.com is an address; mailto:user:password@host is still masked.
        start += 7;
        colon = indexOf(text, ':', start, at);
      }
      // Only a plain user name before the colon makes it an address: anything else is a longer
      // text that other masks may join with its neighbours.
      if (colon >= 0 && at > colon + 1 && isPlainUser(text, start, colon)) {
        maskUserInfo(text, start, at, ranges);
      }
    }
  }

  /**
   * Masks the value of every {@code name=value} whose name is a credential name, wherever it is: a
   * query, a fragment, a JDBC or ODBC connection string, or prose.
   */
  private static void maskParameters(String text, Ranges ranges) {
    int n = text.length();
    int lastSemicolon = text.lastIndexOf(';');
    int i = 0;
    while (i < n) {
      int eq = text.indexOf('=', i);
      if (eq < 0) {
        return;
      }
      int nameStart = eq;
      while (nameStart > i && isNameChar(text.charAt(nameStart - 1))) {
        nameStart--;
      }
      if (nameStart == eq || !isCredentialName(text, nameStart, eq)) {
        i = eq + 1;
        continue;
      }
      char before = nameStart == 0 ? ' ' : text.charAt(nameStart - 1);
      // A connection string (Server=h;Password=p w;) separates its pairs with ';' alone: a
      // password there may hold spaces. Its first pair has nothing before it.
      boolean connectionString = before == ';' || (nameStart == 0 && lastSemicolon > eq);
      int valueEnd = valueEnd(text, eq + 1, before, connectionString);
      ranges.add(eq + 1, valueEnd);
      i = Math.max(valueEnd, eq + 1);
    }
  }

  /**
   * A value ends at white space, and at the separator of its own syntax: {@code &} or {@code #} in
   * a query, {@code &} or {@code ;} where the syntax is unknown. In a connection string it ends at
   * {@code ;} or a line break only, since a password there may hold spaces. A value in braces or
   * quotes (ODBC {@code PWD={a;b}}) ends at the first separator after the closing one, or at the
   * end of the text when there is none.
   */
  private static int valueEnd(String text, int start, char before, boolean connectionString) {
    int n = text.length();
    int from = start;
    if (start < n) {
      char open = text.charAt(start);
      if (open == '{') {
        from = -1;
        for (int i = start + 1; i < n; i++) {
          if (text.charAt(i) == '}') {
            if (i + 1 < n && text.charAt(i + 1) == '}') {
              i++; // "}}" is an escaped brace inside the value
            } else {
              from = i + 1;
              break;
            }
          }
        }
      } else if (open == '"' || open == '\'') {
        int close = text.indexOf(open, start + 1);
        from = close < 0 ? -1 : close + 1;
      }
      if (from < 0) {
        return n; // never closed: the rest may all be the value
      }
    }
    // Text after a closing brace or quote is still taken as value up to the separator.
    boolean query = before == '?' || before == '&';
    boolean ampersand = before != ';';
    boolean semicolon = !query;
    for (int i = from; i < n; i++) {
      char c = text.charAt(i);
      if (connectionString) {
        if (c == ';' || c == '\n' || c == '\r') {
          return i;
        }
        continue;
      }
      if (Character.isWhitespace(c)
          || (ampersand && c == '&')
          || (semicolon && c == ';')
          || (query && c == '#')) {
        return i;
      }
    }
    return n;
  }

  private static boolean isNameChar(char c) {
    return isAsciiAlnum(c)
        || c == '_'
        || c == '-'
        || c == '.'
        || c == '%'
        || c == '+'
        || c == '['
        || c == ']';
  }

  /** Whether the name, percent-decoded and in lower case, contains a credential word. */
  private static boolean isCredentialName(String text, int start, int end) {
    StringBuilder name = new StringBuilder(end - start);
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      int hi;
      int lo;
      if (c == '%'
          && i + 2 < end
          && (hi = Character.digit(text.charAt(i + 1), 16)) >= 0
          && (lo = Character.digit(text.charAt(i + 2), 16)) >= 0) {
        c = (char) (hi * 16 + lo);
        i += 2;
      }
      name.append(Character.toLowerCase(c));
    }
    String n = name.toString();
    for (String not : NOT_CREDENTIALS) {
      if (n.equals(not)) {
        return false;
      }
    }
    for (String part : CREDENTIAL_PARTS) {
      if (n.contains(part)) {
        return true;
      }
    }
    for (String ending : CREDENTIAL_ENDINGS) {
      if (n.endsWith(ending)) {
        return true;
      }
    }
    return false;
  }

  /** {@link String#indexOf(int, int)} that stops at {@code end}, so that scans stay linear. */
  private static int indexOf(String text, char c, int start, int end) {
    for (int i = start; i < end; i++) {
      if (text.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  private static boolean contains(String text, String s, int start, int end) {
    for (int i = start; i + s.length() <= end; i++) {
      if (text.startsWith(s, i)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAsciiAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isAsciiDigit(c);
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The spans to mask; overlapping or touching spans become one mask. */
  private static final class Ranges {
    private long[] spans = new long[8];
    private int size;

    /** Sorts the spans and joins those that overlap or touch, as {@link #apply} masks them. */
    void merge() {
      Arrays.sort(spans, 0, size);
      int merged = 0;
      for (int k = 0; k < size; k++) {
        int start = (int) (spans[k] >>> 32);
        int end = (int) spans[k];
        if (merged > 0 && start <= end(merged - 1)) {
          int joined = Math.max(end, end(merged - 1));
          spans[merged - 1] = ((long) start(merged - 1) << 32) | joined;
        } else {
          spans[merged++] = ((long) start << 32) | end;
        }
      }
      size = merged;
    }

    int start(int k) {
      return (int) (spans[k] >>> 32);
    }

    int end(int k) {
      return (int) spans[k];
    }

    void add(int start, int end) {
      if (end <= start) {
        return;
      }
      if (size == spans.length) {
        spans = Arrays.copyOf(spans, size * 2);
      }
      spans[size++] = ((long) start << 32) | end;
    }

    String apply(String text) {
      if (size == 0) {
        return text;
      }
      Arrays.sort(spans, 0, size);
      StringBuilder out = new StringBuilder(text.length());
      int copied = 0;
      int k = 0;
      while (k < size) {
        int start = (int) (spans[k] >>> 32);
        int end = (int) spans[k];
        k++;
        while (k < size && (int) (spans[k] >>> 32) <= end) {
          end = Math.max(end, (int) spans[k]);
          k++;
        }
        out.append(text, copied, start).append(MASK);
        copied = end;
      }
      return out.append(text, copied, text.length()).toString();
    }
  }
}
