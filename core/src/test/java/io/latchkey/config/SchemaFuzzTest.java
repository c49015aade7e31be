package io.latchkey.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.ConfigException;
import io.latchkey.testsupport.Leaks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Jazzer fuzz tests of the JSON schema reader and of derive templates: only the documented
 * exceptions escape, and no secret value reaches a message or an output.
 *
 * <p>Under {@code mvn test} each replays the seeds checked in under {@code
 * SchemaFuzzTestInputs/<method>/}; with {@code JAZZER_FUZZ=1} (one method at a time, {@code
 * -Dtest=SchemaFuzzTest#method}) it fuzzes for up to its {@code maxDuration}.
 */
final class SchemaFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String[] TYPES = {
    "string",
    "integer",
    "port",
    "boolean",
    "duration",
    "uri",
    "url",
    "enum",
    "list",
    "secret",
    "fernet-key",
    "key-list",
    "fernet-key-list",
    "bogus"
  };

  /**
   * Any text as a JSON schema: {@link ConfigSchema#fromJson(String)} returns a schema or throws
   * {@link ConfigException}; a schema it returns documents itself and loads from an empty source.
   */
  @FuzzTest(maxDuration = "2m")
  void fromJson_fuzzedText_onlyConfigExceptionEscapes(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    ConfigSchema schema;
    try {
      schema = ConfigSchema.fromJson(text);
    } catch (ConfigException expected) {
      assertThat(expected.problems()).isNotEmpty();
      return;
    }
    ConfigDocs.markdown(schema);
    ConfigDocs.dotenv(schema);
    try {
      schema.load(ConfigSource.of(Map.of(), Origin.Kind.ENV)).report().toTable();
    } catch (ConfigException expected) {
      // documented: required settings are missing
    }
  }

  /** The texts other than the secret that a fuzzed JSON schema holds: names, keys, examples. */
  private final List<String> others = new ArrayList<>();

  private String other(String text) {
    others.add(text);
    return text;
  }

  /** The text with every name, key and example the fuzzer chose cut out. */
  private String scrub(String text) {
    String scrubbed = text;
    for (String other : others) {
      if (!other.isEmpty()) {
        scrubbed = scrubbed.replace(other, "\u0000");
      }
    }
    return scrubbed;
  }

  /**
   * A secret setting in JSON whose default, example or other fields hold a secret value, in any
   * field order: the reader never quotes the value.
   */
  @FuzzTest(maxDuration = "2m")
  void fromJson_secretInFuzzedFields_isNeverQuoted(FuzzedDataProvider data) {
    String secret = Leaks.randomSecret(new SplittableRandom(data.consumeLong()), 200);
    others.clear();
    ObjectNode setting = JSON.createObjectNode();
    List<String> fields =
        new ArrayList<>(List.of("name", "type", "secret", "default", "examples", "required"));
    // The fuzzer chooses the field order: sensitivity must not depend on it.
    for (int i = fields.size() - 1; i > 0; i--) {
      int j = data.consumeInt(0, i);
      fields.set(i, fields.set(j, fields.get(i)));
    }
    String type = TYPES[data.consumeInt(0, TYPES.length - 1)];
    boolean declaredSecret = data.consumeBoolean();
    for (String field : fields) {
      switch (field) {
        case "name" ->
            setting.put("name", other(data.consumeBoolean() ? "S" : data.consumeString(8)));
        case "type" -> setting.put("type", type);
        case "secret" -> setting.put("secret", declaredSecret);
        case "default" -> {
          if (data.consumeBoolean()) {
            setting.put("default", secret);
          }
        }
        case "examples" -> {
          if (data.consumeBoolean()) {
            ArrayNode examples = setting.putArray("examples");
            examples.add(other(data.consumeString(10)));
            examples.add(secret);
          }
        }
        default -> {
          if (data.consumeBoolean()) {
            setting.put("required", data.consumeBoolean());
          }
        }
      }
    }
    if (data.consumeBoolean()) {
      setting.put(other(data.consumeString(6)), other(data.consumeString(6)));
    }
    ObjectNode root = JSON.createObjectNode();
    root.putArray("settings").add(setting);
    boolean isSecret = declaredSecret || type.equals("secret") || type.contains("key");
    String json = root.toString();
    // The fuzzer learns the value from the comparisons Leaks makes and writes it into a name or
    // another field: text the schema holds elsewhere is the schema's, not a leak.
    boolean checkLeaks = isSecret && Leaks.findLeak(String.join("\n", others), secret) == null;
    if (Leaks.findLeak(json.replace(secret, ""), secret) != null) {
      checkLeaks = false;
    }
    try {
      ConfigSchema schema = ConfigSchema.fromJson(json);
      if (isSecret) {
        // A secret with a default is refused, so only an example can hold the value: docs print
        // examples as they are, by design, and nothing else may.
        assertThat(schema.settings().get(0).defaultText()).isEmpty();
      }
    } catch (ConfigException e) {
      if (checkLeaks) {
        // A message quotes a fuzzed name or key as it is, next to the message's own punctuation.
        Leaks.assertNoLeak("message", scrub(e.getMessage()), secret);
        Leaks.assertNoLeak("toString()", scrub(e.toString()), secret);
      }
    }
  }

  /**
   * Any text as a derive template, over inputs that are secrets: the builder accepts it or throws
   * {@link IllegalArgumentException}; a schema built from it loads or throws {@link
   * ConfigException}; no output holds a secret's value.
   */
  @FuzzTest(maxDuration = "2m")
  void derive_fuzzedTemplate_onlyDocumentedExceptionsAndNoLeak(FuzzedDataProvider data) {
    long seed = data.consumeLong();
    int kind = data.consumeInt(0, 4);
    String template = data.consumeRemainingAsString();
    Setting.Builder<?> builder =
        switch (kind) {
          case 0 -> Setting.uri("DERIVED");
          case 1 -> Setting.integer("DERIVED");
          case 2 -> Setting.list("DERIVED");
          case 3 -> Setting.duration("DERIVED");
          default -> Setting.string("DERIVED");
        };
    Setting<?> derived;
    try {
      derived = builder.derive(template).build();
    } catch (IllegalArgumentException expected) {
      // documented: a malformed template, or a setting derived from itself
      return;
    }
    SplittableRandom random = new SplittableRandom(seed);
    ConfigSchema.Builder schema = ConfigSchema.builder().add(derived);
    Map<String, String> env = new HashMap<>();
    Set<String> secrets = new LinkedHashSet<>();
    int n = 0;
    for (String input : derived.inputs()) {
      String value = Leaks.randomSecret(random, 64);
      // Every other input is a plain setting whose value may still shape the result.
      if (n++ % 2 == 0) {
        schema.add(Setting.secret(input).build());
        // The fuzzer learns the values from the comparisons Leaks makes and writes them into the
        // template: text the schema itself holds is the schema's, not a leak.
        if (Leaks.findLeak(template, value) == null) {
          secrets.add(value);
        }
        env.put(input, value);
      } else {
        schema.add(Setting.string(input).build());
        env.put(input, "plain" + n);
      }
    }
    Config config;
    try {
      config = schema.build().load(ConfigSource.of(env, Origin.Kind.ENV));
    } catch (ConfigException e) {
      for (String secret : secrets) {
        Leaks.assertNoLeak(e, secret);
      }
      return;
    } catch (IllegalArgumentException expected) {
      // documented: the template names an input twice in the schema, as the derived setting
      return;
    }
    // The report and toString() must not depend on the secrets' values at all: loaded again with
    // other values in the secret settings, they are the same text. That proves no leak in any
    // encoding, even where the fuzzer writes fragments of a value into the template, next to
    // the plain inputs' text.
    Map<String, String> others = new HashMap<>(env);
    for (String input : derived.inputs()) {
      if (!env.get(input).startsWith("plain")) {
        others.put(input, "Other" + input.length() + "x7Q");
      }
    }
    Config other;
    try {
      other = schema.build().load(ConfigSource.of(others, Origin.Kind.ENV));
    } catch (ConfigException | IllegalArgumentException e) {
      // Another value may not make a valid derived value; the check needs both to load.
      other = null;
    }
    if (other != null) {
      assertThat(config.report().toTable()).isEqualTo(other.report().toTable());
      assertThat(config.toString()).isEqualTo(other.toString());
    }
    for (String secret : secrets) {
      if (other == null) {
        Leaks.assertNoLeak("report", config.report().toTable(), secret);
        Leaks.assertNoLeak("toString", config.toString(), secret);
      }
    }
  }
}
