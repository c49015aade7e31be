package io.latchkey.reencrypt;

import javax.sql.DataSource;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The JDBC scenarios against the official {@code postgres:16} image, wherever a Docker engine runs;
 * skipped where none does.
 */
@Testcontainers(disabledWithoutDocker = true)
final class PostgresContainerTest extends JdbcReencryptionScenarios {
  @Container
  private static final PostgreSQLContainer<?> POSTGRES =
      new PostgreSQLContainer<>(DockerImageName.parse("postgres:16"));

  @Override
  DataSource dataSource() {
    return new UrlDataSource(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(), POSTGRES.getPassword());
  }
}
