package io.latchkey.redact;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.Secret;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigSchema;
import io.latchkey.config.ConfigSource;
import io.latchkey.config.Origin;
import io.latchkey.config.Setting;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples of {@code docs/redaction.md} and the package's Javadoc, compiled and run. */
final class RedactorExampleTest {
  static final Setting<Secret> DATABASE_PASSWORD = Setting.secret("DATABASE_PASSWORD").build();
  static final Setting<Integer> HTTP_PORT = Setting.port("HTTP_PORT").defaultValue(8080).build();

  @Test
  void quickstart() throws IOException {
    Config config =
        ConfigSchema.builder()
            .add(DATABASE_PASSWORD)
            .add(HTTP_PORT)
            .build()
            .load(
                ConfigSource.of(
                    Map.of("DATABASE_PASSWORD", "hunter2-but-longer"), Origin.Kind.ENV));

    // docs/redaction.md: the quickstart
    Redactor redactor = Redactor.builder().config(config).mask(Redactor.Mask.NAME).build();
    String line = redactor.redact("login failed for app:hunter2-but-longer@db:5432");
    // line is "login failed for app:[DATABASE_PASSWORD]@db:5432"

    assertThat(line).isEqualTo("login failed for app:[DATABASE_PASSWORD]@db:5432");

    // docs/redaction.md: a layout's buffer, from where this event's text begins
    StringBuilder buffer = new StringBuilder("2024-05-14 WARN ");
    int start = buffer.length();
    buffer.append("retrying with hunter2-but-longer");
    redactor.redact(buffer, start);

    assertThat(buffer).hasToString("2024-05-14 WARN retrying with [DATABASE_PASSWORD]");

    // docs/redaction.md: a stream
    StringWriter file = new StringWriter();
    try (Writer out = redactor.wrap(file)) {
      out.write("password: hunter2-but");
      out.write("-longer\n");
    }

    assertThat(file).hasToString("password: [DATABASE_PASSWORD]\n");
  }
}
