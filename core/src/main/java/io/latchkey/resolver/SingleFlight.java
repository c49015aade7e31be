package io.latchkey.resolver;

import io.latchkey.SecretRef;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One load per reference at a time: a caller that asks while a load is under way waits for that
 * load instead of starting its own, so however many threads ask, the provider is called once and
 * they all get its answer.
 *
 * <p>A load that ends because the thread running it was interrupted (its caller gave up, a
 * cancelled request) is that caller's own outcome: the callers waiting for it load again rather
 * than take the interruption for the provider's answer.
 */
final class SingleFlight {
  /** The failure of a load whose thread was interrupted; the waiting callers load again. */
  private static final class Abandoned extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Abandoned(RuntimeException failure) {
      super(null, failure, false, false);
    }
  }

  private final ConcurrentHashMap<SecretRef, CompletableFuture<Entry>> flights =
      new ConcurrentHashMap<>();
  private final Function<SecretRef, Entry> load;

  /**
   * @param load loads one reference; called by one thread at a time per reference
   */
  SingleFlight(Function<SecretRef, Entry> load) {
    this.load = load;
  }

  /** Loads a reference on the calling thread, or waits for the load already under way. */
  Entry load(SecretRef ref) {
    for (; ; ) {
      CompletableFuture<Entry> mine = new CompletableFuture<>();
      CompletableFuture<Entry> running = flights.putIfAbsent(ref, mine);
      if (running == null) {
        run(ref, mine);
        return await(ref, mine);
      }
      try {
        return running.join();
      } catch (CompletionException e) {
        if (!(e.getCause() instanceof Abandoned)) {
          return await(ref, running);
        }
        // The thread that ran it was interrupted, and the load with it: this caller was not.
      }
    }
  }

  /**
   * Loads a reference on the calling thread unless a load is under way: that load asks the provider
   * already, and its result is stored when it ends.
   *
   * @return the entry loaded, or {@code null} when a load was under way
   */
  Entry loadUnlessLoading(SecretRef ref) {
    CompletableFuture<Entry> mine = new CompletableFuture<>();
    if (flights.putIfAbsent(ref, mine) != null) {
      return null;
    }
    run(ref, mine);
    return await(ref, mine);
  }

  /**
   * Runs {@code store} on the calling thread as this reference's load, unless a load is under way,
   * which then has the last word. A value obtained outside the chain (a batch call) is stored this
   * way, so that it never interleaves with a load of the same reference.
   */
  void runUnlessLoading(SecretRef ref, Supplier<Entry> store) {
    CompletableFuture<Entry> mine = new CompletableFuture<>();
    if (flights.putIfAbsent(ref, mine) != null) {
      return;
    }
    try {
      mine.complete(store.get());
    } catch (Throwable t) {
      mine.completeExceptionally(t);
      throw t;
    } finally {
      flights.remove(ref, mine);
    }
  }

  /** Starts one load of a reference on the executor, unless one is under way; returns the load. */
  CompletableFuture<Entry> loadInBackground(SecretRef ref, Executor executor) {
    CompletableFuture<Entry> running = flights.get(ref);
    if (running != null) {
      // Every read during an outage lands here: it must not allocate.
      return running;
    }
    CompletableFuture<Entry> mine = new CompletableFuture<>();
    running = flights.putIfAbsent(ref, mine);
    if (running != null) {
      return running;
    }
    try {
      executor.execute(() -> run(ref, mine));
    } catch (RejectedExecutionException e) {
      flights.remove(ref, mine);
      mine.completeExceptionally(new IllegalStateException("the secret resolver is closed"));
    }
    return mine;
  }

  private void run(SecretRef ref, CompletableFuture<Entry> flight) {
    try {
      flight.complete(load.apply(ref));
    } catch (RuntimeException e) {
      if (Thread.currentThread().isInterrupted()) {
        // Removed first, so that a waiting caller loading again starts a load of its own.
        flights.remove(ref, flight);
        flight.completeExceptionally(new Abandoned(e));
      } else {
        flight.completeExceptionally(e);
      }
    } catch (Throwable t) {
      flight.completeExceptionally(t);
    } finally {
      flights.remove(ref, flight);
    }
  }

  /** Waits for a load and rethrows its failure as the caller's own. */
  static Entry await(SecretRef ref, CompletableFuture<Entry> flight) {
    try {
      return flight.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Abandoned abandoned) {
        // The interrupted caller itself, or a reader that found the abandoned load done.
        cause = abandoned.getCause();
      }
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
}
