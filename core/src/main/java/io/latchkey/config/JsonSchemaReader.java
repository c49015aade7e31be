package io.latchkey.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the JSON schema format {@link ConfigSchema} documents, collecting every problem in the file
 * before throwing.
 *
 * <p>This is the only class that touches Jackson, and only {@link ConfigSchema#fromJson} loads it,
 * so Jackson stays an optional dependency: the builder and record paths never load this class.
 */
final class JsonSchemaReader {
  private static final Set<String> FIELDS =
      Set.of(
          "name",
          "type",
          "description",
          "group",
          "default",
          "required",
          "secret",
          "examples",
          "aliases",
          "derive",
          "min",
          "max",
          "schemes",
          "values",
          "element");

  private final String source;
  private final List<Problem> problems = new ArrayList<>();

  private JsonSchemaReader(String source) {
    this.source = source;
  }

  static ConfigSchema read(String json, String source) {
    return new JsonSchemaReader(source).read(json);
  }

  private ConfigSchema read(String json) {
    JsonMapper mapper =
        JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    JsonNode root;
    try {
      root = mapper.readTree(json);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      // Jackson's own message quotes the text around the error, which could be anything the
      // file holds: give the position only.
      throw new ConfigException(source, "is not valid JSON" + where);
    }
    if (root == null || root.isMissingNode()) {
      throw new ConfigException(source, "is empty; expected a JSON object with a settings array");
    }
    if (!root.isObject()) {
      throw new ConfigException(source, "is not a JSON object; expected {\"settings\": [...]}");
    }
    for (Map.Entry<String, JsonNode> property : root.properties()) {
      String name = property.getKey();
      if (!name.equals("settings") && !name.startsWith("$")) {
        problem(name, "is not a known field; expected settings");
      }
    }
    JsonNode array = root.get("settings");
    List<Setting<?>> settings = new ArrayList<>();
    Set<String> unreadable = new HashSet<>();
    if (array == null) {
      problem("settings", "is missing; expected an array of settings");
    } else if (!array.isArray()) {
      problem("settings", "is not an array; expected an array of settings");
    } else {
      for (int i = 0; i < array.size(); i++) {
        Setting<?> setting = setting(array.get(i), i);
        if (setting != null) {
          settings.add(setting);
        } else if (array.get(i).path("name").isTextual()) {
          unreadable.add(array.get(i).get("name").asText());
        }
      }
    }
    // The schema's problems as a whole too (a name declared twice, an input not declared, a
    // cycle), over the settings that could be read, in the same one exception.
    for (String problem : ConfigSchema.problemsOf(settings, unreadable)) {
      problems.add(new Problem(source, problem));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    try {
      return ConfigSchema.builder().addAll(settings).build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(source, e.getMessage());
    }
  }

  private void problem(String where, String reason) {
    problems.add(new Problem(source + ": " + where, reason));
  }

  /** Reads one setting; returns null after recording its problems. */
  private Setting<?> setting(JsonNode node, int index) {
    String where = "settings[" + index + "]";
    if (!node.isObject()) {
      problem(where, "is not an object; expected {\"name\": ..., \"type\": ...}");
      return null;
    }
    int before = problems.size();
    JsonNode nameNode = node.get("name");
    String name = null;
    if (nameNode == null) {
      problem(where + ".name", "is missing; expected the environment-variable name");
    } else if (!nameNode.isTextual()) {
      problem(where + ".name", "is not a string; expected the environment-variable name");
    } else {
      name = nameNode.asText();
      where = name;
    }
    for (Map.Entry<String, JsonNode> property : node.properties()) {
      String field = property.getKey();
      if (!FIELDS.contains(field) && !field.startsWith("$")) {
        problem(where + "." + field, "is not a known field; expected one of " + sorted(FIELDS));
      }
    }
    String type = text(node, where, "type");
    if (type == null && node.get("type") == null) {
      problem(where + ".type", "is missing; expected one of " + String.join(", ", ValueType.NAMES));
    }
    String description = text(node, where, "description");
    String group = text(node, where, "group");
    String derive = text(node, where, "derive");
    String element = text(node, where, "element");
    String defaultText = scalar(node, where, "default");
    Boolean required = bool(node, where, "required");
    Boolean secret = bool(node, where, "secret");
    List<String> examples = strings(node, where, "examples", true);
    List<String> aliases = strings(node, where, "aliases", false);
    List<String> schemes = strings(node, where, "schemes", false);
    List<String> values = strings(node, where, "values", false);
    Integer min = integer(node, where, "min");
    Integer max = integer(node, where, "max");
    if (Boolean.TRUE.equals(required) && defaultText != null) {
      problem(where + ".required", "is true, but a default is given; remove one of them");
    }
    if (problems.size() > before) {
      return null;
    }
    String at = where;
    try {
      ValueType<?> valueType =
          ValueType.named(type, new ValueType.Options(min, max, schemes, values, element, null));
      Setting.Builder<?> builder = Setting.of(name, valueType);
      if (description != null) {
        builder.description(description);
      }
      if (group != null) {
        builder.group(group);
      }
      if (Boolean.TRUE.equals(secret)) {
        builder.secret();
      }
      if (defaultText != null) {
        builder.defaultText(defaultText);
      }
      if (Boolean.FALSE.equals(required)) {
        builder.optional();
      }
      if (examples != null) {
        builder.examples(examples.toArray(new String[0]));
      }
      if (aliases != null) {
        builder.aliases(aliases.toArray(new String[0]));
      }
      if (derive != null) {
        builder.derive(derive);
      }
      return builder.build();
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      // Builder messages start with the setting's name, which the problem already gives.
      problem(at, message.startsWith(name + ": ") ? message.substring(name.length() + 2) : message);
      return null;
    }
  }

  private static String sorted(Set<String> names) {
    List<String> list = new ArrayList<>(names);
    list.sort(null);
    return String.join(", ", list);
  }

  private String text(JsonNode node, String where, String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      problem(where + "." + field, "is not a string");
      return null;
    }
    return value.asText();
  }

  /** A string, or a number or boolean taken as its text: {@code "default": 8080} is fine. */
  private String scalar(JsonNode node, String where, String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      return null;
    }
    if (!value.isValueNode() || value.isNull()) {
      problem(where + "." + field, "is not a string, number or boolean");
      return null;
    }
    return value.asText();
  }

  private Boolean bool(JsonNode node, String where, String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      return null;
    }
    if (!value.isBoolean()) {
      problem(where + "." + field, "is not true or false");
      return null;
    }
    return value.booleanValue();
  }

  private Integer integer(JsonNode node, String where, String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      return null;
    }
    if (!value.isInt()) {
      problem(where + "." + field, "is not an integer");
      return null;
    }
    return value.intValue();
  }

  private List<String> strings(JsonNode node, String where, String field, boolean scalars) {
    JsonNode value = node.get(field);
    if (value == null) {
      return null;
    }
    if (!value.isArray()) {
      problem(where + "." + field, "is not an array of strings");
      return null;
    }
    List<String> list = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      boolean ok = item.isTextual() || (scalars && item.isValueNode() && !item.isNull());
      if (!ok) {
        problem(where + "." + field + "[" + i + "]", "is not a string");
        return null;
      }
      list.add(item.asText());
    }
    return list;
  }
}
