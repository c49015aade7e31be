package io.latchkey.provider.env;

import static io.latchkey.provider.env.Testing.CANARY;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.SecretRef;
import io.latchkey.testsupport.Serialisers;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing the environment provider holds or hands out is written by Jackson, Gson or Java
 * serialisation: not the provider (whose layers hold every variable), nor what it returns.
 */
final class SerializationTest {
  @TempDir Path dir;

  @Test
  void serialise_providerAndWhatItReturns_writeNoValue() {
    Path dotenv = Testing.write(dir.resolve(".env"), "DOTENV_TOKEN=" + CANARY + "-dotenv\n");
    try (EnvSecretProvider env =
        EnvSecretProvider.builder()
            .environment(Map.of("DB_PASSWORD", CANARY + "-env"))
            .dotenvFile(dotenv)
            .override("OVERRIDE", CANARY + "-override")
            .build()) {
      assertThat(env.get("DB_PASSWORD")).isPresent();
      assertThat(env.get("DOTENV_TOKEN")).isPresent();
      assertThat(env.get("OVERRIDE")).isPresent();
      for (String suffix : new String[] {"-env", "-dotenv", "-override"}) {
        String canary = CANARY + suffix;
        // A service, not data: the mappers that read fields write an empty object.
        assertThat(Serialisers.assertWritesNoValue("EnvSecretProvider", env, canary))
            .containsEntry("Gson", "{}")
            .containsEntry("Jackson with field visibility ANY", "{}");
      }
      Serialisers.assertWritesNoValue(
          "a value it returns", env.get("DB_PASSWORD").orElseThrow(), CANARY + "-env");
      Serialisers.assertWritesNoValue(
          "a version it fetched", env.fetch(SecretRef.parse("DB_PASSWORD")), CANARY + "-env");
    }
  }
}
