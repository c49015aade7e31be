package io.latchkey.spi;

import io.latchkey.ProviderException;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigSource;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * A secret backend: the environment, a secret manager, a vault. It is a {@link ConfigSource}, so
 * a schema loads its settings through it.
 *
 * <p>Providers are created by their {@link SecretProviderFactory} when selected and closed when
 * the application no longer needs them. Implementations are thread-safe, and never put a value in
 * a log line, an exception message or {@code toString()}.
 *
 * <p>A provider that serves {@link SecretRef references} implements {@link #fetch(SecretRef)},
 * and may implement {@link #currentVersionId(SecretRef)} (a cheap "which version is current?"
 * that lets a resolver keep a cached value) and {@link #fetchAll(Collection)} (a batch call for
 * start-up prefetch). Caching, retries, time-outs and stale values are the resolver's business,
 * not the provider's: a provider makes one attempt per call and reports failures precisely.
 *
 * @since 0.1
 */
public interface SecretProvider extends ConfigSource, AutoCloseable {

  /**
   * Returns the provider's name, as {@link ProviderName} declares it.
   *
   * @return the name, such as {@code env}
   */
  String name();

  /**
   * Fetches the current value of a reference, or the version it asks for.
   *
   * <p>When the reference has a {@linkplain SecretRef#field() field}, the provider reads the secret
   * as a JSON object and returns that field's value (a string as it is, any other JSON value as its
   * JSON text); core has no JSON parser, so this is the provider's job. By default the provider
   * cannot resolve references.
   *
   * @param ref the reference; its scheme is this provider's
   * @return the version fetched
   * @throws SecretNotFoundException if the secret, the version or the field does not exist, or a
   *     field is asked of a value that is not a JSON object
   * @throws ProviderException for every other failure, with the {@link ProviderException.Kind} that
   *     says whether a retry may help
   */
  default SecretVersion fetch(SecretRef ref) {
    throw new ProviderException(
        ref,
        ProviderException.Kind.UNSUPPORTED,
        "provider '" + name() + "' cannot resolve secret references");
  }

  /**
   * Returns the id of the version a reference currently points at, if the backend can say so more
   * cheaply than by fetching the value.
   *
   * <p>A resolver that holds the value of that version keeps it instead of calling {@link
   * #fetch(SecretRef)}. By default the answer is empty: unknown, fetch the value.
   *
   * @param ref the reference
   * @return the current version's id, or empty if unknown
   * @throws SecretNotFoundException if the secret or the version does not exist
   * @throws ProviderException for every other failure
   */
  default Optional<String> currentVersionId(SecretRef ref) {
    return Optional.empty();
  }

  /**
   * Fetches many references in as few backend calls as the backend allows.
   *
   * <p>The result holds a version for each reference the batch could fetch; a reference missing
   * from it is fetched on its own with {@link #fetch(SecretRef)}, which reports its failure
   * precisely. So a provider without a batch call keeps this default, which returns an empty map,
   * and the resolver fetches concurrently instead.
   *
   * @param refs the references, all of this provider's scheme
   * @return versions by reference, for some or all of {@code refs}
   * @throws ProviderException if the batch call failed as a whole; every reference is then fetched
   *     on its own
   */
  default Map<SecretRef, SecretVersion> fetchAll(Collection<SecretRef> refs) {
    return Map.of();
  }

  /** Releases what the provider holds (connections, threads); by default nothing. */
  @Override
  default void close() {}
}
