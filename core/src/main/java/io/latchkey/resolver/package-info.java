/**
 * Resolves {@link io.latchkey.SecretRef}s through the providers registered by scheme.
 *
 * <p>{@link io.latchkey.resolver.SecretProviders#select(java.util.Map)} builds the resolver an
 * application needs from its environment ({@code SECRET_PROVIDER}); {@link
 * io.latchkey.resolver.SecretResolver#builder()} builds one by hand. A resolver keeps a cache by
 * version, refreshes ahead of expiry in the background, retries with back-off, bounds every attempt
 * with a time-out, serves a stale value while a backend blips, tells listeners when a value
 * changes, and keeps a per-provider health view:
 *
 * <pre>{@code
 * try (SecretResolver resolver = SecretResolver.builder().provider(aws).build()) {
 *   resolver.prefetch(List.of(SecretRef.parse("aws:prod/db#password")));
 *   Secret password = resolver.resolve("aws:prod/db#password");
 * }
 * }</pre>
 *
 * <p>A configuration setting takes its value from a reference when it is written {@code
 * ref+aws:prod/jwt} (see {@link io.latchkey.resolver.ReferenceSyntax}) and loaded through a {@link
 * io.latchkey.resolver.ResolvingConfigSource}.
 */
package io.latchkey.resolver;
