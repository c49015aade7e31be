/**
 * What the env provider shares with the command line and the API does not show: the rule that
 * decides whether an error may quote a path ({@link io.latchkey.provider.env.internal.PathText}).
 * The module does not export this package.
 *
 * <p>Nothing in this package accepts or returns {@code null}.
 */
package io.latchkey.provider.env.internal;
