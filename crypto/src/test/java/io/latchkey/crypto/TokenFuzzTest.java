package io.latchkey.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.latchkey.InvalidTokenException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Nothing but {@link InvalidTokenException} escapes from token parsing, whatever the input, and a
 * token is accepted in one spelling only: whatever the ring accepts re-encodes to exactly the
 * input.
 *
 * <p>{@link #decrypt_fuzzedInput_onlyInvalidTokenEscapes} is a Jazzer fuzz test: under {@code mvn
 * test} it replays its seed inputs (resources {@code TokenFuzzTestInputs/}); with {@code
 * JAZZER_FUZZ=1} it fuzzes for real, for the annotation's 30 s unless {@code JAZZER_MAX_DURATION}
 * (such as {@code 2m}) says otherwise. {@link
 * #decrypt_randomAndMutatedTokens_onlyInvalidTokenEscapes} runs a fixed-seed random search on every
 * build.
 */
final class TokenFuzzTest {
  private static final FernetKey KEY =
      FernetKey.parse("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=");
  private static final FernetKeyRing RING = FernetKeyRing.of(FernetKey.generate(), KEY);
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  /** The spec's token under {@link #KEY}, which the edits of the fuzz test start from. */
  static final String SPEC_TOKEN =
      "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmp"
          + "U4IwqDA==";

  /** What edits insert: the characters that make other spellings, then the URL-safe alphabet. */
  private static final String EDIT_CHARACTERS =
      "=+/ \n\r\t.%\u00e9\uff21-_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  /**
   * Decrypts every way the API allows; returns normally or throws InvalidTokenException. Returns
   * whether any call accepted the token.
   */
  private static boolean exercise(String token) {
    boolean accepted = false;
    try {
      byte[] plain = RING.decrypt(token);
      accepted = true;
      // Only a token made with a ring key can decrypt; re-encrypting it must round-trip.
      assertThat(RING.decrypt(RING.rotate(token))).isEqualTo(plain);
    } catch (InvalidTokenException expected) {
      assertThat(expected.getMessage()).isEqualTo(expected.reason().message());
    }
    try {
      RING.decrypt(token, Duration.ofSeconds(60), NOW);
      accepted = true;
    } catch (InvalidTokenException expected) {
      // documented
    }
    try {
      RING.extractTimestamp(token);
      accepted = true;
    } catch (InvalidTokenException expected) {
      // documented
    }
    accepted |= RING.isPrimary(token);
    if (accepted) {
      assertOneSpelling(token);
    }
    return accepted;
  }

  /** An accepted token is the canonical padded URL-safe base64 of its own bytes. */
  private static void assertOneSpelling(String token) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      throw new AssertionError("accepted a token that is not URL-safe base64", e);
    }
    assertThat(Base64.getUrlEncoder().encodeToString(raw))
        .as("canonical spelling of an accepted token")
        .isEqualTo(token);
  }

  /**
   * Applies edits read three bytes at a time (operation, position counted from the end, character)
   * to the spec token: the fuzzer searches for another spelling of a valid token.
   */
  static String edit(String token, byte[] edits) {
    StringBuilder sb = new StringBuilder(token);
    for (int i = 0; i + 2 < edits.length; i += 3) {
      int n = sb.length();
      int back = edits[i + 1] & 0xff;
      char c = EDIT_CHARACTERS.charAt((edits[i + 2] & 0xff) % EDIT_CHARACTERS.length());
      switch ((edits[i] & 0xff) % 3) {
        case 0 -> sb.insert(n - back % (n + 1), c);
        case 1 -> {
          if (n > 0) {
            sb.deleteCharAt(n - 1 - back % n);
          }
        }
        default -> {
          if (n > 0) {
            sb.setCharAt(n - 1 - back % n, c);
          }
        }
      }
    }
    return sb.toString();
  }

  /**
   * The last input byte picks a mode: 0, the rest as a string; 1, the rest as bytes, encoded
   * canonically; 2, the rest as edits of the spec token.
   */
  @FuzzTest(maxDuration = "30s")
  void decrypt_fuzzedInput_onlyInvalidTokenEscapes(FuzzedDataProvider data) {
    switch (data.consumeInt(0, 2)) {
      case 0 -> exercise(data.consumeRemainingAsString());
      case 1 -> exercise(Base64.getUrlEncoder().encodeToString(data.consumeRemainingAsBytes()));
      default -> {
        String edited = edit(SPEC_TOKEN, data.consumeRemainingAsBytes());
        if (exercise(edited)) {
          // No edit can make a different valid token without the key: only no change at all.
          assertThat(edited).isEqualTo(SPEC_TOKEN);
        }
      }
    }
  }

  @Test
  void edit_seedEdits_makeTheSpellingsTheirNamesSay() {
    String t = SPEC_TOKEN;
    assertThat(edit(t, new byte[] {1, 0, 0, 1, 0, 0})).isEqualTo(t.substring(0, t.length() - 2));
    assertThat(edit(t, new byte[] {0, 0, 3})).isEqualTo(t + " ");
    assertThat(edit(t, new byte[] {2, 2, 1})).isEqualTo(t.substring(0, t.length() - 3) + "+==");
    assertThat(exercise(t)).isTrue();
  }

  @Test
  void decrypt_randomAndMutatedTokens_onlyInvalidTokenEscapes() {
    SplittableRandom random = new SplittableRandom(20261123);
    byte[] valid =
        Base64.getUrlDecoder()
            .decode(RING.encrypt("fuzz me".getBytes(StandardCharsets.UTF_8), NOW));
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/%é ";
    for (int i = 0; i < 20_000; i++) {
      switch (i % 4) {
        case 0 -> {
          // Random bytes, framed like a token half of the time.
          byte[] raw = new byte[random.nextInt(0, 200)];
          random.nextBytes(raw);
          if (raw.length > 0 && random.nextBoolean()) {
            raw[0] = FernetKeyRing.VERSION;
          }
          exercise(Base64.getUrlEncoder().encodeToString(raw));
        }
        case 1 -> {
          // A valid token with a few random byte changes, truncations or extensions.
          byte[] raw = valid.clone();
          for (int m = random.nextInt(1, 4); m > 0; m--) {
            raw[random.nextInt(raw.length)] = (byte) random.nextInt(256);
          }
          int len = random.nextInt(0, raw.length + 32);
          byte[] cut = java.util.Arrays.copyOf(raw, len);
          exercise(Base64.getUrlEncoder().encodeToString(cut));
        }
        case 2 -> {
          // Random text from base64 and stray characters.
          StringBuilder sb = new StringBuilder();
          for (int n = random.nextInt(0, 140); n > 0; n--) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
          }
          exercise(sb.toString());
        }
        default -> {
          // A valid token string with one character replaced.
          char[] chars = Base64.getUrlEncoder().encodeToString(valid).toCharArray();
          chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
          exercise(new String(chars));
        }
      }
    }
  }
}
