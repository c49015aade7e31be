package io.latchkey.cli;

import static io.latchkey.cli.MainTest.encoded;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provokes every error path with a known plaintext, known keys and known tokens, and checks that
 * none of them reaches standard error or shows up where it should not.
 */
final class CanaryTest {
  private static final String PLAINTEXT = "CANARY-PLAINTEXT-7f3a";

  private final FernetKey key = FernetKey.generate();
  private final FernetKey otherKey = FernetKey.generate();
  private final String keyText = encoded(key);
  private final String otherKeyText = encoded(otherKey);
  private final byte[] plaintext = PLAINTEXT.getBytes(UTF_8);
  private final String token = FernetKeyRing.of(key).encrypt(plaintext);
  private final String fineToken = FernetKeyRing.of(key).encrypt("fine".getBytes(UTF_8));
  private final String otherToken = FernetKeyRing.of(otherKey).encrypt(plaintext);
  private final String oldToken =
      FernetKeyRing.of(key).encrypt(plaintext, Instant.now().minus(Duration.ofHours(1)));
  private final String lineBreakToken =
      FernetKeyRing.of(key).encrypt((PLAINTEXT + "\n" + PLAINTEXT).getBytes(UTF_8));
  private final AesGcmKey aesKey = AesGcmKey.generate();
  private final String aesKeyText = aesKey.encoded().reveal();
  private final String untimedToken = AesGcmKeyRing.of(aesKey).encrypt(plaintext);
  private final Map<String, String> env = Map.of("APP_KEY", keyText, "APP_DATA_KEY", aesKeyText);

  @TempDir Path dir;

  /** One way to fail: arguments, environment and standard input. */
  private record Case(
      String name, int exitCode, Map<String, String> env, String stdin, String... args) {}

  @Test
  void errors_neverShowKeysTokensOrPlaintext() throws IOException {
    List<Case> cases = cases();
    SoftAssertions softly = new SoftAssertions();
    for (Case c : cases) {
      Cli.Result r = Cli.run(c.env(), c.stdin(), c.args());
      String stderr = r.stderr();
      softly.assertThat(r.exitCode()).as(c.name() + ": exit code").isEqualTo(c.exitCode());
      softly.assertThat(stderr).as(c.name() + ": stderr").isNotBlank();
      for (String secret : secrets()) {
        softly.assertThat(stderr).as(c.name() + ": stderr").doesNotContain(secret);
      }
      softly.assertThat(stderr).as(c.name()).doesNotContain("Exception", "\tat ", "Caused by");
      softly.assertThat(r.stdout()).as(c.name() + ": stdout").doesNotContain(PLAINTEXT);
      if (c.exitCode() == 1 && !List.of(c.args()).contains("--lines")) {
        softly.assertThat(stderr).as(c.name() + ": one line").hasLineCount(1).endsWith("\n");
        softly.assertThat(r.stdout()).as(c.name() + ": stdout").isEmpty();
      }
    }
    softly.assertAll();
  }

