/**
 * Secrets, key rings, secret references and their resolver, and the exception hierarchy of
 * Latchkey.
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
 * <p>A {@link io.latchkey.SecretResolver} resolves them through the providers registered by scheme,
 * with a cache by version, refresh ahead of expiry, retries with back-off, time-outs, stale values
 * while a backend blips, change listeners and a per-provider health view:
 *
 * <pre>{@code
 * try (SecretResolver resolver = SecretResolver.builder().provider(aws).build()) {
 *   resolver.prefetch(List.of(SecretRef.parse("aws:prod/db#password")));
 *   Secret password = resolver.resolve("aws:prod/db#password");
 * }
 * }</pre>
 *
 * <p>A configuration setting takes its value from a reference when it is written {@code
 * ${ref:aws:prod/jwt}} and loaded through a {@link io.latchkey.ResolvingConfigSource}.
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
