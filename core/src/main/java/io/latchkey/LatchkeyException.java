package io.latchkey;

/**
 * The root of every exception Latchkey throws on purpose.
 *
 * <p>Subtypes say what the caller can do next: {@link ConfigException} lists problems to fix in the
 * configuration, {@link InvalidTokenException} says a ciphertext cannot be read, {@link
 * SecretNotFoundException} says a reference names nothing, and {@link ProviderException} says a
 * secret provider failed and whether a retry may help.
 *
 * <h2>Security</h2>
 *
 * <p>Messages name the setting, reference or input position that failed and the reason. They never
 * contain a secret value, a key, a token or a plaintext, so they can be logged as they are.
 *
 * @since 0.1
 */
public class LatchkeyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message that must not contain any secret value.
   *
   * @param message what failed and why, without values
   */
  public LatchkeyException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the underlying cause.
   *
   * @param message what failed and why, without values
   * @param cause the underlying failure; its message must not carry a secret either
   */
  public LatchkeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
