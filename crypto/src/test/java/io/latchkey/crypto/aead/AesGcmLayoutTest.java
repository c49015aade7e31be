package io.latchkey.crypto.aead;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.InvalidTokenException;
import io.latchkey.InvalidTokenException.Reason;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

/**
 * The two layouts: the untimed one ({@code 0x02}) that rings write by default, the timed one
 * ({@code 0x01}) that {@code timestamps(true)} and an explicit time write, what each ring does with
 * each, and how each is rejected.
 */
final class AesGcmLayoutTest {
  private static final AssociatedData ROW = AssociatedData.forRow("credentials", "secret", 1L);
  private static final Instant MADE = Instant.parse("2025-06-01T12:00:00Z");
  private static final Reason MALFORMED = Reason.MALFORMED;
  private static final Reason WRONG = Reason.WRONG_KEY_OR_TAMPERED;
  private static final Reason VERSION = Reason.UNSUPPORTED_VERSION;

  private final AesGcmKey k1 = AesGcmKey.generate();
  private final AesGcmKey k2 = AesGcmKey.generate();
  private final MutableClock clock = new MutableClock();
  private final AesGcmKeyRing untimed =
      AesGcmKeyRing.builder().key(k1).key(k2).clock(clock).build();
  private final AesGcmKeyRing timed = untimed.withTimestamps(true);

  private static byte[] raw(String token) {
    return Base64.getUrlDecoder().decode(token.substring(AesGcmKeyRing.TOKEN_PREFIX.length()));
  }

  private static String text(byte[] raw) {
    return AesGcmKeyRing.TOKEN_PREFIX + Base64.getUrlEncoder().encodeToString(raw);
  }

  @Test
  void defaultRing_writesTheUntimedLayout_33BytesMoreThanThePlaintext_withoutReadingTheClock() {
    AesGcmKeyRing ring = AesGcmKeyRing.builder().key(k1).clock(new UnreadableClock()).build();
    for (int n : new int[] {0, 1, 32, 100}) {
      byte[] plaintext = new byte[n];
      byte[] bytes = ring.encryptToBytes(plaintext, ROW);
      assertThat(bytes).hasSize(33 + n).startsWith(2);
      assertThat(idOf(bytes)).isEqualTo(k1.id());
      byte[] fromText = raw(ring.encrypt(plaintext, ROW));
      assertThat(fromText).hasSize(33 + n).startsWith(2);
      assertThat(ring.decrypt(text(fromText), ROW)).isEqualTo(plaintext);
    }
    assertThat(AesGcmKeyRing.of(k1).encryptToBytes(new byte[5], ROW)).hasSize(38).startsWith(2);
  }

  @Test
  void timedRing_writesTheTimedLayout_41BytesMore_stampedWithItsClock() {
    byte[] bytes = timed.encryptToBytes(new byte[32], ROW);
    assertThat(bytes).hasSize(41 + 32).startsWith(1);
    assertThat(idOf(bytes)).isEqualTo(k1.id());
    String token = timed.encrypt(new byte[3], ROW);
    assertThat(raw(token)).hasSize(44).startsWith(1);
    assertThat(untimed.extractTimestamp(token, ROW)).isEqualTo(clock.instant());
  }

  @Test
  void encryptAtAnInstant_writesTheTimedLayout_whateverTheRing() {
    String token = untimed.encrypt("v".getBytes(UTF_8), MADE, ROW);
    assertThat(raw(token)).startsWith(1);
    assertThat(untimed.extractTimestamp(token, ROW)).isEqualTo(MADE);
    assertThat(timed.extractTimestamp(token, ROW)).isEqualTo(MADE);
  }

  @Test
  void everyRing_readsBothLayouts() {
    for (AesGcmKeyRing writer : List.of(untimed, timed)) {
      String token = writer.encrypt("both".getBytes(UTF_8), ROW);
      for (AesGcmKeyRing reader : List.of(untimed, timed, AesGcmKeyRing.of(k2, k1))) {
        assertThat(reader.decrypt(token, ROW)).asString(UTF_8).isEqualTo("both");
        assertThat(reader.decryptBytes(raw(token), ROW)).asString(UTF_8).isEqualTo("both");
      }
    }
  }

