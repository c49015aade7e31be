package io.latchkey.resolver;

import io.latchkey.ConfigException;
import io.latchkey.LatchkeyException;
import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;

import static java.util.Objects.requireNonNull;

import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <h2>How a reference is resolved</h2>
 *
 * <p>Each read goes through a chain: the cache, then stale-on-error, then retry, then time-out,
 * then the provider.
 *
 * <ul>
 *   <li><b>Cache.</b> Values are cached per reference for a time-to-live (per reference, per scheme
 *       or the default), shortened by a random jitter so that references loaded together do not
 *       expire together. A read of a fresh entry costs a map look-up and a copy of the value. After
 *       the refresh-ahead fraction of the time-to-live, and after expiry while the value may still
 *       be served stale, a read returns the cached value at once and starts one background
 *       refresh, so a hung backend holds no caller that has a value. Only a reference with nothing
 *       to serve waits for a load. However many threads ask for a reference at once, it is loaded
 *       once.
 *   <li><b>Fields.</b> When the provider {@linkplain SecretProvider#extractsFields() extracts
 *       fields}, the field references of one secret share one fetch of the whole secret per
 *       version.
 *   <li><b>Versions.</b> When the cached version has an id and the provider can say cheaply which
 *       version is current ({@link SecretProvider#currentVersionId(SecretRef)}), an unchanged id
 *       renews the cached value without fetching it: a version's value never changes.
 *   <li><b>Stale on error.</b> A failed refresh keeps the value held. A provider failure after
 *       expiry serves the old value for up to {@link Builder#maxStale(Duration)} more, with one
 *       warning naming the reference and the kind of error; after that, the error is thrown. A
 *       {@link SecretNotFoundException} is never served stale.
 *   <li><b>Retry.</b> Throttling, unavailability and time-outs are retried with exponential
 *       back-off and full jitter; nothing else is.
 *   <li><b>Time-out.</b> Each attempt runs on the resolver's executor and is abandoned (and
 *       interrupted) after the time-out, so a hung backend holds up no caller and no other
 *       reference.
 * </ul>
 *
 * <p>Listeners hear when a reference's value changed on a load after the first, with the old and
 * new version ids, never the value: they call {@link #resolve(SecretRef)} again.
 *
 * <h2>Threads</h2>
 *
 * <p>Unless an {@link Builder#executor(Executor) executor} is supplied, the resolver owns a pool of
 * daemon threads named {@code latchkey-resolver-N}, which grows with the number of concurrent
 * fetches and shrinks when idle; {@link #close()} stops it. A supplied executor is the caller's to
 * shut down; it must not bound the number of threads below the number of concurrent fetches.
 * Refresh ahead of expiry is started by reads, so a value nobody reads is not refreshed.
 *
 * <h2>Security</h2>
 *
 * <p>Messages, log lines, {@link #health()} and {@code toString()} name references, schemes and
 * kinds of error, never a value. Each call to {@code resolve} returns its own copy of the value,
 * which the caller may {@linkplain Secret#wipe() wipe}.
 *
 * <p>Whatever a provider throws other than a {@link LatchkeyException} (whose message is already
 * free of values) reaches the caller as a {@link ProviderException} of kind {@link
 * ProviderException.Kind#OTHER} that names the reference and the throwable's class only, {@code
 * Error}s such as {@code AssertionError} or {@code LinkageError} included: their messages are as
 * likely as an exception's to quote a value. Its cause keeps the original's class name and stack
 * trace, without its message or causes. A {@link VirtualMachineError} ({@code OutOfMemoryError},
 * {@code StackOverflowError}) and a {@code ThreadDeath} propagate untouched.
 *
 * @since 0.1
 */
public final class SecretResolver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SecretResolver.class);
  private static final AtomicInteger THREADS = new AtomicInteger();
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

  private record Registration(SecretRef ref, Listener listener) {}

  private final Map<String, SecretProvider> providers;
  private final List<DiscoveredProvider> discovered;
  private final Clock clock;
  private final Executor executor;
  private final ExecutorService ownedExecutor;
  private final Duration timeout;
  private final Timing timing;
  private final HealthBook health;
  private final TimeoutLink timed;
  private final Link retried;
  private final Link chain;
  private final Link fieldChain;
  private final ConcurrentHashMap<SecretRef, Entry> cache = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<SecretRef, CompletableFuture<Entry>> loading =
      new ConcurrentHashMap<>();
  // Whole secrets fetched for their fields, by reference without field; never served themselves.
  private final ConcurrentHashMap<SecretRef, Entry> wholes = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<SecretRef, CompletableFuture<Entry>> loadingWholes =
      new ConcurrentHashMap<>();
  private final Set<FutureTask<?>> batches = ConcurrentHashMap.newKeySet();
  private final List<Registration> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private SecretResolver(Builder b) {
    this.providers = Map.copyOf(b.providers);
    this.discovered = List.copyOf(b.discovered);
    this.clock = b.clock;
    if (b.executor == null) {
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              0,
              Integer.MAX_VALUE,
              30,
              TimeUnit.SECONDS,
              new SynchronousQueue<>(),
              r -> {
                Thread t = new Thread(r, "latchkey-resolver-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      this.ownedExecutor = pool;
      this.executor = pool;
    } else {
      this.ownedExecutor = null;
      this.executor = b.executor;
    }
    this.timeout = b.timeout;
    this.timing =
        new Timing(
            b.ttl, b.ttlByScheme, b.ttlByRef, b.refreshAhead, b.jitter, b.maxStale, b.random);
    this.health = new HealthBook(providers.keySet());
    Link provider = new ProviderLink(providers, clock, timing);
    this.timed = new TimeoutLink(provider, executor, timeout, clock, health);
    this.retried =
        new RetryLink(
            timed,
            b.maxAttempts,
            b.baseBackoff.toMillis(),
            b.maxBackoff.toMillis(),
            b.random,
            b.sleeper);
    this.chain = new StaleOnErrorLink(retried, clock, b.failureRecheck);
    // A field's value is served stale from its own entry: the whole secret it came from is kept
    // only to re-check its version, never served.
    this.fieldChain =
        new StaleOnErrorLink((ref, cached) -> field(ref), clock, b.failureRecheck);
    for (SecretProvider p : providers.values()) {
      p.attemptTimeout(timeout);
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
    Entry entry = cache.get(ref);
    if (entry != null) {
      if (clock.millis() < entry.refreshAt()) {
        return entry.version().value().copy();
      }
      // Kept out of this method so that the fresh path stays small enough to be inlined.
      return notFresh(ref, entry);
    }
    return load(ref).version().value().copy();
  }

  private Secret notFresh(SecretRef ref, Entry entry) {
    long now = clock.millis();
    if (now < entry.expiresAt()) {
      refreshInBackground(ref);
      return entry.version().value().copy();
    }
    if (now < entry.staleDeadline()) {
      // Expired but still servable if the backend fails: the backend may hang, so no reader waits
      // for it. Only a refresh that has already finished (on a direct executor) is used.
      CompletableFuture<Entry> refresh = refreshInBackground(ref);
      if (!refresh.isDone()) {
        return entry.version().value().copy();
      }
      return await(ref, refresh).version().value().copy();
    }
    return load(ref).version().value().copy();
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
   * Loads many references at once, typically at start-up, and reports every failure together.
   *
   * <p>References of a provider that has a batch call ({@link SecretProvider#fetchAll}) are fetched
   * through it; the rest, and any the batch missed, are fetched concurrently. References already
   * cached and fresh are not fetched again.
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
    LinkedHashSet<SecretRef> wanted = new LinkedHashSet<>();
    for (SecretRef ref : refs) {
      wanted.add(requireNonNull(ref, "refs element"));
    }
    Map<SecretRef, Throwable> failures = new ConcurrentHashMap<>();
    Map<String, List<SecretRef>> byScheme = new LinkedHashMap<>();
    for (SecretRef ref : wanted) {
      if (providers.containsKey(ref.scheme())) {
        byScheme.computeIfAbsent(ref.scheme(), s -> new ArrayList<>()).add(ref);
      } else {
        failures.put(ref, unknownScheme(ref));
      }
    }
    byScheme.forEach(
        (scheme, list) -> {
          if (list.size() > 1) {
            fetchBatch(providers.get(scheme), scheme, list);
          }
        });
    // A close() that cancelled the batches above may not have stopped the pool yet: loads one by
    // one after it would run on a closing resolver, so they are refused here.
    checkOpen();
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    for (List<SecretRef> list : byScheme.values()) {
      for (SecretRef ref : list) {
        Entry entry = cache.get(ref);
        if (entry != null && clock.millis() < entry.expiresAt()) {
          continue;
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        pending.add(f);
        try {
          executor.execute(
              () -> {
                try {
                  load(ref);
                  f.complete(null);
                } catch (Throwable t) {
                  failures.put(ref, t);
                  f.complete(null);
                }
              });
        } catch (RejectedExecutionException e) {
          throw new IllegalStateException("the secret resolver is closed");
        }
      }
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    for (Throwable t : failures.values()) {
      if (ProviderFailure.isFatal(t)) {
        // A worker ran out of memory or stack: the caller hears it as if it had loaded the
        // reference itself, not as one problem in a list.
        throw (Error) t;
      }
    }
    if (!failures.isEmpty()) {
      List<ConfigException.Problem> problems = new ArrayList<>();
      List<Throwable> causes = new ArrayList<>();
      for (SecretRef ref : wanted) {
        Throwable t = failures.get(ref);
        if (t != null) {
          problems.add(new ConfigException.Problem(ref.toString(), reason(t)));
          causes.add(t);
        }
      }
      ConfigException e = new ConfigException(problems);
      causes.forEach(e::addSuppressed);
      throw e;
    }
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
    listeners.add(new Registration(ref, listener));
  }

  /**
   * Registers a listener for every reference.
   *
   * @param listener the listener
   */
  public void addListener(Listener listener) {
    listeners.add(new Registration(null, requireNonNull(listener, "listener")));
  }

  /**
   * Removes every registration of a listener.
   *
   * @param listener the listener
   * @return whether it was registered
   */
  public boolean removeListener(Listener listener) {
    requireNonNull(listener, "listener");
    return listeners.removeIf(r -> r.listener() == listener);
  }

  /**
   * Reports how each registered provider is doing, for a readiness endpoint.
   *
   * @return the health of each provider, by scheme, sorted
   */
  public Map<String, ProviderHealth> health() {
    return Collections.unmodifiableMap(health.snapshot());
  }

  /**
   * Stops background work: every attempt under way is cancelled (its caller hears {@link
   * IllegalStateException}), the resolver's own threads are interrupted, and later calls throw.
   * Providers registered with {@link Builder#provider(SecretProvider)} are not closed; they belong
   * to whoever created them. Providers the resolver created itself ({@link
   * Builder#discoverProviders(Map)}) are closed. Idempotent.
   *
   * <p>Returns once the resolver's threads have stopped, or after the per-attempt {@linkplain
   * Builder#timeout(Duration) time-out} (at most 1 second), whichever comes first, plus the time
   * the providers it created take to close. A thread still inside a provider that ignores
   * interruption is a daemon thread, which ends when the provider returns and never keeps the JVM
   * alive; a warning says so.
   */
  @Override
  public void close() {
    closed = true;
    timed.cancelAll();
    for (FutureTask<?> batch : batches) {
      batch.cancel(true);
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
      try {
        if (!ownedExecutor.awaitTermination(closeWait().toNanos(), TimeUnit.NANOSECONDS)) {
          LOG.warn(
              "a secret provider ignored interruption; its daemon thread ends when the provider"
                  + " returns");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (DiscoveredProvider provider : discovered) {
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

  /** How long {@link #close()} waits for the resolver's threads: the time-out, at most 1 s. */
  private Duration closeWait() {
    return timeout.compareTo(CLOSE_WAIT) < 0 ? timeout : CLOSE_WAIT;
  }

  /** Returns the registered schemes; never a value. */
  @Override
  public String toString() {
    return "SecretResolver[schemes=" + new TreeMap<>(providers).keySet() + "]";
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the secret resolver is closed");
    }
  }

  /** Loads a reference on the calling thread, or waits for the load already under way. */
  private Entry load(SecretRef ref) {
    if (!providers.containsKey(ref.scheme())) {
      throw unknownScheme(ref);
    }
    CompletableFuture<Entry> mine = new CompletableFuture<>();
    CompletableFuture<Entry> running = loading.putIfAbsent(ref, mine);
    if (running == null) {
      runLoad(ref, mine);
      running = mine;
    }
    return await(ref, running);
  }

  /** Waits for a load and rethrows its failure as the caller's own. */
  private static Entry await(SecretRef ref, CompletableFuture<Entry> running) {
    try {
      return running.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error error && ProviderFailure.isFatal(error)) {
        throw error;
      }
      // Every link below reduces what a provider throws; this guards against one that did not.
      throw ProviderFailure.of(ref, cause);
    }
  }

  /** Starts one background load of a reference, unless one is under way; returns the load. */
  private CompletableFuture<Entry> refreshInBackground(SecretRef ref) {
    CompletableFuture<Entry> running = loading.get(ref);
    if (running != null) {
      // Every read during an outage lands here: it must not allocate.
      return running;
    }
    CompletableFuture<Entry> mine = new CompletableFuture<>();
    running = loading.putIfAbsent(ref, mine);
    if (running != null) {
      return running;
    }
    try {
      executor.execute(() -> runLoad(ref, mine));
    } catch (RejectedExecutionException e) {
      loading.remove(ref, mine);
      mine.completeExceptionally(new IllegalStateException("the secret resolver is closed"));
    }
    return mine;
  }

  private void runLoad(SecretRef ref, CompletableFuture<Entry> future) {
    try {
      Entry previous = cache.get(ref);
      Entry next;
      try {
        next =
            servesFieldsFromWholes(ref)
                ? fieldChain.proceed(ref, previous)
                : chain.proceed(ref, previous);
      } catch (RuntimeException e) {
        failed(ref, e);
        throw e;
      }
      store(ref, previous, next);
      future.complete(next);
    } catch (Throwable t) {
      future.completeExceptionally(t);
    } finally {
      loading.remove(ref, future);
    }
  }

  private boolean servesFieldsFromWholes(SecretRef ref) {
    return ref.field().isPresent() && providers.get(ref.scheme()).extractsFields();
  }

  /**
   * Loads a field reference from its whole secret, fetched once per version for all its fields; a
   * failure is reported under the field reference, which is what the caller asked for.
   */
  private Entry field(SecretRef ref) {
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
    } catch (LatchkeyException e) {
      throw e;
    } catch (Throwable t) {
      if (ProviderFailure.isFatal(t)) {
        throw t;
      }
      throw ProviderFailure.of(ref, t);
    }
    if (version == null) {
      throw new ProviderException(
          ref, ProviderException.Kind.MALFORMED_RESPONSE, "the provider returned no field");
    }
    return new Entry(version, whole.refreshAt(), whole.expiresAt(), whole.staleDeadline(), null);
  }

  /** Returns a whole secret held fresh, or fetches it: one fetch however many fields wait. */
  private Entry whole(SecretRef base) {
    Entry held = wholes.get(base);
    if (held != null && clock.millis() < held.refreshAt()) {
      return held;
    }
    CompletableFuture<Entry> mine = new CompletableFuture<>();
    CompletableFuture<Entry> running = loadingWholes.putIfAbsent(base, mine);
    if (running == null) {
      try {
        Entry current = wholes.get(base);
        Entry next =
            current != null && clock.millis() < current.refreshAt()
                ? current
                : retried.proceed(base, current);
        wholes.put(base, next);
        mine.complete(next);
      } catch (Throwable t) {
        if (t instanceof SecretNotFoundException) {
          wholes.remove(base);
        }
        mine.completeExceptionally(t);
      } finally {
        loadingWholes.remove(base, mine);
      }
      running = mine;
    }
    return await(base, running);
  }

  private void failed(SecretRef ref, RuntimeException e) {
    Entry current = cache.get(ref);
    long now = clock.millis();
    if (current != null
        && (now >= current.staleDeadline()
            || (e instanceof LatchkeyException l
                && !StaleOnErrorLink.servable(l)
                && now >= current.expiresAt()))) {
      // Past its stale age, or gone from the backend: nothing left to serve.
      cache.remove(ref, current);
      health.stale(ref, false);
      current = null;
    }
    if (current == null && e instanceof ProviderException) {
      health.failed(ref, true);
    }
    LOG.debug("secret {}: load failed ({})", ref, e.getClass().getSimpleName());
  }

  private void fetchBatch(SecretProvider provider, String scheme, List<SecretRef> refs) {
    FutureTask<Map<SecretRef, SecretVersion>> task =
        new FutureTask<>(() -> provider.fetchAll(List.copyOf(refs)));
    Map<SecretRef, SecretVersion> fetched;
    batches.add(task);
    try {
      if (closed) {
        // close() may have cancelled the running batches before this one was added.
        return;
      }
      executor.execute(task);
      fetched = task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      task.cancel(true);
      Thread.currentThread().interrupt();
      return;
    } catch (CancellationException e) {
      // The resolver closed: the references are then tried one by one, and refused.
      return;
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      task.cancel(true);
      Throwable failure = e instanceof ExecutionException ? e.getCause() : e;
      if (ProviderFailure.isFatal(failure)) {
        throw (Error) failure;
      }
      LOG.debug(
          "batch fetch from provider '{}' failed ({}); fetching one by one",
          scheme,
          failure instanceof ProviderException p
              ? p.kind().label()
              : failure.getClass().getSimpleName());
      return;
    } finally {
      batches.remove(task);
    }
    if (fetched == null || fetched.isEmpty()) {
      return;
    }
    long now = clock.millis();
    for (SecretRef ref : refs) {
      SecretVersion version = fetched.get(ref);
      if (version != null) {
        store(ref, cache.get(ref), timing.fresh(ref, version, now));
      }
    }
    health.success(scheme);
  }

  private void store(SecretRef ref, Entry previous, Entry next) {
    cache.put(ref, next);
    boolean wasFailed = health.failed(ref, false);
    boolean wasStale = health.stale(ref, next.isStale());
    if (!next.isStale() && (wasFailed || wasStale || (previous != null && previous.isStale()))) {
      // Whether the outage ended inside the stale window or after the reference had failed.
      LOG.info("secret {}: provider recovered; serving a fresh value again", ref);
    }
    if (previous != null && changed(previous.version(), next.version())) {
      notifyListeners(ref, previous.version().versionId(), next.version().versionId());
    }
  }

  private static boolean changed(SecretVersion before, SecretVersion after) {
    if (before == after) {
      return false;
    }
    if (before.versionId().isPresent() && after.versionId().isPresent()) {
      return !before.versionId().equals(after.versionId());
    }
    return !before.value().matches(after.value());
  }

  private void notifyListeners(SecretRef ref, Optional<String> before, Optional<String> after) {
    for (Registration r : listeners) {
      if (r.ref() == null || r.ref().equals(ref)) {
        try {
          r.listener().changed(ref, before, after);
        } catch (Throwable t) {
          if (ProviderFailure.isFatal(t)) {
            throw t;
          }
          // An AssertionError is as likely as an exception to quote what the listener looked at.
          LOG.warn("secret {}: a change listener failed with {}", ref, t.getClass().getName());
        }
      }
    }
  }

  private ProviderException unknownScheme(SecretRef ref) {
    return new ProviderException(
        ref,
        ProviderException.Kind.UNSUPPORTED,
        "no provider has the scheme '"
            + ref.scheme()
            + "'; registered: "
            + new TreeMap<>(providers).keySet());
  }

  private static String reason(Throwable t) {
    if (t instanceof ProviderException p) {
      return p.kind().label() + ": " + p.reason();
    }
    if (t instanceof SecretNotFoundException n) {
      return n.reason();
    }
    if (t instanceof LatchkeyException || t instanceof IllegalStateException) {
      return t.getMessage();
    }
    return "failed with " + t.getClass().getName();
  }

  /**
   * Configures a {@link SecretResolver}. Setters check their argument at once; {@link #build()}
   * checks the whole.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final Map<String, SecretProvider> providers = new LinkedHashMap<>();
    private final List<DiscoveredProvider> discovered = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Executor executor;
    private Duration ttl = Duration.ofMinutes(5);
    private final Map<String, Duration> ttlByScheme = new LinkedHashMap<>();
    private final Map<SecretRef, Duration> ttlByRef = new LinkedHashMap<>();
    private double refreshAhead = 0.75;
    private double jitter = 0.1;
    private Duration maxStale = Duration.ofMinutes(15);
    private Duration failureRecheck = Duration.ofSeconds(5);
    private int maxAttempts = 3;
    private Duration baseBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(2);
    private Duration timeout = Duration.ofSeconds(5);
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private RetryLink.Sleeper sleeper = Thread::sleep;

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
     * Sets the clock that times entries (tests pass a fake one).
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
