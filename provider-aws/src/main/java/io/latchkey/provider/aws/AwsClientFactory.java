package io.latchkey.provider.aws;

import io.latchkey.spi.ProviderThreads;
import io.latchkey.spi.VerboseLoggers;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerServiceClientConfiguration;

/**
 * Builds the SDK client the provider calls: the region or endpoint, the credentials, one attempt
 * per call within the time-out, the answers' checks, and a timer thread of the provider's own; or
 * wraps a client the caller supplied.
 */
final class AwsClientFactory {
  /** The signing region used with an endpoint and no region: what LocalStack and moto expect. */
  static final String ENDPOINT_REGION = "us-east-1";

  private AwsClientFactory() {}

  /**
   * The loggers under the client that print the credentials below {@code INFO}, as {@link
   * AwsSecretProviderFactory}'s {@code @CredentialLoggers} declares them: with temporary
   * credentials, the session token is a request header, which {@code HttpURLConnection} logs at
   * {@code FINE} and the SDK's signer (in either of its packages) puts in the canonical request it
   * logs at {@code DEBUG}. Returns the ones found that verbose, each warned about once per JVM.
   */
  static List<String> warnAboutVerboseLoggers() {
    List<String> verbose = new ArrayList<>();
    if (VerboseLoggers.warnIfJulBelowInfo(
        AwsLog.LOG,
        AwsSecretProviderFactory.CONNECTION_LOGGER,
        "every request's headers, the session token of temporary credentials among them")) {
      verbose.add(AwsSecretProviderFactory.CONNECTION_LOGGER);
    }
    for (String signer :
        List.of(
            AwsSecretProviderFactory.OLD_SIGNER_LOGGER, AwsSecretProviderFactory.SIGNER_LOGGER)) {
      if (VerboseLoggers.warnIfSlf4jBelowInfo(
          AwsLog.LOG,
          signer,
          "the canonical request it signs, the session token of temporary credentials among its"
              + " headers")) {
        verbose.add(signer);
      }
    }
    return verbose;
  }

  /**
   * Builds a client the provider owns.
   *
   * @param region the region, or null for {@link #ENDPOINT_REGION} with an endpoint
   * @param endpoint the endpoint, or null for the region's
   * @param credentials the credentials, or null for the SDK's default chain
   * @param timeout the per-call time-out, also the HTTP client's connect and read time-outs
   */
  static AwsClient build(
      String region, URI endpoint, AwsCredentialsProvider credentials, Duration timeout) {
    String signingRegion = region != null ? region : ENDPOINT_REGION;
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
      warnAboutVerboseLoggers();
    } catch (RuntimeException e) {
      timer.shutdownNow();
      throw e;
    }
    String description =
        "AWS Secrets Manager (region "
            + signingRegion
            + (endpoint == null ? "" : ", endpoint " + AwsSettings.printable(endpoint))
            + ")";
    return new AwsClient(sdk, true, timer, timerThreads, description, timeout);
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
        client, false, null, null, "AWS Secrets Manager (a supplied client" + where + ")", timeout);
  }
}
