package io.latchkey.provider.env;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.SecretRef;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.MutableClock;
import io.latchkey.testsupport.Reachability;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider the application keeps (registered with {@code provider(...)}, which the resolver does
 * not close) and shares with resolvers built and closed one after another, as a service that
 * rebuilds its resolver on a configuration reload, or a test suite that restarts contexts, does:
 * each resolver withdraws its change callback when it is closed, so the provider keeps none of
 * them.
 */
final class SharedProviderTest {
  private static final SecretRef DB = SecretRef.parse("env:DB_PASSWORD");

  @TempDir Path dir;

  @Test
  void removeOnChange_dropsThatCallback_andKeepsTheOthers() {
    Path file = Testing.write(dir.resolve("db"), "one-value-of-the-password");
    try (EnvSecretProvider env =
        EnvSecretProvider.builder()
            .environment(Map.of("DB_PASSWORD_FILE", file.toString()))
            .noDotenv()
            .pollInterval(Duration.ZERO)
            .build()) {
      AtomicInteger kept = new AtomicInteger();
      AtomicInteger withdrawn = new AtomicInteger();
      Runnable withdrawnCallback = withdrawn::incrementAndGet;
      env.onChange(kept::incrementAndGet);
      env.onChange(withdrawnCallback);
      env.removeOnChange(withdrawnCallback);
      env.removeOnChange(() -> {}); // not registered: ignored
      assertThat(env.fetch(DB).value().reveal()).isEqualTo("one-value-of-the-password");

      Testing.write(file, "two-value-of-the-password");
      env.poll();
      env.poll();

      assertThat(env.fetch(DB).value().reveal()).isEqualTo("two-value-of-the-password");
      assertThat(kept).hasValue(1);
      assertThat(withdrawn).hasValue(0);
    }
  }

  @Test
  void closedResolvers_areNotKeptAliveByTheProviderTheyShared() {
    Path file = Testing.write(dir.resolve("db"), "one-value-of-the-password");
    EnvSecretProvider env =
        EnvSecretProvider.builder()
            .environment(Map.of("DB_PASSWORD_FILE", file.toString()))
            .noDotenv()
            .pollInterval(Duration.ZERO)
            .build();
    List<WeakReference<SecretResolver>> closed = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      SecretResolver resolver =
          SecretResolver.builder()
              .provider(env)
              .clock(new MutableClock())
              .executor(Runnable::run)
              .build();
      assertThat(resolver.resolve(DB).reveal()).isEqualTo("one-value-of-the-password");
      resolver.close();
      closed.add(new WeakReference<>(resolver));
    }

    assertThat(Reachability.stillReachable(closed))
        .as("closed resolvers still reachable from the shared provider")
        .isZero();
    env.close();
  }
}
