package io.latchkey.crypto.aead;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.latchkey.ConfigException;
import io.latchkey.InvalidTokenException;
import io.latchkey.InvalidTokenException.Reason;
import io.latchkey.config.KeyList;
import io.latchkey.crypto.FollowingKeys;
import io.latchkey.crypto.aead.AesGcmFormat.Decoded;
import io.latchkey.crypto.aead.AesGcmFormat.Opened;
import io.latchkey.crypto.internal.KeyFollower;
import io.latchkey.crypto.internal.KeyLists;
import io.latchkey.crypto.internal.TokenTimes;
import io.latchkey.internal.SettingNames;
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
import java.util.OptionalLong;
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
 * <p>A ring writes the untimed layout unless it is built with {@link Builder#timestamps(boolean)
 * timestamps(true)} (or copied with {@link #withTimestamps(boolean)}): tokens then record the time
 * they were made, for {@link #decrypt(String, Duration, AssociatedData) time-to-live} checks, at a
 * cost of 8 bytes and some speed per token. Every ring reads both layouts. The factories ({@link
 * #of(AesGcmKey, AesGcmKey...) of}, {@link #fromEnvironment(String) fromEnvironment}, {@link
 * #read(Path) read}, {@link #following(SecretResolver, String) following}) build untimed rings.
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

  // Transient so that reflective serialisers skip the keys (AesGcmKey is guarded on its own too).
  private final transient AesGcmKey[] keys;
  // The keys by id, open-addressed over an int array: the id is read from every token decrypted,
  // and a Map<Integer, …> would box it on that path. The ids are random 32-bit values.
  private final transient int[] slotIds;
  private final transient AesGcmKey[] slotKeys;
  private final List<String> keyIds;
  private final Clock clock;
  private final SecureRandom random; // null: the per-thread default source
  private final boolean timestamps;

  private AesGcmKeyRing(
      List<AesGcmKey> keys, Clock clock, SecureRandom random, boolean timestamps) {
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
    // At most half full, so that a probe ends within a few slots.
    int size = Integer.highestOneBit(Math.max(1, unique.size()) * 2 - 1) << 1;
    this.slotIds = new int[size];
    this.slotKeys = new AesGcmKey[size];
    for (AesGcmKey k : unique) {
      int i = slot(k.idValue());
      while (slotKeys[i] != null) {
        i = (i + 1) & (size - 1);
      }
      slotIds[i] = k.idValue();
      slotKeys[i] = k;
    }
    this.keyIds = unique.stream().map(AesGcmKey::id).toList();
    this.clock = clock;
    this.random = random;
    this.timestamps = timestamps;
  }

  /**
   * Creates a ring from a primary key and any number of previous keys; it writes the untimed
   * layout.
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
   * NAME_PREVIOUS} (optional) a comma-separated list of previous keys, as for Fernet rings. The
   * ring writes the untimed layout; {@link #withTimestamps(boolean) withTimestamps(true)} gives one
   * that records times.
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
   * process environment. Whitespace around keys and list entries is ignored, as is a byte-order
   * mark at the start of a variable (a mounted file that an editor wrote); an empty entry inside
   * the list is an error.
   *
   * @param name the variable holding the primary key
   * @param env the variables to read
   * @return the ring
   * @throws ConfigException listing every problem found; where {@code NAME} is not set and the
   *     {@code name} given looks like a key rather than a variable's name, the problem does not
   *     show it
   */
  public static AesGcmKeyRing fromEnvironment(String name, Map<String, String> env) {
    requireNonNull(name, "name");
    requireNonNull(env, "env");
    return AesGcmKeyShape.ring(
        name, () -> KeyLists.fromEnvironment(name, env, AesGcmKeyShape.INSTANCE));
  }

  /**
   * Loads a ring through a resolver and keeps it current as its source changes, as {@link
   * io.latchkey.crypto.FernetKeyRing#following(SecretResolver, String)} does for Fernet rings:
   * {@code NAME} and {@code NAME_PREVIOUS} resolved as references, or a key file in {@code NAME}.
   * Its rings write the untimed layout.
   *
   * @param resolver the resolver, which keeps the references fresh while they are followed
   * @param name the reference of the primary key, such as {@code APP_DATA_KEY}
   * @return the ring, following its source until closed
   * @throws ConfigException listing every problem, if the ring cannot be loaded now; or, before
   *     anything is resolved, if the {@code name} given looks like a key rather than a variable's
   *     name (a name that random is refused even when set, since every problem and log line of a
   *     followed source names it); the problem does not show it
   * @throws io.latchkey.ProviderException if a reference cannot be resolved now
   * @since 0.2
   */
  public static FollowingKeys<AesGcmKeyRing> following(SecretResolver resolver, String name) {
    return KeyFollower.ring(
        resolver,
        name,
        AesGcmKeyRing::fromEnvironment,
        AesGcmKeyRing::keyIds,
        AesGcmKeyRing::holdsPrimaryOf);
  }

  /**
   * Tells whether a ring holds the very key that is another's primary, compared by its bytes: a
   * different key may share its 32-bit identifier.
   */
  static boolean holdsPrimaryOf(AesGcmKeyRing ring, AesGcmKeyRing other) {
    AesGcmKey primary = other.keys[0];
    boolean found = false;
    for (AesGcmKey key : ring.keys) {
      found |= key.matches(primary);
    }
    return found;
  }

  /**
   * Creates a ring from a key list loaded by a configuration schema: its current key is the
   * primary, its previous keys follow in order. The ring writes the untimed layout.
   *
   * @param name the setting the list came from, used in errors; one that looks like a key is
   *     reported as "the setting name given" instead, not shown
   * @param keys the keys
   * @return the ring
   * @throws ConfigException listing every key that is not an AES-GCM key, by setting
   */
  public static AesGcmKeyRing of(String name, KeyList keys) {
    requireNonNull(name, "name");
    requireNonNull(keys, "keys");
    String shown = SettingNames.shown(name);
    return AesGcmKeyShape.ring(
        shown,
        () ->
            KeyLists.fromKeyList(shown, keys.current(), keys.previous(), AesGcmKeyShape.INSTANCE));
  }

  /**
   * Reads a ring from a key file: one key per line, the primary first; blank lines, lines starting
   * with {@code #} and a leading byte-order mark are ignored. The ring writes the untimed layout.
   *
   * @param file the key file
   * @return the ring
   * @throws ConfigException naming the file and line of every bad key, or if the file holds no key
   *     or cannot be read
   */
  public static AesGcmKeyRing read(Path file) {
    requireNonNull(file, "file");
    return AesGcmKeyShape.ring(file.toString(), () -> KeyLists.read(file, AesGcmKeyShape.INSTANCE));
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
    private boolean timestamps;

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
     * Sets whether the ring's tokens record the time they were made (the timed layout, {@code
     * 0x01}) or not (the untimed layout, {@code 0x02}, the default).
     *
     * <p>Want timestamps when tokens are checked with a time-to-live ({@link
     * AesGcmKeyRing#decrypt(String, Duration, AssociatedData)}), which rejects an untimed token as
     * expired, or when the tokens must say when they were made, as Fernet tokens do. They cost 8
     * bytes per token and, on the JDK, one more call to authenticate the header, which shows in the
     * time to encrypt or decrypt a short value. Values stored at rest rarely need them.
     *
     * @param timestamps {@code true} to write the timed layout
     * @return this builder
     * @since 0.2
     */
    public Builder timestamps(boolean timestamps) {
      this.timestamps = timestamps;
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
      return new AesGcmKeyRing(keys, clock, random, timestamps);
    }
  }

  /**
   * Returns a ring with the same keys, clock and nonce source that writes the timed layout, or the
   * untimed one; see {@link Builder#timestamps(boolean)}. For a ring loaded by a factory: {@code
   * AesGcmKeyRing.fromEnvironment("APP_DATA_KEY").withTimestamps(true)}.
   *
   * @param timestamps {@code true} for a ring whose tokens record the time they were made
   * @return this ring if it already writes that layout, else a copy
   * @since 0.2
   */
  public AesGcmKeyRing withTimestamps(boolean timestamps) {
    return timestamps == this.timestamps
        ? this
        : new AesGcmKeyRing(Arrays.asList(keys), clock, random, timestamps);
  }

  /**
   * Encrypts a plaintext with the primary key, bound to the given associated data, in the ring's
   * layout: untimed, or stamped with the ring clock's time if the ring was built with {@link
   * Builder#timestamps(boolean) timestamps(true)}.
   *
   * @param plaintext the bytes to protect; not modified
   * @param associatedData what the token is bound to; {@link AssociatedData#empty()} for nothing
   * @return the token, printable ASCII
   */
  @Override
  public String encrypt(byte[] plaintext, AssociatedData associatedData) {
    return AesGcmFormat.toText(seal(plaintext, associatedData));
  }

  /**
   * Encrypts a plaintext with the primary key into a timed token stamped with the given time,
   * whatever the ring's layout.
   *
   * @param plaintext the bytes to protect
   * @param at the time to record in the token
   * @param associatedData what the token is bound to
   * @return the token
   */
  public String encrypt(byte[] plaintext, Instant at, AssociatedData associatedData) {
    requireNonNull(at, "at");
    return AesGcmFormat.toText(sealTimed(plaintext, at.getEpochSecond(), associatedData));
  }

  /**
   * Encrypts a plaintext with the primary key into the byte form of a token: the same bytes as the
   * text form, without the prefix and the base64, in the ring's layout.
   *
   * @param plaintext the bytes to protect
   * @param associatedData what the token is bound to
   * @return the token's bytes, 33 more than the plaintext (41 for a ring that writes timestamps)
   */
  public byte[] encryptToBytes(byte[] plaintext, AssociatedData associatedData) {
    return seal(plaintext, associatedData);
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
    return open(token, token.length, associatedData);
  }

  @Override
  public byte[] decrypt(String token, AssociatedData associatedData) {
    requireNonNull(associatedData, "associatedData");
    Decoded d = AesGcmFormat.fromText(requireNonNull(token, "token"));
    return open(d.raw(), d.length(), associatedData);
  }

  @Override
  public byte[] decrypt(String token, Duration ttl, AssociatedData associatedData) {
    return decrypt(token, ttl, clock.instant(), associatedData);
  }

  /**
   * Decrypts a timed token that was at most {@code ttl} old at the given time, with the rules of
   * {@link io.latchkey.crypto.FernetKeyRing#decrypt(String, Duration, Instant)}. An authentic
   * untimed token is rejected as {@link Reason#EXPIRED}: it cannot show its age.
   *
   * @param token the token
   * @param ttl the maximum age, at least one second
   * @param now the time to check against
   * @param associatedData what the token was bound to when it was made
   * @return the plaintext
   * @throws InvalidTokenException if the token is invalid, expired, untimed or from the future
   * @throws IllegalArgumentException if {@code ttl} is shorter than one second
   */
  public byte[] decrypt(String token, Duration ttl, Instant now, AssociatedData associatedData) {
    requireNonNull(token, "token");
    requireNonNull(now, "now");
    long ttlSeconds = TokenTimes.ttlSeconds(requireNonNull(ttl, "ttl"));
    Decoded d = AesGcmFormat.fromText(token);
    byte[] plaintext = open(d, requireNonNull(associatedData, "associatedData"));
    try {
      if (!AesGcmFormat.isTimed(d.raw())) {
        // Fails closed: a token that records no time cannot be shown to be young enough.
        throw new InvalidTokenException(Reason.EXPIRED);
      }
      TokenTimes.check(AesGcmFormat.timestamp(d.raw()), ttlSeconds, now.getEpochSecond());
    } catch (InvalidTokenException e) {
      Arrays.fill(plaintext, (byte) 0);
      throw e;
    }
    return plaintext;
  }

  /**
   * Re-encrypts a token under the primary key with a fresh nonce, keeping its associated data, in
   * the ring's layout: a ring that writes timestamps keeps the token's (or stamps the current time
   * on an untimed token); any other ring writes an untimed token.
   *
   * @param token a token made with any key of the ring
   * @param associatedData what the token is bound to
   * @return the token re-encrypted under the primary key
   * @throws InvalidTokenException if the token is rejected
   */
  @Override
  public String rotate(String token, AssociatedData associatedData) {
    Opened opened = openText(token, associatedData);
    try {
      return reseal(opened.plaintext(), opened.timestamp(), associatedData);
    } finally {
      Arrays.fill(opened.plaintext(), (byte) 0);
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
   * Returns the time recorded in a timed token, after checking that a key of the ring made it with
   * the given associated data.
   *
   * @param token the token
   * @param associatedData what the token was bound to when it was made
   * @return the instant the token was made, to the second
   * @throws InvalidTokenException if the token is rejected
   * @throws IllegalArgumentException if the token is authentic but untimed: its layout records no
   *     time
   */
  public Instant extractTimestamp(String token, AssociatedData associatedData) {
    Opened opened = openText(token, associatedData);
    Arrays.fill(opened.plaintext(), (byte) 0);
    return opened
        .madeAt()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "the token has no timestamp: it is in the untimed AES-GCM layout (0x02);"
                        + " a ring built with timestamps(true) writes timed tokens"));
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
        + (timestamps ? ", timestamps]" : "]");
  }

  /**
   * What Jackson calls to read a {@code AesGcmKeyRing}: it refuses, without quoting what it was
   * given. Without a creator, Jackson's own refusal quotes the JSON string, which would be a key.
   * It takes an {@code Object}, not a {@code String}: Jackson would also use a {@code String}
   * factory for map keys, and quote the key in the failure.
   */
  @JsonCreator
  @SuppressWarnings("unused")
  private static AesGcmKeyRing fromJson(Object ignored) {
    throw new IllegalArgumentException(
        "io.latchkey.crypto.aead.AesGcmKeyRing is not read from JSON, which would hold a key;"
            + " load keys from the environment, a file or a secret provider");
  }

  /** Tells whether this ring writes the timed layout. */
  boolean writesTimestamps() {
    return timestamps;
  }

  /** Decrypts a token's text form, keeping the time it records. */
  Opened openText(String token, AssociatedData associatedData) {
    requireNonNull(token, "token");
    requireNonNull(associatedData, "associatedData");
    Decoded d = AesGcmFormat.fromText(token);
    byte[] plaintext = open(d, associatedData);
    return new Opened(
        plaintext,
        AesGcmFormat.isTimed(d.raw())
            ? OptionalLong.of(AesGcmFormat.timestamp(d.raw()))
            : OptionalLong.empty());
  }

  /**
   * Encrypts a plaintext whose token recorded {@code timestamp} (if any) in the ring's layout: a
   * ring that writes timestamps keeps it exactly, or stamps the current time; any other drops it.
   */
  String reseal(byte[] plaintext, OptionalLong timestamp, AssociatedData associatedData) {
    if (!timestamps) {
      return AesGcmFormat.toText(seal(plaintext, associatedData));
    }
    long at = timestamp.orElseGet(() -> clock.instant().getEpochSecond());
    return AesGcmFormat.toText(sealTimed(plaintext, at, associatedData));
  }

  /** Decrypts a decoded token with the key its id names, keeping its timestamp readable. */
  byte[] open(Decoded d, AssociatedData associatedData) {
    return open(d.raw(), d.length(), associatedData);
  }

  private byte[] open(byte[] raw, int length, AssociatedData associatedData) {
    Reason framing = AesGcmFormat.frame(raw, length);
    if (framing != null) {
      throw new InvalidTokenException(framing);
    }
    AesGcmKey key = keyFor(AesGcmFormat.keyId(raw));
    if (key == null) {
      throw unknownKeyId(raw, length, associatedData);
    }
    return AesGcmFormat.open(key, raw, length, associatedData);
  }

  /** The key of the ring with this id, or {@code null}. */
  private AesGcmKey keyFor(int id) {
    for (int i = slot(id); slotKeys[i] != null; i = (i + 1) & (slotKeys.length - 1)) {
      if (slotIds[i] == id) {
        return slotKeys[i];
      }
    }
    return null;
  }

  /**
   * The rejection of a token whose key id no key of the ring has, as any other authentication
   * failure, made only after an AES-GCM decryption of it under a throw-away key: a rejection that
   * skipped the cipher would be quicker than a wrong tag, and tell an unknown id from a tampered
   * token by its time alone. What that decryption gives is discarded.
   */
  private static InvalidTokenException unknownKeyId(
      byte[] raw, int length, AssociatedData associatedData) {
    try {
      Arrays.fill(AesGcmFormat.open(Decoy.KEY, raw, length, associatedData), (byte) 0);
    } catch (InvalidTokenException expected) {
      // The usual outcome; the token is rejected either way.
    }
    return new InvalidTokenException(Reason.WRONG_KEY_OR_TAMPERED);
  }

  /** Made on the first unknown key id only. */
  private static final class Decoy {
    // Fixed and public: it protects nothing, and whatever it decrypts is thrown away.
    static final AesGcmKey KEY = AesGcmKey.of(new byte[AesGcmKey.KEY_BYTES]);
  }

  /** The first slot to probe for a key id. */
  private int slot(int id) {
    // Ids are random, but a hand-made ring may hold neighbours: mix before masking.
    int h = id * 0x9E3779B9;
    return (h ^ (h >>> 16)) & (slotKeys.length - 1);
  }

  /** Encrypts in the ring's layout; the untimed layout reads no clock. */
  private byte[] seal(byte[] plaintext, AssociatedData associatedData) {
    if (timestamps) {
      return sealTimed(plaintext, clock.instant().getEpochSecond(), associatedData);
    }
    requireNonNull(plaintext, "plaintext");
    requireNonNull(associatedData, "associatedData");
    return AesGcmFormat.sealUntimed(keys[0], plaintext, associatedData, null, random);
  }

  private byte[] sealTimed(byte[] plaintext, long timestamp, AssociatedData associatedData) {
    requireNonNull(plaintext, "plaintext");
    requireNonNull(associatedData, "associatedData");
    return AesGcmFormat.sealTimed(keys[0], plaintext, timestamp, associatedData, null, random);
  }
}
