package io.latchkey;

import static java.util.Objects.requireNonNull;

/**
 * A reference names a secret, version or field that does not exist: the provider answered, and its
 * answer was "no such thing".
 *
 * <p>No retry or stale value helps; fix the reference or create the secret. Providers throw this
 * too when a reference asks for a field and the secret has no such field, or is not a JSON object
 * at all, with a reason that says which.
 *
 * <h2>Security</h2>
 *
 * <p>The message names the reference and the reason, never a value.
 *
 * @since 0.1
 */
public final class SecretNotFoundException extends LatchkeyException {
  private static final long serialVersionUID = 1L;

  private final SecretRef ref;
  private final String reason;

  /**
   * Creates an exception.
   *
   * @param ref the reference that named nothing
   * @param reason what is missing, such as {@code no such secret} or {@code the secret has no field
   *     'password'}; never a value
   */
  public SecretNotFoundException(SecretRef ref, String reason) {
    super("secret " + requireNonNull(ref, "ref") + ": " + requireNonNull(reason, "reason"));
    this.ref = ref;
    this.reason = reason;
  }

  /**
   * Returns the reference that named nothing.
   *
   * @return the reference
   */
  public SecretRef ref() {
    return ref;
  }

  /**
   * Returns what is missing, without the reference.
   *
   * @return the reason
   */
  public String reason() {
    return reason;
  }
}
