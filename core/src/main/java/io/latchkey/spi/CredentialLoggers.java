package io.latchkey.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names, on a {@link SecretProviderFactory}, the loggers of the client libraries under its provider
 * that print credentials (a token, a signed request's headers) or secret values below {@code INFO},
 * such as the JDK's {@code sun.net.www.protocol.http.HttpURLConnection}, which logs every request's
 * headers at {@code FINE}.
 *
 * <p>An integration that manages logging levels keeps these at {@code INFO} unless the application
 * sets them itself: the Spring Boot starter does, for every provider on the class path, through
 * {@link io.latchkey.resolver.SecretProviders#credentialLoggers()}. Like {@link ProviderName}, the
 * annotation is read without initialising the factory, so give it constants only. The provider
 * itself should warn when it finds one of them below {@code INFO} ({@link VerboseLoggers}).
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CredentialLoggers {
  /**
   * Returns the loggers' names.
   *
   * @return the names, such as {@code sun.net.www.protocol.http.HttpURLConnection}
   */
  String[] value();
}
