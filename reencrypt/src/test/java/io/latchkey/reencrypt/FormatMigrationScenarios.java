package io.latchkey.reencrypt;

import static io.latchkey.reencrypt.CredentialsTable.CANARY;
import static io.latchkey.reencrypt.CredentialsTable.plaintext;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.InvalidTokenException;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.aead.AssociatedData;
import io.latchkey.crypto.aead.MigrationKeyRing;
import io.latchkey.crypto.aead.TokenFormat;
import io.latchkey.reencrypt.ReencryptionReport.TargetResult;
import io.latchkey.testsupport.StderrCapture;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The job across formats, on a real database: a column moved from Fernet to AES-GCM (bound to its
 * rows) and back, AES-GCM keys rotated, and plaintext rows encrypted in place, with the same
 * compare-and-set, resume and report guarantees as a Fernet rotation. Subclasses supply the
 * database.
 */
abstract class FormatMigrationScenarios {
  static final Function<Long, AssociatedData> BY_ROW =
      id -> AssociatedData.forRow("credentials", "secret", id);

  final FernetKeyRing fernet = FernetKeyRing.of(FernetKey.generate());
  final AesGcmKey oldAes = AesGcmKey.generate();
  final AesGcmKey newAes = AesGcmKey.generate();
  final AesGcmKeyRing aesOnly = AesGcmKeyRing.of(newAes);
  final MigrationKeyRing toAes = MigrationKeyRing.toAesGcm(aesOnly, fernet);

  CredentialsTable table;

  /** A data source on a database where the test may drop and create {@code credentials}. */
  abstract DataSource dataSource() throws Exception;

  @BeforeEach
  void createTable() throws Exception {
    table = new CredentialsTable(dataSource()).recreate();
  }

  /** Checks that every listed row is an AES-GCM token under the new key, bound to its row. */
  void assertBoundUnderNewKey(Map<Long, String> secrets, long fromId, long toId) {
    for (long id = fromId; id <= toId; id++) {
      String token = secrets.get(id);
      assertThat(aesOnly.isPrimary(token, BY_ROW.apply(id))).as("row %d", id).isTrue();
      assertThat(aesOnly.decrypt(token, BY_ROW.apply(id))).asString(UTF_8).isEqualTo(plaintext(id));
    }
  }

  @Test
  void fernetToAesGcm_boundToRows_convertsEveryRowKeepingTimestamps() throws Exception {
    table.insertEncrypted(1, 2_000, fernet);
    table.set(3, null);
    table.set(4, aesOnly.encrypt(plaintext(4).getBytes(UTF_8), BY_ROW.apply(4L)));
    Instant madeAt = fernet.extractTimestamp(table.secrets().get(77L));
    // Fernet's timestamps are kept only by an AES-GCM ring that writes the timed layout.
    MigrationKeyRing timed = MigrationKeyRing.toAesGcm(aesOnly.withTimestamps(true), fernet);

    ReencryptionReport report =
        ReencryptionJob.builder(timed).target(table.store().build(), BY_ROW).build().run();

    assertThat(report.isClean()).as(report.toString()).isTrue();
    assertThat(report.primaryKeyId()).isEqualTo(newAes.id());
    assertThat(report.rotated()).isEqualTo(1_998);
    assertThat(report.alreadyCurrent()).isEqualTo(1);
    assertThat(report.empty()).isEqualTo(1);
    Map<Long, String> secrets = table.secrets();
    assertBoundUnderNewKey(secrets, 5, 2_000);
    assertBoundUnderNewKey(secrets, 1, 2);
    assertThat(aesOnly.extractTimestamp(secrets.get(77L), BY_ROW.apply(77L))).isEqualTo(madeAt);

    // An AES-GCM token copied from another row fails the next run instead of being rotated into
    // place.
    table.set(9, secrets.get(8L));
    ReencryptionReport rerun =
        ReencryptionJob.builder(toAes).target(table.store().build(), BY_ROW).build().run();
    assertThat(rerun.isClean()).isFalse();
    assertThat(rerun.failed()).isEqualTo(1);
    assertThat(rerun.targets().get(0).failures())
        .containsExactly(
            new ReencryptionReport.Failure(
                "9", InvalidTokenException.Reason.WRONG_KEY_OR_TAMPERED.message()));
    assertThat(table.secrets().get(9L)).isEqualTo(secrets.get(8L));
  }

  /**
   * The documented exception to binding: a Fernet token carries no associated data, so one copied
   * from another row before the move is read like any other, converted, and bound to the row it is
   * in now. Only AES-GCM tokens are caught when copied.
   */
  @Test
  void fernetToAesGcm_boundToRows_fernetTokenCopiedFromAnotherRowIsConvertedAndBoundToItsNewRow()
      throws Exception {
    table.insertEncrypted(1, 3, fernet);
    table.set(2, table.secrets().get(1L));

    ReencryptionReport report =
        ReencryptionJob.builder(toAes).target(table.store().build(), BY_ROW).build().run();

    assertThat(report.isClean()).as(report.toString()).isTrue();
    assertThat(report.failed()).isZero();
    assertThat(report.rotated()).isEqualTo(3);
    Map<Long, String> secrets = table.secrets();
    assertThat(aesOnly.decrypt(secrets.get(2L), BY_ROW.apply(2L)))
        .as("row 2 holds row 1's plaintext, now bound to row 2")
        .asString(UTF_8)
        .isEqualTo(plaintext(1));
    assertBoundUnderNewKey(secrets, 1, 1);
    assertBoundUnderNewKey(secrets, 3, 3);
  }

