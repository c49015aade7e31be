package io.latchkey.resolver;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.testsupport.LogCapture;
import io.latchkey.testsupport.MutableClock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A refresh ahead of expiry that fails keeps the value held: health counts the reference as stale
 * from its expiry and failed from its stale deadline whether or not anything reads it, and a
 * prefetch neither skips it nor passes over the failure; a refresh that finds the secret gone
 * clears that mark (the provider answered) and makes a prefetch say so; and the recovery is logged
 * whenever health had counted the reference.
 */
final class FailedRefreshTest {
  private static final SecretRef DB = SecretRef.parse("fake:db");
  private final MutableClock clock = new MutableClock();
  private final FakeProvider fake = new FakeProvider("fake").put("db", "pw1");
  private SecretResolver resolver;

  @AfterEach
  void close() {
    if (resolver != null) {
      resolver.close();
    }
  }

  private void build() {
    resolver =
        SecretResolver.builder()
            .clock(clock)
            .executor(Runnable::run)
            .ttl(ofSeconds(100))
            .jitter(0)
            .refreshAhead(0.5)
            .maxStale(ofMinutes(10))
            .failureRecheck(ofSeconds(5))
            .retry(1, ofMillis(1), ofMillis(1))
            .random(() -> 0.5)
            .sleeper(ms -> {})
            .provider(fake)
            .build();
  }

  private void failTheRefreshAhead() {
    resolver.resolve(DB);
    clock.advance(ofSeconds(60)); // past the refresh time, before expiry at 100 s
    fake.failNext(() -> new ProviderException(DB, Kind.UNAVAILABLE, "down"));
    assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw1");
  }

  @Test
  void health_countsAnUnreadReference_staleFromItsExpiry_andFailedPastItsStaleDeadline() {
    build();
    failTheRefreshAhead();
    ProviderHealth fresh = resolver.health().get("fake");
    assertThat(fresh.status()).isEqualTo(ProviderHealth.Status.DEGRADED); // the call failed
    assertThat(fresh.staleReferences()).isZero();
    assertThat(fresh.failedReferences()).isZero();

    clock.advance(ofSeconds(41)); // past expiry, nothing read
    ProviderHealth stale = resolver.health().get("fake");
    assertThat(stale.status()).isEqualTo(ProviderHealth.Status.DEGRADED);
    assertThat(stale.staleReferences()).isEqualTo(1);
    assertThat(stale.failedReferences()).isZero();

    clock.advance(ofMinutes(10)); // past expiry + maxStale, nothing read
    ProviderHealth failed = resolver.health().get("fake");
    assertThat(failed.status()).as("%s", failed).isEqualTo(ProviderHealth.Status.FAILED);
    assertThat(failed.failedReferences()).isEqualTo(1);
    assertThat(failed.staleReferences()).isZero();
    // And a read agrees: nothing to serve while the provider still fails.
    fake.failNext(() -> new ProviderException(DB, Kind.UNAVAILABLE, "down"));
    assertThatThrownBy(() -> resolver.resolve(DB)).isInstanceOf(ProviderException.class);
  }

  @Test
  void health_isOkAgain_onceALaterRefreshSucceeds() {
    build();
    failTheRefreshAhead();
    clock.advance(ofSeconds(6)); // past the re-check
    assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw1"); // the refresh succeeds
    clock.advance(ofMinutes(20));
    ProviderHealth h = resolver.health().get("fake");
    assertThat(h.staleReferences()).isZero();
    assertThat(h.failedReferences()).isZero();
    assertThat(h.status()).isEqualTo(ProviderHealth.Status.OK);
  }

