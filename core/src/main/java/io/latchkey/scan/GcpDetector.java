package io.latchkey.scan;

import java.util.List;

/**
 * Google Cloud service-account key files: a JSON object whose {@code "type"} is {@code
 * "service_account"}, with a {@code "private_key"} holding a PEM key and a {@code "client_email"}.
 * The object may stand as a file, sit inside another string (escaped quotes, as in an environment
 * variable written to YAML), and have its members in any order.
 *
 * <p>The finding is the {@code private_key}'s string; the email and ids are not secret.
 */
final class GcpDetector implements Detector {
  /** How far from the type member the other members are looked for: a key file is ~2.4 KB. */
  private static final int REACH = 3500;

  /** The longest private_key string read. */
  private static final int MAX_KEY = 5000;

  private static final String PRIVATE_KEY = "private_key";
  private static final String CLIENT_EMAIL = "client_email";

  @Override
  public List<String> keywords() {
    return List.of("service_account");
  }

  @Override
  public List<Rule> rules() {
    return List.of(Rules.GCP_SERVICE_ACCOUNT);
  }

  @Override
  public void detect(Window w, int keyword, int start, int end, Candidates out) {
    char[] t = w.chars;
    int n = w.length;
    if (!Chars.at(t, start, n, "service_account") || !isTypeMember(t, start)) {
      return;
    }
    int from = Math.max(0, start - REACH);
    int to = Math.min(n, end + REACH);
    if (!hasEmail(t, from, to)) {
      return;
    }
    for (int at = Chars.indexOf(t, from, to, PRIVATE_KEY);
        at >= 0;
        at = Chars.indexOf(t, at + 1, to, PRIVATE_KEY)) {
      int valueStart = valueStart(t, n, at + PRIVATE_KEY.length());
      if (valueStart < 0) {
        continue;
      }
      boolean escaped = t[valueStart - 2] == '\\';
      int valueEnd = valueEnd(t, Math.min(n, valueStart + MAX_KEY), valueStart, escaped);
      if (valueEnd > 0
          && Chars.indexOf(t, valueStart, valueEnd, "PRIVATE KEY") >= 0
          && valueEnd - valueStart >= 200) {
        out.add(
            Rules.GCP_SERVICE_ACCOUNT,
            valueStart,
            valueEnd,
            Excerpts.labelled("service_account private_key="),
            Candidates.BASE64_ONLY);
        return;
      }
    }
  }

  /**
   * Whether the keyword is the value of a {@code "type"} member: {@code "type": "service_account"}.
   */
  private static boolean isTypeMember(char[] t, int start) {
    StringBuilder before = new StringBuilder();
    for (int i = start - 1; i >= Math.max(0, start - 24); i--) {
      char c = t[i];
      if (c != ' ' && c != '\t' && c != '\\' && c != '\n' && c != '\r') {
        before.append(c);
      }
    }
    return before.reverse().toString().endsWith("\"type\":\"");
  }

  /** Whether a {@code "client_email"} member with an address is in {@code t[from, to)}. */
  private static boolean hasEmail(char[] t, int from, int to) {
    int at = Chars.indexOf(t, from, to, CLIENT_EMAIL);
    if (at < 0) {
      return false;
    }
    int valueStart = valueStart(t, to, at + CLIENT_EMAIL.length());
    return valueStart > 0 && Chars.indexOf(t, valueStart, Math.min(to, valueStart + 120), "@") > 0;
  }

  /**
   * Where the string value of the member whose name ends at {@code afterName} begins: past the
   * name's closing quote, a colon and the value's opening quote, each quote perhaps escaped; -1 if
   * the name is not followed by a string.
   */
  private static int valueStart(char[] t, int n, int afterName) {
    int i = afterName;
    if (i < n && t[i] == '\\') {
      i++;
    }
    if (i >= n || t[i] != '"') {
      return -1;
    }
    i++;
    while (i < n && (t[i] == ' ' || t[i] == '\t')) {
      i++;
    }
    if (i >= n || t[i] != ':') {
      return -1;
    }
    i++;
    while (i < n && (t[i] == ' ' || t[i] == '\t')) {
      i++;
    }
    if (i < n && t[i] == '\\') {
      i++;
    }
    return i < n && t[i] == '"' && i >= 2 ? i + 1 : -1;
  }

  /** The end of a JSON string's content: its closing quote, escaped if the opening one was. */
  private static int valueEnd(char[] t, int limit, int from, boolean escaped) {
    for (int i = from; i < limit; i++) {
      if (t[i] == '\\') {
        if (escaped && i + 1 < limit && t[i + 1] == '"') {
          return i;
        }
        i++; // an escape inside the string
      } else if (t[i] == '"') {
        return escaped ? -1 : i;
      }
    }
    return -1;
  }
}
