package io.latchkey.resolver;

import static java.util.Objects.requireNonNull;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How one secret provider is doing, as a readiness endpoint reports it.
 *
 * @param scheme the provider's scheme, such as {@code aws}
 * @param status the summary
 * @param lastErrorKind the kind of the provider's most recent error, if it ever failed
 * @param lastErrorAt when that error happened, by the resolver's clock
 * @param staleReferences how many references are being served stale
 * @param failedReferences how many references have no value to serve because the provider failed
 * @param sourceProblems the sources for which the provider keeps serving a previous value, such as
 *     a mounted file caught empty, each named with the reason, never a value (see {@link
 *     io.latchkey.spi.SecretProvider#sourceProblems()}); empty when there is none
 * @since 0.1
 */
public record ProviderHealth(
    String scheme,
    Status status,
    Optional<ProviderException.Kind> lastErrorKind,
    Optional<Instant> lastErrorAt,
    int staleReferences,
    int failedReferences,
    List<ConfigException.Problem> sourceProblems) {

  /** The summary a readiness check acts on. */
  public enum Status {
    /**
     * The provider has answered: its most recent call succeeded and every reference has a fresh
     * value.
     */
    OK,
    /**
     * Every reference has a value, but some are served stale, the provider's most recent call
     * failed (even if a retry then succeeded, or the cached value is still fresh), or the provider
     * keeps serving a previous value for a source it cannot read.
     */
    DEGRADED,
    /** Some reference has no value to serve because the provider failed to load it. */
    FAILED,
    /**
     * The provider has not answered a call yet (nothing was resolved through it, or a discovered
     * provider was not created yet), and nothing is known to be wrong with it: whether it would
     * answer is unknown. A readiness check that needs the provider resolves one of its references
     * first, or treats this as not ready.
     *
     * @since 0.2
     */
    UNKNOWN
  }

  /**
   * Validates the components.
   *
   * @param scheme the provider's scheme
   * @param status the summary
   * @param lastErrorKind the most recent error's kind, or empty
   * @param lastErrorAt the most recent error's time, or empty
   * @param staleReferences references served stale
   * @param failedReferences references with nothing to serve
   * @param sourceProblems the sources held back; copied
   * @since 0.2
   */
  public ProviderHealth {
    requireNonNull(scheme, "scheme");
    requireNonNull(status, "status");
    requireNonNull(lastErrorKind, "lastErrorKind");
    requireNonNull(lastErrorAt, "lastErrorAt");
    sourceProblems = List.copyOf(requireNonNull(sourceProblems, "sourceProblems"));
  }

  /**
   * Creates a health report with no source problems.
   *
   * @param scheme the provider's scheme
   * @param status the summary
   * @param lastErrorKind the most recent error's kind, or empty
   * @param lastErrorAt the most recent error's time, or empty
   * @param staleReferences references served stale
   * @param failedReferences references with nothing to serve
   */
  public ProviderHealth(
      String scheme,
      Status status,
      Optional<ProviderException.Kind> lastErrorKind,
      Optional<Instant> lastErrorAt,
      int staleReferences,
      int failedReferences) {
    this(scheme, status, lastErrorKind, lastErrorAt, staleReferences, failedReferences, List.of());
  }
}
