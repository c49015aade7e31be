package io.latchkey.spring;

import io.latchkey.resolver.SecretResolver;

/**
 * Adjusts the application's {@link SecretResolver} before it is built: registers a provider
 * instance of your own, an executor, a clock, per-scheme time-to-live.
 *
 * <p>The resolver is built while the environment is prepared, before any bean exists, so a
 * customizer is not a bean. Register it in the bootstrap registry:
 *
 * <pre>{@code
 * SpringApplication app = new SpringApplication(App.class);
 * app.addBootstrapRegistryInitializer(registry -> registry.register(
 *     SecretResolverCustomizer.class,
 *     BootstrapRegistry.InstanceSupplier.of(builder -> builder.ttl("vault", Duration.ofMinutes(1)))));
 * }</pre>
 *
 * <p>or list its class (with a public no-argument constructor) in {@code META-INF/spring.factories}
 * under the key {@code io.latchkey.spring.SecretResolverCustomizer}. Customizers run after the
 * {@code latchkey.*} settings are applied and before the providers on the class path are added, so
 * a provider registered here wins over a discovered one of the same scheme.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface SecretResolverCustomizer {
  /**
   * Adjusts the builder.
   *
   * @param builder the builder of the application's resolver
   */
  void customize(SecretResolver.Builder builder);
}
