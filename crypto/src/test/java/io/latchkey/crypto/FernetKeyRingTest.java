package io.latchkey.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.InvalidTokenException;
import io.latchkey.InvalidTokenException.Reason;
import io.latchkey.Secret;
import io.latchkey.SwappableKeyRing;
import io.latchkey.testsupport.MutableClock;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

final class FernetKeyRingTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final FernetKey k1 = FernetKey.generate();
  private final FernetKey k2 = FernetKey.generate();
  private final FernetKey k3 = FernetKey.generate();

  private static InvalidTokenException.Reason reasonOf(Runnable r) {
    try {
      r.run();
    } catch (InvalidTokenException e) {
      return e.reason();
    }
    throw new AssertionError("no InvalidTokenException");
  }

  @Test
  void encrypt_thenDecrypt_roundTripsEveryLength() {
    FernetKeyRing ring = FernetKeyRing.of(k1);
    SecureRandom r = new SecureRandom();
    for (int len = 0; len <= 70; len++) {
      byte[] p = new byte[len];
      r.nextBytes(p);
      assertThat(ring.decrypt(ring.encrypt(p))).isEqualTo(p);
    }
    byte[] big = new byte[1 << 20];
    r.nextBytes(big);
    assertThat(ring.decrypt(ring.encrypt(big))).isEqualTo(big);
  }

  @Test
  void encrypt_samePlaintextTwice_givesDifferentTokens() {
    FernetKeyRing ring = FernetKeyRing.of(k1);
    assertThat(ring.encrypt("x".getBytes(UTF_8))).isNotEqualTo(ring.encrypt("x".getBytes(UTF_8)));
  }

  @Test
  void decrypt_tokenOfPreviousKey_succeeds() {
    String old = FernetKeyRing.of(k2).encrypt("old".getBytes(UTF_8));
    String older = FernetKeyRing.of(k3).encrypt("older".getBytes(UTF_8));
    FernetKeyRing ring = FernetKeyRing.of(k1, k2, k3);
    // Alternate between keys so the last-match hint is both right and wrong.
    for (int i = 0; i < 3; i++) {
      assertThat(ring.decrypt(old)).asString(UTF_8).isEqualTo("old");
      assertThat(ring.decrypt(older)).asString(UTF_8).isEqualTo("older");
      assertThat(ring.decrypt(ring.encrypt("new".getBytes(UTF_8))))
          .asString(UTF_8)
          .isEqualTo("new");
    }
  }

  @Test
  void decrypt_keyNotInRing_isWrongKeyOrTampered() {
    String token = FernetKeyRing.of(k3).encrypt("x".getBytes(UTF_8));
    assertThat(reasonOf(() -> FernetKeyRing.of(k1, k2).decrypt(token)))
        .isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
  }

  @Test
  void rotate_reencryptsUnderPrimary_keepingTimestamp() {
    String old = FernetKeyRing.of(k2).encrypt("credential".getBytes(UTF_8), T0);
    FernetKeyRing ring = FernetKeyRing.of(k1, k2);
    assertThat(ring.isPrimary(old)).isFalse();

    String rotated = ring.rotate(old);

    assertThat(ring.isPrimary(rotated)).isTrue();
    FernetKeyRing newOnly = FernetKeyRing.of(k1);
    assertThat(newOnly.decrypt(rotated)).asString(UTF_8).isEqualTo("credential");
    assertThat(newOnly.extractTimestamp(rotated)).isEqualTo(T0);
    assertThat(reasonOf(() -> newOnly.decrypt(old))).isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
  }

  @Test
  void rotate_tokenAlreadyUnderPrimary_staysReadable() {
    FernetKeyRing ring = FernetKeyRing.of(k1, k2);
    String token = ring.encrypt("x".getBytes(UTF_8), T0);
    String again = ring.rotate(token);
    assertThat(again).isNotEqualTo(token);
    assertThat(ring.decrypt(again)).asString(UTF_8).isEqualTo("x");
    assertThat(ring.extractTimestamp(again)).isEqualTo(T0);
  }

  @Test
  void rotate_invalidToken_throws() {
    FernetKeyRing ring = FernetKeyRing.of(k1, k2);
    String foreign = FernetKeyRing.of(k3).encrypt("x".getBytes(UTF_8));
    assertThat(reasonOf(() -> ring.rotate(foreign))).isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
    assertThat(reasonOf(() -> ring.rotate("nope"))).isEqualTo(Reason.MALFORMED);
  }

  @Test
  void isPrimary_malformedOrForeign_isFalse() {
    FernetKeyRing ring = FernetKeyRing.of(k1);
    assertThat(ring.isPrimary("")).isFalse();
    assertThat(ring.isPrimary("%%%")).isFalse();
    assertThat(ring.isPrimary(FernetKeyRing.of(k2).encrypt(new byte[3]))).isFalse();
  }

  @Test
  void decryptWithTtl_followsTheSpecBoundaries() {
    FernetKeyRing ring = FernetKeyRing.of(k1);
    String token = ring.encrypt("x".getBytes(UTF_8), T0);
    Duration ttl = Duration.ofSeconds(60);

    assertThat(ring.decrypt(token, ttl, T0)).asString(UTF_8).isEqualTo("x");
    // Expired only when timestamp + ttl < now: the last second is still good.
    assertThat(ring.decrypt(token, ttl, T0.plusSeconds(60))).asString(UTF_8).isEqualTo("x");
    assertThat(reasonOf(() -> ring.decrypt(token, ttl, T0.plusSeconds(61))))
        .isEqualTo(Reason.EXPIRED);
    // From the future only beyond the 60-second skew.
    assertThat(ring.decrypt(token, ttl, T0.minusSeconds(60))).asString(UTF_8).isEqualTo("x");
    assertThat(reasonOf(() -> ring.decrypt(token, ttl, T0.minusSeconds(61))))
        .isEqualTo(Reason.FROM_THE_FUTURE);
    // Without a TTL, age does not matter (as in pyca/cryptography).
    assertThat(ring.decrypt(token)).asString(UTF_8).isEqualTo("x");
  }

  @Test
  void decryptWithTtl_hugeTtl_doesNotOverflowIntoExpired() {
    FernetKeyRing ring = FernetKeyRing.of(k1);
    String token = ring.encrypt("x".getBytes(UTF_8), T0);
    assertThat(ring.decrypt(token, Duration.ofSeconds(Long.MAX_VALUE), T0.plusSeconds(5)))
        .asString(UTF_8)
        .isEqualTo("x");
  }

  @Test
  void decryptWithTtl_usesInjectedClock() {
    MutableClock clock = new MutableClock();
    Instant start = clock.instant();
    FernetKeyRing ring = FernetKeyRing.builder().key(k1).clock(clock).build();
    String token = ring.encrypt("x".getBytes(UTF_8));
    assertThat(ring.extractTimestamp(token)).isEqualTo(start);
    clock.advance(Duration.ofHours(1));
    assertThat(reasonOf(() -> ring.decrypt(token, Duration.ofMinutes(59))))
        .isEqualTo(Reason.EXPIRED);
    assertThat(ring.decrypt(token, Duration.ofMinutes(61))).asString(UTF_8).isEqualTo("x");
  }

  @Test
  void decryptWithTtl_farFutureTimestamp_isFromTheFuture() {
    FernetKeyRing ring = FernetKeyRing.of(k1);
    // 2^64 - 1 seconds: the largest timestamp a token can carry.
    String token = FernetKeyRing.encryptWithIv(k1, new byte[1], -1L, new byte[16]);
    assertThat(reasonOf(() -> ring.decrypt(token, Duration.ofDays(365), T0)))
        .isEqualTo(Reason.FROM_THE_FUTURE);
    assertThat(ring.extractTimestamp(token)).isEqualTo(Instant.MAX);
  }

  @Test
  void decryptWithTtl_tamperedExpiredToken_reportsTamperingNotAge() {
    FernetKeyRing ring = FernetKeyRing.of(k1);
    byte[] raw = Base64.getUrlDecoder().decode(ring.encrypt("x".getBytes(UTF_8), T0));
    raw[raw.length - 1] ^= 1;
    String tampered = Base64.getUrlEncoder().encodeToString(raw);
    assertThat(reasonOf(() -> ring.decrypt(tampered, Duration.ofSeconds(1), T0.plusSeconds(999))))
        .isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
  }

  @Test
  void decryptWithTtl_belowOneSecond_isRejected() {
    FernetKeyRing ring = FernetKeyRing.of(k1);
    String token = ring.encrypt(new byte[1]);
    assertThatThrownBy(() -> ring.decrypt(token, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ring.decrypt(token, Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decrypt_everySingleBitFlip_isRejected() {
    FernetKeyRing ring = FernetKeyRing.of(k1, k2);
    byte[] raw = Base64.getUrlDecoder().decode(ring.encrypt("attack at dawn".getBytes(UTF_8)));
    for (int bit = 0; bit < raw.length * 8; bit++) {
      byte[] t = raw.clone();
      t[bit / 8] ^= (byte) (1 << (bit % 8));
      String token = Base64.getUrlEncoder().encodeToString(t);
      Reason reason = reasonOf(() -> ring.decrypt(token));
      if (bit < 8) {
        assertThat(reason).isEqualTo(Reason.UNSUPPORTED_VERSION);
      } else {
        assertThat(reason).isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
      }
    }
  }

  @Test
  void decrypt_malformedInputs_areMalformed() {
    FernetKeyRing ring = FernetKeyRing.of(k1);
    String good = ring.encrypt("x".getBytes(UTF_8));
    List<String> bad =
        List.of(
            "",
            "=",
            "====",
            "gA",
            "gAAAAA",
            good.substring(0, good.length() - 4),
            good.substring(0, 20),
            good.replace('-', '+').replace('_', '/') + "!",
            good + "A",
            good + "AAAA",
            " " + good,
            good.substring(0, good.length() - 2) + "\u00e9=",
            "g" + "A".repeat(99));
    for (String token : bad) {
      assertThat(reasonOf(() -> ring.decrypt(token)))
          .as("token of length %d", token.length())
          .isIn(Reason.MALFORMED, Reason.WRONG_KEY_OR_TAMPERED);
    }
    assertThat(reasonOf(() -> ring.decrypt(""))).isEqualTo(Reason.MALFORMED);
    assertThat(reasonOf(() -> ring.decrypt(good.substring(0, 40)))).isEqualTo(Reason.MALFORMED);
  }

  @Test
  void decrypt_wrongVersion_isUnsupportedVersion() {
    FernetKeyRing ring = FernetKeyRing.of(k1);
    byte[] raw = Base64.getUrlDecoder().decode(ring.encrypt("x".getBytes(UTF_8)));
    raw[0] = (byte) 0x81;
    assertThat(reasonOf(() -> ring.decrypt(Base64.getUrlEncoder().encodeToString(raw))))
        .isEqualTo(Reason.UNSUPPORTED_VERSION);
  }

  @Test
  void invalidTokenMessages_carryNoTokenKeyOrPlaintext() {
    String canary = "CANARY-PLAINTEXT-91ab";
    FernetKeyRing ring = FernetKeyRing.of(k1);
    String token = FernetKeyRing.of(k2).encrypt(canary.getBytes(UTF_8), T0);
    for (Runnable r :
        List.<Runnable>of(
            () -> ring.decrypt(token),
            () -> FernetKeyRing.of(k2).decrypt(token, Duration.ofSeconds(1), T0.plusSeconds(9)),
            () -> ring.decrypt(token.substring(0, 30)))) {
      try {
        r.run();
        throw new AssertionError("expected a rejection");
      } catch (InvalidTokenException e) {
        assertThat(e.getMessage())
            .doesNotContain(canary)
            .doesNotContain(token.substring(0, 30))
            .doesNotContain(k1.encoded().reveal())
            .doesNotContain(k2.encoded().reveal());
      }
    }
  }

  @Test
  void toString_showsKeyIdsOnly() {
    FernetKeyRing ring = FernetKeyRing.of(k1, k2);
    assertThat(ring.toString())
        .isEqualTo("FernetKeyRing[primary=" + k1.id() + ", previous=[" + k2.id() + "]]")
        .doesNotContain(k1.encoded().reveal());
    assertThat(ring.primaryKeyId()).isEqualTo(k1.id());
    assertThat(ring.keyIds()).containsExactly(k1.id(), k2.id());
  }

  @Test
  void of_duplicateKey_isKeptOnce() {
    FernetKey copy = FernetKey.parse(k1.encoded().reveal());
    FernetKeyRing ring = FernetKeyRing.of(k1, k2, copy);
    assertThat(ring.keyIds()).containsExactly(k1.id(), k2.id());
  }

  @Test
  void builder_withoutKeys_throws() {
    assertThatThrownBy(() -> FernetKeyRing.builder().build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void builder_injectedRandom_isUsedForIvs() {
    SecureRandom fixed =
        new SecureRandom() {
          private static final long serialVersionUID = 1L;

          @Override
          public void nextBytes(byte[] bytes) {
            java.util.Arrays.fill(bytes, (byte) 7);
          }
        };
    FernetKeyRing ring = FernetKeyRing.builder().key(k1).random(fixed).build();
    byte[] raw = Base64.getUrlDecoder().decode(ring.encrypt(new byte[4], T0));
    for (int i = 9; i < 25; i++) {
      assertThat(raw[i]).isEqualTo((byte) 7);
    }
  }

  @Test
  void secretHelpers_roundTripThroughKeyRing() {
    FernetKeyRing ring = FernetKeyRing.of(k1);
    Secret apiKey = Secret.of("sk-live-0123456789abcdefghij");
    Secret back = ring.decryptSecret(ring.encrypt(apiKey));
    assertThat(back.matches(apiKey)).isTrue();
  }

  @Test
  void concurrentUse_withSwaps_neverFailsAReadableToken() throws Exception {
    FernetKeyRing first = FernetKeyRing.of(k1);
    FernetKeyRing second = FernetKeyRing.of(k2, k1);
    SwappableKeyRing ring = SwappableKeyRing.of(first);
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> workers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        int id = t;
        Callable<Integer> work =
            () -> {
              int n = 0;
              while (!stop.get() || n < 2000) {
                byte[] p = ("worker " + id + " message " + n).getBytes(UTF_8);
                String token = ring.encrypt(p);
                // Whichever ring encrypted it, the second ring reads it.
                assertThat(second.decrypt(token)).isEqualTo(p);
                assertThat(second.decrypt(second.rotate(token))).isEqualTo(p);
                n++;
                if (n > 50_000) {
                  break;
                }
              }
              return n;
            };
        workers.add(pool.submit(work));
      }
      for (int i = 0; i < 200; i++) {
        ring.swap(i % 2 == 0 ? second : first);
        Thread.onSpinWait();
      }
      ring.swap(second);
      stop.set(true);
      for (Future<Integer> f : workers) {
        assertThat(f.get()).isGreaterThanOrEqualTo(2000);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * An authentic token whose plaintext ends in bad padding, made with the key's two halves through
   * javax.crypto: what only a broken encoder holding the key writes.
   */
  private static String authenticWithBadPadding(FernetKey key, int blocks) throws Exception {
    byte[] raw = Base64.getUrlDecoder().decode(key.encoded().reveal());
    byte[] plaintext = new byte[16 * blocks];
    Arrays.fill(plaintext, (byte) 'P');
    plaintext[plaintext.length - 1] = 0; // no PKCS#7 padding ends in zero
    byte[] iv = new byte[16];
    Arrays.fill(iv, (byte) 7);
    Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
    aes.init(
        Cipher.ENCRYPT_MODE,
        new SecretKeySpec(Arrays.copyOfRange(raw, 16, 32), "AES"),
        new IvParameterSpec(iv));
    ByteBuffer signed = ByteBuffer.allocate(1 + 8 + 16 + plaintext.length);
    signed.put((byte) 0x80).putLong(T0.getEpochSecond()).put(iv).put(aes.doFinal(plaintext));
    Mac hmac = Mac.getInstance("HmacSHA256");
    hmac.init(new SecretKeySpec(Arrays.copyOfRange(raw, 0, 16), "HmacSHA256"));
    byte[] tag = hmac.doFinal(signed.array());
    ByteBuffer token = ByteBuffer.allocate(signed.capacity() + tag.length);
    token.put(signed.array()).put(tag);
    return Base64.getUrlEncoder().encodeToString(token.array());
  }

  @Test
  void decrypt_authenticTokenWithBadPadding_isMalformed_andLeavesNoPlaintextInTheBuffer()
      throws Exception {
    FernetKeyRing ring = FernetKeyRing.of(k1);
    // 17 blocks is more ciphertext than the per-thread buffer holds: the path that decrypts the
    // last block alone first. 2 blocks take the buffered path.
    for (int blocks : new int[] {17, 2}) {
      String token = authenticWithBadPadding(k1, blocks);
      assertThat(ring.extractTimestamp(token)).isEqualTo(T0);

      assertThat(reasonOf(() -> ring.decrypt(token))).isEqualTo(Reason.MALFORMED);
      assertThat(k1.primitives().buffer).as("%d blocks", blocks).containsOnly(0);
      assertThat(reasonOf(() -> ring.rotate(token))).isEqualTo(Reason.MALFORMED);
      assertThat(k1.primitives().buffer).as("%d blocks", blocks).containsOnly(0);
    }
  }
}
