package io.latchkey.spring;

import static java.util.Objects.requireNonNull;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks secrets in the actuator's {@code configprops} and {@code env} endpoints, which show values
 * as they are once {@code show-values} allows it: every value of the {@code latchkey} property
 * source (such as {@code spring.datasource.password}, which Boot binds into a {@code String} field
 * of its own), and every value that holds the text of a secret read as text (a property whose
 * placeholder reaches a reference, such as a JDBC URL with {@code password=${db.password}}).
 */
final class SecretSanitizingFunction implements SanitizingFunction {
  private final LatchkeyRuntime runtime;

  SecretSanitizingFunction(LatchkeyRuntime runtime) {
    this.runtime = requireNonNull(runtime, "runtime");
  }

  @Override
  public SanitizableData apply(SanitizableData data) {
    Object value = data.getValue();
    if (value == null) {
      return data;
    }
    if (data.getPropertySource() instanceof ReferencePropertySource
        || value instanceof ResolvedValue
        || runtime.secretIn(String.valueOf(value)) != null) {
      return data.withSanitizedValue();
    }
    return data;
  }
}
