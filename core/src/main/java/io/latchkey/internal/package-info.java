/**
 * What Latchkey's own modules share and the API does not show: the check that a name given where a
 * setting's or a variable's name belongs is not a key ({@link io.latchkey.internal.SettingNames}),
 * and the rule that decides whether an error may quote a path ({@link
 * io.latchkey.internal.PathText}). Core exports this package to the crypto module, the env provider
 * and the GCP provider alone; the command line, which is not a module, uses it from the class path.
 *
 * <p>Nothing in this package accepts or returns {@code null}.
 */
package io.latchkey.internal;
