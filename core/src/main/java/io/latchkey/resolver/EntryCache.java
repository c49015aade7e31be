package io.latchkey.resolver;

import io.latchkey.LatchkeyException;
import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.spi.SecretProvider;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resolver's cache: one {@link Entry} per reference, read without a lock, loaded through the
 * chain of links one load per reference at a time, and refreshed in the background while it holds a
 * value to serve, so that only a reference with nothing to serve makes its reader wait.
 */
final class EntryCache {
  private static final Logger LOG = LoggerFactory.getLogger(SecretResolver.class);

  private final ConcurrentHashMap<SecretRef, Entry> entries;
  private final Map<String, SecretProvider> providers;
  private final Link chain;
  private final Link fieldChain;
  private final FieldLink fields;
  private final long forcedAskMillis;
  private final Executor executor;
  private final Clock clock;
  private final HealthBook health;
  private final Listeners listeners;
  private final RefreshTimer timer;
  private final Predicate<SecretRef> watched;
  private final SingleFlight loads = new SingleFlight(this::loadNow);
  // References whose last load left them without a value: the next value stored for a watched one
  // is an appearance. A reference merely not loaded yet is not absent, or a reaction set
  // up before the first read would hear of a change that never happened.
  private final Set<SecretRef> absent = ConcurrentHashMap.newKeySet();
  // When each reference was last asked for by refresh(ref), by the clock: at most once per
  // failure re-check interval.
  private final ConcurrentHashMap<SecretRef, Long> forcedAsks = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param entries the map of entries, which {@link SecretResolver#resolve(SecretRef)} reads itself
   *     for a value held fresh
   * @param providers the providers by scheme
   * @param chain loads a reference from its provider
   * @param fieldChain loads a field reference from its whole secret, for providers that extract
   *     fields
   * @param fields the link of the field chain that holds the whole secrets
   * @param forcedAsk the least time between two forced asks for one reference ({@link
   *     #refresh(SecretRef)})
   * @param executor runs background refreshes
   * @param clock the resolver's clock
   * @param health where loads report references served stale or failed
   * @param listeners told when a load changed a value
   * @param timer marks each stored entry due at its refresh time; {@code null} when every read
   *     checks the clock instead
   * @param watched whether a reaction watches a reference, whose first value is then announced
   */
  EntryCache(
      ConcurrentHashMap<SecretRef, Entry> entries,
      Map<String, SecretProvider> providers,
      Link chain,
      Link fieldChain,
      FieldLink fields,
      Duration forcedAsk,
      Executor executor,
      Clock clock,
      HealthBook health,
      Listeners listeners,
      RefreshTimer timer,
      Predicate<SecretRef> watched) {
    this.entries = entries;
    this.providers = providers;
    this.chain = chain;
    this.fieldChain = fieldChain;
    this.fields = fields;
    this.forcedAskMillis = forcedAsk.toMillis();
    this.executor = executor;
    this.clock = clock;
    this.health = health;
    this.listeners = listeners;
    this.timer = timer;
    this.watched = watched;
  }

  /**
   * Tells whether an entry may be served without a look at its times: with a timer, until the timer
   * marks it due, so that the read reads no clock; without one, until the clock reaches its refresh
   * time.
   */
  boolean fresh(Entry entry) {
    return timer != null ? !entry.isDue() : clock.millis() < entry.refreshAt();
  }

  /** Stops the timer, if there is one; from now on nothing loaded is kept. */
  void close() {
    closed = true;
    if (timer != null) {
      timer.close();
    }
  }

  /** Drops every value held, once the resolver is closed. */
  void clear() {
    entries.clear();
    fields.clear();
    absent.clear();
    forcedAsks.clear();
  }

  /**
   * Returns a copy of a reference's value when the entry held is not fresh: at once while it may be
   * served, starting one background refresh; after a load if there is nothing to serve.
   *
   * @param entry what the cache held when the caller looked, or {@code null}
   * @param now the clock's time when the caller looked
   */
  Secret readNotFresh(SecretRef ref, Entry entry, long now) {
    if (entry == null) {
      return load(ref).value().copy();
    }
    if (now < entry.refreshAt()) {
      // Not yet due: a timer that ran early (the wall clock stepped back), or a handle that found
      // its own entry replaced.
      return entry.value().copy();
    }
    if (now < entry.expiresAt()) {
      // The refresh stores its own result; this reader has a value and need not wait.
      var unused = loads.loadInBackground(ref, executor);
      return entry.value().copy();
    }
    if (now < entry.staleDeadline()) {
      // Expired but still servable if the backend fails: the backend may hang, so no reader waits
      // for it. Only a refresh that has already finished (on a direct executor) is used.
      CompletableFuture<Entry> refresh = loads.loadInBackground(ref, executor);
      if (!refresh.isDone()) {
        return entry.value().copy();
      }
      return SingleFlight.await(ref, refresh).value().copy();
    }
    return load(ref).value().copy();
  }

  /** Returns what the cache holds for a reference, or {@code null}. */
  Entry held(SecretRef ref) {
    return entries.get(ref);
  }

  /** Loads a reference on the calling thread, or waits for the load already under way. */
  Entry load(SecretRef ref) {
    if (!providers.containsKey(ref.scheme())) {
      throw unknownScheme(ref);
    }
    return loads.load(ref);
  }

  /**
   * Asks the provider for a reference again now, through its single flight, unless it was asked so
   * less than the forced-ask interval ago or a load of it is under way (which asks already).
   *
   * @return whether a value other than the one held (or a value where none was held) was stored
   */
  boolean refresh(SecretRef ref) {
    if (!providers.containsKey(ref.scheme())) {
      throw unknownScheme(ref);
    }
    long now = clock.millis();
    boolean[] mine = {false};
    forcedAsks.compute(
        ref,
        (r, last) -> {
          // A clock that stepped back does not hold the next ask off.
          if (last != null && now >= last && now - last < forcedAskMillis) {
            return last;
          }
          mine[0] = true;
          return now;
        });
    if (!mine[0]) {
      return false;
    }
    Entry before = entries.get(ref);
    if (ref.field().isPresent()) {
      // The whole secret held fresh would otherwise answer without asking the provider.
      fields.recheck(ref.withoutField());
    }
    Entry after = loads.loadUnlessLoading(ref);
    if (after == null) {
      return false;
    }
    return before == null || Listeners.changed(ref, before.version(), after.version());
  }

  /**
   * Caches an entry loaded outside the chain (by a batch call), unless a load of the reference is
   * under way: that load stores what it finds, and storing beside it could tell the listeners of
   * one change twice, or put an older version over a newer one.
   */
  void storeUnlessLoading(SecretRef ref, Entry next) {
    loads.runUnlessLoading(
        ref,
        () -> {
          store(ref, entries.get(ref), next);
          return next;
        });
  }

  ProviderException unknownScheme(SecretRef ref) {
    return new ProviderException(
        ref,
        ProviderException.Kind.UNSUPPORTED,
        "no provider has the scheme '"
            + ref.scheme()
            + "'; registered: "
            + new TreeMap<>(providers).keySet());
  }

  private Entry loadNow(SecretRef ref) {
    Link link = chainFor(ref);
    if (link != fieldChain) {
      return loadThrough(link, ref);
    }
    // A field of a whole secret: its siblings held in the cache are stored from the same whole in
    // the same load, and the listeners hear of them together, once every one is stored.
    Entry[] loaded = new Entry[1];
    RuntimeException[] failure = new RuntimeException[1];
    listeners.batch(
        () -> {
          try {
            Entry previous = entries.get(ref);
            loaded[0] = loadThrough(fieldChain, ref);
            // A new version of the whole secret, whether or not this field's value changed.
            if (previous == null
                || Listeners.changed(ref.withoutField(), previous.version(), loaded[0].version())) {
              storeSiblings(ref);
            }
          } catch (RuntimeException e) {
            // Thrown after the batch, whose notices would otherwise be lost.
            failure[0] = e;
          }
        });
    if (failure[0] != null) {
      throw failure[0];
    }
    return loaded[0];
  }

  /**
   * Stores every other field of a field reference's whole secret that the cache holds, from the
   * whole secret that the field's load has just fetched (held fresh, so the provider is not asked
   * again): a user name and a password of one secret then change together, not each at its own
   * refresh time. A sibling whose own load is under way is left to that load, which reads the same
   * whole secret.
   */
  private void storeSiblings(SecretRef ref) {
    SecretRef base = ref.withoutField();
    for (SecretRef sibling : entries.keySet()) {
      if (sibling.equals(ref)
          || sibling.field().isEmpty()
          || !sibling.withoutField().equals(base)) {
        continue;
      }
      try {
        loads.runUnlessLoading(
            sibling,
            () -> {
              Entry previous = entries.get(sibling);
              Entry next = fieldChain.proceed(sibling, previous);
              store(sibling, previous, next);
              return next;
            });
      } catch (RuntimeException e) {
        failed(sibling, e);
      }
    }
  }

  private Entry loadThrough(Link link, SecretRef ref) {
    Entry previous = entries.get(ref);
    Entry next;
    try {
      next = link.proceed(ref, previous);
    } catch (RuntimeException e) {
      if (Thread.currentThread().isInterrupted()) {
        // The caller gave up waiting: the provider neither failed nor said the secret is gone.
        LOG.debug("secret {}: load abandoned, its thread interrupted", ref);
      } else {
        failed(ref, e);
      }
      throw e;
    }
    store(ref, previous, next);
    return next;
  }

  /** The field chain for a field of a provider that extracts fields, the plain chain otherwise. */
  private Link chainFor(SecretRef ref) {
    if (ref.field().isEmpty()) {
      return chain;
    }
    SecretProvider provider = providers.get(ref.scheme());
    if (provider instanceof DiscoveredProvider discovered && !discovered.isSettled()) {
      // Asking would create the provider on the caller's thread, outside its time-out: the plain
      // chain creates it inside the timed attempt, and fetches this field on its own, this once.
      return chain;
    }
    boolean extracts;
    try {
      extracts = provider.extractsFields();
    } catch (Throwable t) {
      if (provider instanceof DiscoveredProvider discovered
          && discovered.isClosed()
          && t instanceof IllegalStateException closed) {
        // Ours: the resolver closed while the provider was created. Any other throwable, the
        // created provider's own included, is reduced below.
        throw closed;
      }
      // Asked outside the links that reduce what a provider throws; its message may quote a value.
      throw ProviderFailure.reduce(ref, t);
    }
    return extracts ? fieldChain : chain;
  }

  private void failed(SecretRef ref, RuntimeException e) {
    Entry current = entries.get(ref);
    long now = clock.millis();
    if (current != null
        && (now >= current.staleDeadline()
            || (e instanceof LatchkeyException l
                && !StaleOnErrorLink.servable(l)
                // A stale entry's expiry is its stale deadline: it is past its own already.
                && (current.isStale() || now >= current.expiresAt())))) {
      // Past its stale age, or gone from the backend: nothing left to serve.
      entries.remove(ref, current);
      health.notStale(ref, now);
      current = null;
    }
    if (current == null) {
      // Only a provider's failure counts against it; an answer (the secret is gone, the request
      // is not valid) ends a failure counted earlier, as a value would.
      health.failed(ref, e instanceof ProviderException);
    }
    if (current == null) {
      // Kept for every reference, watched or not yet: a reaction may be set up after a read that
      // found nothing. Bounded as the health book's per-reference failures are, by the references
      // the application asks for.
      absent.add(ref);
    }
    LOG.debug("secret {}: load failed ({})", ref, e.getClass().getSimpleName());
  }

  private void store(SecretRef ref, Entry previous, Entry next) {
    entries.put(ref, next);
    if (closed) {
      // A load that ended as the resolver closed: checked after the put, so that either close()'s
      // clear() runs after the put or this sees the flag it set before it.
      entries.remove(ref, next);
      return;
    }
    long now = clock.millis();
    if (timer != null) {
      // Weakly held: a replaced entry is not kept alive, value and all, until its task's time.
      WeakReference<Entry> held = new WeakReference<>(next);
      timer.schedule(
          () -> {
            Entry e = held.get();
            if (e != null) {
              e.markDue();
            }
          },
          next.refreshAt() - now);
    }
    boolean wasFailed = health.failed(ref, false);
    boolean wasStale =
        next.isStale()
            ? health.stale(ref, Long.MIN_VALUE, next.staleDeadline(), now)
            : (next.refreshFailure() != null && !next.isGone())
                ? health.stale(ref, next.expiresAt(), next.staleDeadline(), now)
                : health.notStale(ref, now);
    if (!next.isStale()
        && next.refreshFailure() == null
        && (wasFailed || wasStale || (previous != null && previous.isStale()))) {
      // Whether the outage ended inside the stale window or after the reference had failed.
      LOG.info("secret {}: provider recovered; serving a fresh value again", ref);
    }
    boolean wasAbsent = absent.remove(ref);
    if (previous != null) {
      listeners.loaded(ref, previous.version(), next.version());
    } else if (wasAbsent && watched.test(ref)) {
      // Told here, by whichever load stores it first (a read, a sweep, a provider's change), and
      // only by that one: every store of a reference runs in its single flight.
      listeners.appeared(ref, next.version());
    }
  }
}
