package io.latchkey.provider.aws;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The scenarios against LocalStack's Secrets Manager, wherever a Docker engine runs; skipped where
 * none does. Secrets are seeded through the SDK ({@code CreateSecret}, {@code PutSecretValue},
 * {@code UpdateSecretVersionStage}, {@code DeleteSecret}), as an operator would.
 */
@Testcontainers(disabledWithoutDocker = true)
final class LocalStackContainerTest extends AbstractAwsScenarios {
  @Container
  private static final LocalStackContainer LOCALSTACK =
      new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
          .withServices(LocalStackContainer.Service.SECRETSMANAGER);

  private static SecretsManagerClient admin;

  private static synchronized SecretsManagerClient admin() {
    if (admin == null) {
      admin =
          SecretsManagerClient.builder()
              .region(Region.of(LOCALSTACK.getRegion()))
              .endpointOverride(LOCALSTACK.getEndpoint())
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create(
                          LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())))
              .httpClientBuilder(UrlConnectionHttpClient.builder())
              .build();
    }
    return admin;
  }

  @AfterAll
  static synchronized void closeAdmin() {
    if (admin != null) {
      admin.close();
      admin = null;
    }
  }

  @Override
  Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_REGION", LOCALSTACK.getRegion());
    env.put("AWS_ACCESS_KEY_ID", LOCALSTACK.getAccessKey());
    env.put("AWS_SECRET_ACCESS_KEY", LOCALSTACK.getSecretKey());
    env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", LOCALSTACK.getEndpoint().toString());
    return env;
  }

  @Override
  String putString(String name, String value) {
    if (exists(name)) {
      return admin().putSecretValue(b -> b.secretId(name).secretString(value)).versionId();
    }
    return admin().createSecret(b -> b.name(name).secretString(value)).versionId();
  }

  @Override
  String putBinary(String name, byte[] value) {
    SdkBytes bytes = SdkBytes.fromByteArray(value);
    if (exists(name)) {
      return admin().putSecretValue(b -> b.secretId(name).secretBinary(bytes)).versionId();
    }
    return admin().createSecret(b -> b.name(name).secretBinary(bytes)).versionId();
  }

  @Override
  void moveStage(String name, String stage, String versionId) {
    DescribeSecretResponse secret = admin().describeSecret(b -> b.secretId(name));
    String holder =
        secret.versionIdsToStages().entrySet().stream()
            .filter(e -> e.getValue().contains(stage))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElse(null);
    admin()
        .updateSecretVersionStage(
            b ->
                b.secretId(name)
                    .versionStage(stage)
                    .moveToVersionId(versionId)
                    .removeFromVersionId(holder));
  }

  @Override
  void scheduleDeletion(String name) {
    admin().deleteSecret(b -> b.secretId(name).recoveryWindowInDays(7L));
  }

  @Override
  String arn(String name) {
    return admin().describeSecret(b -> b.secretId(name)).arn();
  }

  private static boolean exists(String name) {
    try {
      admin().describeSecret(b -> b.secretId(name));
      return true;
    } catch (ResourceNotFoundException e) {
      return false;
    }
  }
}
