package io.latchkey.provider.vault;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.spi.Http1Client;
import io.latchkey.spi.JsonValue;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * The error mapper: what a status code, a refused login, a failed exchange or an answer of the
 * wrong shape means for the caller, as a {@link ProviderException} kind or a {@link
 * SecretNotFoundException}. The table in {@code docs/providers/vault.md} lists the same, and a test
 * keeps the two in step.
 *
 * <p>Vault's {@code errors} array is never quoted: some engines echo request data in it, and the
 * status says what the caller needs.
 */
final class VaultErrors {
  private VaultErrors() {}

  /**
   * Returns the failure for an answer other than 200 to a read, a look-up or a renewal.
   *
   * <p>A 404 is the caller's to read first: for a secret it means not found, and what else it says
   * depends on the endpoint.
   *
   * @param action what was being done, such as {@code reading the secret}
   */
  static ProviderException status(SecretRef ref, int status, String action) {
    String http = " (HTTP " + status + ")";
    String during = "while " + action;
    if (status == 401 || status == 403) {
      return new ProviderException(
          ref,
          Kind.ACCESS_DENIED,
          "permission denied " + during + ": the Vault token expired or lacks permission" + http);
    }
    if (status == 429) {
      return new ProviderException(
          ref, Kind.THROTTLED, "Vault's rate limit quota was exceeded " + during + http);
    }
    if (status == 412) {
      // Vault Enterprise: a performance standby has not yet applied a write the client has seen.
      return new ProviderException(
          ref,
          Kind.UNAVAILABLE,
          "the Vault node has not caught up with a recent write yet " + during + http);
    }
    if (status == 503) {
      return new ProviderException(
          ref, Kind.UNAVAILABLE, "Vault is sealed, in standby or unavailable " + during + http);
    }
    if (status >= 500) {
      return new ProviderException(
          ref, Kind.UNAVAILABLE, "Vault answered with a server error " + during + http);
    }
    if (status >= 300 && status < 400) {
      return new ProviderException(
          ref,
          Kind.UNAVAILABLE,
          "Vault redirected the request "
              + during
              + http
              + ", as a standby node does; point VAULT_ADDR at the active node or a load"
              + " balancer");
    }
    if (status == 405) {
      return new ProviderException(
          ref, Kind.UNSUPPORTED, "Vault does not allow this operation " + during + http);
    }
    if (status == 400) {
      return new ProviderException(
          ref, Kind.OTHER, "Vault rejected the request as invalid " + during + http);
    }
    return new ProviderException(ref, Kind.OTHER, "unexpected answer from Vault " + during + http);
  }

  /**
   * Returns the failure for an answer other than 200 to an AppRole or Kubernetes login.
   *
   * @param method {@code approle} or {@code kubernetes}
   * @param mountSetting the variable that names the auth mount, for the hint on a 404
   */
  static ProviderException login(
      SecretRef ref, int status, String method, String mount, String mountSetting) {
    String where = " at auth/" + mount + " (HTTP " + status + ")";
    if (status == 400 || status == 401 || status == 403) {
      // Vault answers a wrong role ID or secret ID with 400 as well as 403.
      return new ProviderException(
          ref, Kind.ACCESS_DENIED, "Vault refused the " + method + " login" + where);
    }
    if (status == 404) {
      return new ProviderException(
          ref,
          Kind.OTHER,
          "no " + method + " auth method answers" + where + "; check " + mountSetting);
    }
    return status(ref, status, "logging in with " + method);
  }

  /**
   * Returns the failure for an exchange that ended without a whole answer. A body cut short (a
   * reset connection, fewer bytes than Content-Length) is a transport failure like any other I/O
   * error: {@code UNAVAILABLE}, retried. Only an answer that arrived whole and is wrong, one that
   * breaks HTTP/1.1's syntax, or one over the size cap, is {@code MALFORMED_RESPONSE}.
   *
   * @param shown Vault's address as messages show it
   * @param timeout the request's time-out, named in a {@code TIMEOUT}
   */
  static ProviderException transport(SecretRef ref, Throwable t, String shown, Duration timeout) {
    if (find(t, Http1Client.TooLarge.class) != null) {
      return new ProviderException(
          ref,
          Kind.MALFORMED_RESPONSE,
          "Vault's answer is larger than "
              + VaultHttp.MAX_BODY_BYTES / 1024
              + " KiB, more than any secret");
    }
    ProtocolException malformed = find(t, ProtocolException.class);
    if (malformed != null) {
      // The HTTP client's own messages, which name the rule broken and never quote the bytes.
      return new ProviderException(
          ref,
          Kind.MALFORMED_RESPONSE,
          "Vault's answer is not well-formed HTTP/1.1: " + malformed.getMessage());
    }
    if (find(t, SSLException.class) != null) {
      return new ProviderException(
          ref,
          Kind.OTHER,
          "the TLS handshake with Vault at "
              + shown
              + " failed: its certificate is not trusted (see VAULT_CACERT) or does not match"
              + " the host",
          t);
    }
    SocketTimeoutException late = find(t, SocketTimeoutException.class);
    if (late != null) {
      // Connecting, the handshake or a read outlasted what was left of the deadline.
      return timedOut(ref, late, timeout);
    }
    if (find(t, ConnectException.class) != null) {
      return new ProviderException(ref, Kind.UNAVAILABLE, "cannot connect to Vault at " + shown, t);
    }
    if (find(t, IOException.class) != null) {
      return new ProviderException(
          ref,
          Kind.UNAVAILABLE,
          "I/O error talking to Vault at " + shown + " (" + t.getClass().getSimpleName() + ")",
          t);
    }
    return new ProviderException(
        ref,
        Kind.OTHER,
        "the request to Vault at " + shown + " failed (" + t.getClass().getSimpleName() + ")",
        t);
  }

  /** Returns the failure for a request that got no answer within its time-out. */
  static ProviderException timedOut(SecretRef ref, Throwable cause, Duration timeout) {
    return new ProviderException(
        ref, Kind.TIMEOUT, "Vault did not answer within " + timeout, cause);
  }

  /**
   * Runs a read of an answer, turning the reader's refusal (not JSON, a member missing or of the
   * wrong type, a value out of range) into {@code MALFORMED_RESPONSE}, which is never retried.
   *
   * @param what the request it answers, such as {@code the KV v2 read}
   */
  static <T> T reading(SecretRef ref, String what, Supplier<T> read) {
    try {
      return read.get();
    } catch (IllegalArgumentException e) {
      // The reader's messages name the member and the type, never the content.
      throw new ProviderException(
          ref,
          Kind.MALFORMED_RESPONSE,
          "Vault's answer to " + what + " is not as documented: " + e.getMessage());
    }
  }

  /** Returns the failure for a reference KV cannot serve. */
  static ProviderException unsupported(SecretRef ref, String reason) {
    return new ProviderException(ref, Kind.UNSUPPORTED, reason);
  }

  /**
   * Tells whether a 403 answer is Vault's "permission denied", which an expired or revoked token
   * also gets, rather than a refusal that a new token would not change. An answer that is not
   * Vault's JSON (a proxy's page) counts as denied.
   */
  static boolean deniesPermission(Http1Client.Response response) {
    List<JsonValue> errors;
    try {
      errors = response.json().optionalArray("errors").orElse(null);
    } catch (IllegalArgumentException e) {
      errors = null;
    }
    if (errors == null) {
      return true;
    }
    for (JsonValue error : errors) {
      if (error.type() == JsonValue.Type.STRING
          && error.asString().toLowerCase(Locale.ROOT).contains("permission denied")) {
        return true;
      }
    }
    return false;
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
