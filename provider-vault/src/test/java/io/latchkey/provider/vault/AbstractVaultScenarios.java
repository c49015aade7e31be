package io.latchkey.provider.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scenarios every Vault must pass: the loopback server ({@link FakeVaultScenariosTest}) and a
 * real Vault in a container ({@link VaultContainerTest}). Each test uses paths of its own, so that
 * tests sharing one container do not meet.
 */
abstract class AbstractVaultScenarios {
  private final List<VaultSecretProvider> providers = new ArrayList<>();
  private final String id = UUID.randomUUID().toString().substring(0, 8);

  /** The Vault under test. */
  abstract VaultBackend backend();

  @AfterEach
  void closeProviders() {
    providers.forEach(VaultSecretProvider::close);
  }

  /** A name unique to this test. */
  String unique(String name) {
    return name + "-" + id;
  }

  VaultSecretProvider provider(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(backend().environment());
    env.putAll(overrides);
    VaultSecretProvider provider = VaultSecretProvider.fromEnvironment(env);
    providers.add(provider);
    return provider;
  }

  VaultSecretProvider provider() {
    return provider(Map.of());
  }

  static String value(SecretVersion version) {
    return version.value().reveal();
  }

  @Test
  void kv2_explicitPath_withField_returnsTheFieldAndTheVersion() {
    String app = unique("app");
    backend().putKv2("secret", app, Map.of("api_key", "sk-one", "user", "svc"));
    SecretVersion version =
        provider().fetch(SecretRef.parse("vault:secret/data/" + app + "#api_key"));
    assertThat(value(version)).isEqualTo("sk-one");
    assertThat(version.versionId()).contains("1");
    assertThat(version.stages()).isEmpty();
  }

  @Test
  void kv2_shortForm_readsTheSameSecret_afterAskingVaultForTheMount() {
    String app = unique("app");
    backend().putKv2("secret", app, Map.of("api_key", "sk-short"));
    VaultSecretProvider provider = provider();
    assertThat(value(provider.fetch(SecretRef.parse("vault:secret/" + app + "#api_key"))))
        .isEqualTo("sk-short");
    assertThat(value(provider.fetch(SecretRef.parse("vault:secret/data/" + app + "#api_key"))))
        .isEqualTo("sk-short");
  }

  @Test
  void kv2_pinnedVersion_returnsThatVersion() {
    String app = unique("app");
    backend().putKv2("secret", app, Map.of("k", "first"));
    backend().putKv2("secret", app, Map.of("k", "second"));
    VaultSecretProvider provider = provider();
    SecretVersion first = provider.fetch(SecretRef.parse("vault:secret/data/" + app + "@1#k"));
    assertThat(value(first)).isEqualTo("first");
    assertThat(first.versionId()).contains("1");
    assertThat(value(provider.fetch(SecretRef.parse("vault:secret/" + app + "#k"))))
        .isEqualTo("second");
    SecretNotFoundException missing =
        catchThrowableOfType(
            SecretNotFoundException.class,
            () -> provider.fetch(SecretRef.parse("vault:secret/" + app + "@9#k")));
    assertThat(missing.reason()).isEqualTo("no version 9");
  }

  @Test
  void kv2_deletedVersion_isNotFound_sayingItWasDeleted() {
    String app = unique("app");
    backend().putKv2("secret", app, Map.of("k", "old"));
    backend().putKv2("secret", app, Map.of("k", "new"));
    backend().deleteKv2Versions("secret", app, 2);
    VaultSecretProvider provider = provider();
    SecretNotFoundException latest =
        catchThrowableOfType(
            SecretNotFoundException.class,
            () -> provider.fetch(SecretRef.parse("vault:secret/" + app + "#k")));
    assertThat(latest.reason()).startsWith("version 2 was deleted at 20");
    SecretNotFoundException current =
        catchThrowableOfType(
            SecretNotFoundException.class,
            () -> provider.currentVersionId(SecretRef.parse("vault:secret/" + app + "#k")));
    assertThat(current.reason()).startsWith("version 2, the current one, was deleted at");
    assertThat(value(provider.fetch(SecretRef.parse("vault:secret/" + app + "@1#k"))))
        .isEqualTo("old");
  }

