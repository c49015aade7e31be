package io.latchkey.redact;

import static java.util.Objects.requireNonNull;

import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.config.Config;
import io.latchkey.config.KeyList;
import io.latchkey.resolver.SecretResolver;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces every occurrence of the secret values the process loaded, in any common encoding, with a
 * mask: in a string, in a {@link StringBuilder} in place, or in a character stream.
 *
 * <pre>{@code
 * Redactor redactor = Redactor.builder()
 *     .config(config)                      // every secret and secret-derived value, every key
 *     .resolver(resolver)                  // follows rotations of the references config used
 *     .mask(Redactor.Mask.NAME)            // [DATABASE_PASSWORD] rather than ***
 *     .build();
 * String safe = redactor.redact(message);  // the same instance when there is nothing to mask
 * try (Writer out = redactor.wrap(Files.newBufferedWriter(report))) {
 *   out.write(text);                       // a value split across writes is still found
 * }
 * }</pre>
 *
 * <p>Each value is looked for raw and in the forms encoders give it: percent-encoded (RFC 3986,
 * HTML forms with {@code +} for a space, {@code encodeURIComponent}, a URL's user info; upper- and
 * lower-case hex), base64 and base64url (with and without padding, and inside a longer base64 text
 * at any alignment, as in a basic-authentication header), hex, JSON-escaped (as Jackson, Gson and
 * Python write it), backslash-escaped and XML-escaped. All forms of all values are matched in one
 * pass over the text, whose cost does not grow with the number of values. Where occurrences
 * overlap, every character of each is masked, and the mask names the leftmost (then the longest).
 * The page {@code docs/redaction.md} lists what is redacted and the limits.
 *
 * <p>Values shorter than {@linkplain Builder#minLength(int) the minimum} (8 characters unless set)
 * are not redacted by value, since they would mask ordinary words; building the redactor logs a
 * warning naming each such setting. Empty values are ignored.
 *
 * <p>A redactor is immutable apart from its values, which a rotation replaces all at once, and is
 * safe for any number of threads. A redactor that follows a resolver should be {@linkplain #close()
 * closed} when it is no longer used, so that the resolver forgets it.
 *
 * <h2>Security</h2>
 *
 * <p>The redactor holds every value it redacts, and its forms, in memory for as long as it lives.
 * {@link #toString()}, its exceptions and its log lines give counts and setting names, never a
 * value. A rotated reference's earlier values stay redacted too (the last 16 values of each
 * reference), since text written with an old value can reach a log after the rotation.
 *
 * @since 0.1
 */
public final class Redactor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Redactor.class);

  /** The default minimum length of a value redacted by value, in characters. */
  public static final int DEFAULT_MIN_LENGTH = 8;

  /** The smallest minimum length that {@link Builder#minLength(int)} accepts. */
  public static final int SMALLEST_MIN_LENGTH = 4;

  /** What a value is replaced with. */
  public enum Mask {
    /** Every value becomes {@code ***}. */
    STARS,
    /**
     * Every value becomes its setting's (or the given) name in brackets, such as {@code
     * [DATABASE_PASSWORD]}, which tells a reader of the log which secret was there.
     */
    NAME
  }

  /**
   * A stretch of a text that holds a value, as {@link #find(CharSequence)} reports it.
   *
   * @param start the index of its first character
   * @param end the index after its last character
   * @param name the name of the setting (or the name given) whose value it holds
   * @since 0.1
   */
  public record Match(int start, int end, String name) {
    /**
     * Checks the components.
     *
     * @param start the index of the first character
     * @param end the index after the last character
     * @param name the name of the value
     */
    public Match {
      requireNonNull(name, "name");
      if (start < 0 || end <= start) {
        throw new IllegalArgumentException("a match needs 0 <= start < end");
      }
    }
  }

  private final SecretResolver resolver;
  private final SecretResolver.Listener listener = (ref, before, after) -> reread(ref, true);
  private final Object lock = new Object();
  private volatile Catalog catalog;

  private Redactor(Catalog catalog, SecretResolver resolver) {
    this.catalog = catalog;
    this.resolver = resolver;
  }

  /**
   * Returns a builder with no values, {@link Mask#STARS} and a minimum length of {@value
   * #DEFAULT_MIN_LENGTH}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a redactor of a configuration's values, masked as {@code ***}.
   *
   * @param config a loaded configuration
   * @return the redactor
   */
  public static Redactor of(Config config) {
    return builder().config(config).build();
  }

  /**
   * Returns the text with every value masked.
   *
   * @param text the text
   * @return the redacted text; {@code text.toString()} (the same instance for a string) when it
   *     holds no value
   */
  public String redact(CharSequence text) {
    requireNonNull(text, "text");
    Catalog c = catalog;
    return redact(text, c, c.automaton);
  }

  /**
   * Returns the text with every value masked, for a text decoded from bytes that {@code charset}
   * encoded: each value (in each of its forms) is also found as that encoding left it, with every
   * character the charset cannot encode replaced, as {@link String#getBytes(Charset)} replaces it
   * ({@code ?} in US-ASCII and ISO-8859-1). A value with a character outside the charset is then
   * still found in what an encoder wrote with it. Such a form can be found in text that never held
   * the value ({@code ????????} for a value of eight characters the charset lacks), which is masked
   * too.
   *
   * @param text the decoded text
   * @param charset the charset the text was encoded with before it was decoded
   * @return the redacted text; {@code text.toString()} (the same instance for a string) when it
   *     holds no value
   */
  public String redact(CharSequence text, Charset charset) {
    requireNonNull(text, "text");
    requireNonNull(charset, "charset");
    Catalog c = catalog;
    return redact(text, c, c.automaton(charset));
  }

  private static String redact(CharSequence text, Catalog c, Automaton automaton) {
    Regions found = automaton.find(text, 0);
    if (found == null) {
      return text.toString();
    }
    StringBuilder out = new StringBuilder(text.length());
    int pos = 0;
    for (int r = 0; r < found.count(); r++) {
      out.append(text, pos, found.start(r)).append(c.masks[found.label(r)]);
      pos = found.end(r);
    }
    return out.append(text, pos, text.length()).toString();
  }

  /**
   * Masks every value in a builder, in place, from an index on: the form a logging layout that
   * appends to a {@code StringBuilder} needs.
   *
   * @param text the builder
   * @param from the index of the first character to look at, such as where the current event's text
   *     begins
   * @return the number of masks written
   * @throws IndexOutOfBoundsException if {@code from} is negative or past the end
   */
  public int redact(StringBuilder text, int from) {
    requireNonNull(text, "text");
    if (from < 0 || from > text.length()) {
      throw new IndexOutOfBoundsException("from " + from + ", length " + text.length());
    }
    Catalog c = catalog;
    Regions found = c.automaton.find(text, from);
    if (found == null) {
      return 0;
    }
    for (int r = found.count() - 1; r >= 0; r--) {
      text.replace(found.start(r), found.end(r), c.masks[found.label(r)]);
    }
    return found.count();
  }

  /**
   * Finds the stretches of a text that {@link #redact(CharSequence)} would mask, with the name of
   * the value in each: what a sanitiser merges with its own findings, or a check that refuses a
   * text outright.
   *
   * @param text the text
   * @return the stretches, in order and disjoint; empty when the text holds no value
   */
  public List<Match> find(CharSequence text) {
    requireNonNull(text, "text");
    Catalog c = catalog;
    Regions found = c.automaton.find(text, 0);
    if (found == null) {
      return List.of();
    }
    List<Match> matches = new ArrayList<>(found.count());
    for (int r = 0; r < found.count(); r++) {
      matches.add(new Match(found.start(r), found.end(r), c.names[found.label(r)]));
    }
    return List.copyOf(matches);
  }

  /**
   * Returns a writer that redacts what is written to it and passes it on to {@code out}.
   *
   * <p>A value split across write calls is found. Only the characters that may begin a value are
   * held back (at most as many as the longest form of a value) until the next write tells whether
   * they do; {@code close()} writes what is held and closes {@code out}. A text written through
   * separate writers, or separate redactors, is redacted separately.
   *
   * @param out where the redacted text goes
   * @return the writer, thread-safe as {@link Writer}s are
   */
  public Writer wrap(Writer out) {
    return new RedactingWriter(this, requireNonNull(out, "out"));
  }

  /**
   * Returns a reader of {@code in}'s text with every value masked, reading ahead only as far as it
   * takes to tell whether what it holds begins a value.
   *
   * @param in the reader to redact
   * @return the reader; closing it closes {@code in}
   */
  public Reader wrap(Reader in) {
    return new RedactingReader(this, requireNonNull(in, "in"));
  }

  /**
   * Stops following the resolver's rotations; the values known so far stay redacted. Idempotent,
   * and nothing to do for a redactor without a resolver.
   */
  @Override
  public void close() {
    if (resolver != null) {
      resolver.removeListener(listener);
    }
  }

  /**
   * Returns counts only, such as {@code Redactor[values=12, forms=160, tooShort=1, tracked=3]}: the
   * values redacted, the forms looked for, the names whose values were too short, and the
   * references followed.
   *
   * @return the description; never a value
   */
  @Override
  public String toString() {
    Catalog c = catalog;
    return "Redactor[values="
        + c.values
        + ", forms="
        + c.automaton.patterns()
        + ", tooShort="
        + c.tooShort
        + ", tracked="
        + c.trackedCount()
        + "]";
  }

  /** The current values, for the streams: each piece they scan uses one catalog throughout. */
  Catalog catalog() {
    return catalog;
  }

  /**
   * Reads a tracked reference's value and redacts it from now on, the earlier ones too: on a
   * rotation the resolver reported, or once after the listeners are registered.
   */
  void reread(SecretRef ref, boolean rotation) {
    if (!catalog.tracks(ref)) {
      return;
    }
    Secret fresh;
    try {
      fresh = resolver.resolve(ref);
    } catch (RuntimeException e) {
      if (rotation) {
        LOG.warn(
            "redaction: secret {} changed but could not be read again ({}); its earlier values"
                + " stay redacted, the new one is not yet",
            ref,
            e.getClass().getName());
      } else {
        LOG.debug("redaction: secret {} could not be read again ({})", ref, e.getClass().getName());
      }
      return;
    }
    try {
      synchronized (lock) {
        catalog = catalog.rotate(ref, fresh.reveal());
      }
    } finally {
      fresh.wipe();
    }
  }

  /**
   * Configures a {@link Redactor}: where its values come from, the mask, and the minimum length.
   * Setters check their argument at once.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final List<Config> configs = new ArrayList<>();
    private final Map<SecretRef, String> refs = new LinkedHashMap<>();
    private final List<Catalog.Fixed> values = new ArrayList<>();
    private SecretResolver resolver;
    private Mask mask = Mask.STARS;
    private int minLength = DEFAULT_MIN_LENGTH;

    private Builder() {}

    /**
     * Adds a loaded configuration's values: the value of every setting that is secret, that a
     * secret reference resolved to, or that was derived from such a value (each entry of a list on
     * its own); every key of a {@link KeyList} (older keys named {@code NAME_PREVIOUS}); and the
     * password and credential parameters of every URL, whatever its setting. Each is named by its
     * setting.
     *
     * @param config the configuration; may be called for several
     * @return this builder
     */
    public Builder config(Config config) {
      configs.add(requireNonNull(config, "config"));
      return this;
    }

    /**
     * Follows a resolver's rotations: each value that a {@linkplain #config(Config) configuration}
     * took from a secret reference, and each {@linkplain #track(String, SecretRef) tracked}
     * reference, is read again when the resolver reports that it changed, and its new value is
     * redacted from then on, the earlier ones too.
     *
     * @param resolver the resolver; the caller keeps and closes it
     * @return this builder
     */
    public Builder resolver(SecretResolver resolver) {
      this.resolver = requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * Redacts a reference's value, resolved when the redactor is built and again on each rotation
     * the {@linkplain #resolver(SecretResolver) resolver} reports.
     *
     * @param name the name the mask shows, such as the setting that uses it
     * @param ref the reference
     * @return this builder
     * @throws IllegalArgumentException if the name is blank or holds a control character
     */
    public Builder track(String name, SecretRef ref) {
      refs.put(requireNonNull(ref, "ref"), checkName(name));
      return this;
    }

    /**
     * Redacts a value given by hand, such as a token the application obtained at run time.
     *
     * @param name the name the mask shows
     * @param value the value; copied now, so the caller may wipe it
     * @return this builder
     * @throws IllegalArgumentException if the name is blank or holds a control character
     * @throws IllegalStateException if the value has been wiped
     */
    public Builder value(String name, Secret value) {
      requireNonNull(value, "value");
      values.add(new Catalog.Fixed(checkName(name), value.reveal()));
      return this;
    }

    /**
     * Sets what a value is replaced with; {@link Mask#STARS} unless set.
     *
     * @param mask the mask
     * @return this builder
     */
    public Builder mask(Mask mask) {
      this.mask = requireNonNull(mask, "mask");
      return this;
    }

    /**
     * Sets the length, in characters, under which a value is not redacted by value; {@value
     * #DEFAULT_MIN_LENGTH} unless set. Shorter values would mask ordinary words and numbers.
     *
     * @param chars the minimum length
     * @return this builder
     * @throws IllegalArgumentException if {@code chars} is less than {@value #SMALLEST_MIN_LENGTH}
     */
    public Builder minLength(int chars) {
      if (chars < SMALLEST_MIN_LENGTH) {
        throw new IllegalArgumentException(
            "minLength must be at least " + SMALLEST_MIN_LENGTH + ", was " + chars);
      }
      this.minLength = chars;
      return this;
    }

    /**
     * Builds the redactor: reads the configurations' values, resolves the tracked references and
     * compiles every form of every value. Logs a warning for each name whose value is too short.
     *
     * @return the redactor
     * @throws IllegalStateException if references are tracked but no resolver is set
     * @throws io.latchkey.LatchkeyException if a tracked reference cannot be resolved, as {@link
     *     SecretResolver#resolve(SecretRef)} throws it
     */
    public Redactor build() {
      if (!refs.isEmpty() && resolver == null) {
        throw new IllegalStateException("track() needs a resolver(); none is set");
      }
      List<Catalog.Fixed> fixed = new ArrayList<>(values);
      Map<SecretRef, Catalog.Tracked> tracked = new LinkedHashMap<>();
      for (Config config : configs) {
        ConfigValues.collect(config, fixed, resolver == null ? null : tracked);
      }
      for (Map.Entry<SecretRef, String> ref : refs.entrySet()) {
        Secret value = resolver.resolve(ref.getKey());
        try {
          Catalog.Tracked before = tracked.get(ref.getKey());
          List<String> texts = new ArrayList<>();
          texts.add(value.reveal());
          if (before != null && !before.texts().get(0).equals(texts.get(0))) {
            texts.add(before.texts().get(0));
          }
          tracked.put(ref.getKey(), new Catalog.Tracked(ref.getValue(), List.copyOf(texts)));
        } finally {
          value.wipe();
        }
      }
      Redactor redactor = new Redactor(Catalog.of(fixed, tracked, mask, minLength), resolver);
      for (SecretRef ref : tracked.keySet()) {
        resolver.addListener(ref, redactor.listener);
      }
      // A rotation between the configuration's load and the registration went unheard.
      for (SecretRef ref : tracked.keySet()) {
        redactor.reread(ref, false);
      }
      return redactor;
    }

    private static String checkName(String name) {
      requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("a name must not be blank");
      }
      for (int i = 0; i < name.length(); i++) {
        if (Character.isISOControl(name.charAt(i))) {
          throw new IllegalArgumentException("a name must not hold a control character");
        }
      }
      return name;
    }
  }
}
