package io.latchkey.provider.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.latchkey.LatchkeyException;
import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.Setting;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The error mapper: what the client throws becomes Latchkey's exceptions, by gRPC status code and
 * by where the status came from. The table in {@code docs/providers/gcp.md} lists the mapping, and
 * a test keeps the two in step.
 *
 * <p>The service's status description is never copied, nor read, and the client's exception is
 * never attached as a cause: the description is free text written by the server (and by the client
 * for local failures), so it is not ours to vouch for. Messages carry the status code and, when the
 * service sent one, the machine-readable reason of its {@code google.rpc.ErrorInfo} (such as {@code
 * IAM_PERMISSION_DENIED}), which is an identifier, not text.
 */
final class GcpErrors {
  private static final Pattern REASON = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

  /**
   * The largest answer message a call accepts: {@value} bytes (1 MiB). A secret payload is at most
   * 64 KiB, so a real answer is far smaller; gRPC's own default would be 4 MiB.
   */
  static final int INBOUND_CAP = 1 << 20;

  private GcpErrors() {}

  /**
   * Translates a failure of one call.
   *
   * @param ref the reference the call was for
   * @param failure what the client threw, or the cause of its failed future
   * @param permission the IAM permission the call needs, for the access-denied message
   * @param timeout the per-call time-out, for the time-out message
   * @param trace what the server sent during the call
   * @return the exception to throw
   */
  static RuntimeException translate(
      SecretRef ref, Throwable failure, String permission, Duration timeout, CallTrace trace) {
    if (failure instanceof LatchkeyException e) {
      return e;
    }
    if (!(failure instanceof ApiException api)) {
      return new ProviderException(
          ref, Kind.OTHER, "the GCP client failed with " + failure.getClass().getName());
    }
    StatusCode.Code code = api.getStatusCode().getCode();
    String status = status(code, api.getReason());
    if (unreadable(api)) {
      // The client could not read the answer (a message that does not parse as the response
      // type): the service did answer, and asking again would get the same bytes.
      return new ProviderException(
          ref,
          Kind.MALFORMED_RESPONSE,
          "the answer is not the message the service sends " + status);
    }
    if (oversized(api, trace)) {
      return new ProviderException(
          ref,
          Kind.MALFORMED_RESPONSE,
          "the answer is larger than "
              + (INBOUND_CAP >> 20)
              + " MiB, more than the service sends "
              + status);
    }
    switch (code) {
      case NOT_FOUND:
        return new SecretNotFoundException(ref, "no such secret or version " + status);
      case FAILED_PRECONDITION:
        // Secret Manager's answer for a version that is disabled or destroyed. Disabling is how
        // access to a version is revoked, so this is "not there" (never served stale), not a
        // failure to wait out.
        return new SecretNotFoundException(
            ref, "the version is not enabled (disabled or destroyed) " + status);
      case PERMISSION_DENIED:
        return new ProviderException(
            ref,
            Kind.ACCESS_DENIED,
            "permission denied " + status + "; the caller needs " + permission + " on the secret");
      case UNAUTHENTICATED:
        return new ProviderException(
            ref, Kind.ACCESS_DENIED, "the credentials were not accepted " + status);
      case RESOURCE_EXHAUSTED:
        return new ProviderException(ref, Kind.THROTTLED, "quota or rate exceeded " + status);
      case UNAVAILABLE:
      case INTERNAL:
      case UNKNOWN:
      case ABORTED:
      case CANCELLED:
        return new ProviderException(
            ref, Kind.UNAVAILABLE, "the service or the connection failed " + status);
      case DEADLINE_EXCEEDED:
        return new ProviderException(
            ref,
            Kind.TIMEOUT,
            "no answer within " + Setting.formatDuration(timeout) + " " + status);
      case DATA_LOSS:
        return new ProviderException(
            ref, Kind.MALFORMED_RESPONSE, "the service reported lost data " + status);
      case UNIMPLEMENTED:
        return new ProviderException(
            ref, Kind.UNSUPPORTED, "the endpoint does not implement the call " + status);
      default:
        return new ProviderException(ref, Kind.OTHER, "the service rejected the call " + status);
    }
  }

  private static boolean unreadable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof InvalidProtocolBufferException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the client refused an answer over {@link #INBOUND_CAP}, told from a quota error by
   * where the status was made, never by its description.
   *
   * <ul>
   *   <li>gRPC checks a message's length prefix before reading it; over the cap, it ends the call
   *       with {@code RESOURCE_EXHAUSTED} on the client's side: the server's answer had begun (its
   *       headers arrived) and its status never came (no trailers). A quota error is a status the
   *       server sends, in its trailers.
   *   <li>A compressed answer that grows past the cap while it is read fails inside the read: the
   *       call ends {@code CANCELLED}, caused by the client's own {@code RESOURCE_EXHAUSTED}. A
   *       status that came over the wire never has a cause.
   * </ul>
   */
  private static boolean oversized(ApiException api, CallTrace trace) {
    StatusCode.Code code = api.getStatusCode().getCode();
    if (code == StatusCode.Code.RESOURCE_EXHAUSTED) {
      return trace.answerStarted() && !trace.statusFromServer();
    }
    if (code != StatusCode.Code.CANCELLED) {
      return false;
    }
    boolean callStatus = true;
    for (Throwable t = api.getCause(); t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException sre) {
        if (!callStatus && sre.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
          return true;
        }
        callStatus = false;
      }
    }
    return false;
  }

  /** Returns {@code (CODE)} or {@code (CODE, REASON)}; the reason only if it is an identifier. */
  static String status(StatusCode.Code code, String reason) {
    if (reason != null && REASON.matcher(reason).matches()) {
      return "(" + code.name() + ", " + reason + ")";
    }
    return "(" + code.name() + ")";
  }
}
