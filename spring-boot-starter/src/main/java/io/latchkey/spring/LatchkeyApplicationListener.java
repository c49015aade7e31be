package io.latchkey.spring;

import io.latchkey.ConfigException;
import io.latchkey.Secret;
import io.latchkey.resolver.SecretResolver;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.convert.support.ConfigurableConversionService;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * Does the starter's work at the three moments of a run it needs: when the environment is prepared
 * (after every config data import, so every source is known) it scans for references, fills the
 * {@code latchkey} property source and starts building the resolver and loading every reference (on
 * a thread of its own, see {@link LatchkeyRuntime}); when the context is prepared it hands the
 * resolver to the context as beans, to be closed with it, with the {@link StartupGate} that makes
 * start-up wait for the load, the check that keeps secrets out of plain {@code String} fields
 * ({@link PlainStringBindHandler}), the schema's {@link SchemaCheck}, the converters for an
 * application's own {@code conversionService} ({@link ConversionServiceBeanPostProcessor}) and the
 * type converter that keeps secrets out of conversion failures ({@link SecretTypeConverter}); if
 * the run fails before that, it closes the resolver itself.
 *
 * <p>One listener instance serves one {@code SpringApplication}; it keeps the run's state only
 * between the first moment and the second.
 */
final class LatchkeyApplicationListener implements GenericApplicationListener {
  /** After the environment post-processors (config data) and the logging system's set-up. */
  static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 21;

  static final String SECRETS_BEAN = "latchkeySecrets";
  static final String RESOLVER_BEAN = "latchkeySecretResolver";
  static final String RUNTIME_BEAN = "latchkeyRuntime";
  static final String GATE_BEAN = "latchkeyStartupGate";
  static final String PLAIN_STRING_BEAN = "latchkeyPlainStringBinding";

  private LatchkeyRuntime pending;

