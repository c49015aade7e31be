package io.latchkey.spring;

import io.latchkey.resolver.SecretResolver;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  private LatchkeySettings(Binder binder, Map<String, String> processEnvironment) {
    Map<String, String> env = new LinkedHashMap<>(processEnvironment);
    env.putAll(
        binder
            .bind(PREFIX + ".environment", Bindable.mapOf(String.class, String.class))
            .orElse(Map.of()));
    this.providerEnvironment = Map.copyOf(env);
    this.ttl =
        binder.bind(PREFIX + ".ttl", Duration.class).map(Optional::of).orElse(Optional.empty());
    this.maxStale =
        binder
            .bind(PREFIX + ".max-stale", Duration.class)
            .map(Optional::of)
            .orElse(Optional.empty());
    this.timeout =
        binder.bind(PREFIX + ".timeout", Duration.class).map(Optional::of).orElse(Optional.empty());
    this.refreshAhead =
        binder
            .bind(PREFIX + ".refresh-ahead", Double.class)
            .map(Optional::of)
            .orElse(Optional.empty());
    this.onProviderFailure =
        binder
            .bind(PREFIX + ".on-provider-failure", ProviderFailure.class)
            .orElse(ProviderFailure.FAIL);
    List<String> allowed =
        binder
            .bind(PREFIX + ".allow-plain-string-binding", Bindable.listOf(String.class))
            .orElse(List.of("spring.*"));
    this.allowAllPlainStrings = allowed.stream().anyMatch(p -> p.strip().equals("*"));
    this.plainStringAllowed =
        allowed.stream()
            .map(String::strip)
            .filter(p -> !p.equals("*") && !p.isEmpty())
            .map(p -> p.endsWith(".*") ? p.substring(0, p.length() - 2) : p)
            .map(ConfigurationPropertyName::of)
            .toList();
    this.schema =
        binder.bind(PREFIX + ".schema", String.class).map(Optional::of).orElse(Optional.empty());
    this.watchInterval =
        binder.bind(PREFIX + ".watch-interval", Duration.class).orElse(Duration.ofMinutes(1));
    this.dataSource = binder.bind(PREFIX + ".datasource.enabled", Boolean.class).orElse(true);
  }

  /** Reads the settings from the environment, over the process environment. */
  static LatchkeySettings read(Environment environment) {
    return new LatchkeySettings(Binder.get(environment), System.getenv());
  }

  /** Applies the resolver settings to a builder. */
  void apply(SecretResolver.Builder builder) {
    ttl.ifPresent(builder::ttl);
    maxStale.ifPresent(builder::maxStale);
    timeout.ifPresent(builder::timeout);
    refreshAhead.ifPresent(builder::refreshAhead);
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
