package io.latchkey.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.crypto.FernetKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command must keep working and keep telling the truth. */
final class QuickstartTest {
  private static final String CANARY = "CANARY-7f3a9c";

  @TempDir Path scratch;

  /** What one run printed, and its exit status. */
  private record Run(int status, String out, String err) {
    String all() {
      return out + err;
    }
  }

  private Run run(Map<String, String> env) throws IOException, SQLException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Quickstart.run(
            env, scratch, new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
    return new Run(status, out.toString(UTF_8), err.toString(UTF_8));
  }

  /** A complete, valid environment that reads no {@code .env} file. */
  private static Map<String, String> validEnvironment(String key) {
    Map<String, String> env = new HashMap<>();
    env.put("LATCHKEY_ENV_FILE", "none");
    env.put("APP_ENCRYPTION_KEY", key);
    env.put("JWT_SECRET_KEY", CANARY + "-jwt-signing-secret");
    // Characters that a URL must escape, so that DATABASE_URL's masking is put to the test.
    env.put("POSTGRES_PASSWORD", CANARY + " p@ss/w:rd");
    return env;
  }

  /** The demo {@code .env} the run wrote, as name to value. */
  private Map<String, String> demoValues() throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : Files.readAllLines(scratch.resolve(".env"), UTF_8)) {
      if (!line.startsWith("#") && line.contains("=")) {
        values.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
      }
    }
    return values;
  }

  @Test
  void run_freshClone_writesDemoEnvPrintsMaskedReportAndRotatesEverything() throws Exception {
    Run run = run(Map.of());

    assertThat(run.status()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .contains("APP_ENCRYPTION_KEY is not set: using a demo .env with fresh keys")
        .contains("1. configuration loaded from env (0 variables) + .env (")
        .containsPattern("SETTING\\s+SOURCE\\s+VALUE\\s+STATUS")
        .containsPattern("APP_ENCRYPTION_KEY\\s+\\.env\\s+\\*\\*\\*\\s+ok")
        .containsPattern("JWT_SECRET_KEY\\s+\\.env\\s+\\*\\*\\*\\s+ok")
        .containsPattern("POSTGRES_PASSWORD\\s+\\.env\\s+\\*\\*\\*\\s+ok")
        .containsPattern(
            "DATABASE_URL\\s+derived\\s+postgresql://app:\\*\\*\\*@localhost:5432/app\\s+derived")
        .containsPattern("HTTP_PORT\\s+default\\s+8080\\s+default")
        .containsPattern("LOG_FORMAT\\s+default\\s+text\\s+default")
        .contains("typed values: HTTP_PORT=8080, SESSION_TTL=PT30M")
        .contains("2. key ring loaded: FernetKeyRing[primary=")
        .contains("openai credential read back: sk-proj-...***")
        .contains("stored credential still reads: true")
        .contains("credentials.token")
        .contains(
            "7. check with the new key alone: clean: all 3 rows read; every value is under the"
                + " primary key")
        .contains("all three read with the new key alone: true")
        .contains("a token under the retired key is now rejected");
    // The report counted three rotated rows and no failure.
    assertThat(run.out()).containsPattern("credentials\\.token\\s+3\\s+3\\s+0\\s+0\\s+0\\s+0");
    assertThat(run.out())
        .doesNotContain("4f9c2b7e1d8a6c3f5e0b9a7d")
        .doesNotContain("9d8c7b6a5f4e3d2c1b0a")
        .doesNotContain("battery staple");

    // Fresh secrets, none of which reached the output.
    Map<String, String> demo = demoValues();
    assertThat(demo.keySet())
        .containsExactly("APP_ENCRYPTION_KEY", "JWT_SECRET_KEY", "POSTGRES_PASSWORD");
    FernetKey key = FernetKey.parse(demo.get("APP_ENCRYPTION_KEY"));
    assertThat(run.out()).contains("primary=" + key.id());
    for (String secret : demo.values()) {
      assertThat(secret).hasSizeGreaterThanOrEqualTo(24);
      assertThat(run.all()).doesNotContain(secret);
    }
  }

  @Test
  void run_rotatesWithoutARestart_theRingFollowingItsMountedKeyFile() throws Exception {
    Run run = run(Map.of());
    assertThat(run.status()).isZero();
    FernetKey first = FernetKey.parse(demoValues().get("APP_ENCRYPTION_KEY"));
    String out = run.out();

    assertThat(out)
        .contains("2. key ring loaded: FernetKeyRing[primary=" + first.id() + ", previous=[]]")
        .contains("it follows the mounted key file app_encryption_key")
        // The mistake: the new key alone would leave every stored token unreadable.
        .contains(
            "5. key file replaced with the new key alone: refused, the ring in use is still"
                + " FernetKeyRing[primary="
                + first.id()
                + ", previous=[]]")
        .contains("the new keys drop key " + first.id());
    Matcher followed =
        Pattern.compile(
                "the ring follows, FernetKeyRing\\[primary=([0-9a-f]{8}), previous=\\["
                    + first.id()
                    + "\\]\\]")
            .matcher(out);
    assertThat(followed.find()).as("the ring followed the new key file").isTrue();
    String second = followed.group(1);
    assertThat(second).isNotEqualTo(first.id());
    assertThat(out)
        .contains("new key " + second + " is current, " + first.id() + " is previous")
        .contains("stored credential still reads: true")
        .containsPattern("credentials\\.token\\s+3\\s+3\\s+0\\s+0\\s+0\\s+0")
        .contains(
            "old key retired without a restart: the ring in use is FernetKeyRing[primary="
                + second
                + ", previous=[]]")
        .contains("all three read with the new key alone: true")
        .contains("a token under the retired key is now rejected")
        .contains(
            "8. no restart: one process, the key file replaced 3 times, the ring at " + second)
        .contains("health: env OK");
    // The steps come in the runbook's order.
    assertThat(out.indexOf("refused")).isLessThan(out.indexOf("the ring follows"));
    assertThat(out.indexOf("the ring follows")).isLessThan(out.indexOf("6. re-encryption report"));
    assertThat(out.indexOf("7. check")).isLessThan(out.indexOf("old key retired"));
    assertThat(scratch.resolve("keys")).as("the mounted key file is removed").doesNotExist();
  }

  @Test
  void run_withPreviousKeysConfigured_mountsThemAll_andRetiresThemTogether() throws Exception {
    FernetKey key = FernetKey.generate();
    FernetKey previous = FernetKey.generate();
    Map<String, String> env = validEnvironment(key.encoded().reveal());
    env.put("APP_ENCRYPTION_KEY_PREVIOUS", previous.encoded().reveal());

    Run run = run(env);

    assertThat(run.status()).isZero();
    assertThat(run.out())
        .contains("previous=[" + key.id() + "]")
        .containsPattern("old key retired without a restart: .*previous=\\[\\]\\]")
        .doesNotContain(key.encoded().reveal())
        .doesNotContain(previous.encoded().reveal());
  }

  @Test
  void run_freshClone_demoEnvIsOwnerOnly() throws Exception {
    run(Map.of());
    Path demo = scratch.resolve(".env");
    assertThat(demo).isRegularFile();
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(demo)))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void run_demoEnvIsDeletedAfterwards() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        Quickstart.run(
            Map.of(), new PrintStream(out, true, UTF_8), new PrintStream(out, true, UTF_8));
    assertThat(status).isZero();
    Matcher m = Pattern.compile("\\+ \\.env \\((.+), 3 entries\\)").matcher(out.toString(UTF_8));
    assertThat(m.find()).as("the run names its demo .env").isTrue();
    Path demo = Path.of(m.group(1));
    assertThat(demo).doesNotExist();
    assertThat(demo.getParent()).doesNotExist();
  }

  @Test
  void run_environmentWinsOverDemoEnv() throws Exception {
    Run run = run(Map.of("HTTP_PORT", "9090", "LOG_FORMAT", "JSON"));
    assertThat(run.status()).isZero();
    assertThat(run.out())
        .containsPattern("HTTP_PORT\\s+env\\s+9090\\s+ok")
        .containsPattern("LOG_FORMAT\\s+env\\s+json\\s+ok")
        .contains("typed values: HTTP_PORT=9090")
        .contains("LOG_FORMAT=JSON");
  }

  @Test
  void run_withSettingsFromEnvironment_usesThemAndMasksThem() throws Exception {
    FernetKey key = FernetKey.generate();
    FernetKey previous = FernetKey.generate();
    Map<String, String> env = validEnvironment(key.encoded().reveal());
    env.put("APP_ENCRYPTION_KEY_PREVIOUS", previous.encoded().reveal());
    env.put("POSTGRES_HOST", "db.internal");

    Run run = run(env);

    assertThat(run.status()).isZero();
    assertThat(scratch.resolve(".env")).doesNotExist();
    assertThat(run.out())
        .doesNotContain("demo")
        .containsPattern("APP_ENCRYPTION_KEY\\s+env\\s+\\*\\*\\* \\(\\+1 previous\\)\\s+ok")
        .containsPattern(
            "DATABASE_URL\\s+derived\\s+postgresql://app:\\*\\*\\*@db.internal:5432/app\\s+derived")
        .contains("DATABASE_URL host db.internal")
        .contains("key ring loaded: FernetKeyRing[primary=" + key.id())
        .contains("previous=[" + previous.id() + "]");
    assertThat(run.all())
        .doesNotContain(key.encoded().reveal())
        .doesNotContain(previous.encoded().reveal())
        .doesNotContain(CANARY)
        .doesNotContain("p%40ss")
        .doesNotContain("w:rd");
  }

  @Test
  void run_withDeprecatedJwtSecret_stillRunsAndSaysSo() throws Exception {
    Map<String, String> env = validEnvironment(FernetKey.generate().encoded().reveal());
    env.put("JWT_SECRET", env.remove("JWT_SECRET_KEY"));

    Run run = run(env);

    assertThat(run.status()).isZero();
    assertThat(run.out())
        .containsPattern("JWT_SECRET_KEY\\s+env\\s+\\*\\*\\*\\s+deprecated name JWT_SECRET used");
    assertThat(run.all()).doesNotContain(CANARY);
  }

  @Test
  void run_logLines_holdNoSecret() throws Exception {
    FernetKey key = FernetKey.generate();
    Map<String, String> env = validEnvironment(key.encoded().reveal());
    env.put("JWT_SECRET", env.remove("JWT_SECRET_KEY"));
    // slf4j-simple, the examples' logging backend, writes to whatever System.err is now.
    PrintStream original = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Run run;
    try {
      System.setErr(new PrintStream(log, true, UTF_8));
      run = run(env);
    } finally {
      System.setErr(original);
    }

    assertThat(run.status()).isZero();
    assertThat(log.toString(UTF_8))
        .contains("JWT_SECRET is deprecated; rename it to JWT_SECRET_KEY")
        .contains("re-encrypting 3 rows")
        .doesNotContain(CANARY)
        .doesNotContain(key.encoded().reveal());
  }

  @Test
  void run_withBrokenEnvironment_printsEveryProblemAndNoValue() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("LATCHKEY_ENV_FILE", "none");
    env.put("APP_ENCRYPTION_KEY", CANARY + "-not-a-key");
    env.put("APP_ENCRYPTION_KEY_PREVIOUS", FernetKey.generate().encoded().reveal() + ",");
    env.put("JWT_SECRET_KEY", "");
    env.put("HTTP_PORT", "http");
    env.put("POSTGRES_PORT", "99999");
    env.put("SESSION_TTL", "30");
    env.put("CORS_ORIGINS", "https://app.example.com,,");
    env.put("LOG_FORMAT", "xml");
    env.put("FEATURE_SIGNUP", "maybe");
    // POSTGRES_PASSWORD is not set at all.

    Run run = run(env);

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .contains("invalid configuration (")
        .contains("APP_ENCRYPTION_KEY: ")
        .contains("APP_ENCRYPTION_KEY_PREVIOUS entry 2: ")
        .contains("JWT_SECRET_KEY: ")
        .contains("POSTGRES_PASSWORD: ")
        .contains("HTTP_PORT: 'http' is not an integer")
        .contains("POSTGRES_PORT: '99999' is greater than 65535")
        .contains("SESSION_TTL: '30' has no unit")
        .contains("CORS_ORIGINS: ")
        .contains("LOG_FORMAT: 'xml' is not an allowed value")
        .contains("FEATURE_SIGNUP: 'maybe' is not a boolean")
        .contains("Set these in the environment or in .env (see .env.example)")
        .doesNotContain(CANARY)
        .doesNotContain(env.get("APP_ENCRYPTION_KEY_PREVIOUS").replace(",", ""))
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    // Ten settings, each reported once.
    assertThat(run.err()).contains("(10 problems)");
  }

  @Test
  void run_freshCloneWithBadVariable_failsWithoutPrintingDemoSecrets() throws Exception {
    Run run = run(Map.of("HTTP_PORT", "http", "FEATURE_AUDIT_LOG", "ture"));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err())
        .contains("HTTP_PORT: 'http' is not an integer")
        .contains("FEATURE_AUDIT_LOG: 'ture' is not a boolean")
        .contains("(2 problems)");
    for (String secret : demoValues().values()) {
      assertThat(run.all()).doesNotContain(secret);
    }
  }

  @Test
  void run_withMalformedDotenv_namesTheLinesNotTheirText() throws Exception {
    Path dotenv = scratch.resolve("app.env");
    Files.write(
        dotenv,
        List.of(
            "APP_ENCRYPTION_KEY=" + FernetKey.generate().encoded().reveal(),
            "JWT_SECRET_KEY " + CANARY + "-forgot-the-equals",
            "POSTGRES_PASSWORD='" + CANARY + "-unterminated"),
        UTF_8);

    Run run = run(Map.of("LATCHKEY_ENV_FILE", dotenv.toString()));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).contains("app.env line 2: ").contains("app.env line 3: ");
    assertThat(run.all()).doesNotContain(CANARY);
  }

  @Test
  void run_withMissingDotenvFile_namesTheVariable() throws Exception {
    Run run = run(Map.of("LATCHKEY_ENV_FILE", scratch.resolve("missing.env").toString()));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).contains("LATCHKEY_ENV_FILE: ").contains("does not exist");
  }

  @Test
  void run_withUnknownSecretProvider_listsTheAvailableOnes() throws Exception {
    Run run = run(Map.of("SECRET_PROVIDER", "nope"));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).contains("SECRET_PROVIDER: is 'nope'").contains("[aws, env, gcp, vault]");
  }

  @Test
  void run_withKeyAndKeyFileBothSet_failsNamingBoth() throws Exception {
    Path keyFile = scratch.resolve("key");
    Files.writeString(keyFile, FernetKey.generate().encoded().reveal(), UTF_8);
    Map<String, String> env = validEnvironment(CANARY);
    env.put("APP_ENCRYPTION_KEY_FILE", keyFile.toString());

    Run run = run(env);

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err())
        .contains("APP_ENCRYPTION_KEY: is set together with APP_ENCRYPTION_KEY_FILE");
    assertThat(run.all()).doesNotContain(CANARY);
  }

  @Test
  void run_withKeyFromFile_usesIt() throws Exception {
    FernetKey key = FernetKey.generate();
    Path keyFile = scratch.resolve("key");
    Files.writeString(keyFile, key.encoded().reveal() + "\n", UTF_8);
    Map<String, String> env = validEnvironment(key.encoded().reveal());
    env.remove("APP_ENCRYPTION_KEY");
    env.put("APP_ENCRYPTION_KEY_FILE", keyFile.toString());

    Run run = run(env);

    assertThat(run.status()).isZero();
    assertThat(run.out())
        .containsPattern("APP_ENCRYPTION_KEY\\s+file\\s+\\*\\*\\*\\s+ok")
        .contains("primary=" + key.id())
        .doesNotContain(key.encoded().reveal());
  }
}
