package io.latchkey.provider.aws;

import io.latchkey.spi.ProviderThreads;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerServiceClientConfiguration;

/**
 * Builds the SDK's client, for what the provider's own client cannot do, or wraps a client the
 * caller supplied. A class of its own so that a provider on its own client never loads it, nor,
 * through it, an SDK class.
 */
final class SdkClients {
  private SdkClients() {}

  /** Builds the SDK's client, which the provider owns. */
  static AwsClient build(
      String signingRegion,
      URI endpoint,
      AwsCredentialsProvider credentials,
      Duration timeout,
      String description) {
    // Given this timer, the SDK starts no scheduler threads of its own; idle, it has no thread.
    ProviderThreads timerThreads = new ProviderThreads("latchkey-aws-timer-");
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, timerThreads);
    timer.setRemoveOnCancelPolicy(true);
    timer.setKeepAliveTime(30, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true);
    SecretsManagerClient sdk;
    try {
      var builder =
          SecretsManagerClient.builder()
              .region(Region.of(signingRegion))
              .httpClientBuilder(
                  new InFlightCalls.Builder(
                      UrlConnectionHttpClient.builder()
                          .connectionTimeout(timeout)
                          .socketTimeout(timeout)))
              .overrideConfiguration(
                  c ->
                      // One attempt per call: retries are the resolver's, with its back-off.
                      c.retryStrategy(AwsRetryStrategy.doNotRetry())
                          .apiCallTimeout(timeout)
                          .apiCallAttemptTimeout(timeout)
                          .scheduledExecutorService(timer)
                          .addExecutionInterceptor(new AnswerCheck()));
      if (endpoint != null) {
        builder.endpointOverride(endpoint);
      }
      if (credentials != null) {
        builder.credentialsProvider(credentials);
      }
      sdk = builder.build();
      AwsClientFactory.warnAboutVerboseLoggers();
    } catch (RuntimeException e) {
      timer.shutdownNow();
      throw e;
    }
    SecretsManagerClient built = sdk;
    return new AwsClient(
        t -> new SdkSecretsApi(built, true, timer, timerThreads, t), description, timeout);
  }

  /**
   * Wraps a client the caller supplied and keeps: the provider neither configures nor closes it.
   */
  static AwsClient supplied(SecretsManagerClient client, Duration timeout) {
    SecretsManagerServiceClientConfiguration config = client.serviceClientConfiguration();
    String where =
        (config.region() == null ? "" : ", region " + config.region().id())
            + (config.endpointOverride().isPresent()
                ? ", endpoint " + AwsSettings.printable(config.endpointOverride().get())
                : "");
    return new AwsClient(
        t -> new SdkSecretsApi(client, false, null, null, t),
        "AWS Secrets Manager (a supplied client" + where + ")",
        timeout);
  }
}
