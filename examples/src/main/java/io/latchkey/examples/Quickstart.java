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
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.crypto.FollowingKeys;
import io.latchkey.provider.env.EnvSecretProvider;
import io.latchkey.reencrypt.JdbcCiphertextStore;
import io.latchkey.reencrypt.ReencryptionJob;
import io.latchkey.reencrypt.ReencryptionReport;
import io.latchkey.resolver.SecretProviders;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * without losing one, and without a restart.
 *
 * <p>The key ring follows a mounted key file, as a Kubernetes secret volume or a Vault Agent mounts
 * one: the quickstart plays the platform, writing the file into an owner-only scratch directory and
 * replacing it while it runs (first with a mistake the ring refuses, then with the new key and the
 * old one after it, then with the new key alone), and the ring follows each change it accepts
 * through the env provider's polls and the resolver.
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
    try (SecretProvider provider = provider(env, scratch, out)) {
      config = QuickstartSettings.SCHEMA.load(provider);
      source = provider.description();
      // Checks the keys now, so that a bad key is reported with every other problem.
      FernetKeyRing.of(APP_ENCRYPTION_KEY.name(), config.get(APP_ENCRYPTION_KEY));
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
    new Quickstart(out, h2).run(config, source, scratch);
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
    Files.writeString(Files.createFile(demo, KeyFile.ownerOnly()), text, StandardCharsets.UTF_8);
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

  private void run(Config config, String source, Path scratch) throws IOException, SQLException {
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

    // 2. The key ring follows a mounted key file: one key per line, the current one first. The
    //    platform (here, the quickstart) mounts it in a secrets directory; the env provider reads
    //    it, the resolver re-checks it, and the ring follows it. Polls run every second; the
    //    quickstart also asks for them at once, as an application may on a signal.
    KeyFile keyFile = KeyFile.mount(scratch, config.get(APP_ENCRYPTION_KEY));
    try (EnvSecretProvider mounted =
            EnvSecretProvider.builder()
                .environment(Map.of())
                .noDotenv()
                .secretsDir(keyFile.directory())
                .build();
        SecretResolver resolver = SecretResolver.builder().provider(mounted).build();
        FollowingKeys<FernetKeyRing> keys =
            FernetKeyRing.following(resolver, APP_ENCRYPTION_KEY.name())) {
      say("2. key ring loaded: %s", keys.current());
      say("   it follows the mounted key file %s", keyFile.file().getFileName());
      run(keys, keyFile, mounted, resolver);
    } finally {
      keyFile.delete();
    }
  }

  private void run(
      FollowingKeys<FernetKeyRing> keys,
      KeyFile keyFile,
      EnvSecretProvider mounted,
      SecretResolver resolver)
      throws IOException, SQLException {
    // 3. Encrypt credentials before storing them; only tokens reach the database.
    execute(
        "CREATE TABLE credentials (id INT PRIMARY KEY, provider VARCHAR(40), token VARCHAR(400))");
    store(keys.current(), 1, "openai", Secret.of("sk-proj-4f9c2b7e1d8a6c3f5e0b9a7d2c4e6f80"));
    store(keys.current(), 2, "github", Secret.of("ghp_9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a"));
    store(keys.current(), 3, "postgres", Secret.of("correct horse battery staple"));
    say("3. three credentials stored encrypted");

    // 4. Read one back. A Secret prints masked, so it is safe in logs.
    Secret openai = read(keys.current(), 1);
    say("4. openai credential read back: %s", openai);

    // 5. Rotate, without a restart: a new key (`latchkey keygen`) replaces the key file while the
    //    program runs. A file with the new key alone would make every stored token unreadable:
    //    the ring refuses it and keeps the keys in use. With the old key kept after the new one
    //    (the dual-key window), the ring follows: new writes use the new key, and every stored
    //    token still reads.
    FernetKeyRing before = keys.current();
    FernetKey newKey = FernetKey.generate();
    keyFile.replace(newKey.encoded());
    mounted.poll();
    mounted.poll();
    say(
        "5. key file replaced with the new key alone: refused, the ring in use is still %s (%s)",
        keys.current(), keys.problems().get(0).reason());
    keyFile.replace(newKey.encoded(), before.primaryKey().encoded());
    mounted.poll();
    mounted.poll();
    say(
        "   key file replaced with the new key and the old one after it: the ring follows, %s",
        keys.current());
    say(
        "   new key %s is current, %s is previous; stored credential still reads: %s",
        newKey.id(), before.primaryKeyId(), read(keys.current(), 1).matches(openai));

    // 6. Re-encrypt every stored token under the new key, online, with the ring in use now: a row
    //    the application changes meanwhile is left as the application wrote it. (`latchkey
    //    reencrypt` does the same.)
    JdbcCiphertextStore<Integer> credentials =
        JdbcCiphertextStore.builder(db, Integer.class)
            .table("credentials")
            .keyColumn("id")
            .ciphertextColumn("token")
            .build();
    ReencryptionReport report =
        ReencryptionJob.builder(keys.current()).target(credentials).build().run();
    say("6. re-encryption report:%n%s", report.toString().strip().indent(3).stripTrailing());

    // 7. Check with the new key alone: the job reads every row and reports any it cannot read.
    //    Only a clean check retires the old key, by rewriting the key file with the new key
    //    alone; the ring follows, still without a restart.
    FernetKeyRing newOnly = FernetKeyRing.of(newKey);
    ReencryptionReport check = ReencryptionJob.builder(newOnly).target(credentials).build().run();
    say("7. check with the new key alone: %s", check.verdict());
    if (report.isClean() && check.isClean()) {
      keyFile.replace(newKey.encoded());
      mounted.poll();
      mounted.poll();
      FernetKeyRing retired = keys.current();
      say("   old key retired without a restart: the ring in use is %s", retired);
      say(
          "   all three read with the new key alone: %s",
          read(retired, 1).matches(openai) && read(retired, 2) != null && read(retired, 3) != null);
      try {
        retired.decrypt(before.encrypt(new byte[] {1}));
        say("   a token under the retired key still read: this should not happen");
      } catch (InvalidTokenException e) {
        say("   a token under the retired key is now rejected: %s", e.getMessage());
      }
    }
    say(
        "8. no restart: one process, the key file replaced 3 times, the ring at %s; health: env %s",
        keys.current().primaryKeyId(), resolver.health().get("env").status());
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
