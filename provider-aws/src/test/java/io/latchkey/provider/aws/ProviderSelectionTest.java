package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.SecretRef;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import io.latchkey.resolver.SecretProviders;
import io.latchkey.spi.SecretProvider;
import io.latchkey.testsupport.IsolatedClassLoader;
import io.latchkey.testsupport.ProviderProbe;
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
    assertThat(ProviderProbe.factoryType("aws")).contains(AwsSecretProviderFactory.class.getName());
  }

  @Test
  void findingTheFactory_loadsNoSdkClass_andNoOtherClassOfTheModule() {
    try (IsolatedClassLoader loader = IsolatedClassLoader.create()) {
      ProviderProbe.LookUp lookUp = ProviderProbe.in(loader).lookUp("aws");
      Set<String> loaded = loader.loaded();

      assertThat(lookUp.available()).contains("aws");
      assertThat(lookUp.factory()).isEqualTo(AwsSecretProviderFactory.class.getName());
      assertThat(loaded).contains(AwsSecretProviderFactory.class.getName());
      assertThat(loaded)
          .noneMatch(n -> n.startsWith("software.amazon."))
          .noneMatch(n -> n.startsWith("com.fasterxml.jackson."))
          .filteredOn(n -> n.startsWith("io.latchkey.provider.aws.") && !n.contains(".testing."))
          .containsExactly(AwsSecretProviderFactory.class.getName());
    }
  }

  @Test
  void selectingAws_andResolving_loadsNoSdkClass_throughTheProvidersOwnClient() {
    NoProxy.assume();
    try (FakeSecretsManager fake = FakeSecretsManager.start();
        IsolatedClassLoader loader = IsolatedClassLoader.create()) {
      fake.putSecretString("prod/api", "canary-own-client-41c7");
      Map<String, String> env = fake.environment();
      env.put("SECRET_PROVIDER", "aws");

      String value = ProviderProbe.in(loader).resolve(env, "aws:prod/api");

      assertThat(value).isEqualTo("canary-own-client-41c7");
      assertThat(loader.loaded())
          .contains(AwsSecretProvider.class.getName(), OwnSecretsApi.class.getName())
          .noneMatch(n -> n.startsWith("software.amazon."));
    }
  }

  @Test
  void selectingAws_whereOnlyTheSdkCanCall_loadsTheSdk_theControlForTheTestAbove() {
    try (FakeSecretsManager fake = FakeSecretsManager.start();
        IsolatedClassLoader loader = IsolatedClassLoader.create()) {
      Map<String, String> env = fake.environment();
      env.put("SECRET_PROVIDER", "aws");
      // Without an endpoint, a FIPS endpoint is left to the SDK's endpoint rules. Selecting the
      // provider builds its client and calls nothing.
      env.put("AWS_USE_FIPS_ENDPOINT", "true");
      env.remove("AWS_ENDPOINT_URL_SECRETS_MANAGER");
      env.remove("AWS_ENDPOINT_URL");
      ProviderProbe.Selection selected = ProviderProbe.in(loader).select(env);

      assertThat(selected.name()).isEqualTo("aws");
      assertThat(selected.type()).isEqualTo(AwsSecretProvider.class.getName());
      assertThat(loader.loaded())
          .contains(AwsSecretProvider.class.getName(), SdkSecretsApi.class.getName())
          .anyMatch(n -> n.startsWith("software.amazon.awssdk.services.secretsmanager."));
    }
  }
}
