package io.latchkey.provider.env;

import io.latchkey.ConfigException;
import io.latchkey.LatchkeyException;
import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.spi.JsonValue;
import io.latchkey.spi.SecretVersion;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The env provider's side that a resolver calls: references resolved through the {@link Layers}
 * with files read through the {@link MountedFiles}, versions derived from the content of what came
 * from a file, failures turned into the resolver's exceptions, and fields read out of JSON values.
 */
final class EnvFetches {
  private final Layers layers;
  private final MountedFiles files;
  private final FilePoller poller;
  private final ContentVersions versions = new ContentVersions();

  EnvFetches(Layers layers, MountedFiles files, FilePoller poller) {
    this.layers = layers;
    this.files = files;
    this.poller = poller;
  }

  /** As {@link EnvSecretProvider#fetch(SecretRef)} documents. */
  SecretVersion fetch(SecretRef ref) {
    ConfigValue value = lookUp(ref);
    String text = value.text();
    Optional<String> version = versionOf(value);
    if (ref.field().isPresent()) {
      text = member(ref, text);
    }
    Secret secret = Secret.of(text);
    Instant now = Instant.now();
    return version.isPresent()
        ? SecretVersion.of(secret, version.get(), now)
        : SecretVersion.of(secret, now);
  }

  /** As {@link EnvSecretProvider#fetchAll(Collection)} documents. */
  Map<SecretRef, SecretVersion> fetchAll(Collection<SecretRef> refs) {
    Map<SecretRef, SecretVersion> versions = new LinkedHashMap<>();
    for (SecretRef ref : refs) {
      try {
        versions.put(ref, fetch(ref));
      } catch (LatchkeyException e) {
        // Left out: the resolver then fetches it alone, and that fetch reports it.
      }
    }
    return versions;
  }

  /** As {@link EnvSecretProvider#currentVersionId(SecretRef)} documents. */
  Optional<String> currentVersionId(SecretRef ref) {
    return versionOf(lookUp(ref));
  }

  /** A value from a file, or from the {@code .env} file, has a version; the environment's not. */
  private Optional<String> versionOf(ConfigValue value) {
    return switch (value.origin().kind()) {
      case FILE, SECRETS_DIR, DOTENV -> Optional.of(versions.of(value.text()));
      default -> Optional.empty();
    };
  }

  private ConfigValue lookUp(SecretRef ref) {
    if (ref.version().isPresent()) {
      throw new ProviderException(
          ref, ProviderException.Kind.UNSUPPORTED, "the env provider serves no older versions");
    }
    Optional<ConfigValue> value;
    try {
      value = layers.get(ref.path(), files);
    } catch (IllegalArgumentException e) {
      throw new ProviderException(ref, ProviderException.Kind.OTHER, e.getMessage(), e);
    } catch (ConfigException e) {
      String reasons =
          e.problems().stream()
              .map(p -> p.setting() + ": " + p.reason())
              .collect(Collectors.joining("; "));
      throw new ProviderException(ref, ProviderException.Kind.OTHER, reasons, e);
    } finally {
      // The first fetch that read a file starts the polls that keep it current.
      poller.startIfNeeded();
    }
    if (value.isEmpty()) {
      throw new SecretNotFoundException(ref, "not set in " + layers.description());
    }
    return value.get();
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
      // The reader's message says what was expected or the JSON type, never the text nor where.
      throw new SecretNotFoundException(ref, e.getMessage());
    }
    return member.orElseThrow(
        () -> new SecretNotFoundException(ref, "the JSON object has no field '" + field + "'"));
  }
}
