package io.latchkey.testsupport;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Provider look-up and selection as an application does it, for the providers' tests, run in the
 * test's own class loader or inside an {@link IsolatedClassLoader} (where every class starts
 * unloaded, so a test sees what a look-up loads and initialises).
 *
 * <p>It names core's types as strings, since core's own tests use this module: the look-up reads
 * the service files and the {@code @ProviderName} annotations itself, loading each factory class
 * without initialising it, as core's {@code ServiceLoader.stream()} does.
 */
public final class ProviderProbe {
  private static final String FACTORY = "io.latchkey.spi.SecretProviderFactory";
  private static final String PROVIDER_NAME = "io.latchkey.spi.ProviderName";
  private static final String SELECTION = "io.latchkey.resolver.SecretProviders";
  private static final String RESOLVER = "io.latchkey.resolver.SecretResolver";
  private static final String PROVIDER_EXCEPTION = "io.latchkey.ProviderException";

  /**
   * What a look-up found.
   *
   * @param available the names of the providers, as core lists them
   * @param factory the class name of the factory registered under the name looked up, or {@code
   *     "none"}
   */
  public record LookUp(List<String> available, String factory) {}

  /**
   * What a selection created.
   *
   * @param name the provider's name
   * @param type the provider's class name
   * @param description the provider's description
   */
  public record Selection(String name, String type, String description) {}

  private final IsolatedClassLoader loader;

  private ProviderProbe(IsolatedClassLoader loader) {
    this.loader = loader;
  }

  /**
   * Returns a probe that runs each call inside a loader.
   *
   * @param loader the isolated loader, which the caller closes
   * @return the probe
   */
  public static ProviderProbe in(IsolatedClassLoader loader) {
    return new ProviderProbe(loader);
  }

  /**
   * Lists the providers and finds the factory registered under a name, creating nothing.
   *
   * @param name the provider's name
   * @return what was found
   */
  public LookUp lookUp(String name) {
    List<?> report = (List<?>) loader.call(ProviderProbe.class.getName(), "isolatedLookUp", name);
    return new LookUp(strings(report.get(0)), (String) report.get(1));
  }

  /**
   * Selects a provider from an environment, as {@code SecretProviders.select} does, and closes it.
   *
   * @param environment the environment, with {@code SECRET_PROVIDER}
   * @return what was selected
   */
  public Selection select(Map<String, String> environment) {
    List<?> report =
        (List<?>) loader.call(ProviderProbe.class.getName(), "isolatedSelect", environment);
    return new Selection((String) report.get(0), (String) report.get(1), (String) report.get(2));
  }

  /**
   * Builds a resolver that discovers the providers in an environment, resolves one reference with
   * it, and closes it.
   *
   * @param environment the environment
   * @param ref the reference
   * @return the value, or the kind of the provider exception it threw
   */
  public String resolve(Map<String, String> environment, String ref) {
    return (String) loader.call(ProviderProbe.class.getName(), "isolatedResolve", environment, ref);
  }

  /**
   * Finds the class of the factory registered under a name in the thread's context class loader,
   * without initialising it.
   *
   * @param name the provider's name
   * @return the factory's class name, or empty if no factory has that name
   */
  public static Optional<String> factoryType(String name) {
    ClassLoader classes = Thread.currentThread().getContextClassLoader();
    try {
      @SuppressWarnings("unchecked")
      Class<? extends Annotation> annotation =
          (Class<? extends Annotation>) Class.forName(PROVIDER_NAME, false, classes);
      Method value = annotation.getMethod("value");
      for (String factory : registered(classes)) {
        Annotation found = Class.forName(factory, false, classes).getAnnotation(annotation);
        // Core uses the first factory registered under a name.
        if (found != null && name.equals(value.invoke(found))) {
          return Optional.of(factory);
        }
      }
      return Optional.empty();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The factory classes the service files list, in class-path order, each once. */
  private static Set<String> registered(ClassLoader classes) {
    Set<String> names = new LinkedHashSet<>();
    try {
      Enumeration<URL> files = classes.getResources("META-INF/services/" + FACTORY);
      while (files.hasMoreElements()) {
        try (BufferedReader in =
            new BufferedReader(new InputStreamReader(files.nextElement().openStream(), UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            int comment = line.indexOf('#');
            String name = (comment < 0 ? line : line.substring(0, comment)).strip();
            if (!name.isEmpty()) {
              names.add(name);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return names;
  }

  private static List<String> strings(Object list) {
    List<String> out = new ArrayList<>();
    for (Object o : (List<?>) list) {
      out.add((String) o);
    }
    return out;
  }

  // Run inside the isolated loader through IsolatedClassLoader.call: JDK types in and out.

  @SuppressWarnings("UnusedMethod") // called by name inside the isolated loader
  private static List<Object> isolatedLookUp(String name) throws ReflectiveOperationException {
    Object available = invoke(Class.forName(SELECTION).getMethod("available"), null);
    return List.of(available, factoryType(name).orElse("none"));
  }

  @SuppressWarnings("UnusedMethod") // called by name inside the isolated loader
  private static List<Object> isolatedSelect(Map<String, String> environment)
      throws ReflectiveOperationException {
    try (AutoCloseable provider =
        (AutoCloseable)
            invoke(Class.forName(SELECTION).getMethod("select", Map.class), null, environment)) {
      Class<?> type = Class.forName("io.latchkey.spi.SecretProvider");
      return List.of(
          invoke(type.getMethod("name"), provider),
          provider.getClass().getName(),
          invoke(type.getMethod("description"), provider));
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("UnusedMethod") // called by name inside the isolated loader
  private static String isolatedResolve(Map<String, String> environment, String ref)
      throws ReflectiveOperationException {
    Class<?> resolverType = Class.forName(RESOLVER);
    Object builder = invoke(resolverType.getMethod("builder"), null);
    invoke(builder.getClass().getMethod("discoverProviders", Map.class), builder, environment);
    try (AutoCloseable resolver =
        (AutoCloseable) invoke(builder.getClass().getMethod("build"), builder)) {
      Object secret = invoke(resolverType.getMethod("resolve", String.class), resolver, ref);
      return (String) invoke(Class.forName("io.latchkey.Secret").getMethod("reveal"), secret);
    } catch (RuntimeException e) {
      Class<?> providerException = Class.forName(PROVIDER_EXCEPTION);
      if (!providerException.isInstance(e)) {
        throw e;
      }
      return ((Enum<?>) invoke(providerException.getMethod("kind"), e)).name();
    } catch (ReflectiveOperationException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Calls a method, throwing what it throws rather than a wrapper. */
  private static Object invoke(Method method, Object target, Object... args)
      throws IllegalAccessException {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
