/**
 * The {@code latchkey} command line; {@link io.latchkey.cli.Main} is its entry point.
 *
 * <p>Nothing in this package accepts or returns {@code null}, except where a method says so.
 */
package io.latchkey.cli;
