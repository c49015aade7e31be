package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.Secret;
import io.latchkey.testsupport.Leaks;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The "no secret as text" check beyond a plain {@code String} field: collections, arrays and maps
 * of text are refused, {@code Object} targets receive a {@code Secret}, and a placeholder naming a
 * property written as a reference is a start-up problem unless allowed.
 */
@ExtendWith(OutputCaptureExtension.class)
final class PlainStringBindingTest {
  private static final String CANARY = "sk-canary-7d793037a0760186574b";

  @BeforeEach
  void provider() {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("partner", CANARY);
  }

  @Test
  void listOfString_isRefused(CapturedOutput output) {
    assertRefused("partner.list", "java.util.List<java.lang.String>", output);
  }

  @Test
  void arrayOfString_isRefused(CapturedOutput output) {
    assertRefused("partner.array", "java.lang.String[]", output);
  }

  @Test
  void setOfString_isRefused(CapturedOutput output) {
    assertRefused("partner.set", "java.util.Set<java.lang.String>", output);
  }

  @Test
  void listOfObject_isRefused(CapturedOutput output) {
    assertRefused("partner.objects", "java.util.List<java.lang.Object>", output);
  }

  @Test
  void typesAStringIs_areRefused(CapturedOutput output) {
    // The converter gives a Serializable or Comparable field the secret's text.
    assertRefused("partner.serializable", "java.io.Serializable", output);
    assertRefused("partner.comparable", "java.lang.Comparable<?>", output);
    assertRefused("partner.serializables", "java.util.List<java.io.Serializable>", output);
  }

  @Test
  void mapOfString_isRefused(CapturedOutput output) {
    assertRefused("partner.strings.token", "java.lang.String", output);
  }

  @Test
  void listOfString_allowedByName_binds() {
    try (ConfigurableApplicationContext context =
        TestApps.of(WithShapes.class)
            .property("partner.list", "ref+test:partner")
            .property("latchkey.allow-plain-string-binding", "partner.list")
            .run()) {
      assertThat(context.getBean(Shapes.class).getList()).containsExactly(CANARY);
    }
  }

  @Test
  void objectTargets_receiveASecret() {
    try (ConfigurableApplicationContext context =
        TestApps.of(WithShapes.class)
            .property("partner.any", "ref+test:partner")
            .property("partner.extra.token", "ref+test:partner")
            .property("partner.extra.plain", "plain-value")
            .run()) {
      Shapes shapes = context.getBean(Shapes.class);
      assertThat(shapes.getAny()).isInstanceOf(Secret.class);
      assertThat(((Secret) shapes.getAny()).reveal()).isEqualTo(CANARY);
      assertThat(shapes.getExtra().get("token")).isInstanceOf(Secret.class);
      assertThat(((Secret) shapes.getExtra().get("token")).reveal()).isEqualTo(CANARY);
      assertThat(shapes.getExtra()).containsEntry("plain", "plain-value");
      Leaks.assertNoLeak("map", shapes.getExtra().toString(), CANARY);
      Leaks.assertNoLeak("object", shapes.getAny().toString(), CANARY);
    }
  }

  @Test
  void placeholderNamingAReference_isAProblem(CapturedOutput output) {
    assertThatThrownBy(
            () ->
                TestApps.of(WithShapes.class)
                    .property("partner.token", "ref+test:partner")
                    .property("partner.header", "Bearer ${partner.token}")
                    .run())
        .satisfies(e -> Leaks.assertNoLeak(e, CANARY))
        .hasMessageContaining("partner.header (")
        .hasMessageContaining("names partner.token, written as a secret reference")
        .hasMessageContaining("latchkey.allow-plain-string-binding=spring.*,partner.header");
    Leaks.assertNoLeak("start-up output", output.getAll(), CANARY);
  }

  @Test
  void placeholderInADefault_isAProblem() {
    assertThatThrownBy(
            () ->
                TestApps.of(WithShapes.class)
                    .property("partner.token", "ref+test:partner")
                    .property("partner.header", "${partner.missing:${partner.token}}")
                    .run())
        .satisfies(e -> Leaks.assertNoLeak(e, CANARY))
        .hasMessageContaining("names partner.token");
  }

