package io.latchkey.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.Secret;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The example in {@code package-info.java}, compiled and run; keep the two in step. */
final class PackageExampleTest {
  private static final Logger log = LoggerFactory.getLogger(PackageExampleTest.class);

  static final Setting<Integer> PORT =
      Setting.port("PORT")
          .defaultValue(8080)
          .group("Server")
          .description("Port the HTTP server listens on.")
          .build();
  static final Setting<Secret> POSTGRES_PASSWORD =
      Setting.secret("POSTGRES_PASSWORD").optional().group("Database").build();
  static final Setting<URI> DATABASE_URL =
      Setting.uri("DATABASE_URL", "postgresql")
          .group("Database")
          .derive("postgresql://app:${POSTGRES_PASSWORD|url}@db:5432/app")
          .build();
  static final Setting<Secret> LLM_API_KEY =
      Setting.secret("LLM_API_KEY").aliases("OPENAI_API_KEY").group("LLM").build();

  @Test
  void packageExample_runs() {
    ConfigSource source =
        ConfigSource.of(
            Map.of("POSTGRES_PASSWORD", "pw", "OPENAI_API_KEY", "sk-test"), Origin.Kind.ENV);

    ConfigSchema schema =
        ConfigSchema.builder()
            .add(PORT)
            .add(POSTGRES_PASSWORD)
            .add(DATABASE_URL)
            .add(LLM_API_KEY)
            .build();
    Config config = schema.load(source); // or throws ConfigException listing every problem
    int port = config.get(PORT);
    URI database = config.get(DATABASE_URL); // derived unless DATABASE_URL is set
    log.info("configuration:\n{}", config.report().toTable());

    assertThat(port).isEqualTo(8080);
    assertThat(database).isEqualTo(URI.create("postgresql://app:pw@db:5432/app"));
  }
}
