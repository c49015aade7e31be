package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.aead.AssociatedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code latchkey reencrypt} against a real (embedded, in-memory) H2 database. */
final class ReencryptCommandTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final String CANARY = "CANARY-db-credential-";

  private final FernetKey oldKey = FernetKey.generate();
  private final FernetKey newKey = FernetKey.generate();
  private final Map<String, String> env = new HashMap<>();
  private String url;

  @BeforeEach
  void createDatabase() throws SQLException {
    url = "jdbc:h2:mem:reencrypt-cli-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    env.put("APP_KEY", newKey.encoded().reveal());
    env.put("APP_KEY_PREVIOUS", oldKey.encoded().reveal());
    FernetKeyRing old = FernetKeyRing.of(oldKey);
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE credentials (id BIGINT PRIMARY KEY, secret VARCHAR(400))");
      s.execute("CREATE TABLE webhooks (id VARCHAR(20) PRIMARY KEY, token VARCHAR(400))");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO credentials VALUES (?, ?)")) {
        for (int i = 1; i <= 1200; i++) {
          ps.setLong(1, i);
          ps.setString(2, old.encrypt((CANARY + i).getBytes(UTF_8)));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhooks VALUES (?, ?)")) {
        for (int i = 1; i <= 30; i++) {
          ps.setString(1, "hook-" + i);
          ps.setString(2, old.encrypt((CANARY + "hook-" + i).getBytes(UTF_8)));
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  private Cli.Result reencrypt(String... extra) {
    String[] base = {"reencrypt", "--jdbc-url", url, "--key-env", "APP_KEY", "--batch-size", "100"};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return Cli.run(env, "", args);
  }

  private static final String[] CREDENTIALS = {
    "--table", "credentials", "--key-column", "id", "--ciphertext-column", "secret"
  };

  private int countReadableWithNewKeyOnly(String table, String column) throws SQLException {
    FernetKeyRing newOnly = FernetKeyRing.of(newKey);
    int n = 0;
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT " + column + " FROM " + table)) {
      while (rs.next()) {
        if (newOnly.isPrimary(rs.getString(1))) {
          assertThat(new String(newOnly.decrypt(rs.getString(1)), UTF_8)).startsWith(CANARY);
          n++;
        }
      }
    }
    return n;
  }

  private void assertNoCanary(Cli.Result r) {
    assertThat(r.stdout()).doesNotContain(CANARY).doesNotContain(oldKey.encoded().reveal());
    assertThat(r.stderr()).doesNotContain(CANARY).doesNotContain(newKey.encoded().reveal());
  }

  @Test
  void reencrypt_rotatesEveryRow_andPrintsTheReport() throws SQLException {
    Cli.Result r = reencrypt(CREDENTIALS);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("credentials.secret").contains("1200");
    assertThat(r.stdout())
        .endsWith(
            "result: clean: all 1200 rows read; every value is under the primary key; not"
                + " covered: rows the application wrote behind the job's position while it"
                + " ran\n");
    assertThat(r.stderr()).contains("credentials.secret: 1,200/1,200 rows (100%)");
    assertThat(r.stderr()).doesNotContain("latchkey reencrypt:");
    assertThat(countReadableWithNewKeyOnly("credentials", "secret")).isEqualTo(1200);
    assertNoCanary(r);

    // A second run finds nothing to do.
    Cli.Result again = reencrypt(CREDENTIALS);
    assertThat(again.exitCode()).isZero();
    assertThat(again.stdout()).contains("1200");
  }

  @Test
  void reencrypt_dryRun_writesNothing() throws SQLException {
    Cli.Result r = reencrypt(append(CREDENTIALS, "--dry-run"));
    // Rows still under the old key: a dry run reports them and is not clean.
    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
    assertThat(r.stdout()).contains("dry run");
    assertThat(r.stderr())
        .endsWith(
            "latchkey reencrypt: NOT clean: dry run: 1200 rows not under the primary key yet"
                + " (nothing was written)\n");
    assertThat(countReadableWithNewKeyOnly("credentials", "secret")).isZero();

    assertThat(reencrypt(CREDENTIALS).exitCode()).isZero();
    Cli.Result verify = reencrypt(append(CREDENTIALS, "--dry-run"));
    assertThat(verify.exitCode()).as(verify.stderr()).isZero();
    assertThat(verify.stdout()).contains("result: clean: all 1200 rows read");
  }

  @Test
  void reencrypt_currentKeyOnly_verifiesEveryRowAndExits0WhenAllRead() throws SQLException {
    assertThat(reencrypt(CREDENTIALS).exitCode()).isZero();
    env.put("APP_KEY_PREVIOUS", ""); // as rotation.md's check sets it: empty is no previous key

    Cli.Result r = reencrypt(CREDENTIALS);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout())
        .contains("note: the key ring has only its primary key")
        .contains("result: clean: all 1200 rows read; every value is under the primary key");
    assertThat(countReadableWithNewKeyOnly("credentials", "secret")).isEqualTo(1200);
    assertNoCanary(r);
  }

  @Test
  void reencrypt_currentKeyOnlyAndARowUnderTheOldKey_reportsItsKeyAndExits1() throws SQLException {
    String old;
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT secret FROM credentials WHERE id = 77")) {
      rs.next();
      old = rs.getString(1);
    }
    assertThat(reencrypt(CREDENTIALS).exitCode()).isZero();
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps =
            c.prepareStatement("UPDATE credentials SET secret = ? WHERE id = 77")) {
      ps.setString(1, old); // a lagging instance wrote under the old key
      ps.executeUpdate();
    }
    env.remove("APP_KEY_PREVIOUS");

    Cli.Result r = reencrypt(CREDENTIALS);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout())
        .contains("credentials.secret key 77: token was made with another key or has been altered")
        .contains("result: NOT clean: 1 row cannot be read with any key of the ring");
    assertThat(r.stderr())
        .endsWith("latchkey reencrypt: NOT clean: 1 row cannot be read with any key of the ring\n");
    assertThat(r.stdout() + r.stderr()).doesNotContain(old).doesNotContain(CANARY);
  }

  @Test
  void reencrypt_keyColumnThatCannotPageTheTable_isRefusedNamingTableAndColumn()
      throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE loose (k BIGINT, secret VARCHAR(400))");
      s.execute("INSERT INTO loose VALUES (1, 'x'), (1, 'y'), (NULL, 'z')");
    }

    Cli.Result r =
        reencrypt("--table", "loose", "--key-column", "k", "--ciphertext-column", "secret");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .hasLineCount(1)
        .startsWith("latchkey reencrypt: loose.secret: key column k of table loose allows NULL")
        .contains("key column k of table loose is not unique on its own");
  }

  @Test
  void reencrypt_unreadableRow_isReportedLeftAloneAndExits1() throws SQLException {
    String foreign = FernetKeyRing.of(FernetKey.generate()).encrypt((CANARY + "x").getBytes(UTF_8));
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps =
            c.prepareStatement("UPDATE credentials SET secret = ? WHERE id = 77")) {
      ps.setString(1, foreign);
      ps.executeUpdate();
    }
    Cli.Result r = reencrypt(CREDENTIALS);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).contains("77");
    assertThat(r.stderr())
        .endsWith("latchkey reencrypt: NOT clean: 1 row cannot be read with any key of the ring\n");
    assertThat(countReadableWithNewKeyOnly("credentials", "secret")).isEqualTo(1199);
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT secret FROM credentials WHERE id = 77")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo(foreign);
    }
    assertNoCanary(r);
  }

  @Test
  void reencrypt_targetsFile_coversEveryTarget(@TempDir Path dir) throws IOException, SQLException {
    Path targets =
        Files.writeString(
            dir.resolve("targets.txt"),
            "# stored credentials\n"
                + "credentials id secret\n"
                + "webhooks id token WHERE id <> 'hook-1'\n");
    Cli.Result r = reencrypt("--targets", targets.toString());
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(countReadableWithNewKeyOnly("credentials", "secret")).isEqualTo(1200);
    assertThat(countReadableWithNewKeyOnly("webhooks", "token")).isEqualTo(29);
  }

  @Test
  void reencrypt_badTargetsFileLine_namesTheLine(@TempDir Path dir) throws IOException {
    Path targets = Files.writeString(dir.resolve("targets.txt"), "credentials id\n");
    Cli.Result r = reencrypt("--targets", targets.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr().lines().findFirst().orElseThrow())
        .contains("targets.txt line 1: expected TABLE KEY_COLUMN CIPHERTEXT_COLUMN");
  }

  @Test
  void reencrypt_tableNotAnIdentifier_isAUsageErrorNamingTheOptionNotTheValue() {
    Cli.Result r =
        reencrypt("--table", "bad-name", "--key-column", "id", "--ciphertext-column", "secret");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr().lines().findFirst().orElseThrow())
        .startsWith("latchkey reencrypt: --table: table must be an identifier");
    assertThat(r.stderr()).doesNotContain("bad-name").doesNotContain("internal error");
  }

  @Test
  void reencrypt_keyColumnIsTheCiphertextColumn_isAUsageError() {
    Cli.Result r =
        reencrypt(
            "--table", "credentials", "--key-column", "secret", "--ciphertext-column", "SECRET");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr().lines().findFirst().orElseThrow())
        .isEqualTo(
            "latchkey reencrypt: --key-column and --ciphertext-column: the key column and the"
                + " ciphertext column must differ");
  }

  @Test
  void reencrypt_targetsFileProblems_areOneUsageErrorNamingEachLine(@TempDir Path dir)
      throws IOException, SQLException {
    Path targets =
        Files.writeString(
            dir.resolve("targets.txt"),
            "credentials id secret\n"
                + "bad-name id secret\n"
                + "webhooks token token\n"
                + "CREDENTIALS id SECRET WHERE id > 3\n");
    Cli.Result r = reencrypt("--targets", targets.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr().lines().findFirst().orElseThrow())
        .contains("targets.txt line 2: table must be an identifier")
        .contains("targets.txt line 3: the key column and the ciphertext column must differ")
        .contains(
            "targets.txt line 4: repeats the target CREDENTIALS.SECRET of line 1; give each table"
                + " and column once")
        .doesNotContain("bad-name")
        .doesNotContain("internal error");
    assertThat(countReadableWithNewKeyOnly("credentials", "secret")).isZero();
  }

  @Test
  void reencrypt_urlNoBundledDriverAccepts_isAUsageErrorNotALostConnection() {
    Cli.Result r =
        Cli.run(
            env,
            "",
            append(
                new String[] {
                  "reencrypt", "--jdbc-url", "jdbc:nosuchdb://db/app", "--key-env", "APP_KEY"
                },
                CREDENTIALS));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr().lines().findFirst().orElseThrow())
        .isEqualTo(
            "latchkey reencrypt: --jdbc-url: no JDBC driver in this jar accepts the URL; it"
                + " bundles the PostgreSQL (jdbc:postgresql:) and H2 (jdbc:h2:) drivers");
    assertThat(r.stderr()).doesNotContain("nosuchdb").doesNotContain("connection lost");
  }

  @Test
  void reencrypt_keyHoldingALineBreak_cannotForgeAResultLine() throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id VARCHAR(200) PRIMARY KEY, c VARCHAR(400))");
      s.execute(
          "INSERT INTO t VALUES ('a' || CHAR(10) || 'result: clean: all 1 row read; every value"
              + " is under the primary key', 'garbage')");
    }
    Cli.Result r = reencrypt("--table", "t", "--key-column", "id", "--ciphertext-column", "c");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout().lines().filter(l -> l.startsWith("result:")))
        .containsExactly("result: NOT clean: 1 row cannot be read with any key of the ring");
    assertThat(r.stdout()).contains("  t.c key a\\x0aresult: clean: all 1 row read;");
  }

  @Test
  void reencrypt_missingTable_failsNamingIt() {
    Cli.Result r =
        reencrypt("--table", "nope", "--key-column", "id", "--ciphertext-column", "secret");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).containsIgnoringCase("nope").hasLineCount(1);
  }

  @Test
  void reencrypt_passwordInUrl_isAUsageErrorThatDoesNotEchoIt() {
    Cli.Result r =
        Cli.run(
            env,
            "",
            append(
                new String[] {
                  "reencrypt", "--jdbc-url", url + ";PASSWORD=CANARY-pw", "--key-env", "APP_KEY"
                },
                CREDENTIALS));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("--db-password-env").doesNotContain("CANARY-pw");
  }

  @Test
  void reencrypt_withoutTarget_isAUsageError() {
    assertThat(reencrypt().exitCode()).isEqualTo(2);
  }

  @Test
  void progressLine_formatsCounts() {
    var p =
        new io.latchkey.reencrypt.ProgressListener.Progress(
            "t.c", 500, java.util.OptionalLong.of(2000), 490, 1);
    assertThat(ReencryptCommand.line(p))
        .isEqualTo("t.c: 500/2,000 rows (25%), 490 rotated, 1 failed");
    assertThat(ReencryptCommand.bar(p)).startsWith("t.c [#######-----");
  }

  private static String[] append(String[] a, String... b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void reencrypt_aesGcmKeys_rotatesAesGcmTokensToTheCurrentKey() throws SQLException {
    AesGcmKey newAes = AesGcmKey.generate();
    Cli.Result r = reencryptAesGcm(newAes);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("re-encryption to primary key " + newAes.id());
    assertThat(r.stdout() + r.stderr()).doesNotContain(CANARY).doesNotContain("lk.");
    AesGcmKeyRing newOnly = AesGcmKeyRing.of(newAes);
    assertThat(aesGcmTokens())
        .hasSize(1200)
        .allSatisfy(
            token -> {
              assertThat(newOnly.isPrimary(token)).isTrue();
              // Without --timestamp the rewritten tokens are untimed, timed or not before.
              assertThatThrownBy(() -> newOnly.extractTimestamp(token, AssociatedData.empty()))
                  .isInstanceOf(IllegalArgumentException.class);
            });
  }

  @Test
  void reencrypt_aesGcmWithTimestamp_keepsATimedTokensTime_andStampsTheOthers()
      throws SQLException {
    AesGcmKey newAes = AesGcmKey.generate();
    Cli.Result r = reencryptAesGcm(newAes, "--timestamp");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    AesGcmKeyRing newOnly = AesGcmKeyRing.of(newAes);
    List<String> tokens = aesGcmTokens();
    assertThat(tokens).hasSize(1200);
    for (int i = 0; i < tokens.size(); i++) {
      Instant at = newOnly.extractTimestamp(tokens.get(i), AssociatedData.empty());
      // Ids start at 1: even ids were timed, odd ids untimed and stamped by the run.
      if ((i + 1) % 2 == 0) {
        assertThat(at).isEqualTo(MADE);
      } else {
        assertThat(at).isAfter(MADE);
      }
    }
  }

  private static final Instant MADE = Instant.parse("2025-06-01T12:00:00Z");

  /**
   * Fills the table with AES-GCM tokens of an old key, even ids timed (made at {@link #MADE}) and
   * odd ids untimed, and runs the command with {@code newAes} current.
   */
  private Cli.Result reencryptAesGcm(AesGcmKey newAes, String... extra) throws SQLException {
    AesGcmKey oldAes = AesGcmKey.generate();
    AesGcmKeyRing old = AesGcmKeyRing.of(oldAes);
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps =
            c.prepareStatement("UPDATE credentials SET secret = ? WHERE id = ?")) {
      for (int i = 1; i <= 1200; i++) {
        byte[] plaintext = (CANARY + i).getBytes(UTF_8);
        ps.setString(
            1,
            i % 2 == 0
                ? old.encrypt(plaintext, MADE, AssociatedData.empty())
                : old.encrypt(plaintext));
        ps.setLong(2, i);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    env.put("APP_DATA_KEY", newAes.encoded().reveal());
    env.put("APP_DATA_KEY_PREVIOUS", oldAes.encoded().reveal());
    String[] args = {
      "reencrypt",
      "--jdbc-url",
      url,
      "--key-env",
      "APP_DATA_KEY",
      "--format",
      "aes-gcm",
      "--table",
      "credentials",
      "--key-column",
      "id",
      "--ciphertext-column",
      "secret"
    };
    return Cli.run(env, "", append(args, extra));
  }

  /** The tokens of the credentials table, in id order. */
  private List<String> aesGcmTokens() throws SQLException {
    List<String> tokens = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT secret FROM credentials ORDER BY id")) {
      while (rs.next()) {
        tokens.add(rs.getString(1));
      }
    }
    return tokens;
  }
}
