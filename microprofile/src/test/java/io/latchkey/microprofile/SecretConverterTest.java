package io.latchkey.microprofile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.Secret;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.Serialisers;
import io.smallrye.config.SmallRyeConfig;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** {@link Secret} as a config value type, masked wherever it is printed. */
final class SecretConverterTest {
  private static final String VALUE = "sk-live-Lm4Xw9pRk2v7QZt8";

  @Test
  void getValue_asSecret_holdsTheValueAndPrintsItMasked() {
    SmallRyeConfig config = Configs.with(Map.of("api.key", VALUE));

    Secret secret = config.getValue("api.key", Secret.class);

    assertThat(secret.reveal()).isEqualTo(VALUE);
    Leaks.assertNoLeak("Secret.toString()", secret.toString(), VALUE);
    Leaks.assertNoLeak(
        "the Optional", String.valueOf(config.getOptionalValue("api.key", Secret.class)), VALUE);
  }

  @Test
  void missingOrEmpty_isNoValue() {
    SmallRyeConfig config = Configs.with(Map.of("api.key", ""));

    assertThat(config.getOptionalValue("api.key", Secret.class)).isEmpty();
    assertThat(config.getOptionalValue("no.such.key", Secret.class)).isEmpty();
    assertThatThrownBy(() -> config.getValue("api.key", Secret.class))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("api.key");
  }

  @Test
  void convert_null_throwsAsTheContractAsks() {
    assertThatThrownBy(() -> new SecretConverter().convert(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void converter_refusesJavaSerialisation() {
    Serialisers.assertWritesNoValue("the converter", new SecretConverter(), VALUE);
  }
}
