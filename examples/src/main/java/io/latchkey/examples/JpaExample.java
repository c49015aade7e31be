package io.latchkey.examples;

import io.latchkey.Secret;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.aead.SwappableAeadKeyRing;
import io.latchkey.jpa.Encrypted;
import io.latchkey.jpa.LatchkeyJpa;
import io.latchkey.reencrypt.JdbcCiphertextStore;
import io.latchkey.reencrypt.ReencryptionJob;
import io.latchkey.reencrypt.ReencryptionReport;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.io.PrintStream;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.h2.jdbcx.JdbcDataSource;
import org.hibernate.SessionFactory;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.stat.Statistics;
import org.hibernate.tool.schema.Action;

/**
 * Credentials stored encrypted through JPA (Hibernate on H2), then rotated to a new key with the
 * re-encryption job while the application keeps its {@code EntityManagerFactory}.
 *
 * <pre>
 * ./mvnw -B -q -pl examples -am -DskipTests package exec:java -Dexec.mainClass=io.latchkey.examples.JpaExample
 * </pre>
 */
public final class JpaExample {

  /** A stored third-party credential: its API key is encrypted, bound to its table and column. */
  @Entity(name = "StoredCredential")
  @Table(name = "credentials")
  public static class StoredCredential {
    @Id Long id;

    @Column(name = "provider")
    String provider;

    @Encrypted
    @Column(name = "api_key", length = 512)
    Secret apiKey;

    /** For JPA. */
    protected StoredCredential() {}

    StoredCredential(long id, String provider, Secret apiKey) {
      this.id = id;
      this.provider = provider;
      this.apiKey = apiKey;
    }
  }

  private final PrintStream out;

  private JpaExample(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the example, printing each step.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out, "jdbc:h2:mem:jpa-example-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  }

  static void run(PrintStream out, String jdbcUrl) {
    new JpaExample(out).run(jdbcUrl);
  }

  // Not annotated @FormatMethod: the examples keep to the project's own dependencies.
  @SuppressWarnings("AnnotateFormatMethod")
  private void say(String format, Object... args) {
    out.println(String.format(format, args));
  }

  private void run(String jdbcUrl) {
    // 1. The key ring: in production AesGcmKeyRing.fromEnvironment("APP_DATA_KEY"). Held in a
    //    swappable ring so that a rotation needs no new EntityManagerFactory.
    AesGcmKey oldKey = AesGcmKey.generate();
    SwappableAeadKeyRing ring = SwappableAeadKeyRing.of(AesGcmKeyRing.of(oldKey));
    EntityManagerFactory emf =
        new HibernatePersistenceConfiguration("credentials")
            .jdbcUrl(jdbcUrl)
            .jdbcCredentials("sa", "")
            .managedClass(StoredCredential.class)
            .schemaToolingAction(Action.CREATE_DROP)
            .collectStatistics(true)
            .property(LatchkeyJpa.KEY_RING, ring)
            .createEntityManagerFactory();
    try {
      // 2. Store three credentials: the application sets a Secret; the column gets a token.
      execute(
          emf,
          em -> {
            em.persist(
                new StoredCredential(1, "openai", Secret.of("sk-openai-example-0123456789abcdef")));
            em.persist(
                new StoredCredential(2, "anthropic", Secret.of("sk-ant-example-0123456789abcdef")));
            em.persist(
                new StoredCredential(3, "github", Secret.of("ghp_example0123456789abcdefghij")));
          });
      say(
          "1. stored 3 credentials under key %s; the column holds %s...",
          oldKey.id(), storedToken(emf, 1).substring(0, 3));

      // 3. Read them: a load and a commit write nothing back.
      Statistics stats = emf.unwrap(SessionFactory.class).getStatistics();
      stats.clear();
      execute(
          emf,
          em -> {
            List<StoredCredential> all =
                em.createQuery(
                        "select c from StoredCredential c order by c.id", StoredCredential.class)
                    .getResultList();
            for (StoredCredential c : all) {
              say("2. %s: %s", c.provider, c.apiKey);
            }
          });
      say("3. loaded and committed: %d UPDATE statements", stats.getEntityUpdateCount());

      // 4. Rotate: a new primary key, the old one kept as previous (the dual-key window).
      AesGcmKey newKey = AesGcmKey.generate();
      AesGcmKeyRing dualKey = AesGcmKeyRing.of(newKey, oldKey);
      ring.swap(dualKey);
      say("4. new key %s is primary, %s is previous", newKey.id(), oldKey.id());

      // 5. Re-encrypt the column online. The job rotates through a ring bound to the column's
      //    associated data, the same the attribute uses.
      JdbcDataSource db = new JdbcDataSource();
      db.setURL(jdbcUrl);
      db.setUser("sa");
      JdbcCiphertextStore<Long> apiKeys =
          JdbcCiphertextStore.builder(db, Long.class)
              .table("credentials")
              .keyColumn("id")
              .ciphertextColumn("api_key")
              .build();
      ReencryptionReport report =
          ReencryptionJob.builder(LatchkeyJpa.columnRing(dualKey, "credentials", "api_key"))
              .target(apiKeys)
              .build()
              .run();
      say("5. re-encryption: %d rotated, %s", report.rotated(), report.verdict());

      // 6. Check with the new key alone, then retire the old key.
      AesGcmKeyRing newOnly = AesGcmKeyRing.of(newKey);
      ReencryptionReport check =
          ReencryptionJob.builder(LatchkeyJpa.columnRing(newOnly, "credentials", "api_key"))
              .target(apiKeys)
              .build()
              .run();
      say("6. check with the new key alone: %s", check.verdict());
      if (report.isClean() && check.isClean()) {
        ring.swap(newOnly);
        StoredCredential openai = inTransaction(emf, em -> em.find(StoredCredential.class, 1L));
        say("7. old key retired; openai still reads: %s", openai.apiKey);
      }
    } finally {
      emf.close();
    }
  }

  private static String storedToken(EntityManagerFactory emf, long id) {
    return inTransaction(
        emf,
        em ->
            (String)
                em.createNativeQuery("SELECT api_key FROM credentials WHERE id = " + id)
                    .getSingleResult());
  }

  private static void execute(EntityManagerFactory emf, Consumer<EntityManager> work) {
    inTransaction(
        emf,
        em -> {
          work.accept(em);
          return null;
        });
  }

  private static <T> T inTransaction(EntityManagerFactory emf, Function<EntityManager, T> work) {
    EntityManager em = emf.createEntityManager();
    try {
      em.getTransaction().begin();
      T result = work.apply(em);
      em.getTransaction().commit();
      return result;
    } finally {
      em.close();
    }
  }
}
