package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.SecretRef;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.Serialisers;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing the AWS provider holds or hands out is written by Jackson, Gson or Java serialisation:
 * not the provider (which caches its configuration secret's members), nor what it returns.
 */
final class SerializationTest {
  private static final String CANARY = "cAnArY-serial-4e8f2a9b";

  private final FakeSecretsManager fake = FakeSecretsManager.start();

  @AfterEach
  void close() {
    fake.close();
  }

  @Test
  void serialise_providerAndWhatItReturns_writeNoValue() {
    fake.putSecretString("plain", CANARY + "-plain");
    fake.putSecretString("config", "{\"API_KEY\":\"" + CANARY + "-config\"}");
    Map<String, String> env = fake.environment();
    env.put("LATCHKEY_AWS_CONFIG_SECRET", "config");
    try (AwsSecretProvider provider = AwsSecretProvider.fromEnvironment(env)) {
      assertThat(provider.get("API_KEY")).isPresent();
      SecretVersion version = provider.fetch(SecretRef.parse("aws:plain"));
      for (String canary : new String[] {CANARY + "-plain", CANARY + "-config"}) {
        // A service, not data: the mappers that read fields write an empty object.
        assertThat(Serialisers.assertWritesNoValue("AwsSecretProvider", provider, canary))
            .containsEntry("Gson", "{}")
            .containsEntry("Jackson with field visibility ANY", "{}");
      }
      Serialisers.assertWritesNoValue(
          "a value it returns", provider.get("API_KEY").orElseThrow(), CANARY + "-config");
      Serialisers.assertWritesNoValue("a version it fetched", version, CANARY + "-plain");
    }
  }
}
