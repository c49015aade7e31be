package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.Leaks;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The placeholder check as a property over every way to reach a reference: the reference written in
 * the environment or on the command line, the placeholder spelled in each form Spring resolves,
 * written directly or through a chain of other properties, the holder itself in either source. In
 * every case either start-up fails, naming the property that would hold the secret as text, or that
 * property's expanded value does not hold the secret; and the secret is in no failure or output.
 */
final class PlaceholderReachTest {
  private static final String CANARY = "sk-canary-7c41e09d5b2a8f3361aa";

  /** Spellings of the reference's name inside a placeholder. */
  private static final List<String> SPELLINGS =
      List.of(
          "partner.token",
          "PARTNER_TOKEN",
          "partner_token",
          "Partner.Token",
          "partner.TOKEN",
          "PARTNER.TOKEN",
          "partner.token:fallback",
          "nothing.here:${partner.token}");

  @BeforeEach
  void provider() {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("partner", CANARY);
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (boolean referenceInEnv : new boolean[] {false, true}) {
      for (String spelling : SPELLINGS) {
        for (int hops = 0; hops <= 2; hops++) {
          for (boolean holderInEnv : new boolean[] {false, true}) {
            cases.add(Arguments.of(referenceInEnv, spelling, hops, holderInEnv));
          }
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "reference in env {0}, placeholder {1}, {2} hops, holder in env {3}")
  @MethodSource("cases")
  void aSecretReachedThroughPlaceholders_isRefusedOrAbsent(
      boolean referenceInEnv, String spelling, int hops, boolean holderInEnv) {
    TestApps app = TestApps.of(App.class);
    if (referenceInEnv) {
      app.env("PARTNER_TOKEN", "ref+test:partner");
    } else {
      app.property("partner.token", "ref+test:partner");
    }
    // app.hop1=${<spelling>}, app.hop2=${app.hop1}, ... (in the holder's source): each allowed to
    // hold the text, so only the last property, which is not, must be refused.
    String inner = "${" + spelling + "}";
    StringBuilder allowed = new StringBuilder("spring.*");
    for (int i = 1; i <= hops; i++) {
      String hop = "app.hop" + i;
      String hopValue = i == 1 ? inner : "${app.hop" + (i - 1) + "}";
      if (holderInEnv) {
        app.env("APP_HOP" + i, hopValue);
      } else {
        app.property(hop, hopValue);
      }
      allowed.append(',').append(hop);
    }
    app.property("latchkey.allow-plain-string-binding", allowed.toString());
    String value = "x-" + (hops == 0 ? inner : "${app.hop" + hops + "}");
    if (holderInEnv) {
      app.env("APP_HEADER", value);
    } else {
      app.property("app.header", value);
    }
    ConfigurableApplicationContext context;
    try {
      context = app.run();
    } catch (RuntimeException e) {
      Leaks.assertNoLeak(e, CANARY);
      assertThat(e).hasStackTraceContaining("app.header");
      return;
    }
    try (context) {
      String expanded;
      try {
        expanded = context.getEnvironment().getProperty("app.header");
      } catch (IllegalArgumentException e) {
        // A spelling Spring does not resolve: the value cannot be read at all.
        Leaks.assertNoLeak(e, CANARY);
        return;
      }
      assertThat(expanded)
          .as("app.header expanded to the secret, and start-up did not fail")
          .doesNotContain(CANARY);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}
}
