package io.latchkey.crypto.aead;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.InvalidTokenException.Reason;
import io.latchkey.Secret;
import io.latchkey.config.KeyList;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

final class MigrationKeyRingTest {
  private static final Instant AT = Instant.parse("2025-06-01T12:00:00Z");
  private static final AssociatedData ROW = AssociatedData.forRow("t", "c", 1);

  private final FernetKeyRing fernet = FernetKeyRing.of(FernetKey.generate());
  private final AesGcmKeyRing aes = AesGcmKeyRing.of(AesGcmKey.generate());

  @Test
  void toAesGcm_writesAesGcm_readsBoth_andConvertsFernetKeepingTheTimestamp() {
    AesGcmKeyRing timed = aes.withTimestamps(true);
    MigrationKeyRing ring = MigrationKeyRing.toAesGcm(timed, fernet);
    String legacy = fernet.encrypt("old".getBytes(UTF_8), AT);
    assertThat(ring.format()).isEqualTo(TokenFormat.AES_GCM);
    assertThat(ring.encrypt(new byte[1], ROW)).startsWith("lk.");
    // A Fernet token carries no associated data: it reads whatever the caller gives.
    assertThat(ring.decrypt(legacy, ROW)).asString(UTF_8).isEqualTo("old");
    assertThat(ring.isPrimary(legacy, ROW)).isFalse();

    String converted = ring.rotate(legacy, ROW);
    assertThat(TokenFormat.detect(converted)).contains(TokenFormat.AES_GCM);
    assertThat(ring.isPrimary(converted, ROW)).isTrue();
    assertThat(aes.decrypt(converted, ROW)).asString(UTF_8).isEqualTo("old");
    assertThat(aes.extractTimestamp(converted, ROW)).isEqualTo(AT);
    assertThat(Reasons.of(() -> aes.decrypt(converted, AssociatedData.forRow("t", "c", 2))))
        .isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
    assertThat(ring.keyIds()).containsExactly(aes.primaryKeyId(), fernet.primaryKeyId());
    assertThat(ring.primaryKeyId()).isEqualTo(aes.primaryKeyId());
  }

  @Test
  void toAesGcm_withAnUntimedRing_convertsFernetToTheUntimedLayout() {
    MigrationKeyRing ring = MigrationKeyRing.toAesGcm(aes, fernet);
    String converted = ring.rotate(fernet.encrypt("old".getBytes(UTF_8), AT), ROW);

    assertThat(Base64.getUrlDecoder().decode(converted.substring(3))).startsWith(2);
    assertThat(aes.decrypt(converted, ROW)).asString(UTF_8).isEqualTo("old");
    assertThatThrownBy(() -> aes.extractTimestamp(converted, ROW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no timestamp");
    assertThat(ring.isPrimary(converted, ROW)).isTrue();
  }

  @Test
  void toFernet_untimedAesGcmToken_isStampedWithTheFernetRingsClock() {
    MutableClock clock = new MutableClock();
    FernetKeyRing clocked = FernetKeyRing.builder().key(FernetKey.generate()).clock(clock).build();
    MigrationKeyRing ring = MigrationKeyRing.toFernet(clocked, aes);
    String untimed = aes.encrypt("new".getBytes(UTF_8), ROW);
    clock.advance(Duration.ofHours(5));

    String back = ring.rotate(untimed, ROW);

    assertThat(TokenFormat.detect(back)).contains(TokenFormat.FERNET);
    assertThat(clocked.decrypt(back)).asString(UTF_8).isEqualTo("new");
    assertThat(clocked.extractTimestamp(back)).isEqualTo(clock.instant());
  }

  @Test
  void toFernet_writesFernet_readsAesGcmWithItsAssociatedData() {
    MigrationKeyRing ring = MigrationKeyRing.toFernet(fernet, aes);
    String bound = aes.encrypt("new".getBytes(UTF_8), AT, ROW);
    assertThat(ring.format()).isEqualTo(TokenFormat.FERNET);
    assertThat(ring.isPrimary(bound, ROW)).isFalse();
    assertThat(Reasons.of(() -> ring.rotate(bound, AssociatedData.empty())))
        .isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
    String back = ring.rotate(bound, ROW);
    assertThat(TokenFormat.detect(back)).contains(TokenFormat.FERNET);
    assertThat(fernet.decrypt(back)).asString(UTF_8).isEqualTo("new");
    assertThat(fernet.extractTimestamp(back)).isEqualTo(AT);
    assertThat(ring.isPrimary(back, ROW)).isTrue();
    assertThat(ring.encrypt(new byte[1])).startsWith("gAAAAA");
    assertThatThrownBy(() -> ring.encrypt(new byte[1], ROW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no associated data");
  }

  @Test
  void decrypt_withTtl_appliesToBothFormats() {
    MigrationKeyRing ring = MigrationKeyRing.toAesGcm(aes.withTimestamps(true), fernet);
    String legacy = fernet.encrypt(new byte[] {1}, Instant.now().minus(Duration.ofDays(2)));
    String fresh = ring.encrypt(new byte[] {2}, ROW);
    assertThat(Reasons.of(() -> ring.decrypt(legacy, Duration.ofDays(1), ROW)))
        .isEqualTo(Reason.EXPIRED);
    assertThat(ring.decrypt(fresh, Duration.ofDays(1), ROW)).containsExactly(2);
    assertThat(ring.decrypt(ring.encrypt(new byte[] {3}))).containsExactly(3);
    // An untimed token cannot show its age: rejected, after it is authenticated.
    String untimed = aes.encrypt(new byte[] {4}, ROW);
    assertThat(Reasons.of(() -> ring.decrypt(untimed, Duration.ofDays(1), ROW)))
        .isEqualTo(Reason.EXPIRED);
    assertThat(Reasons.of(() -> ring.decrypt(untimed, Duration.ofDays(1), AssociatedData.empty())))
        .isEqualTo(Reason.WRONG_KEY_OR_TAMPERED);
  }

  @Test
  void ofKeyList_readsAKeyListSetting() {
    AesGcmKey a = AesGcmKey.generate();
    AesGcmKey b = AesGcmKey.generate();
    KeyList keys = KeyList.of(a.encoded(), List.of(b.encoded()));
    assertThat(AesGcmKeyRing.of("APP_DATA_KEY", keys).keyIds()).containsExactly(a.id(), b.id());
    KeyList bad = KeyList.of(Secret.of("nope"), List.of());
    assertThatThrownBy(() -> AesGcmKeyRing.of("APP_DATA_KEY", bad))
        .hasMessageContaining("APP_DATA_KEY: does not start with 'lkk.'");
  }

  @Test
  void toString_namesFormatAndKeyIds() {
    assertThat(MigrationKeyRing.toAesGcm(aes, fernet).toString())
        .startsWith("MigrationKeyRing[writes=aes-gcm")
        .contains(aes.primaryKeyId())
        .contains(fernet.primaryKeyId());
  }
}
