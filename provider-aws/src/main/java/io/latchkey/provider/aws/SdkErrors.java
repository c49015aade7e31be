package io.latchkey.provider.aws;

import io.latchkey.LatchkeyException;
import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;
import io.latchkey.config.Setting;
import java.time.Duration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Maps what the AWS SDK throws to Latchkey's exceptions, through {@link AwsErrors}: the service's
 * error code and status, or the client's failure. Only the SDK path loads this class.
 */
final class SdkErrors {
  /** The SDK's exception for a call aborted, matched by name where the SDK is not loaded. */
  static final String ABORTED = "software.amazon.awssdk.core.exception.AbortedException";

  private SdkErrors() {}

  /**
   * Maps an SDK failure of one call.
   *
   * @param ref the reference the call was for (the first of a batch)
   * @param operation the Secrets Manager operation, such as {@code GetSecretValue}
   * @param e what the SDK threw
   * @param timeout the per-call time-out, for the message
   * @return a {@link io.latchkey.SecretNotFoundException} or a {@link ProviderException}
   */
  static LatchkeyException map(SecretRef ref, String operation, SdkException e, Duration timeout) {
    if (e instanceof SdkServiceException) {
      return AwsErrors.service(ref, operation, ((SdkServiceException) e).statusCode(), code(e));
    }
    // Checked first: the credential chain's failure may carry the I/O errors of the providers it
    // tried (instance metadata, a container endpoint), which are not the service's.
    if (String.valueOf(e.getMessage()).startsWith("Unable to load credentials")) {
      return AwsErrors.noCredentials(ref);
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return new ProviderException(
          ref, Kind.TIMEOUT, "no answer within " + Setting.formatDuration(timeout));
    }
    return AwsErrors.client(ref, operation, e, timeout);
  }

  /** Returns the error code of a service exception, or null if it has none that looks like one. */
  static String code(SdkException e) {
    if (!(e instanceof AwsServiceException)) {
      return null;
    }
    AwsServiceException ase = (AwsServiceException) e;
    return ase.awsErrorDetails() == null
        ? null
        : AwsErrors.sanitize(ase.awsErrorDetails().errorCode());
  }
}
