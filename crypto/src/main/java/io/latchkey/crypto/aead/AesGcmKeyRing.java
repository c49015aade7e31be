package io.latchkey.crypto.aead;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonValue;
import io.latchkey.ConfigException;
import io.latchkey.InvalidTokenException;
import io.latchkey.InvalidTokenException.Reason;
import io.latchkey.config.KeyList;
import io.latchkey.crypto.FollowingKeys;
import io.latchkey.crypto.aead.AesGcmFormat.Decoded;
import io.latchkey.crypto.internal.KeyFollower;
import io.latchkey.crypto.internal.KeyLists;
import io.latchkey.crypto.internal.TokenTimes;
import io.latchkey.resolver.SecretResolver;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key ring of {@linkplain AesGcmKey AES-256-GCM keys}: encrypt with the primary key, decrypt with
 * the primary or any previous key, {@linkplain #rotate(String, AssociatedData) rotate} tokens to
 * the primary key, and bind tokens to {@linkplain AssociatedData associated data} such as the row
 * they are stored in.
 *
 * <pre>{@code
 * // APP_DATA_KEY holds the current key, APP_DATA_KEY_PREVIOUS the older ones, comma-separated.
 * AesGcmKeyRing ring = AesGcmKeyRing.fromEnvironment("APP_DATA_KEY");
 * AssociatedData row = AssociatedData.forRow("credentials", "secret", id);
 * String token = ring.encrypt(plaintext, row);
 * byte[] back = ring.decrypt(token, row);
 * }</pre>
 *
 * <p>Every token carries the id of the key that made it, so decryption looks the key up in a map:
 * one AES-GCM operation per token, however many previous keys the ring holds. Tokens are {@code
 * lk.} followed by URL-safe base64 (the text form, for a database column), or the same bytes
 * without the encoding ({@link #encryptToBytes}, {@link #decryptBytes}). The format is specified,
 * with test vectors, in docs/encryption.md.
 *
 * <p>Rings are immutable and thread-safe. To replace one while other threads use it, hold it in an
 * {@link io.latchkey.SwappableKeyRing} (without associated data) or a {@link SwappableAeadKeyRing}.
 *
 * <h2>Security</h2>
 *
 * <p>Nonces are 96 random bits from a DRBG, so a key must not encrypt more than 2<sup>32</sup>
 * messages (NIST SP 800-38D, section 8.3); make a new primary key well before that (see
 * docs/encryption.md, "Nonces and the message limit"). Decryption does not count. A process logs a
 * warning once a key has made 2<sup>31</sup> tokens in it.
 *
 * <p>A token is authenticated before any plaintext is returned; a wrong key, an unknown key id, an
 * altered token and the wrong associated data are all {@link InvalidTokenException} with reason
 * {@link Reason#WRONG_KEY_OR_TAMPERED}. Time checks run only on authentic tokens. {@link
 * #toString()} lists key ids, never key material.
 *
 * @since 0.1
 */
public final class AesGcmKeyRing implements AeadKeyRing {
  private static final Logger LOG = LoggerFactory.getLogger(AesGcmKeyRing.class);

  /** The prefix of every token's text form. */
  public static final String TOKEN_PREFIX = AesGcmFormat.PREFIX;

  /** Tokens stamped up to this far in the future are accepted when a TTL is checked. */
  public static final Duration MAX_CLOCK_SKEW = TokenTimes.MAX_CLOCK_SKEW;

  /** Tokens one key makes in this process before a warning: half the limit of 2^32. */
  static final long WARN_AFTER = 1L << 31;

  // Transient so that reflective serialisers skip the keys (AesGcmKey is guarded on its own too).
  private final transient AesGcmKey[] keys;
  private final transient Map<Integer, AesGcmKey> byId;
  private final List<String> keyIds;
  private final Clock clock;
  private final SecureRandom random; // null: the per-thread default source

  private AesGcmKeyRing(List<AesGcmKey> keys, Clock clock, SecureRandom random) {
    List<AesGcmKey> unique = new ArrayList<>();
    Map<Integer, AesGcmKey> ids = new HashMap<>();
    for (AesGcmKey k : keys) {
      AesGcmKey same = ids.get(k.idValue());
      if (same == null) {
        ids.put(k.idValue(), k);
        unique.add(k);
      } else if (same.matches(k)) {
        LOG.warn("key {} appears more than once in the ring; using its first place", k.id());
      } else {
        throw new IllegalArgumentException(
            "two different keys of the ring have the key id "
                + k.id()
                + "; replace one of them with a newly generated key");
      }
    }
    this.keys = unique.toArray(new AesGcmKey[0]);
    this.byId = Map.copyOf(ids);
    this.keyIds = unique.stream().map(AesGcmKey::id).toList();
    this.clock = clock;
    this.random = random;
  }

  /**
   * Creates a ring from a primary key and any number of previous keys.
   *
   * @param primary the key that encrypts
   * @param previous older keys that still decrypt, most recent first
   * @return the ring
   * @throws IllegalArgumentException if two different keys have the same key id
   */
  public static AesGcmKeyRing of(AesGcmKey primary, AesGcmKey... previous) {
    requireNonNull(primary, "primary");
    requireNonNull(previous, "previous");
    List<AesGcmKey> all = new ArrayList<>();
    all.add(primary);
    all.addAll(Arrays.asList(previous));
    return builder().keys(all).build();
  }

  /**
   * Loads a ring from the process environment: {@code NAME} holds the primary key, {@code
   * NAME_PREVIOUS} (optional) a comma-separated list of previous keys, as for Fernet rings.
   *
   * @param name the variable holding the primary key, such as {@code APP_DATA_KEY}
   * @return the ring
   * @throws ConfigException listing every problem: {@code NAME} missing, a key of the wrong shape
   *     or length, a blank entry in {@code NAME_PREVIOUS}, two keys with one key id
   */
  public static AesGcmKeyRing fromEnvironment(String name) {
    return fromEnvironment(name, System.getenv());
  }

  /**
   * Loads a ring from the given variables, as {@link #fromEnvironment(String)} does from the
   * process environment. Whitespace around keys and list entries is ignored; an empty entry inside
   * the list is an error.
   *
   * @param name the variable holding the primary key
   * @param env the variables to read
   * @return the ring
   * @throws ConfigException listing every problem found
   */
  public static AesGcmKeyRing fromEnvironment(String name, Map<String, String> env) {
    requireNonNull(name, "name");
    requireNonNull(env, "env");
    return ofKeys(name, () -> KeyLists.fromEnvironment(name, env, Shape.INSTANCE));
  }

  /**
   * Loads a ring through a resolver and keeps it current as its source changes, as {@link
   * io.latchkey.crypto.FernetKeyRing#following(SecretResolver, String)} does for Fernet rings:
   * {@code NAME} and {@code NAME_PREVIOUS} resolved as references, or a key file in {@code NAME}.
   *
   * @param resolver the resolver, which keeps the references fresh while they are followed
   * @param name the reference of the primary key, such as {@code APP_DATA_KEY}
   * @return the ring, following its source until closed
   * @throws ConfigException listing every problem, if the ring cannot be loaded now
   * @throws io.latchkey.ProviderException if a reference cannot be resolved now
   * @since 0.2
   */
  public static FollowingKeys<AesGcmKeyRing> following(SecretResolver resolver, String name) {
    return KeyFollower.ring(resolver, name, AesGcmKeyRing::fromEnvironment, AesGcmKeyRing::keyIds);
  }

  /**
   * Creates a ring from a key list loaded by a configuration schema: its current key is the
   * primary, its previous keys follow in order.
   *
   * @param name the setting the list came from, used in errors
   * @param keys the keys
   * @return the ring
   * @throws ConfigException listing every key that is not an AES-GCM key, by setting
   */
  public static AesGcmKeyRing of(String name, KeyList keys) {
    requireNonNull(name, "name");
    requireNonNull(keys, "keys");
    return ofKeys(
        name, () -> KeyLists.fromKeyList(name, keys.current(), keys.previous(), Shape.INSTANCE));
  }

  /**
   * Reads a ring from a key file: one key per line, the primary first; blank lines, lines starting
   * with {@code #} and a leading byte-order mark are ignored.
   *
   * @param file the key file
   * @return the ring
   * @throws ConfigException naming the file and line of every bad key, or if the file holds no key
   *     or cannot be read
   */
  public static AesGcmKeyRing read(Path file) {
    requireNonNull(file, "file");
    return ofKeys(file.toString(), () -> KeyLists.read(file, Shape.INSTANCE));
  }

  private static AesGcmKeyRing ofKeys(String source, Supplier<List<AesGcmKey>> keys) {
    List<AesGcmKey> parsed = keys.get();
    try {
      return builder().keys(parsed).build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(source, e.getMessage());
    }
  }

  /**
   * Returns a builder, for rings that need an injected clock or random source.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link AesGcmKeyRing}; the first key given is the primary. */
  public static final class Builder {
    private final List<AesGcmKey> keys = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private SecureRandom random;

    private Builder() {}

    /**
     * Adds a key; the first key added is the primary.
     *
     * @param key the key
     * @return this builder
     */
    public Builder key(AesGcmKey key) {
      keys.add(requireNonNull(key, "key"));
      return this;
    }

    /**
     * Adds keys in order; the first key added overall is the primary.
     *
     * @param keys the keys
     * @return this builder
     */
    public Builder keys(List<AesGcmKey> keys) {
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
     * Sets the source of nonces, used instead of the default per-thread SP 800-90A DRBG. Tests
     * inject a deterministic source here.
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
     * @throws IllegalArgumentException if two different keys have the same key id
     */
    public AesGcmKeyRing build() {
      if (keys.isEmpty()) {
        throw new IllegalStateException("a key ring needs at least one key");
      }
      return new AesGcmKeyRing(keys, clock, random);
    }
  }

  @Override
  public String encrypt(byte[] plaintext, AssociatedData associatedData) {
    return encrypt(plaintext, clock.instant(), associatedData);
  }

  /**
   * Encrypts a plaintext with the primary key, stamped with the given time.
   *
   * @param plaintext the bytes to protect
   * @param at the time to record in the token
   * @param associatedData what the token is bound to
   * @return the token
   */
  public String encrypt(byte[] plaintext, Instant at, AssociatedData associatedData) {
    requireNonNull(at, "at");
    return AesGcmFormat.toText(seal(plaintext, at.getEpochSecond(), associatedData));
  }

  /**
   * Encrypts a plaintext with the primary key into the byte form of a token: the same bytes as the
   * text form, without the prefix and the base64.
   *
   * @param plaintext the bytes to protect
   * @param associatedData what the token is bound to
   * @return the token's bytes, 41 more than the plaintext
   */
  public byte[] encryptToBytes(byte[] plaintext, AssociatedData associatedData) {
    return seal(plaintext, clock.instant().getEpochSecond(), associatedData);
  }

  /**
   * Decrypts the byte form of a token made with any key of the ring.
   *
   * @param token the token's bytes, as {@link #encryptToBytes} made them; not modified
   * @param associatedData what the token was bound to when it was made
   * @return the plaintext
   * @throws InvalidTokenException if the token is rejected
   */
  public byte[] decryptBytes(byte[] token, AssociatedData associatedData) {
    requireNonNull(token, "token");
    requireNonNull(associatedData, "associatedData");
    return AesGcmFormat.open(keyFor(token, token.length), token, token.length, associatedData);
  }

  @Override
  public byte[] decrypt(String token, AssociatedData associatedData) {
    requireNonNull(associatedData, "associatedData");
    Decoded d = AesGcmFormat.fromText(requireNonNull(token, "token"));
    return AesGcmFormat.open(keyFor(d.raw(), d.length()), d.raw(), d.length(), associatedData);
  }

  @Override
  public byte[] decrypt(String token, Duration ttl, AssociatedData associatedData) {
    return decrypt(token, ttl, clock.instant(), associatedData);
  }

  /**
   * Decrypts a token that was at most {@code ttl} old at the given time, with the rules of {@link
   * io.latchkey.crypto.FernetKeyRing#decrypt(String, Duration, Instant)}.
   *
   * @param token the token
   * @param ttl the maximum age, at least one second
   * @param now the time to check against
   * @param associatedData what the token was bound to when it was made
   * @return the plaintext
   * @throws InvalidTokenException if the token is invalid, expired or from the future
   * @throws IllegalArgumentException if {@code ttl} is shorter than one second
   */
  public byte[] decrypt(String token, Duration ttl, Instant now, AssociatedData associatedData) {
    requireNonNull(token, "token");
    requireNonNull(now, "now");
    long ttlSeconds = TokenTimes.ttlSeconds(requireNonNull(ttl, "ttl"));
    Decoded d = AesGcmFormat.fromText(token);
    byte[] plaintext = open(d, requireNonNull(associatedData, "associatedData"));
    try {
      TokenTimes.check(AesGcmFormat.timestamp(d.raw()), ttlSeconds, now.getEpochSecond());
    } catch (InvalidTokenException e) {
      Arrays.fill(plaintext, (byte) 0);
      throw e;
    }
    return plaintext;
  }

  /**
   * Re-encrypts a token under the primary key with a fresh nonce, keeping its timestamp and its
   * associated data.
   *
   * @param token a token made with any key of the ring
   * @param associatedData what the token is bound to
   * @return the token re-encrypted under the primary key
   * @throws InvalidTokenException if the token is rejected
   */
  @Override
  public String rotate(String token, AssociatedData associatedData) {
    requireNonNull(token, "token");
    requireNonNull(associatedData, "associatedData");
    Decoded d = AesGcmFormat.fromText(token);
    byte[] plaintext = open(d, associatedData);
    try {
      return AesGcmFormat.toText(seal(plaintext, AesGcmFormat.timestamp(d.raw()), associatedData));
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  @Override
  public boolean isPrimary(String token, AssociatedData associatedData) {
    requireNonNull(token, "token");
    requireNonNull(associatedData, "associatedData");
    try {
      Decoded d = AesGcmFormat.fromText(token);
      if (AesGcmFormat.frame(d.raw(), d.length()) != null
          || AesGcmFormat.keyId(d.raw()) != keys[0].idValue()) {
        return false;
      }
      // GCM has no verify-only operation: decrypt, and wipe the plaintext at once.
      Arrays.fill(AesGcmFormat.open(keys[0], d.raw(), d.length(), associatedData), (byte) 0);
      return true;
    } catch (InvalidTokenException e) {
      return false;
    }
  }

  /**
   * Returns the time recorded in a token, after checking that a key of the ring made it with the
   * given associated data.
   *
   * @param token the token
   * @param associatedData what the token was bound to when it was made
   * @return the instant the token was made, to the second
   * @throws InvalidTokenException if the token is rejected
   */
  public Instant extractTimestamp(String token, AssociatedData associatedData) {
    requireNonNull(token, "token");
    Decoded d = AesGcmFormat.fromText(token);
    Arrays.fill(open(d, requireNonNull(associatedData, "associatedData")), (byte) 0);
    return TokenTimes.toInstant(AesGcmFormat.timestamp(d.raw()));
  }

  /**
   * Returns {@link TokenFormat#AES_GCM}.
   *
   * @return the format this ring writes
   */
  @Override
  public TokenFormat format() {
    return TokenFormat.AES_GCM;
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
  public AesGcmKey primaryKey() {
    return keys[0];
  }

  /**
   * Returns {@code AesGcmKeyRing[primary=…, previous=[…]]} with key ids only. Jackson writes the
   * same string.
   *
   * @return the description
   */
  @JsonValue
  @Override
  public String toString() {
    return "AesGcmKeyRing[primary="
        + keyIds.get(0)
        + ", previous="
        + keyIds.subList(1, keyIds.size())
        + "]";
  }

  /** Decrypts a decoded token with the key its id names, keeping its timestamp readable. */
  byte[] open(Decoded d, AssociatedData associatedData) {
    return AesGcmFormat.open(keyFor(d.raw(), d.length()), d.raw(), d.length(), associatedData);
  }

  private AesGcmKey keyFor(byte[] raw, int length) {
    Reason framing = AesGcmFormat.frame(raw, length);
    if (framing != null) {
      throw new InvalidTokenException(framing);
    }
    AesGcmKey key = byId.get(AesGcmFormat.keyId(raw));
    if (key == null) {
      // An unknown key id is reported as any other authentication failure: no oracle.
      throw new InvalidTokenException(Reason.WRONG_KEY_OR_TAMPERED);
    }
    return key;
  }

  byte[] seal(byte[] plaintext, long timestamp, AssociatedData associatedData) {
    requireNonNull(plaintext, "plaintext");
    requireNonNull(associatedData, "associatedData");
    AesGcmKey primary = keys[0];
    byte[] raw = AesGcmFormat.seal(primary, plaintext, timestamp, associatedData, null, random);
    primary.countEncryption();
    // Summing the counter costs a pass over its cells: check on one token in 65,536, picked by
    // the nonce's random bytes, which is soon enough for a warning at 2^31.
    if ((raw[AesGcmFormat.NONCE_AT] | raw[AesGcmFormat.NONCE_AT + 1]) == 0
        && primary.encryptions() >= WARN_AFTER) {
      warnOnce(primary);
    }
    return raw;
  }

  private static void warnOnce(AesGcmKey key) {
    if (key.markWarned()) {
      LOG.warn(
          "key {} has made {} tokens in this process; AES-GCM with random nonces allows 2^32 per"
              + " key: make a new primary key (see docs/encryption.md, \"Nonces and the message"
              + " limit\")",
          key.id(),
          key.encryptions());
    }
  }

  /** What a key list needs to know about AES-GCM keys. */
  private enum Shape implements KeyLists.Shape<AesGcmKey> {
    INSTANCE;

    @Override
    public String problemWith(CharSequence key) {
      return AesGcmKey.problemWith(key);
    }

    @Override
    public AesGcmKey parse(CharSequence key, String source) {
      return AesGcmKey.parse(key, source);
    }

    @Override
    public String expected() {
      return AesGcmKey.EXPECTED;
    }

    @Override
    public String noun() {
      return "AES-GCM key";
    }

    @Override
    public String keygen() {
      return "'latchkey keygen --format aes-gcm'";
    }
  }
}
