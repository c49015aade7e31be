package io.latchkey.crypto.aead;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.InvalidTokenException.Reason;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random plaintexts, associated data and layouts: every token round-trips in both forms and
 * through a ring of the other layout, and every single flipped bit and every truncation of it is
 * rejected for the reason the format's decrypting order gives.
 *
 * <p>A failure names the seed and the case; rerun with {@code -Dlatchkey.aead.seed=N} to reproduce
 * it (keys and nonces are drawn from the seed too).
 */
final class AesGcmTokenPropertyTest {
  private static final long SEED = Long.getLong("latchkey.aead.seed", 0x5eedae5L);
  private static final int CASES = 250;

  /** Tokens up to this size have every bit flipped and every truncation tried. */
  private static final int EXHAUSTIVE = 96;

  @Test
  void randomTokens_roundTrip_andEveryFlippedBitOrTruncationIsRejected()
      throws NoSuchAlgorithmException {
    SplittableRandom random = new SplittableRandom(SEED);
    SecureRandom nonces = SecureRandom.getInstance("SHA1PRNG");
    nonces.setSeed(SEED);
    AesGcmKey primary = AesGcmKey.of(bytes(random, 32));
    AesGcmKey previous = AesGcmKey.of(bytes(random, 32));
    AesGcmKeyRing untimed =
        AesGcmKeyRing.builder().key(primary).key(previous).random(nonces).build();
    AesGcmKeyRing timed = untimed.withTimestamps(true);
    AesGcmKeyRing olderWriter = AesGcmKeyRing.builder().key(previous).random(nonces).build();

    for (int c = 0; c < CASES; c++) {
      String what = "seed " + SEED + ", case " + c;
      boolean isTimed = random.nextBoolean();
      AesGcmKeyRing writer = random.nextInt(4) == 0 ? olderWriter : untimed;
      writer = writer.withTimestamps(isTimed);
      byte[] plaintext =
          bytes(random, random.nextInt(8) == 0 ? random.nextInt(3000) : random.nextInt(64));
      AssociatedData ad = randomAssociatedData(random);

      byte[] raw = writer.encryptToBytes(plaintext, ad);
      String text = writer.encrypt(plaintext, ad);
      assertThat(raw).as(what).hasSize(plaintext.length + (isTimed ? 41 : 33));
      assertThat(raw[0]).as(what).isEqualTo((byte) (isTimed ? 1 : 2));
      for (AesGcmKeyRing reader : new AesGcmKeyRing[] {untimed, timed}) {
        assertThat(reader.decryptBytes(raw, ad)).as(what).isEqualTo(plaintext);
        assertThat(reader.decrypt(text, ad)).as(what).isEqualTo(plaintext);
      }

      boolean exhaustive = raw.length <= EXHAUSTIVE;
      int flips = exhaustive ? raw.length * 8 : 64;
      for (int f = 0; f < flips; f++) {
        int bit = exhaustive ? f : random.nextInt(raw.length * 8);
        byte[] flipped = raw.clone();
        flipped[bit / 8] ^= (byte) (1 << (bit % 8));
        // No single bit turns one layout byte into the other (0x01 ^ 0x02 is two bits).
        Reason expected = bit < 8 ? Reason.UNSUPPORTED_VERSION : Reason.WRONG_KEY_OR_TAMPERED;
        assertThat(Reasons.of(() -> untimed.decryptBytes(flipped, ad)))
            .as("%s, bit %d", what, bit)
            .isEqualTo(expected);
        if (f % 8 == 0) {
          assertThat(Reasons.of(() -> timed.decrypt(text(flipped), ad)))
              .as("%s, bit %d, text", what, bit)
              .isEqualTo(expected);
        }
      }
      int cuts = exhaustive ? raw.length : 32;
      for (int t = 0; t < cuts; t++) {
        int length = exhaustive ? t : random.nextInt(raw.length);
        byte[] cut = Arrays.copyOf(raw, length);
        Reason expected =
            length < (isTimed ? 41 : 33) ? Reason.MALFORMED : Reason.WRONG_KEY_OR_TAMPERED;
        assertThat(Reasons.of(() -> timed.decryptBytes(cut, ad)))
            .as("%s, cut to %d", what, length)
            .isEqualTo(expected);
      }
      AssociatedData other = ad.isEmpty() ? AssociatedData.of("") : AssociatedData.empty();
      assertThat(Reasons.of(() -> untimed.decrypt(text, other)))
          .as(what)
          .isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
      assertThat(Reasons.of(() -> untimed.decrypt(text, ad.withBytes(new byte[] {1}))))
          .as(what)
          .isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
    }
  }

  private static AssociatedData randomAssociatedData(SplittableRandom random) {
    AssociatedData ad = AssociatedData.empty();
    int parts = random.nextInt(4);
    for (int i = 0; i < parts; i++) {
      ad = ad.withBytes(bytes(random, random.nextInt(24)));
    }
    return ad;
  }

  private static byte[] bytes(SplittableRandom random, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) random.nextInt(256);
    }
    return out;
  }

  private static String text(byte[] raw) {
    return AesGcmKeyRing.TOKEN_PREFIX + Base64.getUrlEncoder().encodeToString(raw);
  }
}
