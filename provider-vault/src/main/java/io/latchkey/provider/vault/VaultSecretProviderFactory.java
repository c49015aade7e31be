package io.latchkey.provider.vault;

import io.latchkey.spi.ProviderName;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretProviderFactory;
import java.util.Map;

/**
 * Creates the {@code vault} provider when {@code SECRET_PROVIDER} is {@code vault}; found through
 * {@link java.util.ServiceLoader}.
 *
 * <p>The class refers to nothing but the SPI until {@link #create(Map)} runs, so listing the
 * providers loads no HTTP client, JSON parser or provider code. It is stateless and thread-safe.
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
}
