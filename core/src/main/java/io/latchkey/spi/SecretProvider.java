package io.latchkey.spi;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigSource;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A secret backend: the environment, a secret manager, a vault. It is a {@link ConfigSource}, so a
 * schema loads its settings through it.
 *
 * <p>Providers are created by their {@link SecretProviderFactory} when selected and closed when the
 * application no longer needs them. Implementations are thread-safe, and never put a value in a log
 * line, an exception message or {@code toString()}.
 *
 * <p>A provider that serves {@link SecretRef references} implements {@link #fetch(SecretRef)}, and
 * may implement {@link #currentVersionId(SecretRef)} (a cheap "which version is current?" that lets
 * a resolver keep a cached value) and {@link #fetchAll(Collection)} (a batch call for start-up
 * prefetch). Caching, retries, time-outs and stale values are the resolver's business, not the
 * provider's: a provider makes one attempt per call and reports failures precisely.
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
   * JSON text); core has no JSON parser, so this is the provider's job. A provider that {@linkplain
   * #extractsFields() extracts fields} from a fetched secret is asked by the resolver for the whole
   * secret ({@link SecretRef#withoutField()}) once per version instead, and must still answer a
   * reference with a field here for callers other than the resolver. By default the provider cannot
   * resolve references.
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

  /**
   * Tells whether {@link #field(SecretRef, SecretVersion)} reads a field out of a whole secret this
   * provider fetched, without calling the backend.
   *
   * <p>When it does, a resolver fetches each secret once per version, as {@link
   * SecretRef#withoutField()}, and serves every field reference of it ({@code #user}, {@code
   * #password}) from that one fetch: one request and one single flight per secret, however many of
   * its fields are read. By default {@code false}: each field reference is fetched on its own.
   *
   * @return whether fields are extracted locally
   * @since 0.2
   */
  default boolean extractsFields() {
    return false;
  }

  /**
   * Reads a field out of a version of the whole secret, as {@link #fetch(SecretRef)} would have
   * returned it for the reference with the field; called only if {@link #extractsFields()} says so,
   * and never calls the backend.
   *
   * @param ref the reference, with a field
   * @param whole the version this provider fetched for {@code ref.withoutField()}
   * @return the field's version, with the whole version's id, stages and time
   * @throws SecretNotFoundException if the whole value is not a JSON object or has no such field
   * @throws ProviderException of kind {@link ProviderException.Kind#UNSUPPORTED} by default
   * @since 0.2
   */
  default SecretVersion field(SecretRef ref, SecretVersion whole) {
    throw new ProviderException(
        ref,
        ProviderException.Kind.UNSUPPORTED,
        "provider '" + name() + "' does not extract fields from a fetched secret");
  }

  /**
   * Tells the provider how long a resolver lets one attempt run before it abandons it and
   * interrupts the attempt's thread.
   *
   * <p>A resolver calls this once for each provider registered with it, when it is built and before
   * any other call (a provider it discovers, when it creates it). A provider that does network I/O
   * bounds each backend request by it (connect, read and the call as a whole, through its client's
   * own time-outs), so that an attempt the resolver abandoned also releases its thread and
   * connection instead of blocking in a socket read until the backend lets go. A provider
   * registered with several resolvers keeps the shortest time-out it was given. By default it is
   * ignored.
   *
   * @param timeout the per-attempt time-out, positive
   * @since 0.2
   */
  default void attemptTimeout(Duration timeout) {}

  /**
   * Registers a callback to run when the provider notices that a value it serves has changed, such
   * as a mounted file that was rotated, so that a resolver re-checks the provider's references at
   * once instead of when their time-to-live ends.
   *
   * <p>A resolver registers one for each provider when it is built (a provider it discovers, when
   * it creates it). The provider runs the callbacks on a thread of its own once the new value is
   * what it serves, holding no lock that its fetches take: the callback reads the provider again. A
   * provider whose backend cannot say when something changed keeps this default, which ignores the
   * callback; its references are re-checked when their time-to-live ends.
   *
   * @param callback what to run after a change; it does not throw
   * @since 0.2
   */
  default void onChange(Runnable callback) {}

  /**
   * Withdraws a callback given to {@link #onChange(Runnable)}: a resolver withdraws its own when it
   * is closed, so that a provider that outlives it (one registered with {@code provider(...)},
   * shared by resolvers built one after another) keeps neither the callback nor, through it, the
   * closed resolver and the values it held. A provider that keeps its callbacks overrides this and
   * drops the one given (compared by identity); the default does nothing, as {@code onChange}'s
   * does.
   *
   * @param callback a callback given to {@code onChange}; one that is not registered is ignored
   * @since 0.2
   */
  default void removeOnChange(Runnable callback) {}

  /**
   * Lists the sources for which the provider keeps serving a previous value because what they hold
   * now cannot be served: a mounted file caught empty, half-written, unreadable or gone. A resolver
   * reports the provider as {@code DEGRADED} in its health while the list is not empty. By default
   * it is empty.
   *
   * @return one problem per such source, naming the source and the reason, never a value
   * @since 0.2
   */
  default List<ConfigException.Problem> sourceProblems() {
    return List.of();
  }

  /** Releases what the provider holds (connections, threads); by default nothing. */
  @Override
  default void close() {}
}
