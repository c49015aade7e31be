package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.Secret;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigSchema;
import io.latchkey.config.Setting;
import io.latchkey.testsupport.Leaks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link Config} bean exists exactly when a schema is configured, as a bean or as a file, and
 * the check that keeps secrets out of plain strings is in place whether or not one is.
 */
final class SchemaCheckTest {
  private static final String CANARY = "canary-2f1c0e9a7d4b4c55a1f3";

  @BeforeEach
  void provider() {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("partner", CANARY);
  }

  @Test
  void noSchema_noConfigBean_butThePlainStringCheck() {
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class).property("partner.token", "ref+test:partner").run()) {
      assertThat(context.getBeansOfType(Config.class)).isEmpty();
      assertThat(context.getBeansOfType(ConfigurationPropertiesBindHandlerAdvisor.class))
          .containsKey(LatchkeyApplicationListener.PLAIN_STRING_BEAN);
    }
  }

  @Test
  void aSchemaBean_givesTheConfigBean_withReferencesResolved() {
    try (ConfigurableApplicationContext context =
        TestApps.of(WithSchema.class).property("PARTNER_TOKEN", "ref+test:partner").run()) {
      Config config = context.getBean(SchemaCheck.BEAN, Config.class);
      assertThat(config.get("PARTNER_TOKEN", Secret.class).reveal()).isEqualTo(CANARY);
    }
  }

  @Test
  void aSchemaFile_givesTheConfigBean() {
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class)
            .property("PARTNER_TOKEN", "ref+test:partner")
            .property("latchkey.schema", "classpath:schema-good.json")
            .run()) {
      assertThat(context.getBeansOfType(Config.class)).containsOnlyKeys(SchemaCheck.BEAN);
    }
  }

  @Test
  void aSchemaBeanAndAFile_failStartUp_namingTheSetting() {
    assertThatThrownBy(
            () ->
                TestApps.of(WithSchema.class)
                    .property("PARTNER_TOKEN", "ref+test:partner")
                    .property("latchkey.schema", "classpath:schema-good.json")
                    .run())
        .hasRootCauseInstanceOf(ConfigException.class)
        .hasStackTraceContaining("latchkey.schema")
        .hasStackTraceContaining("keep one of the two")
        .satisfies(e -> Leaks.assertNoLeak(e, CANARY));
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WithSchema {
    @Bean
    ConfigSchema schema() {
      return ConfigSchema.builder().add(Setting.secret("PARTNER_TOKEN").build()).build();
    }
  }
}
