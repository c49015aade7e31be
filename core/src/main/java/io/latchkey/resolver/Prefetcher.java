package io.latchkey.resolver;

import static java.util.Objects.requireNonNull;

import io.latchkey.ConfigException;
import io.latchkey.LatchkeyException;
import io.latchkey.ProviderException;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads many references at once for {@link SecretResolver#prefetch}: through a provider's batch
 * call where it has one, the rest (and any the batch missed) concurrently, one load each, and
 * reports every failure together.
 */
final class Prefetcher {
  private static final Logger LOG = LoggerFactory.getLogger(SecretResolver.class);

  private final Map<String, SecretProvider> providers;
  private final EntryCache cache;
  private final Timing timing;
  private final Executor executor;
  private final Duration timeout;
  private final Clock clock;
  private final HealthBook health;
  private final Set<FutureTask<?>> batches = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  Prefetcher(
      Map<String, SecretProvider> providers,
      EntryCache cache,
      Timing timing,
      Executor executor,
      Duration timeout,
      Clock clock,
      HealthBook health) {
    this.providers = providers;
    this.cache = cache;
    this.timing = timing;
    this.executor = executor;
    this.timeout = timeout;
    this.clock = clock;
    this.health = health;
  }

  /** See {@link SecretResolver#prefetch(Collection)}. */
  void prefetch(Collection<SecretRef> refs) {
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
        failures.put(ref, cache.unknownScheme(ref));
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
    if (closed) {
      throw new IllegalStateException("the secret resolver is closed");
    }
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    for (List<SecretRef> list : byScheme.values()) {
      for (SecretRef ref : list) {
        Entry entry = cache.held(ref);
        // A stale entry's expiry is its stale deadline: only its refresh time says it is fresh. An
        // entry kept after a failed refresh waits for a re-check: asked again, so that the outage
        // is seen here.
        if (entry != null
            && !entry.isStale()
            && entry.refreshFailure() == null
            && !entry.isGone()
            && clock.millis() < entry.refreshAt()) {
          continue;
        }
        pending.add(loadInBackground(ref, failures));
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
    if (closed && !failures.isEmpty()) {
      // The loads above were refused or cancelled by close(): that, not each of them, is the news.
      throw new IllegalStateException("the secret resolver is closed");
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

  /** Refuses prefetches from now on and cancels the batch calls under way, interrupting them. */
  void close() {
    closed = true;
    for (FutureTask<?> batch : batches) {
      batch.cancel(true);
    }
  }

  private CompletableFuture<Void> loadInBackground(
      SecretRef ref, Map<SecretRef, Throwable> failures) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      executor.execute(
          () -> {
            try {
              Entry loaded = cache.load(ref);
              if (loaded.isStale()) {
                // The provider failed and the cache kept serving what it held: a start-up check
                // that passed here would hide the outage.
                failures.put(
                    ref,
                    new ProviderException(
                        ref,
                        loaded.staleKind(),
                        "the provider failed; the value held is served stale"));
              } else if (loaded.isGone()) {
                failures.put(
                    ref,
                    new SecretNotFoundException(
                        ref, "the secret is gone; the value held is served until it expires"));
              } else if (loaded.refreshFailure() != null) {
                failures.put(
                    ref,
                    new ProviderException(
                        ref,
                        loaded.refreshFailure(),
                        "the provider failed; the value held is served until it expires"));
              }
            } catch (Throwable t) {
              failures.put(ref, t);
            }
            done.complete(null);
          });
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("the secret resolver is closed");
    }
    return done;
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
    boolean fields = provider.extractsFields();
    for (SecretRef ref : refs) {
      SecretVersion version = fetched.get(ref);
      if (version != null) {
        // A field read out of its secret lives as long as the secret does, as on the load path.
        SecretRef timed = fields ? ref.withoutField() : ref;
        cache.storeUnlessLoading(ref, timing.fresh(timed, version, now));
      }
    }
    health.success(scheme);
  }

  /** A Latchkey exception's own words, which name no value; anything else by its class only. */
  private static String reason(Throwable t) {
    if (t instanceof ProviderException p) {
      return p.kind().label() + ": " + p.reason();
    }
    if (t instanceof SecretNotFoundException n) {
      return n.reason();
    }
    if (t instanceof LatchkeyException) {
      return t.getMessage();
    }
    return "failed with " + t.getClass().getName();
  }
}
