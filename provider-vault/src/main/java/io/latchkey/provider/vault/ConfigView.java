package io.latchkey.provider.vault;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import io.latchkey.spi.JsonValue;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider's configuration view: the members of one KV secret ({@code
 * LATCHKEY_VAULT_CONFIG_PATH}), read at first use and kept for the provider's life.
 */
final class ConfigView {
  private static final Logger LOG = LoggerFactory.getLogger(VaultSecretProvider.class);

  private final SecretRef ref;
  private final Kv kv;
  private final Object lock = new Object();
  private volatile Map<String, String> values;
  private volatile Origin origin;

  /** A view of nothing when {@code ref} is null. */
  ConfigView(SecretRef ref, Kv kv) {
    this.ref = ref;
    this.kv = kv;
  }

  /**
   * Reads {@code LATCHKEY_VAULT_CONFIG_PATH}: a reference, with or without {@code vault:}.
   *
   * @throws IllegalArgumentException if it is not a valid reference or Vault path; the message
   *     never quotes the text
   */
  static SecretRef reference(String path) {
    String text = path.strip();
    String full = text.startsWith("vault:") ? text : "vault:" + text;
    Optional<SecretRef.Problem> syntax = SecretRef.problem(full);
    if (syntax.isPresent()) {
      throw new IllegalArgumentException(
          "config path is not a valid reference: " + syntax.get().reason());
    }
    SecretRef ref = SecretRef.parse(full);
    VaultPaths.checked(ref.path(), "config path");
    return ref;
  }

  Optional<ConfigValue> get(String name) {
    if (ref == null) {
      return Optional.empty();
    }
    String text = load().get(name);
    return text == null ? Optional.empty() : Optional.of(new ConfigValue(name, text, origin));
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
      if (values != null) {
        return values;
      }
      JsonValue object;
      try {
        Kv.Read read = kv.read(ref);
        object = ref.field().isPresent() ? field(read.data(), ref.field().get()) : read.data();
      } catch (SecretNotFoundException e) {
        ConfigException failure =
            new ConfigException(
                VaultSettings.CONFIG_PATH.name(),
                "names secret " + ref + ", which was not found: " + e.reason());
        failure.addSuppressed(e);
        throw failure;
      } catch (ProviderException e) {
        ConfigException failure =
            new ConfigException(
                VaultSettings.CONFIG_PATH.name(),
                "secret " + ref + " could not be read: " + e.kind().label() + ": " + e.reason());
        failure.addSuppressed(e);
        throw failure;
      }
      Map<String, String> map = new TreeMap<>();
      String text = object.text();
      for (String name : object.names()) {
        // The #field rule: a string as it is, any other value as its JSON text, null as unset.
        JsonValue.field(text, name).ifPresent(value -> map.put(name, value));
      }
      origin = Origin.of(Origin.Kind.PROVIDER, ref.toString());
      values = Collections.unmodifiableMap(map);
      LOG.debug("Vault: read {} settings from {}", map.size(), ref);
      return values;
    }
  }

  /** The settings may also sit in one field, as a JSON object or its text. */
  private JsonValue field(JsonValue data, String field) {
    JsonValue member = data.member(field).orElse(null);
    if (member == null || member.type() == JsonValue.Type.NULL) {
      throw new ConfigException(
          VaultSettings.CONFIG_PATH.name(), "secret " + ref + " has no field '" + field + "'");
    }
    if (member.type() == JsonValue.Type.OBJECT) {
      return member;
    }
    JsonValue parsed = null;
    if (member.type() == JsonValue.Type.STRING) {
      try {
        parsed = JsonValue.parse(member.asString());
      } catch (IllegalArgumentException e) {
        // Not JSON: reported below, without the text.
      }
    }
    if (parsed == null || parsed.type() != JsonValue.Type.OBJECT) {
      throw new ConfigException(
          VaultSettings.CONFIG_PATH.name(),
          "field '" + field + "' of secret " + ref + " is not a JSON object");
    }
    return parsed;
  }
}
