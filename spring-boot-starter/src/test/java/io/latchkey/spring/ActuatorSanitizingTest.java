package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.Leaks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The actuator's {@code configprops} and {@code env} endpoints with {@code show-values=ALWAYS}: the
 * starter's sanitizing function masks every value of the {@code latchkey} source (Boot binds {@code
 * spring.datasource.password} into a {@code String} field of its own) and every value that holds a
 * secret's text (a URL whose placeholder names a reference).
 */
final class ActuatorSanitizingTest {
  private static final String CANARY = "canary-Zq8x/Yt+42=pLmN0wRv";

  @BeforeEach
  void provider() {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("db", CANARY).put("hikari", CANARY);
  }

  private static TestApps app(String name) {
    return TestApps.of(App.class)
        .property("management.endpoints.web.exposure.include", "configprops,env")
        .property("management.endpoint.configprops.show-values", "ALWAYS")
        .property("management.endpoint.env.show-values", "ALWAYS")
        .property("spring.datasource.url", "jdbc:h2:mem:" + name)
        .property("spring.datasource.password", "ref+test:db");
  }

  @Test
  void configprops_masksPropertiesOfTheLatchkeySource() {
    try (ConfigurableApplicationContext context =
        app("configprops-source")
            .property("spring.datasource.hikari.password", "ref+test:hikari")
            .run()) {
      String report = configprops(context);

      assertThat(report).contains("spring.datasource").contains("spring.datasource.hikari");
      assertThat(report).contains("password=******");
      Leaks.assertNoLeak("/actuator/configprops", report, CANARY);
    }
  }

  @Test
  void configprops_masksAValueWhosePlaceholderReachesAReference() {
    try (ConfigurableApplicationContext context =
        app("configprops-placeholder")
            .property("db.password", "ref+test:db")
            .property("spring.datasource.url", "jdbc:h2:mem:placeholder;password=${db.password}")
            .run()) {
      String report = configprops(context);

      assertThat(report).contains("url=******");
      Leaks.assertNoLeak("/actuator/configprops", report, CANARY);
    }
  }

  @Test
  void env_masksTheLatchkeySource_andShowsPlaceholdersWithTheReference() {
    try (ConfigurableApplicationContext context =
        app("env")
            .property("db.password", "ref+test:db")
            .property("spring.datasource.url", "jdbc:h2:mem:env;password=${db.password}")
            .property("spring.datasource.hikari.password", "ref+test:hikari")
            .run()) {
      EnvironmentEndpoint endpoint = context.getBean(EnvironmentEndpoint.class);
      List<String> lines = new ArrayList<>();
      for (EnvironmentEndpoint.PropertySourceDescriptor source :
          endpoint.environment(null).getPropertySources()) {
        source
            .getProperties()
            .forEach((name, v) -> lines.add(source.getName() + " " + name + "=" + v.getValue()));
      }
      String report = String.join("\n", lines);

      assertThat(report)
          .contains("latchkey spring.datasource.password=******")
          .contains("latchkey spring.datasource.hikari.password=******")
          .contains("password=ref+test:db (secret)");
      Leaks.assertNoLeak("/actuator/env", report, CANARY);
    }
  }

  private static String configprops(ConfigurableApplicationContext context) {
    ConfigurationPropertiesReportEndpoint endpoint =
        context.getBean(ConfigurationPropertiesReportEndpoint.class);
    List<String> beans = new ArrayList<>();
    endpoint
        .configurationProperties()
        .getContexts()
        .forEach(
            (id, descriptor) ->
                descriptor
                    .getBeans()
                    .forEach(
                        (name, bean) ->
                            beans.add(
                                bean.getPrefix()
                                    + " "
                                    + bean.getProperties()
                                    + " inputs "
                                    + bean.getInputs())));
    return String.join("\n", beans);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}
}
