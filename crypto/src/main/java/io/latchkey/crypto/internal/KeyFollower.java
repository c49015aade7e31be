package io.latchkey.crypto.internal;

import static java.util.Objects.requireNonNull;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.LatchkeyException;
import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.crypto.FollowingKeys;
import io.latchkey.internal.SettingNames;
import io.latchkey.resolver.SecretHandle;
import io.latchkey.resolver.SecretResolver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mechanism behind every {@link FollowingKeys}: it reads the variables a kind of keys loads
 * from (each a reference, resolved through handles), builds the keys with the kind's own loader
 * (its {@code fromEnvironment(name, Map)}), and on each new version of any variable builds them
 * again and swaps them in, unless they fail to load or drop the key in use. Not part of the API:
 * the package is not exported.
 *
 * @param <R> the kind of keys
 */
public final class KeyFollower<R> implements FollowingKeys<R> {
  private static final Logger LOG = LoggerFactory.getLogger(FollowingKeys.class);

  /**
   * Loads a key ring from {@code NAME} and {@code NAME_PREVIOUS}, or from a key file in {@code
   * NAME}, and follows them; see {@link #start}. For kinds of key that never start with {@code #}:
   * a key file's line that starts with one is always a comment.
   *
   * @param <R> the kind of ring
   * @param resolver resolves each variable as a reference
   * @param name the variable of the primary key
   * @param load the ring's {@code fromEnvironment(name, Map)}
   * @param keyIds the ring's key identifiers, the primary first
   * @param holdsPrimary whether the first ring holds the primary key of the second, the same bytes
   * @return the follower
   */
  public static <R> KeyFollower<R> ring(
      SecretResolver resolver,
      String name,
      BiFunction<String, Map<String, String>, R> load,
      Function<? super R, List<String>> keyIds,
      BiPredicate<? super R, ? super R> holdsPrimary) {
    return ring(resolver, name, load, keyIds, holdsPrimary, line -> null);
  }

  /**
   * Loads a key ring from {@code NAME} and {@code NAME_PREVIOUS}, or from a key file in {@code
   * NAME}, and follows them; see {@link #start}.
   *
   * @param <R> the kind of ring
   * @param resolver resolves each variable as a reference
   * @param name the variable of the primary key
   * @param load the ring's {@code fromEnvironment(name, Map)}
   * @param keyIds the ring's key identifiers, the primary first
   * @param holdsPrimary whether the first ring holds the primary key of the second, the same bytes
   * @param commentProblem what is wrong with a key file's line that starts with {@code #}, for a
   *     kind of key that such a line could be; null when the line is a comment
   * @return the follower
   * @throws ConfigException if {@code name} looks like a key rather than a variable's name ({@link
   *     SettingNames#requireName}), before anything is resolved; the problem does not show it
   */
  public static <R> KeyFollower<R> ring(
      SecretResolver resolver,
      String name,
      BiFunction<String, Map<String, String>, R> load,
      Function<? super R, List<String>> keyIds,
      BiPredicate<? super R, ? super R> holdsPrimary,
      Function<String, String> commentProblem) {
    requireNonNull(name, "name");
    // Before any handle: the provider's failure would name the reference, that is, the key.
    SettingNames.requireName(name);
    requireNonNull(commentProblem, "commentProblem");
    KeyFollower<R> follower =
        new KeyFollower<>(
            resolver,
            name,
            List.of(name, name + EnvironmentKeys.PREVIOUS_SUFFIX),
            commentProblem,
            load,
            keyIds,
            holdsPrimary);
    follower.begin();
    return follower;
  }

  private final String name;
  // Null: NAME holds one key, never a key file.
  private final Function<String, String> commentProblem;
  private final BiFunction<String, Map<String, String>, R> load;
  private final Function<? super R, List<String>> keyIds;
  private final BiPredicate<? super R, ? super R> holdsPrimary;
  private final Map<String, SecretHandle> handles = new LinkedHashMap<>();
  private final List<SecretHandle.Registration> registrations = new ArrayList<>();
  private volatile R current;
  private volatile List<Problem> problems = List.of();
  private boolean closed;
  private boolean changedWhileStarting;

  private KeyFollower(
      SecretResolver resolver,
      String name,
      List<String> variables,
      Function<String, String> commentProblem,
      BiFunction<String, Map<String, String>, R> load,
      Function<? super R, List<String>> keyIds,
      BiPredicate<? super R, ? super R> holdsPrimary) {
    requireNonNull(resolver, "resolver");
    this.name = name;
    this.commentProblem = commentProblem;
    this.load = requireNonNull(load, "load");
    this.keyIds = requireNonNull(keyIds, "keyIds");
    this.holdsPrimary = requireNonNull(holdsPrimary, "holdsPrimary");
    for (String variable : variables) {
      handles.put(variable, resolver.handle(reference(variable)));
    }
  }