  @Test
  void withTimestamps_keepsKeysAndClock_andReturnsTheSameRingWhenNothingChanges() {
    assertThat(untimed.withTimestamps(false)).isSameAs(untimed);
    assertThat(timed.withTimestamps(true)).isSameAs(timed);
    assertThat(timed.keyIds()).isEqualTo(untimed.keyIds());
    assertThat(timed.withTimestamps(false).encryptToBytes(new byte[1], ROW)).startsWith(2);
    clock.advance(Duration.ofDays(1));
    assertThat(timed.extractTimestamp(timed.encrypt(new byte[1], ROW), ROW))
        .isEqualTo(clock.instant());
    AesGcmKeyRing fromEnv = AesGcmKeyRing.fromEnvironment("K", Map.of("K", k1.encoded().reveal()));
    assertThat(fromEnv.encryptToBytes(new byte[1], ROW)).startsWith(2);
    assertThat(fromEnv.withTimestamps(true).encryptToBytes(new byte[1], ROW)).startsWith(1);
  }

  @Test
  void decryptWithTtl_untimedToken_isExpiredOnceAuthentic() {
    String token = untimed.encrypt("v".getBytes(UTF_8), ROW);
    for (AesGcmKeyRing ring : List.of(untimed, timed)) {
      assertThat(Reasons.of(() -> ring.decrypt(token, Duration.ofDays(3650), ROW)))
          .isEqualTo(Reason.EXPIRED);
      assertThat(Reasons.of(() -> ring.decrypt(token, Duration.ofDays(1), clock.instant(), ROW)))
          .isEqualTo(Reason.EXPIRED);
      // Authentication comes first: a token that is altered, or read with another row's
      // associated data, is reported as that, not as expired.
      assertThat(Reasons.of(() -> ring.decrypt(token, Duration.ofDays(1), AssociatedData.empty())))
          .isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
      byte[] altered = raw(token);
      altered[altered.length - 1] ^= 1;
      assertThat(Reasons.of(() -> ring.decrypt(text(altered), Duration.ofDays(1), ROW)))
          .isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
    }
    assertThatThrownBy(() -> untimed.decrypt(token, Duration.ZERO, ROW))
        .isInstanceOf(IllegalArgumentException.class);
    // Without a time-to-live, an untimed token decrypts at any age.
    clock.advance(Duration.ofDays(3650));
    assertThat(untimed.decrypt(token, ROW)).asString(UTF_8).isEqualTo("v");
  }

