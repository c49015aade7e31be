package io.latchkey.microprofile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.resolver.ProviderHealth;
import io.latchkey.resolver.SecretResolver;
import io.smallrye.config.SecretKeys;
import io.smallrye.config.SmallRyeConfig;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who creates and closes the resolver, and the settings a config gives it. */
final class LifecycleTest {
  private static final String PASSWORD = "pw-c4e8a2f6b0d93715";
  private static final Map<String, String> PROPERTIES = Map.of("db.password", "ref+aws:prod/db");

  @BeforeEach
  void setUp() {
    FakeSecrets.reset();
    FakeSecrets.put("prod/db", PASSWORD);
  }

  @Test
  void close_closesTheResolversItCreated_andTheirInterceptorsRefuse() {
    SecretReferences references = new SecretReferences(null, Map.of());
    SmallRyeConfig first = Configs.with(PROPERTIES, references);
    SmallRyeConfig second = Configs.with(PROPERTIES, references);
    first.getValue("db.password", String.class);
    second.getValue("db.password", String.class);
    assertThat(FakeSecrets.CREATED).hasValue(2);

    references.close();
    references.close();

    assertThat(FakeSecrets.CLOSED).as("each config's provider, once").hasValue(2);
    assertThatThrownBy(() -> first.getValue("db.password", String.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the secret resolver is closed");
    assertThatThrownBy(() -> Configs.with(PROPERTIES, references))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void close_beforeAnyReference_createsNothing() {
    SecretReferences references = new SecretReferences(null, Map.of());
    SmallRyeConfig config = Configs.with(Map.of("http.port", "8080"), references);
    config.getValue("http.port", Integer.class);
    assertThat(references.toString()).contains("not created yet");

    references.close();

    assertThat(FakeSecrets.CREATED).hasValue(0);
    assertThat(references.toString()).contains("closed");
  }

  @Test
  void using_resolvesThroughTheApplicationsResolver_whichItLeavesOpen() {
    try (SecretResolver resolver =
        SecretResolver.builder().provider(new FakeAwsProviderFactory.Provider()).build()) {
      SecretReferences references = SecretReferences.using(resolver);
      SmallRyeConfig config = Configs.with(PROPERTIES, references);

      assertThat(config.getValue("db.password", String.class)).isEqualTo(PASSWORD);
      assertThat(resolver.health().get("aws").status()).isEqualTo(ProviderHealth.Status.OK);

      references.close();
      assertThat(resolver.resolve("aws:prod/db").reveal()).isEqualTo(PASSWORD);
      assertThat(FakeSecrets.CLOSED).hasValue(0);
    }
  }

  @Test
  void twoLatchkeyInterceptors_resolveOnce() {
    // An application that registers its own while the discovered one is also in the chain: the
    // outer one leaves the resolved value alone, even a secret that itself begins with ref+.
    FakeSecrets.put("prod/db", "ref+aws:prod/other");
    try (SecretResolver resolver =
            SecretResolver.builder().provider(new FakeAwsProviderFactory.Provider()).build();
        SecretReferences discovered = new SecretReferences(null, Map.of())) {
      SmallRyeConfig config =
          Configs.with(PROPERTIES, SecretReferences.using(resolver), discovered);

      assertThat(config.getValue("db.password", String.class)).isEqualTo("ref+aws:prod/other");
      assertThat(FakeSecrets.FETCHES).hasValue(1);
      assertThat(FakeSecrets.CREATED).as("the discovered one never needed a resolver").hasValue(0);
    }
  }

  @Test
  void disabled_leavesReferencesAsWritten() {
    try (SecretReferences references = new SecretReferences(null, Map.of())) {
      SmallRyeConfig config =
          Configs.with(
              Map.of("db.password", "ref+aws:prod/db", SecretReferences.ENABLED, "false"),
              references);

      assertThat(config.getValue("db.password", String.class)).isEqualTo("ref+aws:prod/db");
      assertThat(FakeSecrets.CREATED).hasValue(0);
    }
  }

  @Test
  void disabled_withTheApplicationsResolver_leavesReferencesAsWritten_andNeverAsksIt() {
    try (SecretResolver resolver =
        SecretResolver.builder().provider(new FakeAwsProviderFactory.Provider()).build()) {
      SmallRyeConfig config =
          Configs.with(
              Map.of("db.password", "ref+aws:prod/db", SecretReferences.ENABLED, "false"),
              SecretReferences.using(resolver));

      assertThat(config.getValue("db.password", String.class)).isEqualTo("ref+aws:prod/db");
      assertThat(FakeSecrets.FETCHES).hasValue(0);
      assertThat(resolver.health().get("aws").status()).isEqualTo(ProviderHealth.Status.UNKNOWN);
    }
  }

  @Test
  void settings_ttlAndMaxStale_areReadFromTheConfig() {
    try (SecretReferences references = new SecretReferences(null, Map.of())) {
      SmallRyeConfig config =
          Configs.with(
              Map.of(
                  "db.password",
                  "ref+aws:prod/db",
                  SecretReferences.TTL,
                  "${cache.ttl:10m}",
                  SecretReferences.MAX_STALE,
                  "0s"),
              references);

      assertThat(config.getValue("db.password", String.class)).isEqualTo(PASSWORD);
    }
  }

  @Test
  void settings_notADuration_failsTheConfigNamingTheSetting() {
    try (SecretReferences references = new SecretReferences(null, Map.of())) {
      assertThatThrownBy(
              () -> Configs.with(Map.of(SecretReferences.TTL, "five minutes"), references))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(SecretReferences.TTL)
          .hasMessageContaining("expected a duration such as 5m")
          .hasMessageNotContaining("five minutes");
      assertThatThrownBy(() -> Configs.with(Map.of(SecretReferences.TTL, "0s"), references))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("must be positive");
      assertThatThrownBy(
              () -> Configs.with(Map.of(SecretReferences.MAX_STALE, "-PT1S"), references))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("must not be negative");
    }
  }

  @Test
  void smallRyesSecretKeys_stillLockAResolvedProperty() {
    try (SecretReferences references = new SecretReferences(null, Map.of())) {
      SmallRyeConfig config =
          Configs.builder(PROPERTIES)
              .withInterceptorFactories(references)
              .withSecretKeys("db.password")
              .build();

      assertThatThrownBy(() -> config.getValue("db.password", String.class))
          .isInstanceOf(SecurityException.class);
      assertThat(FakeSecrets.FETCHES).hasValue(0);
      assertThat(SecretKeys.doUnlocked(() -> config.getValue("db.password", String.class)))
          .isEqualTo(PASSWORD);
    }
  }

  @Test
  void priority_isAfterSmallRyesExpressionsAndBeforeApplications() {
    assertThat(new SecretReferences().getPriority()).hasValue(3400);
  }
}
