package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.config.ConfigSchema;
import io.latchkey.config.Setting;
import io.latchkey.testsupport.Leaks;
import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Bad input gets a clear failure report that names the property and where it is written, never a
 * value: a missing secret, a provider down at start-up, a malformed reference, a reference inside a
 * longer value, a schema with errors, no provider at all.
 */
@ExtendWith(OutputCaptureExtension.class)
final class StartupFailureTest {
  private static final String CANARY = "canary-e41d8cd98f00b204e9800998";

  @BeforeEach
  void provider() {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("partner", CANARY);
  }

  @Test
  void missingSecret_failsNamingPropertySourceAndReference(CapturedOutput output) {
    assertThatThrownBy(
            () ->
                TestApps.of(App.class)
                    .property("partner.token", "ref+test:partner")
                    .property("partner.backup", "ref+test:nope")
                    .run())
        // Thrown where the first bean read a reference, and so waited for the load.
        .hasRootCauseInstanceOf(ConfigException.class)
        .satisfies(e -> Leaks.assertNoLeak(e, CANARY));
    assertThat(output.getOut())
        .contains("APPLICATION FAILED TO START")
        .contains("Latchkey found 1 problem")
        .contains("partner.backup (")
        .contains("commandLineArgs")
        .contains("secret test:nope: no secret named nope");
    Leaks.assertNoLeak("start-up output", output.getAll(), CANARY);
  }

  @Test
  void providerDown_failsFast_listingEveryProperty(CapturedOutput output) {
    TestCustomizer.provider().down(true);
    assertThatThrownBy(
            () ->
                TestApps.of(App.class)
                    .property("partner.token", "ref+test:partner")
                    .property("partner.other", "ref+test:partner")
                    .run())
        .hasRootCauseInstanceOf(ConfigException.class)
        .satisfies(e -> Leaks.assertNoLeak(e, CANARY));
    assertThat(output.getOut())
        .contains("Latchkey found 2 problems")
        .contains("partner.token (")
        .contains("partner.other (")
        .contains("unavailable: the test backend is down");
    Leaks.assertNoLeak("start-up output", output.getAll(), CANARY);
  }

