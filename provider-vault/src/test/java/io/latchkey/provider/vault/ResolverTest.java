package io.latchkey.provider.vault;

import static io.latchkey.provider.vault.Testing.provider;
import static io.latchkey.provider.vault.Testing.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigSource;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import io.latchkey.provider.vault.testing.FakeVault;
import io.latchkey.provider.vault.testing.FakeVault.Failure;
import io.latchkey.resolver.ProviderHealth;
import io.latchkey.resolver.ResolvingConfigSource;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End to end through core's {@link SecretResolver}: prefetch at start-up, a value kept while its
 * version is current, stale values while Vault is down, never a deleted one, and {@code
 * ${ref:vault:...}} settings.
 */
final class ResolverTest {
  private static final SecretRef APP = ref("vault:secret/data/app#k");

  private FakeVault vault;
  private VaultSecretProvider provider;
  private MutableClock clock;
  private SecretResolver resolver;

  @BeforeEach
  void start() {
    vault = FakeVault.start();
    vault.putKv2("secret", "app", Map.of("k", "v1"));
    provider = provider(vault);
    clock = new MutableClock();
    resolver =
        SecretResolver.builder()
            .provider(provider)
            .clock(clock)
            // A read after expiry no longer waits for the refresh; run it on the reading thread
            // so that each read sees its outcome.
            .executor(Runnable::run)
            .ttl(Duration.ofMinutes(1))
            .jitter(0)
            .refreshAhead(1)
            .maxStale(Duration.ofMinutes(10))
            .retry(1, Duration.ofMillis(1), Duration.ofMillis(1))
            .build();
  }

  @AfterEach
  void stop() {
    resolver.close();
    provider.close();
    vault.close();
  }

  @Test
  void prefetch_loadsEveryReference_andListsEveryFailure() {
    vault.putKv2("secret", "db", Map.of("user", "svc", "password", "pw"));
    resolver.prefetch(List.of(APP, ref("vault:secret/db#user"), ref("vault:secret/db#password")));
    // The two fields of secret/db share one read of the whole secret.
    assertThat(vault.requests("/v1/secret/data/")).isEqualTo(2);
    assertThat(resolver.resolve("vault:secret/db#password").reveal()).isEqualTo("pw");
    assertThat(vault.requests("/v1/secret/data/")).as("served from the cache").isEqualTo(2);
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                resolver.prefetch(List.of(ref("vault:secret/db#nope"), ref("vault:secret/gone"))));
    assertThat(e.problems())
        .extracting(ConfigException.Problem::toString)
        .containsExactly(
            "vault:secret/db#nope: the secret has no field 'nope'",
            "vault:secret/gone: no such secret");
  }

  @Test
  void unchangedVersion_isKept_withoutFetchingTheValue() {
    assertThat(resolver.resolve(APP).reveal()).isEqualTo("v1");
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofMinutes(2));
      assertThat(resolver.resolve(APP).reveal()).isEqualTo("v1");
    }
    assertThat(vault.requests("/v1/secret/data/app")).isEqualTo(1);
    assertThat(vault.requests("/v1/secret/metadata/app")).isEqualTo(3);
  }

  @Test
  void wrongTypedVersion_keepsTheStaleValue_andHealthIsDegraded() {
    assertThat(resolver.resolve(APP).reveal()).isEqualTo("v1");
    vault.putKv2("secret", "app", Map.of("k", "v2"));
    // Vault would be saying "version 2.7": never read as 2, never a new value.
    vault.tamper(
        "/v1/secret/metadata/app",
        -1,
        a -> ((ObjectNode) a.get("data")).put("current_version", 2.7));
    vault.resetCounters();
    clock.advance(Duration.ofMinutes(2));
    assertThat(resolver.resolve(APP).reveal()).isEqualTo("v1");
    ProviderHealth health = resolver.health().get("vault");
    assertThat(health.status()).isEqualTo(ProviderHealth.Status.DEGRADED);
    assertThat(health.lastErrorKind()).contains(ProviderException.Kind.MALFORMED_RESPONSE);
    assertThat(vault.requests("/v1/secret/metadata/app")).isEqualTo(1);
    assertThat(vault.requests("/v1/secret/data/app")).isZero();
  }

  @Test
  void vaultDown_servesTheStaleValue_untilItRecovers() {
    assertThat(resolver.resolve(APP).reveal()).isEqualTo("v1");
    vault.failAlways(Failure.SEALED);
    clock.advance(Duration.ofMinutes(2));
    assertThat(resolver.resolve(APP).reveal()).isEqualTo("v1");
    ProviderHealth down = resolver.health().get("vault");
    assertThat(down.staleReferences()).isEqualTo(1);
    assertThat(down.lastErrorKind()).contains(ProviderException.Kind.UNAVAILABLE);
    vault.clearFailures();
    vault.putKv2("secret", "app", Map.of("k", "v2"));
    clock.advance(Duration.ofMinutes(1));
    // The refreshes run on the reading thread (a direct executor): the first read after recovery
    // serves the field held and refreshes the whole secret it is read from; the next read has the
    // new version.
    assertThat(resolver.resolve(APP).reveal()).isEqualTo("v1");
    assertThat(resolver.resolve(APP).reveal()).isEqualTo("v2");
    assertThat(resolver.health().get("vault").staleReferences()).isZero();
  }

  @Test
  void deletedVersion_isNeverServedStale() {
    assertThat(resolver.resolve(APP).reveal()).isEqualTo("v1");
    vault.deleteKv2Versions("secret", "app", 1);
    clock.advance(Duration.ofMinutes(2));
    SecretNotFoundException e =
        catchThrowableOfType(SecretNotFoundException.class, () -> resolver.resolve(APP));
    assertThat(e.reason()).startsWith("version 1, the current one, was deleted at");
  }

  @Test
  void discoveredProvider_isCreatedFromTheEnvironment_onFirstUse() {
    try (SecretResolver discovering =
        SecretResolver.builder().discoverProviders(vault.environment()).build()) {
      assertThat(vault.requests("/")).isZero();
      assertThat(discovering.resolve("vault:secret/app#k").reveal()).isEqualTo("v1");
    }
  }

  @Test
  void referenceSettings_resolveThroughVault() {
    vault.putKv2("secret", "db", Map.of("password", "pw"));
    ConfigSource env =
        ConfigSource.of(
            Map.of("DB_PASSWORD", "${ref:vault:secret/data/db#password}", "PLAIN", "x"),
            Origin.Kind.ENV);
    ResolvingConfigSource source = new ResolvingConfigSource(env, resolver);
    ConfigValue password = source.get("DB_PASSWORD").orElseThrow();
    assertThat(password.text()).isEqualTo("pw");
    assertThat(password.origin())
        .isEqualTo(Origin.of(Origin.Kind.PROVIDER, "vault:secret/data/db#password"));
    assertThat(source.get("PLAIN").orElseThrow().text()).isEqualTo("x");
  }
}
