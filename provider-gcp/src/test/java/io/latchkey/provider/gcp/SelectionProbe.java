package io.latchkey.provider.gcp;

import io.latchkey.spi.SecretProvider;
import io.latchkey.resolver.SecretProviders;
import io.latchkey.testsupport.IsolatedClassLoader;
import java.util.List;
import java.util.Map;

/**
 * Runs provider selection inside an {@link IsolatedClassLoader}; called reflectively, so it takes
 * and returns only JDK types.
 */
final class SelectionProbe {
  private SelectionProbe() {}

  /** Lists the providers and looks up the gcp factory's class, as core does for every selection. */
  static List<Object> list() {
    return List.of(
        SecretProviders.available(),
        SecretProviders.factoryType("gcp").map(Class::getName).orElse("none"));
  }

  /** Selects a provider from an environment, and reports its name, class and description. */
  static List<Object> select(Map<String, String> environment) {
    try (SecretProvider provider = SecretProviders.select(environment)) {
      return List.of(provider.name(), provider.getClass().getName(), provider.description());
    }
  }
}
