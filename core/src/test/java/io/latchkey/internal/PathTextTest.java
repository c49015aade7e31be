package io.latchkey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.Leaks;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rule for quoting a path in an error: what looks like a path, and what does not. */
final class PathTextTest {
  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "/run/secrets/db_password",
        "/etc/latchkey/prod.env",
        "./prod.env",
        "../config/.env",
        "~/secrets/token",
        "config/dev.env",
        "C:\\Users\\Bob\\AppData\\Local\\Temp\\x.env",
        "C:/secrets/api-key.txt",
        "\\\\server\\share\\key.txt",
        "C:\\Program Files (x86)\\App\\key.txt",
        "/home/josé/Données/clé.txt",
        "/tmp/junit4471960264431474358/no-such-file",
        "/Users/JohnSmith/Documents/MyApplicationConfigFile2024/app.env",
        "/etc/ssl/x509/cert.pem",
        "/opt/app v2/secret",
        "/var/lib/kubelet/pods/3f2a9c1e-8d4b-4c1a-9f3e-2b7d6a5c4e1f/volumes/secret/db",
        ".",
        ".."
      })
  void looksLikePath_realPaths_areQuoted(String path) {
    assertThat(PathText.looksLikePath(path)).isTrue();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "",
        "prod.env", // a bare name: write ./prod.env
        "hunter2",
        "correct.horse.battery.staple",
        " /run/secrets/db", // blank at an end
        "/run/secrets/db ",
        "/run/secrets/\u00a0db",
        "/run/secrets/db\n",
        "/run/secrets/db\u0000",
        "https://user:pw@host/path",
        "postgres://app@db/prod",
        "/a/b?token=x",
        "/a/b#frag",
        "/a/b%2F",
        "/a/b=c",
        "aB3dE/fG9hIjK+lMn0pQ==",
        "ghp_R4nd0mT0k3nV4lu3s/abc",
        "/run/ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "./sk-proj-abcdefghijklmnop",
        "xoxb-123/abc",
        "AKIAIOSFODNN7EXAMPLE/x",
        "eyJhbGciOiJIUzI1NiJ9/eyJzdWIiOiIxIn0",
        "-----BEGIN PRIVATE KEY-----/x",
        "/var/lib/kubelet/pods/3f2a9c1e-8d4b-4c1a-9f3e-2b7d6a5c4e1f/volumes/q7Kx9Lm2Pw4Rz5Tb",
        "/srv/3f2a9c1e-8d4b-4c1a-9f3e-2b7d6a5c4e1f/db",
        "Xk9fQ2mZ/pL7wR4tY8vB3nC6",
        "q7Kx/Lm9Pw2Rz5Tb"
      })
  void looksLikePath_secretsAndOtherText_areNotQuoted(String value) {
    assertThat(PathText.looksLikePath(value)).isFalse();
  }

  @Test
  void looksLikePath_underARandomTemporaryDirectory_judgesOnlyWhatFollowsIt() {
    // The JVM's temporary directory on macOS: random, and the system's, not a secret's.
    String macTemp = "/var/folders/x7/k3b4mzq90gj2vl8_d1qwq5n40000gn/T/";
    assertThat(PathText.looksLikePath(macTemp + "junit4471960264431474358/missing")).isFalse();
    String saved = System.getProperty("java.io.tmpdir");
    try {
      System.setProperty("java.io.tmpdir", macTemp);
      assertThat(PathText.looksLikePath(macTemp + "junit4471960264431474358/missing")).isTrue();
      assertThat(PathText.looksLikePath(macTemp + "q7Kx9Lm2Pw4Rz5Tb")).isFalse();
    } finally {
      System.setProperty("java.io.tmpdir", saved);
    }
  }

  @Test
  void looksLikePath_longerThanTheBound_isNotQuoted() {
    String segment = "/secrets";
    String path = segment.repeat(PathText.MAX_LENGTH / segment.length());
    assertThat(PathText.looksLikePath(path)).isTrue();
    assertThat(PathText.looksLikePath(path + "/x")).isFalse();
  }

  @Test
  void looksLikePath_randomSecrets_areAlmostNeverQuoted() {
    // Leaks.randomSecret values mix letters, digits and characters that shape URLs: the character
    // set alone rules most out, the switches between cases and digits the rest. Seeded: the count
    // is fixed, and measured at 28 per million for values up to 64 characters.
    SplittableRandom random = new SplittableRandom(20261206);
    int quoted = 0;
    for (int i = 0; i < 100_000; i++) {
      if (PathText.looksLikePath(Leaks.randomSecret(random, 64))) {
        quoted++;
      }
    }
    assertThat(quoted).isLessThanOrEqualTo(10);
  }

  @Test
  void of_valueHoldingTheSecretItStandsFor_isNotQuoted() {
    Path path = Path.of("/run/secrets/db");
    assertThat(PathText.of("/run/secrets/db", path, List.of()).isShown()).isTrue();
    assertThat(PathText.of("/run/secrets/db", path, List.of("/run/secrets/db")).isShown())
        .isFalse();
    assertThat(PathText.of("/run/secrets/db", path, List.of("secrets")).isShown()).isFalse();
    assertThat(PathText.of("/run/secrets/db", path, List.of("a/run/secrets/db/b")).isShown())
        .isFalse();
    assertThat(PathText.of("/run/secrets/db", path, List.of("", "other")).isShown()).isTrue();
  }

  @Test
  void reason_shownOrNot_keepsTheContext() {
    PathText shown = PathText.of("./x/y", Path.of("/srv/app/x/y"), List.of());
    PathText hidden = PathText.of("hunter2", Path.of("hunter2"), List.of());
    assertThat(shown.reason("does not exist", "is not a readable file", "named in .env line 3"))
        .isEqualTo("/srv/app/x/y does not exist (named in .env line 3)");
    assertThat(hidden.reason("does not exist", "is not a readable file", "named in .env line 3"))
        .isEqualTo(
            "is not a readable file (named in .env line 3;"
                + " value not shown: it does not look like a path)");
    assertThat(hidden.reason("does not exist", "is not a readable file", ""))
        .isEqualTo("is not a readable file (value not shown: it does not look like a path)");
    assertThat(hidden.toString()).doesNotContain("hunter2");
  }
}
