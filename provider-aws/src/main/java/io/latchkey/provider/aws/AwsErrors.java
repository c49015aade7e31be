package io.latchkey.provider.aws;

import io.latchkey.LatchkeyException;
import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.Setting;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Maps a failed call to Latchkey's exceptions: the service's error (its code and HTTP status), or
 * the client's (the I/O error, the time-out); {@link SdkErrors} and {@link OwnSecretsApi} bring
 * their failures here.
 *
 * <p>Only the error code (checked to look like one), the HTTP status and exception types are
 * quoted. The service's error message and the SDK's exception (whose message repeats it) are never
 * copied or attached as a cause: a backend, a proxy or an emulator may echo request or response
 * content there.
 */
final class AwsErrors {
  private static final Pattern CODE = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,63}");

  private static final Set<String> NOT_FOUND =
      Set.of("ResourceNotFoundException", "InvalidRequestException");

  private static final Set<String> DENIED =
      Set.of("AccessDeniedException", "DecryptionFailure", "DecryptionFailureException");

  private static final Set<String> CREDENTIALS_REJECTED =
      Set.of(
          "UnrecognizedClientException",
          "InvalidSignatureException",
          "IncompleteSignatureException",
          "IncompleteSignature",
          "MissingAuthenticationTokenException",
          "MissingAuthenticationToken",
          "InvalidClientTokenId",
          "SignatureDoesNotMatch",
          "AuthFailure",
          "RequestExpired",
          "ExpiredToken",
          "ExpiredTokenException");

  private static final Set<String> THROTTLING =
      Set.of(
          "ThrottlingException",
          "Throttling",
          "ThrottledException",
          "TooManyRequestsException",
          "RequestLimitExceeded",
          "RequestThrottled",
          "RequestThrottledException",
          "SlowDown",
          "ProvisionedThroughputExceededException");

  private static final Set<String> SERVER_ERRORS =
      Set.of(
          "InternalServiceError",
          "InternalServiceErrorException",
          "InternalFailure",
          "InternalError",
          "ServiceUnavailable",
          "ServiceUnavailableException");

  private AwsErrors() {}

  /**
   * Returns every error code the mapper tells apart; any other code is {@link Kind#OTHER}, unless
   * its HTTP status says more.
   */
  static Set<String> codes() {
    Set<String> codes = new TreeSet<>();
    for (Set<String> group :
        List.of(NOT_FOUND, DENIED, CREDENTIALS_REJECTED, THROTTLING, SERVER_ERRORS)) {
      codes.addAll(group);
    }
    return codes;
  }

  /**
   * Keeps an error code only if it looks like one: a code comes from the response body, which must
   * not be copied into a message as it is.
   */
  static String sanitize(String code) {
    if (code == null) {
      return null;
    }
    String c = code.strip();
    int hash = c.lastIndexOf('#');
    if (hash >= 0) {
      c = c.substring(hash + 1);
    }
    int colon = c.indexOf(':');
    if (colon >= 0) {
      c = c.substring(0, colon);
    }
    return CODE.matcher(c).matches() ? c : null;
  }

  /**
   * Maps the service's error answer.
   *
   * @param status the HTTP status
   * @param code the error code, already {@link #sanitize sanitized}, or null
   */
  static LatchkeyException service(SecretRef ref, String operation, int status, String code) {
    String detail = " (" + (code == null ? "no error code" : code) + ", HTTP " + status + ")";
    if (code != null) {
      switch (code) {
        case "ResourceNotFoundException":
          return new SecretNotFoundException(
              ref,
              (ref.version().isPresent() ? "no such secret, or no such version" : "no such secret")
                  + detail);
        case "InvalidRequestException":
          // GetSecretValue and DescribeSecret answer this for a secret scheduled for deletion (or
          // otherwise not readable in its state): the secret is, for the application, gone.
          return new SecretNotFoundException(
              ref,
              "the secret cannot be read in its current state, for example because it is"
                  + " scheduled for deletion"
                  + detail);
        case "AccessDeniedException":
          return new ProviderException(
              ref,
              Kind.ACCESS_DENIED,
              "not allowed to call secretsmanager:"
                  + operation
                  + " on this secret; check the IAM and resource policies"
                  + detail);
        case "DecryptionFailure":
        case "DecryptionFailureException":
          return new ProviderException(
              ref,
              Kind.ACCESS_DENIED,
              "Secrets Manager cannot decrypt the secret with its KMS key; allow kms:Decrypt on"
                  + " the key for these credentials"
                  + detail);
        default:
          break;
      }
      if (CREDENTIALS_REJECTED.contains(code)) {
        return new ProviderException(
            ref,
            Kind.ACCESS_DENIED,
            "the credentials or the request signature were rejected" + detail);
      }
      if (THROTTLING.contains(code)) {
        return new ProviderException(ref, Kind.THROTTLED, "rate exceeded" + detail);
      }
      if (SERVER_ERRORS.contains(code)) {
        return new ProviderException(ref, Kind.UNAVAILABLE, "the service failed" + detail);
      }
    }
    if (status == 401 || status == 403) {
      return new ProviderException(ref, Kind.ACCESS_DENIED, "access denied" + detail);
    }
    if (status == 429) {
      return new ProviderException(ref, Kind.THROTTLED, "rate exceeded" + detail);
    }
    if (status >= 500) {
      return new ProviderException(ref, Kind.UNAVAILABLE, "the service failed" + detail);
    }
    if (code == null) {
      return new ProviderException(
          ref,
          Kind.MALFORMED_RESPONSE,
          "the service answered an error without a readable code" + detail);
    }
    return new ProviderException(ref, Kind.OTHER, "the service rejected " + operation + detail);
  }

  /** The failure of a call for which no credentials were found. */
  static ProviderException noCredentials(SecretRef ref) {
    return new ProviderException(ref, Kind.ACCESS_DENIED, KeyChain.NO_CREDENTIALS);
  }

  /**
   * Maps a failure on the client's side: a time-out, an interrupt, an I/O error, or an answer the
   * provider refused, found anywhere in the chain of causes; only the types are quoted.
   */
  static LatchkeyException client(SecretRef ref, String operation, Throwable e, Duration timeout) {
    String message = String.valueOf(e.getMessage());
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      root = t;
      if (t instanceof AwsAnswers.AnswerRejected) {
        // Our own verdict on the answer's body, worded without its content.
        return new ProviderException(ref, Kind.MALFORMED_RESPONSE, t.getMessage());
      }
      if (t instanceof InterruptedException
          || t.getClass().getName().equals(SdkErrors.ABORTED)
          || t.getClass() == InterruptedIOException.class) {
        Thread.currentThread().interrupt();
        return new ProviderException(ref, Kind.TIMEOUT, "the call was interrupted");
      }
      if (t instanceof SocketTimeoutException
          || t.getClass().getName().equals("java.net.http.HttpTimeoutException")) {
        return new ProviderException(
            ref,
            Kind.TIMEOUT,
            "no answer within " + Setting.formatDuration(timeout) + " (" + type(t) + ")");
      }
      if (isJsonError(t)) {
        return new ProviderException(
            ref,
            Kind.MALFORMED_RESPONSE,
            "the answer to " + operation + " is not the JSON the service sends (" + type(t) + ")");
      }
      if (t instanceof SSLException) {
        return new ProviderException(
            ref, Kind.OTHER, "TLS with the endpoint failed (" + type(t) + ")");
      }
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException) {
        return new ProviderException(
            ref, Kind.UNAVAILABLE, "cannot connect to the service (" + type(t) + ")");
      }
    }
    if (root instanceof IOException) {
      return new ProviderException(
          ref, Kind.UNAVAILABLE, "the connection to the service failed (" + type(root) + ")");
    }
    if (message.startsWith("Unable to unmarshall") || message.startsWith("Unable to parse")) {
      return new ProviderException(
          ref,
          Kind.MALFORMED_RESPONSE,
          "the answer to " + operation + " is not the JSON the service sends");
    }
    return new ProviderException(
        ref,
        Kind.OTHER,
        operation + " failed (" + type(e) + (root != e ? ", " + type(root) : "") + ")");
  }

  private static boolean isJsonError(Throwable t) {
    // The SDK parses with its own shaded copy of Jackson; match the type by name.
    String name = t.getClass().getName().toLowerCase(Locale.ROOT);
    return name.contains("jackson") && (name.contains("json") || name.contains("stream"));
  }

  private static String type(Throwable t) {
    return t.getClass().getSimpleName();
  }
}