  @Test
  void kv2_destroyedVersion_isNotFound_sayingItWasDestroyed() {
    String app = unique("app");
    backend().putKv2("secret", app, Map.of("k", "v"));
    backend().destroyKv2Versions("secret", app, 1);
    SecretNotFoundException e =
        catchThrowableOfType(
            SecretNotFoundException.class,
            () -> provider().fetch(SecretRef.parse("vault:secret/data/" + app + "@1#k")));
    assertThat(e.reason()).isEqualTo("version 1 was destroyed");
  }

  @Test
  void kv2_currentVersionId_followsNewVersions_orIsTheRefsVersion() {
    String app = unique("app");
    backend().putKv2("secret", app, Map.of("k", "one"));
    VaultSecretProvider provider = provider();
    SecretRef ref = SecretRef.parse("vault:secret/data/" + app + "#k");
    assertThat(provider.currentVersionId(ref)).contains("1");
    backend().putKv2("secret", app, Map.of("k", "two"));
    assertThat(provider.currentVersionId(ref)).contains("2");
    assertThat(provider.currentVersionId(ref.withVersion("1"))).contains("1");
    SecretNotFoundException missing =
        catchThrowableOfType(
            SecretNotFoundException.class,
            () -> provider.currentVersionId(SecretRef.parse("vault:secret/" + unique("none"))));
    assertThat(missing.reason()).isEqualTo("no such secret");
  }

  @Test
  void kv1_readsTheSecret_withNoVersion() {
    String kv = unique("kv");
    backend().putKv1(kv, "app", Map.of("password", "pw-1", "user", "svc"));
    VaultSecretProvider provider = provider();
    SecretRef ref = SecretRef.parse("vault:" + kv + "/app#password");
    SecretVersion version = provider.fetch(ref);
    assertThat(value(version)).isEqualTo("pw-1");
    assertThat(version.versionId()).isEmpty();
    assertThat(provider.currentVersionId(ref)).isEmpty();
    // On KV v1, data/ is just part of the path.
    backend().putKv1(kv, "data/x", Map.of("v", "under data"));
    assertThat(value(provider.fetch(SecretRef.parse("vault:" + kv + "/data/x"))))
        .isEqualTo("under data");
  }

  @Test
  void kv1_withAVersion_isUnsupported() {
    String kv = unique("kv");
    backend().putKv1(kv, "app", Map.of("password", "pw"));
    ProviderException e =
        catchThrowableOfType(
            ProviderException.class,
            () -> provider().fetch(SecretRef.parse("vault:" + kv + "/app@2#password")));
    assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
    assertThat(e.reason())
        .isEqualTo("versions exist on KV version 2 only, and mount '" + kv + "/' is KV version 1");
  }

  @Test
  void noField_oneKey_returnsItsValue_severalKeys_returnTheJsonObject() {
    String one = unique("one");
    String two = unique("two");
    backend().putKv2("secret", one, Map.of("value", "sk-only"));
    backend().putKv2Json("secret", two, "{\"user\":\"svc\",\"password\":\"pw\"}");
    VaultSecretProvider provider = provider();
    assertThat(value(provider.fetch(SecretRef.parse("vault:secret/" + one)))).isEqualTo("sk-only");
    assertThat(value(provider.fetch(SecretRef.parse("vault:secret/" + two))))
        .as("Vault sorts the keys")
        .isEqualTo("{\"password\":\"pw\",\"user\":\"svc\"}");
  }

