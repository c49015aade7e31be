package io.latchkey;

import static java.util.Objects.requireNonNull;

/**
 * A token (a ciphertext) was rejected: it is malformed, was made with a key the ring does not hold,
 * was altered, has expired, or claims to come from the future.
 *
 * <h2>Security</h2>
 *
 * <p>The message is one short, generic sentence per {@linkplain Reason reason} and never includes
 * the token, the key or any part of a plaintext. The reasons are deliberately coarse: a token whose
 * authentication tag does not verify is reported as {@link Reason#WRONG_KEY_OR_TAMPERED} whatever
 * else is wrong with it, and nothing is decrypted before the tag has been checked, so the reason
 * cannot serve as a padding oracle.
 *
 * @since 0.1
 */
public final class InvalidTokenException extends LatchkeyException {
  private static final long serialVersionUID = 1L;

  /** Why a token was rejected. */
  public enum Reason {
    /** Not a token at all: empty, truncated, not URL-safe base64, or badly framed. */
    MALFORMED("malformed token"),
    /** The token's format version is not one this library reads. */
    UNSUPPORTED_VERSION("unsupported token version"),
    /** No key in the ring verifies the token: it was made with another key, or altered. */
    WRONG_KEY_OR_TAMPERED("token was made with another key or has been altered"),
    /** The token is authentic but older than the time-to-live the caller allowed. */
    EXPIRED("token has expired"),
    /** The token is authentic but its timestamp is beyond the allowed clock skew. */
    FROM_THE_FUTURE("token timestamp is in the future");

    private final String message;

    Reason(String message) {
      this.message = message;
    }

    /**
     * Returns the fixed, value-free sentence that describes this reason.
     *
     * @return the message used for exceptions of this reason
     */
    public String message() {
      return message;
    }
  }

  private final Reason reason;

  /**
   * Creates an exception for the given reason, with that reason's fixed message.
   *
   * @param reason why the token was rejected
   */
  public InvalidTokenException(Reason reason) {
    super(requireNonNull(reason, "reason").message());
    this.reason = reason;
  }

  /**
   * Returns why the token was rejected.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }
}
