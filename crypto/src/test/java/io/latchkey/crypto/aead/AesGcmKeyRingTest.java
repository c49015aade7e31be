package io.latchkey.crypto.aead;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.InvalidTokenException.Reason;
import io.latchkey.KeyRing;
import io.latchkey.Secret;
import io.latchkey.SwappableKeyRing;
import io.latchkey.testsupport.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

final class AesGcmKeyRingTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final AssociatedData ROW_1 = AssociatedData.forRow("credentials", "secret", 1L);
  private static final AssociatedData ROW_2 = AssociatedData.forRow("credentials", "secret", 2L);

  private final AesGcmKey k1 = AesGcmKey.generate();
  private final AesGcmKey k2 = AesGcmKey.generate();
  private final AesGcmKey k3 = AesGcmKey.generate();

  private static String retext(byte[] raw) {
    return AesGcmKeyRing.TOKEN_PREFIX + Base64.getUrlEncoder().encodeToString(raw);
  }

  private static byte[] raw(String token) {
    return Base64.getUrlDecoder().decode(token.substring(AesGcmKeyRing.TOKEN_PREFIX.length()));
  }

  @Test
  void encrypt_thenDecrypt_roundTripsEveryLength() {
    AesGcmKeyRing ring = AesGcmKeyRing.of(k1);
    SecureRandom r = new SecureRandom();
    for (int len = 0; len <= 70; len++) {
      byte[] p = new byte[len];
      r.nextBytes(p);
      String token = ring.encrypt(p);
      assertThat(token).startsWith("lk.");
      assertThat(raw(token)).hasSize(len + 33).startsWith(2);
      assertThat(ring.decrypt(token)).isEqualTo(p);
      assertThat(ring.decrypt(token, ROW_1.isEmpty() ? ROW_1 : AssociatedData.empty()))
          .isEqualTo(p);
      assertThat(ring.decryptBytes(ring.encryptToBytes(p, ROW_1), ROW_1)).isEqualTo(p);
    }
    byte[] big = new byte[1 << 20];
    r.nextBytes(big);
    assertThat(ring.decrypt(ring.encrypt(big, ROW_1), ROW_1)).isEqualTo(big);
  }

  @Test
  void encrypt_samePlaintextTwice_givesDifferentTokens() {
    AesGcmKeyRing ring = AesGcmKeyRing.of(k1);
    assertThat(ring.encrypt("x".getBytes(UTF_8))).isNotEqualTo(ring.encrypt("x".getBytes(UTF_8)));
  }

  @Test
  void header_carriesVersionKeyIdAndTimestamp() {
    AesGcmKeyRing ring =
        AesGcmKeyRing.builder().key(k1).clock(new MutableClock()).timestamps(true).build();
    byte[] raw = raw(ring.encrypt(new byte[3]));
    assertThat(raw[0]).isEqualTo((byte) 1);
    assertThat(String.format("%02x%02x%02x%02x", raw[1], raw[2], raw[3], raw[4]))
        .isEqualTo(k1.id());
    long ts = 0;
    for (int i = 5; i < 13; i++) {
      ts = ts << 8 | (raw[i] & 0xff);
    }
    assertThat(ts).isEqualTo(T0.getEpochSecond());
  }

  @Test
  void decrypt_withAnotherRowsAssociatedData_isRejectedLikeTampering() {
    AesGcmKeyRing ring = AesGcmKeyRing.of(k1);
    String token = ring.encrypt("s3cr3t".getBytes(UTF_8), ROW_1);
    assertThat(new String(ring.decrypt(token, ROW_1), UTF_8)).isEqualTo("s3cr3t");
    assertThat(Reasons.of(() -> ring.decrypt(token, ROW_2)))
        .isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
    assertThat(Reasons.of(() -> ring.decrypt(token))).isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
    assertThat(Reasons.of(() -> ring.decrypt(token, AssociatedData.of("credentials", "secret1"))))
        .isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
    assertThat(ring.isPrimary(token, ROW_1)).isTrue();
    assertThat(ring.isPrimary(token, ROW_2)).isFalse();
    assertThat(ring.isPrimary(token)).isFalse();
  }

  @Test
  void associatedData_partsAreLengthPrefixed() {
    AesGcmKeyRing ring = AesGcmKeyRing.of(k1);
    String token = ring.encrypt(new byte[] {1}, AssociatedData.of("ab", "c"));
    assertThat(Reasons.of(() -> ring.decrypt(token, AssociatedData.of("a", "bc"))))
        .isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
    assertThat(Reasons.of(() -> ring.decrypt(token, AssociatedData.of("abc"))))
        .isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
    assertThat(ring.decrypt(token, AssociatedData.ofBytes("ab".getBytes(UTF_8), new byte[] {'c'})))
        .containsExactly(1);
    String noParts = ring.encrypt(new byte[] {2});
    assertThat(Reasons.of(() -> ring.decrypt(noParts, AssociatedData.of(""))))
        .isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
  }

  @Test
  void decrypt_truncatedFlippedOrForeign_allRejectedWithCoarseReasons() {
    truncatedFlippedOrForeign(AesGcmKeyRing.of(k1), 33);
    truncatedFlippedOrForeign(AesGcmKeyRing.of(k1).withTimestamps(true), 41);
  }

  private void truncatedFlippedOrForeign(AesGcmKeyRing ring, int overhead) {
    byte[] raw = raw(ring.encrypt("value".getBytes(UTF_8), ROW_1));
    for (int i = 0; i < raw.length * 8; i++) {
      byte[] flipped = raw.clone();
      flipped[i / 8] ^= (byte) (1 << (i % 8));
      Reason expected = i < 8 ? Reason.UNSUPPORTED_VERSION : Reason.WRONG_KEY_OR_TAMPERED;
      assertThat(Reasons.of(() -> ring.decrypt(retext(flipped), ROW_1)))
          .as("bit %d", i)
          .isEqualTo(expected);
      assertThat(Reasons.of(() -> ring.decryptBytes(flipped, ROW_1))).isEqualTo(expected);
    }
    for (int len = 0; len < raw.length; len++) {
      byte[] cut = java.util.Arrays.copyOf(raw, len);
      Reason expected = len < overhead ? Reason.MALFORMED : Reason.WRONG_KEY_OR_TAMPERED;
      assertThat(Reasons.of(() -> ring.decrypt(retext(cut), ROW_1)))
          .as("length %d", len)
          .isEqualTo(expected);
      assertThat(Reasons.of(() -> ring.decryptBytes(cut, ROW_1))).isEqualTo(expected);
    }
    String foreign = AesGcmKeyRing.of(k2).encrypt(new byte[1]);
    assertThat(Reasons.of(() -> ring.decrypt(foreign))).isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
  }

  @Test
  void decrypt_unknownKeyIdAndWrongKeyWithTheSameId_giveTheSameReason() {
    AesGcmKeyRing ring = AesGcmKeyRing.of(k1);
    byte[] raw = raw(AesGcmKeyRing.of(k2).encrypt(new byte[1]));
    assertThat(Reasons.of(() -> ring.decrypt(retext(raw)))).isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
    // Same key id as k1, made with k2: found in the map, rejected by the tag.
    System.arraycopy(raw(ring.encrypt(new byte[1])), 1, raw, 1, 4);
    assertThat(Reasons.of(() -> ring.decrypt(retext(raw)))).isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
  }

  @Test
  void decrypt_unknownKeyId_isRejectedAfterADecoyDecryption_evenOfATokenTheDecoyKeyMade() {
    // The ring decrypts a token of an unknown key id under a fixed throw-away key before it rejects
    // it; a token made with that very key is still rejected, and its plaintext never returned.
    AesGcmKeyRing decoy = AesGcmKeyRing.of(AesGcmKey.of(new byte[AesGcmKey.KEY_BYTES]));
    AesGcmKeyRing ring = AesGcmKeyRing.of(k1);
    for (AesGcmKeyRing maker : List.of(decoy, decoy.withTimestamps(true))) {
      String token = maker.encrypt(new byte[] {7}, ROW_1);
      assertThat(Reasons.of(() -> ring.decrypt(token, ROW_1)))
          .isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
      assertThat(Reasons.of(() -> ring.decryptBytes(raw(token), ROW_1)))
          .isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
      assertThat(Reasons.of(() -> ring.rotate(token, ROW_1)))
          .isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
      assertThat(ring.isPrimary(token, ROW_1)).isFalse();
    }
  }

  @Test
  void encryptionCount_isPerKeyInTheProcess_sharedByRingsBuiltAgainFromTheSameKey() {
    String text = AesGcmKey.generate().encoded().reveal();
    AesGcmKeyRing first = AesGcmKeyRing.of(AesGcmKey.parse(text));
    AesGcmKeyRing rebuilt = AesGcmKeyRing.of(AesGcmKey.parse(text)).withTimestamps(true);
    assertThat(first.primaryKey().encryptionsInProcess()).isZero();

    for (int i = 0; i < 3; i++) {
      first.encrypt(new byte[] {1});
    }
    rebuilt.encrypt(new byte[] {2}, ROW_1);
    rebuilt.rotate(first.encrypt(new byte[] {3}));

    assertThat(first.primaryKey().encryptionsInProcess()).isEqualTo(6);
    assertThat(rebuilt.primaryKey().encryptionsInProcess()).isEqualTo(6);
    assertThat(AesGcmKey.parse(text).encryptionsInProcess()).isEqualTo(6);
    first.decrypt(first.encrypt(new byte[] {4}));
    assertThat(AesGcmKey.parse(text).encryptionsInProcess()).isEqualTo(7);
  }

  @Test
  void decrypt_notAToken_isMalformed() {
    AesGcmKeyRing ring = AesGcmKeyRing.of(k1);
    String token = ring.encrypt(new byte[4]);
    String fernetLooking = "gAAAAABpW" + "A".repeat(91);
    for (String bad :
        List.of(
            "",
            "lk.",
            "lk",
            fernetLooking,
            token.substring(3),
            token + "=",
            token.replace("lk.", "lk:"),
            token.substring(0, token.length() - 1),
            token.replace('-', '+').replace('_', '/'),
            " " + token,
            token + "\n",
            token.replace("=", ""))) {
      if (!bad.equals(token)) {
        assertThat(Reasons.of(() -> ring.decrypt(bad))).as(bad).isEqualTo(Reason.MALFORMED);
        assertThat(ring.isPrimary(bad)).isFalse();
      }
    }
  }

  @Test
  void rotate_movesEveryKeysTokensToThePrimary_keepingTimestampAndAssociatedData() {
    MutableClock clock = new MutableClock();
    AesGcmKeyRing old = AesGcmKeyRing.builder().key(k2).clock(clock).timestamps(true).build();
    String token = old.encrypt("v".getBytes(UTF_8), ROW_1);
    clock.advance(Duration.ofDays(3));
    AesGcmKeyRing ring =
        AesGcmKeyRing.builder().key(k1).key(k2).key(k3).clock(clock).timestamps(true).build();
    assertThat(ring.isPrimary(token, ROW_1)).isFalse();
    String rotated = ring.rotate(token, ROW_1);
    assertThat(ring.isPrimary(rotated, ROW_1)).isTrue();
    assertThat(ring.decrypt(rotated, ROW_1)).isEqualTo("v".getBytes(UTF_8));
    assertThat(ring.extractTimestamp(rotated, ROW_1)).isEqualTo(T0);
    assertThat(ring.rotate(rotated, ROW_1)).isNotEqualTo(rotated);
    assertThat(Reasons.of(() -> ring.rotate(token, ROW_2))).isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
  }

  @Test
  void decrypt_withTtl_checksTheAuthenticatedTimestamp() {
    MutableClock clock = new MutableClock();
    AesGcmKeyRing ring = AesGcmKeyRing.builder().key(k1).clock(clock).timestamps(true).build();
    String token = ring.encrypt(new byte[] {7}, ROW_1);
    clock.advance(Duration.ofSeconds(60));
    assertThat(ring.decrypt(token, Duration.ofSeconds(60), ROW_1)).containsExactly(7);
    clock.advance(Duration.ofSeconds(1));
    assertThat(Reasons.of(() -> ring.decrypt(token, Duration.ofSeconds(60), ROW_1)))
        .isEqualTo(Reason.EXPIRED);
    assertThat(
            Reasons.of(
                () -> ring.decrypt(token, Duration.ofSeconds(60), T0.minusSeconds(61), ROW_1)))
        .isEqualTo(Reason.FROM_THE_FUTURE);
    // An altered token is reported as altered, not as expired.
    assertThat(Reasons.of(() -> ring.decrypt(token, Duration.ofSeconds(60), ROW_2)))
        .isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
    assertThatThrownBy(() -> ring.decrypt(token, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** What a followed change must keep: the primary key itself, not a key with the same id. */
  @Test
  void holdsPrimaryOf_aKeyWithTheSameId_isNotThePrimary() {
    AesGcmKey a = AesGcmKey.of(KeyIdCollision.FIRST);
    AesGcmKey b = AesGcmKey.of(KeyIdCollision.SECOND);
    AesGcmKey other = AesGcmKey.generate();
    AesGcmKeyRing before = AesGcmKeyRing.of(a);
    assertThat(AesGcmKeyRing.holdsPrimaryOf(AesGcmKeyRing.of(b), before)).isFalse();
    assertThat(AesGcmKeyRing.holdsPrimaryOf(AesGcmKeyRing.of(other, b), before)).isFalse();
    assertThat(AesGcmKeyRing.holdsPrimaryOf(AesGcmKeyRing.of(other, a), before)).isTrue();
  }

  /** A key passed where the variable's name belongs is refused, and not quoted. */
  @Test
  void keyPassedAsTheName_isRefusedWithoutBeingShown() {
    String key = AesGcmKey.generate().encoded().reveal();
    String other = AesGcmKey.generate().encoded().reveal();
    for (Runnable call :
        List.<Runnable>of(
            () -> AesGcmKeyRing.fromEnvironment(key, java.util.Map.of()),
            () -> AesGcmKeyRing.fromEnvironment(key, java.util.Map.of(key + "_PREVIOUS", other)))) {
      assertThatThrownBy(call::run)
          .isInstanceOf(io.latchkey.ConfigException.class)
          .hasMessageContaining("the setting name given")
          .hasMessageContaining("not shown, in case it is a key")
          .hasMessageNotContaining(key.substring(0, 12));
    }
  }

  @Test
  void ring_withCollidingKeyIds_isRefused() {
    // Two keys whose ids collide, found once by a birthday search over 32-bit ids.
    AesGcmKey a = AesGcmKey.of(KeyIdCollision.FIRST);
    AesGcmKey b = AesGcmKey.of(KeyIdCollision.SECOND);
    assertThat(a.id()).isEqualTo(b.id());
    assertThat(a.matches(b)).isFalse();
    assertThatThrownBy(() -> AesGcmKeyRing.of(a, b))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key id " + a.id());
    assertThatThrownBy(
            () ->
                AesGcmKeyRing.fromEnvironment(
                    "K",
                    java.util.Map.of(
                        "K", a.encoded().reveal(), "K_PREVIOUS", b.encoded().reveal())))
        .isInstanceOf(io.latchkey.ConfigException.class)
        .hasMessageContaining("K")
        .hasMessageContaining("key id " + a.id())
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain(a.encoded().reveal().substring(4, 12))
                    .doesNotContain(b.encoded().reveal().substring(4, 12)));
  }

  @Test
  void ring_withTheSameKeyTwice_keepsItOnce() {
    AesGcmKey again = AesGcmKey.parse(k1.encoded().reveal());
    AesGcmKeyRing ring = AesGcmKeyRing.of(k1, k2, again);
    assertThat(ring.keyIds()).containsExactly(k1.id(), k2.id());
  }

  @Test
  void decrypt_withManyKeys_findsEachByItsId() {
    List<AesGcmKey> keys = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      keys.add(AesGcmKey.generate());
    }
    AesGcmKeyRing ring = AesGcmKeyRing.builder().keys(keys).build();
    for (AesGcmKey k : keys) {
      String token = AesGcmKeyRing.of(k).encrypt(k.id().getBytes(UTF_8), ROW_1);
      assertThat(new String(ring.decrypt(token, ROW_1), UTF_8)).isEqualTo(k.id());
    }
    assertThat(ring.keyIds()).hasSize(100).startsWith(keys.get(0).id());
    assertThat(ring.primaryKeyId()).isEqualTo(keys.get(0).id());
  }

  @Test
  void decrypt_ringsOfEverySize_findEveryKey_andRejectAForeignOne() {
    // The ring's id table is sized by powers of two: cross each size, full and half full.
    String foreign = AesGcmKeyRing.of(AesGcmKey.generate()).encrypt(new byte[1], ROW_1);
    List<AesGcmKey> keys = new ArrayList<>();
    for (int n = 1; n <= 40; n++) {
      keys.add(AesGcmKey.generate());
      AesGcmKeyRing ring = AesGcmKeyRing.builder().keys(keys).build();
      for (AesGcmKey k : keys) {
        String token = AesGcmKeyRing.of(k).encrypt(k.id().getBytes(UTF_8), ROW_1);
        assertThat(new String(ring.decrypt(token, ROW_1), UTF_8)).as("n=" + n).isEqualTo(k.id());
      }
      assertThat(Reasons.of(() -> ring.decrypt(foreign, ROW_1)))
          .as("n=" + n)
          .isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
    }
  }

  @Test
  void swappableKeyRing_worksAroundTheRing() {
    KeyRing swappable = SwappableKeyRing.of(AesGcmKeyRing.of(k2));
    String token = swappable.encrypt(Secret.of("s"));
    ((SwappableKeyRing) swappable).swap(AesGcmKeyRing.of(k1, k2));
    assertThat(swappable.decryptSecret(token).reveal()).isEqualTo("s");
    assertThat(swappable.isPrimary(swappable.rotate(token))).isTrue();

    SwappableAeadKeyRing withAd = SwappableAeadKeyRing.of(AesGcmKeyRing.of(k2));
    String bound = withAd.encrypt(Secret.of("t"), ROW_1);
    withAd.swap(SwappableAeadKeyRing.of(AesGcmKeyRing.of(k1, k2)));
    assertThat(withAd.current()).isInstanceOf(AesGcmKeyRing.class);
    assertThat(withAd.decryptSecret(bound, ROW_1).reveal()).isEqualTo("t");
    assertThat(withAd.isPrimary(withAd.rotate(bound, ROW_1), ROW_1)).isTrue();
    assertThat(withAd.format()).isEqualTo(TokenFormat.AES_GCM);
    assertThat(withAd.toString()).contains(k1.id());
  }

  @Test
  void forRow_isThreeTextParts_andRefusesArrayIds() {
    assertThat(AssociatedData.forRow("t", "c", 42L)).isEqualTo(AssociatedData.of("t", "c", "42"));
    java.util.UUID id = java.util.UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    assertThat(AssociatedData.forRow("t", "c", id))
        .isEqualTo(AssociatedData.of("t", "c", "123e4567-e89b-12d3-a456-426614174000"));
    assertThat(AssociatedData.forRow("t", "c", 42L).encoded())
        .containsExactly(0, 0, 0, 1, 't', 0, 0, 0, 1, 'c', 0, 0, 0, 2, '4', '2');
    assertThatThrownBy(() -> AssociatedData.forRow("t", "c", new byte[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toString_listsKeyIdsOnly() {
    AesGcmKeyRing ring = AesGcmKeyRing.of(k1, k2);
    assertThat(ring.toString())
        .isEqualTo("AesGcmKeyRing[primary=" + k1.id() + ", previous=[" + k2.id() + "]]");
    assertThat(ring.withTimestamps(true).toString())
        .isEqualTo(
            "AesGcmKeyRing[primary=" + k1.id() + ", previous=[" + k2.id() + "], timestamps]");
    assertThat(k1.toString()).isEqualTo("AesGcmKey[id=" + k1.id() + "]");
    assertThat(ROW_1.toString()).isEqualTo("AssociatedData[3 parts]");
  }
}
