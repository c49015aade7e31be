/**
 * What Latchkey's own modules share and the API does not show: the check that a name given where a
 * setting's or a variable's name belongs is not a key ({@link io.latchkey.internal.SettingNames}),
 * the rule that decides whether an error may quote a path ({@link io.latchkey.internal.PathText}),
 * and the check that the name of a provider's configuration secret is not a pasted secret. Core
 * exports this package to the crypto module and the providers alone; the command line, which is not
 * a module, uses it from the class path.
 *
 * <p>Nothing in this package accepts or returns {@code null}.
 */
package io.latchkey.internal;
