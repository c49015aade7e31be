package io.latchkey.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.redact.Redactor;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.LogCanary;
import io.latchkey.testsupport.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An installed redactor that follows a resolver goes on redacting through a rotation: the new value
 * from the moment the resolver reports it, and the old one still.
 */
final class RotationTest {
  private static final SecretRef TOKEN_REF = SecretRef.parse("vault:payments#token");
  private static final Duration TTL = Duration.ofMinutes(5);
  private static final String OLD = "old-token-Qv7zX-k3Lm9";
  private static final String NEW = "new-token-Wp2cR-h8Tn4";

  @TempDir Path dir;

  /** A secret manager holding one value, which the test replaces. */
  private static final class Manager implements SecretProvider {
    private volatile String value = OLD;
    private volatile int version = 1;

    @Override
    public String name() {
      return "vault";
    }

    @Override
    public SecretVersion fetch(SecretRef ref) {
      return SecretVersion.of(Secret.of(value), "v" + version, Instant.EPOCH);
    }

    @Override
    public Optional<ConfigValue> get(String name) {
      return Optional.empty();
    }

    @Override
    public String description() {
      return "one value";
    }
  }

  @Test
  void rotation_whileInstalled_redactsTheNewValueAndTheOld() throws Exception {
    MutableClock clock = new MutableClock();
    Manager manager = new Manager();
    LoggerContext context = LogbackFileTest.configured("logback-encoder.xml", dir);
    Logger log = context.getLogger(LogCanary.LOGGER);

    try (SecretResolver resolver =
            SecretResolver.builder()
                .provider(manager)
                .clock(clock)
                .executor(Runnable::run)
                .ttl(TTL)
                .jitter(0)
                .build();
        Redactor redactor =
            Redactor.builder()
                .resolver(resolver)
                .track("PAYMENT_TOKEN", TOKEN_REF)
                .mask(Redactor.Mask.NAME)
                .build()) {
      LatchkeyLogback installed = LatchkeyLogback.install(redactor);
      log.debug("before the rotation: {}", OLD);

      manager.value = NEW;
      manager.version = 2;
      clock.advance(TTL.multipliedBy(2));
      Secret current = resolver.resolve(TOKEN_REF);
      current.wipe();

      log.debug("after the rotation: {} (was {})", NEW, OLD);
      installed.close();
    } finally {
      context.stop();
    }

    assertThat(Files.readString(dir.resolve("app.log")))
        .contains("before the rotation: [PAYMENT_TOKEN]")
        .contains("after the rotation: [PAYMENT_TOKEN] (was [PAYMENT_TOKEN])")
        .doesNotContain(OLD)
        .doesNotContain(NEW);
  }
}
