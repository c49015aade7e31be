/**
 * Secrets, key rings, secret references, and the exception hierarchy of Latchkey.
 *
 * <h2>Secret references</h2>
 *
 * <p>A {@link io.latchkey.SecretRef} names a secret in any provider with one syntax, {@code
 * [scheme:]path[@version][#field]}:
 *
 * <pre>{@code
 * aws:prod/db#password                        // field "password" of a JSON secret in AWS
 * aws:prod/db@AWSPREVIOUS                     // the previous version, by stage
 * gcp:projects/p/secrets/api-key/versions/3   // a GCP secret version
 * vault:secret/data/app#api_key               // a field of a Vault KV v2 secret
 * LLM_API_KEY                                 // no scheme: the environment (env:LLM_API_KEY)
 * }</pre>
 *
 * <p>The resolver that turns references into values, with its cache, refresh, retries and health,
 * lives in {@code io.latchkey.resolver}; this package holds only values and exceptions, and depends
 * on nothing else in Latchkey.
 *
 * <h2>Failures</h2>
 *
 * <p>Every exception is a {@link io.latchkey.LatchkeyException}: {@link
 * io.latchkey.ConfigException} lists every problem of a configuration, {@link
 * io.latchkey.SecretNotFoundException} says a reference names nothing, {@link
 * io.latchkey.ProviderException} says a provider failed and whether a retry may help, and {@link
 * io.latchkey.InvalidTokenException} says a ciphertext cannot be read.
 *
 * <p>Nothing in this package accepts or returns {@code null}: absent results are {@link
 * java.util.Optional} or empty collections, and every public entry point rejects a {@code null}
 * argument with a {@link java.lang.NullPointerException} that names the parameter.
 *
 * <p>No type here reveals a secret value through {@code toString()}, an exception message or a log
 * line; values are reached only through {@link io.latchkey.Secret#reveal()} and its siblings.
 */
package io.latchkey;
