/**
 * The {@code vault} secret provider: {@link io.latchkey.provider.vault.VaultSecretProvider} reads
 * HashiCorp Vault's KV secrets engine (versions 1 and 2) over Vault's HTTP API, with token, token
 * file, AppRole or Kubernetes authentication, token renewal, namespaces and custom CAs, and {@link
 * io.latchkey.provider.vault.VaultSecretProviderFactory} registers it as {@code
 * SECRET_PROVIDER=vault}.
 *
 * <h2>Settings</h2>
 *
 * <p>{@link io.latchkey.provider.vault.VaultSecretProvider#fromEnvironment(java.util.Map)} reads
 * {@code VAULT_ADDR} (required), {@code VAULT_NAMESPACE}, {@code VAULT_CACERT}, {@code
 * VAULT_CAPATH}, {@code VAULT_AUTH_METHOD} ({@code token}, {@code approle} or {@code kubernetes})
 * and the method's own settings ({@code VAULT_TOKEN} or {@code VAULT_TOKEN_FILE}; {@code
 * VAULT_ROLE_ID}, {@code VAULT_SECRET_ID} or {@code VAULT_SECRET_ID_FILE}, {@code
 * VAULT_APPROLE_MOUNT}; {@code VAULT_K8S_ROLE}, {@code VAULT_K8S_TOKEN_FILE}, {@code
 * VAULT_K8S_MOUNT}), and {@code LATCHKEY_VAULT_ALLOW_HTTP}, {@code LATCHKEY_VAULT_TIMEOUT} and
 * {@code LATCHKEY_VAULT_CONFIG_PATH}. The builder offers the same.
 *
 * <p>Nothing in this package accepts or returns {@code null}, and no type here reveals a value or a
 * credential through {@code toString()}, an exception message or a log line.
 */
package io.latchkey.provider.vault;
