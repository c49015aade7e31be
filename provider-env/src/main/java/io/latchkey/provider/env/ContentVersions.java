package io.latchkey.provider.env;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Version ids derived from a value's content: the same content has the same id, so a resolver that
 * re-checks a file sees whether it changed, and another content has another id.
 *
 * <h2>Security</h2>
 *
 * <p>The id is HMAC-SHA256 under a random key that this provider instance draws and never shows,
 * cut to 64 bits: version ids appear in listeners' arguments and log lines, and a plain hash of a
 * password would let anyone who reads one test guesses offline. Ids therefore differ from one
 * process to the next, which no caller relies on: a resolver only compares the ids one provider
 * gave it.
 */
final class ContentVersions {
  // Ids are asked for when a resolver re-checks a reference, not on every read: one Mac, locked.
  // Made at the first id: a value from the environment has none, and finding HmacSHA256 loads the
  // JDK's security providers, which costs a fresh JVM tens of milliseconds at start-up.
  private Mac mac;

  /** Returns the version id of a value: 16 hex digits. */
  synchronized String of(String value) {
    if (mac == null) {
      mac = newMac();
    }
    byte[] tag = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(tag, 0, 8);
  }

  private static Mac newMac() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "ContentVersions[HmacSHA256, 64 bits]";
  }
}