  private List<Case> cases() throws IOException {
    Path badKeyFile = dir.resolve("bad.keys");
    Files.writeString(badKeyFile, keyText + "\n" + otherKeyText.substring(1) + "\n");
    Map<String, String> badPrimary = Map.of("APP_KEY", keyText.substring(0, 40));
    Map<String, String> badPrevious =
        Map.of("APP_KEY", keyText, "APP_KEY_PREVIOUS", otherKeyText + "x, ," + otherKeyText);

    List<Case> cases = new ArrayList<>();
    // Rejected input: exit 1.
    cases.add(new Case("wrong key", 1, env, otherToken, "decrypt", "--key-env", "APP_KEY"));
    cases.add(new Case("tampered", 1, env, tamper(token), "decrypt", "--key-env", "APP_KEY"));
    cases.add(
        new Case("truncated", 1, env, token.substring(0, 60), "decrypt", "--key-env=APP_KEY"));
    cases.add(new Case("plaintext as token", 1, env, PLAINTEXT, "decrypt", "--key-env=APP_KEY"));
    cases.add(new Case("key as token", 1, env, keyText, "rotate", "--key-env=APP_KEY"));
    cases.add(
        new Case("expired", 1, env, oldToken, "decrypt", "--key-env", "APP_KEY", "--ttl", "5"));
    cases.add(new Case("rotate wrong key", 1, env, otherToken, "rotate", "--key-env", "APP_KEY"));
    cases.add(new Case("missing variable", 1, Map.of(), token, "decrypt", "--key-env", "APP_KEY"));
    cases.add(new Case("bad primary", 1, badPrimary, PLAINTEXT, "encrypt", "--key-env", "APP_KEY"));
    cases.add(new Case("bad previous", 1, badPrevious, token, "decrypt", "--key-env", "APP_KEY"));
    cases.add(
        new Case(
            "bad key file", 1, Map.of(), token, "decrypt", "--key-file", badKeyFile.toString()));
    cases.add(
        new Case(
            "lines",
            1,
            env,
            fineToken
                + "\n"
                + otherToken
                + "\n"
                + lineBreakToken
                + "\n"
                + oldToken
                + "\n"
                + PLAINTEXT,
            "decrypt",
            "--key-env",
            "APP_KEY",
            "--lines",
            "--ttl",
            "60"));
    cases.add(
        new Case(
            "untimed AES-GCM token with a ttl",
            1,
            env,
            untimedToken,
            "decrypt",
            "--key-env",
            "APP_DATA_KEY",
            "--ttl",
            "3600"));
    cases.add(
        new Case(
            "untimed AES-GCM lines with a ttl",
            1,
            env,
            untimedToken + "\n" + untimedToken,
            "decrypt",
            "--key-env",
            "APP_DATA_KEY",
            "--lines",
            "--ttl",
            "3600"));
    // Secrets where the parser does not want them: exit 2.
    cases.add(new Case("key option", 2, env, token, "decrypt", "--key", keyText));
    cases.add(new Case("key option with =", 2, env, token, "decrypt", "--key=" + keyText));
    cases.add(new Case("key as argument", 2, env, token, "decrypt", "--key-env=APP_KEY", keyText));
    cases.add(new Case("key as env name", 2, env, token, "decrypt", "--key-env", keyText));
    cases.add(new Case("key as key file", 2, env, token, "decrypt", "--key-file", keyText));
    cases.add(new Case("token as key file", 2, env, "", "decrypt", "--key-file=" + token));
    cases.add(new Case("token as argument", 2, env, "", "decrypt", "--key-env=APP_KEY", token));
    cases.add(
        new Case(
            "plaintext as argument", 2, env, "", "encrypt", "--key-env", "APP_KEY", PLAINTEXT));
    cases.add(
        new Case(
            "plaintext as ttl", 2, env, token, "decrypt", "--key-env=APP_KEY", "--ttl", PLAINTEXT));
    cases.add(new Case("plaintext as count", 2, env, "", "keygen", "--count=" + PLAINTEXT));
    cases.add(
        new Case(
            "plaintext as timestamp",
            2,
            env,
            "",
            "encrypt",
            "--key-env=APP_DATA_KEY",
            "--timestamp=" + PLAINTEXT));
    cases.add(new Case("key as command", 2, env, "", keyText));
    cases.add(new Case("key after option", 2, env, "", "-" + keyText));
    return cases;
  }

  /** Every string that must not be echoed, shortened so that a partial echo is caught too. */
  private List<String> secrets() {
    List<String> secrets = new ArrayList<>();
    secrets.add(PLAINTEXT.substring(8));
    for (String k : List.of(keyText, otherKeyText, aesKeyText)) {
      secrets.add(k.substring(4, 24));
      secrets.add(k.substring(20, 40));
    }
    for (String t : List.of(token, otherToken, oldToken, lineBreakToken, untimedToken)) {
      // A token's first characters are its version and timestamp, shared by many tokens.
      secrets.add(t.substring(20, 40));
      secrets.add(t.substring(t.length() - 24, t.length() - 4));
    }
    return secrets;
  }

  private static String tamper(String token) {
    char[] chars = token.toCharArray();
    chars[40] = chars[40] == 'A' ? 'B' : 'A';
    return new String(chars);
  }
}
