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

  /**
   * Reads one setting; returns null after recording its problems. Every independent problem is
   * recorded, not only the first: a field that is not of its JSON type, the name, the type and its
   * options, the default, each example and alias, the template, and the rules of the setting as a
   * whole. A check that needs what failed (a default needs the type) is left out rather than
   * reported as a second, false problem.
   */
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
    // The fields in this order, so that their problems come in it; those that shape the type
    // note whether they read well, since the type is built only from options that did.
    int mark = problems.size();
    String type = text(node, where, "type");
    if (type == null && node.get("type") == null) {
      problem(where + ".type", "is missing; expected one of " + String.join(", ", ValueType.NAMES));
    }
    boolean typeRead = type != null && problems.size() == mark;
    String description = text(node, where, "description");
    String group = text(node, where, "group");
    String derive = text(node, where, "derive");
    mark = problems.size();
    String element = text(node, where, "element");
    boolean optionsRead = problems.size() == mark;
    String defaultText = scalar(node, where, "default");
    Boolean required = bool(node, where, "required");
    Boolean secret = bool(node, where, "secret");
    List<String> examples = strings(node, where, "examples", true);
    List<String> aliases = strings(node, where, "aliases", false);
    mark = problems.size();
    List<String> schemes = strings(node, where, "schemes", false);
    List<String> values = strings(node, where, "values", false);
    Integer min = integer(node, where, "min");
    Integer max = integer(node, where, "max");
    optionsRead &= problems.size() == mark;
    if (Boolean.TRUE.equals(required) && defaultText != null) {
      problem(where + ".required", "is true, but a default is given; remove one of them");
    }

    ValueType<?> valueType = null;
    if (typeRead && optionsRead) {
      ValueType.Options options = new ValueType.Options(min, max, schemes, values, element, null);
      List<String> typeProblems = ValueType.optionProblems(type, options);
      if (typeProblems.isEmpty()) {
        try {
          valueType = ValueType.named(type, options);
        } catch (IllegalArgumentException e) {
          problem(where, e.getMessage());
        }
      } else {
        for (String typeProblem : typeProblems) {
          problem(where, typeProblem);
        }
      }
    }
    // The name is the builder's to judge; an invalid one is reported without being quoted. The
    // other checks then run under a stand-in name, so that they are not lost with it.
    boolean named = false;
    if (name != null) {
      try {
        Setting.of(name, ValueType.STRING);
        named = true;
      } catch (IllegalArgumentException e) {
        problem(where, e.getMessage());
      }
    }
    String builderName = named ? name : standIn(aliases, derive);
    // Without its type, a setting's default and examples cannot be checked; the rest can.
    ValueType<?> builderType = valueType == null ? ValueType.STRING : valueType;
    Setting.Builder<?> builder = Setting.of(builderName, builderType);
    String prefix = builderName + ": ";
    if (description != null) {
      builder.description(description);
    }
    if (group != null) {
      attempt(where, prefix, () -> builder.group(group));
    }
    if (Boolean.TRUE.equals(secret)) {
      builder.secret();
    }
    if (defaultText != null && valueType != null) {
      attempt(where, prefix, () -> builder.defaultText(defaultText));
    }
    if (Boolean.FALSE.equals(required)) {
      builder.optional();
    }
    if (examples != null && valueType != null) {
      // Each example on its own: every bad one is reported, under the field that holds it.
      boolean each = true;
      for (int i = 0; i < examples.size(); i++) {
        String example = examples.get(i);
        each &= attempt(where + ".examples[" + i + "]", prefix, () -> builder.examples(example));
      }
      if (each) {
        builder.examples(examples.toArray(new String[0]));
      }
    }
    if (aliases != null) {
      // Each alias on its own first, under its index: an invalid one is not shown, and the index
      // is what tells which of several it is; then the list as a whole (an alias listed twice).
      boolean each = true;
      for (int i = 0; i < aliases.size(); i++) {
        String alias = aliases.get(i);
        each &=
            attempt(
                where + ".aliases[" + i + "]",
                prefix,
                () -> Setting.of(builderName, ValueType.STRING).aliases(alias));
      }
      if (each) {
        attempt(where, prefix, () -> builder.aliases(aliases.toArray(new String[0])));
      }
    }
    if (derive != null) {
      attempt(where, prefix, () -> builder.derive(derive));
    }
    // The rules of the setting as a whole; those that need the type or the default pass while
    // either is missing, having been reported already.
    Setting<?>[] built = new Setting<?>[1];
    attempt(where, prefix, () -> built[0] = builder.build());
    return problems.size() > before ? null : built[0];
  }

  /**
   * Runs one step of the builder, recording its refusal under {@code where} without the name the
   * builder's messages start with (the problem gives it, or it is a stand-in).
   *
   * @return whether the step succeeded
   */
  private boolean attempt(String where, String prefix, Runnable step) {
    try {
      step.run();
      return true;
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      problem(where, message.startsWith(prefix) ? message.substring(prefix.length()) : message);
      return false;
    }
  }

  /**
   * A valid name to check a setting's other fields under when its own is missing or invalid: one
   * that is none of its aliases and appears nowhere in its template, so that no check (an alias
   * that is the setting's own name, a setting derived from itself) fails because of it.
   */
  private static String standIn(List<String> aliases, String derive) {
    String name = "SETTING";
    while ((aliases != null && aliases.contains(name))
        || (derive != null && derive.contains(name))) {
      name += "_";
    }
    return name;
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
