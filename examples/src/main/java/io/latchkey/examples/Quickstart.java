package io.latchkey.examples;

import io.latchkey.ConfigException;
import io.latchkey.InvalidTokenException;
import io.latchkey.KeyRing;
import io.latchkey.Secret;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.crypto.reencrypt.JdbcCiphertextStore;
import io.latchkey.crypto.reencrypt.ReencryptionJob;
import io.latchkey.crypto.reencrypt.ReencryptionReport;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The quickstart: store credentials encrypted in a database, rotate the key through the dual-key
 * window, re-encrypt every stored value online, and retire the old key without losing one.
 *
 * <p>Run it with the README's first command. It reads {@code APP_ENCRYPTION_KEY} (and {@code
 * APP_ENCRYPTION_KEY_PREVIOUS}) from the environment, or makes a demo key when none is set, and
 * uses an embedded in-memory H2 database.
 */
public final class Quickstart {
  private static final String KEY_VAR = "APP_ENCRYPTION_KEY";

  private final PrintStream out;
  private final DataSource db;

  private Quickstart(PrintStream out, DataSource db) {
    this.out = out;
    this.db = db;
  }

  /**
   * Runs the quickstart.
   *
   * @param args ignored
   * @throws SQLException if the embedded database fails
   */
  public static void main(String[] args) throws SQLException {
    try {
      run(System.getenv(), System.out);
    } catch (ConfigException e) {
      // The message names the variables and what is wrong, never a key.
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }

  static void run(Map<String, String> env, PrintStream out) throws SQLException {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:quickstart-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    new Quickstart(out, h2).run(env);
  }

  private void run(Map<String, String> env) throws SQLException {
    // 1. Load the key ring: APP_ENCRYPTION_KEY is the current key,
    //    APP_ENCRYPTION_KEY_PREVIOUS the older ones (comma-separated).
    FernetKeyRing ring = loadOrMakeDemoRing(env);
    say("1. key ring loaded: %s", ring);

    // 2. Encrypt credentials before storing them; only tokens reach the database.
    execute("CREATE TABLE credentials (id INT PRIMARY KEY, provider VARCHAR(40), token VARCHAR(400))");
    store(ring, 1, "openai", Secret.of("sk-proj-4f9c2b7e1d8a6c3f5e0b9a7d2c4e6f80"));
    store(ring, 2, "github", Secret.of("ghp_9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a"));
    store(ring, 3, "postgres", Secret.of("correct horse battery staple"));
    say("2. three credentials stored encrypted");

    // 3. Read one back. A Secret prints masked, so it is safe in logs.
    Secret openai = read(ring, 1);
    say("3. openai credential read back: %s", openai);

    // 4. Rotate. In production: APP_ENCRYPTION_KEY=$(latchkey keygen), the old value moved to
    //    APP_ENCRYPTION_KEY_PREVIOUS, then a rolling restart. New writes use the new key and
    //    every stored token still reads: the dual-key window.
    FernetKey newKey = FernetKey.generate();
    FernetKeyRing dualKey = FernetKeyRing.of(newKey, ring.primaryKey());
    say("4. new key %s is current, %s is previous; stored credential still reads: %s",
        newKey.id(), ring.primaryKeyId(), read(dualKey, 1).matches(openai));

    // 5. Re-encrypt every stored token under the new key, online: a row the application changes
    //    meanwhile is left as the application wrote it. (`latchkey reencrypt` does the same.)
    ReencryptionReport report =
        ReencryptionJob.builder(dualKey)
            .target(
                JdbcCiphertextStore.builder(db, Integer.class)
                    .table("credentials")
                    .keyColumn("id")
                    .ciphertextColumn("token")
                    .build())
            .build()
            .run();
    say("5. re-encryption report:%n%s", report.toString().strip().indent(3).stripTrailing());

    // 6. Zero failures: retire the old key. Everything still reads with the new key alone.
    if (report.isClean()) {
      FernetKeyRing newOnly = FernetKeyRing.of(newKey);
      say("6. old key retired; all three read with the new key alone: %s",
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

  private FernetKeyRing loadOrMakeDemoRing(Map<String, String> env) {
    if (env.containsKey(KEY_VAR)) {
      return FernetKeyRing.fromEnvironment(KEY_VAR, env);
    }
    say("%s is not set: using a demo key made for this run only.", KEY_VAR);
    say("   (set it to the output of `java -jar cli/target/latchkey.jar keygen` to use your own)");
    return FernetKeyRing.fromEnvironment(
        KEY_VAR, Map.of(KEY_VAR, FernetKey.generate().encoded().reveal()));
  }

  private void store(KeyRing ring, int id, String provider, Secret credential)
      throws SQLException {
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

  private void say(String format, Object... args) {
    out.println(String.format(format, args));
  }
}
