/**
 * Spring Boot integration: {@code spring.config.import=latchkey:} resolves every property written
 * as a secret reference ({@code ref+aws:prod/db#password}) through one {@link
 * io.latchkey.resolver.SecretResolver} per application, binds {@link io.latchkey.Secret} fields,
 * checks the application's schema at start-up, reports the providers' health and a masked
 * configuration, publishes {@link io.latchkey.spring.SecretRotatedEvent}s and gives a connection
 * pool the current database password. Works on Spring Boot 4 and 3.5. The guide is {@code
 * docs/spring-boot.md}.
 *
 * <p>Nothing in this package's API is null: absent results are {@link java.util.Optional} or empty
 * collections.
 */
package io.latchkey.spring;
