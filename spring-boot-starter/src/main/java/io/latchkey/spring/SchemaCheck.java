package io.latchkey.spring;

import io.latchkey.ConfigException;
import io.latchkey.LatchkeyException;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigSchema;
import io.latchkey.internal.SettingNames;
import io.latchkey.resolver.ResolvingConfigSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.Resource;

/**
 * Adds the application's {@link Config} bean, {@value #BEAN}, when a schema is configured: a {@code
 * ConfigSchema} bean, or the JSON file {@code latchkey.schema} names. The bean is read from
 * Spring's environment with references resolved and checked against the schema when it is created
 * at start-up; a problem fails start-up, listed by Latchkey's failure analysis.
 *
 * <p>A bean factory post-processor rather than an auto-configuration: it runs once every bean
 * definition is registered (so it sees the application's {@code ConfigSchema} bean as a condition
 * on beans would), and Spring Boot reads no class file and evaluates no condition for it at
 * start-up.
 */
final class SchemaCheck implements BeanFactoryPostProcessor {
  static final String BEAN = "latchkeyConfig";

  private final LatchkeyRuntime runtime;
  private final ConfigurableApplicationContext context;

  SchemaCheck(LatchkeyRuntime runtime, ConfigurableApplicationContext context) {
    this.runtime = runtime;
    this.context = context;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    if (!(beanFactory instanceof BeanDefinitionRegistry registry)
        || registry.containsBeanDefinition(BEAN)) {
      return;
    }
    // Types from bean definitions only: no bean is created, and no factory bean initialised.
    if (runtime.settings().schema.isEmpty()
        && beanFactory.getBeanNamesForType(ConfigSchema.class, true, false).length == 0) {
      return;
    }
    RootBeanDefinition config = new RootBeanDefinition(Config.class, () -> load(beanFactory));
    registry.registerBeanDefinition(BEAN, config);
  }

  private Config load(ConfigurableListableBeanFactory beanFactory) {
    ConfigSchema bean = beanFactory.getBeanProvider(ConfigSchema.class).getIfUnique();
    ConfigSchema schema;
    if (runtime.settings().schema.isPresent()) {
      if (bean != null) {
        throw new ConfigException(
            LatchkeySettings.SCHEMA, "is set and a ConfigSchema bean exists: keep one of the two");
      }
      schema = readJson(runtime.settings().schema.get());
    } else {
      schema = bean;
    }
    if (schema == null) {
      throw new ConfigException(
          LatchkeySettings.SCHEMA, "is not set, and there is not exactly one ConfigSchema bean");
    }
    return schema.load(
        new ResolvingConfigSource(
            new SpringConfigSource(context.getEnvironment()), runtime.resolver()));
  }

  private ConfigSchema readJson(String location) {
    Resource resource = context.getResource(location);
    String json;
    try (InputStream in = resource.getInputStream()) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      // A secret pasted into latchkey.schema would otherwise be quoted in the failure report.
      String named =
          SettingNames.looksLikeSecretValue(location)
              ? "names a resource (value not shown: it looks like a secret, not a location)"
              : "names " + location;
      throw new ConfigException(
          LatchkeySettings.SCHEMA,
          named + ", which cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    try {
      return ConfigSchema.fromJson(json);
    } catch (ConfigException e) {
      throw e;
    } catch (LatchkeyException e) {
      // Jackson 2 is missing: the message says which artifact to add.
      throw new ConfigException(LatchkeySettings.SCHEMA, e.getMessage());
    }
  }
}
