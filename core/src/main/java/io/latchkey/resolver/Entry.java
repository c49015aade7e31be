package io.latchkey.resolver;

import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.spi.SecretVersion;

/**
 * What the resolver caches for one reference, with the times (clock milliseconds) that drive it.
 *
 * @param version the version held
 * @param refreshAt from then on, a read triggers a background refresh
 * @param expiresAt from then on, the value is served only until a refresh replaces it
 * @param staleDeadline until then, the version may be served stale when a load fails
 * @param staleKind why the version is being served stale, or {@code null} if it is fresh
 */
record Entry(
    SecretVersion version,
    long refreshAt,
    long expiresAt,
    long staleDeadline,
    ProviderException.Kind staleKind) {

  /** The version's value, which a read copies for its caller. */
  Secret value() {
    return version.value();
  }

  boolean isStale() {
    return staleKind != null;
  }

  /** Keeps this entry as it is but checks again at {@code time}. */
  Entry recheckAt(long time) {
    return new Entry(version, Math.min(time, expiresAt), expiresAt, staleDeadline, staleKind);
  }

  /** Serves this entry's version stale until the deadline, checking again at {@code time}. */
  Entry stale(ProviderException.Kind kind, long time) {
    return new Entry(version, Math.min(time, staleDeadline), staleDeadline, staleDeadline, kind);
  }

  @Override
  public String toString() {
    return "Entry[version="
        + version
        + ", refreshAt="
        + refreshAt
        + ", expiresAt="
        + expiresAt
        + ", staleDeadline="
        + staleDeadline
        + ", staleKind="
        + staleKind
        + "]";
  }
}
