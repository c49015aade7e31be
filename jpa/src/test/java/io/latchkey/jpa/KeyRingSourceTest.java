package io.latchkey.jpa;

import static io.latchkey.jpa.EncryptedAttributeScenarios.catchFrom;
import static io.latchkey.jpa.EncryptedAttributeScenarios.causes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.InvalidTokenException;
import io.latchkey.Secret;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.aead.AssociatedData;
import jakarta.persistence.EntityManagerFactory;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where encrypted attributes get their key ring (each persistence unit its own, or the registered
 * fallback), which rings fit which attributes, and the mappings refused when a unit starts.
 */
final class KeyRingSourceTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  @AfterEach
  void forgetRegisteredRing() {
    LatchkeyJpa.unregister();
  }

  private static String newDatabase() {
    return "jdbc:h2:mem:rings-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
  }

  private static EntityManagerFactory open(Map<String, Object> properties, Class<?>... entities) {
    return Units.open(newDatabase(), "sa", properties, entities);
  }

  private static Throwable bootFailure(Map<String, Object> properties, Class<?>... entities) {
    return catchFrom(() -> open(properties, entities).close());
  }

  @Test
  void twoUnits_eachEncryptsWithItsOwnRing() {
    AesGcmKeyRing ringA = AesGcmKeyRing.of(AesGcmKey.generate());
    AesGcmKeyRing ringB = AesGcmKeyRing.of(AesGcmKey.generate());
    try (EntityManagerFactory a = open(Map.of(LatchkeyJpa.KEY_RING, ringA), Webhook.class);
        EntityManagerFactory b = open(Map.of(LatchkeyJpa.KEY_RING, ringB), Webhook.class)) {
      Units.run(a, em -> em.persist(EncryptedAttributeScenarios.webhook(1L)));
      Units.run(b, em -> em.persist(EncryptedAttributeScenarios.webhook(1L)));

      String tokenA = storedHeader(a);
      String tokenB = storedHeader(b);

      AssociatedData column = AssociatedData.of("webhooks", "header");
      assertThat(ringA.decrypt(tokenA, column)).isNotEmpty();
      assertThat(ringB.decrypt(tokenB, column)).isNotEmpty();
      assertThatThrownBy(() -> ringB.decrypt(tokenA, column))
          .isInstanceOf(InvalidTokenException.class);
      assertThat(Units.inTransaction(b, em -> em.find(Webhook.class, 1L)).header)
          .isEqualTo(EncryptedAttributeScenarios.NOTE);
    }
  }

  private static String storedHeader(EntityManagerFactory emf) {
    return Units.inTransaction(
        emf,
        em ->
            (String)
                em.createNativeQuery("SELECT header FROM webhooks WHERE id = 1").getSingleResult());
  }

  @Test
  void registeredRing_servesUnitsThatHaveNone() {
    AesGcmKeyRing ring = AesGcmKeyRing.of(AesGcmKey.generate());
    LatchkeyJpa.register(ring);
    try (EntityManagerFactory emf = open(Map.of(), Webhook.class, Credential.class)) {
      Units.run(emf, em -> em.persist(EncryptedAttributeScenarios.webhook(1L)));

      assertThat(ring.decrypt(storedHeader(emf), AssociatedData.of("webhooks", "header")))
          .isNotEmpty();
      assertThat(Units.inTransaction(emf, em -> em.find(Webhook.class, 1L)).signingSecret.reveal())
          .isEqualTo(EncryptedAttributeScenarios.API_KEY);
    }
  }

  @Test
  void noRingAnywhere_unitFailsToStart() {
    assertThat(causes(bootFailure(Map.of(), Webhook.class)))
        .anySatisfy(
            c ->
                assertThat(c)
                    .hasMessage(
                        "the persistence unit has encrypted attributes but no key ring: put one in"
                            + " its properties under latchkey.jpa.key_ring, or call"
                            + " LatchkeyJpa.register(ring) first (see docs/jpa-and-jackson.md)"));
  }

  @Test
  void ringPropertyOfAnotherType_unitFailsToStart() {
    assertThat(causes(bootFailure(Map.of(LatchkeyJpa.KEY_RING, "lkk.not-a-ring"), Webhook.class)))
        .anySatisfy(
            c ->
                assertThat(c)
                    .hasMessage(
                        "latchkey.jpa.key_ring must hold a KeyRing object (an AesGcmKeyRing, say),"
                            + " not a String"));
  }

  @Test
  void fernetRing_encryptsColumnBoundAttributes_butNotRowBoundOnes() {
    FernetKeyRing fernet = FernetKeyRing.of(FernetKey.generate());
    try (EntityManagerFactory emf = open(Map.of(LatchkeyJpa.KEY_RING, fernet), Webhook.class)) {
      Units.run(emf, em -> em.persist(EncryptedAttributeScenarios.webhook(1L)));

      assertThat(fernet.decryptSecret(storedHeader(emf)).reveal())
          .isEqualTo(EncryptedAttributeScenarios.NOTE);
    }
    assertThat(causes(bootFailure(Map.of(LatchkeyJpa.KEY_RING, fernet), Credential.class)))
        .anySatisfy(
            c ->
                assertThat(c)
                    .hasMessage(
                        "credentials.api_key is bound to the row id, which needs associated data:"
                            + " give an AeadKeyRing that writes AES-GCM (AesGcmKeyRing, or"
                            + " MigrationKeyRing.toAesGcm while moving from Fernet), not a"
                            + " FernetKeyRing"));
  }

  @Test
  void rowBound_idFromTheDatabase_insertIsRefused_idFromASequence_works() {
    Map<String, Object> ring = Map.of(LatchkeyJpa.KEY_RING, EncryptedAttributeScenarios.RING);
    try (EntityManagerFactory emf = open(ring, Ticket.ByIdentity.class, Ticket.BySequence.class)) {
      Ticket.ByIdentity byIdentity = new Ticket.ByIdentity();
      byIdentity.code = "canary-code";
      Throwable t = catchFrom(() -> Units.run(emf, em -> em.persist(byIdentity)));
      assertThat(causes(t))
          .anySatisfy(
              c ->
                  assertThat(c)
                      .hasMessage(
                          "identity_tickets.code is bound to the row id, but the row has no id"
                              + " yet: the database generates it on insert (IDENTITY); use a"
                              + " sequence, a UUID or an assigned id for this entity"));

      Ticket.BySequence bySequence = new Ticket.BySequence();
      bySequence.code = "canary-code";
      Units.run(emf, em -> em.persist(bySequence));
      Ticket.BySequence back =
          Units.inTransaction(emf, em -> em.find(Ticket.BySequence.class, bySequence.id));
      assertThat(back.code).isEqualTo("canary-code");
    }
  }

  @Test
  void encryptedInsideAnEmbeddable_unitFailsToStart() {
    Map<String, Object> ring = Map.of(LatchkeyJpa.KEY_RING, EncryptedAttributeScenarios.RING);
    assertThat(causes(bootFailure(ring, Ticket.Customer.class)))
        .anySatisfy(
            c ->
                assertThat(c)
                    .hasMessageContaining(
                        "Ticket$Customer.contact.phone is encrypted inside an embeddable, which is"
                            + " not supported"));
  }

  @Test
  void secretAttributeNotEncrypted_unitFailsToStart() {
    assertThat(causes(bootFailure(Map.of(), Ticket.PlainSecret.class)))
        .anySatisfy(
            c ->
                assertThat(c)
                    .hasMessage(
                        "a Secret attribute is stored only encrypted: annotate it with @Encrypted,"
                            + " or convert it with a subclass of EncryptedSecretConverter"));
  }

  @Test
  void columnRing_bindsEveryCallToTheColumn() {
    AesGcmKey old = AesGcmKey.generate();
    AesGcmKeyRing ring = AesGcmKeyRing.of(AesGcmKey.generate(), old);
    io.latchkey.KeyRing column = LatchkeyJpa.columnRing(ring, "webhooks", "header");
    String underOld =
        AesGcmKeyRing.of(old).encrypt(Secret.of("v"), AssociatedData.of("webhooks", "header"));

    String rotated = column.rotate(underOld);

    assertThat(column.isPrimary(underOld)).isFalse();
    assertThat(column.isPrimary(rotated)).isTrue();
    assertThat(ring.decrypt(rotated, AssociatedData.of("webhooks", "header"))).containsExactly('v');
    assertThat(column.decryptSecret(column.encrypt(Secret.of("w"))).reveal()).isEqualTo("w");
    assertThatThrownBy(() -> ring.decrypt(rotated)).isInstanceOf(InvalidTokenException.class);
    assertThat(column.keyIds()).isEqualTo(ring.keyIds());
    assertThat(column.toString()).isEqualTo("ColumnRing[webhooks.header, " + ring + "]");
  }
}
