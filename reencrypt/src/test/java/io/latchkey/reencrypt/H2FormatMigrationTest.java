package io.latchkey.reencrypt;

import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

/** The format migration scenarios on an in-memory H2 database, a fresh one for each test. */
final class H2FormatMigrationTest extends FormatMigrationScenarios {
  private UrlDataSource dataSource;

  @Override
  DataSource dataSource() {
    if (dataSource == null) {
      dataSource = CredentialsTable.h2("migrate-" + UUID.randomUUID());
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
