package io.latchkey.resolver;

import io.latchkey.LatchkeyException;
import io.latchkey.SecretRef;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps references fresh without waiting for a read: it re-checks every reference of a provider
 * that says a value it serves changed ({@link io.latchkey.spi.SecretProvider#onChange(Runnable)}),
 * and refreshes the references that a {@link SecretHandle} reaction watches once they are due, on a
 * thread of its own, so that a reaction hears of a new version even while nobody reads it.
 *
 * <p>A watched reference that has no value (a previous-keys variable not set yet) is looked up
 * again when its provider reports a change, and otherwise once a minute: when it appears, the
 * listeners are told once, with no old version, by whichever load stores it first (this look, or an
 * application's read).
 */
final class Watches {
  private static final Logger LOG = LoggerFactory.getLogger(SecretResolver.class);

  /** How often a sweep looks again for a watched reference that has no value. */
  static final long ABSENT_RECHECK_MILLIS = 60_000;

  /**
   * One watched reference: how many reactions watch it, and when to look for it if it is absent.
   */
  private static final class Watch {
    final AtomicInteger count = new AtomicInteger();
    volatile long lookAgainAt;
  }

  private final ConcurrentHashMap<SecretRef, Entry> entries;
  private final EntryCache cache;
  private final FieldLink fields;
  private final Clock clock;
  private final Listeners listeners;
  // Swept once a second: a reaction hears of a new version at most a second after it is due.
  private final ConcurrentHashMap<SecretRef, Watch> watched = new ConcurrentHashMap<>();
  private ScheduledThreadPoolExecutor sweeper;
  private boolean closed;

  /**
   * @param entries the resolver's entries
   * @param cache loads a reference, one load per reference at a time
   * @param fields holds the whole secrets that field references are read from
   * @param listeners told of the changes a re-check or a sweep found, once it has ended
   */
  Watches(
      ConcurrentHashMap<SecretRef, Entry> entries,
      EntryCache cache,
      FieldLink fields,
      Clock clock,
      Listeners listeners) {
    this.entries = entries;
    this.cache = cache;
    this.fields = fields;
    this.clock = clock;
    this.listeners = listeners;
  }

  /**
   * Re-checks, on the calling thread (the provider's), every reference of the scheme that holds a
   * value, and looks for the watched ones that have none: a version id the provider still reports
   * only renews the entry; a new one is fetched. The listeners are told once every reference is
   * re-checked, before this returns.
   */
  void changed(String scheme) {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    fields.expire(scheme);
    listeners.batch(
        () -> {
          for (SecretRef ref : entries.keySet()) {
            if (ref.scheme().equals(scheme)) {
              reload(ref);
            }
          }
          watched.forEach(
              (ref, watch) -> {
                if (ref.scheme().equals(scheme)) {
                  lookFor(ref, watch);
                }
              });
        });
  }

  /** Starts watching a reference; each call needs its own {@link #unwatch(SecretRef)}. */
  void watch(SecretRef ref) {
    watched.computeIfAbsent(ref, r -> new Watch()).count.incrementAndGet();
    synchronized (this) {
      if (sweeper == null && !closed) {
        sweeper =
            new ScheduledThreadPoolExecutor(
                1,
                r -> {
                  Thread t = new Thread(r, "latchkey-resolver-watch");
                  t.setDaemon(true);
                  return t;
                });
        var unused = sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
      }
    }
  }

  /** Tells whether a reaction watches a reference. */
  boolean isWatched(SecretRef ref) {
    return watched.containsKey(ref);
  }

  void unwatch(SecretRef ref) {
    watched.computeIfPresent(ref, (r, w) -> w.count.decrementAndGet() == 0 ? null : w);
  }

  /**
   * Refreshes each watched reference whose value is due for a refresh, and looks again for each one
   * that has no value, at most once a minute. When one of them changed, every other watched
   * reference of its provider is re-checked in the same sweep, due or not: a rotation rarely
   * changes one secret alone (a key and its previous keys in two secrets), and each reference's
   * refresh time is jittered, so the listeners would otherwise hear of the first new beside the
   * second old.
   */
  void sweep() {
    long now = clock.millis();
    listeners.batch(
        () -> {
          Set<SecretRef> checked = new HashSet<>();
          Set<String> changed = new HashSet<>();
          watched.forEach(
              (ref, watch) -> {
                Entry entry = entries.get(ref);
                long changesBefore = listeners.changes();
                if (entry != null) {
                  if (now >= entry.refreshAt()) {
                    checked.add(ref);
                    reload(ref);
                  }
                } else if (now >= watch.lookAgainAt) {
                  watch.lookAgainAt = now + ABSENT_RECHECK_MILLIS;
                  checked.add(ref);
                  lookFor(ref, watch);
                }
                if (listeners.changes() != changesBefore) {
                  changed.add(ref.scheme());
                }
              });
          if (changed.isEmpty()) {
            return;
          }
          // A field reference's whole secret may be held fresh: asked again, not served held.
          changed.forEach(fields::expire);
          watched.forEach(
              (ref, watch) -> {
                if (changed.contains(ref.scheme()) && !checked.contains(ref)) {
                  if (entries.containsKey(ref)) {
                    reload(ref);
                  } else {
                    lookFor(ref, watch);
                  }
                }
              });
        });
  }

  private void reload(SecretRef ref) {
    try {
      var unused = cache.load(ref);
    } catch (LatchkeyException | IllegalStateException e) {
      // The load has already been recorded (stale, failed, health); the next read sees it.
      LOG.debug("secret {}: re-check failed ({})", ref, e.getClass().getSimpleName());
    }
  }

  /**
   * Loads a watched reference if it has no value. If it has one now, the load that stores it tells
   * the listeners, as a read that gets there first does; one look at a time per reference.
   */
  private void lookFor(SecretRef ref, Watch watch) {
    synchronized (watch) {
      if (entries.containsKey(ref)) {
        return;
      }
      try {
        var unused = cache.load(ref);
      } catch (LatchkeyException | IllegalStateException e) {
        LOG.debug("secret {}: still absent ({})", ref, e.getClass().getSimpleName());
      }
    }
  }

  synchronized void close() {
    closed = true;
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
  }
}
