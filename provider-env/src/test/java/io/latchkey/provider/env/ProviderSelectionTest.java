package io.latchkey.provider.env;

import static io.latchkey.provider.env.TestFiles.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.spi.SecretProvider;
import io.latchkey.resolver.SecretProviders;
import io.latchkey.testsupport.IsolatedClassLoader;
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
    Path dotenv = TestFiles.write(dir.resolve("selected.env"), "FROM_DOTENV=yes\n");
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
    assertThat(SecretProviders.factoryType("env")).contains(EnvSecretProviderFactory.class);
  }

  @Test
  void selectingEnv_neverInitialisesTheSleeper() {
    try (IsolatedClassLoader loader = IsolatedClassLoader.create()) {
      List<?> report = (List<?>) loader.call(SelectionProbe.class.getName(), "select", "env");
      assertThat(report.get(0)).as("available").isEqualTo(List.of("env", "sleeper"));
      assertThat(report.get(1)).as("the sleeper's class was found and loaded").isEqualTo(true);
      assertThat(report.get(3)).as("the sleeper was initialised").isEqualTo(false);
      assertThat(report.get(4)).as("selected").isEqualTo("env");
      assertThat(report.get(5)).isEqualTo(EnvSecretProvider.class.getName());
      assertThat(loader.call(SleeperFlag.class.getName(), "initialised")).isEqualTo(false);
    }
  }

  @Test
  void selectingTheSleeper_initialisesIt_theControlForTheTestAbove() {
    try (IsolatedClassLoader loader = IsolatedClassLoader.create()) {
      List<?> report = (List<?>) loader.call(SelectionProbe.class.getName(), "select", "sleeper");
      assertThat(report.get(2)).as("initialised before the selection").isEqualTo(false);
      assertThat(report.get(3)).as("initialised by the selection").isEqualTo(true);
      assertThat(report.get(4)).isEqualTo("sleeper");
      assertThat(loader.call(SleeperFlag.class.getName(), "initialised")).isEqualTo(true);
    }
  }
}
