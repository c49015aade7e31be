/**
 * The {@code vault} secret provider: HashiCorp Vault KV v1 and v2 over Vault's HTTP API; see {@link
 * io.latchkey.provider.vault.VaultSecretProvider}.
 *
 * <p>It registers {@link io.latchkey.provider.vault.VaultSecretProviderFactory}, which {@code
 * SECRET_PROVIDER=vault} selects. It talks to Vault over HTTP/1.1 with a small client of its own on
 * {@code java.base}'s sockets and reads its JSON with core's strict reader; no Vault client library
 * and no other module is involved.
 */
module io.latchkey.provider.vault {
  requires transitive io.latchkey;

  exports io.latchkey.provider.vault;

  provides io.latchkey.spi.SecretProviderFactory with
      io.latchkey.provider.vault.VaultSecretProviderFactory;
}
