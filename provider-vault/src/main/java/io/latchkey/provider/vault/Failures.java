package io.latchkey.provider.vault;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;

/**
 * Maps Vault's status codes to {@link ProviderException} kinds. Vault's {@code errors} array is
 * never quoted: some engines echo request data in it, and the status says what the caller needs.
 */
final class Failures {
  private Failures() {}

  /**
   * Returns the failure for an unexpected status.
   *
   * @param action what was being done, such as {@code reading the secret}
   */
  static ProviderException of(SecretRef ref, int status, String action) {
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
}
