package io.latchkey.provider.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.SecretRef;
import io.latchkey.provider.vault.testing.FakeVault;
import io.latchkey.resolver.SecretProviders;
import io.latchkey.spi.SecretProvider;
import io.latchkey.testsupport.IsolatedClassLoader;
import io.latchkey.testsupport.ProviderProbe;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code SECRET_PROVIDER=vault} selects this provider through {@link java.util.ServiceLoader}, and
 * listing the providers loads none of its code beyond the factory.
 */
final class ProviderSelectionTest {

  @Test
  void secretProviderVault_selectsIt_withItsSettingsFromTheSameEnvironment() {
    try (FakeVault vault = FakeVault.start()) {
      vault.putKv2("secret", "app", Map.of("k", "selected"));
      Map<String, String> env = new HashMap<>(vault.environment());
      env.put("SECRET_PROVIDER", "vault");
      try (SecretProvider provider = SecretProviders.select(env)) {
        assertThat(provider).isInstanceOf(VaultSecretProvider.class);
        assertThat(provider.name()).isEqualTo("vault");
        assertThat(provider.fetch(SecretRef.parse("vault:secret/app#k")).value().reveal())
            .isEqualTo("selected");
      }
    }
  }

  @Test
  void vault_withBrokenSettings_reportsTheProvidersOwnProblems() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> SecretProviders.select(Map.of("SECRET_PROVIDER", "vault")));
    assertThat(e.problems())
        .extracting(ConfigException.Problem::setting)
        .containsExactly("VAULT_ADDR", "VAULT_TOKEN");
  }

  @Test
  void available_listsVault_andItsFactory() {
    assertThat(SecretProviders.available()).containsExactly("vault");
    assertThat(ProviderProbe.factoryType("vault"))
        .contains(VaultSecretProviderFactory.class.getName());
  }

  @Test
  void listingProviders_loadsNoProviderCode_andNoHttpClient() {
    try (IsolatedClassLoader loader = IsolatedClassLoader.create()) {
      ProviderProbe.LookUp lookUp = ProviderProbe.in(loader).lookUp("vault");
      assertThat(lookUp.available()).isEqualTo(List.of("vault"));
      assertThat(lookUp.factory()).isEqualTo(VaultSecretProviderFactory.class.getName());
      assertThat(loader.hasLoaded(VaultSecretProviderFactory.class.getName())).isTrue();
      for (Class<?> type :
          List.of(
              VaultSecretProvider.class,
              VaultSecretProvider.Builder.class,
              VaultSettings.class,
              VaultHttp.class,
              VaultAuth.class,
              Kv.class,
              VaultClientFactory.class,
              VaultErrors.class)) {
        assertThat(loader.hasLoaded(type.getName())).as(type.getSimpleName()).isFalse();
      }
      assertThat(loader.hasLoaded("io.latchkey.spi.JsonValue")).isFalse();
    }
  }
}