  @Test
  void field_thatIsNotAString_returnsItsJsonText() {
    String app = unique("app");
    backend().putKv2Json("secret", app, "{\"port\":5432,\"tls\":true,\"hosts\":[\"a\",\"b\"]}");
    VaultSecretProvider provider = provider();
    assertThat(value(provider.fetch(SecretRef.parse("vault:secret/" + app + "#port"))))
        .isEqualTo("5432");
    assertThat(value(provider.fetch(SecretRef.parse("vault:secret/" + app + "#tls"))))
        .isEqualTo("true");
    assertThat(value(provider.fetch(SecretRef.parse("vault:secret/" + app + "#hosts"))))
        .isEqualTo("[\"a\",\"b\"]");
  }

  @Test
  void missingField_isNotFound() {
    String app = unique("app");
    backend().putKv2("secret", app, Map.of("k", "v"));
    SecretNotFoundException e =
        catchThrowableOfType(
            SecretNotFoundException.class,
            () -> provider().fetch(SecretRef.parse("vault:secret/" + app + "#nope")));
    assertThat(e.reason()).isEqualTo("the secret has no field 'nope'");
  }

  @Test
  void missingSecret_andMissingMount_areNotFound() {
    VaultSecretProvider provider = provider();
    SecretNotFoundException secret =
        catchThrowableOfType(
            SecretNotFoundException.class,
            () -> provider.fetch(SecretRef.parse("vault:secret/data/" + unique("none") + "#k")));
    assertThat(secret.reason()).isEqualTo("no such secret");
    SecretNotFoundException mount =
        catchThrowableOfType(
            SecretNotFoundException.class,
            () -> provider.fetch(SecretRef.parse("vault:" + unique("nomount") + "/data/app#k")));
    assertThat(mount.reason()).isEqualTo("no such secret");
    SecretNotFoundException v1 =
        catchThrowableOfType(
            SecretNotFoundException.class,
            () -> provider.fetch(SecretRef.parse("vault:" + unique("nomount") + "/app")));
    assertThat(v1.reason()).isEqualTo("no such secret");
  }

  @Test
  void limitedToken_readsItsPath_isDeniedOthers_andLivesWithoutMetadata() {
    String app = unique("app");
    String other = unique("other");
    backend().putKv2("secret", app, Map.of("k", "mine"));
    backend().putKv2("secret", other, Map.of("k", "theirs"));
    String policy = unique("reader");
    backend().policy(policy, "secret/data/" + app);
    String token = backend().createToken(Duration.ofHours(1), Duration.ZERO, true, policy);
    VaultSecretProvider provider = provider(Map.of("VAULT_TOKEN", token));
    SecretRef mine = SecretRef.parse("vault:secret/" + app + "#k");
    assertThat(value(provider.fetch(mine))).isEqualTo("mine");
    // No read on metadata/: the resolver is told "unknown" and fetches the value instead.
    assertThat(provider.currentVersionId(mine)).isEmpty();
    ProviderException denied =
        catchThrowableOfType(
            ProviderException.class,
            () -> provider.fetch(SecretRef.parse("vault:secret/" + other + "#k")));
    assertThat(denied.kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(denied.reason())
        .isEqualTo(
            "permission denied while reading the secret: the Vault token expired or lacks"
                + " permission (HTTP 403)");
  }

  @Test
  void appRole_logsIn_andReads() {
    String app = unique("app");
    backend().putKv2("secret", app, Map.of("k", "via approle"));
    String policy = unique("approle-reader");
    backend().policy(policy, "secret/data/" + app, "secret/metadata/" + app);
    VaultBackend.AppRole role =
        backend().appRole(unique("role"), Duration.ofMinutes(10), Duration.ZERO, policy);
    VaultSecretProvider provider =
        provider(
            Map.of(
                "VAULT_TOKEN",
                "",
                "VAULT_AUTH_METHOD",
                "approle",
                "VAULT_ROLE_ID",
                role.roleId(),
                "VAULT_SECRET_ID",
                role.secretId()));
    SecretRef ref = SecretRef.parse("vault:secret/" + app + "#k");
    assertThat(value(provider.fetch(ref))).isEqualTo("via approle");
    assertThat(provider.currentVersionId(ref)).contains("1");
    assertThat(provider.description()).contains("auth approle");
  }

  @Test
  void appRole_wrongSecretId_isAccessDenied() {
    String policy = unique("approle-reader");
    backend().policy(policy, "secret/data/*");
    VaultBackend.AppRole role =
        backend().appRole(unique("role"), Duration.ofMinutes(10), Duration.ZERO, policy);
    VaultSecretProvider provider =
        provider(
            Map.of(
                "VAULT_TOKEN",
                "",
                "VAULT_AUTH_METHOD",
                "approle",
                "VAULT_ROLE_ID",
                role.roleId(),
                "VAULT_SECRET_ID",
                UUID.randomUUID().toString()));
    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> provider.fetch(SecretRef.parse("vault:secret/x#k")));
    assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(e.reason()).startsWith("Vault refused the approle login at auth/approle (HTTP 4");
  }