  /**
   * Loads keys that are not a ring of key strings, from variables none of which holds a key file,
   * and follows their source.
   *
   * @param <R> the kind of keys
   * @param resolver resolves each variable as a reference ({@code SecretRef.parse(variable)})
   * @param name the name the kind's loader takes, such as {@code API_KEY}
   * @param variables the variables the loader reads, {@code name}'s first
   * @param load the kind's loader, such as {@code ApiKeyVerifier::fromEnvironment}
   * @param keyIds the keys' identifiers, the current first
   * @param holdsPrimary whether the first keys hold the current key of the second, the same bytes
   *     (always true where an identifier is the whole of what it identifies)
   * @return the follower
   * @throws ConfigException listing every problem, if the keys cannot be loaded now, or if {@code
   *     name} looks like a key ({@link SettingNames#requireName}), before anything is resolved
   * @throws io.latchkey.ProviderException if a variable cannot be resolved now
   * @throws IllegalArgumentException if a variable is not a valid reference
   */
  public static <R> KeyFollower<R> start(
      SecretResolver resolver,
      String name,
      List<String> variables,
      BiFunction<String, Map<String, String>, R> load,
      Function<? super R, List<String>> keyIds,
      BiPredicate<? super R, ? super R> holdsPrimary) {
    requireNonNull(name, "name");
    SettingNames.requireName(name);
    KeyFollower<R> follower =
        new KeyFollower<>(resolver, name, variables, null, load, keyIds, holdsPrimary);
    follower.begin();
    return follower;
  }

  private static SecretRef reference(String variable) {
    try {
      return SecretRef.parse(variable);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the keys' variables must be references; " + e.getMessage(), e);
    }
  }

