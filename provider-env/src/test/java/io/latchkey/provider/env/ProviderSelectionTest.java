package io.latchkey.provider.env;

import static io.latchkey.provider.env.Testing.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.resolver.SecretProviders;
import io.latchkey.spi.SecretProvider;
import io.latchkey.testsupport.IsolatedClassLoader;
import io.latchkey.testsupport.ProviderProbe;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code SECRET_PROVIDER} selects a provider through {@link java.util.ServiceLoader}, and a
 * provider that is not selected never runs a line of its code.
 */
final class ProviderSelectionTest {
  @TempDir Path dir;

  @Test
  void unset_selectsEnv() {
    try (SecretProvider provider = SecretProviders.select(Map.of("LATCHKEY_ENV_FILE", "none"))) {
      assertThat(provider).isInstanceOf(EnvSecretProvider.class);
      assertThat(provider.name()).isEqualTo("env");
    }
  }

  @Test
  void blank_selectsEnv() {
    try (SecretProvider provider =
        SecretProviders.select(Map.of("SECRET_PROVIDER", " ", "LATCHKEY_ENV_FILE", "none"))) {
      assertThat(provider).isInstanceOf(EnvSecretProvider.class);
    }
  }

  @Test
  void env_selectsEnv_whichReadsItsSettingsFromTheSameEnvironment() {
    Path dotenv = Testing.write(dir.resolve("selected.env"), "FROM_DOTENV=yes\n");
    try (SecretProvider provider =
        SecretProviders.select(
            Map.of(
                "SECRET_PROVIDER", "env",
                "LATCHKEY_ENV_FILE", dotenv.toString(),
                "FROM_ENV", "also"))) {
      assertThat(provider).isInstanceOf(EnvSecretProvider.class);
      assertThat(text((EnvSecretProvider) provider, "FROM_DOTENV")).isEqualTo("yes");
      assertThat(text((EnvSecretProvider) provider, "FROM_ENV")).isEqualTo("also");
    }
  }

  @Test
  void env_withBrokenSettings_reportsTheProvidersOwnProblems() {
    Path missing = dir.resolve("missing.env");
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> SecretProviders.select(Map.of("LATCHKEY_ENV_FILE", missing.toString())));
    assertThat(e.problems())
        .containsExactly(
            new ConfigException.Problem("LATCHKEY_ENV_FILE", missing + " does not exist"));
  }

  @Test
  void unknownName_isAnErrorNamingTheVariable_andListingTheAvailableProviders() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> SecretProviders.select(Map.of("SECRET_PROVIDER", "aws")));
    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0).setting()).isEqualTo("SECRET_PROVIDER");
    assertThat(e.problems().get(0).reason())
        .isEqualTo(
            "is 'aws', which no provider on the class path is named; available: [env, sleeper]");
  }

  @Test
  void available_listsEveryRegisteredProvider_andEnvHasItsFactory() {
    assertThat(SecretProviders.available()).containsExactly("env", "sleeper");
    assertThat(ProviderProbe.factoryType("env")).contains(EnvSecretProviderFactory.class.getName());
    assertThat(ProviderProbe.factoryType("nope")).isEmpty();
  }

  @Test
  void selectingEnv_neverInitialisesTheSleeper() {
    try (IsolatedClassLoader loader = IsolatedClassLoader.create()) {
      ProviderProbe probe = ProviderProbe.in(loader);
      ProviderProbe.LookUp lookUp = probe.lookUp("sleeper");
      assertThat(lookUp.available()).as("available").isEqualTo(List.of("env", "sleeper"));
      assertThat(lookUp.factory()).isEqualTo(SleeperProviderFactory.class.getName());
      assertThat(loader.hasLoaded(SleeperProviderFactory.class.getName()))
          .as("the sleeper's class was found and loaded")
          .isTrue();
      ProviderProbe.Selection selected =
          probe.select(Map.of("SECRET_PROVIDER", "env", "LATCHKEY_ENV_FILE", "none"));
      assertThat(selected.name()).as("selected").isEqualTo("env");
      assertThat(selected.type()).isEqualTo(EnvSecretProvider.class.getName());
      assertThat(loader.call(SleeperFlag.class.getName(), "initialised"))
          .as("the sleeper was initialised")
          .isEqualTo(false);
    }
  }

  @Test
  void selectingTheSleeper_initialisesIt_theControlForTheTestAbove() {
    try (IsolatedClassLoader loader = IsolatedClassLoader.create()) {
      ProviderProbe probe = ProviderProbe.in(loader);
      probe.lookUp("sleeper");
      assertThat(loader.call(SleeperFlag.class.getName(), "initialised"))
          .as("initialised before the selection")
          .isEqualTo(false);
      ProviderProbe.Selection selected =
          probe.select(Map.of("SECRET_PROVIDER", "sleeper", "LATCHKEY_ENV_FILE", "none"));
      assertThat(selected.name()).isEqualTo("sleeper");
      assertThat(loader.call(SleeperFlag.class.getName(), "initialised"))
          .as("initialised by the selection")
          .isEqualTo(true);
    }
  }
}
