package io.latchkey.crypto.aead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.Secret;
import io.latchkey.crypto.FernetKey;
import io.latchkey.testsupport.Leaks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class AesGcmKeyTest {

  @Test
  void generate_encodedParsesBack() {
    AesGcmKey key = AesGcmKey.generate();
    String text = key.encoded().reveal();
    assertThat(text).startsWith("lkk.").hasSize(48);
    AesGcmKey back = AesGcmKey.parse("  " + text + "\n", "APP_DATA_KEY");
    assertThat(back.matches(key)).isTrue();
    assertThat(back.id()).isEqualTo(key.id()).matches("[0-9a-f]{8}");
    assertThat(AesGcmKey.generate().matches(key)).isFalse();
  }

  @Test
  void parse_wrongLength_isRefusedNamingTheLengthNotTheKey() {
    String short16 = "lkk." + Base64.getUrlEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(() -> AesGcmKey.parse(short16, "APP_DATA_KEY"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("APP_DATA_KEY")
        .hasMessageContaining("holds 16 bytes")
        .hasMessageNotContaining(short16.substring(4, 12));
    String long64 = "lkk." + Base64.getUrlEncoder().encodeToString(new byte[64]);
    assertThatThrownBy(() -> AesGcmKey.parse(long64)).hasMessageContaining("holds 64 bytes");
    assertThatThrownBy(() -> AesGcmKey.of(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> AesGcmKey.of(new byte[24]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parse_otherShapes_areRefusedWithAReason() {
    Map<String, String> cases = new HashMap<>();
    cases.put("", "is empty");
    cases.put("   ", "is empty");
    cases.put(FernetKey.generate().encoded().reveal(), "is a Fernet key");
    cases.put("not-a-key", "does not start with 'lkk.'");
    cases.put("lkk.!!!!", "is not valid URL-safe base64");
    String good = AesGcmKey.generate().encoded().reveal();
    cases.put(good.replace("=", ""), "is not valid URL-safe base64");
    cases.forEach(
        (input, reason) ->
            assertThatThrownBy(() -> AesGcmKey.parse(input, "K"))
                .as(reason)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("K: ")
                .hasMessageContaining(reason));
  }

  @Test
  void fernetKeyParse_refusesAnAesGcmKey() {
    String aes = AesGcmKey.generate().encoded().reveal();
    assertThatThrownBy(() -> FernetKey.parse(aes, "APP_KEY"))
        .isInstanceOf(ConfigException.class)
        .hasMessageNotContaining(aes.substring(4, 14));
  }

  @Test
  void derive_isHkdfWithItsOwnLabel_soItDiffersFromTheFernetKey() {
    Secret master = Secret.of("a-high-entropy-master-secret-0123456789");
    AesGcmKey a = AesGcmKey.derive(master, "credentials-at-rest");
    assertThat(AesGcmKey.derive(master, "credentials-at-rest").matches(a)).isTrue();
    assertThat(AesGcmKey.derive(master, "session-cookies").matches(a)).isFalse();
    String fernet = FernetKey.derive(master, "credentials-at-rest").encoded().reveal();
    assertThat(a.encoded().reveal().substring(4)).isNotEqualTo(fernet);
    assertThatThrownBy(() -> AesGcmKey.derive(Secret.of(""), "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AesGcmKey.derive(master, " "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toStringAndErrors_neverShowTheKey() {
    AesGcmKey key = AesGcmKey.generate();
    String text = key.encoded().reveal();
    Leaks.assertNoLeak("toString", key.toString(), text.substring(4));
    Leaks.assertNoLeak("encoded", key.encoded().toString(), text.substring(4));
    Leaks.assertNoLeak("ring", AesGcmKeyRing.of(key).toString(), text.substring(4));
  }

  @Test
  void fromEnvironment_readsCurrentAndPrevious_andReportsEveryProblem() {
    AesGcmKey a = AesGcmKey.generate();
    AesGcmKey b = AesGcmKey.generate();
    AesGcmKeyRing ring =
        AesGcmKeyRing.fromEnvironment(
            "APP_DATA_KEY",
            Map.of(
                "APP_DATA_KEY",
                a.encoded().reveal(),
                "APP_DATA_KEY_PREVIOUS",
                " " + b.encoded().reveal() + " "));
    assertThat(ring.keyIds()).containsExactly(a.id(), b.id());

    String fernet = FernetKey.generate().encoded().reveal();
    assertThatThrownBy(
            () ->
                AesGcmKeyRing.fromEnvironment(
                    "APP_DATA_KEY",
                    Map.of("APP_DATA_KEY_PREVIOUS", fernet + ",," + b.encoded().reveal())))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e -> {
              ConfigException c = (ConfigException) e;
              assertThat(c.problems()).hasSize(3);
              assertThat(c.getMessage())
                  .contains("APP_DATA_KEY: is not set")
                  .contains("latchkey keygen --format aes-gcm")
                  .contains("APP_DATA_KEY_PREVIOUS entry 1: is a Fernet key")
                  .contains("APP_DATA_KEY_PREVIOUS entry 2: is blank")
                  .doesNotContain(fernet.substring(0, 12));
            });
  }

  @Test
  void read_keyFile_primaryFirst(@TempDir Path dir) throws Exception {
    AesGcmKey a = AesGcmKey.generate();
    AesGcmKey b = AesGcmKey.generate();
    Path file = dir.resolve("keys");
    Files.writeString(
        file, "\uFEFF# data keys\n" + a.encoded().reveal() + "\n\n" + b.encoded().reveal() + "\n");
    assertThat(AesGcmKeyRing.read(file).keyIds()).containsExactly(a.id(), b.id());
    Files.writeString(file, "# nothing\n");
    assertThatThrownBy(() -> AesGcmKeyRing.read(file))
        .hasMessageContaining("holds no key; expected one AES-GCM key per line");
  }
}
