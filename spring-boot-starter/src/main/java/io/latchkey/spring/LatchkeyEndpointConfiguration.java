package io.latchkey.spring;

import io.latchkey.config.Config;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/** The {@link LatchkeyEndpoint}, where the actuator is present and the endpoint is exposed. */
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
}
