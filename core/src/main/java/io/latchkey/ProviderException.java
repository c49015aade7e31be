package io.latchkey;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A secret provider could not answer for a reference: access was denied, the backend throttled, was
 * unavailable, timed out or answered something unreadable.
 *
 * <p>{@link #kind()} says what happened and {@link #isRetryable()} whether trying again later may
 * help (throttling, unavailability and time-outs); the resolver retries those with back-off and
 * serves a stale value while they last. A secret, version or field that does not exist is a {@link
 * SecretNotFoundException} instead, which no retry cures.
 *
 * <p>Providers throw this with the kind that matches their backend's error, and translate SDK
 * exceptions at the boundary.
 *
 * <h2>Security</h2>
 *
 * <p>The message names the reference and the reason, never a value. Providers must not attach a
 * cause whose message may carry a value (some SDKs echo request bodies).
 *
 * @since 0.1
 */
public final class ProviderException extends LatchkeyException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, coarsely enough to decide what to do next. */
  public enum Kind {
    /** The credentials in use may not read the secret. Fix the permissions; no retry. */
    ACCESS_DENIED(false),
    /** The backend rejected the call for its rate. Retried with back-off. */
    THROTTLED(true),
    /** The backend could not be reached or answered with a server error. Retried with back-off. */
    UNAVAILABLE(true),
    /** The backend did not answer within the resolver's time-out. Retried with back-off. */
    TIMEOUT(true),
    /** The backend answered something the provider cannot read. No retry. */
    MALFORMED_RESPONSE(false),
    /** The provider cannot serve this kind of request, or no provider has the scheme. */
    UNSUPPORTED(false),
    /** Anything else. No retry. */
    OTHER(false);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    /**
     * Tells whether trying again later may succeed.
     *
     * @return {@code true} for {@link #THROTTLED}, {@link #UNAVAILABLE} and {@link #TIMEOUT}
     */
    public boolean isRetryable() {
      return retryable;
    }

    /**
     * Returns the kind in lower case with spaces, as messages print it: {@code access denied}.
     *
     * @return the label
     */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  private final SecretRef ref;
  private final Kind kind;
  private final String reason;

  /**
   * Creates an exception.
   *
   * @param ref the reference that failed
   * @param kind what went wrong
   * @param reason a short explanation without any value, such as {@code rate exceeded}
   */
  public ProviderException(SecretRef ref, Kind kind, String reason) {
    super(describe(ref, kind, reason));
    this.ref = ref;
    this.kind = kind;
    this.reason = reason;
  }

  /**
   * Creates an exception with its cause.
   *
   * @param ref the reference that failed
   * @param kind what went wrong
   * @param reason a short explanation without any value
   * @param cause the underlying failure, whose message must not carry a value either
   */
  public ProviderException(SecretRef ref, Kind kind, String reason, Throwable cause) {
    super(describe(ref, kind, reason), cause);
    this.ref = ref;
    this.kind = kind;
    this.reason = reason;
  }

  private static String describe(SecretRef ref, Kind kind, String reason) {
    requireNonNull(ref, "ref");
    requireNonNull(kind, "kind");
    requireNonNull(reason, "reason");
    return "secret " + ref + ": " + kind.label() + ": " + reason;
  }

  /**
   * Returns the reference that failed.
   *
   * @return the reference
   */
  public SecretRef ref() {
    return ref;
  }

  /**
   * Returns what went wrong.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns the explanation given when the exception was created, without the reference.
   *
   * @return the reason
   */
  public String reason() {
    return reason;
  }

  /**
   * Tells whether trying again later may succeed; the same as {@code kind().isRetryable()}.
   *
   * @return {@code true} for throttling, unavailability and time-outs
   */
  public boolean isRetryable() {
    return kind.isRetryable();
  }
}
