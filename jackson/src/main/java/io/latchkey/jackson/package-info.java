/**
 * A Jackson 2 module that never writes a secret by accident: {@link
 * io.latchkey.jackson.LatchkeyModule}, with {@link io.latchkey.jackson.NeverSerialize} for
 * properties that never leave the process and {@link io.latchkey.jackson.JsonEncrypted} for those
 * that travel as tokens. See docs/jpa-and-jackson.md.
 *
 * <p>Nothing in this package accepts or returns {@code null}.
 */
package io.latchkey.jackson;
