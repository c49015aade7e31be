package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.config.ConfigValue;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import io.latchkey.provider.aws.testing.FakeSecretsManager.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The configuration view: one JSON secret, read once, served as settings. */
final class ConfigViewTest {
  private final FakeSecretsManager fake = FakeSecretsManager.start();

  @AfterEach
  void close() {
    fake.close();
  }

  private AwsSecretProvider open(String configSecret) {
    Map<String, String> env = fake.environment();
    env.put("LATCHKEY_AWS_CONFIG_SECRET", configSecret);
    return AwsSecretProvider.fromEnvironment(env);
  }

  @Test
  void aReferenceWithAStage_readsThatVersion() {
    fake.putSecretString("app/config", "{\"MODE\":\"old\"}");
    fake.putSecretString("app/config", "{\"MODE\":\"new\"}");
    try (AwsSecretProvider provider = open("aws:app/config@AWSPREVIOUS")) {
      ConfigValue mode = provider.get("MODE").orElseThrow();

      assertThat(mode.text()).isEqualTo("old");
      assertThat(mode.origin().toString()).isEqualTo("provider (aws:app/config@AWSPREVIOUS)");
    }
  }

  @Test
  void aFieldThatHoldsAnObject_servesThatObjectsMembers() {
    fake.putSecretString("app/all", "{\"prod\":{\"MODE\":\"p\"},\"dev\":{\"MODE\":\"d\"}}");
    try (AwsSecretProvider provider = open("aws:app/all#prod")) {
      assertThat(provider.get("MODE").map(ConfigValue::text)).contains("p");
      assertThat(provider.names()).containsExactly("MODE");
    }
  }

  @Test
  void members_followTheOneFieldRule_nullIsAbsent_otherValuesAsWritten() {
    fake.putSecretString(
        "app/config", "{\"UNSET\":null,\"POOL\":20,\"MODE\":\"on\",\"OPTS\":{\"e\": [1, 2]}}");
    try (AwsSecretProvider provider = open("app/config")) {
      assertThat(provider.names()).containsExactly("MODE", "OPTS", "POOL");
      assertThat(provider.get("UNSET")).isEmpty();
      assertThat(provider.get("POOL").map(ConfigValue::text)).contains("20");
      assertThat(provider.get("OPTS").map(ConfigValue::text)).contains("{\"e\": [1, 2]}");
    }
  }

  @Test
  void anArn_isTakenAsItIs() {
    fake.putSecretString("app/config", "{\"MODE\":\"arn\"}");
    try (AwsSecretProvider provider = open(fake.arn("app/config"))) {
      assertThat(provider.get("MODE").map(ConfigValue::text)).contains("arn");
    }
  }

  @Test
  void aSecretThatIsNotAJsonObject_isAConfigException_withoutQuotingIt() {
    fake.putSecretString("app/config", "MODE=plain");
    try (AwsSecretProvider provider = open("app/config")) {
      ConfigException e = catchThrowableOfType(ConfigException.class, () -> provider.get("MODE"));

      assertThat(e.problems())
          .containsExactly(
              new ConfigException.Problem(
                  "LATCHKEY_AWS_CONFIG_SECRET", "secret aws:app/config is not a JSON object"));
      assertThat(e.getMessage()).doesNotContain("plain");
    }
  }

  @Test
  void aFailedRead_isReported_andTriedAgainOnTheNextLookUp() {
    fake.putSecretString("app/config", "{\"MODE\":\"ok\"}");
    try (AwsSecretProvider provider = open("app/config")) {
      fake.fail(Fault.THROTTLING, 1);

      ConfigException e = catchThrowableOfType(ConfigException.class, () -> provider.names());

      assertThat(e.problems().get(0).setting()).isEqualTo("LATCHKEY_AWS_CONFIG_SECRET");
      assertThat(e.problems().get(0).reason())
          .isEqualTo(
              "secret aws:app/config could not be read: throttled: rate exceeded"
                  + " (ThrottlingException, HTTP 400)");
      assertThat(e.getSuppressed())
          .singleElement()
          .isInstanceOfSatisfying(
              ProviderException.class, p -> assertThat(p.isRetryable()).isTrue());
      assertThat(provider.get("MODE").map(ConfigValue::text)).contains("ok");
    }
  }

  @Test
  void concurrentLookUps_readTheSecretOnce() throws Exception {
    fake.putSecretString("app/config", "{\"MODE\":\"once\"}");
    fake.failOperation("GetSecretValue", Fault.HOLD, 1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (AwsSecretProvider provider = open("app/config")) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return provider.get("MODE").orElseThrow().text();
                }));
      }
      start.countDown();
      // One read is held by the fake while the others look up; an upper bound, not a measure.
      assertThat(fake.awaitHung(1, Duration.ofSeconds(30))).isTrue();
      fake.releaseHung();
      for (Future<String> r : results) {
        assertThat(r.get()).isEqualTo("once");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(fake.requests("GetSecretValue")).isEqualTo(1);
  }
}
