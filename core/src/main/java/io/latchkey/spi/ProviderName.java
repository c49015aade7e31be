package io.latchkey.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the provider a {@link SecretProviderFactory} creates, the value {@code SECRET_PROVIDER}
 * selects it by.
 *
 * <p>The name is read from the class without initialising it, so a provider that is not selected
 * never runs a line of its code, and its SDK is never loaded.
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ProviderName {
  /**
   * Returns the provider's name: lower-case letters, digits and hyphens, such as {@code env} or
   * {@code aws}.
   *
   * @return the name
   */
  String value();
}
