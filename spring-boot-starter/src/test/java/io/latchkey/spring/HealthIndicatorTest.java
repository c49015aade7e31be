package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.ProviderException;
import io.latchkey.resolver.ProviderHealth;
import io.latchkey.resolver.SecretResolver;
import java.lang.reflect.Method;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code latchkey} health indicator, on whichever Spring Boot runs the test: Boot 4's health
 * API and Boot 3's have the same methods in different packages, so the indicator is read through
 * them by name and this one test serves both.
 */
final class HealthIndicatorTest {

  @Test
  void indicator_isRegisteredForThisBootVersion_withEachProvider() throws Exception {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("partner", "canary-2c26b46b68ffc68ff99b453c");
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class).property("partner.token", "ref+test:partner").run()) {
      Object indicator = context.getBean("latchkeyHealthIndicator");
      String expected =
          SpringBootVersion.getVersion().startsWith("3.")
              ? "org.springframework.boot.actuate.health.HealthIndicator"
              : "org.springframework.boot.health.contributor.HealthIndicator";
      assertThat(Class.forName(expected).isInstance(indicator)).isTrue();

      Object health = call(indicator, "health");
      assertThat(call(call(health, "getStatus"), "getCode")).isEqualTo("UP");
      @SuppressWarnings("unchecked")
      Map<String, Object> details = (Map<String, Object>) call(health, "getDetails");
      assertThat(details.get("providers").toString())
          .contains("test={status=OK")
          .contains("env={status=UNUSED}");
    }
  }

  /**
   * The application resolves {@code env:PARTNER_TOKEN} through the starter's resolver, and the env
   * provider fails (its .env file is missing): the resolver says FAILED, with one failed reference,
   * and so does the indicator, which is not UP: a provider the resolver called is in use.
   */
  @Test
  void aProviderTheApplicationResolvesThroughTheResolverBean_andThatFailed_isDown()
      throws Exception {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("partner", "canary-2c26b46b68ffc68ff99b453c");
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class)
            .property("partner.token", "ref+test:partner")
            .property(
                "latchkey.environment.LATCHKEY_ENV_FILE", "/nonexistent/latchkey-test/app.env")
            .run()) {
      SecretResolver resolver = context.getBean(LatchkeySecrets.class).resolver();
      assertThat(catchThrowable(() -> resolver.resolve("env:PARTNER_TOKEN")))
          .isInstanceOf(ProviderException.class);
      Map<String, ProviderHealth> core = resolver.health();
      assertThat(core.get("env").status()).isEqualTo(ProviderHealth.Status.FAILED);

      Object indicator = context.getBean("latchkeyHealthIndicator");
      Object health = call(indicator, "health");
      @SuppressWarnings("unchecked")
      Map<String, Object> details = (Map<String, Object>) call(health, "getDetails");
      Object status = call(call(health, "getStatus"), "getCode");
      assertThat(details.get("providers").toString())
          .as("indicator details while the resolver says %s", core)
          .doesNotContain("env={status=UNUSED}");
      assertThat(details.get("providers").toString()).contains("env={status=FAILED");
      assertThat(status).as("indicator status, details %s", details).isEqualTo("DOWN");
    }
  }

  private static Object call(Object target, String method) throws Exception {
    Method m = target.getClass().getMethod(method);
    m.setAccessible(true);
    return m.invoke(target);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}
}
