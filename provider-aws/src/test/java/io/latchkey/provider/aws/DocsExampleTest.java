package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigSchema;
import io.latchkey.config.ConfigSource;
import io.latchkey.config.Origin;
import io.latchkey.config.Setting;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import io.latchkey.resolver.ResolvingConfigSource;
import io.latchkey.resolver.SecretProviders;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The examples of the provider's documentation page ({@code docs/providers/aws.md}), compiled and
 * run against the loopback fake in place of AWS.
 */
final class DocsExampleTest {
  private static final Setting<Secret> DATABASE_PASSWORD =
      Setting.secret("DATABASE_PASSWORD").build();
  private static final Setting<Integer> POOL_SIZE = Setting.integer("POOL_SIZE").build();
  private static final ConfigSchema SECRETS = ConfigSchema.builder().add(DATABASE_PASSWORD).build();
  private static final ConfigSchema TUNING = ConfigSchema.builder().add(POOL_SIZE).build();

  private final FakeSecretsManager fake = FakeSecretsManager.start();
  private final AtomicInteger evictions = new AtomicInteger();

  DocsExampleTest() {
    fake.putSecretString("prod/db", "{\"username\":\"app\",\"password\":\"pw-1\"}");
    fake.putSecretString("prod/llm-api-key", "sk-test-key");
    fake.putSecretString("prod/app-config", "{\"POOL_SIZE\":20}");
  }

  @AfterEach
  void close() {
    fake.close();
  }

  private void softEvictConnections() {
    evictions.incrementAndGet();
  }

  @Test
  void resolverExample() {
    Map<String, String> env = fake.environment();
    env.put("SECRET_PROVIDER", "aws");

    try (SecretProvider aws = SecretProviders.select(env); // SECRET_PROVIDER=aws, AWS_REGION, ...
        SecretResolver resolver =
            SecretResolver.builder()
                .provider(aws)
                .ttl(Duration.ofMinutes(5))
                .maxStale(Duration.ofMinutes(30))
                .build()) {
      resolver.prefetch(
          List.of(
              SecretRef.parse("aws:prod/db#password"), // one BatchGetSecretValue for both
              SecretRef.parse("aws:prod/llm-api-key")));
      Secret password = resolver.resolve("aws:prod/db#password");
      resolver.addListener(
          SecretRef.parse("aws:prod/db#password"),
          (ref, oldVersion, newVersion) -> softEvictConnections());

      assertThat(password.reveal()).isEqualTo("pw-1");
    }
    assertThat(fake.requests("BatchGetSecretValue")).isEqualTo(1);
    assertThat(fake.requests("GetSecretValue")).isZero();
  }

  @Test
  void configurationExample() {
    Map<String, String> env = fake.environment();
    env.put("DATABASE_PASSWORD", "${ref:aws:prod/db#password}");
    env.put("LATCHKEY_AWS_CONFIG_SECRET", "prod/app-config");

    try (AwsSecretProvider aws = AwsSecretProvider.fromEnvironment(env);
        SecretResolver resolver = SecretResolver.builder().provider(aws).build()) {
      ConfigSource environment = ConfigSource.of(env, Origin.Kind.ENV);
      Config settings = SECRETS.load(new ResolvingConfigSource(environment, resolver));
      Config fromSecret = TUNING.load(aws); // the members of prod/app-config

      assertThat(settings.get(DATABASE_PASSWORD).reveal()).isEqualTo("pw-1");
      assertThat(fromSecret.get(POOL_SIZE)).isEqualTo(20);
      assertThat(fromSecret.origin("POOL_SIZE"))
          .contains(Origin.of(Origin.Kind.PROVIDER, "aws:prod/app-config"));
    }
  }

  @Test
  void discoveredExample() {
    Map<String, String> env = fake.environment();

    try (SecretResolver resolver = SecretResolver.builder().discoverProviders(env).build()) {
      assertThat(resolver.resolve("aws:prod/llm-api-key").reveal()).isEqualTo("sk-test-key");
    }
  }
}
