package io.latchkey.provider.env;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.spi.JsonValue;
import io.latchkey.spi.SecretVersion;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The env provider's side that a resolver calls: references resolved through the {@link Layers},
 * with failures turned into the resolver's exceptions, and fields read out of JSON values.
 */
final class EnvFetches {
  private final Layers layers;

  EnvFetches(Layers layers) {
    this.layers = layers;
  }

  /** As {@link EnvSecretProvider#fetch(SecretRef)} documents. */
  SecretVersion fetch(SecretRef ref) {
    if (ref.version().isPresent()) {
      throw new ProviderException(
          ref, ProviderException.Kind.UNSUPPORTED, "the env provider has no versions");
    }
    Optional<ConfigValue> value;
    try {
      value = layers.get(ref.path());
    } catch (IllegalArgumentException e) {
      throw new ProviderException(ref, ProviderException.Kind.OTHER, e.getMessage(), e);
    } catch (ConfigException e) {
      String reasons =
          e.problems().stream()
              .map(p -> p.setting() + ": " + p.reason())
              .collect(Collectors.joining("; "));
      throw new ProviderException(ref, ProviderException.Kind.OTHER, reasons, e);
    }
    if (value.isEmpty()) {
      throw new SecretNotFoundException(ref, "not set in " + layers.description());
    }
    String text = value.get().text();
    if (ref.field().isPresent()) {
      text = member(ref, text);
    }
    return SecretVersion.of(Secret.of(text), Instant.now());
  }

  /** As {@link EnvSecretProvider#field(SecretRef, SecretVersion)} documents. */
  SecretVersion field(SecretRef ref, SecretVersion whole) {
    if (ref.field().isEmpty()) {
      throw new IllegalArgumentException("reference " + ref + " has no field");
    }
    return new SecretVersion(
        Secret.of(member(ref, whole.value().reveal())),
        whole.versionId(),
        whole.stages(),
        whole.fetchedAt());
  }

  /** The one selection of a field, for a fetch and for a field read out of a whole value. */
  private static String member(SecretRef ref, String text) {
    String field = ref.field().orElseThrow();
    Optional<String> member;
    try {
      member = JsonValue.field(text, field);
    } catch (IllegalArgumentException e) {
      // The reader's message gives a position or a JSON type, never the text.
      throw new SecretNotFoundException(ref, e.getMessage());
    }
    return member.orElseThrow(
        () -> new SecretNotFoundException(ref, "the JSON object has no field '" + field + "'"));
  }
}
