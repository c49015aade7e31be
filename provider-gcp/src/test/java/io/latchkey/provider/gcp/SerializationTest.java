package io.latchkey.provider.gcp;

import static io.latchkey.provider.gcp.Testing.utf8;
import static io.latchkey.provider.gcp.Testing.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.SecretRef;
import io.latchkey.provider.gcp.testing.FakeSecretManager;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.Serialisers;
import org.junit.jupiter.api.Test;

/**
 * Nothing the GCP provider holds or hands out is written by Jackson, Gson or Java serialisation:
 * not the provider (which caches its configuration secret's members), nor what it returns.
 */
final class SerializationTest {
  private static final String CANARY = "cAnArY-serial-7d3b1f0e";

  @Test
  void serialise_providerAndWhatItReturns_writeNoValue() {
    try (FakeSecretManager gcp = FakeSecretManager.start()) {
      gcp.addVersion("plain", utf8(CANARY + "-plain"));
      gcp.addVersion("app-config", utf8("{\"API_KEY\":\"" + CANARY + "-config\"}"));
      try (GcpSecretProvider provider =
          GcpSecretProvider.fromEnvironment(
              with(gcp.environment(), "LATCHKEY_GCP_CONFIG_SECRET", "app-config"))) {
        assertThat(provider.get("API_KEY")).isPresent();
        SecretVersion version = provider.fetch(SecretRef.parse("gcp:plain"));
        for (String canary : new String[] {CANARY + "-plain", CANARY + "-config"}) {
          // A service, not data: the mappers that read fields write an empty object.
          assertThat(Serialisers.assertWritesNoValue("GcpSecretProvider", provider, canary))
              .containsEntry("Gson", "{}")
              .containsEntry("Jackson with field visibility ANY", "{}");
        }
        Serialisers.assertWritesNoValue(
            "a value it returns", provider.get("API_KEY").orElseThrow(), CANARY + "-config");
        Serialisers.assertWritesNoValue("a version it fetched", version, CANARY + "-plain");
      }
    }
  }
}
