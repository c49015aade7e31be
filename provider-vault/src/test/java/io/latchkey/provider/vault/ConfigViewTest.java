package io.latchkey.provider.vault;

import static io.latchkey.provider.vault.Testing.provider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.config.Origin;
import io.latchkey.provider.vault.testing.FakeVault;
import io.latchkey.provider.vault.testing.FakeVault.Failure;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The provider as a {@link io.latchkey.config.ConfigSource}: one KV secret's keys as settings. */
final class ConfigViewTest {
  private FakeVault vault;

  @BeforeEach
  void start() {
    vault = FakeVault.start();
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  @Test
  void unset_isAnEmptySource_thatAsksVaultNothing() {
    try (VaultSecretProvider provider = provider(vault)) {
      assertThat(provider.get("ANY")).isEmpty();
      assertThat(provider.names()).isEmpty();
      assertThat(vault.requests("/")).isZero();
    }
  }

  @Test
  void shortFormAndVersion_areAccepted_nullMembersAreUnset() {
    vault.putKv2Json("secret", "cfg", "{\"A\":\"old\"}");
    vault.putKv2Json("secret", "cfg", "{\"A\":\"new\",\"B\":null,\"C\":{\"x\":1}}");
    try (VaultSecretProvider latest =
            provider(vault, Map.of("LATCHKEY_VAULT_CONFIG_PATH", "vault:secret/cfg"));
        VaultSecretProvider pinned =
            provider(vault, Map.of("LATCHKEY_VAULT_CONFIG_PATH", "secret/cfg@1"))) {
      assertThat(latest.names()).containsExactly("A", "C");
      assertThat(latest.get("A").orElseThrow().text()).isEqualTo("new");
      assertThat(latest.get("B")).isEmpty();
      assertThat(latest.get("C").orElseThrow().text()).isEqualTo("{\"x\":1}");
      assertThat(pinned.get("A").orElseThrow().text()).isEqualTo("old");
      assertThat(pinned.get("A").orElseThrow().origin())
          .isEqualTo(Origin.of(Origin.Kind.PROVIDER, "vault:secret/cfg@1"));
    }
  }

  @Test
  void field_holdingAJsonObject_isTheSettings() {
    vault.putKv1("kv", "app", Map.of("settings", "{\"PORT\":\"8080\"}", "other", "x"));
    try (VaultSecretProvider provider =
        provider(vault, Map.of("LATCHKEY_VAULT_CONFIG_PATH", "kv/app#settings"))) {
      assertThat(provider.names()).containsExactly("PORT");
      assertThat(provider.get("PORT").orElseThrow().text()).isEqualTo("8080");
    }
    try (VaultSecretProvider provider =
        provider(vault, Map.of("LATCHKEY_VAULT_CONFIG_PATH", "kv/app#other"))) {
      assertThat(catchThrowableOfType(ConfigException.class, provider::names).problems())
          .containsExactly(
              new Problem(
                  "LATCHKEY_VAULT_CONFIG_PATH", "secret vault:kv/app#other is not a JSON object"));
    }
  }

  @Test
  void missingOrFailingSecret_isAConfigProblem_andIsReadAgainNextTime() {
    try (VaultSecretProvider provider =
        provider(vault, Map.of("LATCHKEY_VAULT_CONFIG_PATH", "secret/data/cfg"))) {
      assertThat(catchThrowableOfType(ConfigException.class, () -> provider.get("A")).problems())
          .containsExactly(
              new Problem(
                  "LATCHKEY_VAULT_CONFIG_PATH",
                  "names secret vault:secret/data/cfg, which was not found: no such secret"));
      vault.putKv2("secret", "cfg", Map.of("A", "a"));
      vault.fail(Failure.SEALED, "/v1/secret/data/cfg", 1);
      assertThat(catchThrowableOfType(ConfigException.class, () -> provider.get("A")).problems())
          .containsExactly(
              new Problem(
                  "LATCHKEY_VAULT_CONFIG_PATH",
                  "secret vault:secret/data/cfg could not be read: unavailable: Vault is sealed,"
                      + " in standby or unavailable while reading the secret (HTTP 503)"));
      assertThat(provider.get("A").orElseThrow().text()).isEqualTo("a");
    }
  }
}
