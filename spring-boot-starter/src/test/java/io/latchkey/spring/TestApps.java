package io.latchkey.spring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Starts real Spring Boot applications for the tests: command-line properties, a stand-in
 * environment.
 */
final class TestApps {
  private final List<Class<?>> sources = new ArrayList<>();
  private final Map<String, String> args = new LinkedHashMap<>();
  private final Map<String, Object> environmentVariables = new LinkedHashMap<>();
  private final List<ApplicationContextInitializer<ConfigurableApplicationContext>> initializers =
      new ArrayList<>();

  private TestApps(Class<?>... sources) {
    this.sources.addAll(List.of(sources));
    args.put("spring.config.import", "latchkey:");
    args.put("latchkey.watch-interval", "0s");
    args.put("spring.main.banner-mode", "off");
  }

  static TestApps of(Class<?>... sources) {
    return new TestApps(sources);
  }

  TestApps property(String name, String value) {
    args.put(name, value);
    return this;
  }

  /** Removes a property set by default, such as {@code spring.config.import}. */
  TestApps without(String name) {
    args.remove(name);
    return this;
  }

  /** Sets a variable of the stand-in process environment Spring reads. */
  TestApps env(String name, String value) {
    environmentVariables.put(name, value);
    return this;
  }

  /** Adds an initializer, run on the context before its sources are loaded. */
  TestApps initializer(ApplicationContextInitializer<ConfigurableApplicationContext> initializer) {
    initializers.add(initializer);
    return this;
  }

  ConfigurableApplicationContext run() {
    SpringApplication app = new SpringApplication(sources.toArray(Class<?>[]::new));
    app.setWebApplicationType(WebApplicationType.NONE);
    app.setBannerMode(Banner.Mode.OFF);
    app.setLogStartupInfo(false);
    initializers.forEach(app::addInitializers);
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environmentVariables));
    app.setEnvironment(environment);
    return app.run(
        args.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new));
  }
}
