package io.latchkey.scan;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * JSON Web Tokens: three base64url parts joined by dots, whose header decodes to a JSON object
 * naming its algorithm and whose payload decodes to a JSON object. The header of every JSON object
 * starts with <code>{"</code>, which base64url writes {@code eyJ}: the keyword.
 */
final class JwtDetector implements Detector {
  /** The shortest header, <code>{"alg":"X"}</code>, takes 15 characters in base64url. */
  private static final int MIN_HEADER = 15;

  /** HS256's signature takes 43 characters; shorter ones are not a real algorithm's. */
  private static final int MIN_SIGNATURE = 16;

  /** The longest part read; real tokens stay well below it. */
  private static final int MAX_PART = 4096;

  @Override
  public List<String> keywords() {
    return List.of("eyj");
  }

  @Override
  public List<Rule> rules() {
    return List.of(Rules.JWT);
  }

  @Override
  public void detect(Window w, int keyword, int start, int end, Candidates out) {
    char[] t = w.chars;
    int n = w.length;
    if (!Chars.at(t, start, n, "eyJ")) {
      return;
    }
    // Inside a longer base64 text, or the payload of a token whose header was already read.
    if (start > 0 && (Chars.BASE64URL.has(t[start - 1]) || t[start - 1] == '.')) {
      return;
    }
    int headerEnd = Chars.run(t, start, n, Chars.BASE64URL, MAX_PART);
    if (headerEnd - start < MIN_HEADER || headerEnd >= n || t[headerEnd] != '.') {
      return;
    }
    int payloadEnd = Chars.run(t, headerEnd + 1, n, Chars.BASE64URL, MAX_PART);
    if (payloadEnd - headerEnd - 1 < 3 || payloadEnd >= n || t[payloadEnd] != '.') {
      return;
    }
    int signatureEnd = Chars.run(t, payloadEnd + 1, n, Chars.BASE64URL, MAX_PART);
    if (signatureEnd - payloadEnd - 1 < MIN_SIGNATURE) {
      return;
    }
    String header = decode(t, start, headerEnd);
    String payload = decode(t, headerEnd + 1, payloadEnd);
    if (header == null || payload == null || !header.startsWith("{") || !payload.startsWith("{")) {
      return;
    }
    String compact = header.replaceAll("\\s", "");
    if (!compact.contains("\"alg\":") || compact.contains("\"alg\":\"none\"")) {
      return;
    }
    out.add(Rules.JWT, start, signatureEnd, Excerpts.prefixed(t, start, 3));
  }

  /** The part decoded as UTF-8 text, leading blanks removed; null if it is not base64url. */
  private static String decode(char[] t, int from, int to) {
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(new String(t, from, to - from));
      return new String(bytes, StandardCharsets.UTF_8).stripLeading();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
