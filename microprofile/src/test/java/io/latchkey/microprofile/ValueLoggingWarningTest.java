package io.latchkey.microprofile;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.LogCapture;
import io.smallrye.config.SmallRyeConfig;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SmallRye's value logging ({@code smallrye.config.log.values=true}) prints what the sources serve,
 * Latchkey's mounted files, secrets directory and {@code .env} among them: the interceptor warns
 * once, naming the setting and no value.
 */
final class ValueLoggingWarningTest {
  private static final String CANARY = "Tq7Zk2Wn9Vb4Xr8Mc3Lp";

  @BeforeEach
  void reset() {
    SecretReferences.resetWarnings();
  }

  @Test
  void valueLoggingOn_isWarnedOf_once() {
    try (LogCapture log = LogCapture.start();
        SecretReferences references = new SecretReferences(null, Map.of())) {
      Map<String, String> properties =
          Map.of(SecretReferences.LOG_VALUES, "true", "plain.value", CANARY);
      SmallRyeConfig first = Configs.with(properties, references);
      SmallRyeConfig second = Configs.with(properties, references);
      assertThat(first.getValue("plain.value", String.class)).isEqualTo(CANARY);
      assertThat(second.getValue("plain.value", String.class)).isEqualTo(CANARY);
      assertThat(log.events())
          .filteredOn(e -> e.message().contains(SecretReferences.LOG_VALUES + "=true"))
          .hasSize(1);
      assertThat(log.text()).doesNotContain(CANARY);
    }
  }

  @Test
  void valueLoggingOffOrUnset_saysNothing() {
    try (LogCapture log = LogCapture.start();
        SecretReferences references = new SecretReferences(null, Map.of())) {
      Configs.with(Map.of(SecretReferences.LOG_VALUES, "false"), references);
      Configs.with(Map.of(), references);
      assertThat(log.text()).doesNotContain(SecretReferences.LOG_VALUES);
    }
  }
}
