package io.latchkey.examples;

import io.latchkey.config.ConfigDocs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Regenerates the files derived from {@link QuickstartSettings}: the project's {@code .env.example}
 * and {@code docs/quickstart-settings.md}. {@code GeneratedDocsTest} fails when either is out of
 * date.
 *
 * <pre>{@code
 * ./mvnw -B -q -pl examples -am -DskipTests package exec:java \
 *     -Dexec.mainClass=io.latchkey.examples.GenerateDocs
 * }</pre>
 *
 * <p>It finds the project's root from the working directory (the root itself or any directory below
 * it), or takes the root as its one argument.
 */
public final class GenerateDocs {
  /** The command that runs this class, as the generated files and the drift test quote it. */
  static final String COMMAND =
      "./mvnw -B -q -pl examples -am -DskipTests package exec:java"
          + " -Dexec.mainClass=io.latchkey.examples.GenerateDocs";

  /** The {@code .env.example} file, relative to the project's root. */
  static final String DOTENV_EXAMPLE = ".env.example";

  /** The settings reference, relative to the project's root. */
  static final String REFERENCE = "docs/quickstart-settings.md";

  private GenerateDocs() {}

  /**
   * Writes both files.
   *
   * @param args the project's root, or nothing to find it from the working directory
   * @throws IOException if a file cannot be written
   */
  public static void main(String[] args) throws IOException {
    Path root = args.length > 0 ? Path.of(args[0]) : findRoot(Path.of("").toAbsolutePath());
    write(root.resolve(DOTENV_EXAMPLE), dotenvExample());
    write(root.resolve(REFERENCE), reference());
  }

  /** The expected {@code .env.example}: the generator's, with how to regenerate it. */
  static String dotenvExample() {
    return afterFirstLine(
        ConfigDocs.dotenv(QuickstartSettings.SCHEMA), "# Regenerate with: " + COMMAND + "\n");
  }

  /** The expected settings reference: the generator's, with how to regenerate it. */
  static String reference() {
    String markdown = ConfigDocs.markdown(QuickstartSettings.SCHEMA, "Quickstart settings");
    // After the title and the generator's "do not edit" comment, which follow each other.
    int comment = markdown.indexOf("<!--");
    return markdown.substring(0, comment)
        + afterFirstLine(
            markdown.substring(comment), "<!-- Regenerate with: " + COMMAND + " -->\n");
  }

  private static String afterFirstLine(String text, String line) {
    int end = text.indexOf('\n') + 1;
    return text.substring(0, end) + line + text.substring(end);
  }

  private static Path findRoot(Path start) {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("examples/pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "run this from the project's root, or give the root as the argument");
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    System.out.println("wrote " + file);
  }
}
