package io.latchkey.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * A small notes service: its database password and its partner API token are secret references
 * ({@code ref+aws:notes/db#password}) that the Latchkey starter resolves from AWS Secrets Manager,
 * its settings are checked against {@code latchkey-schema.json} at start-up, {@code
 * /actuator/health} reports the providers and {@code /actuator/latchkey} the masked configuration.
 * A rotated database password reaches the pool without a restart.
 *
 * <p>{@link LoopbackDemo} runs it against a loopback Secrets Manager.
 */
@SpringBootApplication
@EnableConfigurationProperties(PartnerProperties.class)
public class NotesApplication {
  /**
   * Starts the service; the AWS provider reads its settings from the environment ({@code
   * AWS_REGION}, credentials, {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}).
   *
   * @param args Spring Boot's command-line arguments
   */
  public static void main(String[] args) {
    SpringApplication.run(NotesApplication.class, args);
  }
}