  /**
   * A CHAR(n) column that holds Fernet tokens of one length: the database would pad the shorter
   * AES-GCM tokens, which would then not read back as written. It is refused before anything is
   * read.
   */
  @Test
  void fernetToAesGcm_fixedWidthCharColumn_isRefusedBeforeAnythingIsWritten() throws Exception {
    int width = fernet.encrypt(plaintext(10).getBytes(UTF_8)).length();
    table.execute("DROP TABLE credentials");
    table.execute(
        "CREATE TABLE credentials (id BIGINT PRIMARY KEY, tenant_id INT NOT NULL, secret CHAR("
            + width
            + "))");
    table.insertEncrypted(10, 20, fernet); // ids 10..29: every token exactly `width` long
    Map<Long, String> before = table.secrets();

    assertThatThrownBy(
            () -> ReencryptionJob.builder(toAes).target(table.store().build()).build().run())
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigException.Problem::reason)
                    .singleElement()
                    .satisfies(
                        r ->
                            assertThat(r)
                                .startsWith(
                                    "ciphertext column secret of table credentials has type ")
                                .contains("which is fixed-width: the database pads a shorter token")
                                .endsWith("use a variable-width type such as VARCHAR or TEXT")));
    assertThat(table.secrets()).isEqualTo(before);
  }

  @Test
  void aesGcmToFernet_readsEachRowWithItsAssociatedData() throws Exception {
    table.insert(1, 300, id -> aesOnly.encrypt(plaintext(id).getBytes(UTF_8), BY_ROW.apply(id)));
    MigrationKeyRing back = MigrationKeyRing.toFernet(fernet, aesOnly);

    ReencryptionReport report =
        ReencryptionJob.builder(back).target(table.store().build(), BY_ROW).build().run();

    assertThat(report.isClean()).as(report.toString()).isTrue();
    assertThat(report.rotated()).isEqualTo(300);
    assertThat(report.primaryKeyId()).isEqualTo(fernet.primaryKeyId());
    table
        .secrets()
        .forEach(
            (id, token) -> {
              assertThat(TokenFormat.detect(token)).contains(TokenFormat.FERNET);
              assertThat(fernet.decrypt(token)).asString(UTF_8).isEqualTo(plaintext(id));
            });
  }

  @Test
  void aesGcmKeyRotation_boundToRows_movesOldKeyTokensToTheNewKey() throws Exception {
    AesGcmKeyRing old = AesGcmKeyRing.of(oldAes);
    table.insert(1, 500, id -> old.encrypt(plaintext(id).getBytes(UTF_8), BY_ROW.apply(id)));
    List<AesGcmKey> many = new ArrayList<>(List.of(newAes));
    for (int i = 0; i < 98; i++) {
      many.add(AesGcmKey.generate());
    }
    many.add(oldAes);
    AesGcmKeyRing ring = AesGcmKeyRing.builder().keys(many).build();

    ReencryptionReport report =
        ReencryptionJob.builder(ring).target(table.store().build(), BY_ROW).build().run();

    assertThat(report.isClean()).isTrue();
    assertThat(report.rotated()).isEqualTo(500);
    assertBoundUnderNewKey(table.secrets(), 1, 500);
    ReencryptionReport verify =
        ReencryptionJob.builder(aesOnly).target(table.store().build(), BY_ROW).build().run();
    assertThat(verify.isClean()).isTrue();
    assertThat(verify.alreadyCurrent()).isEqualTo(500);
  }

  @Test
  void migration_applicationWritesDuringTheRun_keepsTheApplicationsValue() throws Exception {
    table.insertEncrypted(1, 50, fernet);
    String appValue = toAes.encrypt((CANARY + "app").getBytes(UTF_8), BY_ROW.apply(17L));
    CiphertextStore<Long> store =
        new ConcurrentWriteStore(table.store().build(), 17, () -> table.set(17, appValue));

    ReencryptionReport report =
        ReencryptionJob.builder(toAes).target(store, BY_ROW).batchSize(10).build().run();

    assertThat(report.skippedChanged()).isEqualTo(1);
    assertThat(report.rotated()).isEqualTo(49);
    assertThat(report.isClean()).isFalse();
    assertThat(table.secrets().get(17L)).isEqualTo(appValue);
    ReencryptionReport rerun =
        ReencryptionJob.builder(toAes).target(table.store().build(), BY_ROW).build().run();
    assertThat(rerun.isClean()).isTrue();
    assertThat(rerun.alreadyCurrent()).isEqualTo(50);
  }

  @Test
  void migration_stoppedMidRun_isFinishedByRunningAgain() throws Exception {
    table.insertEncrypted(1, 1_000, fernet);
    ReencryptionJob job =
        StoppingJob.after(
            300,
            ReencryptionJob.builder(toAes).target(table.store().build(), BY_ROW).batchSize(100));

    ReencryptionReport stopped = job.run();

    assertThat(stopped.isStopped()).isTrue();
    assertThat(stopped.rotated()).isEqualTo(300);
    Map<Long, String> mid = table.secrets();
    assertBoundUnderNewKey(mid, 1, 300);
    assertThat(TokenFormat.detect(mid.get(301L))).contains(TokenFormat.FERNET);

    ReencryptionReport rest =
        ReencryptionJob.builder(toAes).target(table.store().build(), BY_ROW).build().run();

    assertThat(rest.isClean()).isTrue();
    assertThat(rest.alreadyCurrent()).isEqualTo(300);
    assertThat(rest.rotated()).isEqualTo(700);
    assertBoundUnderNewKey(table.secrets(), 1, 1_000);
  }

  /** Rows 1..100 plaintext, 101..150 Fernet, 151..160 AES-GCM, 161 NULL, 162 a broken token. */
  void insertPartlyPlaintext() throws SQLException {
    table.insert(1, 100, CredentialsTable::plaintext);
    table.insertEncrypted(101, 50, fernet);
    table.insert(151, 10, id -> aesOnly.encrypt(plaintext(id).getBytes(UTF_8), BY_ROW.apply(id)));
    table.insert(161, 1, id -> null);
    table.insert(162, 1, id -> "lk.not-a-real-token");
  }

  @Test
  void encryptPlaintext_encryptsPlaintextRowsInPlace_andNeverEncryptsATokenAgain()
      throws Exception {
    insertPartlyPlaintext();
    ReencryptionReport report;
    String log;
    try (StderrCapture err = StderrCapture.start()) {
      report =
          ReencryptionJob.builder(toAes)
              .target(table.store().build(), BY_ROW)
              .encryptPlaintext(true)
              .batchSize(25)
              .build()
              .run();
      log = err.text();
    }

    TargetResult t = report.targets().get(0);
    assertThat(t.encrypted()).isEqualTo(100);
    assertThat(t.rotated()).isEqualTo(50);
    assertThat(t.alreadyCurrent()).isEqualTo(10);
    assertThat(t.empty()).isEqualTo(1);
    assertThat(t.failed()).isEqualTo(1);
    assertThat(t.failures())
        .containsExactly(
            new ReencryptionReport.Failure(
                "162", InvalidTokenException.Reason.MALFORMED.message()));
    assertThat(report.toString())
        .contains("encrypted")
        .contains("162")
        .doesNotContain(CANARY)
        .doesNotContain("lk.");
    assertThat(log).doesNotContain(CANARY).doesNotContain("lk.not");
    Map<Long, String> secrets = table.secrets();
    assertBoundUnderNewKey(secrets, 1, 160);
    assertThat(secrets.get(162L)).isEqualTo("lk.not-a-real-token");

    table.set(162, null);
    ReencryptionReport rerun =
        ReencryptionJob.builder(toAes)
            .target(table.store().build(), BY_ROW)
            .encryptPlaintext(true)
            .build()
            .run();
    assertThat(rerun.isClean()).as(rerun.toString()).isTrue();
    assertThat(rerun.encrypted()).isZero();
    assertThat(rerun.alreadyCurrent()).isEqualTo(160);
  }

  @Test
  void encryptPlaintext_dryRun_countsWithoutWriting_andIsNotClean() throws Exception {
    table.insert(1, 20, CredentialsTable::plaintext);
    ReencryptionReport report =
        ReencryptionJob.builder(aesOnly)
            .target(table.store().build())
            .encryptPlaintext(true)
            .dryRun(true)
            .build()
            .run();
    assertThat(report.encrypted()).isEqualTo(20);
    assertThat(report.isClean()).isFalse();
    assertThat(report.toString()).contains("to encrypt");
    assertThat(report.notes()).containsExactly(ReencryptionJob.SINGLE_KEY_PLAINTEXT_NOTE);
    assertThat(table.secrets().get(1L)).isEqualTo(plaintext(1));
  }

  @Test
  void plaintextRows_withoutThePlaintextMode_failAndAreLeftAsTheyAre() throws Exception {
    table.insert(1, 5, CredentialsTable::plaintext);
    ReencryptionReport report =
        ReencryptionJob.builder(aesOnly).target(table.store().build(), BY_ROW).build().run();
    assertThat(report.failed()).isEqualTo(5);
    assertThat(report.encrypted()).isZero();
    assertThat(table.secrets().get(1L)).isEqualTo(plaintext(1));
  }

  @Test
  void binding_withARingThatHasNoAssociatedData_isRefused() throws Exception {
    JdbcCiphertextStore<Long> store = table.store().build();
    assertThatThrownBy(() -> ReencryptionJob.builder(fernet).target(store, BY_ROW).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("AeadKeyRing");
  }
}
