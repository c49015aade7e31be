package io.latchkey.resolver;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.SecretRef;

import io.latchkey.config.ConfigValue;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A provider found on the class path that the resolver creates the first time a reference of its
 * scheme is resolved, so an application that never names {@code aws:} never loads the AWS SDK.
 *
 * <p>If creation fails (a provider setting is wrong), every call reports the same problems; the
 * environment it was given does not change, so trying again would not help.
 */
final class DiscoveredProvider implements SecretProvider {
  private final String name;
  private final Map<String, String> environment;
  private SecretProvider delegate;
  private ConfigException failure;
  private boolean closed;
  private Duration attemptTimeout;

  DiscoveredProvider(String name, Map<String, String> environment) {
    this.name = name;
    this.environment = Map.copyOf(environment);
  }

  private synchronized SecretProvider delegate(SecretRef ref) {
    if (closed) {
      throw new IllegalStateException("the secret resolver is closed");
    }
    if (delegate == null && failure == null) {
      try {
        delegate = SecretProviders.create(name, environment);
        if (attemptTimeout != null) {
          delegate.attemptTimeout(attemptTimeout);
        }
      } catch (ConfigException e) {
        failure = e;
      }
    }
    if (failure != null) {
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
    return delegate;
  }

  private synchronized SecretProvider created() {
    return delegate;
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

  /** Creates the provider to ask it; a provider that could not be created extracts nothing. */
  @Override
  public boolean extractsFields() {
    try {
      return delegate(SecretRef.of(name, "x")).extractsFields();
    } catch (ProviderException e) {
      return false;
    }
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
    SecretProvider created = created();
    return created == null ? name + " (not created yet)" : created.description();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (delegate != null) {
      delegate.close();
      delegate = null;
    }
  }

  @Override
  public String toString() {
    return "DiscoveredProvider[" + description() + "]";
  }
}
