package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.latchkey.config.ConfigDocs;
import io.latchkey.config.ConfigSchema;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** Prints the documentation generated from a configuration schema. */
@Command(
    name = "docs",
    header = "Prints the reference or the .env.example of a configuration schema.",
    description = {
      "Generates documentation from the JSON schema that declares the settings,",
      "exactly as the library's ConfigDocs does: with --format markdown, a",
      "reference of every setting (type, default, description, examples,",
      "deprecated names, whether it is secret) grouped as the schema groups them;",
      "with --format dotenv, a .env.example file with a commented entry per",
      "setting. The output depends on the schema alone, so it can be committed and",
      "checked in CI for drift. No value is read and no secret is printed."
    },
    footer = {
      "",
      "Examples:",
      "  latchkey docs --schema config/schema.json --format markdown \\",
      "      > docs/configuration.md",
      "  latchkey docs --schema config/schema.json --format dotenv > .env.example",
      "  latchkey docs --schema config/schema.json --format markdown \\",
      "      --title 'Billing settings'",
      "",
      "Exit status: 0 success, 1 the schema cannot be read, 2 usage error."
    })
final class DocsCommand implements Callable<Integer> {

  /** What to generate. */
  enum Format {
    MARKDOWN,
    DOTENV
  }

  /** Names the two formats, without repeating what was typed instead. */
  static final class FormatConverter implements ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      return switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "markdown" -> Format.MARKDOWN;
        case "dotenv" -> Format.DOTENV;
        default -> throw new TypeConversionException("expected markdown or dotenv");
      };
    }
  }

  @Option(
      names = "--schema",
      required = true,
      paramLabel = "FILE",
      description = "the JSON schema that declares the settings")
  Path schemaFile;

  @Option(
      names = "--format",
      required = true,
      paramLabel = "FORMAT",
      converter = FormatConverter.class,
      description = "markdown (a reference) or dotenv (a .env.example file)")
  Format format;

  @Option(
      names = "--title",
      paramLabel = "TEXT",
      description = "the Markdown document's title (default: Configuration reference)")
  String title;

  @Spec CommandSpec spec;

  private final Io io;

  DocsCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    if (title != null && format != Format.MARKDOWN) {
      throw new UsageError(spec.commandLine(), "--title applies to --format markdown only");
    }
    if (title != null && (title.isBlank() || title.lines().count() > 1)) {
      throw new UsageError(spec.commandLine(), "--title must be one non-blank line");
    }
    ConfigSchema schema = SchemaFile.read(schemaFile);
    String text =
        switch (format) {
          case MARKDOWN ->
              title == null
                  ? ConfigDocs.markdown(schema)
                  : ConfigDocs.markdown(schema, title.strip());
          case DOTENV -> ConfigDocs.dotenv(schema);
        };
    // As bytes: the generator's text is UTF-8 whatever the platform's default charset is.
    byte[] bytes = text.getBytes(UTF_8);
    io.out().write(bytes, 0, bytes.length);
    io.finishOutput();
    return 0;
  }
}
