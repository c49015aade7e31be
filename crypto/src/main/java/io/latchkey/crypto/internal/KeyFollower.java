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
import io.latchkey.resolver.SecretHandle;
import io.latchkey.resolver.SecretResolver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
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
   * NAME}, and follows them; see {@link #start}.
   *
   * @param <R> the kind of ring
   * @param resolver resolves each variable as a reference
   * @param name the variable of the primary key
   * @param load the ring's {@code fromEnvironment(name, Map)}
   * @param keyIds the ring's key identifiers, the primary first
   * @return the follower
   */
  public static <R> KeyFollower<R> ring(
      SecretResolver resolver,
      String name,
      BiFunction<String, Map<String, String>, R> load,
      Function<? super R, List<String>> keyIds) {
    requireNonNull(name, "name");
    return start(
        resolver, name, List.of(name, name + EnvironmentKeys.PREVIOUS_SUFFIX), true, load, keyIds);
  }

  private final String name;
  private final boolean keyFileInName;
  private final BiFunction<String, Map<String, String>, R> load;
  private final Function<? super R, List<String>> keyIds;
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
      boolean keyFileInName,
      BiFunction<String, Map<String, String>, R> load,
      Function<? super R, List<String>> keyIds) {
    this.name = name;
    this.keyFileInName = keyFileInName;
    this.load = load;
    this.keyIds = keyIds;
    for (String variable : variables) {
      handles.put(variable, resolver.handle(reference(variable)));
    }
  }

  /**
   * Loads the keys and follows their source.
   *
   * @param <R> the kind of keys
   * @param resolver resolves each variable as a reference ({@code SecretRef.parse(variable)})
   * @param name the name the kind's loader takes, such as {@code APP_ENCRYPTION_KEY}
   * @param variables the variables the loader reads, {@code name} first
   * @param keyFileInName whether {@code NAME} may hold a whole key file (one key per line, the
   *     current first), read as {@code NAME} and {@code NAME_PREVIOUS}
   * @param load the kind's loader, such as {@code FernetKeyRing::fromEnvironment}
   * @param keyIds the keys' identifiers, the current first
   * @return the follower
   * @throws ConfigException listing every problem, if the keys cannot be loaded now
   * @throws io.latchkey.ProviderException if a variable cannot be resolved now
   * @throws IllegalArgumentException if a variable is not a valid reference
   */
  public static <R> KeyFollower<R> start(
      SecretResolver resolver,
      String name,
      List<String> variables,
      boolean keyFileInName,
      BiFunction<String, Map<String, String>, R> load,
      Function<? super R, List<String>> keyIds) {
    requireNonNull(resolver, "resolver");
    requireNonNull(name, "name");
    KeyFollower<R> follower =
        new KeyFollower<>(resolver, name, variables, keyFileInName, load, keyIds);
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

  /** Loads the keys again and swaps them in, or keeps those in use and says why. */
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
    } catch (LatchkeyException e) {
      refuse(List.of(new Problem(name, "could not be read: " + kindOf(e))));
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

  private R load() {
    Map<String, String> values = new HashMap<>();
    for (Map.Entry<String, SecretHandle> entry : handles.entrySet()) {
      Secret value;
      try {
        value = entry.getValue().get();
      } catch (SecretNotFoundException e) {
        continue; // unset
      }
      try {
        values.put(entry.getKey(), value.reveal());
      } finally {
        value.wipe();
      }
    }
    if (keyFileInName) {
      splitKeyFile(values);
    }
    return load.apply(name, values);
  }

  /**
   * Reads a {@code NAME} that holds several keys, one per line (a mounted key file), as {@code
   * NAME} holding the first and {@code NAME_PREVIOUS} the rest; blank lines and lines starting with
   * {@code #} are skipped.
   */
  private void splitKeyFile(Map<String, String> values) {
    String text = values.get(name);
    if (text == null || (text.indexOf('\n') < 0 && text.indexOf('\r') < 0)) {
      return;
    }
    List<String> keys = new ArrayList<>();
    for (String line : text.split("\r\n|\r|\n")) {
      String key = line.strip();
      if (!key.isEmpty() && !key.startsWith("#")) {
        keys.add(key);
      }
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
