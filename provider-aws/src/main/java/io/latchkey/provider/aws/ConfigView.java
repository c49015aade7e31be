package io.latchkey.provider.aws;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import io.latchkey.spi.SecretVersion;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The provider as a configuration source: the members of one JSON secret, read once at first use
 * and kept, as a start-up snapshot. A failed read is reported and tried again on the next look-up.
 */
final class ConfigView {
  private final SecretRef secret;
  private final Function<SecretRef, SecretVersion> fetch;
  private final Object lock = new Object();
  private volatile Map<String, String> members;

  /**
   * Creates the view.
   *
   * @param secret the configuration secret, or null for an empty view
   * @param fetch how the provider fetches it
   */
  ConfigView(SecretRef secret, Function<SecretRef, SecretVersion> fetch) {
    this.secret = secret;
    this.fetch = fetch;
  }

  Optional<ConfigValue> get(String name) {
    if (secret == null) {
      return Optional.empty();
    }
    String text = members().get(name);
    return text == null
        ? Optional.empty()
        : Optional.of(
            new ConfigValue(name, text, Origin.of(Origin.Kind.PROVIDER, secret.toString())));
  }

  Set<String> names() {
    if (secret == null) {
      return Set.of();
    }
    return Collections.unmodifiableSortedSet(new TreeSet<>(members().keySet()));
  }

  private Map<String, String> members() {
    Map<String, String> read = members;
    if (read != null) {
      return read;
    }
    synchronized (lock) {
      if (members == null) {
        members = load();
      }
      return members;
    }
  }

  private Map<String, String> load() {
    SecretVersion version;
    try {
      version = fetch.apply(secret);
    } catch (SecretNotFoundException e) {
      throw failure("names " + secret + ": " + e.reason(), e);
    } catch (ProviderException e) {
      throw failure("cannot read " + secret + ": " + e.kind().label() + ": " + e.reason(), e);
    }
    Secret value = version.value();
    try {
      Map<String, String> read =
          AwsValues.members(value.reveal())
              .orElseThrow(() -> failure("names " + secret + ", which is not a JSON object", null));
      AwsLog.LOG.debug("read {} settings from the configuration secret {}", read.size(), secret);
      return Collections.unmodifiableMap(read);
    } finally {
      value.wipe();
    }
  }

  private static ConfigException failure(String reason, RuntimeException suppressed) {
    ConfigException e = new ConfigException(AwsSecretProvider.CONFIG_SECRET_VARIABLE, reason);
    if (suppressed != null) {
      e.addSuppressed(suppressed);
    }
    return e;
  }
}
