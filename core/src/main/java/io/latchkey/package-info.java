/**
 * Secrets, key rings and the exception hierarchy of Latchkey.
 *
 * <p>Nothing in this package accepts or returns {@code null}: absent results are {@link
 * java.util.Optional} or empty collections, and every public entry point rejects a {@code null}
 * argument with a {@link java.lang.NullPointerException} that names the parameter.
 *
 * <p>No type here reveals a secret value through {@code toString()}, an exception message or a
 * log line; values are reached only through {@link io.latchkey.Secret#reveal()} and its siblings.
 */
package io.latchkey;
