package io.latchkey.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON schema files: the same settings as the builder, and a clear error for each mistake. */
final class JsonSchemaTest {
  @TempDir Path dir;

  static String resource(String name) throws IOException {
    try (InputStream in = JsonSchemaTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static ConfigSchema sampleFromJson() throws IOException {
    return ConfigSchema.fromJson(resource("sample-schema.json"));
  }

  private List<Problem> problems(String json) throws IOException {
    Path file = dir.resolve("schema.json");
    Files.writeString(file, json, StandardCharsets.UTF_8);
    return catchThrowableOfType(ConfigException.class, () -> ConfigSchema.fromJson(file))
        .problems();
  }

  @Test
  void sampleFile_declaresWhatTheBuilderDeclares() throws IOException {
    ConfigSchema json = sampleFromJson();
    ConfigSchema java = SampleSchema.SCHEMA;

    assertThat(json.settings()).hasSameSizeAs(java.settings());
    for (int i = 0; i < java.settings().size(); i++) {
      Setting<?> a = java.settings().get(i);
      Setting<?> b = json.settings().get(i);
      assertThat(b.name()).isEqualTo(a.name());
      assertThat(b.type()).as(a.name()).isEqualTo(a.type());
      assertThat(b.typeDescription()).as(a.name()).isEqualTo(a.typeDescription());
      assertThat(b.defaultText()).as(a.name()).isEqualTo(a.defaultText());
      assertThat(b.isRequired()).as(a.name()).isEqualTo(a.isRequired());
      assertThat(b.isSecret()).as(a.name()).isEqualTo(a.isSecret());
      assertThat(b.group()).as(a.name()).isEqualTo(a.group());
      assertThat(b.description()).as(a.name()).isEqualTo(a.description());
      assertThat(b.examples()).as(a.name()).isEqualTo(a.examples());
      assertThat(b.aliases()).as(a.name()).isEqualTo(a.aliases());
      assertThat(b.inputs()).as(a.name()).isEqualTo(a.inputs());
      assertThat(b.derivation()).as(a.name()).isEqualTo(a.derivation());
    }
    assertThat(ConfigDocs.markdown(json)).isEqualTo(ConfigDocs.markdown(java));
    assertThat(ConfigDocs.dotenv(json)).isEqualTo(ConfigDocs.dotenv(java));
  }

  @Test
  void sampleFile_loadsTheSameConfiguration() throws IOException {
    ConfigSource source =
        ConfigSchemaTest.minimal(
            Map.of("PORT", "9090", "LOG_LEVEL", "WARN", "ALLOWED_ORIGINS", "https://a, https://b"));
    Config fromJson = sampleFromJson().load(source);
    Config fromJava = SampleSchema.SCHEMA.load(source);

    assertThat(fromJson.report()).isEqualTo(fromJava.report());
    assertThat(fromJson.get("PORT", int.class)).isEqualTo(9090);
    assertThat(fromJson.get("LOG_LEVEL", String.class)).isEqualTo("warn");
    assertThat(fromJson.getList("ALLOWED_ORIGINS", String.class))
        .containsExactly("https://a", "https://b");
    assertThat(fromJson.get("DATABASE_URL", java.net.URI.class))
        .isEqualTo(fromJava.get(SampleSchema.DATABASE_URL));

    ConfigSource bad = ConfigSchemaTest.minimal(Map.of("PORT", "x", "WORKERS", "99"));
    assertThat(
            catchThrowableOfType(ConfigException.class, () -> sampleFromJson().load(bad))
                .problems())
        .isEqualTo(
            catchThrowableOfType(ConfigException.class, () -> SampleSchema.SCHEMA.load(bad))
                .problems());
  }

  @Test
  void fromJson_readsAFile() throws IOException {
    Path file = dir.resolve("schema.json");
    Files.writeString(file, resource("sample-schema.json"), StandardCharsets.UTF_8);
    assertThat(ConfigSchema.fromJson(file).settings()).hasSize(13);
  }

  @Test
  void fromJson_missingFile_saysSo() {
    assertThatThrownBy(() -> ConfigSchema.fromJson(dir.resolve("nope.json")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("invalid configuration: nope.json: does not exist");
  }

  @Test
  void fromJson_notJson_givesTheLocation() throws IOException {
    List<Problem> problems = problems("{\"settings\": [\n  {\"name\": \"PORT\",, }]}");
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).setting()).isEqualTo("schema.json");
    assertThat(problems.get(0).reason())
        .startsWith("is not valid JSON at line 2, column")
        .doesNotContain("PORT");
    assertThat(problems("").get(0).reason())
        .isEqualTo("is empty; expected a JSON object with a settings array");
    assertThat(problems("[]").get(0).reason())
        .isEqualTo("is not a JSON object; expected {\"settings\": [...]}");
    assertThat(problems("{\"settings\": []} {}").get(0).reason())
        .startsWith("is not valid JSON at");
    assertThat(problems("{\"settings\": [], \"settings\": []}").get(0).reason())
        .startsWith("is not valid JSON at line 1");
  }

  @Test
  void fromJson_structureErrors_areAllListed() throws IOException {
    assertThat(problems("{\"title\": \"x\"}"))
        .containsExactly(
            new Problem("schema.json: title", "is not a known field; expected settings"),
            new Problem("schema.json: settings", "is missing; expected an array of settings"));
    assertThat(problems("{\"settings\": {}}"))
        .containsExactly(
            new Problem("schema.json: settings", "is not an array; expected an array of settings"));
  }

  @Test
  void fromJson_settingErrors_areAllListedWithTheSettingsName() throws IOException {
    String json =
        String.join(
            "\n",
            "{\"settings\": [",
            "  \"PORT\",",
            "  {\"type\": \"port\"},",
            "  {\"name\": \"A\", \"type\": \"prot\"},",
            "  {\"name\": \"B\"},",
            "  {\"name\": \"C\", \"type\": \"port\", \"defualt\": \"80\"},",
            "  {\"name\": \"D\", \"type\": \"port\", \"default\": \"eighty\"},",
            "  {\"name\": \"E\", \"type\": \"string\", \"min\": 1},",
            "  {\"name\": \"F\", \"type\": \"integer\", \"min\": \"1\", \"secret\": \"yes\"},",
            "  {\"name\": \"G\", \"type\": \"port\", \"default\": \"80\", \"required\": true},",
            "  {\"name\": \"H\", \"type\": \"enum\"},",
            "  {\"name\": \"I\", \"type\": \"list\", \"element\": \"secret\"},",
            "  {\"name\": \"J\", \"type\": \"string\", \"aliases\": [\"OLD\", 3]},",
            "  {\"name\": \"K-1\", \"type\": \"string\"},",
            "  {\"name\": \"L\", \"type\": \"secret\", \"default\": \"x\"},",
            "  {\"name\": \"M\", \"type\": \"string\", \"derive\": \"${X\"},",
            "  {\"name\": \"N\", \"type\": \"string\", \"default\": {\"a\": 1}, \"$comment\":"
                + " \"ok\"}",
            "]}");
    assertThat(problems(json))
        .containsExactly(
            new Problem(
                "schema.json: settings[0]",
                "is not an object; expected {\"name\": ..., \"type\": ...}"),
            new Problem(
                "schema.json: settings[1].name",
                "is missing; expected the environment-variable name"),
            new Problem(
                "schema.json: A",
                "type 'prot' is unknown; expected one of string, integer, port, boolean, duration,"
                    + " uri, url, enum, list, secret, fernet-key, key-list, fernet-key-list"),
            new Problem(
                "schema.json: B.type",
                "is missing; expected one of string, integer, port, boolean, duration, uri, url,"
                    + " enum, list, secret, fernet-key, key-list, fernet-key-list"),
            new Problem(
                "schema.json: C.defualt",
                "is not a known field; expected one of aliases, default, derive, description,"
                    + " element, examples, group, max, min, name, required, schemes, secret, type,"
                    + " values"),
            new Problem(
                "schema.json: D",
                "default is not an integer; expected a port number from 1 to 65535"),
            new Problem("schema.json: E", "min and max apply to integer settings only"),
            new Problem("schema.json: F.secret", "is not true or false"),
            new Problem("schema.json: F.min", "is not an integer"),
            new Problem(
                "schema.json: G.required", "is true, but a default is given; remove one of them"),
            new Problem("schema.json: H", "an enum setting needs its allowed values"),
            new Problem(
                "schema.json: I",
                "element type 'secret' is not supported; expected one of string, integer, port,"
                    + " boolean, duration, uri, url, enum"),
            new Problem("schema.json: J.aliases[1]", "is not a string"),
            new Problem(
                "schema.json: K-1",
                "the setting name given is not a valid setting name (not shown, in case it is a"
                    + " value): use letters, digits and underscores, not starting with a digit"),
            new Problem(
                "schema.json: L", "a secret cannot have a default; make it required or optional"),
            new Problem("schema.json: M", "template has an unterminated ${ at position 1"),
            new Problem("schema.json: N.default", "is not a string, number or boolean"));
  }

  @Test
  void fromJson_schemaLevelErrors_nameTheFile() throws IOException {
    String duplicate =
        "{\"settings\": [{\"name\": \"A\", \"type\": \"string\"}, {\"name\": \"A\", \"type\":"
            + " \"port\"}]}";
    assertThat(problems(duplicate))
        .containsExactly(new Problem("schema.json", "setting A is declared twice"));
    String cycle =
        "{\"settings\": [{\"name\": \"A\", \"type\": \"string\", \"derive\": \"${B}\"},"
            + " {\"name\": \"B\", \"type\": \"string\", \"derive\": \"${A}\"}]}";
    assertThat(problems(cycle))
        .containsExactly(new Problem("schema.json", "derived settings form a cycle: A -> B -> A"));
  }

  @Test
  void fromJson_schemaLevelErrors_areAllListed_besideTheSettingsOwn() throws IOException {
    String twoUndeclared =
        "{\"settings\": [{\"name\": \"A\", \"type\": \"url\", \"derive\": \"${X}\"},"
            + " {\"name\": \"B\", \"type\": \"url\", \"derive\": \"${Y}\"}]}";
    assertThat(problems(twoUndeclared))
        .containsExactly(
            new Problem("schema.json", "A is derived from X, which the schema does not declare"),
            new Problem("schema.json", "B is derived from Y, which the schema does not declare"));
    String duplicateAndBadDefault =
        "{\"settings\": [{\"name\": \"A\", \"type\": \"port\"}, {\"name\": \"A\","
            + " \"type\": \"port\"}, {\"name\": \"B\", \"type\": \"port\", \"default\":"
            + " \"x\"}]}";
    List<Problem> found = problems(duplicateAndBadDefault);
    assertThat(found)
        .hasSize(2)
        .contains(new Problem("schema.json", "setting A is declared twice"));
    assertThat(found.get(0).setting()).isEqualTo("schema.json: B");
    String cycleAndAliasClash =
        "{\"settings\": [{\"name\": \"A\", \"type\": \"string\", \"derive\": \"${B}\"},"
            + " {\"name\": \"B\", \"type\": \"string\", \"derive\": \"${A}\"},"
            + " {\"name\": \"C\", \"type\": \"string\", \"aliases\": [\"A\"]}]}";
    assertThat(problems(cycleAndAliasClash))
        .containsExactly(
            new Problem("schema.json", "A is both a setting and an alias of C"),
            new Problem("schema.json", "derived settings form a cycle: A -> B -> A"));
    // An input whose own declaration could not be read is not also called undeclared.
    String badInput =
        "{\"settings\": [{\"name\": \"A\", \"type\": \"port\", \"default\": \"x\"},"
            + " {\"name\": \"B\", \"type\": \"string\", \"derive\": \"${A}\"}]}";
    assertThat(problems(badInput))
        .singleElement()
        .satisfies(p -> assertThat(p.setting()).isEqualTo("schema.json: A"));
  }

  @Test
  void builder_schemaLevelErrors_areAllInTheOneMessage() {
    assertThatThrownBy(
            () ->
                ConfigSchema.builder()
                    .add(Setting.string("A").derive("${X}").build())
                    .add(Setting.string("B").derive("${Y}").build())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "A is derived from X, which the schema does not declare; B is derived from Y, which"
                + " the schema does not declare");
  }

  @Test
  void fromJson_options_shapeTheTypes() {
    String json =
        "{\"settings\": [{\"name\": \"PORTS\", \"type\": \"list\", \"element\":"
            + " \"port\"},{\"name\": \"MODES\", \"type\": \"list\", \"element\": \"enum\","
            + " \"values\": [\"a\", \"b\"]},{\"name\": \"KEYS\", \"type\": \"key-list\"},{\"name\":"
            + " \"KEY\", \"type\": \"fernet-key\", \"required\": false},{\"name\": \"TOKEN\","
            + " \"type\": \"string\", \"secret\": true}]}";
    ConfigSchema schema = ConfigSchema.fromJson(json);
    Config config =
        schema.load(
            ConfigSource.of(
                Map.of("PORTS", "80,443", "MODES", "A", "KEYS", "k", "TOKEN", "t"),
                Origin.Kind.ENV));
    assertThat(config.getList("PORTS", int.class)).containsExactly(80, 443);
    assertThat(config.getList("MODES", String.class)).containsExactly("a");
    assertThat(config.findList("PORTS", Object.class)).isPresent();
    assertThatThrownBy(() -> config.getList("PORTS", String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("PORTS holds lists of Integer, not of String");
    assertThatThrownBy(() -> config.getList("TOKEN", String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TOKEN is not a list");
    assertThatThrownBy(() -> config.getList("NOPE", String.class))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(config.get("KEYS", KeyList.class).current().reveal()).isEqualTo("k");
    assertThat(config.find("KEY", io.latchkey.Secret.class)).isEmpty();
    assertThat(config.report().rows().get(4).value()).isEqualTo("***");
  }
}
