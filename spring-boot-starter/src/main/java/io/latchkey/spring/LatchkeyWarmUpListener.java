package io.latchkey.spring;

import io.latchkey.resolver.SecretProviders;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Starts warming up the providers the application's references use ({@link
 * io.latchkey.spi.SecretProviderFactory#warmUp()}, on the {@code latchkey-warm-up} thread) as soon
 * as every config data import is loaded: before Spring sets up logging, which {@link
 * LatchkeyApplicationListener} waits for, so that loading a cloud SDK's classes overlaps that too.
 *
 * <p>A warm-up contacts no backend and logs nothing above DEBUG, which is why it may run before
 * logging is set up when the load itself may not (its warnings would be dropped).
 */
final class LatchkeyWarmUpListener implements GenericApplicationListener {
  /** Right after the environment post-processors (config data), before the logging system. */
  static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 11;

  @Override
  public boolean supportsEventType(ResolvableType eventType) {
    Class<?> type = eventType.getRawClass();
    return type != null && ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type);
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public void onApplicationEvent(ApplicationEvent event) {
    if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
      Set<String> schemes = schemes(prepared.getEnvironment());
      if (!schemes.isEmpty()) {
        Thread warmUp = new Thread(() -> SecretProviders.warmUp(schemes), "latchkey-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
      }
    }
  }

  /** The schemes of the references in the environment, when it imports {@code latchkey:}. */
  static Set<String> schemes(ConfigurableEnvironment environment) {
    ReferencePropertySource source = LatchkeyApplicationListener.find(environment);
    Set<String> schemes = new LinkedHashSet<>();
    if (source != null && source.runtime() == null) {
      for (ReferenceProperty p : EnvironmentScan.scan(environment).properties()) {
        schemes.add(p.ref().scheme());
      }
    }
    return schemes;
  }
}
