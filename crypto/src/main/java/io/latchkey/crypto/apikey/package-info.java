/**
 * API keys for the clients of a service: generated, stored only as SHA-256 hashes, and checked with
 * an overlap window during a rotation.
 *
 * <p>{@link io.latchkey.crypto.apikey.ApiKeyVerifier} accepts the current key, and the previous key
 * until the overlap after its rotation ends, after which it is rejected without a restart. The
 * rotation procedure is in docs/rotation.md, section 3.
 *
 * <p>Nothing in this package accepts or returns {@code null}.
 */
package io.latchkey.crypto.apikey;
