package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureAfter;
import org.springframework.boot.autoconfigure.AutoConfigureBefore;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;

/**
 * {@code META-INF/spring-autoconfigure-metadata.properties} says what the auto-configurations'
 * annotations say: Spring Boot trusts the file for every class it lists, so a condition or an order
 * missing from it would be ignored.
 */
final class AutoConfigurationMetadataTest {

  @Test
  void theMetadataMatchesTheAnnotations_ofEveryAutoConfiguration() throws Exception {
    Map<String, String> expected = new TreeMap<>();
    for (String name : imports()) {
      Class<?> type = Class.forName(name, false, getClass().getClassLoader());
      assertThat(type.isAnnotationPresent(AutoConfiguration.class)).as(name).isTrue();
      assertThat(type.isAnnotationPresent(ConditionalOnSingleCandidate.class)).as(name).isFalse();
      assertThat(type.isAnnotationPresent(ConditionalOnWebApplication.class)).as(name).isFalse();
      expected.put(name, "");
      AutoConfiguration auto = type.getAnnotation(AutoConfiguration.class);
      AutoConfigureAfter after = type.getAnnotation(AutoConfigureAfter.class);
      AutoConfigureBefore before = type.getAnnotation(AutoConfigureBefore.class);
      put(
          expected,
          name,
          "AutoConfigureAfter",
          Stream.concat(
              names(auto.after(), auto.afterName()),
              after == null ? Stream.empty() : names(after.value(), after.name())));
      put(
          expected,
          name,
          "AutoConfigureBefore",
          Stream.concat(
              names(auto.before(), auto.beforeName()),
              before == null ? Stream.empty() : names(before.value(), before.name())));
      if (type.isAnnotationPresent(AutoConfigureOrder.class)) {
        expected.put(
            name + ".AutoConfigureOrder",
            String.valueOf(type.getAnnotation(AutoConfigureOrder.class).value()));
      }
      ConditionalOnClass onClass = type.getAnnotation(ConditionalOnClass.class);
      if (onClass != null) {
        put(expected, name, "ConditionalOnClass", names(onClass.value(), onClass.name()));
      }
      ConditionalOnBean onBean = type.getAnnotation(ConditionalOnBean.class);
      if (onBean != null) {
        put(expected, name, "ConditionalOnBean", names(onBean.value(), onBean.type()));
      }
    }
    assertThat(metadata()).isEqualTo(expected);
  }

  private static Stream<String> names(Class<?>[] types, String[] names) {
    return Stream.concat(Arrays.stream(types).map(Class::getName), Arrays.stream(names));
  }

  private static void put(Map<String, String> into, String type, String key, Stream<String> names) {
    Set<String> values = names.collect(Collectors.toCollection(TreeSet::new));
    if (!values.isEmpty()) {
      into.put(type + "." + key, String.join(",", values));
    }
  }

  /** The file, each list of names sorted. */
  private Map<String, String> metadata() throws IOException {
    Properties properties = new Properties();
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-autoconfigure-metadata.properties")) {
      assertThat(in).isNotNull();
      properties.load(in);
    }
    Map<String, String> sorted = new TreeMap<>();
    for (String key : properties.stringPropertyNames()) {
      String value = properties.getProperty(key);
      sorted.put(
          key,
          key.endsWith(".AutoConfigureOrder")
              ? value
              : Arrays.stream(value.split(","))
                  .filter(s -> !s.isEmpty())
                  .sorted()
                  .collect(Collectors.joining(",")));
    }
    return sorted;
  }

  private List<String> imports() throws IOException {
    try (InputStream in =
        getClass()
            .getResourceAsStream(
                "/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
      assertThat(in).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .toList();
    }
  }
}
