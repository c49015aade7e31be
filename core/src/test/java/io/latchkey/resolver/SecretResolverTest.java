package io.latchkey.resolver;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.CapturingSlf4jProvider;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.event.Level;

final class SecretResolverTest {
  private static final Duration TTL = ofSeconds(100);
  private static final SecretRef DB = SecretRef.parse("fake:db");

  private final MutableClock clock = new MutableClock();
  private final FakeProvider fake = new FakeProvider("fake").put("db", "pw1");
  private final List<Long> waits = new CopyOnWriteArrayList<>();
  private final List<SecretResolver> opened = new ArrayList<>();

  @BeforeEach
  void clearLog() {
    CapturingSlf4jProvider.clear();
  }

  @AfterEach
  void closeAll() {
    opened.forEach(SecretResolver::close);
  }

  /** A resolver that runs everything on the calling thread, with no jitter and fixed random. */
  private SecretResolver.Builder direct(SecretProvider... providers) {
    SecretResolver.Builder b =
        SecretResolver.builder()
            .clock(clock)
            .executor(Runnable::run)
            .ttl(TTL)
            .jitter(0)
            .refreshAhead(0.5)
            .maxStale(Duration.ofMinutes(10))
            .failureRecheck(ofSeconds(5))
            .retry(3, ofMillis(100), ofMillis(1000))
            .random(() -> 0.5)
            .sleeper(waits::add);
    for (SecretProvider p : providers.length == 0 ? new SecretProvider[] {fake} : providers) {
      b.provider(p);
    }
    return b;
  }

  private SecretResolver open(SecretResolver.Builder b) {
    SecretResolver r = b.build();
    opened.add(r);
    return r;
  }

  private static Supplier<RuntimeException> failure(Kind kind) {
    return () -> new ProviderException(DB, kind, "scripted " + kind.label());
  }

  private static List<String> warnings() {
    return CapturingSlf4jProvider.events().stream()
        .filter(e -> e.level() == Level.WARN)
        .map(CapturingSlf4jProvider.Event::message)
        .collect(Collectors.toList());
  }

  // --- cache and versions ---

  @Test
  void resolve_fresh_isServedFromCache_asIndependentCopies() {
    SecretResolver r = open(direct());
    Secret first = r.resolve(DB);
    first.wipe();
    Secret second = r.resolve("fake:db");
    assertThat(second.reveal()).isEqualTo("pw1");
    assertThat(second).isNotSameAs(first);
    assertThat(fake.fetches).hasValue(1);
    assertThat(fake.versionChecks).hasValue(0);
  }

  @Test
  void resolve_inRefreshWindow_returnsCachedValue_andRefreshesOnce() {
    SecretResolver r = open(direct());
    r.resolve(DB);
    clock.advance(ofSeconds(60));
    fake.put("db", "pw2");
    // The direct executor runs the refresh before returning, but the read answers from the entry
    // it found: a refresh ahead of expiry never makes a reader wait.
    assertThat(r.resolve(DB).reveal()).isEqualTo("pw1");
    assertThat(r.resolve(DB).reveal()).isEqualTo("pw2");
    assertThat(fake.versionChecks).hasValue(1);
    assertThat(fake.fetches).hasValue(2);
  }

  @Test
  void resolve_unchangedVersion_renewsWithoutFetchingTheValue() {
    SecretResolver r = open(direct());
    r.resolve(DB);
    clock.advance(TTL.plusSeconds(1));
    assertThat(r.resolve(DB).reveal()).isEqualTo("pw1");
    clock.advance(ofSeconds(49));
    r.resolve(DB); // still fresh: the lease was renewed from the version check
    assertThat(fake.versionChecks).hasValue(1);
    assertThat(fake.fetches).hasValue(1);
  }

  @Test
  void resolve_providerWithoutVersions_fetchesAgainAfterExpiry() {
    fake.versioned = false;
    SecretResolver r = open(direct());
    r.resolve(DB);
    clock.advance(TTL);
    r.resolve(DB);
    assertThat(fake.fetches).hasValue(2);
    assertThat(fake.versionChecks).hasValue(0);
  }

