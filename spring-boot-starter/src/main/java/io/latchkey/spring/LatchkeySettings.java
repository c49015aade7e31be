package io.latchkey.spring;

import io.latchkey.ConfigException;
import io.latchkey.resolver.SecretResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;

/**
 * The starter's own settings, {@code latchkey.*}, read once when the environment is prepared (so
 * they cannot themselves be references). {@code docs/spring-boot.md} lists them.
 */
final class LatchkeySettings {
  static final String PREFIX = "latchkey";

  static final String ENVIRONMENT = PREFIX + ".environment";
  static final String TTL = PREFIX + ".ttl";
  static final String MAX_STALE = PREFIX + ".max-stale";
  static final String TIMEOUT = PREFIX + ".timeout";
  static final String REFRESH_AHEAD = PREFIX + ".refresh-ahead";
  static final String ON_PROVIDER_FAILURE = PREFIX + ".on-provider-failure";
  static final String ALLOW_PLAIN_STRING_BINDING = PREFIX + ".allow-plain-string-binding";
  static final String SCHEMA = PREFIX + ".schema";
  static final String WATCH_INTERVAL = PREFIX + ".watch-interval";
  static final String DATASOURCE_ENABLED = PREFIX + ".datasource.enabled";

  /**
   * Every setting read here, as {@code META-INF/spring-configuration-metadata.json} describes them
   * for IDEs (a test keeps the two, and the table in {@code docs/spring-boot.md}, the same).
   */
  static final List<String> NAMES =
      List.of(
          ENVIRONMENT,
          TTL,
          MAX_STALE,
          TIMEOUT,
          REFRESH_AHEAD,
          ON_PROVIDER_FAILURE,
          ALLOW_PLAIN_STRING_BINDING,
          SCHEMA,
          WATCH_INTERVAL,
          DATASOURCE_ENABLED);

  /** What start-up does when a provider cannot be reached. */
  enum ProviderFailure {
    /** Start-up fails, listing every reference that could not be loaded. */
    FAIL,
    /** Start-up goes on; each read tries the provider again and health reports it down. */
    CONTINUE
  }

  final Map<String, String> providerEnvironment;
  final Optional<Duration> ttl;
  final Optional<Duration> maxStale;
  final Optional<Duration> timeout;
  final Optional<Double> refreshAhead;
  final ProviderFailure onProviderFailure;
  final List<ConfigurationPropertyName> plainStringAllowed;
  final boolean allowAllPlainStrings;
  final Optional<String> schema;
  final Duration watchInterval;
  final boolean dataSource;

  // Plain calls rather than lambdas and streams: this runs once, in a JVM that is still cold, where
  // each lambda's first call costs a class spun at run time.
  private LatchkeySettings(Binder binder, Map<String, String> processEnvironment) {
    Map<String, String> env = new LinkedHashMap<>(processEnvironment);
    Map<String, String> overlay =
        binder.bind(ENVIRONMENT, Bindable.mapOf(String.class, String.class)).orElse(null);
    if (overlay != null) {
      env.putAll(overlay);
    }
    this.providerEnvironment = Map.copyOf(env);
    this.ttl = Optional.ofNullable(bound(binder, TTL, Bindable.of(Duration.class), DURATION));
    this.maxStale =
        Optional.ofNullable(bound(binder, MAX_STALE, Bindable.of(Duration.class), DURATION));
    this.timeout =
        Optional.ofNullable(bound(binder, TIMEOUT, Bindable.of(Duration.class), DURATION));
    this.refreshAhead =
        Optional.ofNullable(
            bound(binder, REFRESH_AHEAD, Bindable.of(Double.class), "a number, such as 0.8"));
    ProviderFailure failure =
        bound(
            binder,
            ON_PROVIDER_FAILURE,
            Bindable.of(ProviderFailure.class),
            "one of fail, continue");
    this.onProviderFailure = failure != null ? failure : ProviderFailure.FAIL;
    List<String> allowed =
        bound(
            binder,
            ALLOW_PLAIN_STRING_BINDING,
            Bindable.listOf(String.class),
            "a list of property names");
    if (allowed == null) {
      allowed = List.of("spring.*");
    }
    boolean all = false;
    List<ConfigurationPropertyName> names = new ArrayList<>();
    for (String pattern : allowed) {
      String p = pattern.strip();
      if (p.equals("*")) {
        all = true;
      } else if (!p.isEmpty()) {
        ConfigurationPropertyName name =
            ConfigurationPropertyName.ofIfValid(
                p.endsWith(".*") ? p.substring(0, p.length() - 2) : p);
        if (name == null) {
          // Spring's own exception quotes the text, which may be a secret pasted here.
          throw new ConfigException(
              ALLOW_PLAIN_STRING_BINDING,
              "holds a text that is not a property name or a prefix.* (value not shown, in case"
                  + " it is a secret)");
        }
        names.add(name);
      }
    }
    this.allowAllPlainStrings = all;
    this.plainStringAllowed = List.copyOf(names);
    this.schema = Optional.ofNullable(binder.bind(SCHEMA, String.class).orElse(null));
    Duration watch = bound(binder, WATCH_INTERVAL, Bindable.of(Duration.class), DURATION);
    this.watchInterval = watch != null ? watch : Duration.ofMinutes(1);
    Boolean enabled =
        bound(binder, DATASOURCE_ENABLED, Bindable.of(Boolean.class), "true or false");
    this.dataSource = enabled == null || enabled;
  }

  private static final String DURATION = "a duration, such as 30s, 5m or PT30S";

  /**
   * Binds a setting, or returns {@code null} when it is unset. Spring's failure to convert quotes
   * the text in its message and its causes, and a secret pasted into the wrong property must not
   * reach the failure report or the log: the failure is a problem that names the setting and what
   * it expects, without the text and without Spring's exception.
   */
  private static <T> T bound(Binder binder, String name, Bindable<T> type, String expected) {
    try {
      return binder.bind(name, type).orElse(null);
    } catch (BindException e) {
      throw new ConfigException(name, "is not " + expected + " (value not shown)");
    }
  }

  /** Reads the settings from the environment, over the process environment. */
  static LatchkeySettings read(Environment environment) {
    return new LatchkeySettings(Binder.get(environment), System.getenv());
  }

  /** Applies the resolver settings to a builder. */
  void apply(SecretResolver.Builder builder) {
    if (ttl.isPresent()) {
      builder.ttl(ttl.get());
    }
    if (maxStale.isPresent()) {
      builder.maxStale(maxStale.get());
    }
    if (timeout.isPresent()) {
      builder.timeout(timeout.get());
    }
    if (refreshAhead.isPresent()) {
      builder.refreshAhead(refreshAhead.get());
    }
  }

  /**
   * Tells whether a property's resolved value may be bound to a plain {@code String}: it is named
   * in {@code latchkey.allow-plain-string-binding} (exactly, or under a {@code prefix.*}).
   */
  boolean plainStringAllowed(String property) {
    if (allowAllPlainStrings) {
      return true;
    }
    ConfigurationPropertyName name = ConfigurationPropertyName.ofIfValid(property);
    if (name == null) {
      return false;
    }
    for (ConfigurationPropertyName allowed : plainStringAllowed) {
      if (allowed.equals(name) || allowed.isAncestorOf(name)) {
        return true;
      }
    }
    return false;
  }
}
