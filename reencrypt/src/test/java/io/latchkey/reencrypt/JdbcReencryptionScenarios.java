package io.latchkey.reencrypt;

import static io.latchkey.reencrypt.CredentialsTable.CANARY;
import static io.latchkey.reencrypt.CredentialsTable.plaintext;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.InvalidTokenException;
import io.latchkey.LatchkeyException;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.reencrypt.ReencryptionReport.Failure;
import io.latchkey.reencrypt.ReencryptionReport.TargetResult;
import io.latchkey.reencrypt.h2.CuttingTrigger;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.StderrCapture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scenarios every SQL database must pass; subclasses supply the database (H2, an embedded
 * PostgreSQL, a PostgreSQL container).
 */
abstract class JdbcReencryptionScenarios {
  static final String CORRUPT = "not-a-fernet-token";

  final FernetKey oldKey = FernetKey.generate();
  final FernetKey newKey = FernetKey.generate();
  final FernetKey strangerKey = FernetKey.generate();
  final FernetKeyRing oldRing = FernetKeyRing.of(oldKey);
  final FernetKeyRing ring = FernetKeyRing.of(newKey, oldKey);
  final FernetKeyRing newOnly = FernetKeyRing.of(newKey);

  CredentialsTable table;

  /** A data source on a database where the test may drop and create {@code credentials}. */
  abstract DataSource dataSource() throws Exception;

  @BeforeEach
  void createTable() throws Exception {
    table = new CredentialsTable(dataSource()).recreate();
  }

  ReencryptionJob.Builder job(FernetKeyRing keys, CiphertextStore<?> store) {
    return ReencryptionJob.builder(keys).target(store);
  }

  /** Checks that every listed row decrypts under the new key alone to its expected plaintext. */
  void assertUnderNewKey(Map<Long, String> secrets, long fromId, long toId) {
    for (long id = fromId; id <= toId; id++) {
      String token = secrets.get(id);
      assertThat(newOnly.isPrimary(token)).as("row %d under the new key", id).isTrue();
      assertThat(newOnly.decrypt(token)).asString(UTF_8).isEqualTo(plaintext(id));
    }
  }

  @Test
  void run_thousandsOfRowsUnderOldKey_rotatesEveryRow() throws Exception {
    table.insertEncrypted(1, 5_000, oldRing);
    Instant madeAt = oldRing.extractTimestamp(table.secrets().get(77L));
    List<ProgressListener.Progress> events = new ArrayList<>();

    ReencryptionReport report =
        job(ring, table.store().build()).progress(events::add).build().run();

    assertThat(report.isClean()).isTrue();
    assertThat(report.scanned()).isEqualTo(5_000);
    assertThat(report.rotated()).isEqualTo(5_000);
    assertThat(report.failed()).isZero();
    TargetResult t = report.targets().get(0);
    assertThat(t.name()).isEqualTo("credentials.secret");
    assertThat(t.completed()).isTrue();
    assertThat(t.lastKey()).contains("5000");
    Map<Long, String> secrets = table.secrets();
    assertThat(secrets).hasSize(5_000);
    assertUnderNewKey(secrets, 1, 5_000);
    // Rotation keeps each token's timestamp.
    assertThat(newOnly.extractTimestamp(secrets.get(77L))).isEqualTo(madeAt);
    assertThat(events).hasSize(10);
    assertThat(events.get(9))
        .isEqualTo(
            new ProgressListener.Progress(
                "credentials.secret", 5_000, OptionalLong.of(5_000), 5_000, 0));
  }

  /** Rows: 1 current, 2 old, 3 NULL, 4 empty, 5 garbage, 6 under an unknown key, 7..106 old. */
  void insertMixedRows() throws SQLException {
    table.insert(
        1,
        6,
        id ->
            switch ((int) id) {
              case 1 -> newOnly.encrypt(plaintext(id).getBytes(UTF_8));
              case 2 -> oldRing.encrypt(plaintext(id).getBytes(UTF_8));
              case 3 -> null;
              case 4 -> "";
              case 5 -> CORRUPT;
              default -> FernetKeyRing.of(strangerKey).encrypt(plaintext(id).getBytes(UTF_8));
            });
    table.insertEncrypted(7, 100, oldRing);
  }

