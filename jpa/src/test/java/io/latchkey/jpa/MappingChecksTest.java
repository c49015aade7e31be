package io.latchkey.jpa;

import static io.latchkey.jpa.EncryptedAttributeScenarios.catchFrom;
import static io.latchkey.jpa.EncryptedAttributeScenarios.causes;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.KeyRing;
import io.latchkey.Secret;
import io.latchkey.SwappableKeyRing;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.aead.AssociatedData;
import io.latchkey.crypto.aead.MigrationKeyRing;
import io.latchkey.crypto.aead.SwappableAeadKeyRing;
import io.latchkey.crypto.aead.TokenFormat;
import io.latchkey.testsupport.Leaks;
import jakarta.persistence.EntityManagerFactory;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Mappings and rings that would lose what an encrypted attribute is bound to, or fail every write,
 * refused when the unit starts; the way back to Fernet, which a column takes and a row refuses; and
 * the permits a failed write leaves behind.
 */
final class MappingChecksTest {
  private static final String SECRET = "canary-mapping-secret-5e1f";
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final AesGcmKeyRing RING = EncryptedAttributeScenarios.RING;
  private static final AesGcmKeyRing WAY_BACK_AES = AesGcmKeyRing.of(AesGcmKey.generate());
  private static final FernetKeyRing FERNET = FernetKeyRing.of(FernetKey.generate());

  /** The way back from AES-GCM: reads AES-GCM tokens, writes Fernet ones, which bind nothing. */
  private static final MigrationKeyRing WAY_BACK = MigrationKeyRing.toFernet(FERNET, WAY_BACK_AES);

  /** A column bound to its table and column, with the way-back ring of its own. */
  static final class NoteColumn extends EncryptedStringConverter {
    NoteColumn() {
      super("credentials", "note", WAY_BACK);
    }
  }

  @AfterEach
  void forgetRegisteredRing() {
    LatchkeyJpa.unregister();
  }

  private static EntityManagerFactory open(Object ring, Class<?>... entities) {
    return Units.open(
        "jdbc:h2:mem:checks-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1",
        "sa",
        ring == null ? Map.of() : Map.of(LatchkeyJpa.KEY_RING, ring),
        entities);
  }

