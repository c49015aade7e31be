package io.latchkey.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.ConfigException;
import io.latchkey.testsupport.Leaks;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A secret's value passed where its variable's name belongs ({@code
 * Setting.secret(System.getenv("JWT_SECRET_KEY"))}), the slip the crypto loaders guard against: a
 * name that is not a valid one is refused without being quoted, and a valid one that looks like a
 * key (a hex key starting with a letter) is not shown when the load finds it unset.
 */
final class ValuePassedAsSettingNameTest {
  // openssl rand -base64 32: 44 characters of base64, which no setting name can be
  private static final String BASE64_KEY = "q3Vb0xY9mJk2Lr8Tn5Wc1Hs7Fd4Ga6Ze0Pu3Qi9Xo2=";
  // openssl rand -hex 32, starting with a letter: a valid environment-variable name
  private static final String HEX_KEY =
      "c4f1a9e07d3b62c8e5f19a0b7d4c3e2f1a8b9c0d7e6f5a4b3c2d1e0f9a8b7c6d";

  private static final List<Function<String, Setting.Builder<?>>> FACTORIES =
      List.of(
          Setting::secret,
          Setting::string,
          Setting::port,
          name -> Setting.string("APP_NAME").aliases(name));

  @Test
  void aKeyGivenAsAName_isNeverShown() {
    for (String key : List.of(BASE64_KEY, HEX_KEY, HEX_KEY.toUpperCase(Locale.ROOT))) {
      assertNeverShown(key);
    }
  }

  @Test
  void aValidNameThatLooksLikeAKey_isReportedUnsetUnderTheNameGiven() {
    ConfigSchema schema = ConfigSchema.builder().add(Setting.secret(HEX_KEY).build()).build();

    Throwable t = catchThrowable(() -> schema.load(ConfigSource.of(Map.of(), Origin.Kind.ENV)));

    assertThat(t).isInstanceOf(ConfigException.class);
    assertThat(((ConfigException) t).problems())
        .extracting(ConfigException.Problem::setting)
        .containsExactly("the setting name given");
    Leaks.assertNoLeak(t, HEX_KEY);
    // Set, it loads: a name that merely looks random is still a name.
    Config config = schema.load(ConfigSource.of(Map.of(HEX_KEY, "value"), Origin.Kind.ENV));
    assertThat(config.toString()).isNotEmpty();
  }

  @Test
  void generatedKeys_givenAsNames_areNeverShown() {
    SplittableRandom random = new SplittableRandom(20261207L);
    Base64.Encoder url = Base64.getUrlEncoder();
    Base64.Encoder plain = Base64.getEncoder().withoutPadding();
    for (int i = 0; i < 200; i++) {
      byte[] bytes = new byte[16 + random.nextInt(33)];
      random.nextBytes(bytes);
      for (String key :
          List.of(
              url.encodeToString(bytes),
              plain.encodeToString(bytes),
              "a" + HexFormat.of().formatHex(bytes))) {
        assertNeverShown(key);
      }
    }
  }

  @Test
  void namesStillShow() {
    ConfigSchema schema =
        ConfigSchema.builder().add(Setting.secret("JWT_SECRET_KEY").build()).build();
    Throwable t = catchThrowable(() -> schema.load(ConfigSource.of(Map.of(), Origin.Kind.ENV)));
    assertThat(((ConfigException) t).problems())
        .extracting(ConfigException.Problem::setting)
        .containsExactly("JWT_SECRET_KEY");
  }

  /** Defining a setting under the key, then loading it with nothing set, never shows the key. */
  private static void assertNeverShown(String key) {
    for (Function<String, Setting.Builder<?>> factory : FACTORIES) {
      Setting.Builder<?> builder;
      try {
        builder = factory.apply(key);
      } catch (IllegalArgumentException refused) {
        Leaks.assertNoLeak(refused, key);
        continue;
      }
      ConfigSchema schema = ConfigSchema.builder().add(builder.build()).build();
      Throwable t = catchThrowable(() -> schema.load(ConfigSource.of(Map.of(), Origin.Kind.ENV)));
      assertThat(t).as(key).isInstanceOf(ConfigException.class);
      Leaks.assertNoLeak(t, key);
    }
  }
}
