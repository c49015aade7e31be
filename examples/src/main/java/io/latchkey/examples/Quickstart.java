package io.latchkey.examples;

import static io.latchkey.examples.QuickstartSettings.APP_ENCRYPTION_KEY;
import static io.latchkey.examples.QuickstartSettings.DATABASE_URL;
import static io.latchkey.examples.QuickstartSettings.HTTP_PORT;
import static io.latchkey.examples.QuickstartSettings.LOG_FORMAT;
import static io.latchkey.examples.QuickstartSettings.SESSION_TTL;

import io.latchkey.ConfigException;
import io.latchkey.InvalidTokenException;
import io.latchkey.KeyRing;
import io.latchkey.Secret;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.KeyList;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.provider.env.EnvSecretProvider;
import io.latchkey.reencrypt.JdbcCiphertextStore;
import io.latchkey.reencrypt.ReencryptionJob;
import io.latchkey.reencrypt.ReencryptionReport;
import io.latchkey.resolver.SecretProviders;
import io.latchkey.spi.SecretProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The quickstart: load a typed configuration, store credentials encrypted in a database, rotate the
 * key through the dual-key window, re-encrypt every stored value online, and retire the old key
 * without losing one.
 *
 * <p>Run it with the README's first command. It loads {@link QuickstartSettings} through the
 * provider {@code SECRET_PROVIDER} selects ({@code env} by default: the environment, then {@code
 * .env}). When {@code APP_ENCRYPTION_KEY} is set nowhere, as on a fresh clone, it writes a demo
 * {@code .env} with fresh keys and a random database password into an owner-only temporary
 * directory, reads it with the environment still winning, and deletes it at the end. The database
 * is an embedded in-memory H2.
 *
 * <p>If the configuration is invalid, it prints every problem (names and reasons, never values) and
 * exits with status 1.
 */
public final class Quickstart {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PrintStream out;
  private final DataSource db;

  private Quickstart(PrintStream out, DataSource db) {
    this.out = out;
    this.db = db;
  }

