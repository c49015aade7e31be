package io.latchkey.provider.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.provider.vault.testing.FakeVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared scenarios against the loopback server, a fresh one per test; where the server counts
 * requests, the scenarios that promise a number of them are checked here too (a real Vault does not
 * count them).
 */
final class FakeVaultScenariosTest extends AbstractVaultScenarios {
  private FakeVault vault;
  private VaultBackend backend;

  @BeforeEach
  void start() {
    vault = FakeVault.start();
    backend = new FakeBackend(vault);
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  @Override
  VaultBackend backend() {
    return backend;
  }

  @Test
  @Override
  void kv2_shortForm_readsTheSameSecret_afterAskingVaultForTheMount() {
    super.kv2_shortForm_readsTheSameSecret_afterAskingVaultForTheMount();
    assertThat(vault.requests("/v1/sys/internal/ui/mounts/"))
        .as("one mount look-up for both")
        .isEqualTo(1);
  }

  @Test
  @Override
  void configView_readsTheSettingsSecret_once() {
    super.configView_readsTheSettingsSecret_once();
    assertThat(vault.requests("/v1/secret/data/" + unique("settings"))).isEqualTo(1);
  }

  @Test
  @Override
  void resolver_picksUpANewVersion_andTellsItsListeners() {
    super.resolver_picksUpANewVersion_andTellsItsListeners();
    assertThat(vault.requests("/v1/secret/data/" + unique("app")))
        .as("two fetches, one per version")
        .isEqualTo(2);
  }
}