  @Test
  void run_mixedRows_countsEachKindAndNeverTouchesFailedRows() throws Exception {
    insertMixedRows();
    Map<Long, String> before = table.secrets();

    ReencryptionReport report = job(ring, table.store().build()).batchSize(10).build().run();

    TargetResult t = report.targets().get(0);
    assertThat(t.scanned()).isEqualTo(106);
    assertThat(t.rotated()).isEqualTo(101);
    assertThat(t.alreadyCurrent()).isEqualTo(1);
    assertThat(t.empty()).isEqualTo(2);
    assertThat(t.failed()).isEqualTo(2);
    assertThat(t.skippedChanged()).isZero();
    assertThat(t.failures())
        .containsExactly(
            new Failure("5", InvalidTokenException.Reason.MALFORMED.message()),
            new Failure("6", InvalidTokenException.Reason.WRONG_KEY_OR_TAMPERED.message()));
    assertThat(report.isClean()).isFalse();
    assertThat(report.toString())
        .contains("credentials.secret key 5:", "credentials.secret key 6:");

    Map<Long, String> after = table.secrets();
    assertThat(after.get(1L)).isEqualTo(before.get(1L));
    assertThat(after.get(3L)).isNull();
    assertThat(after.get(4L)).isEmpty();
    assertThat(after.get(5L)).isEqualTo(CORRUPT);
    assertThat(after.get(6L)).isEqualTo(before.get(6L));
    assertUnderNewKey(after, 1, 2);
    assertUnderNewKey(after, 7, 106);
  }

  @Test
  void run_dryRun_countsButWritesNothing() throws Exception {
    insertMixedRows();
    Map<Long, String> before = table.secrets();

    ReencryptionReport report =
        job(ring, table.store().build()).batchSize(7).dryRun(true).build().run();

    assertThat(report.isDryRun()).isTrue();
    assertThat(report.rotated()).isEqualTo(101);
    assertThat(report.alreadyCurrent()).isEqualTo(1);
    assertThat(report.failed()).isEqualTo(2);
    assertThat(report.toString()).contains("dry run", "to rotate");
    assertThat(table.secrets()).isEqualTo(before);
  }

  @Test
  void run_withFilter_touchesOnlyMatchingRows() throws Exception {
    table.insertEncrypted(1, 300, oldRing);

    ReencryptionReport report =
        job(ring, table.store().filter("tenant_id = 1").build()).batchSize(40).build().run();

    assertThat(report.scanned()).isEqualTo(100);
    assertThat(report.rotated()).isEqualTo(100);
    assertThat(report.isClean()).isTrue();
    table
        .secrets()
        .forEach(
            (id, token) ->
                assertThat(newOnly.isPrimary(token)).as("row %d", id).isEqualTo(id % 3 == 1));
  }

  @Test
  void run_tableDoesNotExist_failsNamingTheTable() throws Exception {
    table.insertEncrypted(1, 3, oldRing);
    JdbcCiphertextStore<Long> store =
        JdbcCiphertextStore.builder(table.dataSource(), Long.class)
            .table("credentialz")
            .keyColumn("id")
            .ciphertextColumn("secret")
            .build();

    assertThatThrownBy(() -> job(ring, store).build().run())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("credentialz.secret: table credentialz does not exist")
        .hasMessageContaining("SQLState");
  }

