package io.latchkey.provider.vault;

import io.latchkey.provider.vault.testing.FakeVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The shared scenarios against the loopback server, a fresh one per test. */
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
}
