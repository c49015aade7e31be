package io.latchkey.microprofile;

import static java.util.Objects.requireNonNull;

import io.latchkey.ConfigException;
import io.latchkey.config.Setting;
import io.latchkey.resolver.SecretResolver;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigSourceInterceptorFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves secret references in the value of any property, from any source, through one {@link
 * SecretResolver} per config: a SmallRye Config interceptor factory, found through {@link
 * java.util.ServiceLoader} (Quarkus, Open Liberty, WildFly and every SmallRye-based runtime) or
 * registered on a {@code SmallRyeConfigBuilder}.
 *
 * <pre>{@code
 * # application.properties
 * db.password=ref+aws:prod/db#password
 * }</pre>
 *
 * <p>A value is resolved when, after MicroProfile's {@code ${…}} expressions are expanded, it is
 * exactly {@code ref+REFERENCE} (the grammar and escapes are {@link
 * io.latchkey.resolver.ReferenceSyntax}'s). The expression engine reads {@code ${ref:…}} as a
 * property {@code ref} with a default and replaces it before any interceptor sees it, so a value
 * with an unescaped {@code ${ref:…}} anywhere in it, or one whose expressions read a property
 * written that way, is refused with an error that says to write {@code ref+…}; with expressions
 * turned off ({@code mp.config.property.expressions.enabled=false}) a whole-value {@code ${ref:…}}
 * resolves like {@code ref+}.
 *
 * <h2>Where it sits</h2>
 *
 * <p>Its priority is {@value #PRIORITY}: after SmallRye's own interceptors (secret keys 3100,
 * profiles 3200, logging 3250, expressions 3300), so it resolves the value the expressions produced
 * and no expression engine ever reads a secret, and before the applications' (5000 by default).
 * Before the normal read it reads the property once with expressions off, to learn whether the
 * value comes from a layer of {@link LatchkeyConfigSource} served as stored (a file, the secrets
 * directory, {@code .env}), which it then returns without the engine; an expansion that fails on a
 * value from that source is reported naming the property, never with SmallRye's message, which
 * quotes part of the value.
 *
 * <h2>The resolver and its life</h2>
 *
 * <p>Found by the {@link java.util.ServiceLoader}, it gives each config its own resolver, created
 * on the first reference that config reads, with every secret provider on the class path ({@link
 * SecretResolver.Builder#discoverProviders(Map)} over {@link System#getenv()}), and the
 * time-to-live and stale window the config sets in {@value #TTL} and {@value #MAX_STALE}. SmallRye
 * Config has no hook for a released config ({@code releaseConfig} only forgets it), so that
 * resolver is never closed by the runtime: its threads end when idle, and it lives as long as its
 * config, which in Quarkus and Open Liberty is the application's life. An application that builds
 * and drops configs registers an instance itself and {@linkplain #close() closes} it, or passes a
 * resolver it owns with {@link #using(SecretResolver)}, which also gives it the resolver's health,
 * listeners and prefetch. Either way, {@value #ENABLED}{@code =false} in the config turns
 * resolution off: values pass through as written, and no resolver is created or used.
 *
 * <h2>Security</h2>
 *
 * <p>A missing secret, a failing provider and a malformed reference are each a {@link
 * ConfigException} naming the property, the reference (or, for a malformed one, the position) and
 * the source, never the value. A resolved value's source name ends with {@code " via Latchkey"}.
 *
 * @since 0.2
 */
public final class SecretReferences implements ConfigSourceInterceptorFactory, AutoCloseable {
  /** The interceptor's priority: {@value}, SmallRye's library range plus 400. */
  public static final int PRIORITY = Priorities.LIBRARY + 400;

  /** The property that turns resolution off when {@code false}: {@value}. */
  public static final String ENABLED = "latchkey.references.enabled";

  /** The property that sets the resolver's default time-to-live, such as {@code 5m}: {@value}. */
  public static final String TTL = "latchkey.resolver.ttl";

  /** The property that sets how long past expiry a value may be served stale: {@value}. */
  public static final String MAX_STALE = "latchkey.resolver.max-stale";

  /**
   * SmallRye's switch for logging every value it reads, at {@code DEBUG} of {@code
   * io.smallrye.config}.
   */
  static final String LOG_VALUES = "smallrye.config.log.values";

  private static final Logger LOG = LoggerFactory.getLogger(SecretReferences.class);
  private static final AtomicBoolean WARNED_LOG_VALUES = new AtomicBoolean();

  private final SecretResolver shared;
  private final Map<String, String> environment;
  private final List<ResolverHandle> handles = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /**
   * Creates the factory that gives each config a resolver of its own, as {@link
   * java.util.ServiceLoader} does.
   */
  public SecretReferences() {
    this(null, System.getenv());
  }

  SecretReferences(SecretResolver shared, Map<String, String> environment) {
    this.shared = shared;
    this.environment = Map.copyOf(environment);
  }

  /**
   * Returns a factory whose interceptors resolve through a resolver the application owns, for
   * health, listeners and prefetch, and closes when it is done. A config that sets {@value
   * #ENABLED}{@code =false} gets no resolution from it either.
   *
   * @param resolver the resolver, which the caller closes
   * @return the factory
   */
  public static SecretReferences using(SecretResolver resolver) {
    return new SecretReferences(requireNonNull(resolver, "resolver"), Map.of());
  }

  /**
   * Creates the interceptor for one config.
   *
   * @param context the chain below this interceptor, from which the settings are read
   * @return the interceptor
   * @throws ConfigException naming {@value #TTL} or {@value #MAX_STALE} if it is not a duration
   * @throws IllegalStateException if this factory is closed
   */
  @Override
  public ConfigSourceInterceptor getInterceptor(ConfigSourceInterceptorContext context) {
    requireNonNull(context, "context");
    if (closed) {
      throw new IllegalStateException("the secret references are closed");
    }
    warnIfValuesAreLogged(context);
    // Before the shared resolver: a config that turns references off means it for every factory.
    if (setting(context, ENABLED).map(v -> v.strip().equalsIgnoreCase("false")).orElse(false)) {
      return (ConfigSourceInterceptor) ConfigSourceInterceptorContext::proceed;
    }
    if (shared != null) {
      return new ReferenceInterceptor(register(ResolverHandle.borrowed(shared)));
    }
    Optional<Duration> ttl = duration(context, TTL);
    Optional<Duration> maxStale = duration(context, MAX_STALE);
    Map<String, String> env = environment;
    return new ReferenceInterceptor(
        register(
            ResolverHandle.owned(
                () -> {
                  SecretResolver.Builder builder = SecretResolver.builder().discoverProviders(env);
                  ttl.ifPresent(builder::ttl);
                  maxStale.ifPresent(builder::maxStale);
                  return builder.build();
                })));
  }

  /**
   * SmallRye's value logging runs below this interceptor, so it never sees a resolved reference;
   * but it prints what the sources serve, Latchkey's files, secrets directory and {@code .env}
   * among them. Said once per JVM, naming the setting only.
   */
  private static void warnIfValuesAreLogged(ConfigSourceInterceptorContext context) {
    boolean on;
    try {
      on = setting(context, LOG_VALUES).map(v -> v.equalsIgnoreCase("true")).orElse(false);
    } catch (RuntimeException unreadable) {
      return; // its own expression failed: SmallRye reports that itself
    }
    if (on && WARNED_LOG_VALUES.compareAndSet(false, true)) {
      LOG.warn(
          "{}=true: SmallRye logs every value it reads at DEBUG (logger io.smallrye.config),"
              + " including the secrets that Latchkey's source serves from mounted files, the"
              + " secrets directory and .env; set it to false wherever secrets are read",
          LOG_VALUES);
    }
  }

  /** Forgets that the value-logging warning was given, for tests. */
  static void resetWarnings() {
    WARNED_LOG_VALUES.set(false);
  }

  private ResolverHandle register(ResolverHandle handle) {
    handles.add(handle);
    return handle;
  }

  private static Optional<String> setting(ConfigSourceInterceptorContext context, String name) {
    ConfigValue value = context.proceed(name);
    return value == null || value.getValue() == null || value.getValue().isBlank()
        ? Optional.empty()
        : Optional.of(value.getValue().strip());
  }

  private static Optional<Duration> duration(ConfigSourceInterceptorContext context, String name) {
    Optional<String> text = setting(context, name);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Duration d;
    try {
      d = Setting.parseDuration(text.get());
    } catch (IllegalArgumentException e) {
      // The parser's message is the reason alone, never the text.
      throw new ConfigException(name, e.getMessage() + "; expected a duration such as 5m");
    }
    if (d.isNegative() || (d.isZero() && name.equals(TTL))) {
      throw new ConfigException(
          name, name.equals(TTL) ? "must be positive" : "must not be negative");
    }
    return Optional.of(d);
  }

  /**
   * Returns {@value #PRIORITY}.
   *
   * @return the priority
   */
  @Override
  public OptionalInt getPriority() {
    return OptionalInt.of(PRIORITY);
  }

  /**
   * Closes every resolver this factory created for its configs, and makes their interceptors and
   * this factory refuse further use; a resolver passed to {@link #using(SecretResolver)} stays open
   * for its owner to close. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    for (ResolverHandle handle : handles) {
      handle.close();
    }
  }

  /** Returns {@code SecretReferences[…]} with each config's resolver; never a value. */
  @Override
  public String toString() {
    return "SecretReferences[" + (shared != null ? "using " + shared : handles) + "]";
  }
}
