package io.latchkey.resolver;

import io.latchkey.LatchkeyException;
import io.latchkey.ProviderException;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the cached version when a load fails: silently while it is still fresh (a failed refresh
 * ahead of expiry), and with one warning once it has expired, for as long as the maximum stale age
 * allows. Not-found is never served stale past expiry: the provider answered, and the answer was
 * that the secret is gone.
 */
final class StaleOnErrorLink implements Link {
  private static final Logger LOG = LoggerFactory.getLogger(SecretResolver.class);

  private final Link next;
  private final Clock clock;
  private final long recheckMillis;

  StaleOnErrorLink(Link next, Clock clock, Duration recheck) {
    this.next = next;
    this.clock = clock;
    this.recheckMillis = recheck.toMillis();
  }

  @Override
  public Entry proceed(SecretRef ref, Entry cached) {
    try {
      return next.proceed(ref, cached);
    } catch (LatchkeyException e) {
      if (cached == null || Thread.currentThread().isInterrupted()) {
        // An interrupted caller's own outcome, not the provider's: nothing is kept or marked.
        throw e;
      }
      long now = clock.millis();
      // Without a pause, every read in the refresh window would call the failing backend again.
      long recheck = now + recheckMillis;
      if (cached.isStale()) {
        // Already past its expiry and served stale (its expiry is now its stale deadline): only a
        // provider that still fails keeps it; an answer that the secret is gone ends it at once.
        if (!servable(e) || now >= cached.staleDeadline()) {
          throw e;
        }
        LOG.debug("secret {}: provider still failing ({}); serving the value held", ref, kindOf(e));
        return cached.stale(((ProviderException) e).kind(), recheck);
      }
      if (now < cached.expiresAt()) {
        LOG.debug("secret {}: refresh failed ({}); keeping the value held", ref, kindOf(e));
        // Marked when a stale value would outlive this failure, so that health counts the
        // reference as stale from its expiry and failed from its deadline, read or not, and a
        // prefetch does not take it for held fresh.
        // A failure no stale value outlives (the secret is gone) clears an earlier mark: the
        // provider answered.
        return cached.keptAfterFailure(
            servable(e) ? ((ProviderException) e).kind() : null,
            e instanceof SecretNotFoundException || cached.isGone(),
            recheck);
      }
      if (cached.isGone() && servable(e)) {
        // The provider's last answer was that the secret is gone: served until its expiry, and
        // not stale past it because asking again failed.
        throw new SecretNotFoundException(
            ref,
            "the provider said the secret is gone, and asking again failed ("
                + ((ProviderException) e).kind().label()
                + ")");
      }
      if (!servable(e) || now >= cached.staleDeadline()) {
        throw e;
      }
      ProviderException failure = (ProviderException) e;
      LOG.warn(
          "secret {}: provider failed ({}); serving the previous value for at most {} s more",
          ref,
          failure.kind().label(),
          (cached.staleDeadline() - now + 999) / 1000);
      return cached.stale(failure.kind(), recheck);
    }
  }

  /**
   * Tells whether a held value may be served stale after this failure: not when the secret is gone
   * or the provider cannot serve the reference at all, where the answer would stay the same.
   */
  static boolean servable(LatchkeyException e) {
    return e instanceof ProviderException p && p.kind() != ProviderException.Kind.UNSUPPORTED;
  }

  private static String kindOf(LatchkeyException e) {
    if (e instanceof ProviderException p) {
      return p.kind().label();
    }
    return e instanceof SecretNotFoundException ? "not found" : e.getClass().getSimpleName();
  }
}