  @Override
  public boolean supportsEventType(ResolvableType eventType) {
    Class<?> type = eventType.getRawClass();
    return type != null
        && (ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type)
            || ApplicationPreparedEvent.class.isAssignableFrom(type)
            || ApplicationFailedEvent.class.isAssignableFrom(type));
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public void onApplicationEvent(ApplicationEvent event) {
    if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
      Object bootstrap = Bootstrap.find(ApplicationEnvironmentPreparedEvent.class, prepared);
      ReferencePropertySource source = imported(prepared.getEnvironment(), bootstrap);
      if (source != null && source.runtime() == null) {
        environmentPrepared(prepared.getEnvironment(), source, customizers(bootstrap));
      }
    } else if (event instanceof ApplicationPreparedEvent prepared) {
      contextPrepared(prepared.getApplicationContext());
    } else if (event instanceof ApplicationFailedEvent && pending != null) {
      LatchkeyRuntime runtime = pending;
      pending = null;
      runtime.destroy();
    }
  }

  private void environmentPrepared(
      ConfigurableEnvironment environment,
      ReferencePropertySource source,
      List<SecretResolverCustomizer> customizers) {
    LatchkeySettings settings = LatchkeySettings.read(environment);
    EnvironmentScan.Result scan = EnvironmentScan.scan(environment, settings);
    LatchkeyRuntime runtime = LatchkeyRuntime.start(settings, customizers, scan.properties());
    try {
      source.install(runtime, scan.origins(), scan.canonical());
      moveFirst(environment.getPropertySources(), source);
      addConverters(environment);
      if (!scan.problems().isEmpty()) {
        // Start-up fails here: wait for the load, so that its problems are listed too.
        List<ConfigException.Problem> problems = new ArrayList<>(scan.problems());
        try {
          runtime.awaitLoaded();
        } catch (ConfigException e) {
          problems.addAll(e.problems());
        }
        throw new ConfigException(problems);
      }
    } catch (RuntimeException | Error e) {
      runtime.destroy();
      throw e;
    }
    pending = runtime;
  }

  private void contextPrepared(ConfigurableApplicationContext context) {
    LatchkeyRuntime runtime = pending;
    if (runtime == null) {
      return;
    }
    pending = null;
    ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
    beanFactory.registerSingleton(RUNTIME_BEAN, runtime);
    beanFactory.registerSingleton(SECRETS_BEAN, runtime.secrets());
    if (beanFactory instanceof BeanDefinitionRegistry definitions) {
      // Created when first asked for, which waits for the load: not now, while it runs.
      RootBeanDefinition resolver =
          new RootBeanDefinition(SecretResolver.class, () -> runtime.resolver());
      resolver.setLazyInit(true);
      // Not inferred (it is AutoCloseable): the runtime, registered first as a disposable bean,
      // closes it after every bean that uses it.
      resolver.setDestroyMethodName("");
      definitions.registerBeanDefinition(RESOLVER_BEAN, resolver);
    } else {
      beanFactory.registerSingleton(RESOLVER_BEAN, runtime.resolver());
    }
    beanFactory.registerSingleton(GATE_BEAN, new StartupGate(runtime));
    beanFactory.registerSingleton(
        PLAIN_STRING_BEAN, PlainStringBindHandler.advisor(runtime.settings()));
    context.addBeanFactoryPostProcessor(new SchemaCheck(runtime, context));
    beanFactory.addBeanPostProcessor(new ConversionServiceBeanPostProcessor());
    SecretTypeConverter.install(beanFactory, runtime);
    context.addBeanFactoryPostProcessor(bf -> SecretExpressionResolver.install(bf, runtime));
    if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
      // Registered first, so destroyed after every bean that was created from the resolver.
      registry.registerDisposableBean(RUNTIME_BEAN, runtime);
    } else {
      context.addApplicationListener(
          (ApplicationEvent e) -> {
            if (e instanceof ContextClosedEvent) {
              runtime.destroy();
            }
          });
    }
    // First of the context's listeners: no rotation event reaches one after ContextClosedEvent.
    context.addApplicationListener(new ClosedListener(runtime, context));
    runtime.start(context);
  }

  /** Stops the runtime's rotation events and periodic check when its own context closes. */
  private record ClosedListener(LatchkeyRuntime runtime, ConfigurableApplicationContext context)
      implements GenericApplicationListener {
    @Override
    public boolean supportsEventType(ResolvableType eventType) {
      Class<?> type = eventType.getRawClass();
      return type != null && ContextClosedEvent.class.isAssignableFrom(type);
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
      // A child context's closing reaches its parent's listeners too.
      if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
        runtime.contextClosed();
      }
    }

    @Override
    public int getOrder() {
      return Ordered.HIGHEST_PRECEDENCE;
    }
  }

  /**
   * Returns the property source of the {@code latchkey:} import: the one in the environment, if it
   * was prepared before, or else the one the import's loader left in the run's bootstrap context;
   * {@code null} when the application does not import {@code latchkey:}.
   */
  static ReferencePropertySource imported(ApplicationEnvironmentPreparedEvent event) {
    return imported(event.getEnvironment(), ApplicationEnvironmentPreparedEvent.class, event);
  }

  /**
   * As {@link #imported(ApplicationEnvironmentPreparedEvent)}, for an event of a type that may have
   * no bootstrap context (then only the environment is searched).
   */
  static ReferencePropertySource imported(
      ConfigurableEnvironment environment, Class<?> eventType, Object event) {
    ReferencePropertySource found = inEnvironment(environment);
    // The bootstrap context, reached by reflection, only when the environment has no source.
    return found != null ? found : inBootstrap(Bootstrap.find(eventType, event));
  }

  private static ReferencePropertySource imported(
      ConfigurableEnvironment environment, Object bootstrap) {
    ReferencePropertySource found = inEnvironment(environment);
    return found != null ? found : inBootstrap(bootstrap);
  }

  private static ReferencePropertySource inEnvironment(ConfigurableEnvironment environment) {
    for (PropertySource<?> source : environment.getPropertySources()) {
      if (source instanceof ReferencePropertySource found) {
        return found;
      }
    }
    return null;
  }

  private static ReferencePropertySource inBootstrap(Object bootstrap) {
    return bootstrap == null ? null : Bootstrap.get(bootstrap, ReferencePropertySource.class);
  }

  /**
   * Puts the source ahead of every other, after Spring's attached view of them all (moving it, if
   * the environment holds it already).
   */
  private static void moveFirst(MutablePropertySources sources, ReferencePropertySource source) {
    sources.remove(source.getName());
    PropertySource<?> attached = null;
    for (PropertySource<?> candidate : sources) {
      if (ConfigurationPropertySources.isAttachedConfigurationPropertySource(candidate)) {
        attached = candidate;
        break;
      }
    }
    if (attached == null) {
      sources.addFirst(source);
    } else {
      sources.addAfter(attached.getName(), source);
    }
  }

  /**
   * Teaches the environment's conversion service (which Boot also gives the bean factory, so
   * {@code @Value} and {@code @ConfigurationProperties} use it) to turn a resolved value into a
   * {@link Secret}, a {@code String} or any type a string converts to.
   */
  private static void addConverters(ConfigurableEnvironment environment) {
    ConfigurableConversionService service = environment.getConversionService();
    try {
      ResolvedValueConverter.register(service, service);
    } catch (UnsupportedOperationException e) {
      throw new ConfigException(
          "spring.config.import=latchkey:",
          "the environment's conversion service is shared and cannot be extended: let Spring"
              + " Boot give the environment its own (SpringApplication.setAddConversionService)");
    }
  }

  /**
   * Returns the customizers listed in {@code spring.factories} and the one in the bootstrap
   * registry.
   */
  private static List<SecretResolverCustomizer> customizers(Object bootstrap) {
    List<SecretResolverCustomizer> found =
        new ArrayList<>(
            SpringFactoriesLoader.loadFactories(
                SecretResolverCustomizer.class,
                LatchkeyApplicationListener.class.getClassLoader()));
    if (bootstrap != null) {
      SecretResolverCustomizer customizer =
          Bootstrap.get(bootstrap, SecretResolverCustomizer.class);
      if (customizer != null) {
        found.add(customizer);
      }
    }
    return found;
  }
}
