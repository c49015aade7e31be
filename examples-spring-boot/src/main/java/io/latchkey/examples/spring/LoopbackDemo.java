package io.latchkey.examples.spring;

import io.latchkey.provider.aws.testing.FakeSecretsManager;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;

/**
 * Runs {@link NotesApplication} against a loopback AWS Secrets Manager that speaks the service's
 * real protocol, holding the two secrets the application's properties name. No cloud account is
 * needed.
 *
 * <pre>
 * ./mvnw -B -q -pl examples-spring-boot -am -DskipTests package exec:java
 * curl localhost:8080/actuator/health
 * curl localhost:8080/actuator/latchkey
 * </pre>
 */
public final class LoopbackDemo {
  private LoopbackDemo() {}

  /**
   * Starts the loopback Secrets Manager and the application.
   *
   * @param args more Spring Boot arguments, such as {@code --server.port=8081}
   */
  public static void main(String[] args) {
    FakeSecretsManager aws = FakeSecretsManager.start();
    aws.putSecretString("notes/db", "{\"username\":\"app\",\"password\":\"" + random() + "\"}");
    aws.putSecretString("notes/partner", "{\"token\":\"pk_live_" + random() + "\"}");
    // The provider's settings, as a deployment would set them in the environment; passed as
    // default properties, never as arguments, since one of them is a credential.
    Map<String, Object> settings = new LinkedHashMap<>();
    aws.environment().forEach((name, value) -> settings.put("latchkey.environment." + name, value));
    SpringApplication app = new SpringApplication(NotesApplication.class);
    app.setDefaultProperties(settings);
    app.run(args);
  }

  private static String random() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
