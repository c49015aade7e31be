package io.latchkey.crypto;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.latchkey.ConfigException;
import io.latchkey.Secret;
import io.latchkey.crypto.internal.Base64Url;
import io.latchkey.crypto.internal.DefaultRandom;
import io.latchkey.crypto.internal.Hkdf;
import io.latchkey.internal.SettingNames;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Fernet key: a 128-bit HMAC-SHA256 signing key and a 128-bit AES encryption key, written as 32
 * bytes of URL-safe base64 (44 characters with padding), exactly as Python's {@code
 * Fernet.generate_key()} prints it.
 *
 * <p>Keys come from {@link #parse(CharSequence, String)} (a key string, with the name of the
 * setting it came from), {@link #generate()}, or derivation from a master secret: {@link
 * #derive(Secret, String)} (HKDF-SHA256 with a purpose label, for applications that have only one
 * {@code SECRET_KEY}) and {@link #deriveLegacySha256(Secret)} (the SHA-256 construction some
 * systems use, so that their data can be read and migrated).
 *
 * <h2>Security</h2>
 *
 * <p>{@link #toString()} shows only the key's {@linkplain #id() identifier}. Errors name the
 * setting a key came from and what is wrong with its shape, never its content. The key string is
 * reached only through {@link #encoded()}, which returns a {@link Secret}. Keys have identity
 * equality; compare them with {@link #id()} or {@link #matches(FernetKey)}. Serialisers write no
 * key material: Jackson writes the {@code toString()}, Gson the identifier only, and Java
 * serialisation refuses (the class is not {@link java.io.Serializable}).
 *
 * @since 0.1
 */
public final class FernetKey {
  /** Length of a key in bytes: signing key, then encryption key. */
  static final int KEY_BYTES = 32;

  private static final int ENCODED_CHARS = 44;
  private static final String EXPECTED =
      "expected a Fernet key (32 bytes of URL-safe base64, 44 characters)";

  // Key material is transient so that reflective serialisers (Gson, Jackson reading fields) skip
  // it.
  private final transient byte[] signingKey;
  private final transient byte[] encryptionKey;
  private final String id;
  private final transient SecretKeySpec aesKey;
  // Mac and Cipher objects are not thread-safe and costly to create: one set per thread per key.
  private final transient ThreadLocal<FernetPrimitives> primitives;

  private FernetKey(byte[] key) {
    // Every caller hands over exactly 32 bytes; anything else would be padded or cut silently.
    if (key.length != KEY_BYTES) {
      Arrays.fill(key, (byte) 0);
      throw new IllegalArgumentException("a Fernet key is 32 bytes");
    }
    this.signingKey = Arrays.copyOfRange(key, 0, 16);
    this.encryptionKey = Arrays.copyOfRange(key, 16, 32);
    this.id = fingerprint(key);
    this.aesKey = new SecretKeySpec(encryptionKey, "AES");
    this.primitives = ThreadLocal.withInitial(() -> new FernetPrimitives(signingKey, aesKey));
    Arrays.fill(key, (byte) 0);
  }

  /**
   * Parses a key string.
   *
   * @param key 32 bytes of base64, URL-safe or standard alphabet, with padding (44 characters)
   * @param source the name of the setting or file the key came from, used in error messages; one
   *     that looks like a key (the arguments swapped) is reported as "the setting name given"
   *     instead, not shown
   * @return the key
   * @throws ConfigException naming {@code source} (unless it looks like a key) and what is wrong
   *     with the key's shape; never the key
   */
  public static FernetKey parse(CharSequence key, String source) {
    requireNonNull(key, "key");
    requireNonNull(source, "source");
    String problem = problemWith(key);
    if (problem != null) {
      throw new ConfigException(SettingNames.shown(source), problem);
    }
    return new FernetKey(Base64Url.decodeEitherAlphabet(trim(key)));
  }

  /**
   * Parses a key string whose origin has no better name than "key".
   *
   * @param key 32 bytes of base64 (44 characters)
   * @return the key
   * @throws ConfigException if the string is not a Fernet key
   */
  public static FernetKey parse(CharSequence key) {
    return parse(key, "key");
  }

  /**
   * Describes what is wrong with a key string, or returns null when it is a valid key. Shared by
   * {@link #parse} and the ring's loaders, which collect every problem before throwing.
   */
  static String problemWith(CharSequence key) {
    CharSequence k = trim(key);
    if (k.length() == 0) {
      return "is empty; " + EXPECTED;
    }
    if (k.length() != ENCODED_CHARS) {
      // Not how many it has: a value's length is derived from it, and the setting may hold a
      // secret pasted by mistake.
      return "is not 44 characters of URL-safe base64; " + EXPECTED;
    }
    byte[] bytes = Base64Url.decodeEitherAlphabet(k);
    if (bytes == null) {
      return "is not valid base64; " + EXPECTED;
    }
    // 44 characters also spell 31 bytes ("==") and 33 bytes (no padding, as from "openssl rand
    // -base64 33"); pyca rejects both, and neither splits into two 16-byte halves.
    boolean wrongLength = bytes.length != KEY_BYTES;
    Arrays.fill(bytes, (byte) 0);
    return wrongLength ? "is not 32 bytes of base64; " + EXPECTED : null;
  }

  /**
   * Generates a new key from the JDK's SP 800-90A DRBG at 256-bit strength with prediction
   * resistance: every key draws fresh entropy from the operating system.
   *
   * @return a new random key
   */
  public static FernetKey generate() {
    return generate(DefaultRandom.forKeys());
  }

  /**
   * Generates a new key from the given random source.
   *
   * @param random a cryptographically strong random source
   * @return a new random key
   */
  public static FernetKey generate(SecureRandom random) {
    requireNonNull(random, "random");
    byte[] key = new byte[KEY_BYTES];
    random.nextBytes(key);
    return new FernetKey(key);
  }

  /**
   * Derives a key for one purpose from a master secret with HKDF-SHA256 (RFC 5869).
   *
   * <p>Use a distinct label for each purpose ({@code "credentials-at-rest"}, {@code
   * "session-cookies"}) so that one master secret yields independent keys. The derivation is
   * HKDF-SHA256 with no salt, the master secret as input keying material, the label's UTF-8 bytes
   * as info, and 32 bytes of output, so Python's {@code HKDF(SHA256(), 32, salt=None,
   * info=label.encode()).derive(master)} gives the same key.
   *
   * <p>The master secret should itself be high-entropy (a random key, not a password): HKDF does
   * not slow down guessing.
   *
   * @param master the master secret; not empty
   * @param label the purpose; not blank
   * @return the derived key
   * @throws IllegalArgumentException if the master secret is empty or the label blank
   */
  public static FernetKey derive(Secret master, String label) {
    return new FernetKey(Hkdf.fromMaster(master, label, new byte[0], KEY_BYTES));
  }

  /**
   * Derives a key the legacy way: the SHA-256 digest of the master secret's UTF-8 bytes, used as
   * the 32 key bytes ({@code urlsafe_b64encode(sha256(SECRET_KEY).digest())} in Python).
   *
   * <p>Some systems derive their Fernet key like this from a single application secret. Use it to
   * read their existing tokens, keep it as a previous key, and {@linkplain
   * FernetKeyRing#rotate(String) rotate} the data to a random or {@linkplain #derive(Secret,
   * String) HKDF-derived} key.
   *
   * @param master the master secret; not empty
   * @return the derived key
   * @throws IllegalArgumentException if the master secret is empty
   */
  public static FernetKey deriveLegacySha256(Secret master) {
    requireNonNull(master, "master");
    byte[] bytes = master.revealBytes();
    try {
      if (bytes.length == 0) {
        throw new IllegalArgumentException("master secret must not be empty");
      }
      return new FernetKey(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * Returns the key string, 44 characters of URL-safe base64, as a {@link Secret}.
   *
   * @return the encoded key
   */
  public Secret encoded() {
    byte[] key = rawBytes();
    byte[] text = Base64Url.encode(key).getBytes(StandardCharsets.US_ASCII);
    Arrays.fill(key, (byte) 0);
    try {
      return Secret.ofBytes(text);
    } finally {
      Arrays.fill(text, (byte) 0);
    }
  }

  /**
   * Returns a short identifier that tells keys apart in logs and reports: the first four bytes of
   * the SHA-256 digest of the key, in hex. It reveals nothing usable about the key.
   *
   * @return eight lower-case hex digits
   */
  public String id() {
    return id;
  }

  /**
   * Compares two keys in constant time.
   *
   * @param other the key to compare with
   * @return {@code true} if both hold the same key bytes
   */
  @SuppressWarnings("ShortCircuitBoolean") // both halves compared always: no timing difference
  public boolean matches(FernetKey other) {
    requireNonNull(other, "other");
    return MessageDigest.isEqual(signingKey, other.signingKey)
        & MessageDigest.isEqual(encryptionKey, other.encryptionKey);
  }

  /**
   * Returns {@code FernetKey[id=…]}; never key material. Jackson writes the same string.
   *
   * @return the description
   */
  @JsonValue
  @Override
  public String toString() {
    return "FernetKey[id=" + id + "]";
  }

  /**
   * What Jackson calls to read a {@code FernetKey}: it refuses, without quoting what it was given.
   * Without a creator, Jackson's own refusal quotes the JSON string, which would be the key. It
   * takes an {@code Object}, not a {@code String}: Jackson would also use a {@code String} factory
   * for map keys, and quote the key in the failure.
   */
  @JsonCreator
  @SuppressWarnings("unused")
  private static FernetKey fromJson(Object ignored) {
    throw new IllegalArgumentException(
        "io.latchkey.crypto.FernetKey is not read from JSON, which would hold the key;"
            + " load keys from the environment, a file or a secret provider");
  }

  FernetPrimitives primitives() {
    return primitives.get();
  }

  private byte[] rawBytes() {
    byte[] key = new byte[KEY_BYTES];
    System.arraycopy(signingKey, 0, key, 0, 16);
    System.arraycopy(encryptionKey, 0, key, 16, 16);
    return key;
  }

  private static CharSequence trim(CharSequence s) {
    int start = 0;
    int end = s.length();
    while (start < end && Character.isWhitespace(s.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(s.charAt(end - 1))) {
      end--;
    }
    return s.subSequence(start, end);
  }

  private static String fingerprint(byte[] key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
