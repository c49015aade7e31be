/**
 * Latchkey's public API: {@link io.latchkey.Secret}, {@link io.latchkey.KeyRing}, the {@link
 * io.latchkey.LatchkeyException} hierarchy, typed configuration ({@code io.latchkey.config}), the
 * secret-provider SPI ({@code io.latchkey.spi}), the resolver ({@code io.latchkey.resolver}), the
 * redactor ({@code io.latchkey.redact}) and the secret scanner ({@code io.latchkey.scan}).
 *
 * <p>The module depends on the SLF4J API alone; implementations such as the Fernet key ring and the
 * providers live in other modules. Jackson is an optional dependency, needed only to read a JSON
 * configuration schema; its annotations tell Jackson to write the masked form of the types that
 * hold values, and are ignored where Jackson is absent.
 */
// The modules to which one package is exported (crypto, the env and GCP providers) are built
// after this one.
@SuppressWarnings("module")
module io.latchkey {
  requires transitive org.slf4j;
  // VerboseLoggers reads the levels of java.util.logging, which the JDK's HTTP clients log through.
  requires java.logging;
  // Only ConfigSchema.fromJson needs Jackson; applications that read JSON schemas add it.
  requires static com.fasterxml.jackson.databind;
  // @JsonValue on the types that hold values, so that Jackson writes their masked form; without
  // Jackson the annotations are simply not there.
  requires static com.fasterxml.jackson.annotation;

  exports io.latchkey;
  exports io.latchkey.config;
  exports io.latchkey.spi;
  exports io.latchkey.resolver;
  exports io.latchkey.redact;
  exports io.latchkey.scan;
  // The check that a name is not a key, shared with the key rings' loaders, and the rule for
  // quoting a path in an error, shared with the providers that read one, and the check that a
  // configuration secret's name is not a pasted secret, shared with the providers and the Spring
  // Boot starter (latchkey.schema); not API.
  exports io.latchkey.internal to
      io.latchkey.crypto,
      io.latchkey.provider.aws,
      io.latchkey.provider.env,
      io.latchkey.provider.gcp,
      io.latchkey.provider.vault,
      io.latchkey.spring;

  uses io.latchkey.spi.SecretProviderFactory;
}
