/**
 * MicroProfile Config integration: {@link io.latchkey.microprofile.LatchkeyConfigSource} serves the
 * {@code env} provider's layers (environment, {@code .env}, {@code NAME_FILE}, secrets directory)
 * on any MicroProfile Config implementation; {@link io.latchkey.microprofile.SecretReferences}
 * resolves {@code ref+…} references in any property where SmallRye Config is the implementation;
 * {@link io.latchkey.microprofile.SecretConverter} makes {@link io.latchkey.Secret} a config value
 * type. All three register themselves through {@link java.util.ServiceLoader}; {@code
 * docs/microprofile.md} describes the set-up for Quarkus, Helidon and Open Liberty.
 *
 * <p>Nothing in this package accepts or returns {@code null} except where the MicroProfile contract
 * asks for it ({@code ConfigSource.getValue} for an absent property, a converter's "no value"), and
 * no type here reveals a value through {@code toString()}, an exception message or a log line.
 */
package io.latchkey.microprofile;
