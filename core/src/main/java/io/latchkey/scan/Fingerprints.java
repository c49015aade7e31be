package io.latchkey.scan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A finding's fingerprint: the first 128 bits of SHA-256 over a version tag, the rule and the
 * value, in hex. Equal values under one rule have equal fingerprints wherever they stand, so an
 * allow-list names a value without holding it.
 */
final class Fingerprints {
  /** Changing how fingerprints are computed changes this tag, and every allow-list with it. */
  private static final byte[] TAG = "latchkey-scan-1\0".getBytes(StandardCharsets.US_ASCII);

  static final int HEX_LENGTH = 32;

  private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{" + HEX_LENGTH + "}");

  private Fingerprints() {}

  /**
   * The fingerprint of {@code t[from, to)} under a rule; with {@link Candidates#BASE64_ONLY}, of
   * its base64 characters alone, so a key matches itself whatever its line breaks.
   */
  static String of(Rule rule, char[] t, int from, int to, int form) {
    StringBuilder value = new StringBuilder(to - from);
    for (int i = from; i < to; i++) {
      char c = t[i];
      if (form == Candidates.AS_IS || Chars.BASE64.has(c) || c == '=') {
        value.append(c);
      } else if (c == '\\' && i + 1 < to && "nr".indexOf(t[i + 1]) >= 0) {
        i++; // an escaped line break
      }
    }
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    sha256.update(TAG);
    sha256.update(rule.id().getBytes(StandardCharsets.US_ASCII));
    sha256.update((byte) 0);
    sha256.update(value.toString().getBytes(StandardCharsets.UTF_8));
    byte[] digest = sha256.digest();
    return HexFormat.of().formatHex(digest, 0, HEX_LENGTH / 2);
  }

  /** Whether {@code text} is a fingerprint: 32 lower-case hex digits. */
  static boolean isFingerprint(String text) {
    return FORMAT.matcher(text).matches();
  }
}
