package io.latchkey.microprofile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.resolver.ProviderHealth;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.MutableClock;
import io.smallrye.config.SmallRyeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MicroProfile reads a property at each {@code getValue}, and the interceptor asks the resolver
 * each time, so a rotated secret reaches the next read once the resolver's cache has refreshed.
 * Time is a clock moved by hand, and refreshes run on the reading thread: nothing sleeps.
 */
final class RotationTest {
  private static final Map<String, String> PROPERTIES =
      Map.of("db.password", "ref+aws:prod/db#password");

  private final MutableClock clock = new MutableClock();
  private final List<String> changes = new CopyOnWriteArrayList<>();
  private SecretResolver resolver;
  private SmallRyeConfig config;

  @BeforeEach
  void setUp() {
    FakeSecrets.reset();
    FakeSecrets.put("prod/db", "{\"password\":\"old-pw-5a1e9c3b7d\"}");
    resolver =
        SecretResolver.builder()
            .provider(new FakeAwsProviderFactory.Provider())
            .clock(clock)
            .executor(Runnable::run)
            .ttl(Duration.ofMinutes(1))
            .jitter(0)
            .maxStale(Duration.ofMinutes(10))
            .retry(1, Duration.ofMillis(1), Duration.ofMillis(1))
            .build();
    resolver.addListener(
        SecretRef.parse("aws:prod/db#password"),
        (ref, oldVersion, newVersion) ->
            changes.add(oldVersion.orElse("?") + "->" + newVersion.orElse("?")));
    config = Configs.with(PROPERTIES, SecretReferences.using(resolver));
  }

  @AfterEach
  void tearDown() {
    resolver.close();
  }

  @Test
  void rotatedSecret_isReturnedByTheNextReadAfterTheCacheRefreshes() {
    assertThat(password()).isEqualTo("old-pw-5a1e9c3b7d");

    FakeSecrets.put("prod/db", "{\"password\":\"new-pw-2f8b4d6a0c\"}");
    assertThat(password()).as("still fresh in the cache").isEqualTo("old-pw-5a1e9c3b7d");

    clock.advance(Duration.ofMinutes(1));
    assertThat(password()).isEqualTo("new-pw-2f8b4d6a0c");
    assertThat(config.getValue("db.password", Secret.class).reveal())
        .isEqualTo("new-pw-2f8b4d6a0c");
    assertThat(changes).containsExactly("v1->v2");
    assertThat(FakeSecrets.FETCHES).hasValue(2);
  }

  @Test
  void providerDown_servesTheLastValueStale_thenFailsPastMaxStale() {
    assertThat(password()).isEqualTo("old-pw-5a1e9c3b7d");
    FakeSecrets.down = true;

    clock.advance(Duration.ofMinutes(2));
    assertThat(password()).isEqualTo("old-pw-5a1e9c3b7d");
    assertThat(resolver.health().get("aws").status()).isEqualTo(ProviderHealth.Status.DEGRADED);
    assertThat(resolver.health().get("aws").lastErrorKind()).isPresent();

    clock.advance(Duration.ofMinutes(10));
    assertThatThrownBy(this::password)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("db.password")
        .hasMessageContaining("unavailable")
        .hasMessageNotContaining("old-pw-5a1e9c3b7d");

    FakeSecrets.down = false;
    assertThat(password()).isEqualTo("old-pw-5a1e9c3b7d");
    assertThat(resolver.health().get("aws").status()).isEqualTo(ProviderHealth.Status.OK);
  }

  private String password() {
    return config.getValue("db.password", String.class);
  }
}
