package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.config.ConfigDocs;
import io.latchkey.config.ConfigSchema;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code latchkey docs}: exactly what {@link ConfigDocs} generates, or a clear error. */
final class DocsCommandTest {
  private Path schemaPath;
  private String schema;

  @BeforeEach
  void schema() throws URISyntaxException {
    schemaPath = DoctorCommandTest.schemaPath();
    schema = schemaPath.toString();
  }

  @Test
  void markdown_isExactlyTheGeneratorsOutput() {
    Cli.Result r = Cli.run(Map.of(), "", "docs", "--schema", schema, "--format", "markdown");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr()).isEmpty();
    assertThat(r.stdoutBytes())
        .isEqualTo(ConfigDocs.markdown(ConfigSchema.fromJson(schemaPath)).getBytes(UTF_8));
    assertThat(r.stdout())
        .startsWith("# Configuration reference\n")
        .contains("`SESSION_KEY`", "`OPENAI_API_KEY`");
  }

  @Test
  void dotenv_isExactlyTheGeneratorsOutput() {
    Cli.Result r = Cli.run(Map.of(), "", "docs", "--schema", schema, "--format=dotenv");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr()).isEmpty();
    assertThat(r.stdoutBytes())
        .isEqualTo(ConfigDocs.dotenv(ConfigSchema.fromJson(schemaPath)).getBytes(UTF_8));
    assertThat(r.stdout()).contains("\nPOSTGRES_PASSWORD=").doesNotEndWith("\n\n");
  }

  @Test
  void markdown_title_isPassedToTheGenerator() {
    Cli.Result r =
        Cli.run(
            Map.of(),
            "",
            "docs",
            "--schema",
            schema,
            "--format",
            "markdown",
            "--title",
            "Billing service settings");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout())
        .isEqualTo(
            ConfigDocs.markdown(ConfigSchema.fromJson(schemaPath), "Billing service settings"));
  }

  @Test
  void format_caseInsensitive() {
    Cli.Result r = Cli.run(Map.of(), "", "docs", "--schema", schema, "--format", "Markdown");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).isEqualTo(ConfigDocs.markdown(ConfigSchema.fromJson(schemaPath)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"html", "md", "", "markdown,dotenv"})
  void format_unknown_exits2ListingTheTwo(String format) {
    Cli.Result r = Cli.run(Map.of(), "", "docs", "--schema", schema, "--format", format);

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .startsWith(
            "latchkey docs: Invalid value for option '--format': expected markdown or dotenv\n")
        .contains("Usage: latchkey docs");
  }

  @Test
  void format_missing_exits2() {
    Cli.Result r = Cli.run(Map.of(), "", "docs", "--schema", schema);

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).startsWith("latchkey docs: Missing required option: '--format=FORMAT'");
  }

  @Test
  void title_withDotenv_exits2() {
    Cli.Result r =
        Cli.run(
            Map.of(), "", "docs", "--schema", schema, "--format", "dotenv", "--title", "Settings");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr()).startsWith("latchkey docs: --title applies to --format markdown only\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {" ", "two\nlines"})
  void title_blankOrMultiline_exits2(String title) {
    Cli.Result r =
        Cli.run(Map.of(), "", "docs", "--schema", schema, "--format", "markdown", "--title", title);

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).startsWith("latchkey docs: --title must be one non-blank line\n");
  }

  @Test
  void schema_missing_exits1WithOneLine() {
    Cli.Result r = Cli.run(Map.of(), "", "docs", "--schema", "no/such.json", "--format", "dotenv");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .isEqualTo("latchkey docs: " + Path.of("no/such.json") + ": does not exist\n");
  }

  @Test
  void help_describesFormatsAndExamples() {
    Cli.Result r = Cli.run(Map.of(), "", "docs", "--help");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout())
        .startsWith("Prints the reference or the .env.example of a configuration schema.\n")
        .contains(
            "Usage: latchkey docs",
            "--format=FORMAT",
            "markdown (a reference) or dotenv",
            "--title=TEXT",
            "Examples:");
    assertThat(r.stdout().lines()).allMatch(l -> l.length() <= 80);
  }

  @Test
  void mainHelp_listsBothCommands() {
    Cli.Result r = Cli.run(Map.of(), "", "--help");

    assertThat(r.stdout())
        .containsPattern("\n  doctor +Checks the configuration against a schema")
        .containsPattern("\n  docs +Prints the reference or the \\.env\\.example");
  }
}
