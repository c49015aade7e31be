/**
 * What the key rings and the API-key verifier share and the API does not show: the default random
 * sources and the environment's key-list convention. The module does not export this package.
 *
 * <p>Nothing in this package accepts or returns {@code null}.
 */
package io.latchkey.crypto.internal;
