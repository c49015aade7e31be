package io.latchkey.provider.gcp;

import io.latchkey.ConfigException;
import io.latchkey.LatchkeyException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import io.latchkey.spi.SecretVersion;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider's configuration view: the members of one JSON secret ({@value
 * GcpSecretProvider#CONFIG_SECRET_VARIABLE}), read at first use and kept for the provider's life.
 * Without a configuration secret the view is empty.
 */
final class ConfigView {
  private static final Logger LOG = LoggerFactory.getLogger(GcpSecretProvider.class);

  private final SecretRef ref;
  private final Function<SecretRef, SecretVersion> fetch;
  private final Object lock = new Object();
  private volatile Map<String, String> values;

  /** A view of nothing when {@code ref} is null. */
  ConfigView(SecretRef ref, Function<SecretRef, SecretVersion> fetch) {
    this.ref = ref;
    this.fetch = fetch;
  }

  Optional<ConfigValue> get(String name) {
    if (ref == null) {
      return Optional.empty();
    }
    String text = load().get(name);
    return text == null
        ? Optional.empty()
        : Optional.of(
            new ConfigValue(name, text, Origin.of(Origin.Kind.PROVIDER, ref.toString())));
  }

  Set<String> names() {
    return ref == null ? Set.of() : load().keySet();
  }

  private Map<String, String> load() {
    Map<String, String> loaded = values;
    if (loaded != null) {
      return loaded;
    }
    synchronized (lock) {
      if (values == null) {
        values = read();
      }
      return values;
    }
  }

  private Map<String, String> read() {
    SecretVersion version;
    try {
      version = fetch.apply(ref);
    } catch (LatchkeyException e) {
      throw new ConfigException(
          GcpSecretProvider.CONFIG_SECRET_VARIABLE,
          "the configuration secret could not be read: " + e.getMessage());
    }
    byte[] bytes = version.value().revealBytes();
    try {
      Map<String, String> members =
          PayloadFields.members(bytes)
              .orElseThrow(
                  () ->
                      new ConfigException(
                          GcpSecretProvider.CONFIG_SECRET_VARIABLE,
                          "the configuration secret " + ref + " is not a JSON object"));
      LOG.debug(
          "gcp provider: read {} settings from {} version {}",
          members.size(),
          ref,
          version.versionId().orElse("none"));
      return Collections.unmodifiableMap(new TreeMap<>(members));
    } finally {
      Arrays.fill(bytes, (byte) 0);
      version.value().wipe();
    }
  }
}
