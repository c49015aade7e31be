package io.latchkey.spring;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The {@code latchkey} health indicator on Spring Boot 3, whose health API is in {@code
 * spring-boot-actuator}; compiled against Boot 3 (see the module's build) and never loaded on Boot
 * 4. {@link LatchkeyHealthConfiguration} is its Boot 4 twin.
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnBean(LatchkeySecrets.class)
@ConditionalOnProperty(name = "management.health.latchkey.enabled", matchIfMissing = true)
class Boot3HealthConfiguration {

  @Bean
  HealthIndicator latchkeyHealthIndicator(LatchkeySecrets secrets, LatchkeyRuntime runtime) {
    return () -> {
      HealthView view = HealthView.of(secrets, runtime);
      return Health.status(new Status(view.status())).withDetails(view.details()).build();
    };
  }
}
