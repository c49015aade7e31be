package io.latchkey.provider.gcp;

import static io.latchkey.provider.gcp.Testing.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.provider.gcp.testing.FakeSecretManager;
import io.latchkey.provider.gcp.testing.FakeSecretManager.Failure;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End to end through core's {@link SecretResolver}: the cache keeps a version while {@code
 * GetSecretVersion} says it is current, picks up a new one, tells listeners, and serves a stale
 * value while the service fails.
 */
final class ResolverIntegrationTest {
  private static final SecretRef PASSWORD = SecretRef.parse("gcp:db#password");

  private record Change(SecretRef ref, Optional<String> before, Optional<String> after) {}

  private FakeSecretManager gcp;
  private GcpSecretProvider provider;
  private SecretResolver resolver;
  private final MutableClock clock = new MutableClock();
  private final List<Change> changes = new CopyOnWriteArrayList<>();
  private final CountDownLatch changed = new CountDownLatch(1);

  @BeforeEach
  void start() {
    gcp = FakeSecretManager.start();
    provider = GcpSecretProvider.fromEnvironment(gcp.environment());
    resolver =
        SecretResolver.builder()
            .provider(provider)
            .clock(clock)
            // A read after expiry no longer waits for the refresh; run it on the reading thread
            // so that each read sees its outcome.
            .executor(Runnable::run)
            .ttl(Duration.ofMinutes(1))
            .jitter(0)
            .refreshAhead(1)
            .maxStale(Duration.ofMinutes(30))
            .retry(1, Duration.ofMillis(10), Duration.ofMillis(10))
            .build();
    resolver.addListener(
        PASSWORD,
        (ref, before, after) -> {
          changes.add(new Change(ref, before, after));
          changed.countDown();
        });
  }

  @AfterEach
  void stop() {
    resolver.close();
    provider.close();
    gcp.close();
  }

  private String resolve() {
    return resolver.resolve(PASSWORD).reveal();
  }

  @Test
  void unchangedVersion_isKeptWithoutFetching_andANewVersionIsPickedUpAndAnnounced() {
    gcp.addVersion("db", utf8("{\"password\":\"one\"}"));

    assertThat(resolve()).isEqualTo("one");
    assertThat(gcp.requests("AccessSecretVersion")).isEqualTo(1);

    clock.advance(Duration.ofMinutes(2));
    assertThat(resolve()).isEqualTo("one");
    assertThat(gcp.requests("GetSecretVersion")).isEqualTo(1);
    assertThat(gcp.requests("AccessSecretVersion")).as("kept, not fetched again").isEqualTo(1);
    assertThat(changes).isEmpty();

    gcp.addVersion("db", utf8("{\"password\":\"two\"}"));
    clock.advance(Duration.ofMinutes(2));
    assertThat(resolve()).isEqualTo("two");
    assertThat(gcp.requests("GetSecretVersion")).isEqualTo(2);
    assertThat(gcp.requests("AccessSecretVersion")).isEqualTo(2);
    assertThat(changes).containsExactly(new Change(PASSWORD, Optional.of("1"), Optional.of("2")));
  }

  @Test
  void failingService_servesTheStaleValue_untilItRecovers() throws InterruptedException {
    gcp.addVersion("db", utf8("{\"password\":\"one\"}"));
    assertThat(resolve()).isEqualTo("one");

    gcp.fail(Failure.UNAVAILABLE);
    clock.advance(Duration.ofMinutes(2));
    assertThat(resolve()).isEqualTo("one");
    assertThat(resolver.health().get("gcp").staleReferences()).isEqualTo(1);

    gcp.clearFailures();
    gcp.addVersion("db", utf8("{\"password\":\"two\"}"));
    clock.advance(Duration.ofMinutes(2));
    // A stale value is rechecked in the background: this read starts the reload, and the listener
    // hears when it has replaced the value.
    assertThat(resolve()).isIn("one", "two");
    assertThat(changed.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(resolve()).isEqualTo("two");
    assertThat(resolver.health().get("gcp").staleReferences()).isZero();
  }

  @Test
  void disabledVersion_isNeverServedStale() {
    gcp.addVersion("db", utf8("{\"password\":\"one\"}"));
    assertThat(resolve()).isEqualTo("one");

    gcp.disableVersion("db", 1);
    clock.advance(Duration.ofMinutes(2));

    assertThat(catchThrowableOfType(SecretNotFoundException.class, this::resolve).reason())
        .isEqualTo("version 1 is DISABLED, not ENABLED");
  }

  @Test
  void prefetch_fetchesInOneBatch_andListsEveryFailure() {
    List<SecretRef> refs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      gcp.addVersion("s" + i, utf8("v" + i));
      refs.add(SecretRef.parse("gcp:s" + i));
    }
    refs.add(SecretRef.parse("gcp:missing"));
    refs.add(SecretRef.parse("gcp:s1#field"));

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> resolver.prefetch(refs));

    assertThat(e.problems())
        .extracting(ConfigException.Problem::setting)
        .containsExactly("gcp:missing", "gcp:s1#field");
    assertThat(resolver.resolve(SecretRef.parse("gcp:s7")).reveal()).isEqualTo("v7");
    // The batch: one call per secret, s1 once for both its references (21); then each failure
    // fetched alone, which says why (2).
    assertThat(gcp.requests("AccessSecretVersion")).isEqualTo(23);
  }
}
