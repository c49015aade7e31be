package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigSchema;
import io.latchkey.config.Setting;
import io.latchkey.testsupport.Leaks;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A schema setting declared as not secret whose value reaches a property written as a reference
 * through a placeholder holds that secret: it is never quoted, in the failure report, the log or
 * the endpoint.
 */
@ExtendWith(OutputCaptureExtension.class)
final class SchemaPlaceholderTest {
  private static final String CANARY = "sk-canary-1679091c5a880faf6fb5";

  @BeforeEach
  void provider() {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("partner", CANARY);
  }

  @Test
  void nonSecretSetting_expandedFromAReference_isNotQuotedInTheFailure(CapturedOutput output) {
    assertThatThrownBy(
            () ->
                TestApps.of(WithSchema.class)
                    .property("partner.token", "ref+test:partner")
                    .property("app.mode", "x-${partner.token}")
                    .property("latchkey.allow-plain-string-binding", "app.*")
                    .run())
        .hasRootCauseInstanceOf(ConfigException.class)
        .satisfies(e -> Leaks.assertNoLeak(e, CANARY));
    assertThat(output.getOut())
        .contains("APPLICATION FAILED TO START")
        .contains("APP_MODE: ")
        .contains("provider (test:partner through a placeholder");
    Leaks.assertNoLeak("start-up output and log", output.getAll(), CANARY);
  }

  @Test
  void nonSecretSetting_expandedFromAReference_isMaskedInTheEndpoint() {
    try (ConfigurableApplicationContext context =
        TestApps.of(WithSchema.class)
            .property("partner.token", "ref+test:partner")
            .property("app.mode", "live")
            .property("app.header", "Bearer ${partner.token}")
            .property("latchkey.allow-plain-string-binding", "app.*")
            .property("management.endpoints.web.exposure.include", "latchkey")
            .run()) {
      Config config = context.getBean(Config.class);
      assertThat(config.get("APP_HEADER", String.class)).isEqualTo("Bearer " + CANARY);
      Leaks.assertNoLeak("config", config.toString(), CANARY);

      Map<String, Object> report = context.getBean(LatchkeyEndpoint.class).report();
      assertThat(report.toString()).contains("setting=APP_HEADER, source=provider");
      Leaks.assertNoLeak("the latchkey endpoint", report.toString(), CANARY);
    }
  }

  @Test
  void nonSecretSetting_reachingAReferenceThroughAChain_isMaskedInTheEndpoint() {
    try (ConfigurableApplicationContext context =
        TestApps.of(WithSchema.class)
            .property("partner.token", "ref+test:partner")
            .property("app.mode", "live")
            .property("app.raw", "${partner.token}")
            .property("app.header", "Bearer ${app.raw}")
            .property("latchkey.allow-plain-string-binding", "app.*")
            .property("management.endpoints.web.exposure.include", "latchkey")
            .run()) {
      Config config = context.getBean(Config.class);
      assertThat(config.get("APP_HEADER", String.class)).isEqualTo("Bearer " + CANARY);
      Leaks.assertNoLeak("config", config.toString(), CANARY);
      Leaks.assertNoLeak("config report", config.report().toString(), CANARY);

      Map<String, Object> report = context.getBean(LatchkeyEndpoint.class).report();
      assertThat(report.toString()).contains("setting=APP_HEADER, source=provider, value=***");
      Leaks.assertNoLeak("the latchkey endpoint", report.toString(), CANARY);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WithSchema {
    @Bean
    ConfigSchema schema() {
      return ConfigSchema.builder()
          .add(Setting.oneOf("APP_MODE", "live", "sandbox").build())
          .add(Setting.string("APP_HEADER").optional().build())
          .build();
    }
  }
}