  @Test
  void placeholderReachingAReferenceThroughAnotherProperty_isAProblem(CapturedOutput output) {
    assertThatThrownBy(
            () ->
                TestApps.of(WithShapes.class)
                    .property("partner.token", "ref+test:partner")
                    .property("partner.raw", "${partner.token}")
                    .property("partner.header", "Bearer ${partner.raw}")
                    .property("latchkey.allow-plain-string-binding", "spring.*,partner.raw")
                    .run())
        .satisfies(e -> Leaks.assertNoLeak(e, CANARY))
        .hasMessageContaining("partner.header (")
        .hasMessageContaining(
            "names partner.raw in a placeholder, which reaches partner.token, written as a secret"
                + " reference, through placeholders of its own")
        .hasMessageContaining("latchkey.allow-plain-string-binding=spring.*,partner.header")
        .hasMessageNotContaining("partner.raw (");
    Leaks.assertNoLeak("start-up output", output.getAll(), CANARY);
  }

  @Test
  void placeholderChain_shadowedLink_isNotAProblem() {
    // The environment's PARTNER_RAW would reach the secret, but the command line's partner.raw
    // is above it: Spring expands the plain one, so partner.header reaches no secret.
    try (ConfigurableApplicationContext context =
        TestApps.of(WithShapes.class)
            .property("partner.token", "ref+test:partner")
            .property("partner.raw", "plain")
            .env("PARTNER_RAW", "${partner.token}")
            .property("partner.header", "Bearer ${partner.raw}")
            .run()) {
      assertThat(context.getEnvironment().getProperty("partner.header")).isEqualTo("Bearer plain");
    }
  }

  @Test
  void placeholderNamingAReference_allowed_expandsThroughTheEnvironment() {
    try (ConfigurableApplicationContext context =
        TestApps.of(WithShapes.class)
            .property("partner.token", "ref+test:partner")
            .property("partner.header", "Bearer ${partner.token}")
            .property("latchkey.allow-plain-string-binding", "partner.header")
            .run()) {
      // Allowed: the expanded text holds the secret, as the user chose.
      assertThat(context.getEnvironment().getProperty("partner.header"))
          .isEqualTo("Bearer " + CANARY);
    }
  }

  private static void assertRefused(String property, String type, CapturedOutput output) {
    assertThatThrownBy(
            () -> TestApps.of(WithShapes.class).property(property, "ref+test:partner").run())
        .satisfies(e -> Leaks.assertNoLeak(e, CANARY))
        .hasStackTraceContaining(property);
    assertThat(output.getOut())
        .contains("APPLICATION FAILED TO START")
        .contains("Property " + property + " (")
        .contains("is the secret reference test:partner")
        .contains(
            type.equals("java.lang.String")
                ? "bound to a plain String field"
                : "bound to a field of type " + type + ", which holds it as text")
        .contains("latchkey.allow-plain-string-binding=spring.*," + property);
    Leaks.assertNoLeak("start-up output", output.getAll(), CANARY);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableConfigurationProperties(Shapes.class)
  static class WithShapes {}

  @ConfigurationProperties("partner")
  static class Shapes {
    private List<String> list;
    private String[] array;
    private Set<String> set;
    private List<Object> objects;
    private Map<String, String> strings;
    private Map<String, Object> extra;
    private Object any;
    private String header;
    private java.io.Serializable serializable;
    private Comparable<?> comparable;
    private List<java.io.Serializable> serializables;

    java.io.Serializable getSerializable() {
      return serializable;
    }

    void setSerializable(java.io.Serializable serializable) {
      this.serializable = serializable;
    }

    Comparable<?> getComparable() {
      return comparable;
    }

    void setComparable(Comparable<?> comparable) {
      this.comparable = comparable;
    }

    List<java.io.Serializable> getSerializables() {
      return serializables;
    }

    void setSerializables(List<java.io.Serializable> serializables) {
      this.serializables = serializables;
    }

    List<String> getList() {
      return list;
    }

    void setList(List<String> list) {
      this.list = list;
    }

    String[] getArray() {
      return array;
    }

    void setArray(String[] array) {
      this.array = array;
    }

    Set<String> getSet() {
      return set;
    }

    void setSet(Set<String> set) {
      this.set = set;
    }

    List<Object> getObjects() {
      return objects;
    }

    void setObjects(List<Object> objects) {
      this.objects = objects;
    }

    Map<String, String> getStrings() {
      return strings;
    }

    void setStrings(Map<String, String> strings) {
      this.strings = strings;
    }

    Map<String, Object> getExtra() {
      return extra;
    }

    void setExtra(Map<String, Object> extra) {
      this.extra = extra;
    }

    Object getAny() {
      return any;
    }

    void setAny(Object any) {
      this.any = any;
    }

    String getHeader() {
      return header;
    }

    void setHeader(String header) {
      this.header = header;
    }
  }
}