  @Test
  void prefetch_ofAReferencePastItsRefreshTime_whoseProviderFails_listsTheFailure() {
    build();
    resolver.resolve(DB);
    clock.advance(ofSeconds(60));
    fake.failNext(() -> new ProviderException(DB, Kind.UNAVAILABLE, "down"));
    int before = fake.fetches.get() + fake.versionChecks.get();

    assertThatThrownBy(() -> resolver.prefetch(List.of(DB)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("fake:db")
        .hasMessageContaining("the value held is served until it expires");
    assertThat(fake.fetches.get() + fake.versionChecks.get()).isEqualTo(before + 1);
    // The value is still served.
    assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw1");
  }

  @Test
  void prefetch_rightAfterAFailedRefresh_asksAgain_ratherThanTakingTheValueForFresh() {
    build();
    failTheRefreshAhead();
    clock.advance(ofSeconds(1)); // before the re-check
    fake.failNext(() -> new ProviderException(DB, Kind.UNAVAILABLE, "down"));
    int before = fake.fetches.get() + fake.versionChecks.get();
    assertThatThrownBy(() -> resolver.prefetch(List.of(DB))).isInstanceOf(ConfigException.class);
    assertThat(fake.fetches.get() + fake.versionChecks.get()).isEqualTo(before + 1);

    // Once the provider answers, the prefetch passes, and the next one skips the fresh value.
    resolver.prefetch(List.of(DB));
    int after = fake.fetches.get() + fake.versionChecks.get();
    resolver.prefetch(List.of(DB));
    assertThat(fake.fetches.get() + fake.versionChecks.get()).isEqualTo(after);
  }

  /**
   * t=60 the refresh fails (unavailable): kept and marked. t=66 the provider answers that the
   * secret is gone: a non-servable failure, which StaleOnErrorLink handles with recheckAt, and
   * recheckAt carries the old UNAVAILABLE mark along.
   */
  private void failThenGone() {
    resolver.resolve(DB);
    clock.advance(ofSeconds(60));
    fake.failNext(() -> new ProviderException(DB, Kind.UNAVAILABLE, "down"));
    assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw1");
    clock.advance(ofSeconds(6)); // past the re-check, before expiry at 100 s
    fake.remove("db"); // the provider is back, and says the secret is gone
    assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw1"); // refresh finds "not found"
  }

  @Test
  void health_pastExpiry_afterTheProviderSaidGone_doesNotCountAStaleValueThatWillNotBeServed() {
    build();
    failThenGone();
    clock.advance(ofSeconds(35)); // t=101: past expiry, nothing read
    ProviderHealth h = resolver.health().get("fake");
    // The read below gets nothing: there is no stale value being served.
    Throwable read = catchThrowable(() -> resolver.resolve(DB));
    assertThat(read).isInstanceOf(SecretNotFoundException.class);
    assertThat(h.staleReferences()).as("health before that read: %s", h).isZero();
  }

  @Test
  void prefetch_afterTheProviderSaidGone_doesNotReportTheProviderAsUnavailable() {
    build();
    failThenGone();
    clock.advance(ofSeconds(1));
    Throwable thrown = catchThrowable(() -> resolver.prefetch(List.of(DB)));
    // The provider answered (not found) on this very prefetch; it is not unavailable.
    assertThat(thrown).isInstanceOf(ConfigException.class);
    assertThat(thrown.getMessage())
        .doesNotContain("unavailable")
        .contains("fake:db: the secret is gone; the value held is served until it expires");
  }

  @Test
  void health_reportedFailed_thenAReadServesAFreshValue_logsProviderRecovered() {
    build();
    resolver.resolve(DB);
    clock.advance(ofSeconds(60));
    fake.failNext(() -> new ProviderException(DB, Kind.UNAVAILABLE, "down"));
    assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw1");
    clock.advance(ofMinutes(11)); // past expiry + maxStale, nothing read
    assertThat(resolver.health().get("fake").status()).isEqualTo(ProviderHealth.Status.FAILED);
    try (LogCapture log = LogCapture.start()) {
      assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw1"); // the provider answers again
      assertThat(resolver.health().get("fake").status()).isEqualTo(ProviderHealth.Status.OK);
      assertThat(log.text()).contains("provider recovered");
    }
  }

  @Test
  void recoveredIsLogged_whenTheStaleStateWasReachedThroughARead() {
    build();
    resolver.resolve(DB);
    clock.advance(ofSeconds(101)); // past expiry
    fake.failNext(() -> new ProviderException(DB, Kind.UNAVAILABLE, "down"));
    assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw1"); // served stale
    clock.advance(ofSeconds(6));
    try (LogCapture log = LogCapture.start()) {
      assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw1");
      assertThat(log.text()).contains("provider recovered");
    }
  }

  @Test
  void goneBeforeExpiry_thenProviderDownAtExpiry_isNotServedPastExpiry() {
    build();
    resolver.resolve(DB);
    clock.advance(ofSeconds(60)); // refresh time passed
    fake.remove("db");
    assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw1"); // the refresh finds it gone
    Throwable prefetch = catchThrowable(() -> resolver.prefetch(List.of(DB)));
    assertThat(prefetch)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("the value held is served until it expires");

    clock.advance(ofSeconds(45)); // t=105: past expiry (100 s)
    fake.failNext(() -> new ProviderException(DB, Kind.UNAVAILABLE, "down"));
    Throwable read = catchThrowable(() -> resolver.resolve(DB).reveal());
    assertThat(read)
        .as("a value the provider said is gone, read past the expiry it was to be served until")
        .isInstanceOf(SecretNotFoundException.class);
  }
}
