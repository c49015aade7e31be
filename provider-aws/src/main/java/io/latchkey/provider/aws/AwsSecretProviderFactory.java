package io.latchkey.provider.aws;

import io.latchkey.spi.CredentialLoggers;
import io.latchkey.spi.ProviderName;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretProviderFactory;
import java.util.Map;

/**
 * Creates the {@code aws} provider when {@code SECRET_PROVIDER} is {@code aws}; found through
 * {@link java.util.ServiceLoader}.
 *
 * <p>The factory refers to no AWS SDK class in its fields or signatures: a process that selects
 * another provider loads this class (to read its {@link ProviderName}) but never the SDK.
 *
 * @see AwsSecretProvider#fromEnvironment(Map)
 * @since 0.1
 */
@ProviderName("aws")
@CredentialLoggers({
  AwsSecretProviderFactory.CONNECTION_LOGGER,
  AwsSecretProviderFactory.SIGNER_LOGGER,
  AwsSecretProviderFactory.OLD_SIGNER_LOGGER
})
public final class AwsSecretProviderFactory implements SecretProviderFactory {
  /** The JDK's HTTP client under the SDK's URL-connection client; logs headers at {@code FINE}. */
  static final String CONNECTION_LOGGER = "sun.net.www.protocol.http.HttpURLConnection";

  /** The SDK's signer, in its current package; logs the canonical request at {@code DEBUG}. */
  static final String SIGNER_LOGGER = "software.amazon.awssdk.http.auth.aws.internal.signer";

  /** The SDK's signer, in its older package; logs the canonical request at {@code DEBUG}. */
  static final String OLD_SIGNER_LOGGER = "software.amazon.awssdk.auth.signer";

  /** Creates the factory, as {@link java.util.ServiceLoader} does. */
  public AwsSecretProviderFactory() {}

  /**
   * Creates an {@link AwsSecretProvider} from the region, endpoint, credentials, time-out and
   * configuration secret the environment names.
   *
   * @param environment the process environment, or a stand-in
   * @return the provider, which the caller closes
   * @throws io.latchkey.ConfigException listing every wrong setting
   */
  @Override
  public SecretProvider create(Map<String, String> environment) {
    return AwsSecretProvider.fromEnvironment(environment);
  }

  /**
   * Loads and initialises the provider's own client as its first call will: signs a request with
   * throw-away credentials and reads an empty batch answer, opening no socket and reading no file.
   * The AWS SDK, which the provider uses only when its own client cannot serve the credentials or
   * the network, is not loaded: in a fresh JVM that takes about half a second of a core, which an
   * application that never needs the SDK should not pay.
   */
  @Override
  public void warmUp() {
    OwnWarmUp.run();
  }
}
