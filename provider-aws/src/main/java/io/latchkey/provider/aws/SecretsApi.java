package io.latchkey.provider.aws;

import io.latchkey.LatchkeyException;
import io.latchkey.SecretRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The three Secrets Manager operations the provider calls, as plain values: answered either by the
 * provider's own client ({@link OwnSecretsApi}: SigV4 and the JSON protocol on core's HTTP/1.1
 * client, no SDK class loaded) or by the AWS SDK ({@link SdkSecretsApi}: a supplied client or
 * credentials provider, or credentials only the SDK's chain can get).
 *
 * <p>Every failure is a {@link CallFailed}, which the caller maps for its reference; answers have
 * passed {@link AwsAnswers#check} before they are read.
 */
interface SecretsApi {
  /** A {@code GetSecretValue} answer, or one entry of a batch's {@code SecretValues}. */
  record Value(
      String arn,
      String name,
      String versionId,
      List<String> stages,
      String string,
      byte[] binary) {
    @Override
    public String toString() {
      // The value may be a secret: only its kind is shown.
      return "Value[" + (string != null ? "string" : binary != null ? "binary" : "none") + "]";
    }
  }

  /**
   * A {@code DescribeSecret} answer: whether the secret is scheduled for deletion, and its
   * versions' stages, or null when the answer has no {@code VersionIdsToStages}.
   */
  record Description(boolean deleted, Map<String, List<String>> versionIdsToStages) {}

  /** One entry of a batch's {@code Errors}: the id and the error code, as sent (unchecked). */
  record BatchError(String secretId, String errorCode) {}

  /** A {@code BatchGetSecretValue} answer; each list is null when the answer lacks it. */
  record Batch(List<Value> values, List<BatchError> errors) {}

  /**
   * Calls {@code GetSecretValue}.
   *
   * @param versionId the version id, or null
   * @param versionStage the stage, or null
   * @throws CallFailed if the call failed
   */
  Value getSecretValue(String secretId, String versionId, String versionStage);

  /**
   * Calls {@code DescribeSecret}.
   *
   * @throws CallFailed if the call failed
   */
  Description describeSecret(String secretId);

  /**
   * Calls {@code BatchGetSecretValue} with a list of ids.
   *
   * @throws CallFailed if the call failed
   */
  Batch batchGetSecretValue(List<String> ids);

  /** Closes the client if the provider owns it, which aborts its calls in flight. */
  void close();

  /** Waits a bounded time for the client's threads to end, after {@link #close()}. */
  void join(Duration bound);

  /**
   * A failed call, mapped for a reference by the one who knows it. Carries no text from the answer
   * and no stack trace of its own: it never leaves the provider.
   */
  abstract class CallFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CallFailed() {
      super(null, null, false, false);
    }

    /** The service's error code, checked to look like one, or null. */
    abstract String code();

    /**
     * Maps the failure for a reference.
     *
     * @param ref the reference the call was for (the first of a batch)
     * @param operation the operation, such as {@code GetSecretValue}
     * @param timeout the per-call time-out, for the message
     */
    abstract LatchkeyException map(SecretRef ref, String operation, Duration timeout);
  }
}
