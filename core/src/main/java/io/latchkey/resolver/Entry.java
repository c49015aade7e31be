package io.latchkey.resolver;

import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.spi.SecretVersion;

/**
 * What the resolver caches for one reference, with the times (clock milliseconds) that drive it.
 *
 * <p>Immutable but for one flag: {@linkplain #markDue() due}, which the resolver's {@link
 * RefreshTimer} sets once {@code refreshAt} has come, so that a read of an entry not yet due needs
 * no clock. A resolver given its own clock reads that clock on every read instead, and never looks
 * at the flag.
 */
final class Entry {
  private final SecretVersion version;
  private final long refreshAt;
  private final long expiresAt;
  private final long staleDeadline;
  private final ProviderException.Kind staleKind;
  // Set when a refresh ahead of expiry failed and this version was kept: fresh still, but it will
  // be served stale from its expiry unless a later load succeeds.
  private final ProviderException.Kind refreshFailure;
  // Set when a refresh ahead of expiry found the secret gone: served until its expiry, no longer.
  private final boolean gone;
  // Written once, by the timer thread; a plain load on the read path of every platform we run on.
  private volatile boolean due;

  /**
   * @param version the version held
   * @param refreshAt from then on, a read triggers a background refresh
   * @param expiresAt from then on, the value is served only until a refresh replaces it
   * @param staleDeadline until then, the version may be served stale when a load fails
   * @param staleKind why the version is being served stale, or {@code null} if it is fresh
   */
  Entry(
      SecretVersion version,
      long refreshAt,
      long expiresAt,
      long staleDeadline,
      ProviderException.Kind staleKind) {
    this(version, refreshAt, expiresAt, staleDeadline, staleKind, null, false);
  }

  private Entry(
      SecretVersion version,
      long refreshAt,
      long expiresAt,
      long staleDeadline,
      ProviderException.Kind staleKind,
      ProviderException.Kind refreshFailure,
      boolean gone) {
    this.version = version;
    this.refreshAt = refreshAt;
    this.expiresAt = expiresAt;
    this.staleDeadline = staleDeadline;
    this.staleKind = staleKind;
    this.refreshFailure = refreshFailure;
    this.gone = gone;
  }

  SecretVersion version() {
    return version;
  }

  long refreshAt() {
    return refreshAt;
  }

  long expiresAt() {
    return expiresAt;
  }

  long staleDeadline() {
    return staleDeadline;
  }

  ProviderException.Kind staleKind() {
    return staleKind;
  }

  /** Whether the refresh time has come, as the timer saw it; never reset. */
  boolean isDue() {
    return due;
  }

  void markDue() {
    due = true;
  }

  /** The version's value, which a read copies for its caller. */
  Secret value() {
    return version.value();
  }

  /**
   * Why the latest refresh of this still fresh version failed, or {@code null} if it did not; an
   * entry served stale says why through {@link #staleKind()} instead.
   */
  ProviderException.Kind refreshFailure() {
    return refreshFailure;
  }

  /** Whether the latest refresh of this still fresh version found the secret gone. */
  boolean isGone() {
    return gone;
  }

  boolean isStale() {
    return staleKind != null;
  }

  /** Keeps this entry as it is but checks again at {@code time}. */
  Entry recheckAt(long time) {
    return new Entry(
        version,
        Math.min(time, expiresAt),
        expiresAt,
        staleDeadline,
        staleKind,
        refreshFailure,
        gone);
  }

  /**
   * Keeps this fresh entry after a refresh that failed, checking again at {@code time}: marked with
   * {@code kind} when a stale value outlives the failure ({@code null} when it does not), and as
   * {@code gone} when the provider said the secret no longer exists.
   */
  Entry keptAfterFailure(ProviderException.Kind kind, boolean gone, long time) {
    return new Entry(
        version, Math.min(time, expiresAt), expiresAt, staleDeadline, null, kind, gone);
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
        + ", refreshFailure="
        + refreshFailure
        + ", gone="
        + gone
        + "]";
  }
}