  @Test
  void run_columnsDoNotExist_failsNamingEachColumn() throws Exception {
    table.insertEncrypted(1, 3, oldRing);
    JdbcCiphertextStore<Long> store =
        table.store().keyColumn("ident").ciphertextColumn("secrett").build();

    assertThatThrownBy(() -> job(ring, store).build().run())
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigException.Problem::reason)
                    .satisfiesExactly(
                        r ->
                            assertThat(r)
                                .startsWith("key column ident does not exist in table credentials"),
                        r ->
                            assertThat(r)
                                .startsWith(
                                    "ciphertext column secrett does not exist in table"
                                        + " credentials")));
    assertThat(table.secrets().values()).allSatisfy(s -> assertThat(oldRing.isPrimary(s)).isTrue());
  }

  @Test
  void run_ciphertextColumnNotCharacters_failsNamingTheType() throws Exception {
    JdbcCiphertextStore<Long> store = table.store().ciphertextColumn("tenant_id").build();

    assertThatThrownBy(() -> job(ring, store).build().run())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ciphertext column tenant_id has type")
        .hasMessageContaining("expected a character type");
  }

  @Test
  void run_invalidFilter_failsNamingTheFilter() throws Exception {
    JdbcCiphertextStore<Long> store = table.store().filter("no_such_column = 1").build();

    assertThatThrownBy(() -> job(ring, store).build().run())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("filter is not a valid condition on table credentials");
  }

  @Test
  void run_applicationWritesBetweenReadAndWrite_keepsApplicationValue() throws Exception {
    table.insertEncrypted(1, 50, oldRing);
    String appValue = ring.encrypt((CANARY + "written-by-the-app").getBytes(UTF_8));
    JdbcCiphertextStore<Long> jdbc = table.store().build();
    // Between this job's read of a page holding row 17 and its write, the application updates
    // row 17 through its own connection.
    CiphertextStore<Long> store = new ConcurrentWriteStore(jdbc, 17, () -> table.set(17, appValue));

    ReencryptionReport report = job(ring, store).batchSize(10).build().run();

    assertThat(report.skippedChanged()).isEqualTo(1);
    assertThat(report.rotated()).isEqualTo(49);
    // The run did not read what the application wrote: it cannot say that row is readable.
    assertThat(report.isClean()).isFalse();
    assertThat(report.problems())
        .containsExactly(
            "credentials.secret: 1 row changed by the application during the run and not"
                + " verified: run again to confirm");
    Map<Long, String> secrets = table.secrets();
    assertThat(secrets.get(17L)).isEqualTo(appValue);
    assertUnderNewKey(secrets, 1, 16);
    assertUnderNewKey(secrets, 18, 50);

    ReencryptionReport rerun = job(ring, table.store().build()).batchSize(10).build().run();

    assertThat(rerun.isClean()).isTrue();
    assertThat(rerun.alreadyCurrent()).isEqualTo(50);
  }

  @Test
  void run_encryptPlaintextWithDamagedTokens_failsThemUntouchedAndIsNotClean() throws Exception {
    String good = oldRing.encrypt(plaintext(1).getBytes(UTF_8));
    String full = oldRing.encrypt(plaintext(3).getBytes(UTF_8));
    Map<Long, String> damaged =
        Map.of(
            1L, good + "\n",
            2L, oldRing.encrypt(plaintext(2).getBytes(UTF_8)) + " ",
            3L, full.substring(0, full.length() - 4),
            4L, "\t" + oldRing.encrypt(plaintext(4).getBytes(UTF_8)));
    table.insert(1, 4, damaged::get);
    table.insert(5, 1, id -> CANARY + "plain-" + id);
    table.insertEncrypted(6, 1, oldRing);

    ReencryptionReport report =
        job(ring, table.store().build()).encryptPlaintext(true).build().run();

    assertThat(report.failed()).isEqualTo(4);
    assertThat(report.encrypted()).isEqualTo(1);
    assertThat(report.rotated()).isEqualTo(1);
    assertThat(report.isClean()).isFalse();
    Map<Long, String> secrets = table.secrets();
    for (long id = 1; id <= 4; id++) {
      assertThat(secrets.get(id)).as("row %d left byte-identical", id).isEqualTo(damaged.get(id));
    }
    assertThat(newOnly.decrypt(secrets.get(5L))).asString(UTF_8).isEqualTo(CANARY + "plain-5");
    assertUnderNewKey(secrets, 6, 6);
    List<Failure> failures = report.targets().get(0).failures();
    assertThat(failures).extracting(Failure::key).containsExactly("1", "2", "3", "4");
    assertThat(failures.get(0).reason()).startsWith("a token with whitespace in or around it");
    assertThat(failures.get(1).reason()).startsWith("a token with whitespace in or around it");
    assertThat(failures.get(2).reason()).startsWith("looks like a damaged token (truncated");
    assertThat(report.toString())
        .contains("credentials.secret key 3: looks like a damaged token (truncated, altered)");
    for (String value : damaged.values()) {
      Leaks.assertNoLeak("report", report.toString(), value.strip());
    }
  }

  @Test
  void run_applicationAddsATrailingSpaceBetweenReadAndWrite_keepsApplicationValue()
      throws Exception {
    table.insert(1, 3, id -> CANARY + "plain-" + id);
    String appValue = CANARY + "plain-2 ";
    CiphertextStore<Long> store =
        new ConcurrentWriteStore(table.store().build(), 2, () -> table.set(2, appValue));

    ReencryptionReport report = job(ring, store).encryptPlaintext(true).build().run();

    assertThat(report.skippedChanged()).isEqualTo(1);
    assertThat(report.encrypted()).isEqualTo(2);
    assertThat(report.isClean()).isFalse();
    assertThat(table.secrets().get(2L)).isEqualTo(appValue);
  }

  @Test
  void run_secondJobOnSameTarget_failsFastAndWritesNothing() throws Exception {
    table.insertEncrypted(1, 300, oldRing);
    AtomicReference<Throwable> second = new AtomicReference<>();
    AtomicInteger secondWrites = new AtomicInteger();
    ReencryptionJob first =
        job(ring, table.store().build())
            .batchSize(100)
            .progress(
                p -> {
                  if (p.scanned() == 100) {
                    CiphertextStore<Long> other =
                        new ForwardingStore<>(table.store().build()) {
                          @Override
                          public List<Boolean> compareAndSet(List<CiphertextUpdate<Long>> u) {
                            secondWrites.incrementAndGet();
                            return super.compareAndSet(u);
                          }
                        };
                    try {
                      job(ring, other).build().run();
                    } catch (RuntimeException e) {
                      second.set(e);
                    }
                  }
                })
            .build();

    ReencryptionReport report = first.run();

    assertThat(second.get())
        .isInstanceOf(LatchkeyException.class)
        .hasMessage("credentials.secret: another re-encryption job holds the lock");
    assertThat(secondWrites).hasValue(0);
    assertThat(report.rotated()).isEqualTo(300);
    // The lock is released when the first job ends.
    assertThat(job(ring, table.store().build()).build().run().alreadyCurrent()).isEqualTo(300);
  }

  @Test
  void run_ringWithOnlyPrimaryKeyAndEveryRowUnderIt_verifiesEveryRowAndIsClean() throws Exception {
    table.insertEncrypted(1, 250, newOnly);
    table.insert(251, 2, id -> id == 251 ? null : "");
    Map<Long, String> before = table.secrets();
    AtomicInteger pages = new AtomicInteger();
    CiphertextStore<Long> store =
        new ForwardingStore<>(table.store().build()) {
          @Override
          public List<StoredCiphertext<Long>> page(Optional<Long> after, int limit) {
            pages.incrementAndGet();
            return super.page(after, limit);
          }
        };

    ReencryptionReport report;
    String log;
    try (StderrCapture err = StderrCapture.start()) {
      report = job(newOnly, store).batchSize(100).build().run();
      log = err.text();
    }

    assertThat(pages).hasValue(4); // three full or partial pages, then the empty one
    assertThat(report.notes()).containsExactly(ReencryptionJob.SINGLE_KEY_NOTE);
    TargetResult t = report.targets().get(0);
    assertThat(t.scanned()).isEqualTo(252);
    assertThat(t.alreadyCurrent()).isEqualTo(250);
    assertThat(t.empty()).isEqualTo(2);
    assertThat(t.rotated()).isZero();
    assertThat(t.countedAtStart()).hasValue(252);
    assertThat(t.countedAtEnd()).hasValue(252);
    assertThat(report.isClean()).isTrue();
    assertThat(report.toString())
        .endsWith(
            "result: clean: all 252 rows read; every value is under the primary key; 2 rows hold"
                + " no value (NULL or empty); "
                + ReencryptionReport.NOT_COVERED);
    assertThat(log).contains(ReencryptionJob.SINGLE_KEY_NOTE);
    assertThat(table.secrets()).isEqualTo(before);
  }

  @Test
  void run_ringWithOnlyPrimaryKeyAndARowUnderTheOldKey_reportsThatRowByKeyAndIsNotClean()
      throws Exception {
    table.insertEncrypted(1, 120, newOnly);
    String old = oldRing.encrypt(plaintext(17).getBytes(UTF_8));
    table.set(17, old);
    table.set(40, CORRUPT);
    Map<Long, String> before = table.secrets();

    ReencryptionReport report = job(newOnly, table.store().build()).batchSize(50).build().run();

    assertThat(report.isClean()).isFalse();
    assertThat(report.scanned()).isEqualTo(120);
    assertThat(report.alreadyCurrent()).isEqualTo(118);
    assertThat(report.targets().get(0).failures())
        .containsExactly(
            new Failure("17", InvalidTokenException.Reason.WRONG_KEY_OR_TAMPERED.message()),
            new Failure("40", InvalidTokenException.Reason.MALFORMED.message()));
    assertThat(report.toString())
        .contains("credentials.secret key 17: ", "credentials.secret key 40: ")
        .endsWith("result: NOT clean: 2 rows cannot be read with any key of the ring");
    assertThat(table.secrets()).isEqualTo(before);
  }

  @Test
  void run_dryRunWithRowsUnderTheOldKey_isNeverClean() throws Exception {
    table.insertEncrypted(1, 30, oldRing);

    ReencryptionReport report = job(ring, table.store().build()).dryRun(true).build().run();

    assertThat(report.rotated()).isEqualTo(30);
    assertThat(report.isClean()).isFalse();
    assertThat(report.verdict()).contains("dry run: 30 rows not under the primary key yet");
  }

  @Test
  void run_nullableKeyColumnHoldingNulls_isRefusedBeforeAnyReadNamingTableAndColumn()
      throws Exception {
    table.execute("DROP TABLE IF EXISTS loose");
    table.execute(
        "CREATE TABLE loose (id BIGINT PRIMARY KEY, ext_id BIGINT UNIQUE, secret VARCHAR(4000))");
    table.execute(
        "INSERT INTO loose VALUES (1, 10, '"
            + oldRing.encrypt(plaintext(1).getBytes(UTF_8))
            + "'), (2, NULL, '"
            + oldRing.encrypt(plaintext(2).getBytes(UTF_8))
            + "'), (3, NULL, '"
            + oldRing.encrypt(plaintext(3).getBytes(UTF_8))
            + "')");
    JdbcCiphertextStore<Long> store =
        JdbcCiphertextStore.builder(table.dataSource(), Long.class)
            .table("loose")
            .keyColumn("ext_id")
            .ciphertextColumn("secret")
            .build();

    assertThatThrownBy(() -> job(ring, store).batchSize(1).build().run())
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        new ConfigException.Problem(
                            "loose.secret",
                            "key column ext_id of table loose allows NULL: rows with a NULL key"
                                + " would never be read; declare it NOT NULL; use the"
                                + " primary-key column id")));
    assertThatThrownBy(() -> store.page(Optional.empty(), 10)).isInstanceOf(ConfigException.class);
  }

  @Test
  void run_nonUniqueKeyColumnWithSmallBatches_isRefusedNamingTableAndColumn() throws Exception {
    table.insertEncrypted(1, 9, oldRing); // tenant_id is id % 3: three rows share each value
    Map<Long, String> before = table.secrets();
    JdbcCiphertextStore<Integer> store =
        JdbcCiphertextStore.builder(table.dataSource(), Integer.class)
            .table("credentials")
            .keyColumn("tenant_id")
            .ciphertextColumn("secret")
            .build();

    assertThatThrownBy(() -> job(ring, store).batchSize(2).build().run())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "key column tenant_id of table credentials is not unique on its own (no primary key or"
                + " unconditional unique index on exactly that column): rows sharing a key value"
                + " could be skipped between pages; use the primary-key column id");
    assertThat(table.secrets()).isEqualTo(before);
  }

  @Test
  void run_keyColumnPartOfACompositePrimaryKey_isRefused() throws Exception {
    table.execute("DROP TABLE IF EXISTS pairs");
    table.execute(
        "CREATE TABLE pairs (a BIGINT NOT NULL, b BIGINT NOT NULL, secret VARCHAR(4000),"
            + " PRIMARY KEY (a, b))");
    JdbcCiphertextStore<Long> store =
        JdbcCiphertextStore.builder(table.dataSource(), Long.class)
            .table("pairs")
            .keyColumn("a")
            .ciphertextColumn("secret")
            .build();

    assertThatThrownBy(() -> job(ring, store).build().run())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key column a of table pairs is not unique on its own")
        .hasMessageContaining("use a unique, NOT NULL column such as a primary key");
  }

  @Test
  void run_uniqueNotNullKeyColumnThatIsNotThePrimaryKey_isAcceptedAndClean() throws Exception {
    table.execute("DROP TABLE IF EXISTS handles");
    table.execute(
        "CREATE TABLE handles (id BIGINT PRIMARY KEY, handle VARCHAR(40) NOT NULL,"
            + " secret VARCHAR(4000), CONSTRAINT handles_handle UNIQUE (handle))");
    table.execute(
        "INSERT INTO handles VALUES (1, 'b', '"
            + oldRing.encrypt(plaintext(1).getBytes(UTF_8))
            + "'), (2, 'a', '"
            + oldRing.encrypt(plaintext(2).getBytes(UTF_8))
            + "'), (3, 'c', NULL)");
    JdbcCiphertextStore<String> store =
        JdbcCiphertextStore.builder(table.dataSource(), String.class)
            .table("handles")
            .keyColumn("handle")
            .ciphertextColumn("secret")
            .build();

    ReencryptionReport report = job(ring, store).batchSize(1).build().run();

    assertThat(report.isClean()).as(report.toString()).isTrue();
    assertThat(report.rotated()).isEqualTo(2);
    assertThat(report.empty()).isEqualTo(1);
  }

  /** Whether the scenario runs on PostgreSQL, whose DDL differs from H2's here and there. */
  boolean postgres() throws SQLException {
    try (Connection c = table.dataSource().getConnection()) {
      return "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
    }
  }

  /** Every secret of a table keyed by {@code id}, in key order. */
  List<String> secretsOf(String tableName) throws SQLException {
    List<String> secrets = new ArrayList<>();
    try (Connection c = table.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT secret FROM " + tableName + " ORDER BY id")) {
      while (rs.next()) {
        secrets.add(rs.getString(1));
      }
    }
    return secrets;
  }

  /**
   * A table keyed by a binary column (a UUID stored as 16 bytes, common on MySQL), read with {@code
   * Object} keys: the driver returns byte arrays, which equal only themselves, so no row could be
   * matched for writing back. It is refused before anything is read.
   */
  @Test
  void run_binaryKeyColumn_isRefusedNamingTableAndColumn() throws Exception {
    table.execute("DROP TABLE IF EXISTS bins");
    table.execute(
        "CREATE TABLE bins (id "
            + (postgres() ? "BYTEA" : "VARBINARY(16)")
            + " PRIMARY KEY, secret VARCHAR(4000))");
    try (Connection c = table.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO bins VALUES (?, ?)")) {
      for (int i = 1; i <= 5; i++) {
        ps.setBytes(1, new byte[] {0, 0, 0, (byte) i});
        ps.setString(2, oldRing.encrypt(plaintext(i).getBytes(UTF_8)));
        ps.executeUpdate();
      }
    }
    List<String> before = secretsOf("bins");
    JdbcCiphertextStore<Object> store =
        JdbcCiphertextStore.builder(table.dataSource(), Object.class)
            .table("bins")
            .keyColumn("id")
            .ciphertextColumn("secret")
            .build();

    assertThatThrownBy(() -> job(ring, store).build().run())
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .satisfies(
                        p -> {
                          assertThat(p.setting()).isEqualTo("bins.secret");
                          assertThat(p.reason())
                              .startsWith("key column id of table bins has type ")
                              .contains("read as byte arrays")
                              .endsWith(
                                  "use a key column of a number, text or UUID type, such as the"
                                      + " primary key");
                        }));
    assertThat(secretsOf("bins")).isEqualTo(before);
  }

  @Test
  void run_keysReadAsAnArrayType_isRefusedNamingTableAndColumn() throws Exception {
    table.insertEncrypted(1, 3, oldRing);
    Map<Long, String> before = table.secrets();
    JdbcCiphertextStore<byte[]> store =
        JdbcCiphertextStore.builder(table.dataSource(), byte[].class)
            .table("credentials")
            .keyColumn("id")
            .ciphertextColumn("secret")
            .build();

    assertThatThrownBy(() -> job(ring, store).build().run())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "key column id of table credentials is read as byte[], an array: an array equals only"
                + " itself");
    assertThat(table.secrets()).isEqualTo(before);
  }

  /** H2 reports a UUID column as BINARY, but reads it as a UUID: it is a key like any other. */
  @Test
  void run_uuidKeyColumnReadAsObject_isAcceptedAndRotatesEveryRow() throws Exception {
    table.execute("DROP TABLE IF EXISTS uuids");
    table.execute("CREATE TABLE uuids (id UUID PRIMARY KEY, secret VARCHAR(4000))");
    try (Connection c = table.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO uuids VALUES (?, ?)")) {
      for (int i = 1; i <= 5; i++) {
        ps.setObject(1, UUID.randomUUID());
        ps.setString(2, oldRing.encrypt(plaintext(i).getBytes(UTF_8)));
        ps.executeUpdate();
      }
    }
    JdbcCiphertextStore<Object> store =
        JdbcCiphertextStore.builder(table.dataSource(), Object.class)
            .table("uuids")
            .keyColumn("id")
            .ciphertextColumn("secret")
            .build();

    ReencryptionReport report = job(ring, store).batchSize(2).build().run();

    assertThat(report.isClean()).as(report.toString()).isTrue();
    assertThat(report.rotated()).isEqualTo(5);
    assertThat(secretsOf("uuids")).allSatisfy(v -> assertThat(newOnly.isPrimary(v)).isTrue());
  }

  /**
   * Makes the database cut the last character off the secret row {@value CuttingTrigger#CUT_ROW} is
   * updated to, as a column that truncates does: the update count is 1 all the same.
   */
  void cutWrittenSecretOfRow3() throws SQLException {
    if (postgres()) {
      table.execute(
          "CREATE OR REPLACE FUNCTION latchkey_cut_secret() RETURNS trigger AS $$ BEGIN IF NEW.id"
              + " = 3 THEN NEW.secret := left(NEW.secret, length(NEW.secret) - 1); END IF;"
              + " RETURN NEW; END $$ LANGUAGE plpgsql");
      table.execute(
          "CREATE TRIGGER cut_secret BEFORE UPDATE ON credentials FOR EACH ROW EXECUTE PROCEDURE"
              + " latchkey_cut_secret()");
    } else {
      table.execute(
          "CREATE TRIGGER cut_secret BEFORE UPDATE ON credentials FOR EACH ROW CALL '"
              + CuttingTrigger.class.getName()
              + "'");
    }
  }

  @Test
  void run_columnThatAltersAWrittenToken_rollsTheBatchBackAndAbortsTheTarget() throws Exception {
    table.insertEncrypted(1, 12, oldRing);
    cutWrittenSecretOfRow3();
    Map<Long, String> before = table.secrets();

    ReencryptionReport report;
    String log;
    try (StderrCapture err = StderrCapture.start()) {
      report = job(ring, table.store().build()).batchSize(5).build().run();
      log = err.text();
    }

    TargetResult t = report.targets().get(0);
    assertThat(t.abortReason())
        .contains(
            "credentials.secret: 1 row of a batch of 5 did not read back as the token written to"
                + " column secret of table credentials (does the column pad, cut or convert what"
                + " it is given?); the batch was rolled back, so its rows still hold what they"
                + " held");
    assertThat(t.scanned()).isEqualTo(5);
    assertThat(t.rotated()).isZero();
    assertThat(report.isClean()).isFalse();
    assertThat(table.secrets()).as("nothing of the batch committed").isEqualTo(before);
    for (String text : List.of(report.toString(), log)) {
      assertThat(text).doesNotContain(CANARY).doesNotContain("gAAAAA");
    }

    table.execute("DROP TRIGGER cut_secret" + (postgres() ? " ON credentials" : ""));
    ReencryptionReport rerun = job(ring, table.store().build()).batchSize(5).build().run();

    assertThat(rerun.isClean()).as(rerun.toString()).isTrue();
    assertThat(rerun.rotated()).isEqualTo(12);
    assertUnderNewKey(table.secrets(), 1, 12);
  }

  @Test
  void run_rowInsertedByAnotherConnectionDuringTheRun_isNotCleanAndSaysWhy() throws Exception {
    table.insertEncrypted(1, 300, oldRing);
    ReencryptionJob job =
        job(ring, table.store().build())
            .batchSize(100)
            .progress(
                p -> {
                  if (p.scanned() == 100) {
                    try {
                      table.insertEncrypted(1_000, 1, ring); // the application, under the new key
                    } catch (SQLException e) {
                      throw new AssertionError(e);
                    }
                  }
                })
            .build();

    ReencryptionReport report = job.run();

    assertThat(report.scanned()).isEqualTo(301);
    assertThat(report.isClean()).isFalse();
    assertThat(report.problems())
        .containsExactly(
            "credentials.secret: rows were inserted or deleted during the run (300 counted at the"
                + " start, 301 at the end, 301 read): run again to confirm");
    assertThat(report.toString()).contains("300->301  done");
    assertThat(job(ring, table.store().build()).build().run().isClean()).isTrue();
  }

  @Test
  void run_rowDeletedByAnotherConnectionDuringTheRun_isNotCleanAndSaysWhy() throws Exception {
    table.insertEncrypted(1, 300, oldRing);
    ReencryptionJob job =
        job(ring, table.store().build())
            .batchSize(100)
            .progress(
                p -> {
                  if (p.scanned() == 100) {
                    try {
                      table.execute("DELETE FROM credentials WHERE id = 250");
                    } catch (SQLException e) {
                      throw new AssertionError(e);
                    }
                  }
                })
            .build();

    ReencryptionReport report = job.run();

    assertThat(report.scanned()).isEqualTo(299);
    assertThat(report.isClean()).isFalse();
    assertThat(report.verdict())
        .isEqualTo(
            "NOT clean: credentials.secret: rows were inserted or deleted during the run (300"
                + " counted at the start, 299 at the end, 299 read): run again to confirm");
  }

  @Test
  void run_storeWhosePagesMissARow_isNotCleanAndSaysRowsWereMissed() throws Exception {
    table.insertEncrypted(1, 120, oldRing);
    CiphertextStore<Long> skipping =
        new ForwardingStore<>(table.store().build()) {
          @Override
          public List<StoredCiphertext<Long>> page(Optional<Long> after, int limit) {
            return super.page(after, limit).stream().filter(r -> r.key() != 77L).toList();
          }
        };

    ReencryptionReport report = job(ring, skipping).batchSize(50).build().run();

    assertThat(report.isClean()).isFalse();
    assertThat(report.problems())
        .containsExactly(
            "credentials.secret: 119 rows read but 120 counted: the store's pages missed or"
                + " repeated rows (is its key unique and never NULL?)");
  }

  @Test
  void run_reportMessagesAndLogs_leakNoStoredValue() throws Exception {
    SplittableRandom random = new SplittableRandom(20_261_206L);
    List<String> values = new ArrayList<>();
    FernetKeyRing stranger = FernetKeyRing.of(strangerKey);
    table.insert(
        1,
        40,
        id -> {
          String plaintext = Leaks.randomSecret(random, 40);
          values.add(plaintext);
          FernetKeyRing by = id % 10 == 3 ? stranger : id % 2 == 0 ? newOnly : oldRing;
          String token = id == 5 ? CORRUPT : by.encrypt(plaintext.getBytes(UTF_8));
          values.add(token);
          return token;
        });
    JdbcCiphertextStore<Long> nonUnique = table.store().keyColumn("tenant_id").build();

    List<String> outputs = new ArrayList<>();
    try (StderrCapture err = StderrCapture.start()) {
      ReencryptionReport dual = job(ring, table.store().build()).batchSize(7).build().run();
      ReencryptionReport single = job(newOnly, table.store().build()).batchSize(7).build().run();
      ConfigException refused =
          catchThrowableOfType(ConfigException.class, () -> job(ring, nonUnique).build().run());
      for (ReencryptionReport r : List.of(dual, single)) {
        outputs.add(r.toString());
        outputs.addAll(r.problems());
        r.targets().forEach(t -> outputs.add(t.toString()));
        r.targets().forEach(t -> t.failures().forEach(f -> outputs.add(f.toString())));
      }
      outputs.add(refused.getMessage());
      for (String value : values) {
        Leaks.assertNoLeak(refused, value);
      }
      outputs.add(err.text());
      assertThat(dual.failed()).isEqualTo(5);
      assertThat(single.failed()).isEqualTo(5);
    }
    for (String output : outputs) {
      for (String value : values) {
        Leaks.assertNoLeak("report or log", output, value);
      }
    }
  }

  @Test
  void run_again_findsEverythingCurrentAndWritesNothing() throws Exception {
    insertMixedRows();
    job(ring, table.store().build()).batchSize(25).build().run();
    Map<Long, String> afterFirst = table.secrets();

    ReencryptionReport second = job(ring, table.store().build()).batchSize(25).build().run();

    assertThat(second.rotated()).isZero();
    assertThat(second.alreadyCurrent()).isEqualTo(102);
    assertThat(second.failed()).isEqualTo(2);
    assertThat(table.secrets()).isEqualTo(afterFirst);
  }

  @Test
  void stop_midRun_finishesTheBatchAndARerunCompletes() throws Exception {
    table.insertEncrypted(1, 1_000, oldRing);
    ReencryptionJob job = StoppingJob.after(300, job(ring, table.store().build()).batchSize(100));

    ReencryptionReport stopped = job.run();

    assertThat(stopped.isStopped()).isTrue();
    assertThat(stopped.isClean()).isFalse();
    TargetResult t = stopped.targets().get(0);
    assertThat(t.completed()).isFalse();
    assertThat(t.abortReason()).isEmpty();
    assertThat(t.lastKey()).contains("300");
    assertThat(t.rotated()).isEqualTo(300);
    assertThat(stopped.toString()).contains("stopped after key 300");
    Map<Long, String> mid = table.secrets();
    assertUnderNewKey(mid, 1, 300);
    assertThat(oldRing.isPrimary(mid.get(301L))).isTrue();

    ReencryptionReport rest = job(ring, table.store().build()).batchSize(100).build().run();

    assertThat(rest.isClean()).isTrue();
    assertThat(rest.alreadyCurrent()).isEqualTo(300);
    assertThat(rest.rotated()).isEqualTo(700);
    assertUnderNewKey(table.secrets(), 1, 1_000);
  }

  @Test
  void interrupt_midRun_stopsAfterTheBatch() throws Exception {
    table.insertEncrypted(1, 500, oldRing);
    ReencryptionJob job =
        job(ring, table.store().build())
            .batchSize(100)
            .progress(
                p -> {
                  if (p.scanned() == 200) {
                    Thread.currentThread().interrupt();
                  }
                })
            .build();

    ReencryptionReport report;
    try {
      report = job.run();
    } finally {
      assertThat(Thread.interrupted()).as("the interrupt is left for the caller").isTrue();
    }

    assertThat(report.isStopped()).isTrue();
    assertThat(report.rotated()).isEqualTo(200);
    assertThat(report.targets().get(0).lastKey()).contains("200");
  }

  @Test
  void run_reportAndLogs_neverContainPlaintextsOrTokens() throws Exception {
    insertMixedRows();
    String stranger = table.secrets().get(6L);
    ReencryptionReport report;
    String log;
    try (StderrCapture err = StderrCapture.start()) {
      report = job(ring, table.store().build()).batchSize(10).build().run();
      log = err.text();
    }

    List<String> texts = new ArrayList<>(List.of(report.toString(), log));
    report.targets().forEach(t -> texts.add(t.toString()));
    report.targets().forEach(t -> t.failures().forEach(f -> texts.add(f.reason() + f.key())));
    for (String text : texts) {
      assertThat(text)
          .doesNotContain(CANARY)
          .doesNotContain("gAAAAA") // every Fernet token starts with these characters
          .doesNotContain(CORRUPT)
          .doesNotContain(stranger.substring(0, 30))
          .doesNotContain(oldKey.encoded().reveal())
          .doesNotContain(newKey.encoded().reveal());
    }
    assertThat(log).contains("credentials.secret: key 5 cannot be re-encrypted");
    assertThat(log).contains("DEBUG"); // the canary saw the most verbose level
  }
}
