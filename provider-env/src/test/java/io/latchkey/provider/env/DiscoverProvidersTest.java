package io.latchkey.provider.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ProviderException;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.IsolatedClassLoader;
import io.latchkey.testsupport.ProviderProbe;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SecretResolver.Builder#discoverProviders(Map)} registers every provider on the class path
 * and creates one only when a reference of its scheme is resolved.
 */
final class DiscoverProvidersTest {
  private static final Map<String, String> DISCOVERED =
      Map.of("LATCHKEY_ENV_FILE", "none", "GREETING", "hello");

  @TempDir Path dir;

  @Test
  void discoveredEnvProvider_resolvesReferences() {
    try (SecretResolver resolver =
        SecretResolver.builder()
            .discoverProviders(Map.of("LATCHKEY_ENV_FILE", "none", "DB_PASSWORD", "pw"))
            .build()) {
      assertThat(resolver.resolve("env:DB_PASSWORD").reveal()).isEqualTo("pw");
      assertThat(resolver.resolve("DB_PASSWORD").reveal()).isEqualTo("pw");
      assertThat(resolver.health()).containsOnlyKeys("env", "sleeper");
    }
  }

  @Test
  void resolvingEnv_neverInitialisesTheSleeper() {
    try (IsolatedClassLoader loader = IsolatedClassLoader.create()) {
      assertThat(ProviderProbe.in(loader).resolve(DISCOVERED, "env:GREETING")).isEqualTo("hello");
      assertThat(loader.call(SleeperFlag.class.getName(), "initialised")).isEqualTo(false);
    }
  }

  @Test
  void resolvingTheSleepersScheme_createsIt_theControlForTheTestAbove() {
    try (IsolatedClassLoader loader = IsolatedClassLoader.create()) {
      // The sleeper serves configuration only: created on demand, it cannot resolve references.
      assertThat(ProviderProbe.in(loader).resolve(DISCOVERED, "sleeper:x"))
          .isEqualTo("UNSUPPORTED");
      assertThat(loader.call(SleeperFlag.class.getName(), "initialised")).isEqualTo(true);
    }
  }

  @Test
  void brokenProviderSettings_failItsReferences_namingTheSettings() {
    Path missing = dir.resolve("missing.env");
    try (SecretResolver resolver =
        SecretResolver.builder()
            .discoverProviders(Map.of("LATCHKEY_ENV_FILE", missing.toString()))
            .build()) {
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> resolver.resolve("env:DB_PASSWORD"))
            .isInstanceOfSatisfying(
                ProviderException.class,
                e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.OTHER))
            .hasMessageContaining(
                "provider 'env' could not be created: LATCHKEY_ENV_FILE "
                    + missing
                    + " does not exist");
      }
    }
  }

  @Test
  void explicitRegistration_winsOverDiscovery_inEitherOrder() {
    EnvSecretProvider mine =
        EnvSecretProvider.builder().environment(Map.of("X", "mine")).noDotenv().build();
    Map<String, String> env = Map.of("LATCHKEY_ENV_FILE", "none", "X", "discovered");
    try (SecretResolver before =
            SecretResolver.builder().provider(mine).discoverProviders(env).build();
        SecretResolver after =
            SecretResolver.builder().discoverProviders(env).provider(mine).build()) {
      assertThat(before.resolve("X").reveal()).isEqualTo("mine");
      assertThat(after.resolve("X").reveal()).isEqualTo("mine");
    }
  }

  @Test
  void afterClose_discoveredProvidersRefuse() {
    SecretResolver resolver =
        SecretResolver.builder().discoverProviders(Map.of("LATCHKEY_ENV_FILE", "none")).build();
    resolver.close();
    assertThatThrownBy(() -> resolver.resolve("env:X")).isInstanceOf(IllegalStateException.class);
  }
}
