package io.latchkey.spring;

import static java.util.Objects.requireNonNull;

import io.latchkey.SecretRef;
import io.latchkey.resolver.ProviderHealth;
import io.latchkey.resolver.SecretResolver;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The application's secrets, as a bean: the one {@link SecretResolver} that {@code
 * spring.config.import=latchkey:} created, the properties written as references, and holders that
 * always return a reference's current value.
 *
 * <p>The starter registers it (and the resolver, as the bean {@code latchkeySecretResolver}) when
 * the context is prepared, and closes the resolver when the context closes.
 *
 * @since 0.1
 */
public final class LatchkeySecrets {
  private final LatchkeyRuntime runtime;

  LatchkeySecrets(LatchkeyRuntime runtime) {
    this.runtime = requireNonNull(runtime, "runtime");
  }

  /**
   * Returns a holder for the reference a property is written as.
   *
   * @param property the property's name, such as {@code partner.api-token} (relaxed forms such as
   *     {@code PARTNER_APITOKEN} are not looked up: use the name the binder uses)
   * @return a holder that returns the current value
   * @throws IllegalArgumentException if the property's value is not a reference
   */
  public SecretHolder holder(String property) {
    requireNonNull(property, "property");
    ReferenceProperty found = runtime.property(property);
    if (found == null) {
      throw new IllegalArgumentException(
          "property " + property + " is not written as a secret reference (ref+REFERENCE)");
    }
    return new SecretHolder(found.ref(), runtime);
  }

  /**
   * Returns a holder for a reference that no property names.
   *
   * @param ref the reference
   * @return a holder that returns the current value
   */
  public SecretHolder holder(SecretRef ref) {
    return new SecretHolder(requireNonNull(ref, "ref"), runtime);
  }

  /**
   * Returns the properties written as references, with their references.
   *
   * @return property name to reference, in the environment's precedence order
   */
  public Map<String, SecretRef> references() {
    Map<String, SecretRef> out = new LinkedHashMap<>();
    for (ReferenceProperty p : runtime.properties()) {
      out.put(p.name(), p.ref());
    }
    return out;
  }

  /**
   * Returns the application's resolver.
   *
   * @return the resolver, which the starter closes with the context
   */
  public SecretResolver resolver() {
    return runtime.resolver();
  }

  /**
   * Returns how each provider is doing, as the health indicator reports it.
   *
   * @return the health of each provider on the class path, by scheme
   */
  public Map<String, ProviderHealth> health() {
    return runtime.resolver().health();
  }

  /**
   * Reads every reference the application uses once, so that each one due for a refresh starts it:
   * a rotation then reaches the listeners, and a {@link SecretRotatedEvent} is published. The
   * starter does this every {@code latchkey.watch-interval}; the actuator endpoint's write
   * operation does it on demand.
   *
   * @return how many references were read
   */
  public int refresh() {
    return runtime.touchAll();
  }

  /** Returns {@code LatchkeySecrets[N references]}; never a value. */
  @Override
  public String toString() {
    return "LatchkeySecrets[" + runtime.properties().size() + " references]";
  }
}
