/**
 * The {@code aws} secret provider: {@link io.latchkey.provider.aws.AwsSecretProvider} reads AWS
 * Secrets Manager, and {@link io.latchkey.provider.aws.AwsSecretProviderFactory} registers it as
 * {@code SECRET_PROVIDER=aws}.
 *
 * <p>References are {@code aws:NAME_OR_ARN[@VERSION][#field]}, where {@code VERSION} is a version
 * id or a staging label such as {@code AWSPREVIOUS}, and {@code field} selects a member of a JSON
 * secret.
 *
 * <p>Nothing in this package accepts or returns {@code null}, and no type here reveals a value
 * through {@code toString()}, an exception message or a log line.
 */
package io.latchkey.provider.aws;
