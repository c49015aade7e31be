package io.latchkey.resolver;

import io.latchkey.SecretRef;

/**
 * One link of the resolver's chain: stale-on-error, then retry, then time-out, then the provider.
 * Each wraps the next and calls its {@code proceed}, as OkHttp interceptors do, so each concern
 * stays in one small class and no provider carries flags for them.
 */
interface Link {

  /**
   * Loads a reference.
   *
   * @param ref the reference
   * @param cached what the cache holds for it, or {@code null} if nothing; links use it to skip a
   *     fetch when the version is unchanged, or to serve it stale when the provider fails
   * @return the entry to cache, which may hold the cached version again
   */
  Entry proceed(SecretRef ref, Entry cached);
}
