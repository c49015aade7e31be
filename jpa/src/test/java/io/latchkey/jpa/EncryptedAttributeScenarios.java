package io.latchkey.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.LatchkeyException;
import io.latchkey.Secret;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.aead.AssociatedData;
import io.latchkey.testsupport.Leaks;
import jakarta.persistence.EntityManagerFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What encrypted attributes do on a real database through Hibernate, run on H2 and on PostgreSQL:
 * what is stored, what a load and a commit write (counted by Hibernate's statistics), what is
 * refused, and what a message may say.
 */
abstract class EncryptedAttributeScenarios {
  static final String API_KEY = "sk-canary-api-key-0123456789abcdef";
  static final String NOTE = "canary-note-hunter2";
  static final byte[] BLOB = "canary-blob-bytes".getBytes(StandardCharsets.UTF_8);

  static final AesGcmKeyRing RING = AesGcmKeyRing.of(AesGcmKey.generate());

  private static EntityManagerFactory emf;

  abstract String url();

  abstract String user();

  EntityManagerFactory emf() {
    if (emf == null) {
      emf =
          Units.open(
              url(), user(), Map.of(LatchkeyJpa.KEY_RING, RING), Credential.class, Webhook.class);
    }
    return emf;
  }

  @AfterAll
  static void closeUnit() {
    if (emf != null) {
      emf.close();
      emf = null;
    }
  }

  @BeforeEach
  void emptyTables() {
    Units.run(
        emf(),
        em -> {
          em.createQuery("delete from Credential").executeUpdate();
          em.createQuery("delete from Webhook").executeUpdate();
        });
    Units.statistics(emf()).clear();
  }

  UUID saveCredential() {
    UUID id = UUID.randomUUID();
    Units.run(
        emf(), em -> em.persist(new Credential(id, "llm", Secret.of(API_KEY), NOTE, BLOB.clone())));
    return id;
  }

  /** Saves a credential and webhook 7, and starts the statistics from zero. */
  UUID saveBoth() {
    UUID id = saveCredential();
    Units.run(emf(), em -> em.persist(webhook(7L)));
    Units.statistics(emf()).clear();
    return id;
  }

  Connection jdbc() throws SQLException {
    return DriverManager.getConnection(url(), user(), "");
  }

  String stored(String table, String column, Object id) throws SQLException {
    try (Connection c = jdbc();
        PreparedStatement ps =
            c.prepareStatement("SELECT " + column + " FROM " + table + " WHERE id = ?")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }

  void store(String table, String column, Object id, String value) throws SQLException {
    try (Connection c = jdbc();
        PreparedStatement ps =
            c.prepareStatement("UPDATE " + table + " SET " + column + " = ? WHERE id = ?")) {
      ps.setString(1, value);
      ps.setObject(2, id);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  @Test
  void persist_storesTokensBoundToTheirColumnAndRow() throws SQLException {
    UUID id = saveCredential();

    String apiKey = stored("credentials", "api_key", id);
    String note = stored("credentials", "note", id);
    String blob = stored("credentials", "blob", id);
    assertThat(apiKey).startsWith("lk.").doesNotContain(API_KEY);
    assertThat(
            RING.decryptSecret(apiKey, AssociatedData.forRow("credentials", "api_key", id))
                .reveal())
        .isEqualTo(API_KEY);
    assertThat(RING.decrypt(note, AssociatedData.of("credentials", "note")))
        .isEqualTo(NOTE.getBytes(StandardCharsets.UTF_8));
    assertThat(RING.decrypt(blob, AssociatedData.of("credentials", "blob"))).isEqualTo(BLOB);
    assertThat(stored("credentials", "name", id)).isEqualTo("llm");
  }

  @Test
  void load_readsBackEveryType() {
    UUID id = saveCredential();

    Credential c = Units.inTransaction(emf(), em -> em.find(Credential.class, id));

    assertThat(c.apiKey.reveal()).isEqualTo(API_KEY);
    assertThat(c.note).isEqualTo(NOTE);
    assertThat(c.blob).isEqualTo(BLOB);
  }

  @Test
  void loadAndCommit_unchanged_issuesNoUpdate() {
    UUID id = saveBoth();
    Statistics stats = Units.statistics(emf());

    Units.run(
        emf(),
        em -> {
          em.find(Credential.class, id);
          em.find(Webhook.class, 7L);
        });

    assertThat(stats.getEntityUpdateCount()).isZero();
    assertThat(stats.getPrepareStatementCount()).isEqualTo(2);
  }

  @Test
  void loadAndCommit_sameContentSetAgain_issuesNoUpdate() {
    UUID id = saveBoth();
    Statistics stats = Units.statistics(emf());

    Units.run(
        emf(),
        em -> {
          Credential c = em.find(Credential.class, id);
          c.apiKey = Secret.of(API_KEY);
          c.note = new String(NOTE.toCharArray());
          c.blob = BLOB.clone();
          Webhook w = em.find(Webhook.class, 7L);
          w.signingSecret = Secret.of(API_KEY);
          w.payload = BLOB.clone();
        });

    assertThat(stats.getEntityUpdateCount()).isZero();
  }

  @Test
  void loadAndCommit_changed_issuesExactlyOneUpdatePerEntity() throws SQLException {
    UUID id = saveBoth();
    Statistics stats = Units.statistics(emf());

    Units.run(
        emf(),
        em -> {
          em.find(Credential.class, id).apiKey = Secret.of("sk-rotated-by-the-user-42");
          em.find(Webhook.class, 7L).payload[0] ^= 1; // changed in place
        });

    assertThat(stats.getEntityUpdateCount()).isEqualTo(2);
    assertThat(stats.getPrepareStatementCount()).isEqualTo(4);
    Credential c = Units.inTransaction(emf(), em -> em.find(Credential.class, id));
    assertThat(c.apiKey.reveal()).isEqualTo("sk-rotated-by-the-user-42");
    assertThat(stored("credentials", "api_key", id)).doesNotContain("rotated");
    Webhook w = Units.inTransaction(emf(), em -> em.find(Webhook.class, 7L));
    assertThat(w.payload[0]).isEqualTo((byte) (BLOB[0] ^ 1));
  }

  @Test
  void converters_roundTripAndBindToTheirColumn() throws SQLException {
    Units.run(emf(), em -> em.persist(webhook(7L)));

    Webhook w = Units.inTransaction(emf(), em -> em.find(Webhook.class, 7L));

    assertThat(w.signingSecret.reveal()).isEqualTo(API_KEY);
    assertThat(w.header).isEqualTo(NOTE);
    assertThat(w.payload).isEqualTo(BLOB);
    String token = stored("webhooks", "signing_secret", 7L);
    assertThat(RING.decryptSecret(token, AssociatedData.of("webhooks", "signing_secret")).reveal())
        .isEqualTo(API_KEY);
  }

  @Test
  void nulls_storeNullAndReadNull() throws SQLException {
    UUID id = UUID.randomUUID();
    Units.run(emf(), em -> em.persist(new Credential(id, "empty", null, null, null)));
    Units.run(emf(), em -> em.persist(new Webhook(8L, "t", null, null, null)));

    assertThat(stored("credentials", "api_key", id)).isNull();
    assertThat(stored("credentials", "note", id)).isNull();
    assertThat(stored("webhooks", "signing_secret", 8L)).isNull();
    Credential c = Units.inTransaction(emf(), em -> em.find(Credential.class, id));
    assertThat(c.apiKey).isNull();
    assertThat(c.note).isNull();
    assertThat(c.blob).isNull();
    long nulls =
        Units.inTransaction(
            emf(),
            em ->
                em.createQuery(
                        "select count(c) from Credential c where c.apiKey is null", Long.class)
                    .getSingleResult());
    assertThat(nulls).isEqualTo(1);
  }

  @Test
  void query_byEncryptedAttribute_isRefusedWithoutTheValue() {
    saveCredential();
    Units.run(emf(), em -> em.persist(webhook(7L)));

    Throwable byNote =
        catchFrom(
            () ->
                Units.inTransaction(
                    emf(),
                    em ->
                        em.createQuery(
                                "select c from Credential c where c.note = :n", Credential.class)
                            .setParameter("n", NOTE)
                            .getResultList()));
    Throwable byKey =
        catchFrom(
            () ->
                Units.inTransaction(
                    emf(),
                    em ->
                        em.createQuery(
                                "select c from Credential c where c.apiKey = :k", Credential.class)
                            .setParameter("k", Secret.of(API_KEY))
                            .getResultList()));
    Throwable byConverted =
        catchFrom(
            () ->
                Units.inTransaction(
                    emf(),
                    em ->
                        em.createQuery("select w from Webhook w where w.header = :h", Webhook.class)
                            .setParameter("h", NOTE)
                            .getResultList()));
    Throwable bulkSet =
        catchFrom(
            () ->
                Units.inTransaction(
                    emf(),
                    em ->
                        em.createQuery("update Credential c set c.note = :n")
                            .setParameter("n", NOTE)
                            .executeUpdate()));

    assertThat(rootCause(byNote))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage(
            "credentials.note is encrypted (each encryption of a value differs), so it cannot be"
                + " compared or set in a query: query by another column, or load the entity and"
                + " set the attribute");
    assertThat(rootCause(byKey)).hasMessageStartingWith("credentials.api_key is encrypted");
    assertThat(rootCause(byConverted)).hasMessageStartingWith("webhooks.header is encrypted");
    assertThat(rootCause(bulkSet)).hasMessageStartingWith("credentials.note is encrypted");
    for (Throwable t : new Throwable[] {byNote, byKey, byConverted, bulkSet}) {
      Leaks.assertNoLeak(t, NOTE);
      Leaks.assertNoLeak(t, API_KEY);
    }
    // Other columns still query as usual.
    long byName =
        Units.inTransaction(
            emf(),
            em ->
                em.createQuery("select count(c) from Credential c where c.name = :n", Long.class)
                    .setParameter("n", "llm")
                    .getSingleResult());
    assertThat(byName).isEqualTo(1);
  }

  @Test
  void load_tokenCopiedFromAnotherRow_isRejected() throws SQLException {
    UUID a = saveCredential();
    UUID b = UUID.randomUUID();
    Units.run(
        emf(),
        em ->
            em.persist(
                new Credential(b, "other", Secret.of("sk-other-0000000000000000"), "x", null)));
    store("credentials", "api_key", b, stored("credentials", "api_key", a));

    Throwable t = catchFrom(() -> Units.inTransaction(emf(), em -> em.find(Credential.class, b)));

    assertThat(causes(t))
        .anySatisfy(
            c ->
                assertThat(c)
                    .isInstanceOf(LatchkeyException.class)
                    .hasMessage(
                        "credentials.api_key: the stored token was rejected (token was made with"
                            + " another key or has been altered); a token copied from another row"
                            + " or column is rejected too"));
    Leaks.assertNoLeak(t, API_KEY);
  }

  @Test
  void load_tokenCopiedFromAnotherColumn_isRejected() throws SQLException {
    UUID id = saveCredential();
    store("credentials", "blob", id, stored("credentials", "note", id));

    Throwable t = catchFrom(() -> Units.inTransaction(emf(), em -> em.find(Credential.class, id)));

    assertThat(causes(t))
        .anySatisfy(
            c ->
                assertThat(c)
                    .hasMessageStartingWith("credentials.blob: the stored token was rejected"));
    Leaks.assertNoLeak(t, NOTE);
  }

  @Test
  void load_plaintextLeftFromBeforeEncryption_failsLoudlyWithTheMigrationPath()
      throws SQLException {
    UUID id = saveCredential();
    store("credentials", "note", id, NOTE);
    Units.run(emf(), em -> em.persist(webhook(7L)));
    store("webhooks", "signing_secret", 7L, API_KEY);

    Throwable entity =
        catchFrom(() -> Units.inTransaction(emf(), em -> em.find(Credential.class, id)));
    Throwable converted =
        catchFrom(() -> Units.inTransaction(emf(), em -> em.find(Webhook.class, 7L)));

    assertThat(causes(entity))
        .anySatisfy(
            c ->
                assertThat(c)
                    .isInstanceOf(LatchkeyException.class)
                    .hasMessage(
                        "credentials.note: the stored value is not a Latchkey token; a value written"
                            + " before encryption was turned on? Encrypt the column in place with"
                            + " the re-encryption job's plaintext mode first (see"
                            + " docs/encryption.md)"));
    assertThat(causes(converted))
        .anySatisfy(
            c ->
                assertThat(c)
                    .hasMessageStartingWith(
                        "webhooks.signing_secret: the stored value is not a Latchkey token"));
    Leaks.assertNoLeak(entity, NOTE);
    Leaks.assertNoLeak(converted, API_KEY);
  }

  static Webhook webhook(long id) {
    return new Webhook(id, "https://example.test/hook", Secret.of(API_KEY), NOTE, BLOB.clone());
  }

  static Throwable catchFrom(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("expected an exception");
  }

  static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  static java.util.List<Throwable> causes(Throwable t) {
    java.util.List<Throwable> all = new java.util.ArrayList<>();
    for (Throwable c = t; c != null && !all.contains(c); c = c.getCause()) {
      all.add(c);
    }
    return all;
  }
}
