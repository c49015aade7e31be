package io.latchkey.provider.aws;

import io.latchkey.provider.aws.testing.FakeSecretsManager;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;

/** The scenarios against the loopback fake, which also counts the calls the provider makes. */
final class LoopbackScenariosTest extends AbstractAwsScenarios {
  private final FakeSecretsManager fake = FakeSecretsManager.start();

  @AfterEach
  void stopFake() {
    fake.close();
  }

  @Override
  Map<String, String> environment() {
    return fake.environment();
  }

  @Override
  String putString(String name, String value) {
    return fake.putSecretString(name, value);
  }

  @Override
  String putBinary(String name, byte[] value) {
    return fake.putSecretBinary(name, value);
  }

  @Override
  void moveStage(String name, String stage, String versionId) {
    fake.moveStage(name, stage, versionId);
  }

  @Override
  void scheduleDeletion(String name) {
    fake.deleteSecret(name);
  }

  @Override
  String arn(String name) {
    return fake.arn(name);
  }

  @Override
  OptionalLong requests(String operation) {
    return OptionalLong.of(fake.requests(operation));
  }
}
