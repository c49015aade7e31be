package io.latchkey.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.InvalidTokenException;
import io.latchkey.InvalidTokenException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One spelling per token: a ring accepts exactly the canonical padded URL-safe base64 of a token
 * and rejects every other spelling of the same bytes as {@link Reason#MALFORMED}, including the
 * spellings pyca/cryptography tolerates (see docs/fernet.md, "One spelling per token").
 */
final class TokenSpellingTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final FernetKey KEY =
      FernetKey.parse("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=");
  private static final FernetKeyRing RING = FernetKeyRing.of(KEY);
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  /**
   * An IV whose base64 holds both URL-safe-only characters: it starts at byte 9 of the token, on a
   * group boundary, and FB EF BE spells "----", FF FF FF "____".
   */
  private static final byte[] IV = {
    (byte) 0xfb,
    (byte) 0xef,
    (byte) 0xbe,
    (byte) 0xff,
    (byte) 0xff,
    (byte) 0xff,
    (byte) 0xfb,
    (byte) 0xef,
    (byte) 0xbe,
    (byte) 0xff,
    (byte) 0xff,
    (byte) 0xff,
    1,
    2,
    3,
    4
  };

  /** Tokens ending in "==" (73 bytes), "=" (89 bytes) and no padding (105 bytes). */
  private static final List<String> TOKENS = List.of(token(1), token(17), token(33));

  private static String token(int length) {
    return FernetKeyRing.encryptWithIv(KEY, "x".repeat(length).getBytes(UTF_8), 1_700_000_000L, IV);
  }

  private static String padding(String token) {
    return token.substring(token.indexOf('=') < 0 ? token.length() : token.indexOf('='));
  }

  /**
   * Sets unused low bits of the last character that carries data, which exist only before padding;
   * an unpadded token is returned unchanged.
   */
  private static String bumpLastDataCharacter(String token) {
    if (padding(token).isEmpty()) {
      return token;
    }
    int at = token.length() - padding(token).length() - 1;
    char next = ALPHABET.charAt(ALPHABET.indexOf(token.charAt(at)) + 1);
    return token.substring(0, at) + next + token.substring(at + 1);
  }

  private static Named<UnaryOperator<String>> spelling(String name, UnaryOperator<String> f) {
    return Named.of(name, f);
  }

  static Stream<Named<UnaryOperator<String>>> otherSpellings() {
    List<Named<UnaryOperator<String>>> all = new ArrayList<>();
    all.add(spelling("padding removed", t -> t.replace("=", "")));
    all.add(spelling("one padding character of two removed", t -> t.replaceFirst("==$", "=")));
    all.add(spelling("an extra padding character", t -> t + "="));
    all.add(spelling("four extra padding characters", t -> t + "===="));
    all.add(spelling("standard alphabet", t -> t.replace('-', '+').replace('_', '/')));
    all.add(spelling("leading space", t -> " " + t));
    all.add(spelling("trailing newline", t -> t + "\n"));
    all.add(spelling("trailing CRLF", t -> t + "\r\n"));
    all.add(spelling("tab inside", t -> t.substring(0, 20) + "\t" + t.substring(20)));
    all.add(spelling("MIME line break at 76", t -> t.substring(0, 76) + "\r\n" + t.substring(76)));
    all.add(spelling("four spaces inside", t -> t.substring(0, 40) + "    " + t.substring(40)));
    all.add(spelling("trailing garbage", t -> t + "!"));
    all.add(spelling("trailing base64 after the padding", t -> t + "AAAA"));
    all.add(spelling("a dot inside", t -> t.substring(0, 8) + "." + t.substring(8)));
    all.add(spelling("unused bits set", TokenSpellingTest::bumpLastDataCharacter));
    all.add(spelling("padding percent-encoded", t -> t.replace("=", "%3D")));
    all.add(
        spelling("non-ASCII letter inside", t -> t.substring(0, 10) + "\u00e9" + t.substring(10)));
    all.add(
        spelling(
            "fullwidth letter for an ASCII one",
            t -> t.substring(0, 10) + (char) (t.charAt(10) + 0xfee0) + t.substring(11)));
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("otherSpellings")
  void decrypt_otherSpellingOfAValidToken_isMalformed(UnaryOperator<String> respell) {
    int checked = 0;
    for (String token : TOKENS) {
      String other = respell.apply(token);
      if (other.equals(token)) {
        continue; // this spelling change does not apply to this token's padding
      }
      checked++;
      assertThat(RING.decrypt(token)).as("the canonical spelling").isNotEmpty();
      for (Runnable call :
          List.<Runnable>of(
              () -> RING.decrypt(other),
              () -> RING.decrypt(other, Duration.ofDays(36500), T0),
              () -> RING.rotate(other),
              () -> RING.extractTimestamp(other))) {
        assertThatThrownBy(call::run)
            .as("%s, padding '%s'", other, padding(token))
            .isInstanceOfSatisfying(
                InvalidTokenException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
      }
      assertThat(RING.isPrimary(other)).isFalse();
    }
    assertThat(checked).as("tokens this spelling applies to").isPositive();
  }

  @Test
  void tokens_coverEveryPaddingAndBothUrlSafeCharacters() {
    assertThat(TOKENS).extracting(TokenSpellingTest::padding).containsExactly("==", "=", "");
    assertThat(TOKENS).allSatisfy(t -> assertThat(t).contains("-", "_"));
  }

  @Test
  void encrypt_everyLength_writesTheCanonicalSpellingTheRingReads() {
    for (int length = 0; length <= 64; length++) {
      String token = RING.encrypt(new byte[length], T0);
      byte[] raw = Base64.getUrlDecoder().decode(token);
      assertThat(Base64.getUrlEncoder().encodeToString(raw)).isEqualTo(token);
      assertThat(RING.decrypt(token)).hasSize(length);
    }
  }

  @Test
  void decrypt_unpaddedToken_isMalformed() {
    String token = TOKENS.get(0);
    assertThat(token).endsWith("==");
    assertThatThrownBy(() -> RING.decrypt(token.substring(0, token.length() - 2)))
        .isInstanceOfSatisfying(
            InvalidTokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
  }
}
