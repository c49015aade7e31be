package io.latchkey.provider.vault;

import io.latchkey.ProviderException;
import io.latchkey.SecretRef;
import io.latchkey.provider.vault.testing.FakeVault;
import io.latchkey.testsupport.Leaks;
import java.util.List;
import java.util.Map;

/** Small helpers the provider's tests share. */
final class Testing {
  private Testing() {}

  static SecretRef ref(String text) {
    return SecretRef.parse(text);
  }

  /** A provider for the fake with the root token, plus some settings. */
  static VaultSecretProvider provider(FakeVault vault, Map<String, String> overrides) {
    Map<String, String> env = vault.environment();
    env.putAll(overrides);
    return VaultSecretProvider.fromEnvironment(env);
  }

  static VaultSecretProvider provider(FakeVault vault) {
    return provider(vault, Map.of());
  }

  /** Runs an action that must throw a provider failure, and returns it. */
  static ProviderException failure(Runnable action) {
    try {
      action.run();
    } catch (ProviderException e) {
      return e;
    }
    throw new AssertionError("expected a ProviderException");
  }

  /** Runs an action that must throw, and returns what it threw. */
  static RuntimeException thrown(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("expected an exception");
  }

  static void assertNoneContains(List<String> texts, List<String> forbidden) {
    for (String text : texts) {
      for (String f : forbidden) {
        Leaks.assertNoLeak("a text the provider showed", text, f);
      }
    }
  }
}
