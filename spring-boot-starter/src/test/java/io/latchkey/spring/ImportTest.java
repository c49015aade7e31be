package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;

/**
 * {@code spring.config.import=latchkey:} turns the starter on wherever Spring Boot processes it,
 * and only there: the loader adds no config data of its own, and leaves the import's source in the
 * run's bootstrap context instead.
 */
final class ImportTest {
  private static final String CANARY = "canary-import-45c48cce2e2d7fbdea1a";

  @BeforeEach
  void reset() {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("partner", CANARY);
  }

  @Test
  void theSourceIsTakenFromTheEnvironment_elseFromTheBootstrapContext_elseThereIsNone()
      throws Exception {
    StandardEnvironment environment = new StandardEnvironment();
    Object bootstrap = newBootstrapContext();
    ApplicationEnvironmentPreparedEvent event =
        (ApplicationEnvironmentPreparedEvent)
            ApplicationEnvironmentPreparedEvent.class.getConstructors()[0].newInstance(
                bootstrap, new SpringApplication(), new String[0], environment);
    assertThat(LatchkeyApplicationListener.imported(event)).isNull();

    ReferencePropertySource left = new ReferencePropertySource();
    Bootstrap.registerIfAbsent(bootstrap, ReferencePropertySource.class, left);
    // A second import of latchkey: (another file, another profile) keeps the first source.
    Bootstrap.registerIfAbsent(
        bootstrap, ReferencePropertySource.class, new ReferencePropertySource());
    assertThat(LatchkeyApplicationListener.imported(event)).isSameAs(left);

    // An environment prepared before (a context restarted on it) keeps its own.
    ReferencePropertySource prepared = new ReferencePropertySource();
    environment.getPropertySources().addLast(prepared);
    assertThat(LatchkeyApplicationListener.imported(event)).isSameAs(prepared);
  }

  @Test
  void optionalOrNot_theImportResolves_andLeavesOneSourceAheadOfTheOthers() {
    for (String location : new String[] {"latchkey:", "optional:latchkey:"}) {
      try (ConfigurableApplicationContext context =
          TestApps.of(App.class)
              .property("spring.config.import", location)
              .property("partner.token", "ref+test:partner")
              .run()) {
        assertThat(context.getEnvironment().getProperty("partner.token")).isEqualTo(CANARY);
        var names =
            context.getEnvironment().getPropertySources().stream()
                .filter(s -> s instanceof ReferencePropertySource)
                .map(s -> s.getName())
                .toList();
        assertThat(names).containsExactly(ReferencePropertySource.NAME);
        // Behind Spring's attached view of every source only, so it wins over all of them.
        assertThat(context.getEnvironment().getPropertySources().stream().skip(1).findFirst())
            .get()
            .isInstanceOf(ReferencePropertySource.class);
      }
    }
  }

  @Test
  void anImportInADocumentOfAnInactiveProfile_turnsNothingOn() {
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class)
            .without("spring.config.import")
            .property("spring.config.location", "classpath:latchkey-import-on-profile.properties")
            .run()) {
      assertThat(context.getEnvironment().getProperty("partner.token"))
          .isEqualTo("ref+test:partner");
      assertThat(context.containsBean(LatchkeyApplicationListener.RUNTIME_BEAN)).isFalse();
    }
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class)
            .without("spring.config.import")
            .property("spring.config.location", "classpath:latchkey-import-on-profile.properties")
            .property("spring.profiles.active", "secrets")
            .run()) {
      assertThat(context.getEnvironment().getProperty("partner.token")).isEqualTo(CANARY);
      assertThat(context.containsBean(LatchkeyApplicationListener.RUNTIME_BEAN)).isTrue();
    }
  }

  @Test
  void aBootstrapContextWithoutTheExpectedMethods_failsNamingTheMethod() {
    assertThatThrownBy(() -> Bootstrap.get(new Object(), ReferencePropertySource.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this Spring Boot version's java.lang.Object has no method getOrElse");
  }

  @Test
  void anEventWithoutABootstrapContext_leavesAnApplicationWithoutTheImportAlone() {
    // A Spring Boot whose event had no getBootstrapContext: the listeners, which run for every
    // application, find no import instead of failing start-up.
    StandardEnvironment environment = new StandardEnvironment();
    assertThat(LatchkeyApplicationListener.imported(environment, Object.class, new Object()))
        .isNull();
    ReferencePropertySource prepared = new ReferencePropertySource();
    environment.getPropertySources().addLast(prepared);
    assertThat(LatchkeyApplicationListener.imported(environment, Object.class, new Object()))
        .isSameAs(prepared);
    // The import's loader, which runs only where latchkey: is imported, still fails, naming it.
    assertThatThrownBy(() -> Bootstrap.of(Object.class, new Object()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "this Spring Boot version's java.lang.Object has no method getBootstrapContext");
  }

  /** A new DefaultBootstrapContext, from the package it has in the Spring Boot under test. */
  private static Object newBootstrapContext() throws ReflectiveOperationException {
    Class<?> type;
    try {
      type = Class.forName("org.springframework.boot.bootstrap.DefaultBootstrapContext");
    } catch (ClassNotFoundException e) {
      type = Class.forName("org.springframework.boot.DefaultBootstrapContext");
    }
    return type.getConstructor().newInstance();
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}
}
