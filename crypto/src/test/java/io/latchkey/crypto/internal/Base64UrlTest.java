package io.latchkey.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The hand-written decoders agree with the JDK's on every canonical input, and the token decoder
 * rejects every other spelling.
 */
final class Base64UrlTest {

  @Test
  void decode_everyLength_matchesTheJdk() {
    SplittableRandom random = new SplittableRandom(42);
    for (int len = 0; len < 600; len++) {
      byte[] bytes = new byte[len];
      random.nextBytes(bytes);
      String padded = Base64.getUrlEncoder().encodeToString(bytes);
      String unpadded = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      assertThat(Base64Url.decode(padded)).as("length %d", len).isEqualTo(bytes);
      if (!unpadded.equals(padded)) {
        assertThat(Base64Url.decode(unpadded)).as("unpadded, length %d", len).isNull();
      }
      assertThat(Base64Url.decodeEitherAlphabet(padded)).isEqualTo(bytes);
      assertThat(Base64Url.decodeEitherAlphabet(Base64.getEncoder().encodeToString(bytes)))
          .isEqualTo(bytes);
      assertThat(Base64Url.encode(bytes)).isEqualTo(padded);
    }
  }

  @Test
  void decode_anyInvalidCharacterAnywhere_isRejected() {
    SplittableRandom random = new SplittableRandom(7);
    String invalid = "+/=%. \n\u00e9\u20ac\u0000~";
    for (int len = 1; len < 300; len++) {
      byte[] bytes = new byte[len];
      random.nextBytes(bytes);
      char[] chars = Base64.getUrlEncoder().encodeToString(bytes).toCharArray();
      int at = random.nextInt(chars.length - padding(chars));
      char c = invalid.charAt(random.nextInt(invalid.length()));
      // '=' in the last group could be a valid shorter padding; elsewhere it never is.
      chars[at] = c == '=' && at >= chars.length - 4 ? '%' : c;
      assertThat(Base64Url.decode(new String(chars))).as("length %d at %d", len, at).isNull();
    }
  }

  @Test
  void decode_nonCanonicalOrBadlyPadded_isRejected() {
    assertThat(Base64Url.decode("QQ==")).containsExactly('A');
    assertThat(Base64Url.decode("QR==")).isNull(); // unused bits set
    assertThat(Base64Url.decode("QUE=")).containsExactly('A', 'A');
    assertThat(Base64Url.decode("QUF=")).isNull();
    assertThat(Base64Url.decode("Q")).isNull();
    assertThat(Base64Url.decode("QQ=")).isNull(); // padding without a whole quad
    assertThat(Base64Url.decode("QQ===")).isNull();
    assertThat(Base64Url.decode("=")).isNull();
    assertThat(Base64Url.decode("")).isEmpty();
    assertThat(Base64Url.decode("QQ")).isNull(); // unpadded
    assertThat(Base64Url.decode("QUE")).isNull();
    assertThat(Base64Url.decode("QUE==")).isNull();
    assertThat(Base64Url.decode("QUFB====")).isNull();
    assertThat(Base64Url.decode("QQ==QUFB")).isNull(); // data after the padding
    assertThat(Base64Url.decode("QUFB\n")).isNull();
  }

  private static int padding(char[] chars) {
    int n = 0;
    while (n < chars.length && chars[chars.length - 1 - n] == '=') {
      n++;
    }
    return n;
  }
}
