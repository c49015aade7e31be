package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class MainTest {
  private static final FernetKey KEY = FernetKey.generate();
  private static final FernetKey OLD_KEY = FernetKey.generate();
  private static final FernetKey OTHER_KEY = FernetKey.generate();
  private static final Map<String, String> ENV = Map.of("APP_KEY", encoded(KEY));

  @TempDir Path dir;

  // ---- keygen --------------------------------------------------------------------------------

  @Test
  void keygen_printsOneParseableKey() {
    Cli.Result r = Cli.run(Map.of(), "", "keygen");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr()).isEmpty();
    assertThat(r.stdout()).matches("[A-Za-z0-9_-]{43}=\n");
    FernetKey key = FernetKey.parse(r.stdout().strip());
    assertThat(FernetKeyRing.of(key).decrypt(FernetKeyRing.of(key).encrypt(new byte[] {1})))
        .containsExactly(1);
  }

  @Test
  void keygen_count_printsThatManyDistinctKeys() {
    Cli.Result r = Cli.run(Map.of(), "", "keygen", "--count", "3");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout().split("\n")).hasSize(3).doesNotHaveDuplicates();
  }

  // ---- whole input ---------------------------------------------------------------------------

  @Test
  void encryptDecrypt_wholeInput_roundTripsExactBytes() {
    byte[] message = {'h', 'i', '\r', '\n', 0, (byte) 0xff, (byte) 0x80, ' ', '\n'};

    Cli.Result encrypted = Cli.run(ENV, message, "encrypt", "--key-env", "APP_KEY");
    assertThat(encrypted.exitCode()).isZero();
    assertThat(encrypted.stdout()).startsWith("gAAAAA").endsWith("\n").hasLineCount(1);

    Cli.Result decrypted = Cli.run(ENV, encrypted.stdout(), "decrypt", "--key-env", "APP_KEY");
    assertThat(decrypted.exitCode()).isZero();
    assertThat(decrypted.stderr()).isEmpty();
    assertThat(decrypted.stdoutBytes()).containsExactly(message);
  }

  @Test
  void encryptDecrypt_emptyInput_roundTrips() {
    Cli.Result encrypted = Cli.run(ENV, "", "encrypt", "--key-env", "APP_KEY");
    Cli.Result decrypted = Cli.run(ENV, encrypted.stdout(), "decrypt", "--key-env", "APP_KEY");

    assertThat(decrypted.exitCode()).isZero();
    assertThat(decrypted.stdoutBytes()).isEmpty();
  }

  @Test
  void decrypt_tokenWithSurroundingWhitespace_isTrimmed() {
    String token = FernetKeyRing.of(KEY).encrypt("x".getBytes(UTF_8));

    Cli.Result r = Cli.run(ENV, "  " + token + " \r\n\n", "decrypt", "--key-env", "APP_KEY");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).isEqualTo("x");
  }

  @Test
  void decrypt_previousKey_decrypts() {
    String token = FernetKeyRing.of(OLD_KEY).encrypt("old".getBytes(UTF_8));
    Map<String, String> env =
        Map.of(
            "APP_KEY",
            encoded(KEY),
            "APP_KEY_PREVIOUS",
            " " + encoded(OTHER_KEY) + " , " + encoded(OLD_KEY));

    Cli.Result r = Cli.run(env, token, "decrypt", "--key-env", "APP_KEY");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).isEqualTo("old");
  }

  @Test
  void rotate_token_decryptsWithNewKeyAloneAndKeepsTimestamp() {
    Instant made = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
    String token = FernetKeyRing.of(OLD_KEY).encrypt("payload".getBytes(UTF_8), made);
    Map<String, String> env = Map.of("APP_KEY", encoded(KEY), "APP_KEY_PREVIOUS", encoded(OLD_KEY));

    Cli.Result r = Cli.run(env, token + "\n", "rotate", "--key-env", "APP_KEY");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).endsWith("\n").hasLineCount(1);
    String rotated = r.stdout().strip();
    FernetKeyRing newOnly = FernetKeyRing.of(KEY);
    assertThat(newOnly.decrypt(rotated)).isEqualTo("payload".getBytes(UTF_8));
    assertThat(newOnly.extractTimestamp(rotated)).isEqualTo(made);
  }

  @Test
  void decrypt_ttlExpired_exits1() {
    String token =
        FernetKeyRing.of(KEY)
            .encrypt("x".getBytes(UTF_8), Instant.now().minus(Duration.ofHours(1)));

    Cli.Result expired = Cli.run(ENV, token, "decrypt", "--key-env", "APP_KEY", "--ttl", "60");
    Cli.Result fresh = Cli.run(ENV, token, "decrypt", "--key-env", "APP_KEY", "--ttl=7200");

    assertThat(expired.exitCode()).isEqualTo(1);
    assertThat(expired.stdout()).isEmpty();
    assertThat(expired.stderr()).isEqualTo("latchkey decrypt: token has expired\n");
    assertThat(fresh.exitCode()).isZero();
    assertThat(fresh.stdout()).isEqualTo("x");
  }

  @Test
  void decrypt_tamperedToken_exits1() {
    String token = FernetKeyRing.of(KEY).encrypt("x".getBytes(UTF_8));
    char[] chars = token.toCharArray();
    chars[30] = chars[30] == 'A' ? 'B' : 'A';

    Cli.Result r = Cli.run(ENV, new String(chars), "decrypt", "--key-env", "APP_KEY");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .isEqualTo("latchkey decrypt: token was made with another key or has been altered\n");
  }

  @Test
  void decrypt_wrongKey_exits1() {
    String token = FernetKeyRing.of(OTHER_KEY).encrypt("x".getBytes(UTF_8));

    Cli.Result r = Cli.run(ENV, token, "decrypt", "--key-env", "APP_KEY");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr()).contains("another key");
  }

  @Test
  void decrypt_garbage_exits1() {
    Cli.Result r = Cli.run(ENV, "not a token", "decrypt", "--key-env", "APP_KEY");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).isEqualTo("latchkey decrypt: malformed token\n");
  }

  // ---- --lines -------------------------------------------------------------------------------

  @Test
  void encryptDecrypt_lines_roundTripsEachLine() {
    String input = "alpha\n\nγάμμα δ\r\n  spaced  \nlast without newline";

    Cli.Result encrypted = Cli.run(ENV, input, "encrypt", "--key-env", "APP_KEY", "--lines");
    assertThat(encrypted.exitCode()).isZero();
    assertThat(encrypted.stdout()).endsWith("\n");
    assertThat(encrypted.stdout().lines()).hasSize(5).allMatch(line -> line.startsWith("gAAAAA"));

    Cli.Result decrypted =
        Cli.run(ENV, encrypted.stdout(), "decrypt", "--key-env", "APP_KEY", "--lines");
    assertThat(decrypted.exitCode()).isZero();
    assertThat(decrypted.stderr()).isEmpty();
    assertThat(decrypted.stdout())
        .isEqualTo("alpha\n\nγάμμα δ\n  spaced  \nlast without newline\n");
  }

  @Test
  void decryptLines_badLineInMiddle_exits1AndKeepsAlignment() {
    FernetKeyRing ring = FernetKeyRing.of(KEY);
    String input =
        ring.encrypt("one".getBytes(UTF_8))
            + "\nnot-a-token\n"
            + ring.encrypt("three".getBytes(UTF_8))
            + "\n";

    Cli.Result r = Cli.run(ENV, input, "decrypt", "--key-env", "APP_KEY", "--lines");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEqualTo("one\n\nthree\n");
    assertThat(r.stderr()).isEqualTo("latchkey decrypt: line 2: malformed token\n");
  }

  @Test
  void decryptLines_lineOverTheCapBetweenTwoTokens_isRejectedAndTheOthersKeepTheirLines() {
    FernetKeyRing ring = FernetKeyRing.of(KEY);
    byte[] huge = new byte[LineReader.MAX_LINE + 1];
    Arrays.fill(huge, (byte) 'A');
    byte[] first = (ring.encrypt("one".getBytes(UTF_8)) + "\n").getBytes(UTF_8);
    byte[] last = ("\n" + ring.encrypt("three".getBytes(UTF_8)) + "\n").getBytes(UTF_8);
    byte[] input = new byte[first.length + huge.length + last.length];
    System.arraycopy(first, 0, input, 0, first.length);
    System.arraycopy(huge, 0, input, first.length, huge.length);
    System.arraycopy(last, 0, input, first.length + huge.length, last.length);

    Cli.Result r = Cli.run(ENV, input, "decrypt", "--key-env", "APP_KEY", "--lines");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEqualTo("one\n\nthree\n");
    assertThat(r.stderr())
        .isEqualTo("latchkey decrypt: line 2: too long (over 16 MiB); it was skipped\n");
  }

  @Test
  void decryptLines_plaintextWithLineBreak_isRejectedAndNotPrinted() {
    FernetKeyRing ring = FernetKeyRing.of(KEY);
    String input =
        ring.encrypt("two\nlines".getBytes(UTF_8))
            + "\n"
            + ring.encrypt("cr\r".getBytes(UTF_8))
            + "\n"
            + ring.encrypt("fine".getBytes(UTF_8));

    Cli.Result r = Cli.run(ENV, input, "decrypt", "--key-env", "APP_KEY", "--lines");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEqualTo("\n\nfine\n");
    assertThat(r.stderr())
        .isEqualTo(
            "latchkey decrypt: line 1: plaintext contains a line break; decrypt it without"
                + " --lines\n"
                + "latchkey decrypt: line 2: plaintext contains a line break; decrypt it without"
                + " --lines\n");
  }

  @Test
  void decryptLines_ttlExpiredLine_isRejected() {
    FernetKeyRing ring = FernetKeyRing.of(KEY);
    String input =
        ring.encrypt("new".getBytes(UTF_8))
            + "\n"
            + ring.encrypt("old".getBytes(UTF_8), Instant.now().minus(Duration.ofHours(1)));

    Cli.Result r =
        Cli.run(ENV, input, "decrypt", "--key-env", "APP_KEY", "--lines", "--ttl", "600");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEqualTo("new\n\n");
    assertThat(r.stderr()).isEqualTo("latchkey decrypt: line 2: token has expired\n");
  }

  @Test
  void encryptLines_invalidUtf8Line_isRejected() {
    byte[] input = {'o', 'k', '\n', 'b', (byte) 0xff, 'd', '\n', 'o', 'k', '2'};

    Cli.Result r = Cli.run(ENV, input, "encrypt", "--key-env", "APP_KEY", "--lines");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).isEqualTo("latchkey encrypt: line 2: line is not valid UTF-8\n");
    String[] lines = r.stdout().split("\n", -1);
    assertThat(lines).hasSize(4);
    assertThat(lines[1]).isEmpty();
    FernetKeyRing ring = FernetKeyRing.of(KEY);
    assertThat(ring.decrypt(lines[0])).isEqualTo("ok".getBytes(UTF_8));
    assertThat(ring.decrypt(lines[2])).isEqualTo("ok2".getBytes(UTF_8));
  }

  @Test
  void rotateLines_rotatesEachLine() {
    FernetKeyRing old = FernetKeyRing.of(OLD_KEY);
    String input =
        old.encrypt("a".getBytes(UTF_8)) + "\r\n" + old.encrypt("b".getBytes(UTF_8)) + "\n";
    Map<String, String> env = Map.of("APP_KEY", encoded(KEY), "APP_KEY_PREVIOUS", encoded(OLD_KEY));

    Cli.Result r = Cli.run(env, input, "rotate", "--key-env", "APP_KEY", "--lines");

    assertThat(r.exitCode()).isZero();
    List<String> tokens = r.stdout().lines().toList();
    FernetKeyRing newOnly = FernetKeyRing.of(KEY);
    assertThat(tokens).hasSize(2);
    assertThat(newOnly.decrypt(tokens.get(0))).isEqualTo("a".getBytes(UTF_8));
    assertThat(newOnly.decrypt(tokens.get(1))).isEqualTo("b".getBytes(UTF_8));
  }

  @Test
  void lines_emptyInput_printsNothing() {
    Cli.Result r = Cli.run(ENV, "", "decrypt", "--key-env", "APP_KEY", "--lines");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).isEmpty();
  }

  // ---- key configuration ---------------------------------------------------------------------

  @Test
  void decrypt_missingKeyVariable_exits1NamingVariable() {
    Cli.Result r = Cli.run(Map.of(), "x", "decrypt", "--key-env", "APP_KEY");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).startsWith("latchkey decrypt: APP_KEY: is not set").hasLineCount(1);
  }

  @Test
  void decrypt_blankPreviousEntry_exits1NamingEntry() {
    Map<String, String> env =
        Map.of("APP_KEY", encoded(KEY), "APP_KEY_PREVIOUS", encoded(OLD_KEY) + ",");

    Cli.Result r = Cli.run(env, "x", "decrypt", "--key-env", "APP_KEY");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .startsWith("latchkey decrypt: APP_KEY_PREVIOUS entry 2: is blank")
        .hasLineCount(1);
  }

  @Test
  void encrypt_severalKeyProblems_reportedOnOneLine() {
    Map<String, String> env = Map.of("APP_KEY_PREVIOUS", "short,,");

    Cli.Result r = Cli.run(env, "x", "encrypt", "--key-env", "APP_KEY");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .hasLineCount(1)
        .contains("APP_KEY: is not set", "APP_KEY_PREVIOUS entry 1: is not 44 characters", "; ")
        .contains("APP_KEY_PREVIOUS entry 2: is blank", "APP_KEY_PREVIOUS entry 3: is blank")
        .doesNotContain("short");
  }

  @Test
  void keyFile_primaryAndPrevious_encryptsWithFirstAndDecryptsWithAny() throws IOException {
    Path file = dir.resolve("app.keys");
    Files.writeString(file, "# current first\n" + encoded(KEY) + "\n\n" + encoded(OLD_KEY) + "\n");
    String oldToken = FernetKeyRing.of(OLD_KEY).encrypt("old".getBytes(UTF_8));

    Cli.Result decrypted = Cli.run(Map.of(), oldToken, "decrypt", "--key-file", file.toString());
    Cli.Result encrypted = Cli.run(Map.of(), "new", "encrypt", "--key-file=" + file);

    assertThat(decrypted.exitCode()).isZero();
    assertThat(decrypted.stdout()).isEqualTo("old");
    assertThat(encrypted.exitCode()).isZero();
    assertThat(FernetKeyRing.of(KEY).decrypt(encrypted.stdout().strip()))
        .isEqualTo("new".getBytes(UTF_8));
  }

  @Test
  void keyFile_badLine_exits1NamingFileAndLine() throws IOException {
    Path file = dir.resolve("app.keys");
    Files.writeString(file, encoded(KEY) + "\n" + encoded(OLD_KEY).substring(4) + "\n");

    Cli.Result r = Cli.run(Map.of(), "x", "decrypt", "--key-file", file.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .isEqualTo(
            "latchkey decrypt: "
                + file
                + " line 2: is not 44 characters of URL-safe base64; expected a Fernet key (32 bytes of"
                + " URL-safe"
                + " base64, 44 characters)\n");
  }

  @Test
  void keyFile_missing_exits1() {
    Path file = dir.resolve("absent.keys");

    Cli.Result r = Cli.run(Map.of(), "x", "decrypt", "--key-file", file.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).isEqualTo("latchkey decrypt: " + file + ": does not exist\n");
  }

  @Test
  void keyFile_directory_exits1() {
    Cli.Result r = Cli.run(Map.of(), "x", "decrypt", "--key-file", dir.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains(": is a directory");
  }

  // ---- usage errors --------------------------------------------------------------------------

  @Test
  void decrypt_noKeyOption_exits2() {
    Cli.Result r = Cli.run(ENV, "x", "decrypt");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr())
        .startsWith("latchkey decrypt: Error: Missing required argument")
        .contains("Try 'latchkey decrypt --help'");
  }

  @Test
  void encrypt_bothKeyOptions_exits2() {
    Cli.Result r =
        Cli.run(ENV, "x", "encrypt", "--key-env", "APP_KEY", "--key-file", dir.toString());

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("mutually exclusive");
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void decrypt_unknownOption_exits2() {
    Cli.Result r = Cli.run(ENV, "x", "decrypt", "--key-env", "APP_KEY", "--frobnicate");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).startsWith("latchkey decrypt: unknown option '--frobnicate'\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-5", "soon", "1.5", "99999999999"})
  void decrypt_ttlNotPositiveWholeNumber_exits2(String ttl) {
    Cli.Result r = Cli.run(ENV, "x", "decrypt", "--key-env", "APP_KEY", "--ttl", ttl);

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr())
        .startsWith("latchkey decrypt: Invalid value for option '--ttl': expected a whole number");
  }

  @Test
  void keygen_countZero_exits2() {
    assertThat(Cli.run(ENV, "", "keygen", "--count", "0").exitCode()).isEqualTo(2);
  }

  @Test
  void encrypt_keyEnvNotAVariableName_exits2() {
    Cli.Result r = Cli.run(ENV, "x", "encrypt", "--key-env", encoded(KEY));

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("expected the name of an environment variable");
  }

  @Test
  void noCommand_printsUsageAndExits2() {
    Cli.Result r = Cli.run(ENV, "");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .startsWith("latchkey: missing command\nUsage: latchkey")
        .contains("keygen", "encrypt", "decrypt", "rotate");
  }

  @Test
  void unknownCommand_exits2WithSuggestion() {
    Cli.Result r = Cli.run(ENV, "", "decrpyt");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).startsWith("latchkey: unknown command 'decrpyt'").contains("decrypt");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "keygen", "encrypt", "decrypt", "rotate"})
  void help_everyCommand_printsUsageAndExits0(String command) {
    String[] args = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};

    Cli.Result r = Cli.run(Map.of(), "", args);

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr()).isEmpty();
    assertThat(r.stdout()).contains("Usage: latchkey " + command);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "keygen", "encrypt", "decrypt", "rotate"})
  void version_everyCommand_exits0(String command) {
    String[] args = command.isEmpty() ? new String[] {"-V"} : new String[] {command, "--version"};

    Cli.Result r = Cli.run(Map.of(), "", args);

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr()).isEmpty();
    // The tests run from the build's classes, which record the version and, in a git work tree,
    // the commit; CliIT checks both against the project and the repository.
    assertThat(r.stdout())
        .matches(
            "latchkey \\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.]+)? \\(commit ([0-9a-f]{12}|unknown)\\)\n");
  }

  @Test
  void versionLine_recordedCommit_printsItsFirstTwelveDigits() {
    Properties git = new Properties();
    git.setProperty("git.commit.id", "320397c5f0a1b2c3d4e5f60718293a4b5c6d7e8f");

    assertThat(Main.Version.line(version("1.4.0"), git))
        .isEqualTo("latchkey 1.4.0 (commit 320397c5f0a1)");
  }

  @Test
  void versionLine_builtOutsideGit_saysCommitUnknown() {
    assertThat(Main.Version.line(version("1.4.0-SNAPSHOT"), new Properties()))
        .isEqualTo("latchkey 1.4.0-SNAPSHOT (commit unknown)");
  }

  @ParameterizedTest
  // Empty, the placeholder of an unfiltered file, an abbreviated id.
  @ValueSource(strings = {"", "${git.commit.id}", "320397c"})
  void versionLine_unusableCommit_saysCommitUnknown(String commit) {
    Properties git = new Properties();
    git.setProperty("git.commit.id", commit);

    assertThat(Main.Version.line(version("1.4.0"), git))
        .isEqualTo("latchkey 1.4.0 (commit unknown)");
  }

  private static Properties version(String version) {
    Properties properties = new Properties();
    properties.setProperty("version", version);
    return properties;
  }

  // ---- failures of the machinery -------------------------------------------------------------

  @Test
  void encrypt_readFails_exits1WithOneLine() {
    InputStream broken =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("CANARY-PLAINTEXT-7f3a");
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            throw new IOException("CANARY-PLAINTEXT-7f3a");
          }
        };

    Cli.Result r = Cli.run(ENV, broken, "encrypt", "--key-env", "APP_KEY");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).isEqualTo("latchkey encrypt: cannot read standard input\n");
  }

  @Test
  void decryptLines_writeFails_exits1() {
    PrintStream closed =
        new PrintStream(
            new OutputStream() {
              @Override
              public void write(int b) throws IOException {
                throw new IOException("closed");
              }
            },
            false,
            UTF_8);
    String token = FernetKeyRing.of(KEY).encrypt("x".getBytes(UTF_8));
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();

    int exit =
        Main.run(
            new String[] {"decrypt", "--key-env", "APP_KEY", "--lines"},
            new ByteArrayInputStream(token.getBytes(UTF_8)),
            closed,
            new PrintStream(err, true, UTF_8),
            ENV);

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString(UTF_8))
        .isEqualTo("latchkey decrypt: cannot write to standard output\n");
  }

  @Test
  void encrypt_unexpectedException_printsOnlyItsClassName() {
    InputStream failing =
        new InputStream() {
          @Override
          public int read() {
            throw new IllegalStateException("CANARY-PLAINTEXT-7f3a");
          }

          @Override
          public int read(byte[] b, int off, int len) {
            throw new IllegalStateException("CANARY-PLAINTEXT-7f3a");
          }
        };

    Cli.Result r = Cli.run(ENV, failing, "encrypt", "--key-env", "APP_KEY", "--lines");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).isEqualTo("latchkey encrypt: internal error (IllegalStateException)\n");
  }

  @Test
  void unknownOption_mixedCaseOrLong_notEchoed() {
    for (String option : List.of("--Hunter2Pass", "--abcdefghijklmnopqrstuvwxyz", "--pass_word")) {
      Cli.Result r = Cli.run(ENV, "x", "decrypt", "--key-env", "APP_KEY", option);

      assertThat(r.exitCode()).as(option).isEqualTo(2);
      assertThat(r.stderr()).as(option).doesNotContain(option.substring(2));
    }
  }

  static String encoded(FernetKey key) {
    byte[] bytes = key.encoded().revealBytes();
    try {
      return new String(bytes, UTF_8);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
