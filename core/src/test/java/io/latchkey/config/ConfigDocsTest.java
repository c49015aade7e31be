package io.latchkey.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Docs generated from the sample schema match the committed golden files. When the generator
 * changes on purpose, regenerate {@code reference.md} and {@code example.env} in the test resources
 * and review the diff.
 */
final class ConfigDocsTest {

  @Test
  void markdown_matchesTheGoldenFile() throws IOException {
    assertThat(ConfigDocs.markdown(SampleSchema.SCHEMA))
        .isEqualTo(JsonSchemaTest.resource("reference.md"));
  }

  @Test
  void dotenv_matchesTheGoldenFile() throws IOException {
    assertThat(ConfigDocs.dotenv(SampleSchema.SCHEMA))
        .isEqualTo(JsonSchemaTest.resource("example.env"));
  }

  @Test
  void output_isDeterministic() {
    assertThat(ConfigDocs.markdown(SampleSchema.SCHEMA))
        .isEqualTo(ConfigDocs.markdown(SampleSchema.SCHEMA));
    assertThat(ConfigDocs.dotenv(SampleSchema.SCHEMA))
        .isEqualTo(ConfigDocs.dotenv(SampleSchema.SCHEMA));
  }

  @Test
  void markdown_ordersRequiredSettingsFirstWithinAGroup() {
    ConfigSchema schema =
        ConfigSchema.builder()
            .add(Setting.port("PORT").defaultValue(80).build())
            .add(Setting.secret("TOKEN").build())
            .add(Setting.string("NAME").group("Other").optional().build())
            .build();
    String markdown = ConfigDocs.markdown(schema, "Service settings");
    assertThat(markdown)
        .startsWith("# Service settings\n")
        .contains("Must be set: `TOKEN`.")
        .containsSubsequence(
            "## General",
            "### `TOKEN` (required, secret)",
            "### `PORT` (optional)",
            "## Other",
            "### `NAME` (optional)");
  }

  @Test
  void markdown_urlDefaultsAndExamples_showNoCredentials() {
    ConfigSchema schema =
        ConfigSchema.builder()
            .add(
                Setting.uri("DATABASE_URL")
                    .defaultText("postgresql://app:CANARYpw1234@db/app")
                    .examples("https://h.example/hook?token=CANARYtok5678")
                    .build())
            .build();
    String markdown = ConfigDocs.markdown(schema);
    assertThat(markdown)
        .contains("postgresql://app:***@db/app")
        .doesNotContain("CANARYpw1234")
        .doesNotContain("CANARYtok5678");
  }

  @Test
  void markdown_withNothingRequired_saysSo() {
    ConfigSchema schema =
        ConfigSchema.builder().add(Setting.string("A").defaultText("`tick`").build()).build();
    assertThat(ConfigDocs.markdown(schema))
        .contains("No setting must be set: each has a default, is derived, or is optional.")
        .contains("- Default: `` `tick` ``");
  }

  @Test
  void dotenv_givesSecretsNoValueUnlessTheSchemaHasAnExample() {
    ConfigSchema schema =
        ConfigSchema.builder()
            .add(Setting.secret("API_KEY").build())
            .add(Setting.secret("DEMO_KEY").examples("demo-not-a-real-key").build())
            .add(Setting.string("GREETING").defaultText("hello world").build())
            .add(Setting.string("QUOTE").optional().examples("it's").build())
            .build();
    assertThat(ConfigDocs.dotenv(schema))
        .contains("\nAPI_KEY=\n")
        .contains("\nDEMO_KEY=demo-not-a-real-key\n")
        .contains("\n# GREETING='hello world'\n")
        .contains("\n# QUOTE=\"it's\"\n");
  }
}
