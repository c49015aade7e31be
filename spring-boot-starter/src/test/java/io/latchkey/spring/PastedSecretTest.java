package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.PastedSecrets;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/**
 * A secret pasted into one of the starter's own settings ({@code latchkey.ttl}, {@code
 * latchkey.schema}, {@code latchkey.allow-plain-string-binding} and the rest of {@link
 * LatchkeySettings#NAMES}) reaches neither the exception start-up ends with nor what the
 * application prints (the failure report and the log), for every shape of {@link PastedSecrets}.
 */
@ExtendWith(OutputCaptureExtension.class)
final class PastedSecretTest {
  @BeforeEach
  void provider() {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("partner", "partner-value");
  }

  static Stream<Arguments> pastings() {
    return LatchkeySettings.NAMES.stream()
        // A map of the providers' variables, each provider's own PastedSecretTest covers it.
        .filter(name -> !name.equals(LatchkeySettings.ENVIRONMENT))
        .flatMap(
            setting ->
                PastedSecrets.shapes().entrySet().stream()
                    .map(shape -> Arguments.of(setting, shape.getKey(), shape.getValue())));
  }

  @ParameterizedTest(name = "{1} in {0}")
  @MethodSource("pastings")
  void pastedSecret_reachesNoOutput(
      String setting, String shape, String pasted, CapturedOutput output) {
    String secret = PastedSecrets.core(pasted);
    try {
      // When it starts, the setting took the text, and only the output is left to check.
      TestApps.of(App.class)
          .property("partner.token", "ref+test:partner")
          .property(setting, pasted)
          .run()
          .close();
    } catch (RuntimeException e) {
      Leaks.assertNoLeak(e, secret);
    }
    Leaks.assertNoLeak(shape + " in " + setting + ": the output", output.getAll(), secret);
  }

  @Test
  void settingSpringCannotConvert_isAProblemNamingItAndWhatItExpects(CapturedOutput output) {
    assertThatThrownBy(
            () ->
                TestApps.of(App.class)
                    .property(LatchkeySettings.TTL, PastedSecrets.FERNET_KEY)
                    .run()
                    .close())
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "invalid configuration: latchkey.ttl: is not a duration, such as 30s, 5m or PT30S"
                + " (value not shown)")
        .satisfies(e -> Leaks.assertNoLeak(e, PastedSecrets.FERNET_KEY));
    assertThat(output.getOut())
        .contains("APPLICATION FAILED TO START")
        .contains("latchkey.ttl")
        .contains("is not a duration, such as 30s, 5m or PT30S (value not shown)");
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}
}
