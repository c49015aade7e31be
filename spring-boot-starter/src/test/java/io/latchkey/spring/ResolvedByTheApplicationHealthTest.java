package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.ProviderException;
import io.latchkey.resolver.ProviderHealth;
import io.latchkey.resolver.SecretResolver;
import java.lang.reflect.Method;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code latchkey} health indicator when the application resolves a reference through the
 * resolver bean the starter registers ({@code latchkeySecretResolver}, {@link
 * LatchkeySecrets#resolver()}), rather than through a property.
 */
final class ResolvedByTheApplicationHealthTest {

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
