package io.latchkey.provider.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.FixedExecutorProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.rpc.UnaryCallSettings;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import io.latchkey.ConfigException;
import io.latchkey.config.ConfigReport;
import io.latchkey.spi.ProviderThreads;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the Secret Manager client a provider owns: the endpoint and transport, the credentials,
 * one attempt per call bounded by the time-out, the answer cap, and a small pool of the provider's
 * own daemon threads; and closes it again.
 */
final class GcpClientFactory {
  private static final Logger LOG = LoggerFactory.getLogger(GcpSecretProvider.class);
  private static final String CLOUD_PLATFORM_SCOPE =
      "https://www.googleapis.com/auth/cloud-platform";

  /** What the client needs to know; the credentials file is ignored with plaintext. */
  record Target(String endpoint, boolean plaintext, Path credentialsFile, Duration timeout) {}

  /** A client the provider created, with the pool it runs on; both are closed together. */
  record Owned(SecretManagerServiceClient client, ScheduledThreadPoolExecutor executor) {
    /**
     * Shuts the channel down and waits for it to terminate (up to {@code wait}, then forcibly),
     * then stops the pool and joins its threads.
     *
     * @return whether the calling thread was interrupted while waiting
     */
    boolean close(Duration wait) {
      boolean interrupted = false;
      client.shutdown();
      try {
        if (!client.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
          client.shutdownNow();
          client.awaitTermination(1, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        client.shutdownNow();
        interrupted = true;
      }
      executor.shutdownNow();
      try {
        if (!executor.awaitTermination(1, TimeUnit.SECONDS)
            || !((ProviderThreads) executor.getThreadFactory()).join(Duration.ofSeconds(1))) {
          LOG.warn("gcp provider: a client thread did not stop within a second");
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
      return interrupted;
    }
  }

  private GcpClientFactory() {}

  /**
   * gRPC's Netty transport logs every HTTP/2 frame at debug level: the access token in each
   * request's headers, and the secret values in the answers. Warns about the frame loggers that
   * would write them, as the logging backend Netty chose answers ({@link FrameLoggers}), once per
   * JVM each, and returns their names.
   */
  static List<String> warnAboutVerboseLoggers() {
    return FrameLoggers.warnAboutVerbose(LOG);
  }

  /**
   * Creates a client.
   *
   * @throws ConfigException naming the credentials if none can be loaded, or the client cannot be
   *     created
   */
  static Owned create(Target target) {
    CredentialsProvider credentials = credentials(target);
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(2, new ProviderThreads("latchkey-gcp-"));
    executor.setRemoveOnCancelPolicy(true);
    try {
      SecretManagerServiceClient client =
          SecretManagerServiceClient.create(settings(target, credentials, executor));
      LOG.debug(
          "gcp provider: {} endpoint {}",
          target.plaintext() ? "plaintext" : "TLS",
          ConfigReport.maskUrls(target.endpoint()));
      warnAboutVerboseLoggers();
      return new Owned(client, executor);
    } catch (IOException | RuntimeException e) {
      executor.shutdownNow();
      // The client's message may quote a credentials file; only the type is kept.
      throw new ConfigException(
          target.credentialsFile() != null
              ? GcpSecretProvider.CREDENTIALS_VARIABLE
              : "Application Default Credentials",
          "the Secret Manager client could not be created ("
              + e.getClass().getSimpleName()
              + "); set "
              + GcpSecretProvider.CREDENTIALS_VARIABLE
              + " to a credentials file, or run where Application Default Credentials exist");
    }
  }

  private static CredentialsProvider credentials(Target target) {
    if (target.plaintext()) {
      if (target.credentialsFile() != null) {
        LOG.debug("gcp provider: plaintext endpoint, so no credentials are sent");
      }
      return NoCredentialsProvider.create();
    }
    if (target.credentialsFile() == null) {
      // Application Default Credentials, found by the client when it is created.
      return SecretManagerServiceSettings.defaultCredentialsProviderBuilder().build();
    }
    GoogleCredentials credentials;
    try (InputStream in = Files.newInputStream(target.credentialsFile())) {
      credentials = GoogleCredentials.fromStream(in);
    } catch (IOException | RuntimeException e) {
      // Never the exception's message: a parse error may quote the file, private key included.
      throw new ConfigException(
          GcpSecretProvider.CREDENTIALS_VARIABLE,
          GcpSettings.credentialsProblem(
              target.credentialsFile(),
              "is not a credentials file the Google auth library reads",
              e.getClass().getSimpleName()));
    }
    if (credentials.createScopedRequired()) {
      credentials = credentials.createScoped(List.of(CLOUD_PLATFORM_SCOPE));
    }
    if (credentials instanceof ServiceAccountCredentials account) {
      // As the client's default does: a self-signed JWT, without a round trip for a token.
      credentials = account.createWithUseJwtAccessWithScope(true);
    }
    return FixedCredentialsProvider.create(credentials);
  }

  private static SecretManagerServiceSettings settings(
      Target target, CredentialsProvider credentials, ScheduledThreadPoolExecutor executor)
      throws IOException {
    InstantiatingGrpcChannelProvider.Builder channel =
        SecretManagerServiceSettings.defaultGrpcTransportProviderBuilder();
    if (target.plaintext()) {
      channel.setChannelConfigurator(b -> b.usePlaintext());
    }
    channel.setMaxInboundMessageSize(GcpErrors.INBOUND_CAP);
    SecretManagerServiceSettings.Builder builder =
        SecretManagerServiceSettings.newBuilder()
            .setEndpoint(target.endpoint())
            .setCredentialsProvider(credentials)
            .setBackgroundExecutorProvider(FixedExecutorProvider.create(executor))
            .setTransportChannelProvider(channel.build());
    // One attempt per call, bounded by the time-out; the call context says the same for each call,
    // and these settings make sure of it even for calls made some other way.
    RetrySettings once = CallDeadline.oneAttempt(target.timeout());
    for (UnaryCallSettings.Builder<?, ?> call :
        List.of(builder.accessSecretVersionSettings(), builder.getSecretVersionSettings())) {
      call.setRetrySettings(once).setRetryableCodes(Collections.<StatusCode.Code>emptySet());
    }
    return builder.build();
  }
}
