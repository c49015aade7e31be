package io.latchkey.provider.env;

import io.latchkey.config.ConfigSource;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import io.latchkey.spi.ProviderName;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretProviderFactory;
import java.util.Map;
import java.util.Optional;

/**
 * A second provider, registered for the tests only, standing in for a cloud provider whose SDK must
 * not load unless selected: its static initialiser raises {@link SleeperFlag}.
 */
@ProviderName("sleeper")
public final class SleeperProviderFactory implements SecretProviderFactory {
  static {
    SleeperFlag.initialised = true;
  }

  /** Creates the factory, as {@link java.util.ServiceLoader} does. */
  public SleeperProviderFactory() {}

  @Override
  public SecretProvider create(Map<String, String> environment) {
    ConfigSource values = ConfigSource.of(Map.of("SLEEPER", "awake"), Origin.Kind.PROVIDER);
    return new SecretProvider() {
      @Override
      public String name() {
        return "sleeper";
      }

      @Override
      public Optional<ConfigValue> get(String name) {
        return values.get(name);
      }

      @Override
      public String description() {
        return "sleeper";
      }
    };
  }
}
