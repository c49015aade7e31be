package io.latchkey.spring;

import io.latchkey.resolver.SecretProviders;
import java.util.Set;
import org.springframework.core.Ordered;
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
final class LatchkeyWarmUpListener extends EnvironmentPreparedListener {
  /** Right after the environment post-processors (config data), before the logging system. */
  static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 11;

  LatchkeyWarmUpListener() {
    super(ORDER);
  }

  @Override
  void prepared(ConfigurableEnvironment environment, ReferencePropertySource source) {
    Set<String> schemes = schemes(environment, source);
    if (!schemes.isEmpty()) {
      Thread warmUp = new Thread(() -> SecretProviders.warmUp(schemes), "latchkey-warm-up");
      warmUp.setDaemon(true);
      warmUp.start();
    }
  }

  /**
   * The schemes of the references in the environment, unless the import's source is filled already
   * (the environment was prepared before, and its providers are running).
   */
  static Set<String> schemes(ConfigurableEnvironment environment, ReferencePropertySource source) {
    return source.runtime() == null ? EnvironmentScan.schemes(environment) : Set.of();
  }
}
