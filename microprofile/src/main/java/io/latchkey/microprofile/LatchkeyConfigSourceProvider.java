package io.latchkey.microprofile;

import java.util.List;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSourceProvider;

/**
 * Registers a {@link LatchkeyConfigSource} over the process environment with every {@code Config}
 * the MicroProfile implementation builds; found through {@link java.util.ServiceLoader}.
 *
 * <p>A provider rather than a bare source, so that a malformed {@code .env} file fails the config's
 * creation with Latchkey's own {@link io.latchkey.ConfigException}, which lists every problem by
 * file and line, instead of a {@link java.util.ServiceConfigurationError} around it.
 *
 * @since 0.2
 */
public final class LatchkeyConfigSourceProvider implements ConfigSourceProvider {

  /** Creates the provider, as {@link java.util.ServiceLoader} does. */
  public LatchkeyConfigSourceProvider() {}

  /**
   * Returns one {@link LatchkeyConfigSource} over {@link System#getenv()}.
   *
   * @param forClassLoader the class loader of the config being built; unused
   * @return the source
   * @throws io.latchkey.ConfigException listing every problem with the {@code .env} file and the
   *     secrets directory
   */
  @Override
  public Iterable<ConfigSource> getConfigSources(ClassLoader forClassLoader) {
    return List.of(LatchkeyConfigSource.fromEnvironment(System.getenv()));
  }
}