  @Test
  void configView_readsTheSettingsSecret_once() {
    String settings = unique("settings");
    backend()
        .putKv2Json(
            "secret", settings, "{\"DATABASE_URL\":\"postgres://db/app\",\"POOL_SIZE\":10}");
    VaultSecretProvider provider =
        provider(Map.of("LATCHKEY_VAULT_CONFIG_PATH", "secret/data/" + settings));
    Optional<ConfigValue> url = provider.get("DATABASE_URL");
    assertThat(url).isPresent();
    assertThat(url.get().text()).isEqualTo("postgres://db/app");
    assertThat(url.get().origin())
        .isEqualTo(Origin.of(Origin.Kind.PROVIDER, "vault:secret/data/" + settings));
    assertThat(provider.get("POOL_SIZE").orElseThrow().text()).isEqualTo("10");
    assertThat(provider.get("MISSING")).isEmpty();
    assertThat(provider.names()).containsExactly("DATABASE_URL", "POOL_SIZE");
    // A start-up snapshot: a later write is not seen by this provider.
    backend().putKv2Json("secret", settings, "{\"DATABASE_URL\":\"postgres://other/app\"}");
    assertThat(provider.get("DATABASE_URL").orElseThrow().text()).isEqualTo("postgres://db/app");
  }

  @Test
  void resolver_picksUpANewVersion_andTellsItsListeners() {
    String app = unique("app");
    backend().putKv2("secret", app, Map.of("k", "v1"));
    VaultSecretProvider provider = provider();
    SecretRef ref = SecretRef.parse("vault:secret/data/" + app + "#k");
    List<String> changes = new CopyOnWriteArrayList<>();
    MutableClock clock = new MutableClock();
    try (SecretResolver resolver =
        SecretResolver.builder()
            .provider(provider)
            .clock(clock)
            // A read after expiry no longer waits for the refresh; run it on the reading thread
            // so that each read sees its outcome.
            .executor(Runnable::run)
            .ttl(Duration.ofMinutes(1))
            .jitter(0)
            .refreshAhead(1)
            .build()) {
      resolver.addListener(
          ref, (r, before, after) -> changes.add(before.orElse("?") + "->" + after.orElse("?")));
      assertThat(resolver.resolve(ref).reveal()).isEqualTo("v1");
      clock.advance(Duration.ofMinutes(2));
      // Unchanged version: the resolver keeps its value after asking for the current version.
      assertThat(resolver.resolve(ref).reveal()).isEqualTo("v1");
      backend().putKv2("secret", app, Map.of("k", "v2"));
      clock.advance(Duration.ofMinutes(2));
      assertThat(resolver.resolve(ref).reveal()).isEqualTo("v2");
    }
    assertThat(changes).containsExactly("1->2");
  }
}
