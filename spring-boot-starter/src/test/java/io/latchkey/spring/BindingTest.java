package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.Secret;
import io.latchkey.testsupport.Leaks;
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
 * {@code @ConfigurationProperties} binding: a reference binds to a {@code Secret} field, and to a
 * plain {@code String} field only where the user allowed it.
 */
@ExtendWith(OutputCaptureExtension.class)
final class BindingTest {
  private static final String CANARY = "sk-canary-3b1e0c9f27d84a6e";

  @BeforeEach
  void provider() {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("partner", CANARY);
  }

  @Test
  void secretField_bindsTheResolvedValue_masked() {
    try (ConfigurableApplicationContext context =
        TestApps.of(WithSecret.class).property("partner.token", "ref+test:partner").run()) {
      SecretProperties bound = context.getBean(SecretProperties.class);
      assertThat(bound.getToken().reveal()).isEqualTo(CANARY);
      Leaks.assertNoLeak("toString", bound.getToken().toString(), CANARY);
    }
  }

  @Test
  void stringField_isRefused_namingPropertySourceAndReference(CapturedOutput output) {
    assertThatThrownBy(
            () -> TestApps.of(WithString.class).property("partner.token", "ref+test:partner").run())
        .satisfies(e -> Leaks.assertNoLeak(e, CANARY))
        .hasStackTraceContaining("partner.token");

    assertThat(output.getOut())
        .contains("APPLICATION FAILED TO START")
        .contains("Property partner.token (")
        .contains("is the secret reference test:partner")
        .contains("bound to a plain String field")
        .contains("latchkey.allow-plain-string-binding=spring.*,partner.token");
    Leaks.assertNoLeak("start-up output", output.getAll(), CANARY);
  }

  @Test
  void stringField_allowedByName_binds() {
    try (ConfigurableApplicationContext context =
        TestApps.of(WithString.class)
            .property("partner.token", "ref+test:partner")
            .property("latchkey.allow-plain-string-binding", "spring.*,partner.token")
            .run()) {
      assertThat(context.getBean(StringProperties.class).getToken()).isEqualTo(CANARY);
    }
  }

  @Test
  void stringField_allowedByPrefix_binds() {
    try (ConfigurableApplicationContext context =
        TestApps.of(WithString.class)
            .property("partner.token", "ref+test:partner")
            .property("latchkey.allow-plain-string-binding", "partner.*")
            .run()) {
      assertThat(context.getBean(StringProperties.class).getToken()).isEqualTo(CANARY);
    }
  }

  @Test
  void stringField_plainValue_bindsAsAlways() {
    try (ConfigurableApplicationContext context =
        TestApps.of(WithString.class).property("partner.token", "not-a-reference").run()) {
      assertThat(context.getBean(StringProperties.class).getToken()).isEqualTo("not-a-reference");
    }
  }

  @Test
  void secretField_plainValue_isWrapped() {
    try (ConfigurableApplicationContext context =
        TestApps.of(WithSecret.class).property("partner.token", "plain-token-value").run()) {
      assertThat(context.getBean(SecretProperties.class).getToken().reveal())
          .isEqualTo("plain-token-value");
    }
  }

  @Test
  void intField_referenceToANumber_converts() {
    TestCustomizer.provider().put("port", "5433");
    try (ConfigurableApplicationContext context =
        TestApps.of(WithSecret.class)
            .property("partner.token", "ref+test:partner")
            .property("partner.port", "ref+test:port")
            .run()) {
      assertThat(context.getBean(SecretProperties.class).getPort()).isEqualTo(5433);
    }
  }

  @Test
  void intField_referenceToText_failsWithoutQuotingIt(CapturedOutput output) {
    assertThatThrownBy(
            () ->
                TestApps.of(WithSecret.class)
                    .property("partner.token", "ref+test:partner")
                    .property("partner.port", "ref+test:partner")
                    .run())
        .satisfies(e -> Leaks.assertNoLeak(e, CANARY));
    // Boot's own bind failure analysis quotes "the value": a resolved value prints as its
    // reference.
    assertThat(output.getOut()).contains("partner.port").contains("ref+test:partner (secret)");
    Leaks.assertNoLeak("start-up output", output.getAll(), CANARY);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableConfigurationProperties(SecretProperties.class)
  static class WithSecret {}

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableConfigurationProperties(StringProperties.class)
  static class WithString {}

  @ConfigurationProperties("partner")
  static class SecretProperties {
    private Secret token;
    private int port;

    Secret getToken() {
      return token;
    }

    void setToken(Secret token) {
      this.token = token;
    }

    int getPort() {
      return port;
    }

    void setPort(int port) {
      this.port = port;
    }
  }

  @ConfigurationProperties("partner")
  static class StringProperties {
    private String token;

    String getToken() {
      return token;
    }

    void setToken(String token) {
      this.token = token;
    }
  }
}
