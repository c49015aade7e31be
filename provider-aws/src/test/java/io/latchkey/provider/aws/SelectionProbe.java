package io.latchkey.provider.aws;

import io.latchkey.spi.SecretProvider;
import io.latchkey.resolver.SecretProviders;
import io.latchkey.testsupport.IsolatedClassLoader;
import java.util.List;
import java.util.Map;

/**
 * Runs provider look-up and selection inside a {@link IsolatedClassLoader}; called reflectively, so
 * it takes and returns only JDK types.
 */
final class SelectionProbe {
  private SelectionProbe() {}

  /** Lists the providers and finds the aws factory's class, without selecting anything. */
  static List<Object> lookUp() {
    return List.of(
        SecretProviders.available(),
        SecretProviders.factoryType("aws").map(Class::getName).orElse("none"));
  }

  /** Selects a provider from the environment and returns its class name and description. */
  static List<Object> select(Map<String, String> environment) {
    try (SecretProvider provider = SecretProviders.select(environment)) {
      return List.of(provider.getClass().getName(), provider.description());
    }
  }
}