  @Test
  void ttl_perReferenceBeatsPerSchemeBeatsDefault() {
    FakeProvider other = new FakeProvider("other").put("a", "1").put("b", "2");
    SecretRef a = SecretRef.parse("other:a");
    SecretRef b = SecretRef.parse("other:b");
    SecretResolver r =
        open(
            direct(fake, other)
                .refreshAhead(1)
                .ttl("other", ofSeconds(10))
                .ttl(b, ofSeconds(1000)));
    r.resolve(DB);
    r.resolve(a);
    r.resolve(b);
    clock.advance(ofSeconds(10));
    r.resolve(DB);
    r.resolve(a);
    r.resolve(b);
    assertThat(other.versionChecks).hasValue(1); // a expired, b did not
    assertThat(fake.versionChecks).hasValue(0);
    clock.advance(ofSeconds(90));
    r.resolve(DB);
    assertThat(fake.versionChecks).hasValue(1);
  }

  @Test
  void jitter_shortensEachEntryByUpToItsFraction() {
    SecretResolver r = open(direct().refreshAhead(1).jitter(0.5).random(() -> 1.0));
    r.resolve(DB);
    clock.advance(ofSeconds(49));
    r.resolve(DB);
    assertThat(fake.versionChecks).hasValue(0);
    clock.advance(ofSeconds(1));
    r.resolve(DB);
    assertThat(fake.versionChecks).hasValue(1);
  }

  @Test
  @Timeout(30)
  void resolve_fiftyConcurrentCallers_fetchOnce() throws Exception {
    SecretResolver r = open(SecretResolver.builder().provider(fake));
    CountDownLatch gate = new CountDownLatch(1);
    fake.gate = gate;
    CountDownLatch start = new CountDownLatch(1);
    List<String> seen = new CopyOnWriteArrayList<>();
    List<Thread> threads =
        IntStream.range(0, 50)
            .mapToObj(
                i ->
                    new Thread(
                        () -> {
                          try {
                            start.await();
                            seen.add(r.resolve(DB).reveal());
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                        }))
            .collect(Collectors.toList());
    threads.forEach(Thread::start);
    start.countDown();
    // Hold the one fetch until every caller is parked behind it.
    for (Thread t : threads) {
      while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
        Thread.onSpinWait();
      }
    }
    gate.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(seen).hasSize(50).containsOnly("pw1");
    assertThat(fake.fetches).hasValue(1);
  }

  // --- failures, stale values and retries ---

  @Test
  void failedRefreshAheadOfExpiry_keepsTheValue_andWaitsBeforeTryingAgain() {
    SecretResolver r = open(direct());
    r.resolve(DB);
    clock.advance(ofSeconds(60));
    fake.failNext(failure(Kind.UNAVAILABLE))
        .failNext(failure(Kind.UNAVAILABLE))
        .failNext(failure(Kind.UNAVAILABLE));
    assertThat(r.resolve(DB).reveal()).isEqualTo("pw1");
    assertThat(fake.versionChecks).hasValue(3);
    ProviderHealth h = r.health().get("fake");
    assertThat(h.status()).isEqualTo(ProviderHealth.Status.DEGRADED);
    assertThat(h.lastErrorKind()).contains(Kind.UNAVAILABLE);
    assertThat(h.lastErrorAt()).contains(clock.instant());

    r.resolve(DB); // within the recheck pause: no call
    assertThat(fake.versionChecks).hasValue(3);
    clock.advance(ofSeconds(5));
    r.resolve(DB);
    assertThat(fake.versionChecks).hasValue(4);
    assertThat(r.health().get("fake").status()).isEqualTo(ProviderHealth.Status.OK);
    assertThat(warnings()).isEmpty();
  }

  @Test
  void providerFailsAfterExpiry_servesStaleWithOneWarning_untilMaxStale() {
    SecretResolver r = open(direct().retry(1, ofMillis(100), ofMillis(100)));
    r.resolve(DB);
    clock.advance(TTL);
    fake.failNext(failure(Kind.THROTTLED));
    assertThat(r.resolve(DB).reveal()).isEqualTo("pw1");
    assertThat(warnings())
        .singleElement()
        .asString()
        .contains("fake:db")
        .contains("throttled")
        .contains("at most 600 s more");
    ProviderHealth h = r.health().get("fake");
    assertThat(h.status()).isEqualTo(ProviderHealth.Status.DEGRADED);
    assertThat(h.staleReferences()).isEqualTo(1);

    // Still failing: stale again, no second warning.
    clock.advance(ofSeconds(5));
    fake.failNext(failure(Kind.THROTTLED));
    assertThat(r.resolve(DB).reveal()).isEqualTo("pw1");
    assertThat(warnings()).hasSize(1);

    // Past the maximum stale age: the error.
    clock.advance(Duration.ofMinutes(10));
    fake.failNext(failure(Kind.THROTTLED));
    ProviderException e = catchThrowableOfType(ProviderException.class, () -> r.resolve(DB));
    assertThat(e.kind()).isEqualTo(Kind.THROTTLED);
    assertThat(e.ref()).isEqualTo(DB);
    h = r.health().get("fake");
    assertThat(h.status()).isEqualTo(ProviderHealth.Status.FAILED);
    assertThat(h.failedReferences()).isEqualTo(1);
    assertThat(h.staleReferences()).isZero();

    // Recovery.
    assertThat(r.resolve(DB).reveal()).isEqualTo("pw1");
    assertThat(r.health().get("fake").status()).isEqualTo(ProviderHealth.Status.OK);
  }

