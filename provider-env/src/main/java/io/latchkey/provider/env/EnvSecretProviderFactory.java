package io.latchkey.provider.env;

import io.latchkey.spi.ProviderName;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretProviderFactory;
import java.util.Map;

/**
 * Creates the {@code env} provider when {@code SECRET_PROVIDER} is {@code env} or unset; found
 * through {@link java.util.ServiceLoader}.
 *
 * @see EnvSecretProvider#fromEnvironment(Map)
 * @since 0.1
 */
@ProviderName("env")
public final class EnvSecretProviderFactory implements SecretProviderFactory {

  /** Creates the factory, as {@link java.util.ServiceLoader} does. */
  public EnvSecretProviderFactory() {}

  /**
   * Creates an {@link EnvSecretProvider} from the environment's {@value
   * EnvSecretProvider#ENV_FILE_VARIABLE} and {@value EnvSecretProvider#SECRETS_DIR_VARIABLE}.
   *
   * @param environment the process environment, or a stand-in
   * @return the provider
   * @throws io.latchkey.ConfigException listing every problem with the {@code .env} file and the
   *     secrets directory
   */
  @Override
  public SecretProvider create(Map<String, String> environment) {
    return EnvSecretProvider.fromEnvironment(environment);
  }
}
