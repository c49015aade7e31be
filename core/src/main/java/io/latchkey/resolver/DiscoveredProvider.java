package io.latchkey.resolver;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider found on the class path that the resolver creates the first time a reference of its
 * scheme is resolved, so an application that never names {@code aws:} never loads the AWS SDK.
 *
 * <p>If creation fails, every call reports the same failure: a wrong provider setting ({@link
 * ConfigException}) with its problems, since the environment it was given does not change; anything
 * else the factory throws (a defect, a missing class) by its class only, as {@link ProviderLink}
 * reports what a provider throws, since its message may quote a credential the factory read.
 *
 * <p>{@link #close()} never waits for a creation under way (an SDK may take seconds to start): the
 * thread creating the provider closes it as soon as it exists, and fails its own call.
 */
final class DiscoveredProvider implements SecretProvider {
  private static final Logger LOG = LoggerFactory.getLogger(SecretResolver.class);

  private final String name;
  private final Map<String, String> environment;
  // Held while the provider is created, so that it is created once; close() never takes it.
  private final Object creation = new Object();
  private volatile SecretProvider delegate;
  // Set once, when creation failed: the settings' problems, or the factory's throwable reduced.
  private volatile ConfigException failure;
  private volatile ProviderFailure crash;
  // Written under this, which is held only for moments: the hand-over between creation and close.
  private volatile boolean closed;
  private Duration attemptTimeout;
  private final List<Runnable> changeCallbacks = new ArrayList<>();

  DiscoveredProvider(String name, Map<String, String> environment) {
    this.name = name;
    this.environment = Map.copyOf(environment);
  }

  /** Returns the provider, creating it if needed, or {@code null} if it could not be created. */
  private SecretProvider created() {
    SecretProvider current = delegate;
    if (current != null) {
      return current;
    }
    synchronized (creation) {
      checkOpen();
      if (delegate != null || failure != null || crash != null) {
        return delegate;
      }
      SecretProvider made;
      try {
        made = SecretProviders.create(name, environment);
      } catch (ConfigException e) {
        failure = e;
        return null;
      } catch (Throwable t) {
        if (ProviderFailure.isFatal(t)) {
          throw t;
        }
        // extractsFields() creates the provider outside the chain that reduces what providers
        // throw, so the reduction happens here, for every caller.
        crash = ProviderFailure.standIn(t);
        return null;
      }
      synchronized (this) {
        if (!closed) {
          if (attemptTimeout != null) {
            made.attemptTimeout(attemptTimeout);
          }
          changeCallbacks.forEach(made::onChange);
          delegate = made;
          return made;
        }
      }
      // The resolver closed while the provider was being created: nobody else will close it.
      made.close();
      throw new IllegalStateException("the secret resolver is closed");
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the secret resolver is closed");
    }
  }

  private SecretProvider delegate(SecretRef ref) {
    checkOpen();
    SecretProvider provider = created();
    if (provider != null) {
      return provider;
    }
    ProviderFailure crashed = crash;
    if (crashed != null) {
      throw new ProviderException(
          ref,
          ProviderException.Kind.OTHER,
          "provider '" + name + "' could not be created: its factory failed with " + crashed.type(),
          crashed);
    }
    String problems =
        failure.problems().stream()
            .map(p -> p.setting() + " " + p.reason())
            .collect(Collectors.joining("; "));
    throw new ProviderException(
        ref,
        ProviderException.Kind.OTHER,
        "provider '" + name + "' could not be created: " + problems,
        failure);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public SecretVersion fetch(SecretRef ref) {
    return delegate(ref).fetch(ref);
  }

  @Override
  public Optional<String> currentVersionId(SecretRef ref) {
    return delegate(ref).currentVersionId(ref);
  }

  /** Tells whether the resolver closed this provider. */
  boolean isClosed() {
    return closed;
  }

  /** Creates the provider to ask it; a provider that could not be created extracts nothing. */
  /**
   * Tells whether creation has ended, in a provider or a failure: until then, {@link
   * #extractsFields()} would create the provider, or wait for the thread that does.
   */
  boolean isSettled() {
    return delegate != null || failure != null || crash != null;
  }

  @Override
  public boolean extractsFields() {
    checkOpen();
    SecretProvider provider = created();
    return provider != null && provider.extractsFields();
  }

  @Override
  public SecretVersion field(SecretRef ref, SecretVersion whole) {
    return delegate(ref).field(ref, whole);
  }

  /** Kept for the provider this one creates, which is told it when it is created. */
  @Override
  public synchronized void attemptTimeout(Duration timeout) {
    if (attemptTimeout == null || timeout.compareTo(attemptTimeout) < 0) {
      attemptTimeout = timeout;
    }
    if (delegate != null) {
      delegate.attemptTimeout(attemptTimeout);
    }
  }

  /** Kept for the provider this one creates, which is given it when it is created. */
  @Override
  public synchronized void onChange(Runnable callback) {
    changeCallbacks.add(callback);
    if (delegate != null) {
      delegate.onChange(callback);
    }
  }

  /** Withdrawn from the provider this one created, if any, and from those it will create. */
  @Override
  public synchronized void removeOnChange(Runnable callback) {
    changeCallbacks.removeIf(c -> c == callback);
    if (delegate != null) {
      delegate.removeOnChange(callback);
    }
  }

  /** Asks the provider if it was created; one that was not holds no source back. */
  @Override
  public List<ConfigException.Problem> sourceProblems() {
    SecretProvider current = delegate;
    return current == null ? List.of() : current.sourceProblems();
  }

  @Override
  public Map<SecretRef, SecretVersion> fetchAll(Collection<SecretRef> refs) {
    if (refs.isEmpty()) {
      return Map.of();
    }
    return delegate(refs.iterator().next()).fetchAll(refs);
  }

  /** Configuration goes through the provider the application selected, not through this one. */
  @Override
  public Optional<ConfigValue> get(String name) {
    return Optional.empty();
  }

  @Override
  public Set<String> names() {
    return Set.of();
  }

  @Override
  public String description() {
    SecretProvider current = delegate;
    return current == null ? name + " (not created yet)" : current.description();
  }

  @Override
  public void close() {
    SecretProvider current;
    synchronized (this) {
      closed = true;
      current = delegate;
      delegate = null;
    }
    if (current != null) {
      current.close();
    }
  }

  @Override
  public String toString() {
    return "DiscoveredProvider[" + description() + "]";
  }

  /** Closes each provider; one that fails is logged by its class and stops none of the others. */
  static void closeAll(List<DiscoveredProvider> providers) {
    for (DiscoveredProvider provider : providers) {
      try {
        provider.close();
      } catch (Throwable t) {
        if (ProviderFailure.isFatal(t)) {
          throw t;
        }
        // Its message may quote what the provider held; an Error's as much as an exception's.
        LOG.warn(
            "closing secret provider '{}' failed with {}", provider.name(), t.getClass().getName());
      }
    }
  }
}
