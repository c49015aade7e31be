package io.latchkey.spi;

import io.latchkey.config.ConfigSource;

/**
 * A secret backend: the environment, a secret manager, a vault. It is a {@link ConfigSource}, so
 * a schema loads its settings through it.
 *
 * <p>Providers are created by their {@link SecretProviderFactory} when selected and closed when
 * the application no longer needs them. Implementations are thread-safe, and never put a value in
 * a log line, an exception message or {@code toString()}.
 *
 * @since 0.1
 */
public interface SecretProvider extends ConfigSource, AutoCloseable {

  /**
   * Returns the provider's name, as {@link ProviderName} declares it.
   *
   * @return the name, such as {@code env}
   */
  String name();

  /** Releases what the provider holds (connections, threads); by default nothing. */
  @Override
  default void close() {}
}
