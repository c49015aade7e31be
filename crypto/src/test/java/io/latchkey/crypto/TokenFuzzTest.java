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
 * Nothing but {@link InvalidTokenException} escapes from token parsing, whatever the input.
 *
 * <p>{@link #decrypt_fuzzedInput_onlyInvalidTokenEscapes} is a Jazzer fuzz test: under {@code mvn
 * test} it replays its seed inputs; with {@code JAZZER_FUZZ=1} it fuzzes for real. {@link
 * #decrypt_randomAndMutatedTokens_onlyInvalidTokenEscapes} runs a fixed-seed random search on
 * every build.
 */
final class TokenFuzzTest {
  private static final FernetKey KEY =
      FernetKey.parse("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=");
  private static final FernetKeyRing RING = FernetKeyRing.of(FernetKey.generate(), KEY);
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  /** Decrypts every way the API allows; returns normally or throws InvalidTokenException. */
  private static void exercise(String token) {
    try {
      byte[] plain = RING.decrypt(token);
      // Only a token made with a ring key can decrypt; re-encrypting it must round-trip.
      assertThat(RING.decrypt(RING.rotate(token))).isEqualTo(plain);
    } catch (InvalidTokenException expected) {
      assertThat(expected.getMessage()).isEqualTo(expected.reason().message());
    }
    try {
      RING.decrypt(token, Duration.ofSeconds(60), NOW);
    } catch (InvalidTokenException expected) {
      // documented
    }
    try {
      RING.extractTimestamp(token);
    } catch (InvalidTokenException expected) {
      // documented
    }
    RING.isPrimary(token);
  }

  @FuzzTest(maxDuration = "30s")
  void decrypt_fuzzedInput_onlyInvalidTokenEscapes(FuzzedDataProvider data) {
    if (data.consumeBoolean()) {
      exercise(data.consumeRemainingAsString());
    } else {
      byte[] raw = data.consumeRemainingAsBytes();
      exercise(Base64.getUrlEncoder().encodeToString(raw));
    }
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
