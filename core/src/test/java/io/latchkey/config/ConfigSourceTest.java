package io.latchkey.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSourceTest {
  private static final String CANARY = "CANARY-5e1d0c";

  @Test
  void aMapSourceReturnsValuesWithTheirOrigin() {
    ConfigSource source = ConfigSource.of(Map.of("PORT", "8080"), Origin.Kind.OVERRIDE);
    assertThat(source.get("PORT"))
        .hasValueSatisfying(
            v -> {
              assertThat(v.name()).isEqualTo("PORT");
              assertThat(v.text()).isEqualTo("8080");
              assertThat(v.origin()).isEqualTo(Origin.of(Origin.Kind.OVERRIDE));
            });
    assertThat(source.get("HOST")).isEmpty();
    assertThat(source.names()).containsExactly("PORT");
  }

  @Test
  void valuesNeverAppearInToString() {
    ConfigSource source = ConfigSource.of(Map.of("DB_PASSWORD", CANARY), Origin.Kind.ENV);
    ConfigValue value = source.get("DB_PASSWORD").orElseThrow();
    assertThat(value.toString()).doesNotContain(CANARY).contains("DB_PASSWORD").contains("env");
    assertThat(source.toString()).doesNotContain(CANARY);
    assertThat(source.description()).doesNotContain(CANARY);
  }

  @Test
  void originsPrintTheirLabelAndDetail() {
    assertThat(Origin.of(Origin.Kind.DOTENV, ".env line 4")).hasToString(".env (.env line 4)");
    assertThat(Origin.of(Origin.Kind.DEFAULT)).hasToString("default");
  }
}