  /** The message, among the causes of a failed start, that names the entity first. */
  private static String bootFailure(Object ring, Class<?> entity) {
    Throwable t = catchFrom(() -> open(ring, entity).close());
    return causes(t).stream()
        .map(Throwable::getMessage)
        .filter(m -> m != null && m.startsWith(entity.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no message names the entity", t));
  }

  private static String storedSecret(EntityManagerFactory emf, String table) {
    return Units.inTransaction(
        emf,
        em ->
            (String)
                em.createNativeQuery("SELECT secret FROM " + table + " WHERE id = 1")
                    .getSingleResult());
  }

  @Test
  void rowBound_compositeId_unitFailsToStart() {
    for (Class<?> entity : new Class<?>[] {Refused.ByEmbeddedId.class, Refused.ByRecordId.class}) {
      assertThat(bootFailure(RING, entity))
          .isEqualTo(
              entity.getName()
                  + ".secret is bound to the row id, but its entity has a composite id"
                  + " (@EmbeddedId or @IdClass), whose text does not tell every two ids apart; a"
                  + " row-bound attribute needs a single id of type Long, Integer, Short, Byte,"
                  + " BigInteger, String or UUID: give the entity such an id, or drop boundToId");
    }
    assertThat(bootFailure(RING, Refused.ByIdClass.class))
        .startsWith(
            Refused.ByIdClass.class.getName()
                + ".secret is bound to the row id, but its entity has a composite id");
  }

  @Test
  void columnBound_compositeId_works() {
    try (EntityManagerFactory emf = open(RING, Refused.ColumnBoundByEmbeddedId.class)) {
      Refused.ColumnBoundByEmbeddedId row = new Refused.ColumnBoundByEmbeddedId();
      row.id = new Refused.Key("Aa", "n");
      row.secret = SECRET;
      Units.run(emf, em -> em.persist(row));

      assertThat(
              Units.inTransaction(
                      emf,
                      em ->
                          em.find(
                              Refused.ColumnBoundByEmbeddedId.class, new Refused.Key("Aa", "n")))
                  .secret)
          .isEqualTo(SECRET);
    }
  }

  @Test
  void optimisticLockingAllOrDirty_unitFailsToStart() {
    assertThat(bootFailure(RING, Refused.LockedAll.class))
        .isEqualTo(
            Refused.LockedAll.class.getName()
                + ".secret is encrypted, and its entity uses @OptimisticLocking(type = ALL), which"
                + " compares the attribute's stored value in the WHERE clause of every UPDATE and"
                + " DELETE; an encrypted value cannot be compared in a query (each encryption of a"
                + " value differs): use a @Version attribute, or exclude this one with"
                + " @OptimisticLock(excluded = true)");
    assertThat(bootFailure(RING, Refused.LockedDirty.class))
        .contains(".secret is encrypted, and its entity uses @OptimisticLocking(type = DIRTY)");
  }

  @Test
  void optimisticLockingAll_encryptedAttributeExcluded_updatesAndDeletes() {
    try (EntityManagerFactory emf = open(RING, Refused.LockedExcluded.class)) {
      Units.run(
          emf,
          em -> {
            Refused.LockedExcluded row = new Refused.LockedExcluded();
            row.id = 1L;
            row.label = "a";
            row.secret = SECRET;
            em.persist(row);
          });
      Units.run(emf, em -> em.find(Refused.LockedExcluded.class, 1L).label = "b");
      Units.run(emf, em -> em.find(Refused.LockedExcluded.class, 1L).secret = SECRET + "-2");
      Refused.LockedExcluded back =
          Units.inTransaction(emf, em -> em.find(Refused.LockedExcluded.class, 1L));
      assertThat(back.secret).isEqualTo(SECRET + "-2");
      Units.run(emf, em -> em.remove(em.find(Refused.LockedExcluded.class, 1L)));
      Refused.LockedExcluded gone =
          Units.inTransaction(emf, em -> em.find(Refused.LockedExcluded.class, 1L));
      assertThat(gone).isNull();
    }
  }

  @Test
  void coreSwappableKeyRing_tokensStayBoundToTheirColumnAndRow_acrossSwaps() {
    AesGcmKeyRing next = AesGcmKeyRing.of(AesGcmKey.generate(), RING.primaryKey());
    SwappableKeyRing swappable = SwappableKeyRing.of(RING);
    try (EntityManagerFactory emf = open(swappable, Refused.Labelled.class)) {
      Units.run(emf, em -> em.persist(new Refused.Labelled(1L, "a", SECRET, SECRET)));

      AssociatedData row = AssociatedData.forRow("labelled", "secret", 1L);
      assertThat(new String(RING.decrypt(storedSecret(emf, "labelled"), row), UTF_8))
          .isEqualTo(SECRET);

      swappable.swap(next);
      assertThat(Units.inTransaction(emf, em -> em.find(Refused.Labelled.class, 1L)).secret)
          .isEqualTo(SECRET);
    }
  }

  @Test
  void coreSwappableKeyRing_overFernet_servesColumnBoundAttributes() {
    FernetKeyRing fernet = FernetKeyRing.of(FernetKey.generate());
    try (EntityManagerFactory emf =
        open(SwappableKeyRing.of(fernet), Refused.ColumnBoundByEmbeddedId.class)) {
      Refused.ColumnBoundByEmbeddedId row = new Refused.ColumnBoundByEmbeddedId();
      row.id = new Refused.Key("t", "n");
      row.secret = SECRET;
      Units.run(emf, em -> em.persist(row));
      String token =
          Units.inTransaction(
              emf,
              em ->
                  (String)
                      em.createNativeQuery("SELECT secret FROM composite_column_rows")
                          .getSingleResult());
      assertThat(new String(fernet.decrypt(token), UTF_8)).isEqualTo(SECRET);
    }
  }

  @Test
  void coreSwappableKeyRing_swappedToFernet_rowBoundWriteIsRefused() {
    SwappableKeyRing swappable = SwappableKeyRing.of(RING);
    try (EntityManagerFactory emf = open(swappable, Refused.Labelled.class)) {
      swappable.swap(FernetKeyRing.of(FernetKey.generate()));

      Throwable t =
          catchFrom(
              () ->
                  Units.run(emf, em -> em.persist(new Refused.Labelled(1L, "a", SECRET, SECRET))));

      assertThat(causes(t))
          .anySatisfy(
              c ->
                  assertThat(c)
                      .hasMessage(
                          "labelled.secret is bound to the row id, which needs associated data:"
                              + " give an AeadKeyRing that writes AES-GCM (AesGcmKeyRing, or"
                              + " MigrationKeyRing.toAesGcm while moving from Fernet), not a"
                              + " FernetKeyRing"));
      Leaks.assertNoLeak(t, SECRET);
    }
  }

  @Test
  void ringThatDropsAssociatedData_unitFailsToStart() {
    KeyRing plain = LatchkeyJpa.columnRing(RING, "webhooks", "header");

    assertThat(causes(catchFrom(() -> open(plain, Webhook.class).close())))
        .anySatisfy(
            c ->
                assertThat(c)
                    .hasMessageEndingWith(
                        " is bound to its table and column, which needs a ring that takes"
                            + " associated data: give an AeadKeyRing (AesGcmKeyRing,"
                            + " SwappableAeadKeyRing, or a MigrationKeyRing while moving from"
                            + " Fernet) or a FernetKeyRing, not a ColumnRing"));
  }

  @Test
  void registeredFernetRing_rowBoundAttribute_unitFailsToStart() {
    LatchkeyJpa.register(FernetKeyRing.of(FernetKey.generate()));

    assertThat(causes(catchFrom(() -> open(null, Refused.Labelled.class).close())))
        .anySatisfy(
            c ->
                assertThat(c)
                    .hasMessage(
                        "labelled.secret is bound to the row id, which needs associated data:"
                            + " give an AeadKeyRing that writes AES-GCM (AesGcmKeyRing, or"
                            + " MigrationKeyRing.toAesGcm while moving from Fernet), not a"
                            + " FernetKeyRing"));
  }

  @Test
  void failedWrites_leaveNoPermitsOnTheThread() {
    try (EntityManagerFactory emf = open(RING, Refused.Labelled.class)) {
      Units.run(
          emf,
          em -> {
            em.persist(new Refused.Labelled(1L, "a", SECRET, SECRET));
            em.persist(new Refused.Labelled(2L, "b", SECRET, SECRET));
          });

      // Only the label changes: the encrypted values get permits and are never bound.
      Throwable update =
          catchFrom(() -> Units.run(emf, em -> em.find(Refused.Labelled.class, 2L).label = "a"));
      assertThat(WritePermits.isEmpty()).isTrue();

      Throwable insert =
          catchFrom(
              () ->
                  Units.run(emf, em -> em.persist(new Refused.Labelled(3L, "a", SECRET, SECRET))));
      assertThat(WritePermits.isEmpty()).isTrue();

      Leaks.assertNoLeak(update, SECRET);
      Leaks.assertNoLeak(insert, SECRET);
    }
  }

  @Test
  void columnBound_readsTheAesGcmTokensItHolds_andWritesFernet() {
    NoteColumn column = new NoteColumn();
    String stored =
        WAY_BACK_AES.encrypt(SECRET.getBytes(UTF_8), AssociatedData.of("credentials", "note"));
    assertThat(column.convertToEntityAttribute(stored)).isEqualTo(SECRET);

    String written = column.convertToDatabaseColumn(SECRET);

    assertThat(TokenFormat.detect(written)).contains(TokenFormat.FERNET);
    assertThat(new String(FERNET.decrypt(written), UTF_8)).isEqualTo(SECRET);
    assertThat(column.convertToEntityAttribute(written)).isEqualTo(SECRET);
  }

  @Test
  void columnBound_throughHibernate_writesFernetThatReadsBack() {
    try (EntityManagerFactory emf = open(WAY_BACK, Webhook.class)) {
      Units.run(emf, em -> em.persist(new Webhook(1L, "t", Secret.of(SECRET), SECRET, null)));
      Units.run(
          emf,
          em -> {
            Webhook w = em.find(Webhook.class, 1L);
            assertThat(w.header).isEqualTo(SECRET);
            assertThat(w.signingSecret.reveal()).isEqualTo(SECRET);
          });
    }
  }

  @Test
  void rowBound_wayBackRing_unitFailsToStart() {
    Throwable t = catchFrom(() -> open(WAY_BACK, Refused.Labelled.class).close());

    assertThat(causes(t))
        .anySatisfy(
            c ->
                assertThat(c)
                    .hasMessage(
                        "labelled.secret is bound to the row id, which needs associated data:"
                            + " give an AeadKeyRing that writes AES-GCM (AesGcmKeyRing, or"
                            + " MigrationKeyRing.toAesGcm while moving from Fernet), not a"
                            + " MigrationKeyRing that writes Fernet"));
  }

  @Test
  void rowBound_swappedToTheWayBackRing_writeIsRefused_andNothingLeaks() {
    SwappableAeadKeyRing swappable = SwappableAeadKeyRing.of(WAY_BACK_AES);
    try (EntityManagerFactory emf = open(swappable, Refused.Labelled.class)) {
      swappable.swap(WAY_BACK);

      Throwable t =
          catchFrom(
              () ->
                  Units.run(emf, em -> em.persist(new Refused.Labelled(1L, "a", SECRET, SECRET))));

      assertThat(causes(t))
          .anySatisfy(
              c ->
                  assertThat(c)
                      .hasMessageStartingWith(
                          "labelled.secret is bound to the row id, which needs associated data:"));
      Leaks.assertNoLeak(t, SECRET);
    }
  }
}
