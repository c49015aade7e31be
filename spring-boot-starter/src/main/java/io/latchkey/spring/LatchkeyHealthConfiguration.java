package io.latchkey.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;

/**
 * The {@code latchkey} health indicator on Spring Boot 4, whose health API is in {@code
 * spring-boot-health}. {@code Boot3HealthConfiguration} (in {@code src/main/boot3}) is its Boot 3
 * twin.
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(LatchkeySecrets.class)
@ConditionalOnProperty(name = "management.health.latchkey.enabled", matchIfMissing = true)
class LatchkeyHealthConfiguration {

  @Bean
  HealthIndicator latchkeyHealthIndicator(LatchkeySecrets secrets, LatchkeyRuntime runtime) {
    return () -> {
      HealthView view = HealthView.of(secrets, runtime);
      return Health.status(new Status(view.status())).withDetails(view.details()).build();
    };
  }
}
