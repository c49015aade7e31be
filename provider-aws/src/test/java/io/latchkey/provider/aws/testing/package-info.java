/**
 * Test support for the {@code aws} provider, shipped in the module's test jar: {@link
 * io.latchkey.provider.aws.testing.FakeSecretsManager}, a loopback AWS Secrets Manager that speaks
 * the service's wire protocol.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless documented.
 */
package io.latchkey.provider.aws.testing;