  /**
   * Registers the reactions, then loads: a version the resolver takes in between would otherwise
   * reach no reaction, and the keys would stay older than their source until its next change.
   * Holding the lock makes a reaction on another thread wait for the first keys; one on this thread
   * (a provider that announces a change while being read) is noted and loaded after them.
   */
  private synchronized void begin() {
    try {
      for (SecretHandle handle : handles.values()) {
        registrations.add(handle.onChange(this::reload));
      }
      current = load();
    } catch (Unreadable e) {
      close();
      // The resolver's own exception, which names the reference that failed.
      throw e.first();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    if (changedWhileStarting) {
      changedWhileStarting = false;
      reload();
    }
  }

  @Override
  public R current() {
    return current;
  }

  @Override
  public List<Problem> problems() {
    return problems;
  }

  /**
   * Loads the keys again and swaps them in, or keeps those in use and says why: a variable that
   * could not be read is named itself ({@code NAME_PREVIOUS}, not {@code NAME}, when that is the
   * one whose backend failed); keys that do not load are named as their loader names them; keys
   * that drop the current key are named by {@code NAME}, the keys as a whole.
   */
  synchronized void reload() {
    if (closed) {
      return;
    }
    if (current == null) {
      changedWhileStarting = true;
      return;
    }
    R next;
    try {
      next = load();
    } catch (ConfigException e) {
      refuse(e.problems());
      return;
    } catch (Unreadable e) {
      // Each variable that failed, by its own name: in a half-done rotation NAME reads well and
      // NAME_PREVIOUS does not, and a problem under NAME would send the operator to the wrong
      // secret.
      List<Problem> found = new ArrayList<>();
      e.failures.forEach(
          (variable, failure) ->
              found.add(new Problem(variable, "could not be read: " + kindOf(failure))));
      refuse(found);
      return;
    } catch (LatchkeyException e) {
      // The loader's own failure, other than its problems: the keys under NAME as a whole.
      refuse(List.of(new Problem(name, "could not be loaded: " + kindOf(e))));
      return;
    }
    R previous = current;
    List<String> before = keyIds.apply(previous);
    List<String> after = keyIds.apply(next);
    String primary = before.get(0);
    if (!after.contains(primary)) {
      refuse(
          List.of(
              new Problem(
                  name,
                  "the new keys drop key "
                      + shortId(primary)
                      + ", which is current now and wrote what is stored; keep it among the"
                      + " previous keys until nothing needs it")));
      return;
    }
    // Identifiers are short: a different key may share the current key's, and pass for it.
    if (!holdsPrimary.test(next, previous)) {
      refuse(
          List.of(
              new Problem(
                  name,
                  "the new keys drop key "
                      + shortId(primary)
                      + ", which is current now and wrote what is stored: a different key has the"
                      + " same id; keep the current key among the previous keys until nothing"
                      + " needs it, and generate another new key")));
      return;
    }
    current = next;
    if (!problems.isEmpty()) {
      problems = List.of();
      LOG.info("{}: the source loads again; following it", name);
    }
    if (!before.equals(after)) {
      LOG.info(
          "{}: keys changed: current {} and {} previous (were current {} and {} previous)",
          name,
          shortId(after.get(0)),
          after.size() - 1,
          shortId(primary),
          before.size() - 1);
    }
  }

  private void refuse(List<Problem> found) {
    List<Problem> reasons = List.copyOf(found);
    if (!reasons.equals(problems)) {
      LOG.warn(
          "{}: keeping the keys in use (current {}); the new version is refused: {}",
          name,
          shortId(keyIds.apply(current).get(0)),
          describe(reasons));
    }
    problems = reasons;
  }

  /**
   * Reads every variable, then builds the keys.
   *
   * @throws Unreadable naming every variable that could not be read (one that is unset is not among
   *     them), after trying them all
   */
  private R load() {
    Map<String, String> values = new HashMap<>();
    Map<String, LatchkeyException> failures = new LinkedHashMap<>();
    for (Map.Entry<String, SecretHandle> entry : handles.entrySet()) {
      Secret value;
      try {
        value = entry.getValue().get();
      } catch (SecretNotFoundException e) {
        continue; // unset
      } catch (LatchkeyException e) {
        failures.put(entry.getKey(), e);
        continue;
      }
      try {
        values.put(entry.getKey(), value.reveal());
      } finally {
        value.wipe();
      }
    }
    if (!failures.isEmpty()) {
      values.clear();
      throw new Unreadable(failures);
    }
    if (commentProblem != null) {
      splitKeyFile(values);
    }
    return load.apply(name, values);
  }

  /**
   * Reads a {@code NAME} that holds several keys, one per line (a mounted key file), as {@code
   * NAME} holding the first and {@code NAME_PREVIOUS} the rest; a leading byte-order mark, blank
   * lines and lines starting with {@code #} are skipped.
   *
   * @throws ConfigException naming the line of every key that holds a comma (which would split it
   *     in {@code NAME_PREVIOUS}) and of every comment that the kind of key says is a key
   */
  private void splitKeyFile(Map<String, String> values) {
    String raw = values.get(name);
    if (raw == null) {
      return;
    }
    String text = KeyLists.withoutByteOrderMark(raw);
    if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
      values.put(name, text);
      return;
    }
    List<String> keys = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    String[] lines = text.split("\r\n|\r|\n");
    for (int i = 0; i < lines.length; i++) {
      String key = lines[i].strip();
      String problem;
      if (key.isEmpty()) {
        continue;
      } else if (key.startsWith("#")) {
        problem = commentProblem.apply(key);
      } else if (key.indexOf(',') >= 0) {
        problem =
            "holds a comma; no key holds one, and the keys after the first are read as a"
                + " comma-separated list";
      } else {
        keys.add(key);
        continue;
      }
      if (problem != null) {
        problems.add(new Problem(name + " line " + (i + 1), problem));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    if (keys.size() < 2) {
      values.put(name, keys.isEmpty() ? "" : keys.get(0));
      return;
    }
    String previousName = name + EnvironmentKeys.PREVIOUS_SUFFIX;
    String previous = values.get(previousName);
    if (previous != null && !previous.isBlank()) {
      throw new ConfigException(
          name,
          "holds several keys, one per line, and "
              + previousName
              + " is set too; list the previous keys in one place");
    }
    values.put(name, keys.get(0));
    values.put(previousName, String.join(",", keys.subList(1, keys.size())));
  }

  /**
   * The variables that could not be read, each with its failure. Never leaves this class: {@link
   * #begin} throws the first failure itself, and {@link #reload} turns them into problems.
   */
  private static final class Unreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Map<String, LatchkeyException> failures;

    Unreadable(Map<String, LatchkeyException> failures) {
      super(null, null, false, false);
      this.failures = failures;
    }

    LatchkeyException first() {
      return failures.values().iterator().next();
    }
  }

  private static String kindOf(LatchkeyException e) {
    return e instanceof ProviderException p ? p.kind().label() : e.getClass().getSimpleName();
  }

  private static String describe(List<Problem> problems) {
    StringBuilder sb = new StringBuilder();
    for (Problem p : problems) {
      sb.append(sb.length() == 0 ? "" : "; ").append(p.setting()).append(": ").append(p.reason());
    }
    return sb.toString();
  }

  /** Identifiers are fingerprints; a long one (an API key's hash) is cut to its first eight. */
  private static String shortId(String id) {
    return id.length() <= 12 ? id : id.substring(0, 8);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      registrations.forEach(SecretHandle.Registration::close);
    }
  }

  /** Returns the name, the current key's identifier and the number of problems; never a key. */
  @Override
  public String toString() {
    return "FollowingKeys["
        + name
        + ", current="
        + shortId(keyIds.apply(current).get(0))
        + ", problems="
        + problems.size()
        + "]";
  }
}
