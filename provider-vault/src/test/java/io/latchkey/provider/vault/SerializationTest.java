package io.latchkey.provider.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.SecretRef;
import io.latchkey.provider.vault.testing.FakeVault;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.Serialisers;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Nothing the Vault provider holds or hands out is written by Jackson, Gson or Java serialisation:
 * not the provider (which holds a Vault token and its configuration view), nor what it returns.
 */
final class SerializationTest {
  private static final String CANARY = "cAnArY-serial-9a0c5e2d";

  @Test
  void serialise_providerAndWhatItReturns_writeNoValue() {
    try (FakeVault vault = FakeVault.start()) {
      vault.putKv2("secret", "app", Map.of("api_key", CANARY + "-kv2"));
      vault.putKv2Json("secret", "settings", "{\"DB_PASSWORD\":\"" + CANARY + "-setting\"}");
      try (VaultSecretProvider provider =
          Testing.provider(
              vault, Map.of(VaultSettings.CONFIG_PATH.name(), "secret/data/settings"))) {
        assertThat(provider.get("DB_PASSWORD")).isPresent();
        SecretVersion version = provider.fetch(SecretRef.parse("vault:secret/data/app#api_key"));
        for (String secret :
            new String[] {CANARY + "-kv2", CANARY + "-setting", vault.rootToken()}) {
          // A service, not data: the mappers that read fields write an empty object.
          assertThat(Serialisers.assertWritesNoValue("VaultSecretProvider", provider, secret))
              .containsEntry("Gson", "{}")
              .containsEntry("Jackson with field visibility ANY", "{}");
        }
        Serialisers.assertWritesNoValue(
            "a value it returns", provider.get("DB_PASSWORD").orElseThrow(), CANARY + "-setting");
        Serialisers.assertWritesNoValue("a version it fetched", version, CANARY + "-kv2");
      }
    }
  }
}
