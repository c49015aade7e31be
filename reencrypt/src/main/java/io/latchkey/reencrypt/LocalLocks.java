package io.latchkey.reencrypt;

import io.latchkey.LatchkeyException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** Locks that keep two jobs in this JVM off the same target; they do not reach other processes. */
final class LocalLocks {
  private static final Set<String> HELD = ConcurrentHashMap.newKeySet();

  private LocalLocks() {}

  /**
   * Takes the lock with the given key.
   *
   * @param key what identifies the target across store instances
   * @param target the target's name, for the error message
   * @throws LatchkeyException if the lock is held
   */
  static CiphertextStore.Lock acquire(String key, String target) {
    if (!HELD.add(key)) {
      throw lockHeld(target);
    }
    AtomicBoolean open = new AtomicBoolean(true);
    return () -> {
      if (open.compareAndSet(true, false)) {
        HELD.remove(key);
      }
    };
  }

  static LatchkeyException lockHeld(String target) {
    return new LatchkeyException(target + ": another re-encryption job holds the lock");
  }
}
