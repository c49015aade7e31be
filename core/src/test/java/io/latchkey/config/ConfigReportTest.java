package io.latchkey.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The masked report of the effective configuration; {@link MaskingTest} tests the masking. */
final class ConfigReportTest {

  @Test
  void report_listsSourceMaskedValueAndStatusPerSetting() {
    Config config =
        SampleSchema.SCHEMA.load(
            ConfigSchemaTest.minimal(
                Map.of(
                    "PORT", "9090",
                    "POSTGRES_PASSWORD", "hunter2",
                    "LLM_API_KEY", "sk-proj-abcdefghijklmnopqrstuvwxyz012345")));

    assertThat(config.report().toTable())
        .isEqualTo(
            String.join(
                "\n",
                "SETTING            SOURCE   VALUE                             STATUS",
                "PORT               env      9090                              ok",
                "HOST               default  0.0.0.0                           default",
                "REQUEST_TIMEOUT    default  30s                               default",
                "WORKERS            default  4                                 default",
                "DEBUG              default  false                             default",
                "ALLOWED_ORIGINS    -        -                                 unset (optional)",
                "LOG_LEVEL          default  info                              default",
                "POSTGRES_PASSWORD  env      ***                               ok",
                "POSTGRES_HOST      default  db                                default",
                "DATABASE_URL       derived  postgresql://app:***@db:5432/app  derived",
                "LLM_API_KEY        env      sk-proj-...***                    ok",
                "LLM_BASE_URL       default  https://api.openai.com/v1         default",
                "CREDENTIALS_KEY    env      ***                               ok",
                ""));
    assertThat(config.report().toString()).isEqualTo(config.report().toTable());
  }

  @Test
  void report_masksPasswordsInUrlsSetDirectly() {
    Setting<java.net.URI> url = Setting.uri("DATABASE_URL").build();
    Setting<String> dsn = Setting.string("DSN").build();
    ConfigSchema schema = ConfigSchema.builder().add(url).add(dsn).build();
    Config config =
        schema.load(
            ConfigSource.of(
                Map.of(
                    "DATABASE_URL", "postgresql://app:hunter2@db/app",
                    "DSN", "jdbc:postgresql://db/app?user=app&password=hunter2&ssl=true"),
                Origin.Kind.FILE));

    assertThat(config.report().rows())
        .containsExactly(
            new ConfigReport.Row("DATABASE_URL", "file", "postgresql://app:***@db/app", "ok"),
            new ConfigReport.Row(
                "DSN", "file", "jdbc:postgresql://db/app?user=app&password=***&ssl=true", "ok"));
    assertThat(config.toString())
        .isEqualTo(
            "Config[DATABASE_URL=postgresql://app:***@db/app,"
                + " DSN=jdbc:postgresql://db/app?user=app&password=***&ssl=true]");
    assertThat(config.toString()).doesNotContain("hunter2");
  }

  @Test
  void report_escapesControlCharacters() {
    Setting<String> banner = Setting.string("BANNER").build();
    Config config =
        ConfigSchema.builder()
            .add(banner)
            .build()
            .load(ConfigSource.of(Map.of("BANNER", "a\nb\tc\u0001"), Origin.Kind.ENV));
    assertThat(config.report().rows().get(0).value()).isEqualTo("a\\nb\\tc\\u0001");
  }

  @Test
  void table_alignsColumnsAndTrimsTrailingSpaces() {
    ConfigReport report =
        new ConfigReport(
            List.of(
                new ConfigReport.Row("A", "env", "1", "ok"),
                new ConfigReport.Row("LONGER_NAME", "-", "-", "unset (optional)")));
    assertThat(report.toTable())
        .isEqualTo(
            "SETTING      SOURCE  VALUE  STATUS\n"
                + "A            env     1      ok\n"
                + "LONGER_NAME  -       -      unset (optional)\n");
  }
}
