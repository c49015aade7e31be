package io.latchkey.provider.vault;

import io.latchkey.spi.ProviderName;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretProviderFactory;
import java.util.Map;

/**
 * Creates the {@code vault} provider when {@code SECRET_PROVIDER} is {@code vault}; found through
 * {@link java.util.ServiceLoader}.
 *
 * <p>The class refers to nothing but the SPI until {@link #create(Map)} or {@link #warmUp()} runs,
 * so listing the providers loads no HTTP client, JSON parser or provider code. It is stateless and
 * thread-safe.
 *
 * @see VaultSecretProvider#fromEnvironment(Map)
 * @since 0.1
 */
@ProviderName("vault")
public final class VaultSecretProviderFactory implements SecretProviderFactory {

  /** Creates the factory, as {@link java.util.ServiceLoader} does. */
  public VaultSecretProviderFactory() {}

  /**
   * Creates a {@link VaultSecretProvider} from the environment's Vault settings.
   *
   * @param environment the process environment, or a stand-in
   * @return the provider, which the caller closes
   * @throws io.latchkey.ConfigException listing every wrong or missing setting
   */
  @Override
  public SecretProvider create(Map<String, String> environment) {
    return VaultSecretProvider.fromEnvironment(environment);
  }

  /**
   * Builds a provider and makes one batch read through it against a throw-away server on the
   * loopback interface, which it runs and stops itself: the settings, the HTTP exchange, the mount
   * look-up and the KV v2 answer are loaded and run once, so that the first real read is faster. No
   * backend is contacted, and no thread or connection is left behind. Once one has completed, later
   * calls in the same JVM do nothing.
   */
  @Override
  public void warmUp() {
    VaultWarmUp.once();
  }
}
