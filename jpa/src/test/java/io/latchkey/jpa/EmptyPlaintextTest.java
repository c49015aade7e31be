package io.latchkey.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.Secret;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A column that held plaintext before encryption was turned on, one of whose values is the empty
 * string. The re-encryption job's plaintext mode, the remedy the converter's error names, counts
 * such a row as "empty" (no value), leaves it as it is and calls the report clean; the application
 * must then be able to load the entity.
 */
final class EmptyPlaintextTest {
  static final AesGcmKeyRing RING = AesGcmKeyRing.of(AesGcmKey.generate());

  @Test
  void load_emptyStringLeftFromBeforeEncryption_whichTheJobCallsCleanAndLeavesAlone_loads()
      throws Exception {
    String url = "jdbc:h2:mem:audit-empty-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    EntityManagerFactory emf =
        Units.open(url, "sa", Map.of(LatchkeyJpa.KEY_RING, RING), Credential.class, Webhook.class);
    try {
      UUID id = UUID.randomUUID();
      Units.run(
          emf,
          em -> {
            em.persist(new Credential(id, "llm", Secret.of("sk-x"), "note", new byte[] {1}));
            em.persist(
                new Webhook(7L, "https://example.test", Secret.of("s"), "h", new byte[] {1}));
          });
      // The rows as they were before encryption: an empty plaintext, distinct from NULL.
      try (Connection c = DriverManager.getConnection(url, "sa", "");
          PreparedStatement a =
              c.prepareStatement("UPDATE credentials SET note = '' WHERE id = ?");
          PreparedStatement b =
              c.prepareStatement("UPDATE webhooks SET header = '' WHERE id = 7")) {
        a.setObject(1, id);
        assertThat(a.executeUpdate()).isEqualTo(1);
        assertThat(b.executeUpdate()).isEqualTo(1);
      }

      Throwable credential = null;
      try {
        Credential loaded = Units.inTransaction(emf, em -> em.find(Credential.class, id));
        assertThat(loaded.note).isEmpty();
      } catch (RuntimeException e) {
        credential = e;
      }
      Throwable webhook = null;
      try {
        Webhook loaded = Units.inTransaction(emf, em -> em.find(Webhook.class, 7L));
        assertThat(loaded.header).isEmpty();
      } catch (RuntimeException e) {
        webhook = e;
      }
      assertThat(root(credential))
          .as("@Encrypted String column holding '' (the job leaves it and reports clean)")
          .isNull();
      assertThat(root(webhook))
          .as("EncryptedStringConverter column holding '' (the job leaves it and reports clean)")
          .isNull();
    } finally {
      emf.close();
    }
  }

  /** The innermost cause's class and message, or null. */
  static String root(Throwable t) {
    if (t == null) {
      return null;
    }
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getClass().getName() + ": " + c.getMessage();
  }
}
