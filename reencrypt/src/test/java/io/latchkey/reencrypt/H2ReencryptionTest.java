package io.latchkey.reencrypt;

import static io.latchkey.reencrypt.CredentialsTable.CANARY;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.reencrypt.ReencryptionReport.Failure;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JDBC scenarios on an in-memory H2 database, a fresh one for each test. */
final class H2ReencryptionTest extends JdbcReencryptionScenarios {
  private UrlDataSource dataSource;

  @Override
  DataSource dataSource() {
    if (dataSource == null) {
      dataSource = CredentialsTable.h2("reencrypt-" + UUID.randomUUID());
    }
    return dataSource;
  }

  @Test
  void run_caseInsensitiveColumnChangedOnlyInCase_keepsApplicationValue() throws Exception {
    table.execute("DROP TABLE credentials");
    table.execute(
        "CREATE TABLE credentials (id BIGINT PRIMARY KEY, tenant_id INT NOT NULL,"
            + " secret VARCHAR_IGNORECASE(4000))");
    table.insert(1, 3, id -> CANARY + "plain-" + id);
    // Equal to what the job read under the column's collation, but another value.
    String appValue = "canary-PLAIN-2";
    CiphertextStore<Long> store =
        new ConcurrentWriteStore(table.store().build(), 2, () -> table.set(2, appValue));

    ReencryptionReport report = job(ring, store).encryptPlaintext(true).build().run();

    assertThat(report.skippedChanged()).isEqualTo(1);
    assertThat(report.encrypted()).isEqualTo(2);
    assertThat(report.isClean()).isFalse();
    Map<Long, String> secrets = table.secrets();
    assertThat(secrets.get(2L)).isEqualTo(appValue);
    assertThat(newOnly.decrypt(secrets.get(1L))).asString(UTF_8).isEqualTo(CANARY + "plain-1");
  }

  /**
   * A plaintext row whose text is not well-formed UTF-16 (a lone surrogate), which H2 keeps as it
   * is given: it has no UTF-8 form, so it fails and is left as it is rather than encrypted with a
   * {@code ?} in the surrogate's place.
   */
  @Test
  void run_encryptPlaintextValueWithALoneSurrogate_failsAndIsLeftAsItIs() throws Exception {
    String original = CANARY + "plain-\uD800-x";
    table.insert(1, 1, id -> original);
    table.insert(2, 1, id -> CANARY + "plain-" + id);
    assertThat(table.secrets().get(1L))
        .as("H2 keeps the value as it was given")
        .isEqualTo(original);

    ReencryptionReport report =
        job(ring, table.store().build()).encryptPlaintext(true).build().run();

    assertThat(report.targets().get(0).failures())
        .containsExactly(new Failure("1", RowRewriter.NOT_WELL_FORMED));
    assertThat(report.encrypted()).isEqualTo(1);
    assertThat(report.isClean()).isFalse();
    Map<Long, String> secrets = table.secrets();
    assertThat(secrets.get(1L)).isEqualTo(original);
    assertThat(newOnly.decrypt(secrets.get(2L))).asString(UTF_8).isEqualTo(CANARY + "plain-2");
  }

  @AfterEach
  void dropDatabase() throws Exception {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    }
  }
}
