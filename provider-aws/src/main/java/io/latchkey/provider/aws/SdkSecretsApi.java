package io.latchkey.provider.aws;

import io.latchkey.LatchkeyException;
import io.latchkey.SecretRef;
import io.latchkey.spi.ProviderThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.APIErrorType;
import software.amazon.awssdk.services.secretsmanager.model.BatchGetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretValueEntry;

/**
 * The Secrets Manager operations through the AWS SDK: a client the caller supplied, or one the
 * provider built because the credentials need the SDK (a supplied credentials provider, or a
 * profile with a role, SSO or a credential process). Each request carries the per-call time-out, so
 * that a supplied client honours it too.
 */
final class SdkSecretsApi implements SecretsApi {
  private final SecretsManagerClient sdk;
  private final boolean owned;
  private final ScheduledExecutorService timer;
  private final ProviderThreads timerThreads;
  private final Supplier<Duration> timeout;

  /**
   * @param sdk the client
   * @param owned whether the provider built it, and so closes it
   * @param timer the SDK's timer thread the provider owns, or null
   * @param timerThreads the factory of that thread, or null
   * @param timeout the per-call time-out, read at each call
   */
  SdkSecretsApi(
      SecretsManagerClient sdk,
      boolean owned,
      ScheduledExecutorService timer,
      ProviderThreads timerThreads,
      Supplier<Duration> timeout) {
    this.sdk = sdk;
    this.owned = owned;
    this.timer = timer;
    this.timerThreads = timerThreads;
    this.timeout = timeout;
  }

  SecretsManagerClient sdk() {
    return sdk;
  }

  /** The time-out, set on every request, so that a supplied client honours it as well. */
  private AwsRequestOverrideConfiguration callConfig() {
    Duration t = timeout.get();
    return AwsRequestOverrideConfiguration.builder()
        .apiCallTimeout(t)
        .apiCallAttemptTimeout(t)
        .build();
  }

  @Override
  public Value getSecretValue(String secretId, String versionId, String versionStage) {
    GetSecretValueRequest.Builder request =
        GetSecretValueRequest.builder().secretId(secretId).overrideConfiguration(callConfig());
    if (versionId != null) {
      request.versionId(versionId);
    }
    if (versionStage != null) {
      request.versionStage(versionStage);
    }
    GetSecretValueResponse r;
    try {
      r = sdk.getSecretValue(request.build());
    } catch (SdkException e) {
      throw new Failed(e);
    }
    return new Value(
        r.arn(),
        r.name(),
        r.versionId(),
        r.hasVersionStages() ? r.versionStages() : List.of(),
        r.secretString(),
        bytes(r.secretBinary()));
  }

  @Override
  public Description describeSecret(String secretId) {
    DescribeSecretResponse r;
    try {
      r = sdk.describeSecret(b -> b.secretId(secretId).overrideConfiguration(callConfig()));
    } catch (SdkException e) {
      throw new Failed(e);
    }
    Map<String, List<String>> stages = r.hasVersionIdsToStages() ? r.versionIdsToStages() : null;
    return new Description(r.deletedDate() != null, stages);
  }

  @Override
  public Batch batchGetSecretValue(List<String> ids) {
    BatchGetSecretValueResponse r;
    try {
      r = sdk.batchGetSecretValue(b -> b.secretIdList(ids).overrideConfiguration(callConfig()));
    } catch (SdkException e) {
      throw new Failed(e);
    }
    List<Value> values = null;
    if (r.hasSecretValues()) {
      values = new ArrayList<>(r.secretValues().size());
      for (SecretValueEntry e : r.secretValues()) {
        values.add(
            new Value(
                e.arn(),
                e.name(),
                e.versionId(),
                e.hasVersionStages() ? e.versionStages() : List.of(),
                e.secretString(),
                bytes(e.secretBinary())));
      }
    }
    List<BatchError> errors = null;
    if (r.hasErrors()) {
      errors = new ArrayList<>(r.errors().size());
      for (APIErrorType e : r.errors()) {
        errors.add(new BatchError(e.secretId(), e.errorCode()));
      }
    }
    return new Batch(values, errors);
  }

  private static byte[] bytes(SdkBytes bytes) {
    return bytes == null ? null : bytes.asByteArrayUnsafe();
  }

  /**
   * Closes the client if the provider built it, which aborts its calls in flight, and stops the
   * timer; a supplied client is left open.
   */
  @Override
  public void close() {
    if (owned) {
      sdk.close();
    }
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  @Override
  public void join(Duration bound) {
    if (timerThreads != null) {
      timerThreads.join(bound);
    }
  }

  /** What the SDK threw, mapped by {@link SdkErrors}. */
  private static final class Failed extends CallFailed {
    private static final long serialVersionUID = 1L;

    private final transient SdkException e;

    Failed(SdkException e) {
      this.e = e;
    }

    @Override
    String code() {
      return SdkErrors.code(e);
    }

    @Override
    LatchkeyException map(SecretRef ref, String operation, Duration timeout) {
      return SdkErrors.map(ref, operation, e, timeout);
    }
  }
}
