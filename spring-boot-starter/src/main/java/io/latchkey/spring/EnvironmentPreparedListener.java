package io.latchkey.spring;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * A listener that acts once the environment is prepared, when the application imports {@code
 * latchkey:}, at its own place among Spring Boot's listeners: the config data imports are loaded by
 * then, and the logging system, which listens to the same event later, is not set up yet.
 */
abstract class EnvironmentPreparedListener implements GenericApplicationListener {
  private final int order;

  EnvironmentPreparedListener(int order) {
    this.order = order;
  }

  /**
   * Acts on the prepared environment of an application that imports {@code latchkey:}; {@code
   * source} is the import's property source, filled once {@link LatchkeyApplicationListener} has
   * run.
   */
  abstract void prepared(ConfigurableEnvironment environment, ReferencePropertySource source);

  @Override
  public final boolean supportsEventType(ResolvableType eventType) {
    Class<?> type = eventType.getRawClass();
    return type != null && ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type);
  }

  @Override
  public final int getOrder() {
    return order;
  }

  @Override
  public final void onApplicationEvent(ApplicationEvent event) {
    if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
      ReferencePropertySource source = LatchkeyApplicationListener.imported(prepared);
      if (source != null) {
        prepared(prepared.getEnvironment(), source);
      }
    }
  }
}
