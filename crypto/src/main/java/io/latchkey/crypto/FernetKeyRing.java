package io.latchkey.crypto;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.latchkey.ConfigException;
import io.latchkey.InvalidTokenException;
import io.latchkey.InvalidTokenException.Reason;
import io.latchkey.KeyRing;
import io.latchkey.config.KeyList;
import io.latchkey.crypto.internal.Base64Url;
import io.latchkey.crypto.internal.DefaultRandom;
import io.latchkey.crypto.internal.KeyFollower;
import io.latchkey.crypto.internal.KeyLists;
import io.latchkey.crypto.internal.TokenTimes;
import io.latchkey.resolver.SecretResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Fernet key ring with the semantics of pyca/cryptography's {@code MultiFernet}: encrypt with the
 * primary key, decrypt with the primary or any previous key, and {@linkplain #rotate(String)
 * rotate} tokens to the primary key keeping their timestamp.
 *
 * <p>Tokens follow the <a href="https://github.com/fernet/spec">Fernet specification</a> byte for
 * byte: {@code 0x80 ‖ timestamp ‖ IV ‖ AES-128-CBC ciphertext ‖ HMAC-SHA256}, URL-safe base64 with
 * padding. A token written here is read by Python's {@code Fernet}/{@code MultiFernet} and the
 * reverse.
 *
 * <pre>{@code
 * // APP_KEY holds the current key, APP_KEY_PREVIOUS the older ones, comma-separated.
 * FernetKeyRing ring = FernetKeyRing.fromEnvironment("APP_KEY");
 * String token = ring.encrypt("s3cr3t".getBytes(UTF_8));
 * byte[] plain = ring.decrypt(token);
 * String current = ring.rotate(token);  // same plaintext and timestamp, primary key
 * }</pre>
 *
 * <p>Rings are immutable and thread-safe. Decryption tries first the key that last verified a
 * token, so reading data that is mostly under one previous key costs one HMAC per token, not one
 * per key.
 *
 * <h2>Security</h2>
 *
 * <p>The HMAC is verified, in constant time, before anything is decrypted, and every rejection is
 * an {@link InvalidTokenException} with a coarse reason: there is no padding oracle. Time checks
 * ({@linkplain Reason#EXPIRED expired}, {@linkplain Reason#FROM_THE_FUTURE from the future}) run
 * only on authentic tokens. {@link #toString()} lists key identifiers, never key material.
 *
 * @since 0.1
 */
public final class FernetKeyRing implements KeyRing {
  private static final Logger LOG = LoggerFactory.getLogger(FernetKeyRing.class);

  /** Tokens stamped up to this far in the future are accepted when a TTL is checked. */
  public static final Duration MAX_CLOCK_SKEW = TokenTimes.MAX_CLOCK_SKEW;

  static final byte VERSION = (byte) 0x80;
  private static final int HEADER = 1 + 8 + 16;
  private static final int HMAC = 32;
  private static final int MIN_RAW = HEADER + 16 + HMAC;

  // Transient so that reflective serialisers skip the keys (FernetKey is guarded on its own too).
  private final transient FernetKey[] keys;
  private final List<String> keyIds;
  private final Clock clock;
  private final SecureRandom random; // null: the per-thread default source
  // Benign race: any index is correct, a stale one only costs an extra HMAC.
  private volatile int lastMatch;

  private FernetKeyRing(List<FernetKey> keys, Clock clock, SecureRandom random) {
    List<FernetKey> unique = new ArrayList<>();
    for (FernetKey k : keys) {
      requireNonNull(k, "key");
      if (unique.stream().anyMatch(u -> u.matches(k))) {
        LOG.warn("key {} appears more than once in the ring; using its first place", k.id());
      } else {
        unique.add(k);
      }
    }
    this.keys = unique.toArray(new FernetKey[0]);
    this.keyIds = unique.stream().map(FernetKey::id).toList();
    this.clock = clock;
    this.random = random;
  }

  /**
   * Creates a ring from a primary key and any number of previous keys.
   *
   * @param primary the key that encrypts
   * @param previous older keys that still decrypt, most recent first
   * @return the ring
   */
  public static FernetKeyRing of(FernetKey primary, FernetKey... previous) {
    requireNonNull(primary, "primary");
    requireNonNull(previous, "previous");
    List<FernetKey> all = new ArrayList<>();
    all.add(primary);
    all.addAll(Arrays.asList(previous));
    return builder().keys(all).build();
  }

  /**
   * Loads a ring from the process environment: {@code NAME} holds the primary key, {@code
   * NAME_PREVIOUS} (optional) a comma-separated list of previous keys.
   *
   * @param name the variable holding the primary key, such as {@code APP_ENCRYPTION_KEY}
   * @return the ring
   * @throws ConfigException listing every problem: {@code NAME} missing, a key of the wrong shape,
   *     a blank entry in {@code NAME_PREVIOUS}
   */
  public static FernetKeyRing fromEnvironment(String name) {
    return fromEnvironment(name, System.getenv());
  }

  /**
   * Loads a ring from the given variables, as {@link #fromEnvironment(String)} does from the
   * process environment.
   *
   * <p>Whitespace around keys and list entries is ignored, as is a byte-order mark at the start of
   * a variable (a mounted file that an editor wrote), and an empty or blank {@code NAME_PREVIOUS}
   * means no previous keys; an empty entry inside a list ({@code a,,b} or a trailing comma) is an
   * error, because it usually means a key was lost in an edit.
   *
   * @param name the variable holding the primary key
   * @param env the variables to read
   * @return the ring
   * @throws ConfigException listing every problem found; where {@code NAME} is not set and the
   *     {@code name} given looks like a key rather than a variable's name, the problem does not
   *     show it
   */
  public static FernetKeyRing fromEnvironment(String name, Map<String, String> env) {
    requireNonNull(name, "name");
    requireNonNull(env, "env");
    return builder().keys(KeyLists.fromEnvironment(name, env, KeyListParser.FERNET)).build();
  }

  /**
   * Loads a ring through a resolver and keeps it current as its source changes: {@code NAME} and
   * {@code NAME_PREVIOUS} are resolved as references ({@code APP_ENCRYPTION_KEY} is {@code
   * env:APP_ENCRYPTION_KEY}; {@code aws:prod/app#APP_ENCRYPTION_KEY} works too) and read as {@link
   * #fromEnvironment(String, Map)} reads them. {@code NAME} may also hold a whole key file, one key
   * per line with the primary first (a mounted file through {@code APP_ENCRYPTION_KEY_FILE}), with
   * {@code NAME_PREVIOUS} unset. A new version that does not load, or that drops the primary key in
   * use, is refused; see {@link FollowingKeys}.
   *
   * @param resolver the resolver, which keeps the references fresh while they are followed
   * @param name the reference of the primary key, such as {@code APP_ENCRYPTION_KEY}
   * @return the ring, following its source until closed
   * @throws ConfigException listing every problem, if the ring cannot be loaded now; or, before
   *     anything is resolved, if the {@code name} given looks like a key rather than a variable's
   *     name (a name that random is refused even when set, since every problem and log line of a
   *     followed source names it); the problem does not show it
   * @throws io.latchkey.ProviderException if a reference cannot be resolved now
   * @since 0.2
   */
  public static FollowingKeys<FernetKeyRing> following(SecretResolver resolver, String name) {
    return KeyFollower.ring(
        resolver,
        name,
        FernetKeyRing::fromEnvironment,
        FernetKeyRing::keyIds,
        FernetKeyRing::holdsPrimaryOf);
  }

  /**
   * Tells whether a ring holds the very key that is another's primary, compared by its bytes: a
   * different key may share its 32-bit identifier.
   */
  static boolean holdsPrimaryOf(FernetKeyRing ring, FernetKeyRing other) {
    FernetKey primary = other.keys[0];
    boolean found = false;
    for (FernetKey key : ring.keys) {
      found |= key.matches(primary);
    }
    return found;
  }

  /**
   * Creates a ring from a key list loaded by a configuration schema ({@code
   * Setting.fernetKeyList(name)}): its current key is the primary, its previous keys follow in
   * order.
   *
   * <pre>{@code
   * FernetKeyRing ring = FernetKeyRing.of("APP_ENCRYPTION_KEY", config.get(APP_ENCRYPTION_KEY));
   * }</pre>
   *
   * @param name the setting the list came from, used in errors as {@code NAME} and {@code
   *     NAME_PREVIOUS entry N}; one that looks like a key is reported as "the setting name given"
   *     instead, not shown
   * @param keys the keys
   * @return the ring
   * @throws ConfigException listing every key that is not a Fernet key, by setting, never by value
   * @throws IllegalStateException if a key has been wiped
   */
  public static FernetKeyRing of(String name, KeyList keys) {
    requireNonNull(name, "name");
    requireNonNull(keys, "keys");
    return builder()
        .keys(KeyLists.fromKeyList(name, keys.current(), keys.previous(), KeyListParser.FERNET))
        .build();
  }

  /**
   * Reads a ring from a key file: one key per line, the primary first, then previous keys; blank
   * lines and lines starting with {@code #} are ignored, and so is a leading UTF-8 byte-order mark.
   *
   * @param file the key file
   * @return the ring
   * @throws ConfigException naming the file and line of every bad key, or if the file holds no key
   *     or cannot be read
   */
  public static FernetKeyRing read(Path file) {
    requireNonNull(file, "file");
    return builder().keys(KeyLists.read(file, KeyListParser.FERNET)).build();
  }

  /**
   * Returns a builder, for rings that need an injected clock or random source.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link FernetKeyRing}; the first key given is the primary. */
  public static final class Builder {
    private final List<FernetKey> keys = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private SecureRandom random;

    private Builder() {}

    /**
     * Adds a key; the first key added is the primary.
     *
     * @param key the key
     * @return this builder
     */
    public Builder key(FernetKey key) {
      keys.add(requireNonNull(key, "key"));
      return this;
    }

    /**
     * Adds keys in order; the first key added overall is the primary.
     *
     * @param keys the keys
     * @return this builder
     */
    public Builder keys(List<FernetKey> keys) {
      requireNonNull(keys, "keys").forEach(this::key);
      return this;
    }

    /**
     * Sets the clock that stamps new tokens and checks time-to-live (the system UTC clock by
     * default).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the source of IVs, used instead of the default: a per-thread SP 800-90A DRBG (the JDK's
     * {@code DRBG} at 256-bit strength), read in 4 KiB requests and reseeded from the operating
     * system periodically (see docs/security.md). Tests inject a deterministic source here.
     *
     * @param random a cryptographically strong random source
     * @return this builder
     */
    public Builder random(SecureRandom random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    /**
     * Builds the ring.
     *
     * @return the ring
     * @throws IllegalStateException if no key was added
     */
    public FernetKeyRing build() {
      if (keys.isEmpty()) {
        throw new IllegalStateException("a key ring needs at least one key");
      }
      return new FernetKeyRing(keys, clock, random);
    }
  }

  @Override
  public String encrypt(byte[] plaintext) {
    return encrypt(plaintext, clock.instant());
  }

  /**
   * Encrypts a plaintext with the primary key, stamped with the given time.
   *
   * @param plaintext the bytes to protect
   * @param at the time to record in the token
   * @return the token
   */
  public String encrypt(byte[] plaintext, Instant at) {
    requireNonNull(plaintext, "plaintext");
    requireNonNull(at, "at");
    return seal(keys[0], plaintext, at.getEpochSecond(), null, random);
  }

  /** Encrypts with a fixed IV; only the spec's generation vectors need one. */
  static String encryptWithIv(FernetKey key, byte[] plaintext, long timestamp, byte[] iv) {
    return seal(key, plaintext, timestamp, iv, null);
  }

  private static String seal(
      FernetKey key, byte[] plaintext, long timestamp, byte[] fixedIv, SecureRandom random) {
    int padded = (plaintext.length / 16 + 1) * 16;
    byte[] raw = new byte[HEADER + padded + HMAC];
    raw[0] = VERSION;
    for (int i = 0; i < 8; i++) {
      raw[1 + i] = (byte) (timestamp >>> (56 - 8 * i));
    }
    if (fixedIv != null) {
      System.arraycopy(fixedIv, 0, raw, 9, 16);
    } else if (random != null) {
      byte[] iv = new byte[16];
      random.nextBytes(iv);
      System.arraycopy(iv, 0, raw, 9, 16);
    } else {
      DefaultRandom.nextIv(raw, 9);
    }
    // PKCS#7 padding written in place, so that AES runs in place without a padded copy.
    System.arraycopy(plaintext, 0, raw, HEADER, plaintext.length);
    Arrays.fill(
        raw, HEADER + plaintext.length, HEADER + padded, (byte) (padded - plaintext.length));
    FernetPrimitives p = key.primitives();
    try {
      Cipher cipher = p.encryptor;
      cipher.init(Cipher.ENCRYPT_MODE, p.aesKey, new IvParameterSpec(raw, 9, 16));
      cipher.doFinal(raw, HEADER, padded, raw, HEADER);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CBC failed", e);
    }
    p.hmac(raw, 0, HEADER + padded, raw, HEADER + padded);
    return Base64Url.encode(raw);
  }

  @Override
  public byte[] decrypt(String token) {
    requireNonNull(token, "token");
    Verified v = verify(token);
    return decrypt(v);
  }

  @Override
  public byte[] decrypt(String token, Duration ttl) {
    return decrypt(token, ttl, clock.instant());
  }

  /**
   * Decrypts a token that was at most {@code ttl} old at the given time.
   *
   * <p>As in the Fernet specification and pyca/cryptography, a token is expired when its timestamp
   * plus {@code ttl} (in whole seconds) is before {@code now}, and from the future when its
   * timestamp is more than {@link #MAX_CLOCK_SKEW} after {@code now}.
   *
   * @param token the token
   * @param ttl the maximum age, at least one second
   * @param now the time to check against
   * @return the plaintext
   * @throws InvalidTokenException if the token is invalid, expired or from the future
   * @throws IllegalArgumentException if {@code ttl} is shorter than one second
   */
  public byte[] decrypt(String token, Duration ttl, Instant now) {
    requireNonNull(token, "token");
    requireNonNull(ttl, "ttl");
    requireNonNull(now, "now");
    long ttlSeconds = TokenTimes.ttlSeconds(ttl);
    Verified v = verify(token);
    TokenTimes.check(v.timestamp, ttlSeconds, now.getEpochSecond());
    return decrypt(v);
  }

  /**
   * Re-encrypts a token under the primary key, keeping its timestamp, as {@code MultiFernet.rotate}
   * does. A token already under the primary key gets a fresh IV.
   *
   * @param token a token made with any key of the ring
   * @return the token re-encrypted under the primary key
   * @throws InvalidTokenException if the token is rejected
   */
  @Override
  public String rotate(String token) {
    requireNonNull(token, "token");
    Verified v = verify(token);
    byte[] plaintext = decrypt(v);
    try {
      return seal(keys[0], plaintext, v.timestamp, null, random);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  /**
   * Returns the time recorded in a token, after checking that a key of the ring made it; the token
   * is not decrypted.
   *
   * @param token the token
   * @return the instant the token was made, to the second
   * @throws InvalidTokenException if the token is malformed or no key verifies it
   */
  public Instant extractTimestamp(String token) {
    requireNonNull(token, "token");
    return TokenTimes.toInstant(verify(token).timestamp);
  }

  @Override
  public boolean isPrimary(String token) {
    requireNonNull(token, "token");
    byte[] raw = token.getBytes(StandardCharsets.ISO_8859_1);
    int length = Base64Url.decode(raw, raw);
    return length >= 0 && frame(raw, length) == null && verifies(keys[0], raw, length);
  }

  @Override
  public String primaryKeyId() {
    return keyIds.get(0);
  }

  @Override
  public List<String> keyIds() {
    return keyIds;
  }

  /**
   * Returns the primary key.
   *
   * @return the key that encrypts
   */
  public FernetKey primaryKey() {
    return keys[0];
  }

  /**
   * Returns {@code FernetKeyRing[primary=…, previous=[…]]} with key identifiers only. Jackson
   * writes the same string.
   *
   * @return the description
   */
  @JsonValue
  @Override
  public String toString() {
    return "FernetKeyRing[primary="
        + keyIds.get(0)
        + ", previous="
        + keyIds.subList(1, keyIds.size())
        + "]";
  }

  /**
   * What Jackson calls to read a {@code FernetKeyRing}: it refuses, without quoting what it was
   * given. Without a creator, Jackson's own refusal quotes the JSON string, which would be a key.
   * It takes an {@code Object}, not a {@code String}: Jackson would also use a {@code String}
   * factory for map keys, and quote the key in the failure.
   */
  @JsonCreator
  @SuppressWarnings("unused")
  private static FernetKeyRing fromJson(Object ignored) {
    throw new IllegalArgumentException(
        "io.latchkey.crypto.FernetKeyRing is not read from JSON, which would hold a key;"
            + " load keys from the environment, a file or a secret provider");
  }

  // ---- the token codec -------------------------------------------------------------------

  /** A decoded token that a key of the ring has authenticated. */
  private record Verified(byte[] raw, int length, FernetKey key, long timestamp) {}

  private Verified verify(String token) {
    // The token's own bytes are decoded in place: large tokens cost one copy, not two.
    byte[] raw = token.getBytes(StandardCharsets.ISO_8859_1);
    int length = Base64Url.decode(raw, raw);
    if (length < 0) {
      throw new InvalidTokenException(Reason.MALFORMED);
    }
    Reason framing = frame(raw, length);
    if (framing != null) {
      throw new InvalidTokenException(framing);
    }
    FernetKey[] ks = keys;
    int hint = lastMatch;
    FernetKey key = null;
    if (verifies(ks[hint], raw, length)) {
      key = ks[hint];
    } else {
      for (int i = 0; i < ks.length; i++) {
        if (i != hint && verifies(ks[i], raw, length)) {
          key = ks[i];
          lastMatch = i;
          break;
        }
      }
    }
    if (key == null) {
      throw new InvalidTokenException(Reason.WRONG_KEY_OR_TAMPERED);
    }
    long ts = 0;
    for (int i = 1; i <= 8; i++) {
      ts = ts << 8 | (raw[i] & 0xff);
    }
    return new Verified(raw, length, key, ts);
  }

  /** Checks the version and the length; null when the frame is sound. */
  private static Reason frame(byte[] raw, int length) {
    // Length first: a short scrap of base64 is not a token of some other version.
    if (length < MIN_RAW) {
      return Reason.MALFORMED;
    }
    if (raw[0] != VERSION) {
      return Reason.UNSUPPORTED_VERSION;
    }
    if ((length - HEADER - HMAC) % 16 != 0) {
      return Reason.MALFORMED;
    }
    return null;
  }

  private static boolean verifies(FernetKey key, byte[] raw, int length) {
    FernetPrimitives p = key.primitives();
    int signed = length - HMAC;
    byte[] tag = p.tag;
    p.hmac(raw, 0, signed, tag, 0);
    // Constant time: every byte is compared whatever the first difference.
    int diff = 0;
    for (int i = 0; i < HMAC; i++) {
      diff |= tag[i] ^ raw[signed + i];
    }
    return diff == 0;
  }

  private static byte[] decrypt(Verified v) {
    byte[] raw = v.raw;
    int ctLen = v.length - HEADER - HMAC;
    FernetPrimitives p = v.key.primitives();
    Cipher cipher = p.decryptor;
    byte[] buffer = p.buffer;
    try {
      if (ctLen <= buffer.length) {
        cipher.init(Cipher.DECRYPT_MODE, p.aesKey, new IvParameterSpec(raw, 9, 16));
        try {
          cipher.doFinal(raw, HEADER, ctLen, buffer, 0);
          return Arrays.copyOf(buffer, ctLen - padding(buffer, ctLen));
        } finally {
          Arrays.fill(buffer, 0, ctLen, (byte) 0);
        }
      }
      // Large tokens: decrypt the last block first (its IV is the block before it) to learn the
      // padding, then the rest straight into an array of the exact size: no buffer, no copy.
      int lastBlock = HEADER + ctLen - 16;
      cipher.init(Cipher.DECRYPT_MODE, p.aesKey, new IvParameterSpec(raw, lastBlock - 16, 16));
      byte[] plaintext;
      try {
        cipher.doFinal(raw, lastBlock, 16, buffer, 0);
        // Wiped on every path: a bad padding throws with the block's plaintext still here.
        int pad = padding(buffer, 16);
        plaintext = new byte[ctLen - pad];
        System.arraycopy(buffer, 0, plaintext, ctLen - 16, 16 - pad);
      } finally {
        Arrays.fill(buffer, 0, 16, (byte) 0);
      }
      cipher.init(Cipher.DECRYPT_MODE, p.aesKey, new IvParameterSpec(raw, 9, 16));
      cipher.doFinal(raw, HEADER, ctLen - 16, plaintext, 0);
      return plaintext;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CBC failed", e);
    }
  }

  /**
   * Returns the PKCS#7 padding length at the end of {@code block[0, end)}. An authentic token with
   * bad padding was made by a broken encoder holding the key; it is reported after the HMAC check,
   * so it tells an attacker nothing.
   */
  private static int padding(byte[] block, int end) {
    int pad = block[end - 1] & 0xff;
    int bad = (pad == 0 || pad > 16) ? 1 : 0;
    for (int i = 1; bad == 0 && i <= pad; i++) {
      bad |= (block[end - i] & 0xff) ^ pad;
    }
    if (bad != 0) {
      throw new InvalidTokenException(Reason.MALFORMED);
    }
    return pad;
  }
}
