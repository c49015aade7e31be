package io.latchkey.provider.vault;

import io.latchkey.resolver.SecretProviders;
import io.latchkey.testsupport.IsolatedClassLoader;
import java.util.List;

/**
 * Lists the providers inside an {@link IsolatedClassLoader}, as an application that selects another
 * provider does; called reflectively, so it returns only JDK types.
 */
final class SelectionProbe {
  private SelectionProbe() {}

  static List<Object> list() {
    return List.of(
        SecretProviders.available(),
        SecretProviders.factoryType("vault").map(Class::getName).orElse("none"));
  }
}
