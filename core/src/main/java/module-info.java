/**
 * Latchkey's public API: {@link io.latchkey.Secret}, {@link io.latchkey.KeyRing}, the {@link
 * io.latchkey.LatchkeyException} hierarchy, typed configuration ({@code io.latchkey.config}) and
 * the secret-provider SPI ({@code io.latchkey.spi}).
 *
 * <p>The module depends on the SLF4J API alone; implementations such as the Fernet key ring and
 * the providers live in other modules. Jackson is an optional dependency, needed only to read a
 * JSON configuration schema.
 */
module io.latchkey {
  requires transitive org.slf4j;
  // Only ConfigSchema.fromJson needs Jackson; applications that read JSON schemas add it.
  requires static com.fasterxml.jackson.databind;

  exports io.latchkey;
  exports io.latchkey.config;
  exports io.latchkey.spi;

  uses io.latchkey.spi.SecretProviderFactory;
}
