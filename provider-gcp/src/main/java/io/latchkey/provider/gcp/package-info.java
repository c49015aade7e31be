/**
 * The {@code gcp} secret provider: {@link io.latchkey.provider.gcp.GcpSecretProvider} reads GCP
 * Secret Manager through Google's official client over gRPC, and {@link
 * io.latchkey.provider.gcp.GcpSecretProviderFactory} registers it as {@code SECRET_PROVIDER=gcp}.
 *
 * <p>References look like {@code gcp:db-password}, {@code gcp:projects/p/secrets/db/versions/3},
 * {@code gcp:db@prod} (a version alias) or {@code gcp:db#password} (a field of a JSON secret);
 * {@code docs/providers/gcp.md} gives the details, the settings and how failures are reported.
 *
 * <p>The public provider is a small facade over package-private collaborators: {@code GcpSettings}
 * (the environment variables, as a configuration schema mapped onto the builder), {@code
 * GcpClientFactory} (the client, its credentials and its threads), {@code GcpCalls} (the two calls
 * and what their answers mean) and {@code GcpErrors} (the error mapper); the configuration secret
 * is read through core's {@link io.latchkey.spi.JsonSecretView}.
 *
 * <p>The jar has no module descriptor, because Google's client jars cannot all be modules (a split
 * package between grpc-api and grpc-context, and jars without stable module names); its manifest
 * names the module {@code io.latchkey.provider.gcp}.
 *
 * <p>Nothing in this package accepts or returns {@code null}, and no type here reveals a value
 * through {@code toString()}, an exception message or a log line.
 */
package io.latchkey.provider.gcp;
