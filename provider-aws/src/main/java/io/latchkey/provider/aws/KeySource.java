package io.latchkey.provider.aws;

import java.io.IOException;

/**
 * Where the provider's own Secrets Manager client takes its credentials from: static keys, a
 * profile's keys, or temporary credentials fetched from a web identity, a container endpoint or the
 * instance metadata service, refreshed before they expire.
 */
interface KeySource extends AutoCloseable {
  /**
   * Returns credentials valid now, fetching or refreshing them if needed; temporary credentials are
   * refreshed once fewer than 5 minutes of them are left, and kept (and returned) when a refresh
   * fails while they are still valid.
   *
   * @param deadline the {@link System#nanoTime()} by which a fetch must have ended
   * @return the credentials
   * @throws KeysUnavailable if there are none; its message names the source and the reason, never a
   *     value
   * @throws IOException if the endpoint that hands out the credentials cannot be reached or times
   *     out
   */
  AwsKeys keys(long deadline) throws KeysUnavailable, IOException;

  /** Where the credentials come from, for a debug line, such as {@code "web identity"}. */
  String description();

  /** Releases the source's connections; idempotent. */
  @Override
  void close();

  /** No credentials from this source: the message says why, without a value. */
  final class KeysUnavailable extends Exception {
    private static final long serialVersionUID = 1L;

    KeysUnavailable(String message) {
      super(message);
    }
  }
}
