package io.latchkey.resolver;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.CapturingSlf4jProvider;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Canary values go through every path of the resolver and come out of none but reveal(). */
final class ResolverCanaryTest {
  private static final String CANARY = "CANARY-7f3a9c";

  private final MutableClock clock = new MutableClock();
  private final List<Throwable> thrown = new ArrayList<>();
  private final List<String> strings = new ArrayList<>();

  @Test
  void canaryValues_neverLeaveThroughMessagesLogsToStringOrHealth() {
    FakeProvider fake =
        new FakeProvider("fake")
            .put("db", CANARY + "-pw1")
            .put("json", "{\"user\":\"" + CANARY + "-user\",\"password\":\"" + CANARY + "-p\"}");
    SecretResolverTest.TestProvider crashes =
        new SecretResolverTest.TestProvider("crashes") {
          @Override
          public SecretVersion fetch(SecretRef ref) {
            throw new IllegalArgumentException("bad response body: " + CANARY);
          }
        };
    SecretResolver r =
        SecretResolver.builder()
            .provider(fake)
            .provider(crashes)
            .clock(clock)
            .executor(Runnable::run)
            .ttl(ofSeconds(100))
            .jitter(0)
            .retry(2, ofMillis(1), ofMillis(1))
            .maxStale(Duration.ofMinutes(1))
            .build();
    SecretRef db = SecretRef.parse("fake:db");
    r.addListener((ref, before, after) -> strings.add(ref + " " + before + " " + after));
    r.addListener(
        (ref, before, after) -> {
          throw new IllegalStateException("listener saw " + CANARY);
        });

    Secret secret = r.resolve(db);
    assertThat(secret.reveal()).isEqualTo(CANARY + "-pw1"); // the one way out
    strings.add(secret.toString());
    assertThat(r.resolve("fake:json#password").reveal()).isEqualTo(CANARY + "-p");

    // Rotation (listeners), then a failing provider (stale warning), then past max stale.
    fake.put("db", CANARY + "-pw2");
    clock.advance(ofSeconds(100));
    r.resolve(db);
    clock.advance(ofSeconds(100));
    for (int i = 0; i < 2; i++) {
      fake.failNext(() -> new ProviderException(db, Kind.UNAVAILABLE, "backend down"));
    }
    r.resolve(db);
    strings.add(r.health().toString());
    clock.advance(Duration.ofMinutes(2));
    for (int i = 0; i < 2; i++) {
      fake.failNext(() -> new ProviderException(db, Kind.THROTTLED, "slow down"));
    }
    capture(() -> r.resolve(db));

    // Field errors on values that hold the canary, a crashing provider, and a prefetch summary.
    capture(() -> r.resolve("fake:json#token"));
    capture(() -> r.resolve("fake:db#password"));
    capture(() -> r.resolve("crashes:x"));
    capture(
        () ->
            r.prefetch(
                List.of(
                    SecretRef.parse("fake:json#token"),
                    SecretRef.parse("crashes:y"),
                    SecretRef.parse("fake:db"))));
    strings.add(r.toString());
    strings.add(r.health().toString());
    strings.add(SecretVersion.of(Secret.of(CANARY), "v1", Instant.EPOCH).toString());
    r.close();

    assertThat(thrown).hasSize(5);
    Leaks.assertNoLeak(thrown, CANARY);
    List<CapturingSlf4jProvider.Event> events = CapturingSlf4jProvider.allEvents();
    assertThat(events).isNotEmpty();
    events.forEach(e -> strings.add(e.text()));
    assertThat(strings).isNotEmpty();
    for (String s : strings) {
      Leaks.assertNoLeak("an output", s, CANARY);
    }
  }

  private void capture(Runnable action) {
    Throwable t = catchThrowable(action::run);
    assertThat(t).isNotNull();
    thrown.add(t);
  }
}
