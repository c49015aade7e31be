package io.latchkey.spring;

import static java.util.Objects.requireNonNull;

import io.latchkey.ConfigException;
import io.latchkey.LatchkeyException;
import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.resolver.SecretResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Everything the starter keeps for one application: its resolver, the properties written as
 * references, which providers are in use, and the rotation events. Created when the environment is
 * prepared, handed to the context as a bean when the context is prepared, closed with it.
 *
 * <p>The resolver is built and every reference loaded on a thread of its own ({@code
 * latchkey-start}), while Spring goes on creating the context: in a fresh JVM, building a cloud
 * provider means loading its SDK, which takes long enough (about half a second for AWS) to be worth
 * overlapping with Spring's own start-up. Whatever needs the resolver or a value waits for that
 * thread: the first read of a reference, and at the latest the {@link StartupGate}, before any
 * other lifecycle bean (a web server) starts. A problem found by the load fails start-up there,
 * every problem at once.
 */
final class LatchkeyRuntime implements DisposableBean {
  private static final Logger LOG = LoggerFactory.getLogger(LatchkeySecrets.class);

  private final LatchkeySettings settings;

  /** The problems the load found (empty when it succeeded), or how building the resolver failed. */
  private final CompletableFuture<List<ConfigException.Problem>> loaded = new CompletableFuture<>();

  private final List<ReferenceProperty> properties;
  private final Map<String, ReferenceProperty> byName = new LinkedHashMap<>();
  private final Set<String> usedSchemes = ConcurrentHashMap.newKeySet();
  private final Map<SecretRef, String> lastRotation = new ConcurrentHashMap<>();
  private final List<RotationCallback> callbacks = new CopyOnWriteArrayList<>();
  private final LatchkeySecrets secrets = new LatchkeySecrets(this);
  private final Set<SecretRef> held = ConcurrentHashMap.newKeySet();
  private final Set<SecretRef> readAsText = ConcurrentHashMap.newKeySet();
  private volatile SecretResolver resolver;
  private volatile ApplicationEventPublisher publisher;
  private volatile ScheduledExecutorService watcher;
  private volatile boolean closed;
  // Set when the context closes: no rotation event is published after ContextClosedEvent. Each
  // publication holds the read lock, so that stopping waits for one under way.
  private volatile boolean stopped;
  private final ReentrantReadWriteLock publishing = new ReentrantReadWriteLock();

  /** Told of a rotation of one reference, as the pool integration is. */
  record RotationCallback(SecretRef ref, Runnable action) {}

  private LatchkeyRuntime(LatchkeySettings settings, List<ReferenceProperty> properties) {
    this.settings = settings;
    this.properties = List.copyOf(properties);
    for (ReferenceProperty p : properties) {
      byName.putIfAbsent(p.name(), p);
      byName.putIfAbsent(p.rawName(), p);
      usedSchemes.add(p.ref().scheme());
      held.add(p.ref());
    }
  }

  /**
   * Returns the runtime at once, and starts building the application's resolver (from the settings,
   * the customizers and the providers on the class path) and loading every property's reference on
   * the {@code latchkey-start} thread.
   */
  static LatchkeyRuntime start(
      LatchkeySettings settings,
      List<SecretResolverCustomizer> customizers,
      List<ReferenceProperty> properties) {
    LatchkeyRuntime runtime = new LatchkeyRuntime(settings, properties);
    // A new thread inherits this one's context class loader, which provider discovery uses.
    Thread loader = new Thread(() -> runtime.load(customizers), "latchkey-start");
    loader.setDaemon(true);
    loader.start();
    return runtime;
  }

  private void load(List<SecretResolverCustomizer> customizers) {
    try {
      SecretResolver built = build(settings, customizers);
      built.addListener(this::changed);
      resolver = built;
      loaded.complete(prefetch());
    } catch (RuntimeException | Error e) {
      loaded.completeExceptionally(e);
    }
  }

