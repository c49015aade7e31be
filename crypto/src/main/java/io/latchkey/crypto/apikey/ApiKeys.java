package io.latchkey.crypto.apikey;

import io.latchkey.ConfigException.Problem;
import io.latchkey.Secret;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * API keys and their stored hashes: generating a key, hashing it, and reading and printing the
 * {@code sha256:} form a verifier is configured with.
 */
final class ApiKeys {
  static final String HASH_EXPECTED =
      "expected 'sha256:' and 64 hex digits, the SHA-256 of the API key as ApiKeyVerifier.hash"
          + " prints it; store the hash, never the key itself";

  private static final String HASH_PREFIX = "sha256:";
  private static final Pattern HASH = Pattern.compile("sha256:[0-9a-fA-F]{64}");
  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9]{1,15}");
  private static final int GENERATED_KEY_BYTES = 32;

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(ApiKeys::newSha256);

  private ApiKeys() {}

  /** {@code prefix}, an underscore, and 32 random bytes in URL-safe base64 without padding. */
  static Secret generate(String prefix, SecureRandom random) {
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "prefix must be 2 to 16 characters: a lower-case letter, then lower-case letters or"
              + " digits");
    }
    byte[] raw = new byte[GENERATED_KEY_BYTES];
    random.nextBytes(raw);
    byte[] body = Base64.getUrlEncoder().withoutPadding().encode(raw);
    byte[] key = new byte[prefix.length() + 1 + body.length];
    for (int i = 0; i < prefix.length(); i++) {
      key[i] = (byte) prefix.charAt(i);
    }
    key[prefix.length()] = '_';
    System.arraycopy(body, 0, key, prefix.length() + 1, body.length);
    try {
      return Secret.ofBytes(key);
    } finally {
      Arrays.fill(raw, (byte) 0);
      Arrays.fill(body, (byte) 0);
      Arrays.fill(key, (byte) 0);
    }
  }

  /** Tells whether the key has at least {@code min} UTF-8 bytes; the copy of the key is cleared. */
  static boolean isLongEnough(Secret apiKey, int min) {
    byte[] bytes = apiKey.revealBytes();
    try {
      return bytes.length >= min;
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** The SHA-256 of the key's UTF-8 bytes; the copy of the key is cleared. */
  static byte[] digest(Secret apiKey) {
    byte[] bytes = apiKey.revealBytes();
    try {
      return SHA256.get().digest(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  /** The stored form: {@code sha256:} and 64 lower-case hex digits. */
  static String format(byte[] digest) {
    return HASH_PREFIX + HexFormat.of().formatHex(digest);
  }

  /** Decodes a stored hash, or returns null if it is not one; surrounding whitespace is ignored. */
  static byte[] parseHash(String hash) {
    String h = hash.strip();
    if (!HASH.matcher(h).matches()) {
      return null;
    }
    return HexFormat.of().parseHex(h, HASH_PREFIX.length(), h.length());
  }

  /** The first eight hex digits, enough to tell hashes apart in a description. */
  static String shortForm(byte[] digest) {
    return HASH_PREFIX + HexFormat.of().formatHex(digest, 0, 4) + "...";
  }

  /** The checks across arguments; a null argument is unset, or was invalid and is reported. */
  static void check(
      byte[] current,
      byte[] previous,
      Instant rotatedAt,
      Duration overlap,
      Duration minOverlap,
      Duration maxOverlap,
      Instant now,
      ApiKeyVerifier.Names names,
      List<Problem> problems) {
    if (current != null && previous != null && MessageDigest.isEqual(current, previous)) {
      problems.add(
          new Problem(
              names.previous(),
              "is the same hash as "
                  + names.current()
                  + "; set "
                  + names.current()
                  + " to the new key's hash"));
    }
    // The setters take positive overlaps only.
    if (overlap != null) {
      if (overlap.compareTo(minOverlap) < 0) {
        problems.add(
            new Problem(
                names.overlap(),
                "is " + overlap + ", shorter than the minimum overlap " + minOverlap));
      } else if (overlap.compareTo(maxOverlap) > 0) {
        problems.add(
            new Problem(
                names.overlap(),
                "is " + overlap + ", longer than the maximum overlap " + maxOverlap));
      }
    }
    if (rotatedAt != null && rotatedAt.isAfter(plus(now, ApiKeyVerifier.MAX_CLOCK_SKEW))) {
      problems.add(
          new Problem(
              names.rotatedAt(),
              "is "
                  + rotatedAt
                  + ", more than "
                  + ApiKeyVerifier.MAX_CLOCK_SKEW
                  + " after the current time "
                  + now
                  + "; expected the time of the rotation"));
    }
  }

  static Instant plus(Instant instant, Duration d) {
    try {
      return instant.plus(d);
    } catch (DateTimeException | ArithmeticException e) {
      return d.isNegative() ? Instant.MIN : Instant.MAX;
    }
  }
}
