/**
 * Typed start-up configuration: where raw values come from ({@link io.latchkey.config.ConfigSource})
 * and where each came from ({@link io.latchkey.config.Origin}).
 *
 * <p>Nothing in this package accepts or returns {@code null}, and no type here reveals a value
 * that may be secret through {@code toString()}, an exception message or a log line.
 */
package io.latchkey.config;
