/**
 * What Latchkey's own modules share and the API does not show: the check that a name given where a
 * setting's or a variable's name belongs is not a key. Core exports this package to the crypto
 * module alone.
 *
 * <p>Nothing in this package accepts or returns {@code null}.
 */
package io.latchkey.internal;
