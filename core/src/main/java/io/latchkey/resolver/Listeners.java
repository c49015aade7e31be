package io.latchkey.resolver;

import io.latchkey.SecretRef;
import io.latchkey.spi.SecretVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listeners registered with a resolver, told when a load changed a reference's value. */
final class Listeners {
  private static final Logger LOG = LoggerFactory.getLogger(SecretResolver.class);

  /** A listener for one reference, or for every reference when {@code ref} is {@code null}. */
  private record Registration(SecretRef ref, SecretResolver.Listener listener) {}

  private final List<Registration> registrations = new CopyOnWriteArrayList<>();
  private final AtomicLong changes = new AtomicLong();
  // The notices a batch on this thread holds back until all its loads are done (of any resolver:
  // a notice held a moment longer is still told, in order).
  private static final ThreadLocal<List<Runnable>> held = new ThreadLocal<>();
  // Closed, and how many notices are being told (on any thread, and on this one): once close()
  // has returned, no listener is told anything, so none acts on what the application shut down.
  private final Object telling = new Object();
  private boolean closed;
  private int beingTold;
  private final ThreadLocal<int[]> toldHere = ThreadLocal.withInitial(() -> new int[1]);

  /** How many times a load has changed a reference's value, counted before listeners are told. */
  long changes() {
    return changes.get();
  }

  void add(SecretRef ref, SecretResolver.Listener listener) {
    registrations.add(new Registration(ref, listener));
  }

  boolean remove(SecretResolver.Listener listener) {
    return registrations.removeIf(r -> r.listener() == listener);
  }

  /** Tells the reference's listeners if {@code after} is another version than {@code before}. */
  void loaded(SecretRef ref, SecretVersion before, SecretVersion after) {
    if (changed(ref, before, after)) {
      tell(ref, before.versionId(), after.versionId());
    }
  }

  /** Tells the reference's listeners that it has a value now, where it had none. */
  void appeared(SecretRef ref, SecretVersion after) {
    tell(ref, Optional.empty(), after.versionId());
  }

  private void tell(SecretRef ref, Optional<String> before, Optional<String> after) {
    changes.incrementAndGet();
    List<Runnable> batch = held.get();
    if (batch != null) {
      batch.add(() -> notify(ref, before, after));
    } else {
      notify(ref, before, after);
    }
  }

  /**
   * Runs loads on this thread, and tells the listeners of their changes only once all are done: a
   * listener that reads several references (a key and its previous keys, rotated together) then
   * sees every one of them new, never the first new beside the second old.
   */
  void batch(Runnable loads) {
    if (held.get() != null) {
      loads.run();
      return;
    }
    List<Runnable> batch = new ArrayList<>();
    held.set(batch);
    try {
      loads.run();
    } finally {
      held.remove();
    }
    batch.forEach(Runnable::run);
  }

  /**
   * Whether {@code after} is news for the reference's listeners: another version id (or, without
   * ids, another value); for a field, whose version is its whole secret's, another value too.
   */
  // The same instance: a renewal that kept the held version, which nothing needs compared.
  @SuppressWarnings("ReferenceEquality")
  static boolean changed(SecretRef ref, SecretVersion before, SecretVersion after) {
    if (before == after) {
      return false;
    }
    if (before.versionId().isPresent() && after.versionId().isPresent()) {
      if (before.versionId().equals(after.versionId())) {
        return false;
      }
      if (ref.field().isEmpty()) {
        return true;
      }
      // A field's version is its whole secret's: a new version that kept this field's value (the
      // password rotated, the user name kept) did not change it.
    }
    return !before.value().matches(after.value());
  }

  /**
   * Tells no listener anything from now on, and waits up to {@code wait} for those being told to
   * return (not for this thread's own: a listener may close the resolver).
   */
  void close(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (telling) {
      closed = true;
      int mine = toldHere.get()[0];
      boolean interrupted = false;
      try {
        for (long left = wait.toNanos(); beingTold > mine && left > 0; ) {
          try {
            TimeUnit.NANOSECONDS.timedWait(telling, left);
          } catch (InterruptedException e) {
            interrupted = true;
            break;
          }
          left = deadline - System.nanoTime();
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private void notify(SecretRef ref, Optional<String> before, Optional<String> after) {
    synchronized (telling) {
      if (closed) {
        return;
      }
      beingTold++;
    }
    int[] here = toldHere.get();
    here[0]++;
    try {
      tellEach(ref, before, after);
    } finally {
      here[0]--;
      synchronized (telling) {
        beingTold--;
        telling.notifyAll();
      }
    }
  }

  private void tellEach(SecretRef ref, Optional<String> before, Optional<String> after) {
    for (Registration r : registrations) {
      if (isClosed()) {
        return;
      }
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

  private boolean isClosed() {
    synchronized (telling) {
      return closed;
    }
  }
}
