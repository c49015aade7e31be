package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.aead.AssociatedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --format}: AES-GCM keys and tokens through keygen, encrypt, decrypt and rotate. */
final class FormatOptionTest {
  private static final AesGcmKey KEY = AesGcmKey.generate();
  private static final AesGcmKey OLD_KEY = AesGcmKey.generate();
  private static final Map<String, String> ENV = Map.of("APP_DATA_KEY", KEY.encoded().reveal());

  @TempDir Path dir;

  @Test
  void keygen_formatAesGcm_printsParseableAesGcmKeys() {
    Cli.Result r = Cli.run(Map.of(), "", "keygen", "--format", "aes-gcm", "--count", "2");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).matches("(lkk\\.[A-Za-z0-9_-]{43}=\n){2}");
    AesGcmKey key = AesGcmKey.parse(r.stdout().lines().findFirst().orElseThrow());
    AesGcmKeyRing ring = AesGcmKeyRing.of(key);
    assertThat(ring.decrypt(ring.encrypt(new byte[] {1}))).containsExactly(1);
  }

  @Test
  void keygen_unknownFormat_exits2WithoutEchoingIt() {
    Cli.Result r = Cli.run(Map.of(), "", "keygen", "--format", "Sup3rSecretValue");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("expected fernet or aes-gcm").doesNotContain("Sup3rSecret");
  }

  @Test
  void encryptDecrypt_aesGcmKeyInTheEnvironment_usesTheAesGcmFormat() {
    byte[] message = {'h', 'i', 0, (byte) 0xff, '\n'};

    Cli.Result encrypted = Cli.run(ENV, message, "encrypt", "--key-env", "APP_DATA_KEY");
    assertThat(encrypted.exitCode()).isZero();
    assertThat(encrypted.stdout()).startsWith("lk.").endsWith("\n").hasLineCount(1);
    assertThat(AesGcmKeyRing.of(KEY).decrypt(encrypted.stdout().strip())).containsExactly(message);

    Cli.Result decrypted =
        Cli.run(
            ENV, encrypted.stdout(), "decrypt", "--format", "aes-gcm", "--key-env", "APP_DATA_KEY");
    assertThat(decrypted.exitCode()).as(decrypted.stderr()).isZero();
    assertThat(decrypted.stdoutBytes()).containsExactly(message);
  }

  @Test
  void rotate_aesGcmTokenUnderThePreviousKey_withTimestamp_movesItKeepingTheTimestamp() {
    Instant at = Instant.parse("2025-06-01T12:00:00Z");
    String old = AesGcmKeyRing.of(OLD_KEY).encrypt("v".getBytes(UTF_8), at, AssociatedData.empty());
    Map<String, String> env =
        Map.of(
            "APP_DATA_KEY", KEY.encoded().reveal(),
            "APP_DATA_KEY_PREVIOUS", OLD_KEY.encoded().reveal());

    Cli.Result r = Cli.run(env, old + "\n", "rotate", "--key-env", "APP_DATA_KEY", "--timestamp");
    Cli.Result untimed = Cli.run(env, old + "\n", "rotate", "--key-env", "APP_DATA_KEY");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    AesGcmKeyRing newOnly = AesGcmKeyRing.of(KEY);
    String rotated = r.stdout().strip();
    assertThat(newOnly.isPrimary(rotated)).isTrue();
    assertThat(newOnly.extractTimestamp(rotated, AssociatedData.empty())).isEqualTo(at);
    assertThat(untimed.exitCode()).as(untimed.stderr()).isZero();
    assertThat(raw(untimed.stdout())).startsWith(2);
    assertThat(newOnly.decrypt(untimed.stdout().strip())).asString(UTF_8).isEqualTo("v");
  }

  @Test
  void encrypt_aesGcm_writesTheUntimedLayout_unlessGivenTimestamp() {
    byte[] message = "32 bytes of a stored credential!".getBytes(UTF_8);

    Cli.Result untimed = Cli.run(ENV, message, "encrypt", "--key-env", "APP_DATA_KEY");
    Cli.Result timed = Cli.run(ENV, message, "encrypt", "--key-env", "APP_DATA_KEY", "--timestamp");

    assertThat(untimed.exitCode()).as(untimed.stderr()).isZero();
    assertThat(raw(untimed.stdout())).hasSize(33 + message.length).startsWith(2);
    assertThat(timed.exitCode()).as(timed.stderr()).isZero();
    assertThat(raw(timed.stdout())).hasSize(41 + message.length).startsWith(1);
    AesGcmKeyRing ring = AesGcmKeyRing.of(KEY);
    assertThat(ring.decrypt(untimed.stdout().strip())).isEqualTo(message);
    assertThat(ring.decrypt(timed.stdout().strip())).isEqualTo(message);
  }

  @Test
  void decryptWithTtl_untimedAesGcmToken_exits1Expired_timedTokenDecrypts() {
    Cli.Result untimed = Cli.run(ENV, "v", "encrypt", "--key-env", "APP_DATA_KEY");
    Cli.Result timed = Cli.run(ENV, "v", "encrypt", "--key-env", "APP_DATA_KEY", "--timestamp");

    Cli.Result rejected =
        Cli.run(ENV, untimed.stdout(), "decrypt", "--key-env", "APP_DATA_KEY", "--ttl", "3600");
    Cli.Result accepted =
        Cli.run(ENV, timed.stdout(), "decrypt", "--key-env", "APP_DATA_KEY", "--ttl", "3600");
    Cli.Result noTtl = Cli.run(ENV, untimed.stdout(), "decrypt", "--key-env", "APP_DATA_KEY");

    assertThat(rejected.exitCode()).isEqualTo(1);
    assertThat(rejected.stdout()).isEmpty();
    assertThat(rejected.stderr()).isEqualTo("latchkey decrypt: token has expired\n");
    assertThat(accepted.exitCode()).as(accepted.stderr()).isZero();
    assertThat(accepted.stdout()).isEqualTo("v");
    assertThat(noTtl.stdout()).isEqualTo("v");
  }

  @Test
  void timestamp_withAKeyFile_andWithFernetKeys() throws IOException {
    Path file = dir.resolve("keys.txt");
    Files.writeString(file, KEY.encoded().reveal() + "\n");
    Cli.Result fromFile =
        Cli.run(Map.of(), "v", "encrypt", "--key-file", file.toString(), "--timestamp");
    assertThat(fromFile.exitCode()).as(fromFile.stderr()).isZero();
    assertThat(raw(fromFile.stdout())).startsWith(1);
    Cli.Result untimed = Cli.run(Map.of(), "v", "encrypt", "--key-file", file.toString());
    assertThat(raw(untimed.stdout())).startsWith(2);

    // Fernet tokens always carry their time: the option changes nothing for them.
    FernetKey fernet = FernetKey.generate();
    Map<String, String> env = Map.of("APP_KEY", fernet.encoded().reveal());
    Cli.Result f = Cli.run(env, "v", "encrypt", "--key-env", "APP_KEY", "--timestamp");
    assertThat(f.exitCode()).as(f.stderr()).isZero();
    assertThat(FernetKeyRing.of(fernet).decrypt(f.stdout().strip())).asString(UTF_8).isEqualTo("v");
  }

  @Test
  void timestamp_isNotAnOptionOfDecrypt() {
    String token = AesGcmKeyRing.of(KEY).encrypt(new byte[1]);

    Cli.Result r = Cli.run(ENV, token, "decrypt", "--key-env", "APP_DATA_KEY", "--timestamp");

    assertThat(r.exitCode()).isEqualTo(2);
  }

  private static byte[] raw(String token) {
    return Base64.getUrlDecoder().decode(token.strip().substring(3));
  }

  @Test
  void decrypt_fernetTokenWithAnAesGcmRing_exits1Malformed() {
    String fernet = FernetKeyRing.of(FernetKey.generate()).encrypt(new byte[] {1});

    Cli.Result r = Cli.run(ENV, fernet, "decrypt", "--key-env", "APP_DATA_KEY");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).isEqualTo("latchkey decrypt: malformed token\n");
  }

  @Test
  void formatFernet_withAnAesGcmKey_exits1NamingTheVariableNotTheKey() {
    Cli.Result r = Cli.run(ENV, "x", "encrypt", "--format", "fernet", "--key-env", "APP_DATA_KEY");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .startsWith("latchkey encrypt: APP_DATA_KEY: ")
        .doesNotContain(KEY.encoded().reveal().substring(4, 16));
  }

  @Test
  void formatAesGcm_withAFernetKey_exits1SayingItIsAFernetKey() {
    Map<String, String> env = Map.of("APP_KEY", FernetKey.generate().encoded().reveal());

    Cli.Result r = Cli.run(env, "x", "encrypt", "--format", "aes-gcm", "--key-env", "APP_KEY");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("APP_KEY: is a Fernet key; expected an AES-GCM key");
  }

  @Test
  void keyFile_aesGcmKeys_primaryFirst() throws IOException {
    Path file = dir.resolve("keys.txt");
    Files.writeString(
        file, "# data keys\n" + KEY.encoded().reveal() + "\n" + OLD_KEY.encoded().reveal() + "\n");
    String old = AesGcmKeyRing.of(OLD_KEY).encrypt("v".getBytes(UTF_8));

    Cli.Result r = Cli.run(Map.of(), old, "decrypt", "--key-file", file.toString());

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).isEqualTo("v");
    Files.writeString(file, "# none\n");
    Cli.Result empty =
        Cli.run(Map.of(), old, "decrypt", "--format", "aes-gcm", "--key-file", file.toString());
    assertThat(empty.stderr()).contains("holds no key; expected one AES-GCM key per line");
  }

  @Test
  void keyFileOption_givenAnAesGcmKeyInsteadOfAPath_isRefusedWithoutEchoingIt() {
    String key = KEY.encoded().reveal();

    Cli.Result r = Cli.run(Map.of(), "x", "encrypt", "--key-file", key);

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).doesNotContain(key.substring(4, 16));
  }
}
