package io.latchkey.spring;

import io.latchkey.config.Config;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * The {@link LatchkeyEndpoint}, where the actuator is present and the endpoint is exposed, and the
 * {@link SecretSanitizingFunction} that keeps secrets out of the actuator's other endpoints.
 */
@AutoConfiguration
@ConditionalOnClass(
    name = {
      "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
      "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"
    })
@ConditionalOnBean(LatchkeySecrets.class)
class LatchkeyEndpointConfiguration {

  @Bean
  @ConditionalOnAvailableEndpoint(endpoint = LatchkeyEndpoint.class)
  LatchkeyEndpoint latchkeyEndpoint(
      LatchkeySecrets secrets, LatchkeyRuntime runtime, ObjectProvider<Config> config) {
    return new LatchkeyEndpoint(secrets, runtime, Optional.ofNullable(config.getIfUnique()));
  }

  @Bean
  SanitizingFunction latchkeySanitizingFunction(LatchkeyRuntime runtime) {
    return new SecretSanitizingFunction(runtime);
  }
}
