package io.latchkey.crypto;

import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@code env}-scheme provider over a map that a test rotates: each change makes a new version,
 * and {@link #announce()} tells the resolvers, as the env provider does after a poll took a file.
 * Public for the tests of the other packages of this module.
 */
public final class MapProvider implements SecretProvider {
  private final Map<String, String> values = new ConcurrentHashMap<>();
  private final Map<String, Integer> versions = new ConcurrentHashMap<>();
  private final AtomicInteger next = new AtomicInteger();
  private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();
  private final Set<String> down = ConcurrentHashMap.newKeySet();

  /** Creates an empty provider. */
  public MapProvider() {}

  /**
   * Sets a value, as a new version.
   *
   * @param name the variable
   * @param value its value
   * @return this provider
   */
  public MapProvider set(String name, String value) {
    values.put(name, value);
    versions.put(name, next.incrementAndGet());
    return this;
  }

  /**
   * Removes a value.
   *
   * @param name the variable
   * @return this provider
   */
  public MapProvider unset(String name) {
    values.remove(name);
    versions.remove(name);
    return this;
  }

  /**
   * Makes a variable's reads fail as a backend outage does ({@code UNAVAILABLE}), or work again.
   *
   * @param name the variable
   * @param isDown whether its reads fail
   * @return this provider
   */
  public MapProvider down(String name, boolean isDown) {
    if (isDown) {
      down.add(name);
    } else {
      down.remove(name);
    }
    return this;
  }

  /** Tells every resolver registered that values changed. */
  public void announce() {
    callbacks.forEach(Runnable::run);
  }

  @Override
  public String name() {
    return "env";
  }

  @Override
  public SecretVersion fetch(SecretRef ref) {
    check(ref);
    String value = values.get(ref.path());
    if (value == null) {
      throw new SecretNotFoundException(ref, "not set");
    }
    return SecretVersion.of(Secret.of(value), "v" + versions.get(ref.path()), Instant.EPOCH);
  }

  @Override
  public Optional<String> currentVersionId(SecretRef ref) {
    check(ref);
    Integer version = versions.get(ref.path());
    if (version == null) {
      throw new SecretNotFoundException(ref, "not set");
    }
    return Optional.of("v" + version);
  }

  private void check(SecretRef ref) {
    if (down.contains(ref.path())) {
      throw new ProviderException(ref, ProviderException.Kind.UNAVAILABLE, "backend down");
    }
  }

  @Override
  public void onChange(Runnable callback) {
    callbacks.add(callback);
  }

  @Override
  public Optional<ConfigValue> get(String name) {
    return Optional.empty();
  }

  @Override
  public String description() {
    return "map (" + values.size() + " values)";
  }
}
