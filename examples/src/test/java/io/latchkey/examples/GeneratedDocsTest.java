package io.latchkey.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.config.ConfigDocs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's {@code .env.example} and {@code docs/quickstart-settings.md} are generated from
 * {@link QuickstartSettings}; this test fails when either has drifted from the schema.
 */
final class GeneratedDocsTest {

  /** The project's root: the parent of this module's directory, where Maven runs the tests. */
  private static Path root() {
    return Path.of(System.getProperty("basedir", "")).toAbsolutePath().getParent();
  }

  /** The file's text, with Windows line ends read as a Git checkout may have written them. */
  private static String read(Path file) throws IOException {
    assertThat(file)
        .as("%s is missing; regenerate it with %s", file, GenerateDocs.COMMAND)
        .exists();
    return Files.readString(file, UTF_8).replace("\r\n", "\n");
  }

  @Test
  void dotenvExample_matchesTheSchema() throws IOException {
    assertThat(read(root().resolve(GenerateDocs.DOTENV_EXAMPLE)))
        .as(
            "%s is out of date with QuickstartSettings; regenerate it with %s",
            GenerateDocs.DOTENV_EXAMPLE, GenerateDocs.COMMAND)
        .isEqualTo(GenerateDocs.dotenvExample());
  }

  @Test
  void settingsReference_matchesTheSchema() throws IOException {
    assertThat(read(root().resolve(GenerateDocs.REFERENCE)))
        .as(
            "%s is out of date with QuickstartSettings; regenerate it with %s",
            GenerateDocs.REFERENCE, GenerateDocs.COMMAND)
        .isEqualTo(GenerateDocs.reference());
  }

  @Test
  void generatedFiles_areTheGeneratorsOutputWithOneRegenerateLine() {
    String regenerate = "Regenerate with: " + GenerateDocs.COMMAND;
    assertThat(GenerateDocs.dotenvExample().replace("# " + regenerate + "\n", ""))
        .isEqualTo(ConfigDocs.dotenv(QuickstartSettings.SCHEMA));
    assertThat(GenerateDocs.reference().replace("<!-- " + regenerate + " -->\n", ""))
        .isEqualTo(ConfigDocs.markdown(QuickstartSettings.SCHEMA, "Quickstart settings"));
    assertThat(GenerateDocs.dotenvExample().lines())
        .first()
        .asString()
        .startsWith("# Generated from the configuration schema");
    assertThat(GenerateDocs.reference()).startsWith("# Quickstart settings\n\n<!-- Generated");
  }

  @Test
  void main_writesBothFilesUnderTheGivenRoot(@TempDir Path root) throws IOException {
    GenerateDocs.main(new String[] {root.toString()});

    assertThat(root.resolve(".env.example")).hasContent(GenerateDocs.dotenvExample());
    assertThat(root.resolve("docs/quickstart-settings.md")).hasContent(GenerateDocs.reference());
  }

  @Test
  void dotenvExample_leavesEverySecretEmpty() {
    assertThat(GenerateDocs.dotenvExample())
        .contains("\nAPP_ENCRYPTION_KEY=\n")
        .contains("\nJWT_SECRET_KEY=\n")
        .contains("\nPOSTGRES_PASSWORD=\n");
  }
}