  @Test
  void extractTimestamp_untimedToken_throwsIllegalArgumentNamingTheReasonNotAValue() {
    String canary = Leaks.randomSecret(new SplittableRandom(7), 40);
    String token = untimed.encrypt(canary.getBytes(UTF_8), ROW);

    assertThatThrownBy(() -> untimed.extractTimestamp(token, ROW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no timestamp")
        .hasMessageContaining("untimed")
        .satisfies(
            e -> {
              Leaks.assertNoLeak(e, canary);
              Leaks.assertNoLeak(e, token.substring(3));
            });
    // The token is authenticated first: one that is not is rejected as such.
    assertThat(Reasons.of(() -> untimed.extractTimestamp(token, AssociatedData.empty())))
        .isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
  }

  @Test
  void rotate_defaultRing_writesUntimedTokens_fromEitherLayout() {
    AesGcmKeyRing old = AesGcmKeyRing.of(k2);
    AesGcmKeyRing ring = AesGcmKeyRing.of(k1, k2);
    for (String token :
        List.of(old.encrypt(new byte[] {9}, ROW), old.encrypt(new byte[] {9}, MADE, ROW))) {
      String rotated = ring.rotate(token, ROW);
      assertThat(raw(rotated)).startsWith(2);
      assertThat(ring.isPrimary(rotated, ROW)).isTrue();
      assertThat(ring.decrypt(rotated, ROW)).containsExactly(9);
    }
  }

  @Test
  void rotate_timedRing_keepsATimedTokensTime_andStampsNowOnAnUntimedOne() {
    AesGcmKeyRing old = AesGcmKeyRing.of(k2);
    AesGcmKeyRing ring =
        AesGcmKeyRing.builder().key(k1).key(k2).clock(clock).timestamps(true).build();
    String timedToken = old.encrypt(new byte[] {1}, MADE, ROW);
    String untimedToken = old.encrypt(new byte[] {2}, ROW);
    clock.advance(Duration.ofHours(7));

    String keptTime = ring.rotate(timedToken, ROW);
    String stamped = ring.rotate(untimedToken, ROW);

    assertThat(raw(keptTime)).startsWith(1);
    assertThat(ring.extractTimestamp(keptTime, ROW)).isEqualTo(MADE);
    assertThat(raw(stamped)).startsWith(1);
    assertThat(ring.extractTimestamp(stamped, ROW)).isEqualTo(clock.instant());
    assertThat(ring.decrypt(stamped, ROW)).containsExactly(2);

    // The time is kept as its 8 bytes, even one beyond what an Instant holds.
    byte[] farFuture = AesGcmFormat.sealTimed(k2, new byte[] {3}, -1L, ROW, null, null);
    byte[] rotated = raw(ring.rotate(text(farFuture), ROW));
    assertThat(Arrays.copyOfRange(rotated, 5, 13)).containsOnly(0xff);
    assertThat(ring.extractTimestamp(text(rotated), ROW)).isEqualTo(Instant.MAX);
  }

  @Test
  void isPrimary_looksAtTheKeyOnly_notTheLayout() {
    String timedToken = untimed.encrypt(new byte[] {1}, MADE, ROW);
    assertThat(untimed.isPrimary(timedToken, ROW)).isTrue();
    assertThat(timed.isPrimary(untimed.encrypt(new byte[] {1}, ROW), ROW)).isTrue();
    assertThat(untimed.isPrimary(AesGcmKeyRing.of(k2).encrypt(new byte[1], ROW), ROW)).isFalse();
  }

  @Test
  void additionalData_fedInOneCallAtMost_andNoneForAnUntimedTokenWithoutAssociatedData()
      throws Exception {
    byte[] plaintext = "counted".getBytes(UTF_8);
    Map<String, Integer> calls = new LinkedHashMap<>();
    Map<String, Integer> expected = new LinkedHashMap<>();
    for (AesGcmKeyRing ring : List.of(untimed, timed)) {
      for (AssociatedData ad : List.of(AssociatedData.empty(), ROW, AssociatedData.of(""))) {
        byte[] raw = ring.encryptToBytes(plaintext, ad);
        String what = "layout " + raw[0] + ", " + ad;
        for (int mode : new int[] {Cipher.ENCRYPT_MODE, Cipher.DECRYPT_MODE}) {
          CountingCipher cipher = CountingCipher.create();
          AesGcmFormat.start(cipher, mode, k1, raw, ad);
          if (mode == Cipher.DECRYPT_MODE) {
            int bodyAt = AesGcmFormat.nonceAt(raw[0]) + AesGcmFormat.NONCE_BYTES;
            assertThat(cipher.doFinal(raw, bodyAt, raw.length - bodyAt)).isEqualTo(plaintext);
          }
          String call = what + (mode == Cipher.ENCRYPT_MODE ? " seal" : " open");
          calls.put(call, cipher.aadCalls());
          expected.put(call, raw[0] == AesGcmFormat.UNTIMED && ad.isEmpty() ? 0 : 1);
        }
      }
    }
    assertThat(calls).hasSize(12).isEqualTo(expected);
  }

  @Test
  void rejections_eachLayout_coarseReasons_andNoValueInAnyMessage() {
    SplittableRandom random = new SplittableRandom(0x1a7eL);
    for (AesGcmKeyRing ring : List.of(untimed, timed)) {
      String canary = Leaks.randomSecret(random, 48);
      String token = ring.encrypt(canary.getBytes(UTF_8), ROW);
      byte[] raw = raw(token);
      int overhead = AesGcmFormat.overhead(raw[0]);
      int nonceAt = AesGcmFormat.nonceAt(raw[0]);
      Map<String, Supplier<byte[]>> cases = new LinkedHashMap<>();
      Map<String, Reason> reasons = new LinkedHashMap<>();
      addCase(cases, reasons, "empty", () -> untimed.decryptBytes(new byte[0], ROW), MALFORMED);
      addCase(cases, reasons, "cut below the layout's length", cut(raw, overhead - 1), MALFORMED);
      addCase(cases, reasons, "cut below 33 bytes", cut(raw, 32), MALFORMED);
      addCase(cases, reasons, "one byte of the tag cut off", cut(raw, raw.length - 1), WRONG);
      addCase(cases, reasons, "flipped bit in the key id", flip(raw, 2, 0x10), WRONG);
      addCase(cases, reasons, "flipped bit in the nonce", flip(raw, nonceAt + 3, 1), WRONG);
      addCase(cases, reasons, "flipped bit in the ciphertext", flip(raw, nonceAt + 12, 4), WRONG);
      addCase(cases, reasons, "flipped bit in the tag", flip(raw, raw.length - 2, 0x80), WRONG);
      if (raw[0] == AesGcmFormat.TIMED) {
        addCase(cases, reasons, "flipped bit in the timestamp", flip(raw, 12, 1), WRONG);
      }
      for (int version : new int[] {0x00, 0x03, 0x80, 0xff}) {
        addCase(cases, reasons, "layout byte " + version, relabel(raw, version), VERSION);
      }
      addCase(cases, reasons, "relabelled to the other layout", relabel(raw, 3 - raw[0]), WRONG);
      if (raw[0] == AesGcmFormat.UNTIMED) {
        byte[] shortOne = ring.encryptToBytes(new byte[3], ROW);
        addCase(cases, reasons, "36 bytes relabelled 0x01", relabel(shortOne, 1), MALFORMED);
      }
      byte[] foreign = AesGcmKeyRing.of(AesGcmKey.generate()).encryptToBytes(new byte[40], ROW);
      addCase(cases, reasons, "an unknown key id", foreign, WRONG);
      byte[] borrowedId = foreign.clone();
      System.arraycopy(raw, 1, borrowedId, 1, 4);
      addCase(cases, reasons, "a ring key's id on another key's token", borrowedId, WRONG);
      for (AssociatedData wrong :
          List.of(
              AssociatedData.forRow("credentials", "secret", 2L),
              AssociatedData.empty(),
              AssociatedData.of("credentials", "secret"),
              ROW.with(""))) {
        cases.put("associated data " + wrong, () -> ring.decryptBytes(raw, wrong));
        reasons.put("associated data " + wrong, WRONG);
      }

      List<Throwable> thrown = new ArrayList<>();
      for (Map.Entry<String, Supplier<byte[]>> c : cases.entrySet()) {
        String what = "layout " + raw[0] + ": " + c.getKey();
        InvalidTokenException e = rejection(c.getValue());
        assertThat(e.reason()).as(what).isEqualTo(reasons.get(c.getKey()));
        assertThat(e).as(what).hasMessage(e.reason().message());
        thrown.add(e);
      }
      Leaks.assertNoLeak(thrown, canary);
      Leaks.assertNoLeak(thrown, token.substring(3, 40));
    }
  }

  private void addCase(
      Map<String, Supplier<byte[]>> cases,
      Map<String, Reason> reasons,
      String what,
      Supplier<byte[]> call,
      Reason reason) {
    cases.put(what, call);
    reasons.put(what, reason);
  }

  private void addCase(
      Map<String, Supplier<byte[]>> cases,
      Map<String, Reason> reasons,
      String what,
      byte[] bytes,
      Reason reason) {
    // Each bad input is tried in both forms; the text form must fail for the same reason.
    addCase(cases, reasons, what, () -> untimed.decryptBytes(bytes, ROW), reason);
    addCase(cases, reasons, what + " (text)", () -> timed.decrypt(text(bytes), ROW), reason);
  }

  @Test
  void decrypt_checksLengthThenLayoutThenKeyThenTag_inTheSpecifiedOrder() {
    byte[] unknownLayout = new byte[33];
    unknownLayout[0] = 0x05;
    assertThat(Reasons.of(() -> untimed.decryptBytes(Arrays.copyOf(unknownLayout, 32), ROW)))
        .isEqualTo(Reason.MALFORMED);
    assertThat(Reasons.of(() -> untimed.decryptBytes(unknownLayout, ROW)))
        .isEqualTo(Reason.UNSUPPORTED_VERSION);
    for (int length = 33; length <= 41; length++) {
      byte[] timedFrame = new byte[length];
      timedFrame[0] = 0x01;
      byte[] untimedFrame = timedFrame.clone();
      untimedFrame[0] = 0x02;
      assertThat(Reasons.of(() -> untimed.decryptBytes(timedFrame, ROW)))
          .as("0x01, %d bytes", length)
          .isEqualTo(length < 41 ? Reason.MALFORMED : Reason.WRONG_KEY_OR_TAMPERED);
      assertThat(Reasons.of(() -> untimed.decryptBytes(untimedFrame, ROW)))
          .as("0x02, %d bytes", length)
          .isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
    }
  }

  private static InvalidTokenException rejection(Supplier<byte[]> call) {
    try {
      byte[] unexpected = call.get();
      throw new AssertionError("accepted, " + unexpected.length + " bytes");
    } catch (InvalidTokenException e) {
      return e;
    }
  }

  private static byte[] cut(byte[] raw, int length) {
    return Arrays.copyOf(raw, length);
  }

  private static byte[] flip(byte[] raw, int at, int mask) {
    byte[] copy = raw.clone();
    copy[at] ^= (byte) mask;
    return copy;
  }

  private static byte[] relabel(byte[] raw, int version) {
    byte[] copy = raw.clone();
    copy[0] = (byte) version;
    return copy;
  }

  /** The key id of a token's bytes, as {@link AesGcmKey#id()} writes it. */
  private static String idOf(byte[] raw) {
    return String.format("%02x%02x%02x%02x", raw[1], raw[2], raw[3], raw[4]);
  }

  /** A clock that fails the test if it is read. */
  private static final class UnreadableClock extends Clock {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      throw new AssertionError("the untimed layout read the clock");
    }
  }
}
