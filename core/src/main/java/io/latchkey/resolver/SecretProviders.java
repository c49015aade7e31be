package io.latchkey.resolver;

import static java.util.Objects.requireNonNull;

import io.latchkey.ConfigException;
import io.latchkey.spi.CredentialLoggers;
import io.latchkey.spi.ProviderName;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretProviderFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Selects the secret provider named by {@code SECRET_PROVIDER} among those on the class path or
 * module path.
 *
 * <pre>{@code
 * try (SecretProvider provider = SecretProviders.select(System.getenv())) {
 *   Config config = schema.load(provider);
 * }
 * }</pre>
 *
 * <p>Factories are found with {@link ServiceLoader#stream()}; their names come from {@link
 * ProviderName} on the class, which is loaded but not initialised, and only the selected factory is
 * instantiated.
 *
 * @since 0.1
 */
public final class SecretProviders {
  /** The variable that names the provider: {@value}. */
  public static final String VARIABLE = "SECRET_PROVIDER";

  /** The provider used when {@value #VARIABLE} is unset or blank: {@value}. */
  public static final String DEFAULT = "env";

  private static final Logger LOG = LoggerFactory.getLogger(SecretProviders.class);

  private SecretProviders() {}

  /**
   * Creates the provider that {@code SECRET_PROVIDER} names in the given environment, {@code env}
   * when it is unset.
   *
   * @param environment the process environment, or a stand-in
   * @return the provider, which the caller closes
   * @throws ConfigException naming {@code SECRET_PROVIDER} and listing the available providers if
   *     none has that name, or the provider's own problems if it cannot be created
   */
  public static SecretProvider select(Map<String, String> environment) {
    requireNonNull(environment, "environment");
    String wanted = environment.get(VARIABLE);
    String name = wanted == null || wanted.isBlank() ? DEFAULT : wanted.strip();
    return create(name, environment);
  }

  /**
   * Creates the named provider.
   *
   * @param name the provider's name, such as {@code env}
   * @param environment the process environment, or a stand-in
   * @return the provider, which the caller closes
   * @throws ConfigException naming {@code SECRET_PROVIDER} and listing the available providers if
   *     none has that name, or the provider's own problems if it cannot be created
   */
  public static SecretProvider create(String name, Map<String, String> environment) {
    requireNonNull(name, "name");
    requireNonNull(environment, "environment");
    Map<String, ServiceLoader.Provider<SecretProviderFactory>> factories = factories();
    ServiceLoader.Provider<SecretProviderFactory> factory = factories.get(name);
    if (factory == null) {
      throw new ConfigException(
          VARIABLE,
          "is '"
              + name
              + "', which no provider on the class path is named; available: "
              + (factories.isEmpty() ? "none (add latchkey-provider-env)" : factories.keySet()));
    }
    return factory.get().create(environment);
  }

  /**
   * Lists the names of the providers on the class path or module path, without initialising any.
   *
   * @return the names, sorted
   */
  public static List<String> available() {
    return new ArrayList<>(factories().keySet());
  }

  /**
   * Lists the loggers that the providers on the class path or module path name as printing
   * credentials below {@code INFO} ({@link CredentialLoggers}), without initialising any provider.
   *
   * @return the loggers' names, each once, in the order of the providers' names
   */
  public static List<String> credentialLoggers() {
    Set<String> loggers = new LinkedHashSet<>();
    for (ServiceLoader.Provider<SecretProviderFactory> factory : factories().values()) {
      CredentialLoggers declared = factory.type().getAnnotation(CredentialLoggers.class);
      if (declared != null) {
        loggers.addAll(Arrays.asList(declared.value()));
      }
    }
    return new ArrayList<>(loggers);
  }

  /**
   * Warms up the named providers' factories found on the class path ({@link
   * SecretProviderFactory#warmUp()}), in this thread; names no factory has are skipped, and a
   * factory that fails is passed over.
   *
   * @param names the providers' names, such as the schemes of the references an application uses
   * @return how many factories were warmed up
   */
  public static int warmUp(Collection<String> names) {
    requireNonNull(names, "names");
    Map<String, ServiceLoader.Provider<SecretProviderFactory>> factories = factories();
    int warmed = 0;
    for (String name : names) {
      ServiceLoader.Provider<SecretProviderFactory> factory = factories.get(name);
      if (factory == null) {
        continue;
      }
      try {
        factory.get().warmUp();
        warmed++;
      } catch (RuntimeException | LinkageError e) {
        // Only time is lost: creating the provider later reports what is really wrong.
        LOG.debug("warming up secret provider '{}' failed with {}", name, e.getClass().getName());
      }
    }
    return warmed;
  }

  private static Map<String, ServiceLoader.Provider<SecretProviderFactory>> factories() {
    Map<String, ServiceLoader.Provider<SecretProviderFactory>> byName = new TreeMap<>();
    ServiceLoader.load(SecretProviderFactory.class).stream()
        .forEach(
            p -> {
              ProviderName annotation = p.type().getAnnotation(ProviderName.class);
              if (annotation == null) {
                LOG.warn(
                    "ignoring secret provider factory {}: it has no @ProviderName",
                    p.type().getName());
              } else if (byName.putIfAbsent(annotation.value(), p) != null) {
                LOG.warn(
                    "two secret providers are named '{}'; using {}, ignoring {}",
                    annotation.value(),
                    byName.get(annotation.value()).type().getName(),
                    p.type().getName());
              }
            });
    return byName;
  }
}
