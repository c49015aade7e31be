package io.latchkey.microprofile;

import io.smallrye.config.ConfigSourceInterceptorFactory;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.eclipse.microprofile.config.spi.Converter;

/** SmallRye Config as a runtime builds it (its own interceptors, expressions on), over a map. */
final class Configs {
  /** The name the properties' source reports, as a properties file's would. */
  static final String SOURCE = "test.properties";

  private Configs() {}

  /** A config with SmallRye's interceptors only: what an application without Latchkey sees. */
  static SmallRyeConfig plain(Map<String, String> properties) {
    return builder(properties).build();
  }

  /** A config with SmallRye's interceptors and the given Latchkey ones, and the Secret type. */
  static SmallRyeConfig with(
      Map<String, String> properties, ConfigSourceInterceptorFactory... factories) {
    return builder(properties)
        .withInterceptorFactories(factories)
        .withConverters(new Converter<?>[] {new SecretConverter()})
        .build();
  }

  static SmallRyeConfigBuilder builder(Map<String, String> properties) {
    return new SmallRyeConfigBuilder()
        .addDefaultInterceptors()
        .withSources(new PropertiesConfigSource(properties, SOURCE, 250));
  }
}