  @Test
  void providerDown_continueConfigured_startsAndReportsDown(CapturedOutput output) {
    TestCustomizer.provider().down(true);
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class)
            .property("partner.token", "ref+test:partner")
            .property("latchkey.on-provider-failure", "continue")
            .run()) {
      LatchkeySecrets secrets = context.getBean(LatchkeySecrets.class);
      LatchkeyRuntime runtime = context.getBean(LatchkeyRuntime.class);
      assertThat(HealthView.of(secrets, runtime).status()).isEqualTo("DOWN");
      assertThat(output.getOut())
          .contains("property partner.token (")
          .contains("starting without it");

      TestCustomizer.provider().down(false);
      assertThat(context.getEnvironment().getProperty("partner.token")).isEqualTo(CANARY);
      assertThat(HealthView.of(secrets, runtime).status()).isEqualTo("UP");
    }
    Leaks.assertNoLeak("output", output.getAll(), CANARY);
  }

  @Test
  void providerDownForOneReference_continueConfigured_stillWarnsAboutTemplates(
      CapturedOutput output) {
    TestCustomizer.provider().downFor("partner");
    TestCustomizer.provider().put("template", "pa${ss}word-" + CANARY);
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class)
            .property("partner.token", "ref+test:partner")
            .property("partner.signing", "ref+test:template")
            .property("latchkey.on-provider-failure", "continue")
            .run()) {
      assertThat(context.getEnvironment().getProperty("partner.signing")).startsWith("pa${ss}");
      assertThat(output.getOut())
          .contains("property partner.token (")
          .contains("starting without it")
          .contains("property partner.signing (")
          .contains("the value of secret test:template contains '${'");
    }
    Leaks.assertNoLeak("output", output.getAll(), CANARY);
  }

  @Test
  void malformedReference_reportedByPositionOnly(CapturedOutput output) {
    String pasted = "ref+vault:team/payments#";
    assertThatThrownBy(() -> TestApps.of(App.class).property("partner.token", pasted).run())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("partner.token (")
        .hasMessageContaining("invalid secret reference at position");
    assertThat(output.getOut()).doesNotContain(pasted);
  }

  @Test
  void referenceInsideALongerValue_isAProblem(CapturedOutput output) {
    assertThatThrownBy(
            () ->
                TestApps.of(App.class)
                    .property("app.url", "jdbc:h2:mem:x;PASSWORD=${ref:test:partner}")
                    .run())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("app.url (")
        .hasMessageContaining("a reference must be the whole value, written ref+REFERENCE");
    Leaks.assertNoLeak("start-up output", output.getAll(), CANARY);
  }

  @Test
  void schemaWithErrors_listsEveryProblemAtOnce(CapturedOutput output) {
    assertThatThrownBy(
            () ->
                TestApps.of(WithSchema.class)
                    .property("PARTNER_TOKEN", "ref+test:partner")
                    .property("APP_PORT", "99999")
                    .property("APP_MODE", "staging")
                    .run())
        .satisfies(e -> Leaks.assertNoLeak(e, CANARY));
    assertThat(output.getOut())
        .contains("Latchkey found 3 problems")
        .contains("MISSING_KEY")
        .contains("APP_PORT")
        .contains("APP_MODE");
    Leaks.assertNoLeak("start-up output", output.getAll(), CANARY);
  }

  @Test
  void jsonSchemaWithErrors_listsEveryProblemAtOnce(CapturedOutput output) {
    assertThatThrownBy(
            () ->
                TestApps.of(App.class)
                    .property("latchkey.schema", "classpath:schema-bad.json")
                    .property("PARTNER_TOKEN", "ref+test:partner")
                    .property("APP_PORT", "not-a-port")
                    .run())
        .satisfies(e -> Leaks.assertNoLeak(e, CANARY));
    assertThat(output.getOut())
        .contains("Latchkey found 3 problems")
        .contains("MISSING_KEY")
        .contains("APP_PORT")
        .contains("APP_MODE");
    Leaks.assertNoLeak("start-up output", output.getAll(), CANARY);
  }

  @Test
  void jsonSchemaMissing_namesTheSetting() {
    assertThatThrownBy(
            () ->
                TestApps.of(App.class).property("latchkey.schema", "classpath:nowhere.json").run())
        .hasRootCauseInstanceOf(ConfigException.class)
        .hasStackTraceContaining(
            "latchkey.schema: names classpath:nowhere.json, which cannot be read");
  }

  @Test
  void importWithArgument_isRefused() {
    assertThatThrownBy(
            () -> TestApps.of(App.class).property("spring.config.import", "latchkey:aws").run())
        .hasStackTraceContaining("'latchkey:' takes nothing after the colon");
  }

  @Test
  void importWithNoProviderOnTheClassPath_saysWhichToAdd() {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(new MapPropertySource("test", Map.of("latchkey.watch-interval", "0s")));
    Thread thread = Thread.currentThread();
    ClassLoader original = thread.getContextClassLoader();
    thread.setContextClassLoader(new NoProviders(original));
    LatchkeyRuntime runtime;
    try {
      // The load runs on a thread of its own, which inherits this thread's class loader.
      runtime = LatchkeyRuntime.start(LatchkeySettings.read(environment), List.of(), List.of());
    } finally {
      thread.setContextClassLoader(original);
    }
    ConfigException e =
        org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, runtime::awaitLoaded);
    runtime.destroy();
    FailureAnalysis analysis = new LatchkeyFailureAnalyzer().analyze(e);
    assertThat(analysis.getDescription())
        .contains("spring.config.import=latchkey:")
        .contains("found no secret provider on the class path")
        .contains("latchkey-provider-env");
  }

  @Test
  void withoutTheImport_theStarterStaysOut() {
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class)
            .without("spring.config.import")
            .property("partner.token", "ref+test:partner")
            .run()) {
      assertThat(context.getBeanNamesForType(LatchkeySecrets.class)).isEmpty();
      assertThat(context.getEnvironment().getProperty("partner.token"))
          .isEqualTo("ref+test:partner");
    }
  }

  /** Hides the providers' service registrations, as a class path without any provider would. */
  private static final class NoProviders extends ClassLoader {
    NoProviders(ClassLoader parent) {
      super(parent);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      if (name.equals("META-INF/services/io.latchkey.spi.SecretProviderFactory")) {
        return Collections.emptyEnumeration();
      }
      return super.getResources(name);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WithSchema {
    @Bean
    ConfigSchema schema() {
      return ConfigSchema.builder()
          .add(Setting.secret("PARTNER_TOKEN").build())
          .add(Setting.secret("MISSING_KEY").build())
          .add(Setting.port("APP_PORT").build())
          .add(Setting.oneOf("APP_MODE", "live", "sandbox").build())
          .build();
    }
  }
}
