package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.SecretRef;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import io.latchkey.spi.SecretProvider;
import io.latchkey.resolver.SecretProviders;
import io.latchkey.testsupport.IsolatedClassLoader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code SECRET_PROVIDER=aws} selects the provider through {@link java.util.ServiceLoader}, and
 * finding the factory loads no AWS SDK class.
 */
final class ProviderSelectionTest {

  @Test
  void aws_selectsTheAwsProvider_configuredFromTheSameEnvironment() {
    try (FakeSecretsManager fake = FakeSecretsManager.start()) {
      fake.putSecretString("prod/db", "{\"password\":\"pw\"}");
      Map<String, String> env = fake.environment();
      env.put("SECRET_PROVIDER", "aws");
      try (SecretProvider provider = SecretProviders.select(env)) {
        assertThat(provider).isInstanceOf(AwsSecretProvider.class);
        assertThat(provider.name()).isEqualTo("aws");
        assertThat(provider.fetch(SecretRef.parse("aws:prod/db#password")).value().reveal())
            .isEqualTo("pw");
      }
    }
  }

  @Test
  void aws_withBrokenSettings_reportsTheProvidersOwnProblems() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                SecretProviders.select(
                    Map.of(
                        "SECRET_PROVIDER", "aws",
                        "AWS_REGION", "eu-west-1",
                        "AWS_ACCESS_KEY_ID", "AKIA0000000000000000",
                        "LATCHKEY_AWS_TIMEOUT", "soon")));

    assertThat(e.problems())
        .extracting(Problem::setting)
        .containsExactly("AWS_SECRET_ACCESS_KEY", "LATCHKEY_AWS_TIMEOUT");
  }

  @Test
  void available_listsAws_withItsFactory() {
    assertThat(SecretProviders.available()).contains("aws");
    assertThat(SecretProviders.factoryType("aws")).contains(AwsSecretProviderFactory.class);
  }

  @Test
  void findingTheFactory_loadsNoSdkClass_andNoOtherClassOfTheModule() {
    try (IsolatedClassLoader loader = IsolatedClassLoader.create()) {
      List<?> report = (List<?>) loader.call(SelectionProbe.class.getName(), "lookUp");
      Set<String> loaded = loader.loaded();

      assertThat(report.get(0).toString()).contains("aws");
      assertThat(report.get(1)).isEqualTo(AwsSecretProviderFactory.class.getName());
      assertThat(loaded).contains(AwsSecretProviderFactory.class.getName());
      assertThat(loaded)
          .noneMatch(n -> n.startsWith("software.amazon."))
          .noneMatch(n -> n.startsWith("com.fasterxml.jackson."))
          .filteredOn(n -> n.startsWith("io.latchkey.provider.aws.") && !n.contains(".testing."))
          .containsExactly(
              AwsSecretProviderFactory.class.getName(), SelectionProbe.class.getName());
    }
  }

  @Test
  void selectingAws_loadsTheSdk_theControlForTheTestAbove() {
    try (FakeSecretsManager fake = FakeSecretsManager.start();
        IsolatedClassLoader loader = IsolatedClassLoader.create()) {
      Map<String, String> env = fake.environment();
      env.put("SECRET_PROVIDER", "aws");
      List<?> report = (List<?>) loader.call(SelectionProbe.class.getName(), "select", env);

      assertThat(report.get(0)).isEqualTo(AwsSecretProvider.class.getName());
      assertThat(report.get(1).toString()).contains(fake.endpoint().toString());
      assertThat(loader.loaded())
          .contains(AwsSecretProvider.class.getName())
          .anyMatch(n -> n.startsWith("software.amazon.awssdk.services.secretsmanager."));
    }
  }
}
