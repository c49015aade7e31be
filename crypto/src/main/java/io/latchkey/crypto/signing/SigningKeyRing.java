package io.latchkey.crypto.signing;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.Secret;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.crypto.FollowingKeys;
import io.latchkey.crypto.internal.DefaultRandom;
import io.latchkey.crypto.internal.EnvironmentKeys;
import io.latchkey.crypto.internal.KeyFollower;
import io.latchkey.resolver.SecretResolver;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ring of HMAC-SHA256 signing keys (the keys of JWT's {@code HS256}): signs with the current key
 * and verifies with the current or any previous key, so that a signing key can be rotated without
 * signing everyone out.
 *
 * <p>The rotation procedure: generate a key ({@link #generateKey()}, or {@code openssl rand -base64
 * 32}); make it current and move the old one to {@code NAME_PREVIOUS}; restart. Tokens signed with
 * the old key keep verifying while new ones are signed with the new key. Once the longest-lived old
 * token has expired, remove the old key: its signatures are rejected from then on.
 *
 * <pre>{@code
 * // SESSION_KEY holds the current key, SESSION_KEY_PREVIOUS the older ones, comma-separated.
 * SigningKeyRing ring = SigningKeyRing.fromEnvironment("SESSION_KEY");
 * byte[] signature = ring.sign(payload);
 * boolean authentic = ring.verify(payload, signature);
 * }</pre>
 *
 * <p>The ring is not a JWT library. To use it with one, sign with {@link #signingKey()} and put
 * {@link #currentKeyId()} in the token's {@code kid} header; to verify, resolve the header's {@code
 * kid} with {@link #verificationKey(String)} in the library's key-resolution hook (jjwt's {@code
 * keyLocator}, Nimbus's {@code JWSKeySelector}, Auth0's {@code KeyProvider}).
 *
 * <p>Each key has a {@linkplain #keyIds() key identifier}: the first four bytes, in hex, of SHA-256
 * over {@code "latchkey-signing-key-id:"} followed by the key bytes. It tells keys apart in token
 * headers and logs and reveals nothing usable about the key; the prefix keeps it different from the
 * {@linkplain FernetKey#id() Fernet identifier} of the same bytes.
 *
 * <p>Rings are immutable and thread-safe. Each thread keeps its own initialised {@link Mac} per
 * key, so signing and verifying never look up or re-key a {@code Mac}.
 *
 * <h2>Security</h2>
 *
 * <p>A key is the UTF-8 bytes of a secret string, as JWT libraries use {@code HS256} secrets, and
 * must be at least 32 bytes long (RFC 7518 section 3.2: an {@code HS256} key must be at least 256
 * bits). Length is all that can be checked: a 32-character password is not a 256-bit key, so use
 * random keys. A key read from a variable or a key file must not start with {@code #} nor hold a
 * comma, so that it can be moved to a key file or to {@code NAME_PREVIOUS} unchanged; {@link
 * #of(Secret, Secret...)} takes any bytes. Signatures are compared with {@link
 * MessageDigest#isEqual(byte[], byte[])}, in time that does not depend on where they differ. {@link
 * #toString()} lists key identifiers only, and errors name the setting and the key's length, never
 * its content. The {@link SecretKey} objects handed to JWT libraries do hold key material ({@link
 * SecretKey#getEncoded()} returns it); they print only their identifier, Jackson writes that same
 * text instead of {@code getEncoded()}, and they refuse Java serialisation, but keep them out of
 * logs and responses all the same.
 *
 * @since 0.1
 */
public final class SigningKeyRing {
  private static final Logger LOG = LoggerFactory.getLogger(SigningKeyRing.class);

  /** The JCA name of the MAC and of the keys' algorithm: {@value}. */
  public static final String ALGORITHM = "HmacSHA256";

  /** The shortest key accepted, in bytes (256 bits, RFC 7518 section 3.2). */
  public static final int MIN_KEY_BYTES = 32;

  /** The length of a signature, in bytes. */
  public static final int SIGNATURE_BYTES = 32;

  private static final byte[] KEY_ID_DOMAIN =
      "latchkey-signing-key-id:".getBytes(StandardCharsets.US_ASCII);
  private static final int GENERATED_KEY_BYTES = 32;
  private static final String EXPECTED =
      "expected a random secret of at least "
          + MIN_KEY_BYTES
          + " bytes, such as one printed by 'openssl rand -base64 32'";

  // Transient so that reflective serialisers skip the keys (RingKey is guarded on its own too).
  private final transient RingKey[] keys;
  private final List<String> keyIds;
  private final transient List<SecretKey> verificationKeys;
  private final transient Map<String, RingKey> byId;

  private SigningKeyRing(List<RingKey> keys) {
    this.keys = keys.toArray(new RingKey[0]);
    this.keyIds = keys.stream().map(RingKey::id).toList();
    this.verificationKeys = List.copyOf(keys);
    Map<String, RingKey> ids = new LinkedHashMap<>();
    keys.forEach(k -> ids.put(k.id(), k));
    this.byId = Map.copyOf(ids);
  }

  /**
   * Creates a ring from a current key and any number of previous keys; each key's bytes are used
   * exactly as given.
   *
   * @param current the key that signs
   * @param previous older keys that still verify, most recent first
   * @return the ring
   * @throws ConfigException listing every key shorter than {@value #MIN_KEY_BYTES} bytes (as {@code
   *     current key} or {@code previous key N}), by length only
   * @throws IllegalStateException if a secret has been wiped
   */
  public static SigningKeyRing of(Secret current, Secret... previous) {
    requireNonNull(current, "current");
    requireNonNull(previous, "previous");
    List<Candidate> candidates = new ArrayList<>();
    candidates.add(Candidate.of("current key", current.revealBytes()));
    try {
      for (int i = 0; i < previous.length; i++) {
        requireNonNull(previous[i], "previous key");
        candidates.add(Candidate.of("previous key " + (i + 1), previous[i].revealBytes()));
      }
    } catch (RuntimeException e) {
      // A null or wiped key further on: clear the copies already taken before giving up.
      candidates.forEach(c -> Arrays.fill(c.key(), (byte) 0));
      throw e;
    }
    // Bytes, which may be anything: a key given as bytes is not written as text by a rotation.
    return build(candidates, false);
  }

  /**
   * Loads a ring from the process environment: {@code NAME} holds the current key, {@code
   * NAME_PREVIOUS} (optional) a comma-separated list of previous keys.
   *
   * @param name the variable holding the current key, such as {@code SESSION_SIGNING_KEY}
   * @return the ring
   * @throws ConfigException listing every problem: {@code NAME} missing, a key that is too short,
   *     starts with {@code #} or holds a comma, a blank entry in {@code NAME_PREVIOUS}
   */
  public static SigningKeyRing fromEnvironment(String name) {
    return fromEnvironment(name, System.getenv());
  }

  /**
   * Loads a ring from the given variables, as {@link #fromEnvironment(String)} does from the
   * process environment.
   *
   * <p>The conventions are those of {@link FernetKeyRing#fromEnvironment(String, Map)}: whitespace
   * around keys and list entries is ignored, an empty or blank {@code NAME_PREVIOUS} means no
   * previous keys, and an empty entry inside a list ({@code a,,b} or a trailing comma) is an error.
   * A byte-order mark at the start of a variable (a mounted file that an editor wrote) is dropped.
   * A key is the UTF-8 bytes of the stripped string.
   *
   * <p>A current key that holds a comma is refused, though {@code NAME} alone could hold it: moved
   * to {@code NAME_PREVIOUS} in a rotation it would be split in two, and every token it signed
   * rejected. So is a key that starts with {@code #}, which a key file reads as a comment.
   *
   * @param name the variable holding the current key
   * @param env the variables to read
   * @return the ring
   * @throws ConfigException listing every problem found, each naming the variable or list entry
   *     and, for a short key, its length; never a key. Where {@code NAME} is not set and the {@code
   *     name} given looks like a key rather than a variable's name, the problem does not show it
   */
  public static SigningKeyRing fromEnvironment(String name, Map<String, String> env) {
    requireNonNull(name, "name");
    requireNonNull(env, "env");
    List<Candidate> candidates = new ArrayList<>();
    List<EnvironmentKeys.Entry> entries = EnvironmentKeys.entries(name, env);
    for (int i = 0; i < entries.size(); i++) {
      EnvironmentKeys.Entry entry = entries.get(i);
      String value = entry.value().strip();
      if (value.isEmpty()) {
        candidates.add(
            Candidate.invalid(
                entry.source(), i == 0 ? "is not set; " + EXPECTED : EnvironmentKeys.BLANK_ENTRY));
      } else {
        candidates.add(Candidate.of(entry.source(), value.getBytes(StandardCharsets.UTF_8)));
      }
    }
    return build(candidates, true);
  }

  /**
   * Loads a ring through a resolver and keeps it current as its source changes, as {@link
   * FernetKeyRing#following(SecretResolver, String)} does for Fernet rings: {@code NAME} and {@code
   * NAME_PREVIOUS} resolved as references, or a key file in {@code NAME}. A change that drops the
   * current signing key is refused, and so is one that replaces it with a different key of the same
   * identifier: tokens it signed would stop verifying at once.
   *
   * <p>In a key file a line starting with {@code #} is a comment, unless {@code #} is followed by
   * {@value #MIN_KEY_BYTES} bytes or more without a space, containing a letter or digit: such a
   * line reads as a key (a key that starts with {@code #}, or a retired key commented out), and the
   * file is refused rather than the line skipped, since skipping it would make the next key
   * current. A line that holds a comma is refused too.
   *
   * @param resolver the resolver, which keeps the references fresh while they are followed
   * @param name the reference of the current key, such as {@code SESSION_SIGNING_KEY}
   * @return the ring, following its source until closed
   * @throws ConfigException listing every problem, if the ring cannot be loaded now; or, before
   *     anything is resolved, if the {@code name} given looks like a key rather than a variable's
   *     name (a name that random is refused even when set, since every problem and log line of a
   *     followed source names it); the problem does not show it
   * @throws io.latchkey.ProviderException if a reference cannot be resolved now
   * @since 0.2
   */
  public static FollowingKeys<SigningKeyRing> following(SecretResolver resolver, String name) {
    return KeyFollower.ring(
        resolver,
        name,
        SigningKeyRing::fromEnvironment,
        SigningKeyRing::keyIds,
        SigningKeyRing::holdsCurrentOf,
        SigningKeyRing::commentProblem);
  }

  /**
   * Generates a new random signing key: 32 bytes from the JDK's SP 800-90A DRBG at 256-bit strength
   * with prediction resistance (fresh operating-system entropy for every key), written as 43
   * characters of URL-safe base64 without padding (whose UTF-8 bytes are the key).
   *
   * @return a new key, ready to be stored in {@code NAME}
   */
  public static Secret generateKey() {
    return generateKey(DefaultRandom.forKeys());
  }

  /**
   * Generates a new random signing key from the given random source.
   *
   * @param random a cryptographically strong random source
   * @return a new key of 43 URL-safe base64 characters
   */
  public static Secret generateKey(SecureRandom random) {
    requireNonNull(random, "random");
    byte[] raw = new byte[GENERATED_KEY_BYTES];
    random.nextBytes(raw);
    byte[] text = Base64.getUrlEncoder().withoutPadding().encode(raw);
    try {
      return Secret.ofBytes(text);
    } finally {
      Arrays.fill(raw, (byte) 0);
      Arrays.fill(text, (byte) 0);
    }
  }

  /**
   * A key as given, with the setting it came from, or the problem found before it could be read
   * (such as a blank entry); the bytes are cleared once used.
   */
  private record Candidate(String source, byte[] key, String problem) {
    static Candidate of(String source, byte[] key) {
      return new Candidate(source, key, null);
    }

    static Candidate invalid(String source, String problem) {
      return new Candidate(source, new byte[0], problem);
    }

    /** Returns {@code Candidate[source=…]}; never the key. */
    @Override
    public String toString() {
      return "Candidate[source=" + source + "]";
    }
  }

  /**
   * Builds the ring, or throws listing every problem in the order of the settings; {@code text} for
   * keys read as text (variables, key files), which a rotation moves as text too.
   */
  private static SigningKeyRing build(List<Candidate> candidates, boolean text) {
    List<Problem> problems = new ArrayList<>();
    List<RingKey> keys = new ArrayList<>();
    List<String> keySources = new ArrayList<>();
    try {
      for (Candidate c : candidates) {
        if (c.problem() != null) {
          problems.add(new Problem(c.source(), c.problem()));
          continue;
        }
        if (c.key().length < MIN_KEY_BYTES) {
          problems.add(new Problem(c.source(), tooShort(c.key().length)));
          continue;
        }
        String unmovable = text ? unmovable(c.key()) : null;
        if (unmovable != null) {
          problems.add(new Problem(c.source(), unmovable));
          continue;
        }
        String id = keyId(c.key());
        int same = keyIds(keys).indexOf(id);
        if (same < 0) {
          keys.add(new RingKey(id, c.key()));
          keySources.add(c.source());
        } else if (keys.get(same).matches(c.key())) {
          LOG.warn("signing key {} appears more than once in the ring; using its first place", id);
        } else {
          // Two different keys with one 32-bit identifier: a kid could not tell them apart.
          problems.add(
              new Problem(
                  c.source(),
                  "has the same key id as "
                      + keySources.get(same)
                      + " but is a different key; generate another key"));
        }
      }
    } finally {
      candidates.forEach(c -> Arrays.fill(c.key(), (byte) 0));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new SigningKeyRing(keys);
  }

  /**
   * Says why a key could not be moved where a rotation moves it, or returns null. A key that starts
   * with {@code #} reads as a comment in a key file; one that holds a comma is split in two by
   * {@code NAME_PREVIOUS}. Either would load as the current key and then, once rotated, silently
   * stop verifying what it signed.
   */
  private static String unmovable(byte[] key) {
    if (key[0] == '#') {
      return "starts with '#', which a key file reads as the start of a comment, so the key could"
          + " not be kept in one; "
          + EXPECTED;
    }
    for (byte b : key) {
      if (b == ',') {
        return "holds a comma, which separates the keys of NAME_PREVIOUS, so the key could not"
            + " be moved there in a rotation; "
            + EXPECTED;
      }
    }
    return null;
  }

  /**
   * Says what is wrong with a line of a key file that starts with {@code #}, or returns null for a
   * comment. A signing key is any text of {@value #MIN_KEY_BYTES} bytes or more, so {@code #}
   * followed by that much text without a space is read as a key that starts with {@code #} (or a
   * retired key left commented out), never skipped: skipping it would make the next key current.
   */
  private static String commentProblem(String line) {
    String rest = line.substring(1);
    boolean letterOrDigit = false;
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (Character.isWhitespace(c)) {
        return null;
      }
      letterOrDigit |= Character.isLetterOrDigit(c);
    }
    if (!letterOrDigit || rest.getBytes(StandardCharsets.UTF_8).length < MIN_KEY_BYTES) {
      return null;
    }
    return "starts with '#' but reads as a key, not a comment: a signing key must not start with"
        + " '#'; write a comment with a space after '#', and delete a retired key rather than"
        + " commenting it out";
  }

  /**
   * Tells whether a ring holds the very key that is another's current key, compared by its bytes: a
   * different key may share its 32-bit identifier.
   */
  private static boolean holdsCurrentOf(SigningKeyRing ring, SigningKeyRing other) {
    RingKey current = other.keys[0];
    RingKey same = ring.byId.get(current.id());
    if (same == null) {
      return false;
    }
    byte[] key = current.getEncoded();
    try {
      return same.matches(key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static String tooShort(int length) {
    return "is "
        + length
        + (length == 1 ? " byte" : " bytes")
        + " long; an HS256 signing key needs at least "
        + MIN_KEY_BYTES
        + " bytes (256 bits, RFC 7518 section 3.2); "
        + EXPECTED;
  }

  private static List<String> keyIds(List<RingKey> keys) {
    return keys.stream().map(RingKey::id).toList();
  }

  static String keyId(byte[] key) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(KEY_ID_DOMAIN);
      byte[] digest = sha256.digest(key);
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  /**
   * Returns the identifier of the current key, to put in a token's {@code kid} header.
   *
   * @return eight lower-case hex digits
   */
  public String currentKeyId() {
    return keyIds.get(0);
  }

  /**
   * Returns the identifiers of every key in the ring, the current first, then the previous keys in
   * the order they were given (a key given twice keeps its first place).
   *
   * @return an unmodifiable list with at least one element
   */
  public List<String> keyIds() {
    return keyIds;
  }

  /**
   * Signs data with the current key.
   *
   * @param data the bytes to sign; not modified
   * @return the HMAC-SHA256 of {@code data}, {@value #SIGNATURE_BYTES} bytes
   */
  public byte[] sign(byte[] data) {
    requireNonNull(data, "data");
    return keys[0].mac().doFinal(data);
  }

  /**
   * Tells whether a signature over data was made by any key of the ring.
   *
   * @param data the signed bytes
   * @param signature the signature to check
   * @return {@code true} if the current or a previous key made {@code signature}
   */
  public boolean verify(byte[] data, byte[] signature) {
    return verifyingKeyId(data, signature).isPresent();
  }

  /**
   * Tells whether a signature over data was made by any key of the ring, trying first the key with
   * the given identifier (a token's {@code kid}).
   *
   * <p>The identifier only chooses the order: an unknown or wrong identifier costs one HMAC per
   * key, never a false rejection, and never lets anything but a key of the ring verify.
   *
   * @param data the signed bytes
   * @param signature the signature to check
   * @param keyId the identifier of the key that probably made it
   * @return {@code true} if the current or a previous key made {@code signature}
   */
  public boolean verify(byte[] data, byte[] signature, String keyId) {
    requireNonNull(data, "data");
    requireNonNull(signature, "signature");
    requireNonNull(keyId, "keyId");
    RingKey hinted = byId.get(keyId);
    if (hinted != null && verifies(hinted, data, signature)) {
      return true;
    }
    for (RingKey key : keys) {
      if (key != hinted && verifies(key, data, signature)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the identifier of the key that made a signature, so that a caller can tell a signature
   * by a previous key (and re-issue the token) from one by the current key.
   *
   * @param data the signed bytes
   * @param signature the signature to check
   * @return the identifier of the key that verifies {@code signature}, or empty if none does
   */
  public Optional<String> verifyingKeyId(byte[] data, byte[] signature) {
    requireNonNull(data, "data");
    requireNonNull(signature, "signature");
    for (RingKey key : keys) {
      if (verifies(key, data, signature)) {
        return Optional.of(key.id());
      }
    }
    return Optional.empty();
  }

  private static boolean verifies(RingKey key, byte[] data, byte[] signature) {
    if (signature.length != SIGNATURE_BYTES) {
      return false;
    }
    byte[] expected = key.mac().doFinal(data);
    return MessageDigest.isEqual(expected, signature);
  }

  /**
   * Returns the current key as a JCA key for a JWT library to sign with ({@code
   * signWith(ring.signingKey())}); its algorithm is {@value #ALGORITHM}.
   *
   * <p>The key holds key material: {@link SecretKey#getEncoded()} returns a copy of it. Its {@code
   * toString()} shows only its identifier, and it cannot be serialised or destroyed.
   *
   * @return the current key
   */
  public SecretKey signingKey() {
    return keys[0];
  }

  /**
   * Returns the key with the given identifier, for a JWT library's key-resolution hook to verify a
   * token whose {@code kid} header names it.
   *
   * <p>The key holds key material, as {@link #signingKey()} does.
   *
   * @param keyId a key identifier, such as a token's {@code kid}
   * @return the key, or empty if the ring holds no key with that identifier (an unknown or retired
   *     key: reject the token)
   */
  public Optional<SecretKey> verificationKey(String keyId) {
    requireNonNull(keyId, "keyId");
    return Optional.ofNullable(byId.get(keyId));
  }

  /**
   * Returns every key of the ring, the current first, for JWT libraries that try keys in turn when
   * a token has no {@code kid}.
   *
   * <p>The keys hold key material, as {@link #signingKey()} does.
   *
   * @return an unmodifiable list in the order of {@link #keyIds()}
   */
  public List<SecretKey> verificationKeys() {
    return verificationKeys;
  }

  /**
   * Returns {@code SigningKeyRing[current=…, previous=[…]]} with key identifiers only. Jackson
   * writes the same string.
   *
   * @return the description
   */
  @JsonValue
  @Override
  public String toString() {
    return "SigningKeyRing[current="
        + keyIds.get(0)
        + ", previous="
        + keyIds.subList(1, keyIds.size())
        + "]";
  }

  /**
   * What Jackson calls to read a {@code SigningKeyRing}: it refuses, without quoting what it was
   * given. Without a creator, Jackson's own refusal quotes the JSON string, which would be a key.
   * It takes an {@code Object}, not a {@code String}: Jackson would also use a {@code String}
   * factory for map keys, and quote the key in the failure.
   */
  @JsonCreator
  @SuppressWarnings("unused")
  private static SigningKeyRing fromJson(Object ignored) {
    throw new IllegalArgumentException(
        "io.latchkey.crypto.signing.SigningKeyRing is not read from JSON, which would hold a key;"
            + " load keys from the environment, a file or a secret provider");
  }

  /**
   * One key of the ring, and the JCA key handed to JWT libraries: a {@link SecretKey} whose {@code
   * toString()} shows only the identifier (a {@link SecretKeySpec} prints a hash code computed from
   * the key bytes) and which refuses to be serialised.
   */
  private static final class RingKey implements SecretKey {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final transient SecretKeySpec spec;
    // Mac objects are not thread-safe and costly to create and key: one per thread per key.
    private final transient ThreadLocal<Mac> macs;

    RingKey(String id, byte[] key) {
      this.id = id;
      this.spec = new SecretKeySpec(key, ALGORITHM);
      this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
      try {
        Mac mac = Mac.getInstance(ALGORITHM);
        mac.init(spec);
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK lacks " + ALGORITHM, e);
      }
    }

    String id() {
      return id;
    }

    Mac mac() {
      return macs.get();
    }

    boolean matches(byte[] key) {
      byte[] mine = spec.getEncoded();
      try {
        return MessageDigest.isEqual(mine, key);
      } finally {
        Arrays.fill(mine, (byte) 0);
      }
    }

    @Override
    public String getAlgorithm() {
      return ALGORITHM;
    }

    @Override
    public String getFormat() {
      return "RAW";
    }

    @Override
    public byte[] getEncoded() {
      return spec.getEncoded();
    }

    // Without it Jackson would write getEncoded(), the key itself, as a base64 "encoded" property.
    @JsonValue
    @Override
    public String toString() {
      return "SigningKey[kid=" + id + ", algorithm=" + ALGORITHM + "]";
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
      throw new NotSerializableException("a signing key is not serialisable");
    }

    private void readObject(ObjectInputStream in) throws IOException {
      throw new NotSerializableException("a signing key is not serialisable");
    }
  }
}
