package io.latchkey.spring;

import io.latchkey.ConfigException;
import io.latchkey.LatchkeyException;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigSchema;
import io.latchkey.resolver.ResolvingConfigSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * The beans of an application that imports {@code latchkey:}: the check that keeps secrets out of
 * plain {@code String} fields, and the application's {@link Config}, loaded and checked against its
 * schema at start-up (every problem at once).
 */
@AutoConfiguration
@ConditionalOnBean(LatchkeySecrets.class)
class LatchkeyAutoConfiguration {

  @Bean
  ConfigurationPropertiesBindHandlerAdvisor latchkeyPlainStringBinding(LatchkeyRuntime runtime) {
    return PlainStringBindHandler.advisor(runtime.settings());
  }

  /**
   * The application's configuration, read from Spring's environment with references resolved and
   * checked against the schema: the {@code ConfigSchema} bean, or the JSON file {@code
   * latchkey.schema} names. A problem fails start-up, listed by Latchkey's failure analysis.
   */
  @Bean
  @Conditional(SchemaConfigured.class)
  Config latchkeyConfig(
      LatchkeyRuntime runtime,
      ObjectProvider<ConfigSchema> schemas,
      ConfigurableEnvironment environment,
      ResourceLoader resources) {
    ConfigSchema bean = schemas.getIfUnique();
    ConfigSchema schema;
    if (runtime.settings().schema.isPresent()) {
      if (bean != null) {
        throw new ConfigException(
            "latchkey.schema", "is set and a ConfigSchema bean exists: keep one of the two");
      }
      schema = readJson(runtime.settings().schema.get(), resources);
    } else {
      schema = bean;
    }
    if (schema == null) {
      throw new ConfigException(
          "latchkey.schema", "is not set, and there is not exactly one ConfigSchema bean");
    }
    return schema.load(
        new ResolvingConfigSource(new SpringConfigSource(environment), runtime.resolver()));
  }

  private static ConfigSchema readJson(String location, ResourceLoader resources) {
    Resource resource = resources.getResource(location);
    String json;
    try (InputStream in = resource.getInputStream()) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(
          "latchkey.schema",
          "names " + location + ", which cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    try {
      return ConfigSchema.fromJson(json);
    } catch (ConfigException e) {
      throw e;
    } catch (LatchkeyException e) {
      // Jackson 2 is missing: the message says which artifact to add.
      throw new ConfigException("latchkey.schema", e.getMessage());
    }
  }

  /** A schema is configured as a bean or as a JSON file. */
  static final class SchemaConfigured extends AnyNestedCondition {
    SchemaConfigured() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnBean(ConfigSchema.class)
    static final class Bean {}

    @ConditionalOnProperty("latchkey.schema")
    static final class Json {}
  }
}
