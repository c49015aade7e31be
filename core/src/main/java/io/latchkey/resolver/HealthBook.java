package io.latchkey.resolver;

import io.latchkey.ConfigException.Problem;
import io.latchkey.ProviderException;
import io.latchkey.SecretRef;
import io.latchkey.spi.SecretProvider;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps what {@link SecretResolver#health()} reports, per provider scheme. */
final class HealthBook {

  private static final class State {
    volatile ProviderException.Kind lastErrorKind;
    volatile Instant lastErrorAt;
    volatile boolean lastCallFailed;
    // Until the provider answers once, nothing says it would: its health is unknown, not OK.
    volatile boolean answered;
    // Each reference served stale, or kept after a failed refresh: the time (epoch millis) from
    // which it is served stale (Long.MIN_VALUE when it already is: an unread entry's expiry for one
    // kept after a failed refresh), and the time its stale value can no longer be served.
    final Map<SecretRef, long[]> stale = new ConcurrentHashMap<>();
    final Set<SecretRef> failed = ConcurrentHashMap.newKeySet();
  }

  private final Map<String, State> states = new ConcurrentHashMap<>();

  HealthBook(Set<String> schemes) {
    for (String scheme : schemes) {
      states.put(scheme, new State());
    }
  }

  void success(String scheme) {
    State s = states.get(scheme);
    if (s != null) {
      s.lastCallFailed = false;
      s.answered = true;
    }
  }

  void error(String scheme, ProviderException.Kind kind, Instant at) {
    State s = states.get(scheme);
    if (s != null) {
      // Two writes, not atomic together: a reader may pair a kind with a neighbouring error's
      // time, which a health view can live with.
      s.lastErrorKind = kind;
      s.lastErrorAt = at;
      s.lastCallFailed = true;
    }
  }

  /**
   * Marks a reference as served stale from {@code from} ({@link Long#MIN_VALUE}: already) until
   * {@code deadline} (epoch millis); returns whether health counted it stale or failed at {@code
   * now}, before.
   */
  boolean stale(SecretRef ref, long from, long deadline, long now) {
    State s = states.get(ref.scheme());
    if (s == null) {
      return false;
    }
    return counted(s.stale.put(ref, new long[] {from, deadline}), now);
  }

  /** Marks a reference as held fresh; returns whether health counted it stale or failed before. */
  boolean notStale(SecretRef ref, long now) {
    State s = states.get(ref.scheme());
    if (s == null) {
      return false;
    }
    return counted(s.stale.remove(ref), now);
  }

  // A mark counts from its start: one kept after a failed refresh is fresh until its expiry.
  private static boolean counted(long[] mark, long now) {
    return mark != null && mark[0] <= now;
  }

  /** Marks a reference as having no value to serve or not; returns whether it was marked before. */
  boolean failed(SecretRef ref, boolean failed) {
    State s = states.get(ref.scheme());
    if (s == null) {
      return false;
    }
    return failed ? !s.failed.add(ref) : s.failed.remove(ref);
  }

  /**
   * Returns each provider's health; a provider that keeps serving previous values for sources it
   * cannot read ({@link SecretProvider#sourceProblems()}) is at least degraded, and one that has
   * never answered and shows no problem is unknown. A reference kept after a failed refresh counts
   * as stale from its expiry, and one whose stale value has passed its deadline at {@code now} as
   * failed: until a load succeeds, it has nothing to serve, though no read has found that out yet.
   */
  Map<String, ProviderHealth> snapshot(Map<String, SecretProvider> providers, long now) {
    Map<String, ProviderHealth> out = new TreeMap<>();
    states.forEach(
        (scheme, s) -> {
          int stale = 0;
          int expired = 0;
          for (long[] mark : s.stale.values()) {
            if (now < mark[0]) {
              continue; // kept after a failed refresh, and fresh still
            }
            if (now < mark[1]) {
              stale++;
            } else {
              expired++;
            }
          }
          int failed = s.failed.size() + expired;
          List<Problem> problems = sourceProblems(providers.get(scheme));
          ProviderHealth.Status status =
              failed > 0
                  ? ProviderHealth.Status.FAILED
                  : stale > 0 || s.lastCallFailed || !problems.isEmpty()
                      ? ProviderHealth.Status.DEGRADED
                      : s.answered ? ProviderHealth.Status.OK : ProviderHealth.Status.UNKNOWN;
          out.put(
              scheme,
              new ProviderHealth(
                  scheme,
                  status,
                  Optional.ofNullable(s.lastErrorKind),
                  Optional.ofNullable(s.lastErrorAt),
                  stale,
                  failed,
                  problems));
        });
    return out;
  }

  private static List<Problem> sourceProblems(SecretProvider provider) {
    if (provider == null) {
      return List.of();
    }
    try {
      return provider.sourceProblems();
    } catch (RuntimeException e) {
      // A health view must answer; the provider's failure is a problem of its own.
      return List.of(
          new Problem(
              provider.name(),
              "could not list its source problems (" + e.getClass().getSimpleName() + ")"));
    }
  }
}
