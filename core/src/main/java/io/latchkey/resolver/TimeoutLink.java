package io.latchkey.resolver;

import io.latchkey.ProviderException;
import io.latchkey.SecretRef;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs each attempt on the resolver's executor and gives up after the time-out, interrupting the
 * attempt, so a backend that hangs holds up neither the caller nor other references.
 *
 * <p>It also records each attempt's outcome in the health book: only outcomes it delivers count, so
 * an abandoned attempt that fails later (interrupted) does not overwrite the time-out.
 *
 * <p>{@link #cancelAll()} ends every attempt under way when the resolver closes, so that a caller
 * waiting for a hung backend is let go at once rather than at the end of its time-out, and no
 * attempt starts after it.
 */
final class TimeoutLink implements Link {
  private final Link next;
  private final Executor executor;
  private final Duration timeout;
  private final Clock clock;
  private final HealthBook health;
  private final Set<FutureTask<Entry>> running = ConcurrentHashMap.newKeySet();
  private volatile boolean cancelled;

  TimeoutLink(Link next, Executor executor, Duration timeout, Clock clock, HealthBook health) {
    this.next = next;
    this.executor = executor;
    this.timeout = timeout;
    this.clock = clock;
    this.health = health;
  }

  @Override
  public Entry proceed(SecretRef ref, Entry cached) {
    FutureTask<Entry> task = new FutureTask<>(() -> next.proceed(ref, cached));
    running.add(task);
    try {
      if (cancelled) {
        // cancelAll() may have run before this attempt was added: a supplied executor would
        // still run it, for as long as the time-out allows.
        throw new IllegalStateException("the secret resolver is closed");
      }
      return await(ref, task);
    } finally {
      running.remove(task);
    }
  }

  /**
   * Cancels every attempt under way, interrupting its thread, and refuses later ones; their callers
   * hear that the resolver closed.
   */
  void cancelAll() {
    cancelled = true;
    for (FutureTask<Entry> task : running) {
      task.cancel(true);
    }
  }

  private Entry await(SecretRef ref, FutureTask<Entry> task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("the secret resolver is closed");
    }
    try {
      Entry entry = task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      health.success(ref.scheme());
      return entry;
    } catch (CancellationException e) {
      throw new IllegalStateException("the secret resolver is closed");
    } catch (TimeoutException e) {
      task.cancel(true);
      health.error(ref.scheme(), ProviderException.Kind.TIMEOUT, clock.instant());
      throw new ProviderException(
          ref, ProviderException.Kind.TIMEOUT, "no answer within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      task.cancel(true);
      Thread.currentThread().interrupt();
      throw new ProviderException(
          ref, ProviderException.Kind.OTHER, "interrupted while waiting for the provider");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ProviderException p) {
        health.error(ref.scheme(), p.kind(), clock.instant());
        throw p;
      }
      if (cause instanceof RuntimeException r) {
        // Not found, or the provider's own configuration problem: the provider did answer.
        health.success(ref.scheme());
        throw r;
      }
      if (ProviderFailure.isFatal(cause)) {
        // Out of memory, a stack overflow or a stopped thread: nothing to report, only to stop.
        throw (Error) cause;
      }
      // ProviderLink has already reduced every other throwable; this is for a Link that did not.
      health.error(ref.scheme(), ProviderException.Kind.OTHER, clock.instant());
      throw ProviderFailure.of(ref, cause);
    }
  }
}
