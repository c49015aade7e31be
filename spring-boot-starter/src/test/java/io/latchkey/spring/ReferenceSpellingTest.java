package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.Secret;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Which reference spellings survive Spring's placeholder resolution, proved through Spring's real
 * {@code Environment}: {@code ref+…} does, {@code ${ref:…}} does not, and with the starter both
 * resolve when they are a property's whole value.
 */
final class ReferenceSpellingTest {
  private static final String CANARY = "canary-7f3a9c21d4e8b6f0";

  @Test
  void plainSpring_placeholderSpelling_isReplacedByItsDefault() {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(new MapPropertySource("test", Map.of("app.key", "${ref:env:API_KEY}")));

    // Spring reads a placeholder named "ref" with the default "env:API_KEY".
    assertThat(environment.getProperty("app.key")).isEqualTo("env:API_KEY");
  }

  @Test
  void plainSpring_refPlusSpelling_passesThroughUnchanged() {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(new MapPropertySource("test", Map.of("app.key", "ref+aws:prod/db#password")));

    assertThat(environment.getProperty("app.key")).isEqualTo("ref+aws:prod/db#password");
    assertThat(environment.resolvePlaceholders("${app.key}")).isEqualTo("ref+aws:prod/db#password");
    assertThat(environment.resolveRequiredPlaceholders("x=${app.key}"))
        .isEqualTo("x=ref+aws:prod/db#password");
  }

  @Test
  void starter_refPlusSpelling_resolvesThroughTheEnvironment() {
    try (ConfigurableApplicationContext context =
        TestApps.of(Plain.class)
            .property("latchkey.environment.API_KEY", CANARY)
            .property("app.key", "ref+env:API_KEY")
            .run()) {
      assertThat(context.getEnvironment().getProperty("app.key")).isEqualTo(CANARY);
      assertThat(context.getEnvironment().resolvePlaceholders("[${app.key}]"))
          .isEqualTo("[" + CANARY + "]");
      assertThat(context.getBean(Plain.class).key).isEqualTo(CANARY);
      assertThat(context.getBean(Plain.class).secret.reveal()).isEqualTo(CANARY);
    }
  }

  @Test
  void starter_placeholderSpellingAsWholeValue_resolvesBeforeSpringReadsIt() {
    try (ConfigurableApplicationContext context =
        TestApps.of(Plain.class)
            .property("latchkey.environment.API_KEY", CANARY)
            .property("app.key", "${ref:env:API_KEY}")
            .run()) {
      assertThat(context.getEnvironment().getProperty("app.key")).isEqualTo(CANARY);
    }
  }

  @Test
  void starter_secretThatLooksLikeAPlaceholder_isNotInterpreted() {
    String value = "pa${ss}word-${missing:default}";
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("api", value);
    try (ConfigurableApplicationContext context =
        TestApps.of(Bound.class)
            .property("app.key", "ref+test:api")
            .property("app.db.password", "ref+test:api")
            .run()) {
      assertThat(context.getEnvironment().getProperty("app.key")).isEqualTo(value);
      assertThat(context.getBean(AppProperties.class).getDb().getPassword().reveal())
          .isEqualTo(value);
    }
  }

  @Test
  void starter_environmentVariable_bindsUnderItsRelaxedName() {
    try (ConfigurableApplicationContext context =
        TestApps.of(Bound.class)
            .property("latchkey.environment.DB_SECRET", CANARY)
            .env("APP_DB_PASSWORD", "ref+env:DB_SECRET")
            .run()) {
      AppProperties bound = context.getBean(AppProperties.class);
      assertThat(bound.getDb().getPassword().reveal()).isEqualTo(CANARY);
      assertThat(bound.getDb().getPassword().toString()).doesNotContain(CANARY);
      assertThat(context.getEnvironment().getProperty("APP_DB_PASSWORD")).isEqualTo(CANARY);
      assertThat(context.getEnvironment().getProperty("app.db.password")).isEqualTo(CANARY);
    }
  }

  @Test
  void starter_plainValueOfHigherPrecedence_winsOverAReference() {
    try (ConfigurableApplicationContext context =
        TestApps.of(Plain.class)
            .property("latchkey.environment.API_KEY", CANARY)
            .property("app.key", "plain-value")
            .env("APP_KEY", "ref+env:API_KEY")
            .run()) {
      assertThat(context.getEnvironment().getProperty("app.key")).isEqualTo("plain-value");
      assertThat(context.getBean(LatchkeySecrets.class).references()).isEmpty();
    }
  }

  @Test
  void starter_escapedPrefix_isPlainText() {
    try (ConfigurableApplicationContext context =
        TestApps.of(Plain.class).property("app.key", "ref++not-a-reference").run()) {
      // Spring hands the value over as written; Latchkey's own config sources unescape it.
      assertThat(context.getEnvironment().getProperty("app.key")).isEqualTo("ref++not-a-reference");
      assertThat(context.getBean(LatchkeySecrets.class).references()).isEmpty();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Plain {
    @Value("${app.key}")
    String key;

    @Value("${app.key}")
    Secret secret;
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableConfigurationProperties(AppProperties.class)
  static class Bound {}

  @ConfigurationProperties("app")
  static class AppProperties {
    private final Db db = new Db();

    Db getDb() {
      return db;
    }

    static class Db {
      private Secret password;

      Secret getPassword() {
        return password;
      }

      void setPassword(Secret password) {
        this.password = password;
      }
    }
  }
}
