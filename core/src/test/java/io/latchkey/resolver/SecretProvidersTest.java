package io.latchkey.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.testsupport.ProviderProbe;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretProvidersTest {

  @Test
  void withNoProviderOnTheClassPathTheErrorSaysWhatToAdd() {
    // core alone registers no provider; provider-env's tests cover selection with one present.
    assertThat(SecretProviders.available()).isEmpty();
    assertThatThrownBy(() -> SecretProviders.select(Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.problems()).hasSize(1);
              assertThat(e.problems().get(0).setting()).isEqualTo("SECRET_PROVIDER");
              assertThat(e.problems().get(0).reason())
                  .contains("'env'")
                  .contains("none (add latchkey-provider-env)");
            });
  }

  @Test
  void anUnknownNameIsNamedInTheError() {
    assertThatThrownBy(() -> SecretProviders.select(Map.of("SECRET_PROVIDER", " nope ")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SECRET_PROVIDER: is 'nope'");
    assertThat(ProviderProbe.factoryType("nope")).isEmpty();
  }
}
