package io.latchkey.resolver;

import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An in-memory provider whose secrets a test sets and rotates, whose failures a test scripts, and
 * which counts its calls. It knows the versions of its secrets, as AWS and GCP do, unless told not
 * to.
 */
class FakeProvider implements SecretProvider {
  private final String name;
  private final Map<String, String> values = new ConcurrentHashMap<>();
  private final Map<String, Integer> versions = new ConcurrentHashMap<>();
  private final Deque<Supplier<RuntimeException>> failures = new ArrayDeque<>();
  final AtomicInteger fetches = new AtomicInteger();
  final AtomicInteger versionChecks = new AtomicInteger();
  final AtomicInteger batches = new AtomicInteger();
  final List<Thread> fetchThreads = new CopyOnWriteArrayList<>();
  volatile boolean versioned = true;
  volatile boolean batch;
  volatile CountDownLatch gate;
  volatile CountDownLatch entered;

  /** Paths whose fetch blocks until interrupted, as a hung backend does. */
  final Set<String> hanging = ConcurrentHashMap.newKeySet();

  /** What {@link #sourceProblems()} reports. */
  final List<io.latchkey.ConfigException.Problem> problems = new CopyOnWriteArrayList<>();

  private final List<Runnable> changeCallbacks = new CopyOnWriteArrayList<>();

  /** Paths whose next fetch is throttled. */
  final Set<String> throttleOnce = ConcurrentHashMap.newKeySet();

  FakeProvider(String name) {
    this.name = name;
  }

  /** Sets (or rotates) a secret: each call makes a new version. */
  FakeProvider put(String path, String value) {
    values.put(path, value);
    versions.merge(path, 1, Integer::sum);
    return this;
  }

  /** Runs every change callback a resolver registered, as a provider that saw a change does. */
  void announceChange() {
    changeCallbacks.forEach(Runnable::run);
  }

  @Override
  public void onChange(Runnable callback) {
    changeCallbacks.add(callback);
  }

  @Override
  public void removeOnChange(Runnable callback) {
    changeCallbacks.removeIf(c -> c == callback);
  }

  /** How many change callbacks the provider holds now. */
  int changeCallbackCount() {
    return changeCallbacks.size();
  }

  @Override
  public List<io.latchkey.ConfigException.Problem> sourceProblems() {
    return List.copyOf(problems);
  }

  /** Deletes a secret. */
  FakeProvider remove(String path) {
    values.remove(path);
    versions.remove(path);
    return this;
  }

  /** Makes the next calls (fetch or version check) throw, in order. */
  synchronized FakeProvider failNext(Supplier<RuntimeException> failure) {
    failures.add(failure);
    return this;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public SecretVersion fetch(SecretRef ref) {
    fetches.incrementAndGet();
    fetchThreads.add(Thread.currentThread());
    if (hanging.contains(ref.path())) {
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new ProviderException(ref, ProviderException.Kind.OTHER, "interrupted");
      }
    }
    enter();
    if (throttleOnce.remove(ref.path())) {
      throw new ProviderException(ref, ProviderException.Kind.THROTTLED, "rate exceeded");
    }
    String value = values.get(ref.path());
    if (value == null) {
      throw new SecretNotFoundException(ref, "no such secret");
    }
    if (ref.field().isPresent()) {
      value = field(ref, value);
    }
    Instant now = Instant.now();
    return versioned
        ? SecretVersion.of(Secret.of(value), "v" + versions.get(ref.path()), now)
        : SecretVersion.of(Secret.of(value), now);
  }

  @Override
  public Optional<String> currentVersionId(SecretRef ref) {
    versionChecks.incrementAndGet();
    enter();
    Integer v = versions.get(ref.path());
    if (v == null) {
      throw new SecretNotFoundException(ref, "no such secret");
    }
    return versioned ? Optional.of("v" + v) : Optional.empty();
  }

  @Override
  public Map<SecretRef, SecretVersion> fetchAll(Collection<SecretRef> refs) {
    if (!batch) {
      return Map.of();
    }
    batches.incrementAndGet();
    Map<SecretRef, SecretVersion> out = new HashMap<>();
    for (SecretRef ref : refs) {
      String value = values.get(ref.path());
      if (value != null && ref.field().isEmpty()) {
        out.put(
            ref, SecretVersion.of(Secret.of(value), "v" + versions.get(ref.path()), Instant.now()));
      }
    }
    return out;
  }

  @Override
  public Optional<ConfigValue> get(String name) {
    return Optional.empty();
  }

  @Override
  public String description() {
    return "fake " + name;
  }

  /** A toy "JSON" reader for flat objects of strings, enough to exercise field errors. */
  private static String field(SecretRef ref, String value) {
    String json = value.strip();
    if (!json.startsWith("{") || !json.endsWith("}")) {
      throw new SecretNotFoundException(
          ref, "the value is not a JSON object, so it has no field '" + ref.field().get() + "'");
    }
    for (String pair : json.substring(1, json.length() - 1).split(",")) {
      String[] kv = pair.split(":", 2);
      if (kv.length == 2 && unquote(kv[0]).equals(ref.field().get())) {
        return unquote(kv[1]);
      }
    }
    throw new SecretNotFoundException(ref, "the secret has no field '" + ref.field().get() + "'");
  }

  private static String unquote(String s) {
    String t = s.strip();
    return t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
  }

  private void enter() {
    CountDownLatch e = entered;
    if (e != null) {
      e.countDown();
    }
    CountDownLatch g = gate;
    if (g != null) {
      try {
        g.await();
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new ProviderException(
            SecretRef.of(name, "interrupted"), ProviderException.Kind.OTHER, "interrupted");
      }
    }
    Supplier<RuntimeException> failure;
    synchronized (this) {
      failure = failures.poll();
    }
    if (failure != null) {
      throw failure.get();
    }
  }
}