  /**
   * Runs the quickstart; exits with status 1 if the configuration is invalid.
   *
   * @param args ignored
   * @throws IOException if the demo {@code .env} cannot be written
   * @throws SQLException if the embedded database fails
   */
  public static void main(String[] args) throws IOException, SQLException {
    int status = run(System.getenv(), System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs with a fresh owner-only scratch directory for the demo {@code .env}, removed after. */
  static int run(Map<String, String> env, PrintStream out, PrintStream err)
      throws IOException, SQLException {
    // On POSIX file systems the JDK makes temporary directories owner-only (rwx------).
    Path scratch = Files.createTempDirectory("latchkey-quickstart-");
    try {
      return run(env, scratch, out, err);
    } finally {
      Files.deleteIfExists(scratch.resolve(".env"));
      Files.deleteIfExists(scratch);
    }
  }

  /**
   * Runs the quickstart; returns 0, or 1 after printing every configuration problem to {@code err}.
   */
  static int run(Map<String, String> env, Path scratch, PrintStream out, PrintStream err)
      throws IOException, SQLException {
    Config config;
    String source;
    FernetKeyRing ring;
    try (SecretProvider provider = provider(env, scratch, out)) {
      config = QuickstartSettings.SCHEMA.load(provider);
      source = provider.description();
      ring = keyRing(config.get(APP_ENCRYPTION_KEY));
    } catch (ConfigException e) {
      // The message lists every problem by setting name and reason; it never holds a value.
      err.println(e.getMessage());
      err.println(
          "Set these in the environment or in .env (see .env.example), or unset"
              + " APP_ENCRYPTION_KEY to run with demo settings.");
      return 1;
    }
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:quickstart-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    new Quickstart(out, h2).run(config, source, ring);
    return 0;
  }

  /**
   * The provider {@code SECRET_PROVIDER} selects, as a real service would use it; on a fresh clone,
   * the environment over a demo {@code .env} written for this run.
   */
  private static SecretProvider provider(Map<String, String> env, Path scratch, PrintStream out)
      throws IOException {
    SecretProvider configured = SecretProviders.select(env);
    Optional<ConfigValue> key = configured.get(APP_ENCRYPTION_KEY.name());
    if (key.isPresent() && !key.get().text().isBlank()) {
      return configured;
    }
    configured.close();
    Path demo = scratch.resolve(".env");
    String text =
        String.join(
            "\n",
            "# Demo settings the quickstart wrote for one run; deleted when it ends.",
            "APP_ENCRYPTION_KEY=" + FernetKey.generate().encoded().reveal(),
            "JWT_SECRET_KEY=" + randomText(32),
            "POSTGRES_PASSWORD=" + randomText(18),
            "");
    // Owner-only from the first byte, where the file system has POSIX permissions.
    FileAttribute<?>[] ownerOnly =
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            }
            : new FileAttribute<?>[0];
    Files.writeString(Files.createFile(demo, ownerOnly), text, StandardCharsets.UTF_8);
    out.printf(
        "%s is not set: using a demo .env with fresh keys and a random database password,"
            + " for this run only.%n",
        APP_ENCRYPTION_KEY.name());
    return EnvSecretProvider.builder().environment(env).dotenvFile(demo).build();
  }

  private static String randomText(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  /** The current key encrypts; it and every previous key decrypt. */
  private static FernetKeyRing keyRing(KeyList keys) {
    return FernetKeyRing.of(APP_ENCRYPTION_KEY.name(), keys);
  }

  private void run(Config config, String source, FernetKeyRing ring) throws SQLException {
    // 1. Every setting was checked at start-up. The report masks every secret and the password
    //    inside DATABASE_URL, so it is safe to print or log.
    say("1. configuration loaded from %s:", source);
    out.print(config.report().toTable().indent(3));
    say(
        "   typed values: HTTP_PORT=%d, SESSION_TTL=%s, LOG_FORMAT=%s, DATABASE_URL host %s",
        config.get(HTTP_PORT),
        config.get(SESSION_TTL),
        config.get(LOG_FORMAT),
        config.get(DATABASE_URL).getHost());

    // 2. The key ring: APP_ENCRYPTION_KEY encrypts, APP_ENCRYPTION_KEY_PREVIOUS still decrypts.
    say("2. key ring loaded: %s", ring);

    // 3. Encrypt credentials before storing them; only tokens reach the database.
    execute(
        "CREATE TABLE credentials (id INT PRIMARY KEY, provider VARCHAR(40), token VARCHAR(400))");
    store(ring, 1, "openai", Secret.of("sk-proj-4f9c2b7e1d8a6c3f5e0b9a7d2c4e6f80"));
    store(ring, 2, "github", Secret.of("ghp_9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a"));
    store(ring, 3, "postgres", Secret.of("correct horse battery staple"));
    say("3. three credentials stored encrypted");

    // 4. Read one back. A Secret prints masked, so it is safe in logs.
    Secret openai = read(ring, 1);
    say("4. openai credential read back: %s", openai);

    // 5. Rotate. In production: APP_ENCRYPTION_KEY=$(latchkey keygen), the old value moved to
    //    APP_ENCRYPTION_KEY_PREVIOUS, then a rolling restart. New writes use the new key and
    //    every stored token still reads: the dual-key window.
    FernetKey newKey = FernetKey.generate();
    FernetKeyRing dualKey = FernetKeyRing.of(newKey, ring.primaryKey());
    say(
        "5. new key %s is current, %s is previous; stored credential still reads: %s",
        newKey.id(), ring.primaryKeyId(), read(dualKey, 1).matches(openai));

    // 6. Re-encrypt every stored token under the new key, online: a row the application changes
    //    meanwhile is left as the application wrote it. (`latchkey reencrypt` does the same.)
    JdbcCiphertextStore<Integer> credentials =
        JdbcCiphertextStore.builder(db, Integer.class)
            .table("credentials")
            .keyColumn("id")
            .ciphertextColumn("token")
            .build();
    ReencryptionReport report = ReencryptionJob.builder(dualKey).target(credentials).build().run();
    say("6. re-encryption report:%n%s", report.toString().strip().indent(3).stripTrailing());

    // 7. Check with the new key alone: the job reads every row and reports any it cannot read.
    //    Only a clean check retires the old key.
    FernetKeyRing newOnly = FernetKeyRing.of(newKey);
    ReencryptionReport check = ReencryptionJob.builder(newOnly).target(credentials).build().run();
    say("7. check with the new key alone: %s", check.verdict());
    if (report.isClean() && check.isClean()) {
      say(
          "   old key retired; all three read with the new key alone: %s",
          read(newOnly, 1).matches(openai) && read(newOnly, 2) != null && read(newOnly, 3) != null);
      try {
        newOnly.decrypt(ring.encrypt(new byte[] {1}));
        say("   a token under the retired key still read: this should not happen");
      } catch (InvalidTokenException e) {
        say("   a token under the retired key is now rejected: %s", e.getMessage());
      }
    }
    openai.wipe();
  }

  private void store(KeyRing ring, int id, String provider, Secret credential) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO credentials VALUES (?, ?, ?)")) {
      ps.setInt(1, id);
      ps.setString(2, provider);
      ps.setString(3, ring.encrypt(credential));
      ps.executeUpdate();
    }
  }

  private Secret read(KeyRing ring, int id) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT token FROM credentials WHERE id = ?")) {
      ps.setInt(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return ring.decryptSecret(rs.getString(1));
      }
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  // Not annotated @FormatMethod: the examples keep to the project's own dependencies.
  @SuppressWarnings("AnnotateFormatMethod")
  private void say(String format, Object... args) {
    out.println(String.format(format, args));
  }
}
