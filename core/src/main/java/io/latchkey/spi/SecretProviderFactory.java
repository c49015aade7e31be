package io.latchkey.spi;

import java.util.Map;

/**
 * Creates a {@link SecretProvider}; found through {@link java.util.ServiceLoader}.
 *
 * <p>A provider module registers its factory in {@code
 * META-INF/services/io.latchkey.spi.SecretProviderFactory} (and with {@code provides} in its module
 * descriptor) and annotates it with {@link ProviderName}. {@link
 * io.latchkey.resolver.SecretProviders} reads the annotation without initialising the class and
 * instantiates only the selected factory, so keep heavy work and SDK classes out of the factory's
 * static initialisation and constructor: load them in {@link #create(Map)}.
 *
 * @since 0.1
 */
public interface SecretProviderFactory {

  /**
   * Creates the provider.
   *
   * @param environment the process environment (or a stand-in in tests), from which the provider
   *     reads its own settings, such as {@code VAULT_ADDR}
   * @return the provider
   * @throws io.latchkey.ConfigException if the provider's own settings are wrong, listing every
   *     problem
   */
  SecretProvider create(Map<String, String> environment);

  /**
   * Loads and initialises, ahead of time, what creating the provider and its first call will need,
   * so that both are faster when they come; the default does nothing.
   *
   * <p>Integrations that build the resolver while the application does other start-up work call it
   * on a background thread as soon as they know the provider will be used ({@link
   * io.latchkey.resolver.SecretProviders#warmUp}; the Spring Boot starter does, before Spring sets
   * up logging). In a fresh JVM, a provider built on a cloud SDK spends most of its first call
   * loading the SDK's classes, which this moves off the start-up path.
   *
   * <p>An implementation contacts no backend and reads no secret, must not throw, logs nothing
   * above DEBUG (the logging system may not be set up yet), and leaves no thread or open resource
   * behind.
   *
   * @since 0.1
   */
  default void warmUp() {}
}
