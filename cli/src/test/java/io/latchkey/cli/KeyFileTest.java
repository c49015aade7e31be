package io.latchkey.cli;

import static io.latchkey.cli.MainTest.encoded;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --key-file} as editors write key files: byte-order marks, CRLF, no final newline. */
final class KeyFileTest {
  private static final FernetKey KEY = FernetKey.generate();
  private static final FernetKey OLD_KEY = FernetKey.generate();

  @TempDir Path dir;

  @Test
  void decrypt_keyFileVariants_readsBothKeys() throws IOException {
    String key = encoded(KEY);
    String old = encoded(OLD_KEY);
    String oldToken = FernetKeyRing.of(OLD_KEY).encrypt("old".getBytes(UTF_8));
    Map<String, String> variants =
        Map.of(
            "bom, lf", "\uFEFF" + key + "\n" + old + "\n",
            "bom, crlf", "\uFEFF" + key + "\r\n" + old + "\r\n",
            "bom, comment first", "\uFEFF# keys\r\n" + key + "\r\n\r\n" + old,
            "no final newline", key + "\n" + old,
            "cr only", key + "\r" + old + "\r",
            "bom only before blank line", "\uFEFF\n" + key + "\n" + old + "\n");
    for (Map.Entry<String, String> variant : variants.entrySet()) {
      Path file = dir.resolve("app.keys");
      Files.writeString(file, variant.getValue(), UTF_8);

      Cli.Result decrypted = Cli.run(Map.of(), oldToken, "decrypt", "--key-file", file.toString());
      Cli.Result encrypted = Cli.run(Map.of(), "new", "encrypt", "--key-file", file.toString());

      assertThat(decrypted.stderr()).as(variant.getKey()).isEmpty();
      assertThat(decrypted.stdout()).as(variant.getKey()).isEqualTo("old");
      assertThat(FernetKeyRing.of(KEY).decrypt(encrypted.stdout().strip()))
          .as(variant.getKey() + ": the first key encrypts")
          .isEqualTo("new".getBytes(UTF_8));
    }
  }

  @Test
  void decrypt_twoByteOrderMarks_secondIsABadKeyNamedByLine() throws IOException {
    Path file = dir.resolve("app.keys");
    Files.writeString(file, "\uFEFF\uFEFF" + encoded(KEY) + "\n", UTF_8);

    Cli.Result r = Cli.run(Map.of(), "x", "decrypt", "--key-file", file.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .startsWith("latchkey decrypt: " + file + " line 1: is not 44 characters");
  }

  @Test
  void decrypt_notUtf8_exits1() throws IOException {
    Path file = dir.resolve("app.keys");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(new byte[] {(byte) 0xff, (byte) 0xfe});
    bytes.write(encoded(KEY).getBytes(UTF_8));
    Files.write(file, bytes.toByteArray());

    Cli.Result r = Cli.run(Map.of(), "x", "decrypt", "--key-file", file.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .isEqualTo(
            "latchkey decrypt: " + file + ": is not UTF-8 text; expected one key per line\n");
  }

  @Test
  void decrypt_onlyCommentsAndBom_holdsNoKey() throws IOException {
    Path file = dir.resolve("app.keys");
    Files.writeString(file, "\uFEFF# nothing yet\r\n\r\n", UTF_8);

    Cli.Result r = Cli.run(Map.of(), "x", "decrypt", "--key-file", file.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .isEqualTo(
            "latchkey decrypt: " + file + ": holds no key; expected one Fernet key per line\n");
  }

  @Test
  void decrypt_missingFileNotLookingLikeAPath_namesTheOptionOnly() {
    for (String value : List.of("hunter2-Passw0rd", "app.keys", "s3cr3t/Pa55w0rdXyz")) {
      Cli.Result r = Cli.run(Map.of(), "x", "decrypt", "--key-file", value);

      assertThat(r.exitCode()).as(value).isEqualTo(1);
      assertThat(r.stderr())
          .as(value)
          .isEqualTo(
              "latchkey decrypt: --key-file (value not shown: it does not look like a path):"
                  + " does not exist\n");
    }
  }
}
