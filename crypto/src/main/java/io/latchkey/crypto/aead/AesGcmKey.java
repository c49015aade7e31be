package io.latchkey.crypto.aead;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An AES-256-GCM key for {@link AesGcmKeyRing}: 32 random bytes, written as {@code lkk.} followed
 * by the bytes in URL-safe base64 with padding (48 characters in all).
 *
 * <p>The prefix keeps the two kinds of key apart: a Fernet key (bare base64) is refused here, and
 * an AES-GCM key is refused where a Fernet key is expected. Keys come from {@link
 * #parse(CharSequence, String)}, {@link #generate()}, {@link #of(byte[])} (32 bytes from elsewhere,
 * such as a key management service) or {@link #derive(Secret, String)} (HKDF-SHA256 from a master
 * secret, with a purpose label).
 *
 * <p>Every key has a {@linkplain #id() key id} derived from it, which every token made with it
 * carries, so that a ring finds the key of a token in one lookup. The format is specified in
 * docs/encryption.md.
 *
 * <h2>Security</h2>
 *
 * <p>{@link #toString()} shows only the key id. Errors name the setting a key came from and what is
 * wrong with its shape, never its content. The key string is reached only through {@link
 * #encoded()}, which returns a {@link Secret}. Keys have identity equality; compare them with
 * {@link #matches(AesGcmKey)}.
 *
 * @since 0.1
 */
public final class AesGcmKey {
  /** The prefix of every key string. */
  public static final String PREFIX = "lkk.";

  /** Length of a key in bytes. */
  public static final int KEY_BYTES = 32;

  static final String EXPECTED =
      "an AES-GCM key ('" + PREFIX + "' and 44 characters of URL-safe base64)";

  // The ring's logger: the warning is about what the ring writes.
  private static final Logger LOG = LoggerFactory.getLogger(AesGcmKeyRing.class);

  /** Tokens one key makes in this process before a warning: half the limit of 2^32. */
  static final long WARN_AFTER = 1L << 31;

  /** Keys whose tokens the process counts together, by key id; any more count per key object. */
  static final int COUNTED_KEYS = 10_000;

  // By key id, not by key object: a ring is rebuilt (a key follower's change, a swap to a freshly
  // loaded ring) with new objects for the same keys, and each would otherwise count from zero.
  // Keys enter at their first encryption, so the table holds only keys that encrypted here. Two
  // keys that share an id (one chance in 2^32) share a count, which can only warn early.
  private static final ConcurrentMap<Integer, Usage> USAGE = new ConcurrentHashMap<>();

  private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ID_LABEL = "latchkey/aes-gcm/key-id".getBytes(StandardCharsets.UTF_8);
  private static final byte[] DERIVE_PREFIX =
      "latchkey/aes-gcm/key:".getBytes(StandardCharsets.UTF_8);

  // Key material is transient so that reflective serialisers skip it.
  private final transient byte[] key;
  private final transient SecretKeySpec spec;
  private final int idValue;
  private final String id;
  // Cipher objects are not thread-safe, and re-keying one expands the key again: one per thread
  // per key, holding only a JDK type so that no class loader is kept alive by a pooled thread.
  private final transient ThreadLocal<Cipher> ciphers;
  private transient volatile Usage usage;

  private AesGcmKey(byte[] key) {
    this.key = key.clone();
    this.spec = new SecretKeySpec(this.key, "AES");
    this.idValue = idOf(this.key);
    this.id = HexFormat.of().toHexDigits(idValue);
    this.ciphers = ThreadLocal.withInitial(AesGcmFormat::newCipher);
    Arrays.fill(key, (byte) 0);
  }

  /**
   * Parses a key string.
   *
   * @param key {@code lkk.} and 32 bytes of URL-safe base64 with padding; whitespace around it is
   *     ignored
   * @param source the name of the setting or file the key came from, used in error messages; one
   *     that looks like a key (the arguments swapped) is reported as "the setting name given"
   *     instead, not shown
   * @return the key
   * @throws ConfigException naming {@code source} (unless it looks like a key) and what is wrong
   *     with the key's shape; never the key
   */
  public static AesGcmKey parse(CharSequence key, String source) {
    requireNonNull(key, "key");
    requireNonNull(source, "source");
    String problem = problemWith(key);
    if (problem != null) {
      throw new ConfigException(SettingNames.shown(source), problem);
    }
    return new AesGcmKey(Base64Url.decode(key.toString().strip().substring(PREFIX.length())));
  }

  /**
   * Parses a key string whose origin has no better name than "key".
   *
   * @param key the key string
   * @return the key
   * @throws ConfigException if the string is not an AES-GCM key
   */
  public static AesGcmKey parse(CharSequence key) {
    return parse(key, "key");
  }

  /** Describes what is wrong with a key string, or returns null when it is a valid key. */
  static String problemWith(CharSequence key) {
    String k = key.toString().strip();
    if (k.isEmpty()) {
      return "is empty; expected " + EXPECTED;
    }
    if (!k.startsWith(PREFIX)) {
      byte[] bare = Base64Url.decodeEitherAlphabet(k);
      boolean fernet = bare != null && bare.length == KEY_BYTES;
      if (bare != null) {
        Arrays.fill(bare, (byte) 0);
      }
      return fernet
          ? "is a Fernet key; expected " + EXPECTED
          : "does not start with '" + PREFIX + "'; expected " + EXPECTED;
    }
    byte[] bytes = Base64Url.decode(k.substring(PREFIX.length()));
    if (bytes == null) {
      return "is not valid URL-safe base64 with padding after '"
          + PREFIX
          + "'; expected "
          + EXPECTED;
    }
    int length = bytes.length;
    Arrays.fill(bytes, (byte) 0);
    if (length != KEY_BYTES) {
      return "holds " + length + (length == 1 ? " byte" : " bytes") + "; expected " + EXPECTED;
    }
    return null;
  }

  /**
   * Makes a key of 32 given bytes, such as a data key from a key management service.
   *
   * @param key the key bytes; copied, and not modified
   * @return the key
   * @throws IllegalArgumentException if {@code key} is not 32 bytes long (AES-256 only)
   */
  public static AesGcmKey of(byte[] key) {
    requireNonNull(key, "key");
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "an AES-GCM key is " + KEY_BYTES + " bytes (AES-256), not " + key.length);
    }
    return new AesGcmKey(key.clone());
  }

  /**
   * Generates a new key from the JDK's SP 800-90A DRBG at 256-bit strength with prediction
   * resistance.
   *
   * @return a new random key
   */
  public static AesGcmKey generate() {
    return generate(DefaultRandom.forKeys());
  }

  /**
   * Generates a new key from the given random source.
   *
   * @param random a cryptographically strong random source
   * @return a new random key
   */
  public static AesGcmKey generate(SecureRandom random) {
    requireNonNull(random, "random");
    byte[] key = new byte[KEY_BYTES];
    random.nextBytes(key);
    return new AesGcmKey(key);
  }

  /**
   * Derives a key for one purpose from a master secret with HKDF-SHA256 (RFC 5869): no salt, the
   * master secret as input keying material, {@code "latchkey/aes-gcm/key:"} followed by the label's
   * UTF-8 bytes as info, 32 bytes of output. The prefix makes the key differ from the Fernet key
   * {@code FernetKey.derive} gives for the same master secret and label.
   *
   * <p>The master secret should itself be high-entropy (a random key, not a password): HKDF does
   * not slow down guessing.
   *
   * @param master the master secret; not empty
   * @param label the purpose, such as {@code "credentials-at-rest"}; not blank
   * @return the derived key
   * @throws IllegalArgumentException if the master secret is empty or the label blank
   */
  public static AesGcmKey derive(Secret master, String label) {
    return new AesGcmKey(Hkdf.fromMaster(master, label, DERIVE_PREFIX, KEY_BYTES));
  }

  /**
   * Returns the key string, {@code lkk.} and 44 characters of URL-safe base64, as a {@link Secret}.
   *
   * @return the encoded key
   */
  public Secret encoded() {
    byte[] text = new byte[PREFIX.length() + Base64Url.encodedLength(KEY_BYTES)];
    System.arraycopy(PREFIX_BYTES, 0, text, 0, PREFIX_BYTES.length);
    Base64Url.encode(key, text, PREFIX.length());
    try {
      return Secret.ofBytes(text);
    } finally {
      Arrays.fill(text, (byte) 0);
    }
  }

  /**
   * Returns the key id: the first four bytes of HMAC-SHA256 of the text {@code
   * latchkey/aes-gcm/key-id} under the key, in hex. Every token made with the key carries it; it
   * reveals nothing usable about the key.
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
  public boolean matches(AesGcmKey other) {
    requireNonNull(other, "other");
    return MessageDigest.isEqual(key, other.key);
  }

  /**
   * Returns {@code AesGcmKey[id=…]}; never key material. Jackson writes the same string.
   *
   * @return the description
   */
  @JsonValue
  @Override
  public String toString() {
    return "AesGcmKey[id=" + id + "]";
  }

  /**
   * What Jackson calls to read a {@code AesGcmKey}: it refuses, without quoting what it was given.
   * Without a creator, Jackson's own refusal quotes the JSON string, which would be the key. It
   * takes an {@code Object}, not a {@code String}: Jackson would also use a {@code String} factory
   * for map keys, and quote the key in the failure.
   */
  @JsonCreator
  @SuppressWarnings("unused")
  private static AesGcmKey fromJson(Object ignored) {
    throw new IllegalArgumentException(
        "io.latchkey.crypto.aead.AesGcmKey is not read from JSON, which would hold the key;"
            + " load keys from the environment, a file or a secret provider");
  }

  int idValue() {
    return idValue;
  }

  SecretKeySpec spec() {
    return spec;
  }

  Cipher cipher() {
    return ciphers.get();
  }

  /**
   * Counts one token this key made in this process, whose random nonce starts at {@code nonceAt},
   * and warns once when the key nears the message limit.
   */
  void countEncryption(byte[] raw, int nonceAt) {
    Usage u = usage();
    u.encryptions.increment();
    // Summing the counter costs a pass over its cells: check on one token in 65,536, picked by
    // the nonce's random bytes, which is soon enough for a warning at 2^31.
    if ((raw[nonceAt] | raw[nonceAt + 1]) == 0
        && u.encryptions.sum() >= WARN_AFTER
        && u.warned.compareAndSet(false, true)) {
      LOG.warn(
          "key {} has made {} tokens in this process; AES-GCM with random nonces allows 2^32 per"
              + " key: make a new primary key (see docs/encryption.md, \"Nonces and the message"
              + " limit\")",
          id,
          u.encryptions.sum());
    }
  }

  /** The tokens made in this process by this key, whichever object of it made them. */
  long encryptionsInProcess() {
    Usage u = usage != null ? usage : USAGE.get(idValue);
    return u == null ? 0 : u.encryptions.sum();
  }

  private Usage usage() {
    Usage u = usage;
    if (u == null) {
      u = USAGE.get(idValue);
      if (u == null) {
        u =
            USAGE.size() < COUNTED_KEYS
                ? USAGE.computeIfAbsent(idValue, i -> new Usage())
                : new Usage();
      }
      usage = u;
    }
    return u;
  }

  /** A key's count of tokens, and whether its warning was logged. */
  private static final class Usage {
    final LongAdder encryptions = new LongAdder();
    final AtomicBoolean warned = new AtomicBoolean();
  }

  static int idOf(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] tag = mac.doFinal(ID_LABEL);
      return (tag[0] & 0xff) << 24 | (tag[1] & 0xff) << 16 | (tag[2] & 0xff) << 8 | (tag[3] & 0xff);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256", e);
    }
  }
}
