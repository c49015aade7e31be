package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.SecretRef;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Which client the provider calls through: its own wherever it can, the SDK's where the application
 * chose it or where the own client would have to guess (a proxy, an endpoint variant, a partition
 * it does not know, credentials only the SDK's chain gets). Either way the answer is the same.
 */
final class ClientChoiceTest {
  private FakeSecretsManager fake;

  @BeforeEach
  void start() {
    fake = FakeSecretsManager.start();
    fake.putSecretString("prod/db", "{\"password\":\"canary-choice-pw-19d2\"}");
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private static SecretsApi apiOf(Map<String, String> env) {
    try (AwsSecretProvider p = AwsSecretProvider.fromEnvironment(env)) {
      return p.api();
    }
  }

  @Test
  void staticKeys_andAnEndpoint_useTheOwnClient_andReadTheSecret() {
    NoProxy.assume();
    try (AwsSecretProvider p = AwsSecretProvider.fromEnvironment(fake.environment())) {
      assertThat(p.api()).isInstanceOf(OwnSecretsApi.class);
      assertThat(p.fetch(SecretRef.parse("aws:prod/db#password")).value().reveal())
          .isEqualTo("canary-choice-pw-19d2");
    }
  }

  @Test
  void aSuppliedCredentialsProvider_usesTheSdksClient_andReadsTheSameSecret() {
    try (AwsSecretProvider p =
        AwsSecretProvider.builder()
            .endpoint(fake.endpoint())
            .region(fake.region())
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(fake.accessKeyId(), fake.secretAccessKey())))
            .build()) {
      assertThat(p.api()).isInstanceOf(SdkSecretsApi.class);
      assertThat(p.fetch(SecretRef.parse("aws:prod/db#password")).value().reveal())
          .isEqualTo("canary-choice-pw-19d2");
    }
  }

  @Test
  void aProxyInTheEnvironment_usesTheSdksClient() {
    for (String variable : new String[] {"HTTPS_PROXY", "https_proxy", "HTTP_PROXY"}) {
      Map<String, String> env = fake.environment();
      env.put(variable, "http://proxy.invalid:3128");
      assertThat(apiOf(env)).as(variable).isInstanceOf(SdkSecretsApi.class);
    }
  }

  @Test
  void aBlankProxyVariable_isUnset() {
    NoProxy.assume();
    Map<String, String> env = fake.environment();
    env.put("HTTPS_PROXY", " ");
    assertThat(apiOf(env)).isInstanceOf(OwnSecretsApi.class);
  }

  @Test
  void fipsOrDualStack_withoutAnEndpoint_useTheSdksClient_butAnEndpointWins() {
    NoProxy.assume();
    for (String variable : new String[] {"AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT"}) {
      Map<String, String> env = fake.environment();
      env.put(variable, "true");
      assertThat(apiOf(env)).as(variable + " with an endpoint").isInstanceOf(OwnSecretsApi.class);
      env.remove("AWS_ENDPOINT_URL_SECRETS_MANAGER");
      assertThat(apiOf(env)).as(variable).isInstanceOf(SdkSecretsApi.class);
    }
  }

  @Test
  void regionEndpoints_inTheStandardPartitions_andNoneElsewhere() {
    assertThat(OwnSecretsApi.regionEndpoint("eu-west-1"))
        .isEqualTo(URI.create("https://secretsmanager.eu-west-1.amazonaws.com"));
    assertThat(OwnSecretsApi.regionEndpoint("us-gov-west-1"))
        .isEqualTo(URI.create("https://secretsmanager.us-gov-west-1.amazonaws.com"));
    assertThat(OwnSecretsApi.regionEndpoint("cn-north-1"))
        .isEqualTo(URI.create("https://secretsmanager.cn-north-1.amazonaws.com.cn"));
    assertThat(OwnSecretsApi.regionEndpoint("eusc-de-east-1"))
        .isEqualTo(URI.create("https://secretsmanager.eusc-de-east-1.amazonaws.eu"));
    assertThat(OwnSecretsApi.regionEndpoint("us-iso-east-1")).isNull();
    assertThat(OwnSecretsApi.regionEndpoint("us-isob-east-1")).isNull();
    assertThat(OwnSecretsApi.regionEndpoint("eu-isoe-west-1")).isNull();
  }

  @Test
  void anIsolatedRegion_withoutAnEndpoint_usesTheSdksClient() {
    Map<String, String> env = fake.environment();
    env.remove("AWS_ENDPOINT_URL_SECRETS_MANAGER");
    env.put("AWS_REGION", "us-iso-east-1");
    assertThat(apiOf(env)).isInstanceOf(SdkSecretsApi.class);
  }

  @Test
  void anEndpointSetWhereOnlyTheSdkLooks_withNoEndpointGiven_usesTheSdksClient(@TempDir Path home)
      throws Exception {
    NoProxy.assume();
    Path config = Files.createDirectories(home.resolve(".aws")).resolve("config");
    for (String profile :
        new String[] {
          "[default]\nendpoint_url = http://127.0.0.1:4566\n",
          "[default]\nuse_fips_endpoint = true\n",
          "[default]\nuse_dualstack_endpoint = true\n",
          "[default]\nservices = local\n[services local]\nsecrets_manager =\n"
              + "  endpoint_url = http://127.0.0.1:4566\n"
        }) {
      Files.writeString(config, profile);
      Map<String, String> env = fake.environment();
      env.remove("AWS_ENDPOINT_URL_SECRETS_MANAGER");
      env.put("HOME", home.toString());
      assertThat(apiOf(env)).as(profile).isInstanceOf(SdkSecretsApi.class);

      env.put("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
      if (profile.contains("endpoint_url")) {
        assertThat(apiOf(env)).as(profile + ", ignored").isInstanceOf(OwnSecretsApi.class);
      }
    }
    Files.writeString(config, "[default]\nregion = eu-west-1\n");
    Map<String, String> env = fake.environment();
    env.remove("AWS_ENDPOINT_URL_SECRETS_MANAGER");
    env.put("HOME", home.toString());
    assertThat(apiOf(env)).isInstanceOf(OwnSecretsApi.class);
  }

  @Test
  void aNullDeletedDate_isAbsent_forBothClients() {
    fake.corrupt("DescribeSecret", "DeletedDate", "null");
    SecretRef ref = SecretRef.parse("aws:prod/db");
    try (AwsSecretProvider own = AwsSecretProvider.fromEnvironment(fake.environment());
        AwsSecretProvider sdk =
            AwsSecretProvider.builder()
                .endpoint(fake.endpoint())
                .region(fake.region())
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(fake.accessKeyId(), fake.secretAccessKey())))
                .build()) {
      assertThat(own.currentVersionId(ref)).isPresent();
      assertThat(sdk.currentVersionId(ref)).isPresent();
    }
  }
}