  /**
   * Builds the resolver.
   *
   * @throws ConfigException if no provider is on the class path, or a customizer's settings
   *     conflict
   */
  private static SecretResolver build(
      LatchkeySettings settings, List<SecretResolverCustomizer> customizers) {
    SecretResolver.Builder builder = SecretResolver.builder();
    SecretResolver built;
    try {
      settings.apply(builder);
      for (SecretResolverCustomizer customizer : customizers) {
        customizer.customize(builder);
      }
      builder.discoverProviders(settings.providerEnvironment);
      built = builder.build();
    } catch (IllegalStateException | IllegalArgumentException e) {
      // The builder's messages name settings and schemes, never values.
      String reason =
          e.getMessage() != null && e.getMessage().startsWith("register at least one provider")
              ? "found no secret provider on the class path: add latchkey-provider-env (the"
                  + " environment and mounted files), latchkey-provider-aws, -gcp or -vault"
              : "cannot build the secret resolver: " + e.getMessage();
      throw new ConfigException("spring.config.import=latchkey:", reason);
    }
    return built;
  }

  /**
   * Waits for the load and returns the problems it found; rethrows what made building the resolver
   * fail.
   */
  List<ConfigException.Problem> loadProblems() {
    try {
      return loaded.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /**
   * Waits for the load.
   *
   * @throws ConfigException listing every reference that failed to load, or why the resolver could
   *     not be built
   */
  void awaitLoaded() {
    List<ConfigException.Problem> problems = loadProblems();
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /** Returns the resolver once every reference is loaded; see {@link #awaitLoaded()}. */
  SecretResolver resolver() {
    awaitLoaded();
    return resolver;
  }

  LatchkeySecrets secrets() {
    return secrets;
  }

  LatchkeySettings settings() {
    return settings;
  }

  List<ReferenceProperty> properties() {
    return properties;
  }

  /** Returns the property written as a reference under this name, or {@code null}. */
  ReferenceProperty property(String name) {
    ReferenceProperty found = byName.get(name);
    if (found == null) {
      ConfigurationPropertyName canonical = ConfigurationPropertyName.ofIfValid(name);
      if (canonical != null) {
        found = byName.get(canonical.toString());
      }
    }
    return found;
  }

  Set<String> usedSchemes() {
    return Set.copyOf(usedSchemes);
  }

  Optional<String> lastRotation(SecretRef ref) {
    return Optional.ofNullable(lastRotation.get(ref));
  }

  /** Records that the application reads a reference (so its provider's health counts). */
  void used(SecretRef ref) {
    usedSchemes.add(ref.scheme());
    held.add(ref);
  }

  Secret resolve(SecretRef ref) {
    used(ref);
    return resolver().resolve(ref);
  }

  /** Asks the provider for a reference again now; see {@link SecretResolver#refresh(SecretRef)}. */
  boolean refresh(SecretRef ref) {
    used(ref);
    return resolver().refresh(ref);
  }

  /**
   * Records that a reference's value was handed to Spring as text (a placeholder, {@code @Value},
   * {@code Environment.getProperty}): from then on the text may turn up in a conversion's message
   * or an actuator view, where {@link #secretIn} looks for it.
   */
  void readAsText(SecretRef ref) {
    readAsText.add(ref);
  }

  /**
   * Returns a reference whose value was read as text and whose current value {@code text} shows,
   * whole or in part ({@link Traces}), or one whose value cannot be read now (so it cannot be ruled
   * out); {@code null} when {@code text} shows no such value. For failure paths and actuator views:
   * it reads every such reference through the cache.
   */
  SecretRef secretIn(String text) {
    return secretIn(text, false);
  }

  /**
   * As {@link #secretIn(String)}, but finds only a secret's whole text, as it is: for a text that
   * holds what Spring pasted of a secret (an expression), where a part of another would be noise.
   */
  SecretRef secretWholeIn(String text) {
    return secretIn(text, true);
  }

  private SecretRef secretIn(String text, boolean whole) {
    String lower = whole ? null : Traces.lower(text);
    for (SecretRef ref : readAsText) {
      Secret value;
      try {
        value = resolver().resolve(ref);
      } catch (RuntimeException e) {
        return ref;
      }
      try {
        String revealed = value.reveal();
        if (whole
            ? !revealed.isEmpty() && text.contains(revealed)
            : Traces.showsInLower(lower, revealed)) {
          return ref;
        }
      } finally {
        value.wipe();
      }
    }
    return null;
  }

  void onRotation(SecretRef ref, Runnable action) {
    callbacks.add(new RotationCallback(ref, action));
  }

  /**
   * Loads every property's reference at once and returns a problem per property that failed, naming
   * the property, where it is written and the reference. Failures the settings tolerate (a provider
   * that is down, with {@code latchkey.on-provider-failure=continue}) are logged instead.
   */
  private List<ConfigException.Problem> prefetch() {
    Map<SecretRef, List<ReferenceProperty>> byRef = new LinkedHashMap<>();
    for (ReferenceProperty p : properties) {
      byRef.computeIfAbsent(p.ref(), r -> new ArrayList<>()).add(p);
    }
    if (byRef.isEmpty()) {
      return List.of();
    }
    try {
      resolver.prefetch(byRef.keySet());
      warnAboutTemplates(byRef, Set.of());
      return List.of();
    } catch (ConfigException e) {
      Map<String, SecretRef> byText = new LinkedHashMap<>();
      byRef.keySet().forEach(r -> byText.put(r.toString(), r));
      Throwable[] causes = e.getSuppressed();
      List<ConfigException.Problem> problems = new ArrayList<>();
      Set<SecretRef> failed = new HashSet<>();
      for (int i = 0; i < e.problems().size(); i++) {
        ConfigException.Problem problem = e.problems().get(i);
        SecretRef ref = byText.get(problem.setting());
        if (ref != null) {
          failed.add(ref);
        }
        Throwable cause = i < causes.length ? causes[i] : null;
        List<ReferenceProperty> using = ref == null ? List.of() : byRef.get(ref);
        if (using.isEmpty()) {
          problems.add(problem);
          continue;
        }
        boolean tolerated =
            settings.onProviderFailure == LatchkeySettings.ProviderFailure.CONTINUE
                && cause instanceof ProviderException p
                && p.isRetryable();
        for (ReferenceProperty property : using) {
          String reason = "secret " + ref + ": " + problem.reason() + hint(cause, ref);
          if (tolerated) {
            LOG.warn(
                "property {}: {}; starting without it (latchkey.on-provider-failure=continue),"
                    + " each read tries again",
                property.described(),
                reason);
          } else {
            problems.add(new ConfigException.Problem(property.described(), reason));
          }
        }
      }
      if (problems.isEmpty()) {
        // Every failure was tolerated: the references that did load still deserve the check.
        warnAboutTemplates(byRef, failed);
      }
      return problems;
    }
  }

  /**
   * Warns about each property whose secret contains a placeholder opening: {@code @Value} reads the
   * text it injects as a template, so such a value fails there, quoted in Spring's message.
   */
  private void warnAboutTemplates(
      Map<SecretRef, List<ReferenceProperty>> byRef, Set<SecretRef> failed) {
    byRef.forEach(
        (ref, using) -> {
          if (failed.contains(ref)) {
            // Reading it again would only ask the provider that just failed.
            return;
          }
          Secret value = resolver.resolve(ref);
          boolean template = value.reveal().contains("${");
          value.wipe();
          if (template) {
            for (ReferenceProperty p : using) {
              LOG.warn(
                  "property {}: the value of secret {} contains '${': inject it as a Secret"
                      + " through @ConfigurationProperties or a SecretHolder, not with @Value,"
                      + " which reads its text as a template",
                  p.described(),
                  ref);
            }
          }
        });
  }

  private static String hint(Throwable cause, SecretRef ref) {
    if (cause instanceof ProviderException p && p.kind() == ProviderException.Kind.UNSUPPORTED) {
      return " (add latchkey-provider-" + ref.scheme() + " to the class path if it exists)";
    }
    if (cause instanceof ProviderException p && p.kind() == ProviderException.Kind.OTHER) {
      return " (providers read their settings from the process environment and"
          + " latchkey.environment.*)";
    }
    return "";
  }

  /** Reads every reference in use once, so that those due for a refresh start one. */
  int touchAll() {
    int read = 0;
    for (SecretRef ref : Set.copyOf(held)) {
      try {
        resolver().resolve(ref).wipe();
        read++;
      } catch (LatchkeyException e) {
        // Health reports it; the message names the reference and the kind, never a value.
        LOG.debug("secret {} could not be read: {}", ref, e.getMessage());
      } catch (IllegalStateException e) {
        return read;
      }
    }
    return read;
  }

  /** Publishes rotations to the context from now on, and starts the periodic check. */
  synchronized void start(ApplicationEventPublisher publisher) {
    this.publisher = requireNonNull(publisher, "publisher");
    Duration interval = settings.watchInterval;
    if (!interval.isZero() && !interval.isNegative() && watcher == null && !stopped) {
      ScheduledExecutorService pool =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "latchkey-watch");
                t.setDaemon(true);
                return t;
              });
      // Never cancelled by hand: shutting the pool down when the context closes ends it.
      ScheduledFuture<?> unused =
          pool.scheduleWithFixedDelay(
              this::watch, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
      watcher = pool;
    }
  }

  /** One periodic check; anything it throws would end the schedule, so nothing may escape. */
  private void watch() {
    try {
      touchAll();
    } catch (RuntimeException e) {
      LOG.warn("the periodic secret check failed with {}", e.getClass().getName());
    }
  }

  private void changed(SecretRef ref, Optional<String> before, Optional<String> after) {
    after.ifPresent(v -> lastRotation.put(ref, v));
    LOG.info("secret {} rotated: version {} -> {}", ref, before.orElse("?"), after.orElse("?"));
    for (RotationCallback callback : callbacks) {
      if (callback.ref().equals(ref)) {
        try {
          callback.action().run();
        } catch (RuntimeException e) {
          // One failing callback must not keep the rotation from the others and from the event.
          // Its message may quote what it was working on: the class says enough.
          LOG.warn("a rotation callback of secret {} failed with {}", ref, e.getClass().getName());
        }
      }
    }
    publishing.readLock().lock();
    try {
      ApplicationEventPublisher target = publisher;
      if (target != null && !stopped) {
        target.publishEvent(
            new SecretRotatedEvent(secrets, ref, propertyNames(ref), before, after));
      }
    } finally {
      publishing.readLock().unlock();
    }
  }

  /**
   * Stops publishing rotation events and the periodic check, when the context closes (on {@code
   * ContextClosedEvent}, before the application's own listeners hear of it): a rotation that a
   * bean's shutdown read or the last check brings in is still stored and logged, and the pool
   * integration's callbacks still run, but no listener hears of it after the context said it is
   * closing. Waits up to a second for a publication under way on another thread. Idempotent.
   */
  void contextClosed() {
    stopped = true;
    stopWatcher();
    if (publishing.getReadHoldCount() > 0) {
      // Closed from a listener of a rotation event, on this thread: nothing else to wait for.
      return;
    }
    try {
      if (publishing.writeLock().tryLock(1, TimeUnit.SECONDS)) {
        publishing.writeLock().unlock();
      } else {
        LOG.debug("a rotation event still being published after a second; closing anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void stopWatcher() {
    ScheduledExecutorService pool = watcher;
    if (pool != null) {
      pool.shutdownNow();
      watcher = null;
    }
  }

  /** Returns the names of the properties written as this reference. */
  /**
   * Names a reference as a masked failure does: {@code property a, b (secret REF)}, or {@code the
   * secret REF} when no property names it.
   */
  String described(SecretRef ref) {
    List<String> names = propertyNames(ref);
    return names.isEmpty()
        ? "the secret " + ref
        : "property " + String.join(", ", names) + " (secret " + ref + ")";
  }

  List<String> propertyNames(SecretRef ref) {
    List<String> names = new ArrayList<>();
    for (ReferenceProperty p : properties) {
      if (p.ref().equals(ref)) {
        names.add(p.name());
      }
    }
    return names;
  }

  /**
   * Closes the resolver, after waiting for the load if it is still under way (it ends within the
   * providers' time-outs); idempotent. Publishing and the periodic check stopped when the context
   * closed ({@link #contextClosed()}); a runtime destroyed without that (start-up failed) stops
   * them here.
   */
  @Override
  public void destroy() {
    if (closed) {
      return;
    }
    closed = true;
    stopped = true;
    stopWatcher();
    try {
      loaded.join();
    } catch (CompletionException | CancellationException e) {
      // Whatever failed was reported where start-up waited for it; the resolver may not exist.
      Throwable cause = e.getCause() == null ? e : e.getCause();
      LOG.debug("closing after a failed load ({})", cause.getClass().getName());
    }
    SecretResolver built = resolver;
    if (built != null) {
      built.close();
    }
  }
}
