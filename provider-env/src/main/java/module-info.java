/**
 * The {@code env} secret provider: environment variables, {@code .env} files, {@code NAME_FILE}
 * indirection and secrets directories; see {@link io.latchkey.provider.env.EnvSecretProvider}.
 *
 * <p>It registers {@link io.latchkey.provider.env.EnvSecretProviderFactory}, which {@code
 * SECRET_PROVIDER=env} (the default) selects.
 */
module io.latchkey.provider.env {
  requires transitive io.latchkey;

  exports io.latchkey.provider.env;

  provides io.latchkey.spi.SecretProviderFactory with
      io.latchkey.provider.env.EnvSecretProviderFactory;
}
