package io.latchkey.crypto.apikey;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.Secret;
import io.latchkey.crypto.FollowingKeys;
import io.latchkey.crypto.internal.DefaultRandom;
import io.latchkey.crypto.internal.KeyFollower;
import io.latchkey.internal.SettingNames;
import io.latchkey.resolver.SecretResolver;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the API keys that clients present against stored SHA-256 hashes, accepting the previous
 * key for a bounded overlap window after a rotation, after which it is rejected by itself.
 *
 * <p>The verifier never holds an API key, only its {@linkplain #hash(Secret) hash} ({@code sha256:}
 * and 64 hex digits), so the configuration that holds the hashes is not itself a credential. A
 * rotation: {@linkplain #generate(String) generate} a key and give it to the client; set {@code
 * NAME_SHA256} to its hash, move the old hash to {@code NAME_PREVIOUS_SHA256}, set {@code
 * NAME_ROTATED_AT} to now and {@code NAME_OVERLAP} to how long the client needs to switch; restart.
 * Until the overlap ends the old key is accepted as {@link Verdict#PREVIOUS}, so the server can
 * tell the client to switch; after that it is {@link Verdict#REJECTED} without another restart or
 * edit.
 *
 * <pre>{@code
 * // API_KEY_SHA256=sha256:…, and during a rotation API_KEY_PREVIOUS_SHA256, API_KEY_ROTATED_AT
 * // and API_KEY_OVERLAP.
 * ApiKeyVerifier verifier = ApiKeyVerifier.fromEnvironment("API_KEY");
 * switch (verifier.verify(Secret.of(request.header("X-Api-Key")))) {
 *   case CURRENT -> proceed();
 *   case PREVIOUS -> { warnClientToSwitch(); proceed(); }
 *   case REJECTED -> respond(401);
 * }
 * }</pre>
 *
 * <p>The overlap must lie within a policy's bounds, by default between {@link #DEFAULT_MIN_OVERLAP}
 * (a window too short to roll a client over locks it out) and {@link #DEFAULT_MAX_OVERLAP} (a
 * longer one is a second key that never really retires); a {@linkplain #builder() builder} sets
 * other bounds. Verifiers are immutable and thread-safe.
 *
 * <h2>Security</h2>
 *
 * <p>A presented key is hashed once and its hash compared with every stored hash by {@link
 * MessageDigest#isEqual(byte[], byte[])}, without an early exit, and the clock is read and the
 * overlap window checked for every key presented, so the time taken does not depend on which hash
 * matched or where they differ. Unsalted SHA-256 suits API keys because they are long random
 * strings ({@link #generate(String)} makes 256-bit ones); it would not suit passwords, and {@link
 * #hash(Secret)} refuses keys shorter than {@link #MIN_KEY_BYTES} bytes. The previous key is
 * accepted only from {@link #MAX_CLOCK_SKEW} before its rotation time until the rotation time plus
 * the overlap, and a rotation time further in the future than that skew is a configuration error,
 * so that a mistyped year cannot keep an old key alive. Hashes are not secret, but {@link
 * #toString()} and errors show at most a short prefix of them, and never an API key: a value that
 * is not a hash (perhaps the key itself, pasted by mistake) is reported by its variable name only.
 *
 * @since 0.1
 */
public final class ApiKeyVerifier {

  /** What {@link #verify(Secret)} concluded about a presented key. */
  public enum Verdict {
    /** The current key: accept. */
    CURRENT,
    /** The previous key, inside its overlap window: accept, and tell the client to switch. */
    PREVIOUS,
    /** Any other key, or the previous key outside its window: reject. */
    REJECTED;

    /**
     * Tells whether the request may proceed.
     *
     * @return {@code true} for {@link #CURRENT} and {@link #PREVIOUS}
     */
    public boolean isAccepted() {
      return this != REJECTED;
    }
  }

  /** The shortest overlap allowed unless the builder sets another bound: one hour. */
  public static final Duration DEFAULT_MIN_OVERLAP = Duration.ofHours(1);

  /** The longest overlap allowed unless the builder sets another bound: 30 days. */
  public static final Duration DEFAULT_MAX_OVERLAP = Duration.ofDays(30);

  /** The overlap when a previous hash is given without one: 24 hours. */
  public static final Duration DEFAULT_OVERLAP = Duration.ofHours(24);

  /**
   * How far a rotation time may lie ahead of this host's clock (five minutes): hosts' clocks
   * disagree a little, and an operator may stamp a rotation just before rolling it out.
   */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  /**
   * The shortest key {@link #hash(Secret)} accepts, in UTF-8 bytes: 32, enough for a 128-bit key
   * written in hex.
   *
   * @since 0.2
   */
  public static final int MIN_KEY_BYTES = 32;

  // Transient so that reflective serialisers skip the hashes, which are derived from the keys.
  private final transient byte[] current;
  private final transient byte[] previous; // null: no previous key
  private final Instant rotatedAt; // null when previous is null
  private final Instant previousExpiresAt; // null when previous is null
  private final Clock clock;

  private ApiKeyVerifier(
      byte[] current, byte[] previous, Instant rotatedAt, Duration overlap, Clock clock) {
    this.current = current;
    this.previous = previous;
    this.rotatedAt = rotatedAt;
    this.previousExpiresAt = previous == null ? null : ApiKeys.plus(rotatedAt, overlap);
    this.clock = clock;
  }

  /**
   * Returns the hash to store for an API key: {@code sha256:} followed by the lower-case hex
   * SHA-256 of the key's UTF-8 bytes.
   *
   * <p>The same value comes from {@code printf %s "$API_KEY" | sha256sum}, prefixed with {@code
   * sha256:}.
   *
   * <p>The key must be at least {@value #MIN_KEY_BYTES} bytes long in UTF-8 (as many ASCII
   * characters): an unsalted hash of a short key can be reversed by trying every key of that
   * length, and then the configuration that holds it would be a credential after all. Keys from
   * {@link #generate(String)} are 46 characters or more; a 128-bit key in hex is 32.
   *
   * @param apiKey the API key, random and at least {@value #MIN_KEY_BYTES} bytes long
   * @return the hash, 71 characters
   * @throws IllegalArgumentException if the key is empty or shorter than {@value #MIN_KEY_BYTES}
   *     bytes
   * @throws IllegalStateException if the key has been wiped
   */
  public static String hash(Secret apiKey) {
    requireNonNull(apiKey, "apiKey");
    if (apiKey.isEmpty()) {
      throw new IllegalArgumentException("api key must not be empty");
    }
    if (!ApiKeys.isLongEnough(apiKey, MIN_KEY_BYTES)) {
      throw new IllegalArgumentException(
          "api key is too short to store as an unsalted hash; expected at least "
              + MIN_KEY_BYTES
              + " characters of random text, such as ApiKeyVerifier.generate makes");
    }
    return ApiKeys.format(ApiKeys.digest(apiKey));
  }

  /**
   * Generates a new API key from the JDK's SP 800-90A DRBG at 256-bit strength with prediction
   * resistance (fresh operating-system entropy for every key): {@code prefix}, an underscore, and
   * 32 random bytes in URL-safe base64 without padding (43 characters).
   *
   * <p>The prefix says what the key is for ({@code acme_…}), which helps secret scanners and people
   * reading logs, and gives away nothing about the random part.
   *
   * @param prefix two to sixteen characters: a lower-case letter, then lower-case letters or digits
   * @return the new key; give it to the client and store only its {@linkplain #hash(Secret) hash}
   * @throws IllegalArgumentException if the prefix does not have that shape
   */
  public static Secret generate(String prefix) {
    return generate(prefix, DefaultRandom.forKeys());
  }

  /**
   * Generates a new API key from the given random source, as {@link #generate(String)} does.
   *
   * @param prefix two to sixteen characters: a lower-case letter, then lower-case letters or digits
   * @param random a cryptographically strong random source
   * @return the new key
   * @throws IllegalArgumentException if the prefix does not have that shape
   */
  public static Secret generate(String prefix, SecureRandom random) {
    requireNonNull(prefix, "prefix");
    requireNonNull(random, "random");
    return ApiKeys.generate(prefix, random);
  }

  /**
   * Creates a verifier that accepts only the key with the given hash.
   *
   * @param currentHash the current key's hash, as {@link #hash(Secret)} returns it
   * @return the verifier
   * @throws IllegalArgumentException if {@code currentHash} is not such a hash
   */
  public static ApiKeyVerifier of(String currentHash) {
    return builder().current(currentHash).build();
  }

  /**
   * Loads a verifier from the process environment; see {@link #fromEnvironment(String, Map, Clock)}
   * for the variables.
   *
   * @param name the prefix of the variables, such as {@code API_KEY}
   * @return the verifier, on the system clock
   * @throws ConfigException listing every problem found
   */
  public static ApiKeyVerifier fromEnvironment(String name) {
    return fromEnvironment(name, System.getenv(), Clock.systemUTC());
  }

  /**
   * Loads a verifier from the given variables; see {@link #fromEnvironment(String, Map, Clock)}.
   *
   * @param name the prefix of the variables, such as {@code API_KEY}
   * @param env the variables to read
   * @return the verifier, on the system clock
   * @throws ConfigException listing every problem found
   */
  public static ApiKeyVerifier fromEnvironment(String name, Map<String, String> env) {
    return fromEnvironment(name, env, Clock.systemUTC());
  }

  /**
   * Loads a verifier from the given variables, with the default overlap bounds.
   *
   * <ul>
   *   <li>{@code NAME_SHA256} (required): the current key's {@linkplain #hash(Secret) hash}.
   *   <li>{@code NAME_PREVIOUS_SHA256} (optional): the previous key's hash; blank means none.
   *   <li>{@code NAME_ROTATED_AT} (required with a previous hash): when the rotation happened, an
   *       ISO-8601 instant such as {@code 2026-11-23T10:00:00Z}; at most {@link #MAX_CLOCK_SKEW} in
   *       the future.
   *   <li>{@code NAME_OVERLAP} (optional, default {@link #DEFAULT_OVERLAP}): how long after the
   *       rotation the previous key is accepted, between {@link #DEFAULT_MIN_OVERLAP} and {@link
   *       #DEFAULT_MAX_OVERLAP}; a duration as every Latchkey duration setting reads it ({@link
   *       io.latchkey.config.Setting#duration(String)}): {@code 30m}, {@code 24h}, {@code 7d},
   *       {@code 1h30m}, or ISO-8601 such as {@code PT24H} or {@code P7D}.
   * </ul>
   *
   * <p>The variables are declared as settings of a {@link io.latchkey.config.ConfigSchema} and read
   * by its rules: a blank value is unset, and surrounding whitespace is ignored. {@code
   * NAME_ROTATED_AT} and {@code NAME_OVERLAP} are checked whenever they are set, and ignored
   * without a previous hash, so that they can be left in place between rotations.
   *
   * @param name the prefix of the variables, such as {@code API_KEY}
   * @param env the variables to read
   * @param clock the clock that decides whether the overlap has ended
   * @return the verifier
   * @throws ConfigException listing every problem found, each naming its variable; never a value
   *     that might be a key. Where {@code NAME_SHA256} is not set and the {@code name} given looks
   *     like a key rather than a prefix of variable names, the problem does not show it
   * @throws IllegalArgumentException if {@code name} does not make valid variable names (letters,
   *     digits and underscores, not starting with a digit); the message does not show it
   */
  public static ApiKeyVerifier fromEnvironment(String name, Map<String, String> env, Clock clock) {
    requireNonNull(name, "name");
    requireNonNull(env, "env");
    requireNonNull(clock, "clock");
    return new ApiKeyVariables(name).load(env, clock);
  }

  /** The names the builder's arguments go by in problems: its setters', or variables. */
  record Names(String current, String previous, String rotatedAt, String overlap) {}

  private static final Names BUILDER_NAMES =
      new Names("current", "previous", "rotatedAt", "overlap");

  /**
   * Loads a verifier through a resolver and keeps it current as its source changes: {@code
   * NAME_SHA256}, {@code NAME_PREVIOUS_SHA256}, {@code NAME_ROTATED_AT} and {@code NAME_OVERLAP}
   * are resolved as references of the env provider ({@code env:API_KEY_SHA256}: the environment,
   * {@code .env}, a mounted file) and read as {@link #fromEnvironment(String, Map)} reads them, on
   * the system clock. A new version that does not load, or that no longer accepts the key that is
   * current now, is refused: the clients that present it would be locked out (see {@link
   * FollowingKeys}).
   *
   * @param resolver the resolver, which keeps the references fresh while they are followed
   * @param name the prefix of the variables, such as {@code API_KEY}: a variable name, not a
   *     reference
   * @return the verifier, following its source until closed
   * @throws ConfigException listing every problem, if the verifier cannot be loaded now; or, before
   *     anything is resolved, if the {@code name} given looks like a key rather than a prefix of
   *     variable names (a name that random is refused even when set, since every problem and log
   *     line of a followed source names it); the problem does not show it
   * @throws io.latchkey.ProviderException if a reference cannot be resolved now
   * @since 0.2
   */
  public static FollowingKeys<ApiKeyVerifier> following(SecretResolver resolver, String name) {
    requireNonNull(name, "name");
    // Before the names are built or resolved: a key given as the prefix is never shown.
    SettingNames.requireName(name);
    List<String> variables = new ApiKeyVariables(name).names();
    // An identifier here is a whole SHA-256 hash: equal identifiers are equal hashes.
    return KeyFollower.start(
        resolver,
        name,
        variables,
        ApiKeyVerifier::fromEnvironment,
        ApiKeyVerifier::hashIds,
        (next, previous) -> true);
  }

  /** The hashes accepted now, the current first: what a followed change must keep. */
  private List<String> hashIds() {
    HexFormat hex = HexFormat.of();
    return isPreviousAccepted()
        ? List.of(hex.formatHex(current), hex.formatHex(previous))
        : List.of(hex.formatHex(current));
  }

  /**
   * Returns a builder, for verifiers that need other overlap bounds or an injected clock.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder(BUILDER_NAMES);
  }

  /** Returns a builder whose problems name its arguments as given, such as by variable. */
  static Builder builder(Names names) {
    return new Builder(names);
  }

  /**
   * Builds an {@link ApiKeyVerifier}. Setters check their own argument; {@link #build()} checks
   * them together.
   */
  public static final class Builder {
    private byte[] current;
    private byte[] previous;
    private Instant rotatedAt;
    private Duration overlap;
    private Duration minOverlap = DEFAULT_MIN_OVERLAP;
    private Duration maxOverlap = DEFAULT_MAX_OVERLAP;
    private Clock clock = Clock.systemUTC();
    private final Names names;

    private Builder(Names names) {
      this.names = names;
    }

    /**
     * Sets the current key's hash (required).
     *
     * @param hash the hash, as {@link ApiKeyVerifier#hash(Secret)} returns it
     * @return this builder
     * @throws IllegalArgumentException if {@code hash} is not such a hash; the message does not
     *     quote it
     */
    public Builder current(String hash) {
      requireNonNull(hash, "current");
      this.current = requireHash(hash, names.current());
      return this;
    }

    /**
     * Sets the previous key's hash and when the rotation away from it happened; the previous key is
     * then accepted until {@code rotatedAt} plus the {@linkplain #overlap(Duration) overlap}.
     *
     * @param hash the previous key's hash
     * @param rotatedAt when the current key replaced it
     * @return this builder
     * @throws IllegalArgumentException if {@code hash} is not a hash
     */
    public Builder previous(String hash, Instant rotatedAt) {
      requireNonNull(hash, "previous");
      requireNonNull(rotatedAt, "rotatedAt");
      this.previous = requireHash(hash, names.previous());
      this.rotatedAt = rotatedAt;
      return this;
    }

    /**
     * Sets the rotation time without a previous hash, as the environment loader does for a rotation
     * time left in place between rotations: it is checked all the same, and otherwise ignored.
     */
    Builder rotatedAt(Instant rotatedAt) {
      this.rotatedAt = requireNonNull(rotatedAt, "rotatedAt");
      return this;
    }

    /**
     * Sets how long after the rotation the previous key is accepted ({@link #DEFAULT_OVERLAP} by
     * default); {@link #build()} checks it against the bounds.
     *
     * @param overlap the overlap window; positive
     * @return this builder
     * @throws IllegalArgumentException if {@code overlap} is zero or negative
     */
    public Builder overlap(Duration overlap) {
      requireNonNull(overlap, "overlap");
      this.overlap = requirePositive(overlap, names.overlap());
      return this;
    }

    /**
     * Sets the shortest overlap allowed ({@link #DEFAULT_MIN_OVERLAP} by default).
     *
     * @param minOverlap the lower bound; positive
     * @return this builder
     * @throws IllegalArgumentException if {@code minOverlap} is zero or negative
     */
    public Builder minOverlap(Duration minOverlap) {
      requireNonNull(minOverlap, "minOverlap");
      this.minOverlap = requirePositive(minOverlap, "minOverlap");
      return this;
    }

    /**
     * Sets the longest overlap allowed ({@link #DEFAULT_MAX_OVERLAP} by default).
     *
     * @param maxOverlap the upper bound; positive
     * @return this builder
     * @throws IllegalArgumentException if {@code maxOverlap} is zero or negative
     */
    public Builder maxOverlap(Duration maxOverlap) {
      requireNonNull(maxOverlap, "maxOverlap");
      this.maxOverlap = requirePositive(maxOverlap, "maxOverlap");
      return this;
    }

    /**
     * Sets the clock that decides whether the overlap has ended (the system UTC clock by default).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @return the verifier
     * @throws IllegalStateException if no current hash was set
     * @throws IllegalArgumentException if {@code minOverlap} exceeds {@code maxOverlap}, or listing
     *     each of these: the overlap lies outside them, the rotation time is more than {@link
     *     #MAX_CLOCK_SKEW} in the future, the previous hash equals the current one
     */
    public ApiKeyVerifier build() {
      if (current == null) {
        throw new IllegalStateException("a current hash is required");
      }
      if (minOverlap.compareTo(maxOverlap) > 0) {
        throw new IllegalArgumentException(
            "minOverlap " + minOverlap + " exceeds maxOverlap " + maxOverlap);
      }
      List<Problem> problems = problems();
      if (!problems.isEmpty()) {
        throw new RejectedArguments(problems);
      }
      return new ApiKeyVerifier(
          current.clone(),
          previous == null ? null : previous.clone(),
          previous == null ? null : rotatedAt,
          overlap != null ? overlap : DEFAULT_OVERLAP,
          clock);
    }

    /**
     * Returns every problem {@link #build()} would report across the arguments set so far, without
     * requiring a current hash, so that the environment loader reports them beside its own.
     */
    List<Problem> problems() {
      List<Problem> problems = new ArrayList<>();
      ApiKeys.check(
          current,
          previous,
          rotatedAt,
          // The default overlap need fit the bounds only when a previous key uses it.
          overlap != null ? overlap : previous != null ? DEFAULT_OVERLAP : null,
          minOverlap,
          maxOverlap,
          clock.instant(),
          overlap != null
              ? names
              : new Names(
                  names.current(),
                  names.previous(),
                  names.rotatedAt(),
                  names.overlap() + " (by default)"),
          problems);
      return problems;
    }

    private static byte[] requireHash(String hash, String what) {
      byte[] digest = ApiKeys.parseHash(hash);
      if (digest == null) {
        throw new RejectedArguments(what, "is not a SHA-256 hash; " + ApiKeys.HASH_EXPECTED);
      }
      return digest;
    }

    private static Duration requirePositive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new RejectedArguments(what, "must be positive");
      }
      return d;
    }
  }

  /**
   * Checks a presented API key.
   *
   * @param presented the key a client sent
   * @return {@link Verdict#CURRENT} for the current key; {@link Verdict#PREVIOUS} for the previous
   *     key while its overlap lasts; {@link Verdict#REJECTED} for anything else, an empty key
   *     included
   * @throws IllegalStateException if {@code presented} has been wiped
   */
  @SuppressWarnings("ShortCircuitBoolean") // every part computed always: no timing difference
  public Verdict verify(Secret presented) {
    requireNonNull(presented, "presented");
    // Read whatever the key: reading it only for the previous key would time that key apart.
    Instant now = clock.instant();
    if (presented.isEmpty()) {
      return Verdict.REJECTED;
    }
    byte[] digest = ApiKeys.digest(presented);
    // Both comparisons and the window always run, and combine without branching on either match;
    // whether there is a previous key is configuration, not something the key can tell.
    boolean isCurrent = MessageDigest.isEqual(digest, current);
    boolean isPrevious =
        MessageDigest.isEqual(digest, previous != null ? previous : current) & (previous != null);
    boolean windowOpen = previous != null && isPreviousAcceptedAt(now);
    boolean acceptPrevious = isPrevious & windowOpen & !isCurrent;
    return isCurrent ? Verdict.CURRENT : acceptPrevious ? Verdict.PREVIOUS : Verdict.REJECTED;
  }

  private boolean isPreviousAcceptedAt(Instant now) {
    return now.isBefore(previousExpiresAt)
        && !now.isBefore(ApiKeys.plus(rotatedAt, MAX_CLOCK_SKEW.negated()));
  }

  /**
   * Returns when the previous key stops being accepted: its rotation time plus the overlap.
   *
   * @return the end of the overlap window, or empty if there is no previous key
   */
  public Optional<Instant> previousExpiresAt() {
    return Optional.ofNullable(previousExpiresAt);
  }

  /**
   * Tells whether the previous key would be accepted now, so that an operator can see whether a
   * rotation is still in its overlap window.
   *
   * @return {@code true} if there is a previous key and its window is open now
   */
  public boolean isPreviousAccepted() {
    return previous != null && isPreviousAcceptedAt(clock.instant());
  }

  /**
   * Returns {@code ApiKeyVerifier[current=sha256:1a2b3c4d…, previous=…, previousExpiresAt=…]},
   * showing only the first eight hex digits of each hash. Jackson writes the same string.
   *
   * @return the description
   */
  @JsonValue
  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder("ApiKeyVerifier[current=").append(ApiKeys.shortForm(current));
    if (previous != null) {
      sb.append(", previous=")
          .append(ApiKeys.shortForm(previous))
          .append(", previousExpiresAt=")
          .append(previousExpiresAt);
    }
    return sb.append(']').toString();
  }

  /**
   * What Jackson calls to read a {@code ApiKeyVerifier}: it refuses, without quoting what it was
   * given. Without a creator, Jackson's own refusal quotes the JSON string, which would be a key or
   * its hash. It takes an {@code Object}, not a {@code String}: Jackson would also use a {@code
   * String} factory for map keys, and quote the key in the failure.
   */
  @JsonCreator
  @SuppressWarnings("unused")
  private static ApiKeyVerifier fromJson(Object ignored) {
    throw new IllegalArgumentException(
        "io.latchkey.crypto.apikey.ApiKeyVerifier is not read from JSON, which would hold a key or its hash;"
            + " load keys from the environment, a file or a secret provider");
  }
}
