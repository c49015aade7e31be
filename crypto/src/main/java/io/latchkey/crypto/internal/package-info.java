/**
 * What the key rings and the API-key verifier share and the API does not show: the default random
 * sources, the environment's key-list convention and the reading of key files (the check that a
 * name given to a loader is not a key is core's, in {@code io.latchkey.internal}). The module does
 * not export this package.
 *
 * <p>Nothing in this package accepts or returns {@code null}.
 */
package io.latchkey.crypto.internal;
