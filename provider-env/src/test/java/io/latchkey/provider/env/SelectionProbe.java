package io.latchkey.provider.env;

import io.latchkey.ProviderException;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretProvider;
import io.latchkey.resolver.SecretProviders;
import io.latchkey.testsupport.IsolatedClassLoader;
import java.util.List;
import java.util.Map;

/**
 * Runs provider selection inside an {@link IsolatedClassLoader}, where every class starts
 * uninitialised, and reports what happened; called reflectively, so it returns only JDK types.
 */
final class SelectionProbe {
  private SelectionProbe() {}

  /**
   * Lists the providers, looks up the sleeper's class, selects one provider, and reports: the
   * available names, whether the sleeper's class was found, whether it was initialised before the
   * selection and after it, and the selected provider's name and class.
   */
  static List<Object> select(String providerName) {
    List<String> available = SecretProviders.available();
    boolean sleeperFound = SecretProviders.factoryType("sleeper").isPresent();
    boolean before = SleeperFlag.initialised();
    try (SecretProvider provider =
        SecretProviders.select(
            Map.of("SECRET_PROVIDER", providerName, "LATCHKEY_ENV_FILE", "none"))) {
      return List.of(
          available,
          sleeperFound,
          before,
          SleeperFlag.initialised(),
          provider.name(),
          provider.getClass().getName());
    }
  }

  /**
   * Builds a resolver that discovers the providers, resolves one reference, and reports: its value
   * (or the kind of error), and whether the sleeper was initialised.
   */
  static List<Object> discover(String ref) {
    String outcome;
    try (SecretResolver resolver =
        SecretResolver.builder()
            .discoverProviders(Map.of("LATCHKEY_ENV_FILE", "none", "GREETING", "hello"))
            .build()) {
      try {
        outcome = resolver.resolve(ref).reveal();
      } catch (ProviderException e) {
        outcome = e.kind().name();
      }
    }
    return List.of(outcome, SleeperFlag.initialised());
  }
}
