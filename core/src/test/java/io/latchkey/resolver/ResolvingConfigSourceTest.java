package io.latchkey.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigSchema;
import io.latchkey.config.ConfigSource;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import io.latchkey.config.Setting;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class ResolvingConfigSourceTest {
  private static final String CANARY = "CANARY-7f3a9c";
  private static final Setting<Secret> JWT_SECRET_KEY = Setting.secret("JWT_SECRET_KEY").build();
  private static final Setting<Secret> DB_PASSWORD = Setting.secret("DB_PASSWORD").build();
  private static final Setting<Integer> PORT = Setting.port("PORT").build();
  private static final ConfigSchema SCHEMA =
      ConfigSchema.builder().add(JWT_SECRET_KEY).add(DB_PASSWORD).add(PORT).build();

  private final FakeProvider aws =
      new FakeProvider("aws")
          .put("prod/jwt", CANARY + "-jwt")
          .put("prod/db", "{\"username\":\"app\",\"password\":\"" + CANARY + "-db\"}");
  private final SecretResolver resolver =
      SecretResolver.builder().provider(aws).executor(Runnable::run).build();

  @AfterEach
  void close() {
    resolver.close();
  }

  private ResolvingConfigSource source(Map<String, String> env) {
    return new ResolvingConfigSource(ConfigSource.of(env, Origin.Kind.ENV), resolver);
  }

  @Test
  void load_settingsFromReferences_andPlainValues() {
    ResolvingConfigSource source =
        source(
            Map.of(
                "JWT_SECRET_KEY", "ref+aws:prod/jwt",
                "DB_PASSWORD", "${ref:aws:prod/db#password}",
                "PORT", "8080"));
    Config config = SCHEMA.load(source);
    assertThat(config.get(JWT_SECRET_KEY).reveal()).isEqualTo(CANARY + "-jwt");
    assertThat(config.get(DB_PASSWORD).reveal()).isEqualTo(CANARY + "-db");
    assertThat(config.get(PORT)).isEqualTo(8080);
    String table = config.report().toTable();
    assertThat(table)
        .containsPattern("DB_PASSWORD\\s+provider")
        .containsPattern("PORT\\s+env")
        .doesNotContain(CANARY);
    assertThat(source.get("DB_PASSWORD").orElseThrow().origin())
        .isEqualTo(Origin.of(Origin.Kind.PROVIDER, "aws:prod/db#password"));
    assertThat(source.toString()).contains("[aws]").doesNotContain(CANARY);
  }

  @Test
  void plainValuesThatLookLikeReferences_areLeftAlone() {
    ResolvingConfigSource source =
        source(
            Map.of(
                "A", "aws:prod/jwt",
                "B", "$${ref:aws:prod/jwt}",
                "C", "x${ref:aws:y}",
                "D", "ref++aws:prod/jwt"));
    assertThat(source.get("A").map(ConfigValue::text)).contains("aws:prod/jwt");
    assertThat(source.get("D").map(ConfigValue::text)).contains("ref+aws:prod/jwt");
    assertThat(source.get("B").map(ConfigValue::text)).contains("${ref:aws:prod/jwt}");
    assertThat(source.get("C").map(ConfigValue::text)).contains("x${ref:aws:y}");
    assertThat(source.get("MISSING")).isEmpty();
    assertThat(aws.fetches).hasValue(0);
  }

  @Test
  void everyBadReference_isListedInOneConfigException_withoutValues() {
    ResolvingConfigSource source =
        source(
            Map.of(
                "JWT_SECRET_KEY", "${ref:aws:" + CANARY + " oops}",
                "DB_PASSWORD", "${ref:aws:prod/db#token}",
                "PORT", "${ref:gcp:projects/p/secrets/port"));
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> SCHEMA.load(source));
    assertThat(e.problems())
        .extracting(Object::toString)
        .contains(
            "JWT_SECRET_KEY: has an invalid secret reference at position 23: unexpected white"
                + " space or control character; escape it as %XX",
            "DB_PASSWORD: secret aws:prod/db#token was not found: the secret has no field 'token'",
            "PORT: has a secret reference without its closing '}'");
    assertThat(e.getMessage()).doesNotContain(CANARY);
  }

  @Test
  void unknownSchemeAndProviderFailure_areProblemsOfTheSetting() {
    aws.failNext(
        () ->
            new ProviderException(
                SecretRef.parse("aws:prod/jwt"), ProviderException.Kind.ACCESS_DENIED, "denied"));
    ResolvingConfigSource source =
        source(Map.of("A", "${ref:aws:prod/jwt}", "B", "${ref:vault:secret/data/app#k}"));
    assertThatThrownBy(() -> source.get("A"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "invalid configuration: A: secret aws:prod/jwt could not be resolved: access denied:"
                + " denied");
    assertThatThrownBy(() -> source.get("B"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "B: secret vault:secret/data/app#k could not be resolved: unsupported");
  }
}
