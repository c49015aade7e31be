package io.latchkey.spring;

import io.latchkey.resolver.SecretProviders;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Keeps the loggers that print credentials at their debug levels at {@code INFO}, for an
 * application that imports {@code latchkey:} and has not set them itself: with {@code
 * logging.level.root=debug}, which Spring Boot also passes on to {@code java.util.logging}, the
 * JDK's {@code HttpURLConnection} would log every request's headers (an AWS session token under the
 * AWS SDK's URL-connection client), the AWS SDK's signer its canonical request (the same token),
 * and gRPC's Netty transport each frame (GCP's access token, and secret values). The loggers are
 * those the providers on the class path declare ({@link SecretProviders#credentialLoggers()}), so a
 * provider of another module is covered too, and the loggers of a library no provider uses are left
 * alone.
 *
 * <p>The levels are added as the environment's last property source, so that any {@code
 * logging.level.*} the application sets wins; and none is added for a logger the application has
 * set a level on, or on a package above it (other than the root), since that is a choice to see its
 * output.
 */
final class LatchkeyLoggingDefaults extends EnvironmentPreparedListener {
  /** After the config data imports are loaded, before the logging system reads the levels. */
  static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 12;

  /** The name of the property source of the levels: {@value}. */
  static final String SOURCE = "latchkeyLoggingDefaults";

  LatchkeyLoggingDefaults() {
    super(ORDER);
  }

  /** Adds the levels the application has not set, when it imports {@code latchkey:}. */
  @Override
  void prepared(ConfigurableEnvironment environment, ReferencePropertySource source) {
    if (environment.getPropertySources().contains(SOURCE)) {
      return;
    }
    Map<String, Object> levels = new LinkedHashMap<>();
    for (String logger : SecretProviders.credentialLoggers()) {
      if (!setByTheApplication(environment, logger)) {
        levels.put("logging.level." + logger, "INFO");
      }
    }
    if (!levels.isEmpty()) {
      environment.getPropertySources().addLast(new MapPropertySource(SOURCE, levels));
    }
  }

  /** Whether the application sets a level on the logger or on a package above it. */
  private static boolean setByTheApplication(ConfigurableEnvironment environment, String logger) {
    String name = logger;
    while (true) {
      if (environment.containsProperty("logging.level." + name)) {
        return true;
      }
      int dot = name.lastIndexOf('.');
      if (dot < 0) {
        return false;
      }
      name = name.substring(0, dot);
    }
  }
}