  @Test
  void staleValue_recovers_andSaysSo() {
    SecretResolver r = open(direct().retry(1, ofMillis(100), ofMillis(100)));
    r.resolve(DB);
    clock.advance(TTL);
    fake.failNext(failure(Kind.UNAVAILABLE));
    r.resolve(DB);
    clock.advance(ofSeconds(5));
    fake.put("db", "pw2");
    assertThat(r.resolve(DB).reveal()).isEqualTo("pw1"); // background refresh of the stale value
    assertThat(r.resolve(DB).reveal()).isEqualTo("pw2");
    assertThat(r.health().get("fake").staleReferences()).isZero();
    assertThat(CapturingSlf4jProvider.events())
        .anySatisfy(e -> assertThat(e.message()).contains("fake:db").contains("recovered"));
  }

  @Test
  void maxStaleZero_throwsAtExpiry() {
    SecretResolver r = open(direct().maxStale(Duration.ZERO).retry(1, ofMillis(1), ofMillis(1)));
    r.resolve(DB);
    clock.advance(TTL);
    fake.failNext(failure(Kind.UNAVAILABLE));
    assertThatThrownBy(() -> r.resolve(DB)).isInstanceOf(ProviderException.class);
  }

  @Test
  void deletedSecret_isNeverServedStale_norRetried() {
    SecretResolver r = open(direct());
    r.resolve(DB);
    fake.remove("db");
    clock.advance(TTL);
    assertThatThrownBy(() -> r.resolve(DB))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessage("secret fake:db: no such secret");
    assertThat(fake.versionChecks).hasValue(1);
    assertThat(waits).isEmpty();
    // The provider answered; its health is not the problem.
    assertThat(r.health().get("fake").status()).isEqualTo(ProviderHealth.Status.OK);
  }

  @Test
  void retry_throttledThenOk_backsOffExponentiallyWithJitter() {
    fake.failNext(failure(Kind.THROTTLED)).failNext(failure(Kind.THROTTLED));
    SecretResolver r = open(direct());
    assertThat(r.resolve(DB).reveal()).isEqualTo("pw1");
    assertThat(fake.fetches).hasValue(3);
    // random 0.5 of caps 100 and 200 ms
    assertThat(waits).containsExactly(50L, 100L);
    assertThat(r.health().get("fake").status()).isEqualTo(ProviderHealth.Status.OK);
    assertThat(r.health().get("fake").lastErrorKind()).contains(Kind.THROTTLED);
  }

