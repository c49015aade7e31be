package io.latchkey.spi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider's configuration view: the members of one JSON secret, named by a setting such as
 * {@code LATCHKEY_AWS_CONFIG_SECRET}, read once at first use and kept as a start-up snapshot. Each
 * member reads by {@link JsonValue#field}'s rule, so the view and {@code #field} references always
 * agree: a string as it is, any other value as its JSON text, {@code null} as unset. A failed read
 * is reported and tried again on the next look-up.
 *
 * <p>Failures are {@link ConfigException}s named after the setting, that give the reference and the
 * reason, never the secret's text. Serialisation never writes a member: Jackson writes {@link
 * #toString()} and refuses to read a view, Gson writes {@code {}}, and Java serialisation refuses.
 *
 * @since 0.1
 */
public final class JsonSecretView {
  private static final Logger LOG = LoggerFactory.getLogger(JsonSecretView.class);

  // Transient so that reflective serialisers (Gson, Jackson with field visibility) skip them: the
  // members, once read, are the secret's.
  private final transient String setting;
  private final transient SecretRef secret;
  private final transient Function<SecretRef, SecretVersion> fetch;
  private final transient Object lock = new Object();
  private transient volatile Map<String, String> members;

  /**
   * Creates a view.
   *
   * @param setting the setting that names the secret, for messages
   * @param secret the secret, or {@code null} for a view of nothing
   * @param fetch how the provider fetches it (with its field, if the reference has one: the field
   *     must then hold a JSON object, or its text)
   */
  public JsonSecretView(
      String setting, SecretRef secret, Function<SecretRef, SecretVersion> fetch) {
    this.setting = requireNonNull(setting, "setting");
    this.secret = secret;
    this.fetch = requireNonNull(fetch, "fetch");
  }

  /**
   * Returns a member as a configuration value from the provider.
   *
   * @param name the member's name
   * @return the value, or empty if there is no secret, no such member, or it is {@code null}
   * @throws ConfigException if the secret cannot be read or is not a JSON object
   */
  public Optional<ConfigValue> get(String name) {
    requireNonNull(name, "name");
    if (secret == null) {
      return Optional.empty();
    }
    String text = members().get(name);
    return text == null
        ? Optional.empty()
        : Optional.of(
            new ConfigValue(name, text, Origin.of(Origin.Kind.PROVIDER, secret.toString())));
  }

  /**
   * Returns the members' names.
   *
   * @return the names, sorted; empty if there is no secret
   * @throws ConfigException if the secret cannot be read or is not a JSON object
   */
  public Set<String> names() {
    return secret == null ? Set.of() : members().keySet();
  }

  /**
   * Names the setting and the secret; never a member. Jackson writes the same string.
   *
   * @return the description
   */
  @com.fasterxml.jackson.annotation.JsonValue
  @Override
  public String toString() {
    return "JsonSecretView[" + setting + "=" + (secret == null ? "none" : secret) + "]";
  }

  /**
   * What Jackson calls to read a {@code JsonSecretView}: it refuses, without quoting what it was
   * given. Without a creator, Jackson's own refusal quotes the JSON string, which would be a member
   * of the secret. It takes an {@code Object}, not a {@code String}: Jackson would also use a
   * {@code String} factory for map keys, and quote the key in the failure.
   */
  @JsonCreator
  @SuppressWarnings("unused")
  private static JsonSecretView fromJson(Object ignored) {
    throw new IllegalArgumentException(
        "io.latchkey.spi.JsonSecretView is not read from JSON, which would hold a member of the secret;"
            + " a provider creates its view");
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
      throw failure("names secret " + secret + ", which was not found: " + e.reason(), e);
    } catch (ProviderException e) {
      throw failure(
          "secret " + secret + " could not be read: " + e.kind().label() + ": " + e.reason(), e);
    }
    Secret value = version.value();
    try {
      JsonValue object;
      try {
        object = JsonValue.parse(value.reveal());
      } catch (IllegalArgumentException e) {
        // The reader's position would say where the text stops being JSON; the text is secret.
        throw failure("secret " + secret + " is not a JSON object", null);
      }
      if (object.type() != JsonValue.Type.OBJECT) {
        throw failure("secret " + secret + " is not a JSON object", null);
      }
      Map<String, String> read = new TreeMap<>(object.fields());
      LOG.debug("read {} settings from the configuration secret {}", read.size(), secret);
      return Collections.unmodifiableMap(read);
    } finally {
      value.wipe();
    }
  }

  private ConfigException failure(String reason, RuntimeException suppressed) {
    ConfigException e = new ConfigException(setting, reason);
    if (suppressed != null) {
      e.addSuppressed(suppressed);
    }
    return e;
  }
}
