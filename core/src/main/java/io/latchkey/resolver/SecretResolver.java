package io.latchkey.resolver;

import static java.util.Objects.requireNonNull;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.spi.SecretProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves {@link SecretRef references} to secrets through the providers registered by scheme, with
 * a cache, refresh ahead of expiry, retries, time-outs and stale values when a backend blips.
 *
 * <pre>{@code
 * try (SecretResolver resolver =
 *     SecretResolver.builder()
 *         .provider(awsProvider)                       // scheme "aws", from its name()
 *         .ttl(Duration.ofMinutes(5))
 *         .ttl("vault", Duration.ofMinutes(1))
 *         .maxStale(Duration.ofMinutes(30))
 *         .build()) {
 *   resolver.prefetch(List.of(SecretRef.parse("aws:prod/db#password"),
 *       SecretRef.parse("aws:prod/jwt")));              // at start-up; lists every failure
 *   Secret password = resolver.resolve("aws:prod/db#password");
 *   resolver.addListener(SecretRef.parse("aws:prod/db#password"),
 *       (ref, oldVersion, newVersion) -> pool.softEvictConnections());
 *   Map<String, ProviderHealth> health = resolver.health(); // for a readiness endpoint
 * }
 * }</pre>
 *
 * <p>How a reference is resolved (the cache, fields, versions, stale on error, retries and
 * time-outs), the threads the resolver runs and how long {@link #close()} takes, and why no value
 * reaches a message, a log line, {@link #health()} or {@code toString()} are described in {@code
 * docs/secrets.md}, "The resolver" and "Security".
 *
 * @since 0.1
 */
public final class SecretResolver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SecretResolver.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

  /** Told when a reference's value changed. */
  @FunctionalInterface
  public interface Listener {
    /**
     * Called after a load replaced a reference's value with a different one.
     *
     * <p>Called on the thread that loaded the value; keep it short. Anything it throws, {@code
     * Error}s included, is logged (its type only) and goes no further, except a {@link
     * VirtualMachineError}, which propagates.
     *
     * @param ref the reference whose value changed
     * @param oldVersionId the previous version's id, if the provider gave one
     * @param newVersionId the new version's id, if the provider gave one
     */
    void changed(SecretRef ref, Optional<String> oldVersionId, Optional<String> newVersionId);
  }

  // The fresh path of resolve() reads these itself, with no hop through a collaborator.
  private final ConcurrentHashMap<SecretRef, Entry> entries = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Map<String, SecretProvider> providers;
  private final List<DiscoveredProvider> discovered;
  private final DaemonPool ownedPool;
  private final Duration timeout;
  private final Map<String, ChangeCallback> changeCallbacks;
  // Held weakly: a handle the application let go of is not kept; close() makes the others forget
  // the value they last read.
  private final Set<SecretHandle> handles = Collections.newSetFromMap(new WeakHashMap<>());
  private final HealthBook health;
  private final TimeoutLink timed;
  private final Listeners listeners = new Listeners();
  private final EntryCache cache;
  private final Prefetcher prefetcher;
  private final Watches watches;
  private volatile boolean closed;

  private SecretResolver(Builder b) {
    this.providers = Map.copyOf(b.providers);
    this.discovered = List.copyOf(b.discovered);
    this.ownedPool = b.executor == null ? new DaemonPool() : null;
    Executor executor = b.executor == null ? ownedPool : b.executor;
    this.clock = b.clock;
    this.timeout = b.timeout;
    Timing timing = Timing.of(b);
    this.health = new HealthBook(providers.keySet());
    Link provider = new ProviderLink(providers, clock, timing);
    this.timed = new TimeoutLink(provider, executor, timeout, clock, health);
    Link retried = RetryLink.of(timed, b);
    Link chain = new StaleOnErrorLink(retried, clock, b.failureRecheck);
    // A field's value is served stale from its own entry: the whole secret it came from is kept
    // only to re-check its version, never served.
    FieldLink fields = new FieldLink(providers, retried, clock);
    Link fieldChain = new StaleOnErrorLink(fields, clock, b.failureRecheck);
    this.cache =
        new EntryCache(
            entries,
            providers,
            chain,
            fieldChain,
            fields,
            b.failureRecheck,
            executor,
            clock,
            health,
            listeners,
            RefreshTimer.forClock(b.timer, clock),
            this::isWatched);
    this.prefetcher = new Prefetcher(providers, cache, timing, executor, timeout, clock, health);
    this.watches = new Watches(entries, cache, fields, clock, listeners);
    Map<String, ChangeCallback> callbacks = new LinkedHashMap<>();
    providers.forEach(
        (scheme, p) -> {
          p.attemptTimeout(timeout);
          ChangeCallback callback = new ChangeCallback(watches, scheme);
          callbacks.put(scheme, callback);
          p.onChange(callback);
        });
    this.changeCallbacks = callbacks;
  }

  /**
   * What a provider runs when a value it serves changed. A provider the resolver does not own may
   * outlive it, and one written before {@code removeOnChange} existed keeps every callback it is
   * given: {@link #close()} cuts the callback's link to the resolver, so that such a provider holds
   * a husk, not the resolver and its cache.
   */
  private static final class ChangeCallback implements Runnable {
    private volatile Watches watches;
    private final String scheme;

    ChangeCallback(Watches watches, String scheme) {
      this.watches = watches;
      this.scheme = scheme;
    }

    @Override
    public void run() {
      Watches w = watches;
      if (w != null) {
        w.changed(scheme);
      }
    }

    void cut() {
      watches = null;
    }
  }

  /**
   * Returns a builder with the defaults: a time-to-live of 5 minutes with 10% jitter, refresh after
   * 75% of it, values served stale for up to 15 minutes, a failed refresh retried after 5 seconds,
   * 3 attempts with back-off from 100 ms up to 2 s, and a time-out of 5 seconds per attempt.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Resolves a reference to its current value (or the version it asks for).
   *
   * <p>A value held fresh costs a map look-up, a clock read and a copy. A value held but due for
   * refresh, or expired but within {@link Builder#maxStale(Duration) maxStale}, is returned at once
   * while one background refresh runs; only a reference with nothing to serve waits for a load,
   * shared by every caller that asks for it meanwhile.
   *
   * @param ref the reference
   * @return a copy of the value, which the caller may wipe
   * @throws SecretNotFoundException if the secret, version or field does not exist
   * @throws ProviderException if the provider failed and no value may be served stale; of kind
   *     {@link ProviderException.Kind#UNSUPPORTED} if no provider has the reference's scheme
   * @throws IllegalStateException if the resolver is closed
   */
  public Secret resolve(SecretRef ref) {
    requireNonNull(ref, "ref");
    checkOpen();
    Entry entry = entries.get(ref);
    if (entry != null && cache.fresh(entry)) {
      return entry.value().copy();
    }
    // Kept out of this method so that the fresh path stays small enough to be inlined.
    return cache.readNotFresh(ref, entry, clock.millis());
  }

  long now() {
    return clock.millis();
  }

  // Called by the cache, which is built before the watches it asks about.
  private boolean isWatched(SecretRef ref) {
    return watches.isWatched(ref);
  }

  /**
   * Asks the provider for a reference again now, rather than at its refresh time, and stores what
   * it answers as a refresh does (the listeners hear of a change, health of a failure): for a
   * caller that has learnt that the value held is out of date, such as a database that refused the
   * password after a rotation.
   *
   * <p>A storm of such calls does not hammer the backend: a reference is asked at most once per
   * {@link Builder#failureRecheck(Duration) failureRecheck} interval this way, and not while a load
   * of it is already under way (which asks the provider already, and stores its answer when it
   * ends); those calls return {@code false} at once. A field reference of a provider that extracts
   * fields asks for its whole secret again, and the other fields of it that are held are stored
   * from the same answer.
   *
   * @param ref the reference, as it is resolved (with its version and field, if any)
   * @return whether a value other than the one held (or a first value) was stored
   * @throws SecretNotFoundException if the secret, version or field does not exist
   * @throws ProviderException if the provider failed and no value may be served stale; of kind
   *     {@link ProviderException.Kind#UNSUPPORTED} if no provider has the reference's scheme
   * @throws IllegalStateException if the resolver is closed
   * @since 0.1
   */
  public boolean refresh(SecretRef ref) {
    requireNonNull(ref, "ref");
    checkOpen();
    return cache.refresh(ref);
  }

  /**
   * Parses a reference and resolves it.
   *
   * @param ref the reference, in the grammar {@link SecretRef} documents
   * @return a copy of the value, which the caller may wipe
   * @throws IllegalArgumentException if {@code ref} is not a valid reference
   * @throws SecretNotFoundException if the secret, version or field does not exist
   * @throws ProviderException if the provider failed and no value may be served stale
   * @throws IllegalStateException if the resolver is closed
   */
  public Secret resolve(String ref) {
    return resolve(SecretRef.parse(requireNonNull(ref, "ref")));
  }

  /**
   * Returns a handle that always reads the reference's current value, at less than the cost of
   * {@link #resolve(SecretRef)}, and runs reactions when it changes; see {@link SecretHandle}.
   *
   * @param ref the reference, as it is resolved (with its version and field, if any)
   * @return a new handle; nothing is loaded until it is read
   * @throws IllegalStateException if the resolver is closed
   * @since 0.2
   */
  public SecretHandle handle(SecretRef ref) {
    requireNonNull(ref, "ref");
    checkOpen();
    SecretHandle handle = new SecretHandle(ref, this, cache, watches, listeners);
    synchronized (handles) {
      handles.add(handle);
    }
    return handle;
  }

  /**
   * Loads many references at once, typically at start-up, and reports every failure together.
   *
   * <p>References of a provider that has a batch call ({@link SecretProvider#fetchAll}) are fetched
   * through it; the rest, and any the batch missed, are fetched concurrently. References already
   * cached and fresh are not fetched again. A reference served stale is fetched again and, if its
   * provider still fails, listed as failed with that failure's kind, although the value held goes
   * on being served.
   *
   * <p>Failures come as one {@link ConfigException}, not as a {@link ProviderException}: prefetch
   * is a start-up check, and like a schema load it reports every problem at once. The individual
   * {@link SecretNotFoundException}s and {@link ProviderException}s are its suppressed exceptions,
   * so a caller that retries a start-up blip looks there: retry when each is a {@link
   * ProviderException} whose {@link ProviderException#isRetryable()} is true.
   *
   * @param refs the references
   * @throws ConfigException listing each reference that failed and why (with the individual
   *     exceptions as suppressed exceptions), after every reference was tried
   * @throws IllegalStateException if the resolver is closed
   */
  public void prefetch(Collection<SecretRef> refs) {
    requireNonNull(refs, "refs");
    checkOpen();
    prefetcher.prefetch(refs);
  }

  /**
   * Registers a listener for one reference.
   *
   * @param ref the reference to watch, as it is resolved (with its version and field, if any)
   * @param listener the listener
   */
  public void addListener(SecretRef ref, Listener listener) {
    requireNonNull(ref, "ref");
    requireNonNull(listener, "listener");
    listeners.add(ref, listener);
  }

  /**
   * Registers a listener for every reference.
   *
   * @param listener the listener
   */
  public void addListener(Listener listener) {
    listeners.add(null, requireNonNull(listener, "listener"));
  }

  /**
   * Removes every registration of a listener.
   *
   * @param listener the listener
   * @return whether it was registered
   */
  public boolean removeListener(Listener listener) {
    requireNonNull(listener, "listener");
    return listeners.remove(listener);
  }

  /**
   * Reports how each registered provider is doing, for a readiness endpoint: {@link
   * ProviderHealth.Status#OK} only for a provider that has answered, {@link
   * ProviderHealth.Status#UNKNOWN} for one that has not yet.
   *
   * @return the health of each provider, by scheme, sorted
   * @throws IllegalStateException if the resolver is closed: nothing can be resolved through it, so
   *     no provider is healthy through it
   */
  public Map<String, ProviderHealth> health() {
    checkOpen();
    return Collections.unmodifiableMap(health.snapshot(providers, clock.millis()));
  }

  /**
   * Stops background work: every attempt under way is cancelled (its caller hears {@link
   * IllegalStateException}), the resolver's own threads are interrupted, and later calls throw.
   * Providers registered with {@link Builder#provider(SecretProvider)} are not closed; they belong
   * to whoever created them. Providers the resolver created itself ({@link
   * Builder#discoverProviders(Map)}) are closed. Idempotent. How long it takes, and what happens to
   * a provider that ignores interruption, is in {@code docs/secrets.md}, "Threads and closing".
   */
  @Override
  public void close() {
    closed = true;
    changeCallbacks.forEach(
        (scheme, callback) -> {
          callback.cut();
          try {
            providers.get(scheme).removeOnChange(callback);
          } catch (Throwable t) {
            if (ProviderFailure.isFatal(t)) {
              throw t;
            }
            // The callback is cut already: a provider that failed to drop it keeps a husk. Its
            // message may quote what the provider held, an Error's as much as an exception's.
            LOG.warn(
                "provider '{}' failed to withdraw a change callback with {}",
                scheme,
                t.getClass().getName());
          }
        });
    listeners.close(CLOSE_WAIT);
    watches.close();
    prefetcher.close();
    timed.cancelAll();
    cache.close();
    if (ownedPool != null) {
      ownedPool.shutdown(timeout.compareTo(CLOSE_WAIT) < 0 ? timeout : CLOSE_WAIT);
    }
    DiscoveredProvider.closeAll(discovered);
    // Last, once no load of the resolver's own runs: what it held is dropped, not kept for as long
    // as something still refers to the closed resolver, such as a handle an old pool keeps.
    cache.clear();
    synchronized (handles) {
      handles.forEach(SecretHandle::forget);
      handles.clear();
    }
  }

  /** Returns the registered schemes; never a value. */
  @Override
  public String toString() {
    return "SecretResolver[schemes=" + new TreeMap<>(providers).keySet() + "]";
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the secret resolver is closed");
    }
  }

  boolean isOpen() {
    return !closed;
  }

  /**
   * Configures a {@link SecretResolver}. Setters check their argument at once; {@link #build()}
   * checks the whole.
   *
   * @since 0.1
   */
  public static final class Builder {
    final Map<String, SecretProvider> providers = new LinkedHashMap<>();
    final List<DiscoveredProvider> discovered = new ArrayList<>();
    Clock clock = Clock.systemUTC();
    Executor executor;
    Duration ttl = Duration.ofMinutes(5);
    final Map<String, Duration> ttlByScheme = new LinkedHashMap<>();
    final Map<SecretRef, Duration> ttlByRef = new LinkedHashMap<>();
    double refreshAhead = 0.75;
    double jitter = 0.1;
    Duration maxStale = Duration.ofMinutes(15);
    Duration failureRecheck = Duration.ofSeconds(5);
    int maxAttempts = 3;
    Duration baseBackoff = Duration.ofMillis(100);
    Duration maxBackoff = Duration.ofSeconds(2);
    Duration timeout = Duration.ofSeconds(5);
    DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    RetryLink.Sleeper sleeper = Thread::sleep;
    RefreshTimer timer; // set by tests, which decide when entries become due

    private Builder() {}

    /**
     * Registers a provider under its {@link SecretProvider#name() name}.
     *
     * @param provider the provider, which the caller keeps and closes
     * @return this builder
     * @throws IllegalArgumentException if the name is not a valid scheme or is taken
     */
    public Builder provider(SecretProvider provider) {
      requireNonNull(provider, "provider");
      return provider(provider.name(), provider);
    }

    /**
     * Registers a provider under a scheme.
     *
     * @param scheme the scheme references use to name it, such as {@code aws}
     * @param provider the provider, which the caller keeps and closes
     * @return this builder
     * @throws IllegalArgumentException if the scheme is not valid or is taken
     */
    public Builder provider(String scheme, SecretProvider provider) {
      requireNonNull(scheme, "scheme");
      requireNonNull(provider, "provider");
      if (!SecretRef.isScheme(scheme)) {
        throw new IllegalArgumentException(
            "scheme must be a lower-case letter followed by lower-case letters, digits or '-'");
      }
      SecretProvider existing = providers.get(scheme);
      if (existing instanceof DiscoveredProvider found) {
        // An explicit registration wins over discovery, whichever came first.
        discovered.remove(found);
        providers.remove(scheme);
      }
      if (providers.putIfAbsent(scheme, provider) != null) {
        throw new IllegalArgumentException("a provider is already registered for '" + scheme + "'");
      }
      return this;
    }

    /**
     * Registers every provider on the class path or module path (see {@link
     * SecretProviders#available()}) under its name, except those already registered, to be created
     * from {@code environment} the first time a reference of its scheme is resolved.
     *
     * <p>So {@code aws:prod/db#password} works wherever {@code latchkey-provider-aws} is on the
     * class path, and the AWS SDK is loaded only if such a reference is resolved. The resolver owns
     * the providers it creates and closes them in {@link SecretResolver#close()}. A provider whose
     * settings are wrong fails each of its references with a {@link ProviderException} of kind
     * {@link ProviderException.Kind#OTHER} listing the settings' problems.
     *
     * <pre>{@code
     * SecretResolver resolver =
     *     SecretResolver.builder().discoverProviders(System.getenv()).build();
     * }</pre>
     *
     * @param environment the process environment, or a stand-in, from which each provider reads its
     *     own settings (such as {@code VAULT_ADDR}); copied
     * @return this builder
     */
    public Builder discoverProviders(Map<String, String> environment) {
      requireNonNull(environment, "environment");
      Map<String, String> copy = Map.copyOf(environment);
      for (String name : SecretProviders.available()) {
        if (!providers.containsKey(name)) {
          DiscoveredProvider provider = new DiscoveredProvider(name, copy);
          providers.put(name, provider);
          discovered.add(provider);
        }
      }
      return this;
    }

    /**
     * Sets the clock that times entries (tests pass a fake one). With the system clock, the
     * default, a timer marks each value due at its refresh time and a read of a fresh value reads
     * no clock; any other clock is read on every read instead.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the executor that runs fetches and background refreshes; without one, the resolver owns
     * a pool of daemon threads. The caller shuts a supplied executor down.
     *
     * @param executor an executor that does not bound its threads below the concurrent fetches
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Sets the default time-to-live of a cached value.
     *
     * @param ttl a positive duration
     * @return this builder
     * @throws IllegalArgumentException if {@code ttl} is not positive
     */
    public Builder ttl(Duration ttl) {
      this.ttl = positive(ttl, "ttl");
      return this;
    }

    /**
     * Sets the time-to-live for one provider's references.
     *
     * @param scheme the provider's scheme
     * @param ttl a positive duration
     * @return this builder
     * @throws IllegalArgumentException if {@code ttl} is not positive
     */
    public Builder ttl(String scheme, Duration ttl) {
      requireNonNull(scheme, "scheme");
      ttlByScheme.put(scheme, positive(ttl, "ttl"));
      return this;
    }

    /**
     * Sets the time-to-live for one reference, overriding its scheme's.
     *
     * @param ref the reference
     * @param ttl a positive duration
     * @return this builder
     * @throws IllegalArgumentException if {@code ttl} is not positive
     */
    public Builder ttl(SecretRef ref, Duration ttl) {
      requireNonNull(ref, "ref");
      ttlByRef.put(ref, positive(ttl, "ttl"));
      return this;
    }

    /**
     * Sets the fraction of the time-to-live after which a read starts a background refresh; 1 turns
     * refresh-ahead off.
     *
     * @param fraction more than 0, at most 1
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder refreshAhead(double fraction) {
      if (!(fraction > 0 && fraction <= 1)) {
        throw new IllegalArgumentException("refreshAhead must be more than 0 and at most 1");
      }
      this.refreshAhead = fraction;
      return this;
    }

    /**
     * Sets the largest fraction by which each entry's time-to-live is randomly shortened.
     *
     * @param fraction at least 0, less than 1
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder jitter(double fraction) {
      if (!(fraction >= 0 && fraction < 1)) {
        throw new IllegalArgumentException("jitter must be at least 0 and less than 1");
      }
      this.jitter = fraction;
      return this;
    }

    /**
     * Sets how long after expiry a value may be served while its provider fails; zero turns
     * stale-on-error off.
     *
     * @param maxStale zero or a positive duration
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder maxStale(Duration maxStale) {
      requireNonNull(maxStale, "maxStale");
      if (maxStale.isNegative()) {
        throw new IllegalArgumentException("maxStale must not be negative");
      }
      this.maxStale = maxStale;
      return this;
    }

    /**
     * Sets how long after a failed refresh the next read may try again, so that a failing backend
     * is not called on every read.
     *
     * @param interval a positive duration
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder failureRecheck(Duration interval) {
      this.failureRecheck = positive(interval, "failureRecheck");
      return this;
    }

    /**
     * Sets the retry policy for throttling, unavailability and time-outs: each wait is random
     * between zero and {@code min(maxBackoff, baseBackoff * 2^(attempt - 1))}.
     *
     * @param maxAttempts attempts in all, at least 1 (1 means no retry)
     * @param baseBackoff the first wait's upper bound, positive
     * @param maxBackoff the cap on any wait, at least {@code baseBackoff}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder retry(int maxAttempts, Duration baseBackoff, Duration maxBackoff) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1");
      }
      positive(baseBackoff, "baseBackoff");
      positive(maxBackoff, "maxBackoff");
      if (maxBackoff.compareTo(baseBackoff) < 0) {
        throw new IllegalArgumentException("maxBackoff must be at least baseBackoff");
      }
      this.maxAttempts = maxAttempts;
      this.baseBackoff = baseBackoff;
      this.maxBackoff = maxBackoff;
      return this;
    }

    /**
     * Sets how long one attempt may take before it is abandoned as a time-out; each provider is
     * told it through {@link SecretProvider#attemptTimeout(Duration)} when the resolver is built.
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    Builder random(DoubleSupplier random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    Builder sleeper(RetryLink.Sleeper sleeper) {
      this.sleeper = requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Builds the resolver.
     *
     * @return the resolver, which the caller closes
     * @throws IllegalStateException if no provider is registered, or a time-to-live names a scheme
     *     no provider has
     */
    public SecretResolver build() {
      if (providers.isEmpty()) {
        throw new IllegalStateException("register at least one provider");
      }
      for (String scheme : ttlByScheme.keySet()) {
        if (!providers.containsKey(scheme)) {
          throw new IllegalStateException(
              "a ttl is set for scheme '" + scheme + "', which no provider has");
        }
      }
      return new SecretResolver(this);
    }

    private static Duration positive(Duration d, String name) {
      requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }
  }
}
