package io.latchkey.resolver;

import io.latchkey.ProviderException;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads a field reference ({@code aws:prod/db#password}) from its whole secret ({@code
 * aws:prod/db}), fetched once per version for all its fields, when the provider {@linkplain
 * SecretProvider#extractsFields() extracts fields} itself. A failure to fetch the whole secret is
 * reported under the field reference, which is what the caller asked for.
 *
 * <p>The whole secret is held only to re-check its version, never served: a field's value is served
 * stale from its own cache entry, by the stale-on-error link around this one. When a field's load
 * brings a new version, the cache loads the other fields it holds of that secret through this link
 * in the same load, and they are read from the whole secret just fetched.
 */
final class FieldLink implements Link {
  private final Map<String, SecretProvider> providers;
  private final Link wholes;
  private final Clock clock;
  // By reference without field; never served themselves.
  private final ConcurrentHashMap<SecretRef, Entry> held = new ConcurrentHashMap<>();
  private final SingleFlight loads = new SingleFlight(this::fetchWhole);
  private volatile boolean closed;

  /**
   * @param providers the providers by scheme
   * @param wholes the chain that fetches a whole secret (retry, time-out, provider)
   * @param clock the resolver's clock
   */
  FieldLink(Map<String, SecretProvider> providers, Link wholes, Clock clock) {
    this.providers = providers;
    this.wholes = wholes;
    this.clock = clock;
  }

  @Override
  public Entry proceed(SecretRef ref, Entry cached) {
    Entry whole;
    try {
      whole = whole(ref.withoutField());
    } catch (ProviderException e) {
      throw new ProviderException(ref, e.kind(), e.reason(), e);
    } catch (SecretNotFoundException e) {
      throw new SecretNotFoundException(ref, e.reason());
    }
    SecretVersion version;
    try {
      version = providers.get(ref.scheme()).field(ref, whole.version());
    } catch (Throwable t) {
      throw ProviderFailure.reduce(ref, t);
    }
    if (version == null) {
      throw new ProviderException(
          ref, ProviderException.Kind.MALFORMED_RESPONSE, "the provider returned no field");
    }
    return new Entry(version, whole.refreshAt(), whole.expiresAt(), whole.staleDeadline(), null);
  }

  /**
   * Makes every whole secret held for a scheme due for a re-check, so that the next field load asks
   * the provider again: the provider said that something it serves changed.
   */
  void expire(String scheme) {
    long now = clock.millis();
    held.replaceAll((base, whole) -> base.scheme().equals(scheme) ? whole.recheckAt(now) : whole);
  }

  /**
   * Makes the whole secret of one field reference due for a re-check, so that the next load of any
   * of its fields asks the provider again.
   */
  void recheck(SecretRef base) {
    long now = clock.millis();
    held.computeIfPresent(base, (b, whole) -> whole.recheckAt(now));
  }

  /** Drops every whole secret held: the resolver is closed. */
  void clear() {
    closed = true;
    held.clear();
  }

  /** Returns a whole secret held fresh, or fetches it: one fetch however many fields wait. */
  private Entry whole(SecretRef base) {
    Entry current = held.get(base);
    if (current != null && clock.millis() < current.refreshAt()) {
      return current;
    }
    return loads.load(base);
  }

  private Entry fetchWhole(SecretRef base) {
    try {
      // Another field's load may have fetched it while this one waited to start.
      Entry current = held.get(base);
      Entry next =
          current != null && clock.millis() < current.refreshAt()
              ? current
              : wholes.proceed(base, current);
      held.put(base, next);
      if (closed) {
        // Fetched as the resolver closed: see EntryCache.store.
        held.remove(base, next);
      }
      return next;
    } catch (SecretNotFoundException e) {
      held.remove(base);
      throw e;
    }
  }
}
