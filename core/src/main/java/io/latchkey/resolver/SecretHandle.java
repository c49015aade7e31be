package io.latchkey.resolver;

import static java.util.Objects.requireNonNull;

import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A reference's current value, for an application to keep instead of a {@link Secret}: {@link
 * #get()} always returns the value the resolver holds now, so a rotated password or key is picked
 * up without a restart, and {@link #onChange(Runnable)} runs a reaction when the value changes
 * (close and reopen a client, evict a pool's idle connections).
 *
 * <pre>{@code
 * SecretHandle password = resolver.handle(SecretRef.parse("aws:prod/db#password"));
 * dataSource.setPasswordSupplier(() -> password.get().reveal());   // each new connection
 * SecretHandle.Registration evict = password.onChange(pool::softEvictConnections);
 * ...
 * evict.close();                                                  // no more reactions
 * }</pre>
 *
 * <p>A read costs less than {@link SecretResolver#resolve(SecretRef)}: the handle keeps the cache
 * entry it last read and checks only whether it is due, as {@code resolve} does, with no map
 * look-up. A reference with a reaction is also refreshed by the resolver when it is due, whether or
 * not anyone reads it, so the reaction hears of a new version at most about a second after its
 * time-to-live or, for a provider that reports its changes (mounted files), as soon as the provider
 * sees it. Handles are thread-safe; {@code toString()} names the reference, never the value.
 *
 * @since 0.2
 */
public final class SecretHandle {
  /** Ends one {@link #onChange(Runnable)} registration. */
  @FunctionalInterface
  public interface Registration extends AutoCloseable {
    /** Stops the reaction; idempotent. */
    @Override
    void close();
  }

  /** The entry last read, and the number of value changes the resolver had seen then. */
  private record Seen(Entry entry, long generation) {}

  private final SecretRef ref;
  private final SecretResolver resolver;
  private final EntryCache cache;
  private final Watches watches;
  private final Listeners listeners;
  // Kept only while no value changed anywhere since: a provider that reports a change replaces
  // entries before their refresh time, which the time check alone would not notice.
  private volatile Seen seen;

  SecretHandle(
      SecretRef ref,
      SecretResolver resolver,
      EntryCache cache,
      Watches watches,
      Listeners listeners) {
    this.ref = ref;
    this.resolver = resolver;
    this.cache = cache;
    this.watches = watches;
    this.listeners = listeners;
  }

  /**
   * Returns the reference this handle reads.
   *
   * @return the reference
   */
  public SecretRef ref() {
    return ref;
  }

  /**
   * Returns the reference's current value, as {@link SecretResolver#resolve(SecretRef)} would.
   *
   * @return a copy of the value, which the caller may wipe
   * @throws SecretNotFoundException if the secret, version or field does not exist
   * @throws ProviderException if the provider failed and no value may be served stale
   * @throws IllegalStateException if the resolver is closed
   */
  public Secret get() {
    Seen s = seen;
    if (s != null
        && cache.fresh(s.entry())
        && s.generation() == listeners.changes()
        && resolver.isOpen()) {
      return s.entry().value().copy();
    }
    return slow(resolver.now());
  }

  private Secret slow(long now) {
    resolver.checkOpen();
    long generation = listeners.changes();
    // Serves a held entry not yet due at once, as resolve() does.
    Secret value = cache.readNotFresh(ref, cache.held(ref), now);
    Entry after = cache.held(ref);
    if (after != null) {
      seen = new Seen(after, generation);
      if (!resolver.isOpen()) {
        // Closed during the read: close() may have passed this handle already.
        seen = null;
      }
    }
    return value;
  }

  /** Drops the entry last read, value and all: the resolver is closed. */
  void forget() {
    seen = null;
  }

  /**
   * Runs a reaction each time the reference's value changes to another version, after the resolver
   * holds the new one (so {@link #get()} in the reaction returns it). The resolver keeps the
   * reference refreshed while a reaction is registered.
   *
   * <p>The reaction runs on the thread that loaded the new value; keep it short. Whatever it throws
   * is logged (its type only) and goes no further, as for a {@link SecretResolver.Listener}.
   *
   * @param reaction what to do, such as evicting a pool's idle connections
   * @return the registration, whose {@link Registration#close()} stops the reaction
   */
  public Registration onChange(Runnable reaction) {
    requireNonNull(reaction, "reaction");
    SecretResolver.Listener listener = (changed, before, after) -> reaction.run();
    listeners.add(ref, listener);
    watches.watch(ref);
    AtomicBoolean open = new AtomicBoolean(true);
    return () -> {
      if (open.compareAndSet(true, false)) {
        listeners.remove(listener);
        watches.unwatch(ref);
      }
    };
  }

  /** Returns {@code SecretHandle[}the reference{@code ]}; never a value. */
  @Override
  public String toString() {
    return "SecretHandle[" + ref + "]";
  }
}
