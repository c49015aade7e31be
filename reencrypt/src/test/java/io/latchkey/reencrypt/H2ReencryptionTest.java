package io.latchkey.reencrypt;

import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

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

  @AfterEach
  void dropDatabase() throws Exception {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    }
  }
}
