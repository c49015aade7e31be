package io.latchkey.provider.gcp;

import io.latchkey.spi.CredentialLoggers;
import io.latchkey.spi.ProviderName;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretProviderFactory;
import java.util.Map;

/**
 * Creates the {@code gcp} provider when {@code SECRET_PROVIDER} is {@code gcp}; found through
 * {@link java.util.ServiceLoader}.
 *
 * <p>This class names no type of Google's client in its fields or signatures, so that reading its
 * {@link ProviderName} (which core does for every provider on the class path) loads nothing of the
 * client: the client is loaded by {@link #create(Map)} alone.
 *
 * @see GcpSecretProvider#fromEnvironment(Map)
 * @since 0.1
 */
@ProviderName("gcp")
@CredentialLoggers({
  GcpSecretProviderFactory.SHADED_FRAME_LOGGER,
  GcpSecretProviderFactory.FRAME_LOGGER
})
public final class GcpSecretProviderFactory implements SecretProviderFactory {
  /** gRPC's Netty transport, shaded, which logs every HTTP/2 frame at {@code FINE}. */
  static final String SHADED_FRAME_LOGGER = "io.grpc.netty.shaded.io.grpc.netty.NettyClientHandler";

  /** gRPC's Netty transport, unshaded, which logs every HTTP/2 frame at {@code FINE}. */
  static final String FRAME_LOGGER = "io.grpc.netty.NettyClientHandler";

  /** Creates the factory, as {@link java.util.ServiceLoader} does. */
  public GcpSecretProviderFactory() {}

  /**
   * Creates a {@link GcpSecretProvider} from the environment's settings, as {@link
   * GcpSecretProvider#fromEnvironment(Map)} documents them.
   *
   * @param environment the process environment, or a stand-in
   * @return the provider, which the caller closes
   * @throws io.latchkey.ConfigException listing every wrong setting, or naming the credentials if
   *     none can be loaded
   */
  @Override
  public SecretProvider create(Map<String, String> environment) {
    return GcpSecretProvider.fromEnvironment(environment);
  }
}
