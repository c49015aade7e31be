package io.latchkey.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * Generates documentation from a {@link ConfigSchema}: a Markdown reference and a {@code
 * .env.example} file.
 *
 * <p>Both are grouped by {@linkplain Setting#group() group}, groups in the order their first
 * setting was declared and, within a group, the settings that must be set first, then the rest,
 * each in declaration order. The output depends on the schema alone (no date, no environment), so
 * generated files can be committed and a test can fail when they drift from the schema.
 *
 * <pre>{@code
 * Files.writeString(Path.of("docs/configuration.md"), ConfigDocs.markdown(schema));
 * Files.writeString(Path.of(".env.example"), ConfigDocs.dotenv(schema));
 * }</pre>
 *
 * <h2>Security</h2>
 *
 * <p>Secrets have no default, and get an example value only if the schema gives one explicitly;
 * otherwise {@code .env.example} leaves them empty.
 *
 * @since 0.1
 */
public final class ConfigDocs {
  private static final String GENERATED =
      "Generated from the configuration schema; do not edit by hand.";

  private ConfigDocs() {}

  /**
   * Returns a Markdown reference titled "Configuration reference".
   *
   * @param schema the schema
   * @return the Markdown text, ending in a line break
   */
  public static String markdown(ConfigSchema schema) {
    return markdown(schema, "Configuration reference");
  }

  /**
   * Returns a Markdown reference: a list of the settings that must be set, then one section per
   * group with one entry per setting giving its type, whether it is required, its default, its
   * description, examples, deprecated names, and whether it is secret.
   *
   * @param schema the schema
   * @param title the document's title
   * @return the Markdown text, ending in a line break
   */
  public static String markdown(ConfigSchema schema, String title) {
    requireNonNull(schema, "schema");
    requireNonNull(title, "title");
    StringBuilder out = new StringBuilder();
    out.append("# ").append(title).append("\n\n");
    out.append("<!-- ").append(GENERATED).append(" -->\n\n");
    List<String> required = new ArrayList<>();
    for (Setting<?> s : schema.settings()) {
      if (mustBeSet(s)) {
        required.add(code(s.name()));
      }
    }
    out.append(
            required.isEmpty()
                ? "No setting must be set: each has a default, is derived, or is optional."
                : "Must be set: " + String.join(", ", required) + ".")
        .append('\n');
    for (String group : schema.groups()) {
      out.append("\n## ").append(group).append('\n');
      for (int i : ordered(schema, group)) {
        markdownEntry(out, schema, i);
      }
    }
    return out.toString();
  }

  private static void markdownEntry(StringBuilder out, ConfigSchema schema, int i) {
    Setting<?> s = schema.settings().get(i);
    out.append("\n### ").append(code(s.name())).append(" (").append(labels(schema, i));
    out.append(")\n\n");
    if (!s.description().isEmpty()) {
      out.append(s.description()).append("\n\n");
    }
    out.append("- Type: ").append(s.typeDescription()).append('\n');
    if (s.defaultText().isPresent()) {
      out.append("- Default: ").append(shown(s.defaultText().get())).append('\n');
    } else if (!s.isDerived()) {
      out.append("- Default: none\n");
    }
    if (s.isDerived()) {
      out.append("- Derived when unset, from ");
      List<String> inputs = new ArrayList<>();
      for (String input : s.inputs()) {
        inputs.add(code(input));
      }
      out.append(String.join(", ", inputs));
      s.derivation().ifPresent(t -> out.append(": ").append(code(t)));
      out.append('\n');
    }
    if (s.valueType().isKeyList()) {
      out.append("- Older keys: ")
          .append(code(s.name() + KeyList.PREVIOUS_SUFFIX))
          .append(", comma-separated; blank for none\n");
    }
    if (!s.examples().isEmpty()) {
      List<String> examples = new ArrayList<>();
      for (String example : s.examples()) {
        examples.add(shown(example));
      }
      out.append(s.examples().size() == 1 ? "- Example: " : "- Examples: ")
          .append(String.join(", ", examples))
          .append('\n');
    }
    if (!s.aliases().isEmpty()) {
      List<String> aliases = new ArrayList<>();
      for (String alias : s.aliases()) {
        aliases.add(code(alias));
      }
      out.append("- Deprecated ")
          .append(s.aliases().size() == 1 ? "name" : "names")
          .append(" (still read, with a warning): ")
          .append(String.join(", ", aliases))
          .append('\n');
    }
  }

  /**
   * Returns a {@code .env.example} file: a comment block per setting (description, type, default),
   * then the setting itself. Settings that must be set are uncommented, with an example value or
   * empty; the others are commented out, with their default.
   *
   * @param schema the schema
   * @return the file's text, ending in a line break
   */
  public static String dotenv(ConfigSchema schema) {
    requireNonNull(schema, "schema");
    StringBuilder out = new StringBuilder();
    out.append("# ").append(GENERATED).append('\n');
    out.append("# Copy to .env and fill in the settings that are not commented out.\n");
    for (String group : schema.groups()) {
      out.append("\n# ---- ").append(group).append(" ----\n");
      for (int i : ordered(schema, group)) {
        dotenvEntry(out, schema, i);
      }
    }
    return out.toString();
  }

  private static void dotenvEntry(StringBuilder out, ConfigSchema schema, int i) {
    Setting<?> s = schema.settings().get(i);
    out.append('\n');
    for (String line : s.description().split("\n", -1)) {
      if (!line.isBlank()) {
        out.append("# ").append(line.strip()).append('\n');
      }
    }
    StringBuilder facts = new StringBuilder("Type: ").append(s.typeDescription()).append(". ");
    if (mustBeSet(s)) {
      facts.append("Required.");
    } else if (s.defaultText().isPresent()) {
      String text = s.defaultText().get();
      facts.append("Optional; default: ").append(text.isEmpty() ? "empty" : text).append('.');
    } else if (s.isDerived() && s.isRequired()) {
      facts.append("Derived when unset.");
    } else {
      facts.append("Optional.");
    }
    if (schema.isSecret(i)) {
      facts.append(" Secret.");
    }
    out.append("# ").append(facts).append('\n');
    if (s.isDerived()) {
      out.append("# Derived from ").append(String.join(", ", s.inputs()));
      s.derivation().ifPresent(t -> out.append(": ").append(t));
      out.append('\n');
    }
    if (!s.aliases().isEmpty()) {
      out.append("# Deprecated ")
          .append(s.aliases().size() == 1 ? "name: " : "names: ")
          .append(String.join(", ", s.aliases()))
          .append('\n');
    }
    String value;
    if (s.defaultText().isPresent()) {
      value = s.defaultText().get();
    } else if (!s.examples().isEmpty()) {
      // Only explicit examples: a secret never gets a made-up value that looks real.
      value = s.examples().get(0);
    } else {
      value = "";
    }
    out.append(mustBeSet(s) ? "" : "# ").append(s.name()).append('=').append(quoted(value));
    out.append('\n');
    if (s.valueType().isKeyList()) {
      out.append("# Older keys, comma-separated; blank for none.\n");
      out.append("# ").append(s.name()).append(KeyList.PREVIOUS_SUFFIX).append("=\n");
    }
  }

  /** Settings of one group: those that must be set first, then the rest, in declared order. */
  private static List<Integer> ordered(ConfigSchema schema, String group) {
    List<Integer> first = new ArrayList<>();
    List<Integer> rest = new ArrayList<>();
    List<Setting<?>> settings = schema.settings();
    for (int i = 0; i < settings.size(); i++) {
      Setting<?> s = settings.get(i);
      if (s.group().equals(group)) {
        (mustBeSet(s) ? first : rest).add(i);
      }
    }
    first.addAll(rest);
    return first;
  }

  /** Required and not derived: loading fails unless a source sets it. */
  private static boolean mustBeSet(Setting<?> s) {
    return s.isRequired() && !s.isDerived();
  }

  private static String labels(ConfigSchema schema, int i) {
    Setting<?> s = schema.settings().get(i);
    String label;
    if (mustBeSet(s)) {
      label = "required";
    } else if (s.isDerived()) {
      label = s.isRequired() ? "derived" : "optional, derived";
    } else {
      label = "optional";
    }
    return schema.isSecret(i) ? label + ", secret" : label;
  }

  /** A default or example as the reference page shows it: with URL credentials masked. */
  private static String shown(String value) {
    return value.isEmpty() ? "empty" : code(Masking.printable(value));
  }

  /** A Markdown code span that survives backticks in the text. */
  private static String code(String text) {
    if (text.indexOf('`') < 0) {
      return "`" + text + "`";
    }
    return "`` " + text + " ``";
  }

  /** A .env value, quoted when it has spaces or characters a .env parser treats specially. */
  private static String quoted(String value) {
    boolean plain = true;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isWhitespace(c) || "#\"'\\$`".indexOf(c) >= 0) {
        plain = false;
        break;
      }
    }
    if (plain) {
      return value;
    }
    return value.indexOf('\'') < 0 ? "'" + value + "'" : "\"" + value.replace("\"", "\\\"") + "\"";
  }
}
