package io.latchkey;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * A secret value (a password, an API key, a token) that cannot leak by accident.
 *
 * <p>{@link #toString()} is masked, there is no content-based {@code equals}, and the value is
 * reached only through {@link #reveal()} or {@link #revealBytes()}: grep for them to audit every
 * place a value leaves its box.
 *
 * <pre>{@code
 * Secret apiKey = Secret.of(System.getenv("LLM_API_KEY"));
 * log.info("using key {}", apiKey);        // using key sk-...***
 * client.authenticate(apiKey.reveal());
 * apiKey.wipe();                           // zeroes the copy this object holds
 * }</pre>
 *
 * <h2>Security</h2>
 *
 * <p>The value is held as UTF-8 bytes in an array this object owns; {@link #wipe()} overwrites
 * them. A {@code String} passed to {@link #of(String)} or returned by {@link #reveal()} cannot be
 * wiped (the JVM may keep it until it is collected); callers that must control every copy use
 * {@link #ofBytes(byte[])} and {@link #revealBytes()} and clear their own arrays. Compare secrets
 * with {@link #matches(Secret)}, which takes time independent of where they differ.
 *
 * <p>Serialisation never writes the value. Jackson writes the mask, the same string as {@link
 * #toString()} (through {@code @JsonValue}, whatever the mapper's visibility settings), both as a
 * root value and as a property of another object. Gson writes an empty object, {@code {}}: every
 * field is {@code transient}. Java serialisation refuses: the class is not {@link
 * java.io.Serializable}, so {@code ObjectOutputStream} throws {@link
 * java.io.NotSerializableException}.
 *
 * @since 0.1
 */
public final class Secret {
  /** Well-known public prefixes that say which kind of credential a value is, not what it is. */
  private static final List<String> KNOWN_PREFIXES =
      List.of(
          "sk-ant-",
          "sk-proj-",
          "sk_live_",
          "sk_test_",
          "rk_live_",
          "rk_test_",
          "pk_live_",
          "pk_test_",
          "github_pat_",
          "ghp_",
          "gho_",
          "ghu_",
          "ghs_",
          "ghr_",
          "glpat-",
          "xoxb-",
          "xoxp-",
          "xapp-",
          "hf_",
          "sk-");

  /** A prefix is shown only when this much of the value stays hidden behind it. */
  private static final int MIN_HIDDEN_CHARS = 16;

  private static final String MASK = "***";

  // Transient so that reflective serialisers (Gson, Jackson with field visibility) skip them.
  private final transient byte[] value;
  private final transient String mask;
  private transient volatile boolean wiped;

  private Secret(byte[] value) {
    this.value = value;
    this.mask = mask(value);
  }

  private Secret(byte[] value, String mask) {
    this.value = value;
    this.mask = mask;
  }

  /**
   * Returns an independent copy, cheaply: the resolver hands each caller its own, so that a caller
   * that wipes its copy leaves the cached one intact.
   *
   * @return a secret with the same value and mask, wiped independently of this one
   * @throws IllegalStateException if this secret has been wiped
   */
  public Secret copy() {
    checkNotWiped();
    return new Secret(value.clone(), mask);
  }

  /**
   * Wraps a string value.
   *
   * @param value the secret value; may be empty
   * @return a new secret holding a UTF-8 copy of {@code value}
   */
  public static Secret of(String value) {
    requireNonNull(value, "value");
    return new Secret(value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Wraps a byte value, copying it so that the caller can clear its own array.
   *
   * @param value the secret bytes; may be empty
   * @return a new secret holding a copy of {@code value}
   */
  public static Secret ofBytes(byte[] value) {
    requireNonNull(value, "value");
    return new Secret(value.clone());
  }

  /**
   * Returns the value as a string, decoded as UTF-8.
   *
   * <p>This is one of the two ways a value leaves its box; keep its result out of logs, exceptions
   * and command lines.
   *
   * @return the value
   * @throws IllegalStateException if the secret has been {@linkplain #wipe() wiped}
   */
  public String reveal() {
    checkNotWiped();
    return new String(value, StandardCharsets.UTF_8);
  }

  /**
   * Returns a copy of the value's bytes, which the caller should clear when done.
   *
   * @return a new array holding the value
   * @throws IllegalStateException if the secret has been {@linkplain #wipe() wiped}
   */
  public byte[] revealBytes() {
    checkNotWiped();
    return value.clone();
  }

  /**
   * Tells whether the value is empty, which is never a usable secret.
   *
   * @return {@code true} if the value has no bytes
   * @throws IllegalStateException if the secret has been {@linkplain #wipe() wiped}
   */
  public boolean isEmpty() {
    checkNotWiped();
    return value.length == 0;
  }

  /**
   * Compares two secrets in time that does not depend on where they differ.
   *
   * @param other the secret to compare with
   * @return {@code true} if both hold the same bytes
   * @throws IllegalStateException if either secret has been {@linkplain #wipe() wiped}
   */
  public boolean matches(Secret other) {
    requireNonNull(other, "other");
    checkNotWiped();
    other.checkNotWiped();
    return MessageDigest.isEqual(value, other.value);
  }

  /**
   * Overwrites the value held by this object with zeros; later reads throw.
   *
   * <p>Copies already handed out by {@link #reveal()} or {@link #revealBytes()} are not affected.
   */
  public void wipe() {
    wiped = true;
    Arrays.fill(value, (byte) 0);
  }

  /**
   * Tells whether {@link #wipe()} has been called.
   *
   * @return {@code true} once wiped
   */
  public boolean isWiped() {
    return wiped;
  }

  /**
   * Returns a mask that never contains the value: {@code ***}, or a well-known credential prefix
   * followed by {@code ...***} (such as {@code sk-...***}) when the value is long enough that the
   * prefix gives nothing away.
   *
   * <p>Jackson writes this string too, so that a secret inside a response or an event is written
   * masked rather than not at all or, worse, through its fields.
   *
   * @return the masked form
   */
  @JsonValue
  @Override
  public String toString() {
    return mask;
  }

  /**
   * What Jackson calls to read a {@code Secret} when Latchkey's Jackson module is not registered:
   * it refuses, naming the module. Without a creator, Jackson's own refusal quotes the JSON string,
   * which is the secret; the module's deserializer, where registered, is used instead of this. It
   * takes an {@code Object}, not a {@code String}: Jackson would also use a {@code String} factory
   * for map keys, and quote the key in the failure.
   */
  @JsonCreator
  @SuppressWarnings("unused")
  private static Secret fromJson(Object ignored) {
    throw new IllegalArgumentException(
        "reading an io.latchkey.Secret from JSON needs Latchkey's Jackson module"
            + " (io.latchkey.jackson.LatchkeyModule) registered with the ObjectMapper");
  }

  private void checkNotWiped() {
    if (wiped) {
      throw new IllegalStateException("secret has been wiped");
    }
  }

  /**
   * Tells whether a text is the mask that {@link #toString()} gives some value: {@code ***}, or a
   * prefix it shows followed by {@code ...***}. A reader of secrets (a JSON body sent back after a
   * GET, say) refuses such a text, which would otherwise replace a stored secret with its mask.
   *
   * @param text the text read
   * @return whether it is a mask
   * @since 0.1
   */
  public static boolean isMask(String text) {
    if (text.equals(MASK)) {
      return true;
    }
    for (String prefix : KNOWN_PREFIXES) {
      if (text.length() == prefix.length() + 3 + MASK.length()
          && text.startsWith(prefix)
          && text.endsWith("..." + MASK)) {
        return true;
      }
    }
    return false;
  }

  private static String mask(byte[] value) {
    for (String prefix : KNOWN_PREFIXES) {
      byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
      if (value.length >= p.length + MIN_HIDDEN_CHARS
          && Arrays.equals(value, 0, p.length, p, 0, p.length)) {
        return prefix + "..." + MASK;
      }
    }
    return MASK;
  }
}
