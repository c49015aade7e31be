/**
 * The service-provider interface for secret backends: implement {@link
 * io.latchkey.spi.SecretProviderFactory}, name it with {@link io.latchkey.spi.ProviderName} and
 * register it with {@link java.util.ServiceLoader}; {@code io.latchkey.resolver.SecretProviders}
 * selects one by {@code SECRET_PROVIDER}.
 */
package io.latchkey.spi;