  @Test
  void retry_exhausted_throwsTheLastError() {
    for (int i = 0; i < 3; i++) {
      fake.failNext(failure(Kind.UNAVAILABLE));
    }
    SecretResolver r = open(direct());
    ProviderException e = catchThrowableOfType(ProviderException.class, () -> r.resolve(DB));
    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.isRetryable()).isTrue();
    assertThat(fake.fetches).hasValue(3);
    assertThat(waits).hasSize(2);
    assertThat(r.health().get("fake").status()).isEqualTo(ProviderHealth.Status.FAILED);
  }

  @Test
  void retry_neverForAccessDeniedOrMalformedOrNotFound() {
    SecretResolver r = open(direct());
    fake.failNext(failure(Kind.ACCESS_DENIED));
    assertThatThrownBy(() -> r.resolve(DB))
        .isInstanceOf(ProviderException.class)
        .hasMessage("secret fake:db: access denied: scripted access denied");
    fake.failNext(failure(Kind.MALFORMED_RESPONSE));
    assertThatThrownBy(() -> r.resolve(DB)).isInstanceOf(ProviderException.class);
    assertThatThrownBy(() -> r.resolve("fake:missing")).isInstanceOf(SecretNotFoundException.class);
    assertThat(fake.fetches).hasValue(3);
    assertThat(waits).isEmpty();
  }

  @Test
  void retry_capGrowsExponentially_upToTheMaximum() {
    RetryLink link = new RetryLink((ref, cached) -> null, 10, 100, 1000, () -> 0, ms -> {});
    assertThat(
            List.of(link.cap(1), link.cap(2), link.cap(3), link.cap(4), link.cap(5), link.cap(70)))
        .containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
  }

  @Test
  void throttlingStorm_manyReferencesRetryWithSpreadWaits() {
    List<SecretRef> refs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      fake.put("s" + i, "v" + i);
      refs.add(SecretRef.of("fake", "s" + i));
      fake.throttleOnce.add("s" + i);
    }
    double[] next = {0};
    SecretResolver r =
        open(
            direct()
                .random(
                    () -> {
                      next[0] = (next[0] + 0.37) % 1;
                      return next[0];
                    }));
    r.prefetch(refs);
    assertThat(fake.fetches).hasValue(40);
    assertThat(waits).hasSize(20).allSatisfy(w -> assertThat(w).isBetween(0L, 100L));
    assertThat(waits.stream().distinct().count()).isGreaterThan(10);
  }

  // --- bad providers ---

  @Test
  @Timeout(30)
  void hungBackend_timesOut_withoutHoldingUpOtherReferences() {
    fake.put("other", "x");
    fake.hanging.add("db");
    SecretResolver r =
        open(
            SecretResolver.builder()
                .provider(fake)
                .timeout(ofMillis(200))
                .retry(1, ofMillis(1), ofMillis(1)));
    Thread caller =
        new Thread(
            () -> {
              // The caller's outcome is not what these tests look at: its thread is.
              var unused = catchThrowableOfType(Exception.class, () -> r.resolve(DB));
            });
    caller.start();
    while (fake.fetchThreads.isEmpty()) {
      Thread.onSpinWait();
    }
    assertThat(r.resolve("fake:other").reveal()).isEqualTo("x"); // while db hangs
    ProviderException e = catchThrowableOfType(ProviderException.class, () -> r.resolve(DB));
    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e).hasMessage("secret fake:db: timeout: no answer within 200 ms");
    assertThat(r.health().get("fake").lastErrorKind()).contains(Kind.TIMEOUT);
  }

  @Test
  void garbageAnswers_becomePreciseErrors_withoutTheForeignMessage() {
    SecretProvider nulls =
        new TestProvider("nulls") {
          @Override
          public SecretVersion fetch(SecretRef ref) {
            return null;
          }
        };
    SecretProvider crashes =
        new TestProvider("crashes") {
          @Override
          public SecretVersion fetch(SecretRef ref) {
            throw new IllegalStateException("unexpected body: {\"password\":\"CANARY-7f3a9c\"}");
          }
        };
    SecretResolver r = open(direct(nulls, crashes, new TestProvider("plain")));
    ProviderException e = catchThrowableOfType(ProviderException.class, () -> r.resolve("nulls:x"));
    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(e)
        .hasMessage("secret nulls:x: malformed response: the provider returned no version");

    e = catchThrowableOfType(ProviderException.class, () -> r.resolve("crashes:x"));
    assertThat(e.kind()).isEqualTo(Kind.OTHER);
    assertThat(e)
        .hasMessage(
            "secret crashes:x: other: the provider failed with java.lang.IllegalStateException");
    // The cause keeps the class and the stack trace, for debugging, and not the message.
    assertThat(e.getCause())
        .hasToString("java.lang.IllegalStateException (message removed)")
        .hasNoCause();
    assertThat(e.getCause().getStackTrace()[0].getClassName()).startsWith(getClass().getName());
    Leaks.assertNoLeak(e, "CANARY-7f3a9c");

    e = catchThrowableOfType(ProviderException.class, () -> r.resolve("plain:x"));
    assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
    assertThat(e).hasMessageContaining("provider 'plain' cannot resolve secret references");
  }

  @Test
  void unknownScheme_namesTheRegisteredOnes() {
    SecretResolver r = open(direct());
    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> r.resolve("gcp:projects/p/secrets/s"));
    assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
    assertThat(e)
        .hasMessage(
            "secret gcp:projects/p/secrets/s: unsupported: no provider has the scheme 'gcp';"
                + " registered: [fake]");
  }

  @Test
  void missingFieldAndNonJsonSecret_areNotFound_namingTheField() {
    fake.put("json", "{\"user\":\"app\",\"password\":\"pw\"}");
    SecretResolver r = open(direct());
    assertThat(r.resolve("fake:json#password").reveal()).isEqualTo("pw");
    assertThatThrownBy(() -> r.resolve("fake:json#token"))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessage("secret fake:json#token: the secret has no field 'token'");
    assertThatThrownBy(() -> r.resolve("fake:db#password"))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessage(
            "secret fake:db#password: the value is not a JSON object, so it has no field"
                + " 'password'");
  }

  @Test
  void resolve_malformedReference_givesTheParseError() {
    SecretResolver r = open(direct());
    assertThatThrownBy(() -> r.resolve("fake:db#"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reference at position 8: expected a field name after '#'");
  }

  // --- listeners ---

  @Test
  void listeners_hearVersionChanges_notUnchangedRenewals() {
    SecretResolver r = open(direct());
    List<String> heard = new CopyOnWriteArrayList<>();
    SecretResolver.Listener one =
        (ref, before, after) -> heard.add("one " + ref + " " + before + " " + after);
    r.addListener(DB, one);
    r.addListener((ref, before, after) -> heard.add("all " + ref));
    r.addListener(SecretRef.parse("fake:other"), (ref, b, a) -> heard.add("other"));
    r.resolve(DB);
    assertThat(heard).isEmpty(); // the first load is not a change

    clock.advance(TTL);
    r.resolve(DB); // version unchanged
    assertThat(heard).isEmpty();

    fake.put("db", "pw2");
    clock.advance(TTL);
    r.resolve(DB);
    assertThat(heard).containsExactly("one fake:db Optional[v1] Optional[v2]", "all fake:db");

    assertThat(r.removeListener(one)).isTrue();
    assertThat(r.removeListener(one)).isFalse();
    fake.put("db", "pw3");
    clock.advance(TTL);
    r.resolve(DB);
    assertThat(heard).hasSize(3).last().isEqualTo("all fake:db");
  }

  @Test
  void listeners_withoutVersionIds_compareValues() {
    fake.versioned = false;
    SecretResolver r = open(direct());
    List<String> heard = new CopyOnWriteArrayList<>();
    r.addListener((ref, before, after) -> heard.add(before + "->" + after));
    r.resolve(DB);
    clock.advance(TTL);
    r.resolve(DB);
    assertThat(heard).isEmpty();
    fake.put("db", "pw2");
    clock.advance(TTL);
    r.resolve(DB);
    assertThat(heard).containsExactly("Optional.empty->Optional.empty");
  }

  @Test
  void listenerThatThrows_isLoggedAndContained() {
    SecretResolver r = open(direct());
    List<String> heard = new CopyOnWriteArrayList<>();
    r.addListener(
        (ref, b, a) -> {
          throw new IllegalStateException("boom CANARY-7f3a9c");
        });
    r.addListener((ref, b, a) -> heard.add("second"));
    r.resolve(DB);
    fake.put("db", "pw2");
    clock.advance(TTL);
    assertThat(r.resolve(DB).reveal()).isEqualTo("pw2");
    assertThat(heard).containsExactly("second");
    assertThat(warnings())
        .singleElement()
        .asString()
        .contains("fake:db")
        .contains("IllegalStateException")
        .doesNotContain("CANARY");
  }

  // --- prefetch ---

  @Test
  @Timeout(30)
  void prefetch_fiftyReferences_areAllInFlightAtOnce() throws Exception {
    List<SecretRef> refs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      fake.put("s" + i, "v" + i);
      refs.add(SecretRef.of("fake", "s" + i));
    }
    SecretResolver r = open(SecretResolver.builder().provider(fake).timeout(Duration.ofMinutes(1)));
    r.resolve("fake:s0"); // cached already: not fetched again
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch allIn = new CountDownLatch(49);
    fake.gate = gate;
    fake.entered = allIn;
    Thread prefetch = new Thread(() -> r.prefetch(refs));
    prefetch.start();
    // One after another, the second fetch would never start while the first is held.
    allIn.await();
    gate.countDown();
    prefetch.join();
    assertThat(fake.fetches).hasValue(50);
    for (int i = 0; i < 50; i++) {
      assertThat(r.resolve(refs.get(i)).reveal()).isEqualTo("v" + i);
    }
    assertThat(fake.fetches).hasValue(50);
  }

  @Test
  void prefetch_usesTheBatchCall_andFetchesWhatItMissedOnItsOwn() {
    fake.batch = true;
    fake.put("a", "1").put("b", "2").put("json", "{\"k\":\"v\"}");
    SecretResolver r = open(direct());
    r.prefetch(
        List.of(
            SecretRef.parse("fake:a"), SecretRef.parse("fake:b"), SecretRef.parse("fake:json#k")));
    assertThat(fake.batches).hasValue(1);
    assertThat(fake.fetches).hasValue(1); // the field reference the batch left out
    assertThat(r.resolve("fake:a").reveal()).isEqualTo("1");
    assertThat(r.resolve("fake:json#k").reveal()).isEqualTo("v");
    assertThat(fake.fetches).hasValue(1);
  }

  @Test
  void prefetch_batchFailure_fallsBackToSingleFetches() {
    FakeProvider failingBatch =
        new FakeProvider("fb") {
          @Override
          public java.util.Map<SecretRef, SecretVersion> fetchAll(
              java.util.Collection<SecretRef> refs) {
            throw new ProviderException(
                refs.iterator().next(), Kind.UNAVAILABLE, "batch endpoint down");
          }
        };
    failingBatch.put("a", "1").put("b", "2");
    SecretResolver r = open(direct(failingBatch));
    r.prefetch(List.of(SecretRef.parse("fb:a"), SecretRef.parse("fb:b")));
    assertThat(failingBatch.fetches).hasValue(2);
  }

  @Test
  void prefetch_reportsEveryFailureAtOnce() {
    fake.put("ok", "1");
    SecretResolver r = open(direct());
    SecretRef denied = SecretRef.parse("fake:db");
    fake.failNext(
        () -> new ProviderException(denied, Kind.ACCESS_DENIED, "not allowed by the policy"));
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                r.prefetch(
                    List.of(
                        denied,
                        SecretRef.parse("fake:ok"),
                        SecretRef.parse("fake:gone"),
                        SecretRef.parse("vault:secret/data/app#key"))));
    assertThat(e.problems())
        .extracting(Object::toString)
        .containsExactly(
            "fake:db: access denied: not allowed by the policy",
            "fake:gone: no such secret",
            "vault:secret/data/app#key: unsupported: no provider has the scheme 'vault';"
                + " registered: [fake]");
    assertThat(e.getSuppressed()).hasSize(3);
    assertThat(r.resolve("fake:ok").reveal()).isEqualTo("1");
  }

  // --- health, close, builder ---

  @Test
  void health_listsEveryProviderUnknown_beforeAnyCall_andOkOnlyOnceItAnswered() {
    SecretResolver r = open(direct(fake, new FakeProvider("aws")));
    assertThat(r.health().keySet()).containsExactly("aws", "fake");
    assertThat(r.health().values())
        .allSatisfy(
            h -> {
              // Nothing says a provider that was never called would answer: not OK.
              assertThat(h.status()).isEqualTo(ProviderHealth.Status.UNKNOWN);
              assertThat(h.lastErrorKind()).isEmpty();
              assertThat(h.lastErrorAt()).isEmpty();
            });
    r.resolve(DB);
    assertThat(r.health().get("fake").status()).isEqualTo(ProviderHealth.Status.OK);
    assertThat(r.health().get("aws").status()).isEqualTo(ProviderHealth.Status.UNKNOWN);
    assertThat(r).hasToString("SecretResolver[schemes=[aws, fake]]");
  }

  @Test
  void health_notFoundIsAnAnswer_soTheProviderIsOk() {
    SecretResolver r = open(direct());
    assertThatThrownBy(() -> r.resolve("fake:gone")).isInstanceOf(SecretNotFoundException.class);
    assertThat(r.health().get("fake").status()).isEqualTo(ProviderHealth.Status.OK);
  }

  @Test
  void health_neverAnsweredButHoldingSourcesBack_isDegradedNotUnknown() {
    fake.problems.add(new ConfigException.Problem("DB_FILE", "is empty"));
    SecretResolver r = open(direct());
    assertThat(r.health().get("fake").status()).isEqualTo(ProviderHealth.Status.DEGRADED);
  }

  @Test
  void health_providerThatOnlyFailed_isNeverUnknown() {
    fake.failNext(failure(Kind.UNAVAILABLE))
        .failNext(failure(Kind.UNAVAILABLE))
        .failNext(failure(Kind.UNAVAILABLE));
    SecretResolver r = open(direct());
    assertThatThrownBy(() -> r.resolve(DB)).isInstanceOf(ProviderException.class);
    assertThat(r.health().get("fake").status()).isEqualTo(ProviderHealth.Status.FAILED);
  }

  @Test
  @Timeout(30)
  void close_stopsEveryResolverThread_evenOneStuckInAHungBackend() throws Exception {
    fake.hanging.add("db");
    fake.put("x", "1");
    SecretResolver r =
        SecretResolver.builder()
            .provider(fake)
            .timeout(ofSeconds(20))
            .retry(1, ofMillis(1), ofMillis(1))
            .build();
    r.prefetch(List.of(SecretRef.parse("fake:x")));
    Thread caller =
        new Thread(
            () -> {
              // The caller's outcome is not what these tests look at: its thread is.
              var unused = catchThrowableOfType(Exception.class, () -> r.resolve(DB));
            });
    caller.start();
    while (fake.fetchThreads.size() < 2) {
      Thread.onSpinWait();
    }
    assertThat(resolverThreads()).isNotEmpty();
    r.close();
    r.close(); // idempotent
    for (Thread t : resolverThreads()) {
      t.join(10_000);
    }
    assertThat(resolverThreads()).isEmpty();
    caller.join(10_000);
    assertThat(caller.isAlive()).isFalse();
    assertThatThrownBy(() -> r.resolve("fake:x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the secret resolver is closed");
    assertThatThrownBy(() -> r.prefetch(List.of())).isInstanceOf(IllegalStateException.class);
  }

  private static List<Thread> resolverThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("latchkey-resolver-") && t.isAlive())
        .collect(Collectors.toList());
  }

  @Test
  void builder_rejectsBadSettings() {
    SecretResolver.Builder b = SecretResolver.builder();
    assertThatThrownBy(b::build).hasMessage("register at least one provider");
    assertThatThrownBy(() -> b.provider("Bad", fake)).isInstanceOf(IllegalArgumentException.class);
    b.provider(fake);
    assertThatThrownBy(() -> b.provider(fake))
        .hasMessage("a provider is already registered for 'fake'");
    assertThatThrownBy(() -> b.ttl(Duration.ZERO)).hasMessage("ttl must be positive");
    assertThatThrownBy(() -> b.ttl(DB, ofSeconds(-1))).hasMessage("ttl must be positive");
    assertThatThrownBy(() -> b.timeout(Duration.ZERO)).hasMessage("timeout must be positive");
    assertThatThrownBy(() -> b.failureRecheck(Duration.ZERO))
        .hasMessage("failureRecheck must be positive");
    assertThatThrownBy(() -> b.refreshAhead(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.refreshAhead(1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.jitter(1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.jitter(-0.1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxStale(ofSeconds(-1))).hasMessage("maxStale must not be negative");
    assertThatThrownBy(() -> b.retry(0, ofMillis(1), ofMillis(1)))
        .hasMessage("maxAttempts must be at least 1");
    assertThatThrownBy(() -> b.retry(2, ofMillis(10), ofMillis(1)))
        .hasMessage("maxBackoff must be at least baseBackoff");
    assertThatThrownBy(() -> b.clock(null)).isInstanceOf(NullPointerException.class);
    b.ttl("vault", ofSeconds(1));
    assertThatThrownBy(b::build)
        .hasMessage("a ttl is set for scheme 'vault', which no provider has");
  }

  @Test
  void nullArguments_areRejectedByName() {
    SecretResolver r = open(direct());
    assertThatThrownBy(() -> r.resolve((SecretRef) null)).hasMessage("ref");
    assertThatThrownBy(() -> r.resolve((String) null)).hasMessage("ref");
    assertThatThrownBy(() -> r.prefetch(null)).hasMessage("refs");
    assertThatThrownBy(() -> r.addListener(null)).hasMessage("listener");
    assertThatThrownBy(() -> r.addListener(DB, null)).hasMessage("listener");
  }

  /** A provider that implements nothing of the reference SPI unless a test overrides it. */
  static class TestProvider implements SecretProvider {
    private final String name;

    TestProvider(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Optional<ConfigValue> get(String key) {
      return Optional.empty();
    }

    @Override
    public String description() {
      return name;
    }
  }
}
