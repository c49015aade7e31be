package io.latchkey.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.Secret;
import jakarta.persistence.EntityManagerFactory;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * How much cryptography each operation costs, counted by the ring: a load decrypts each value once
 * and encrypts nothing, the commit that follows neither; a change encrypts what is written: the
 * whole row, or with {@code @DynamicUpdate} the changed column alone.
 */
final class CryptoWorkTest {

  @Test
  void loadAndCommit_decryptsEachValueOnce_encryptsNothing_changeEncryptsWhatIsWritten() {
    CountingRing ring = new CountingRing(EncryptedAttributeScenarios.RING);
    try (EntityManagerFactory emf =
        Units.open(
            "jdbc:h2:mem:crypto-work;DB_CLOSE_DELAY=-1",
            "sa",
            Map.of(LatchkeyJpa.KEY_RING, ring),
            Credential.class,
            Webhook.class)) {
      UUID id = UUID.randomUUID();
      Units.run(
          emf,
          em -> {
            em.persist(new Credential(id, "n", Secret.of("k"), "note", new byte[] {1}));
            em.persist(EncryptedAttributeScenarios.webhook(1L));
          });
      assertThat(ring.encryptions).hasValue(6);
      assertThat(ring.decryptions).hasValue(0);
      ring.reset();

      Units.run(
          emf,
          em -> {
            em.find(Credential.class, id);
            em.find(Webhook.class, 1L);
          });

      assertThat(ring.decryptions).hasValue(6);
      assertThat(ring.encryptions).hasValue(0);
      ring.reset();

      Units.run(emf, em -> em.find(Credential.class, id).note = "changed");

      // Hibernate writes every column of the row it updates: the row's three values.
      assertThat(ring.decryptions).hasValue(3);
      assertThat(ring.encryptions).hasValue(3);
      ring.reset();

      Units.run(emf, em -> em.find(Webhook.class, 1L).header = "changed");

      // With @DynamicUpdate, only the changed column.
      assertThat(ring.decryptions).hasValue(3);
      assertThat(ring.encryptions).hasValue(1);
      assertThat(Units.inTransaction(emf, em -> em.find(Webhook.class, 1L)).signingSecret.reveal())
          .isEqualTo(EncryptedAttributeScenarios.API_KEY);
    }
  }
}
