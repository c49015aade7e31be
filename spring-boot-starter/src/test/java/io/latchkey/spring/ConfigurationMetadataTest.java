package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.StandardEnvironment;

/**
 * {@code META-INF/spring-configuration-metadata.json}, which IDEs read to complete and check the
 * {@code latchkey.*} settings, names every setting the starter reads and nothing else, with the
 * defaults the starter applies; and the settings table of {@code docs/spring-boot.md} says the
 * same.
 */
final class ConfigurationMetadataTest {
  private static final Pattern TABLE_ROW =
      Pattern.compile("^\\| `(latchkey\\.[a-z.*-]+)` \\| (`[^`]*`|—) \\|", Pattern.MULTILINE);

  @Test
  void theMetadataNamesEverySettingTheStarterReads() throws IOException {
    Map<String, JsonNode> properties = metadata();

    assertThat(properties.keySet()).containsExactlyInAnyOrderElementsOf(LatchkeySettings.NAMES);
    properties.forEach(
        (name, p) -> {
          assertThat(p.path("type").asText()).as(name).isNotBlank();
          assertThat(p.path("description").asText()).as(name).isNotBlank();
        });
  }

  @Test
  void theMetadataDefaults_areTheStartersOwn() throws IOException {
    Map<String, JsonNode> properties = metadata();
    StandardEnvironment empty = new StandardEnvironment();
    empty.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    empty.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
    LatchkeySettings defaults = LatchkeySettings.read(empty);

    assertThat(duration(properties, LatchkeySettings.WATCH_INTERVAL))
        .isEqualTo(defaults.watchInterval);
    assertThat(properties.get(LatchkeySettings.ON_PROVIDER_FAILURE).path("defaultValue").asText())
        .isEqualToIgnoringCase(defaults.onProviderFailure.name());
    assertThat(properties.get(LatchkeySettings.DATASOURCE_ENABLED).path("defaultValue").asBoolean())
        .isEqualTo(defaults.dataSource);
    JsonNode allowed = properties.get(LatchkeySettings.ALLOW_PLAIN_STRING_BINDING);
    assertThat(allowed.path("defaultValue").get(0).asText()).isEqualTo("spring.*");
    assertThat(defaults.plainStringAllowed("spring.datasource.password")).isTrue();
    assertThat(defaults.plainStringAllowed("partner.token")).isFalse();
    // The resolver's own defaults, which the starter leaves to it when unset.
    assertThat(defaults.ttl).isEmpty();
    assertThat(duration(properties, LatchkeySettings.TTL)).isEqualTo(Duration.ofMinutes(5));
    assertThat(duration(properties, LatchkeySettings.MAX_STALE)).isEqualTo(Duration.ofMinutes(15));
    assertThat(duration(properties, LatchkeySettings.TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
    assertThat(properties.get(LatchkeySettings.REFRESH_AHEAD).path("defaultValue").asDouble())
        .isEqualTo(0.75);
  }

  @Test
  void theDocsTable_listsTheSameSettingsAndDefaults() throws IOException {
    Map<String, JsonNode> properties = metadata();
    String docs = Files.readString(docsPage(), StandardCharsets.UTF_8);
    Map<String, String> table = new LinkedHashMap<>();
    Matcher row = TABLE_ROW.matcher(docs);
    while (row.find()) {
      table.put(row.group(1).replace(".*", ""), row.group(2));
    }

    assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(LatchkeySettings.NAMES);
    table.forEach(
        (name, shown) -> {
          JsonNode value = properties.get(name).get("defaultValue");
          String expected =
              value == null
                  ? "—"
                  : "`" + (value.isArray() ? value.get(0).asText() : value.asText()) + "`";
          assertThat(shown).as(name).isEqualTo(expected);
        });
  }

  /** The page, found from the module's folder or any folder above it (as an IDE may run tests). */
  private static Path docsPage() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path page = dir.resolve("docs").resolve("spring-boot.md");
      if (Files.isRegularFile(page)) {
        return page;
      }
    }
    throw new AssertionError("docs/spring-boot.md is not in this folder or any above it");
  }

  private static Duration duration(Map<String, JsonNode> properties, String name) {
    return DurationStyle.detectAndParse(properties.get(name).path("defaultValue").asText());
  }

  private static Map<String, JsonNode> metadata() throws IOException {
    try (InputStream in =
        ConfigurationMetadataTest.class
            .getClassLoader()
            .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("the starter's configuration metadata").isNotNull();
      JsonNode root = new ObjectMapper().readTree(in);
      Map<String, JsonNode> byName = new LinkedHashMap<>();
      root.path("properties").forEach(p -> byName.put(p.path("name").asText(), p));
      assertThat(root.path("groups").get(0).path("name").asText()).isEqualTo("latchkey");
      return byName;
    }
  }
}
