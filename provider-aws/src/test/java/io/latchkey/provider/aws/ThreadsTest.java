package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ProviderException;
import io.latchkey.SecretRef;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import io.latchkey.provider.aws.testing.FakeSecretsManager.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The provider's threads are its own, named, and gone after {@link AwsSecretProvider#close()}. */
final class ThreadsTest {

  /**
   * Threads that are not the provider's: the fake's, and the JDK's shared HTTP keep-alive timer
   * ({@code Keep-Alive-Timer}), which {@link java.net.HttpURLConnection} starts for idle
   * connections and stops by itself.
   */
  private static boolean foreign(Thread t) {
    return t.getName().startsWith("fake-secretsmanager-") || t.getName().equals("Keep-Alive-Timer");
  }

  private static Set<Thread> started(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.isAlive() && !foreign(t))
        .collect(Collectors.toSet());
  }

  private static Set<String> names(Set<Thread> threads) {
    return threads.stream().map(Thread::getName).collect(Collectors.toSet());
  }

  @Test
  void close_leavesNoThreadTheProviderStarted_withItsOwnClient() throws Exception {
    NoProxy.assume();
    try (FakeSecretsManager fake = FakeSecretsManager.start()) {
      // The own client runs every exchange on its caller's thread: only the batch pool's start.
      closeLeavesNoThread(
          fake, () -> AwsSecretProvider.fromEnvironment(fake.environment()), "batch");
    }
  }

  @Test
  void close_leavesNoThreadTheProviderStarted_withTheSdksClient() throws Exception {
    try (FakeSecretsManager fake = FakeSecretsManager.start()) {
      // A supplied credentials provider means the SDK's client, which schedules each call's
      // time-out on the provider's timer thread.
      closeLeavesNoThread(
          fake,
          () ->
              AwsSecretProvider.builder()
                  .endpoint(fake.endpoint())
                  .region(fake.region())
                  .credentialsProvider(
                      StaticCredentialsProvider.create(
                          AwsBasicCredentials.create(fake.accessKeyId(), fake.secretAccessKey())))
                  .build(),
          "batch",
          "timer");
    }
  }

  private static void closeLeavesNoThread(
      FakeSecretsManager fake, Supplier<AwsSecretProvider> build, String... kinds) {
    List<SecretRef> refs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      fake.putSecretString("t/" + i, "v");
      refs.add(SecretRef.parse("aws:t/" + i));
    }
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    AwsSecretProvider provider = build.get();

    // A batch of 50 sends two of its three calls from the pool.
    provider.fetch(refs.get(0));
    provider.currentVersionId(refs.get(0));
    assertThat(provider.fetchAll(refs)).hasSize(50);

    Set<String> running = names(started(before));
    String pattern = "latchkey-aws-(" + String.join("|", kinds) + ")-\\d+";
    assertThat(running).allSatisfy(n -> assertThat(n).matches(pattern));
    for (String kind : kinds) {
      assertThat(running).anySatisfy(n -> assertThat(n).startsWith("latchkey-aws-" + kind + "-"));
    }

    provider.close();
    provider.close();

    // close() joins the threads it stopped: none is left when it returns.
    assertThat(names(started(before))).isEmpty();
  }

  @Test
  void aSuppliedClient_isLeftOpen() {
    try (FakeSecretsManager fake = FakeSecretsManager.start();
        SecretsManagerClient client =
            SecretsManagerClient.builder()
                .region(Region.of(fake.region()))
                .endpointOverride(fake.endpoint())
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(fake.accessKeyId(), fake.secretAccessKey())))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build()) {
      fake.putSecretString("shared", "v");
      try (AwsSecretProvider provider =
          AwsSecretProvider.builder().client(client).timeout(Duration.ofSeconds(2)).build()) {
        assertThat(provider.fetch(SecretRef.parse("aws:shared")).value().reveal()).isEqualTo("v");
        assertThat(provider.description()).contains("a supplied client").contains("us-east-1");
      }
      assertThat(client.getSecretValue(b -> b.secretId("shared")).secretString()).isEqualTo("v");
    }
  }

  @Test
  void aSuppliedClient_getsThePerCallTimeoutOnEachRequest() {
    try (FakeSecretsManager fake = FakeSecretsManager.start();
        SecretsManagerClient client =
            SecretsManagerClient.builder()
                .region(Region.of(fake.region()))
                .endpointOverride(fake.endpoint())
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(fake.accessKeyId(), fake.secretAccessKey())))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        AwsSecretProvider provider =
            AwsSecretProvider.builder().client(client).timeout(Duration.ofMillis(300)).build()) {
      fake.putSecretString("slow", "v");
      fake.fail(Fault.HANG);

      ProviderException e =
          catchThrowableOfType(
              ProviderException.class, () -> provider.fetch(SecretRef.parse("aws:slow")));

      assertThat(e.kind()).isEqualTo(ProviderException.Kind.TIMEOUT);
    }
  }
}
