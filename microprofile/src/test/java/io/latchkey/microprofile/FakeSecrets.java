package io.latchkey.microprofile;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the {@code aws} test provider serves, and what it counts. Shared through static fields
 * because a discovering resolver creates its providers through {@link java.util.ServiceLoader}, out
 * of the test's reach; each test calls {@link #reset()} first.
 */
final class FakeSecrets {
  static final Map<String, String> VALUES = new ConcurrentHashMap<>();
  static final Map<String, Integer> VERSIONS = new ConcurrentHashMap<>();
  static final AtomicInteger CREATED = new AtomicInteger();
  static final AtomicInteger CLOSED = new AtomicInteger();
  static final AtomicInteger FETCHES = new AtomicInteger();
  static volatile boolean down;

  private FakeSecrets() {}

  static void reset() {
    VALUES.clear();
    VERSIONS.clear();
    CREATED.set(0);
    CLOSED.set(0);
    FETCHES.set(0);
    down = false;
  }

  /** Sets or rotates a secret: each call makes a new version. */
  static void put(String path, String value) {
    VALUES.put(path, value);
    VERSIONS.merge(path, 1, Integer::sum);
  }
}
