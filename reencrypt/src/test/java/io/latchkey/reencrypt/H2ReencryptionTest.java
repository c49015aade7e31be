package io.latchkey.reencrypt;

import static io.latchkey.reencrypt.CredentialsTable.CANARY;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

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

  @AfterEach
  void dropDatabase() throws Exception {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    }
  }
}
