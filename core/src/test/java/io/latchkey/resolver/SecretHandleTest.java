package io.latchkey.resolver;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException.Problem;
import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Handles that always read the current value, reactions to a change, references kept fresh while a
 * reaction watches them, and providers that report their own changes and source problems.
 */
final class SecretHandleTest {
  private static final Duration TTL = ofSeconds(100);
  private static final SecretRef DB = SecretRef.parse("fake:db");

  private final MutableClock clock = new MutableClock();
  private final FakeProvider fake = new FakeProvider("fake").put("db", "pw1");
  private final List<SecretResolver> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(SecretResolver::close);
  }

  private SecretResolver resolver() {
    SecretResolver r =
        SecretResolver.builder()
            .provider(fake)
            .clock(clock)
            .executor(Runnable::run)
            .ttl(TTL)
            .jitter(0)
            .refreshAhead(0.5)
            .build();
    opened.add(r);
    return r;
  }

  @Test
  void get_readsTheCachedValue_withoutCallingTheProviderAgain() {
    SecretHandle handle = resolver().handle(DB);
    assertThat(handle.get().reveal()).isEqualTo("pw1");
    assertThat(handle.get().reveal()).isEqualTo("pw1");
    assertThat(fake.fetches).hasValue(1);
    assertThat(handle.ref()).isEqualTo(DB);
    assertThat(handle).hasToString("SecretHandle[fake:db]");
  }

  @Test
  void get_eachCallReturnsItsOwnCopy() {
    SecretHandle handle = resolver().handle(DB);
    Secret first = handle.get();
    first.wipe();
    assertThat(handle.get().reveal()).isEqualTo("pw1");
  }

  @Test
  void get_afterTheRefreshTime_returnsTheRotatedValue() {
    SecretHandle handle = resolver().handle(DB);
    assertThat(handle.get().reveal()).isEqualTo("pw1");
    fake.put("db", "pw2");
    clock.advance(ofSeconds(51));
    // Refresh ahead: the held value at once, the refresh on the (direct) executor, then the new.
    assertThat(handle.get().reveal()).isIn("pw1", "pw2");
    assertThat(handle.get().reveal()).isEqualTo("pw2");
  }

  @Test
  void get_seesAValueAnotherReaderLoaded() {
    SecretResolver resolver = resolver();
    SecretHandle handle = resolver.handle(DB);
    assertThat(handle.get().reveal()).isEqualTo("pw1");
    fake.put("db", "pw2");
    fake.announceChange();
    assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw2");
    assertThat(handle.get().reveal()).isEqualTo("pw2");
  }

  @Test
  void get_onAClosedResolver_throws() {
    SecretResolver resolver = resolver();
    SecretHandle handle = resolver.handle(DB);
    handle.get();
    resolver.close();
    assertThatThrownBy(handle::get).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> resolver.handle(DB)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void onChange_runsAfterTheNewValueIsHeld_andStopsWhenClosed() {
    SecretResolver resolver = resolver();
    SecretHandle handle = resolver.handle(DB);
    handle.get();
    List<String> seen = new ArrayList<>();
    SecretHandle.Registration registration = handle.onChange(() -> seen.add(handle.get().reveal()));

    fake.put("db", "pw2");
    fake.announceChange();
    assertThat(seen).containsExactly("pw2");

    registration.close();
    registration.close();
    fake.put("db", "pw3");
    fake.announceChange();
    assertThat(seen).containsExactly("pw2");
    assertThat(handle.get().reveal()).isEqualTo("pw3");
  }

  @Test
  void onChange_sameVersionAgain_isNoChange() {
    SecretHandle handle = resolver().handle(DB);
    handle.get();
    AtomicInteger reactions = new AtomicInteger();
    handle.onChange(reactions::incrementAndGet);
    fake.announceChange();
    clock.advance(ofSeconds(60));
    handle.get();
    assertThat(reactions).hasValue(0);
    assertThat(fake.versionChecks.get()).isPositive();
    assertThat(fake.fetches).hasValue(1);
  }

  @Test
  void watchedReference_isRefreshedWhenDue_withoutAnyRead() {
    SecretResolver resolver = resolver();
    SecretHandle handle = resolver.handle(DB);
    handle.get();
    AtomicInteger reactions = new AtomicInteger();
    handle.onChange(reactions::incrementAndGet);
    fake.put("db", "pw2");

    Watches watches = watchesOf(resolver);
    watches.sweep();
    assertThat(reactions).as("not due yet").hasValue(0);

    clock.advance(ofSeconds(51));
    watches.sweep();
    assertThat(reactions).hasValue(1);
    assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw2");
  }

  @Test
  void watchedReferenceWithNoValue_isLookedForOnAChange_andItsAppearanceTold() {
    SecretResolver resolver = resolver();
    SecretRef previous = SecretRef.parse("fake:db_previous");
    SecretHandle handle = resolver.handle(previous);
    assertThatThrownBy(handle::get).isInstanceOf(io.latchkey.SecretNotFoundException.class);
    List<String> told = new ArrayList<>();
    resolver.addListener(previous, (ref, before, after) -> told.add(before + " -> " + after));
    handle.onChange(() -> told.add("reaction " + handle.get().reveal()));

    fake.put("db_previous", "old-key");
    fake.announceChange();

    assertThat(told).containsExactly("Optional.empty -> Optional[v1]", "reaction old-key");
  }

  @Test
  void watchedReferenceWithNoValue_isLookedForBySweeps_atMostOnceAMinute() {
    SecretResolver resolver = resolver();
    SecretRef previous = SecretRef.parse("fake:db_previous");
    AtomicInteger reactions = new AtomicInteger();
    resolver.handle(previous).onChange(reactions::incrementAndGet);
    Watches watches = watchesOf(resolver);
    watches.sweep();
    int looked = fake.fetches.get();
    watches.sweep();
    assertThat(fake.fetches).as("not again within the minute").hasValue(looked);

    fake.put("db_previous", "old-key");
    clock.advance(Duration.ofMillis(Watches.ABSENT_RECHECK_MILLIS));
    watches.sweep();
    assertThat(reactions).hasValue(1);
  }

  @Test
  void appearedReference_readFirstByTheApplication_isAnnouncedOnce() {
    SecretResolver resolver = resolver();
    SecretRef previous = SecretRef.parse("fake:db_previous");
    SecretHandle handle = resolver.handle(previous);
    List<String> told = new ArrayList<>();
    resolver.addListener(previous, (ref, before, after) -> told.add(before + " -> " + after));
    handle.onChange(() -> told.add("reaction"));
    Watches watches = watchesOf(resolver);
    watches.sweep(); // looked for, not found

    fake.put("db_previous", "old-key");
    assertThat(handle.get().reveal()).isEqualTo("old-key"); // the application reads it first
    assertThat(told).containsExactly("Optional.empty -> Optional[v1]", "reaction");

    // Neither a later sweep nor a provider's change announces it again.
    clock.advance(Duration.ofMillis(Watches.ABSENT_RECHECK_MILLIS + 1));
    watches.sweep();
    fake.announceChange();
    assertThat(resolver.resolve(previous).reveal()).isEqualTo("old-key");
    assertThat(told).hasSize(2);
  }

  @Test
  void watchedReference_presentAtItsFirstLoad_isNotAnnounced_byARead_orBySweeps() {
    SecretResolver resolver = resolver();
    fake.put("db_password", "hunter2-first");
    SecretRef ref = SecretRef.parse("fake:db_password");
    SecretHandle handle = resolver.handle(ref);
    List<String> told = new ArrayList<>();
    resolver.addListener(ref, (r, before, after) -> told.add(before + " -> " + after));
    handle.onChange(() -> told.add("reaction"));
    // Set up before the first read, as a bean does before the application reads its value: the
    // first value is not news.
    assertThat(handle.get().reveal()).isEqualTo("hunter2-first");
    Watches watches = watchesOf(resolver);
    watches.sweep();
    assertThat(told).isEmpty();

    // A first load by a sweep is not news either.
    SecretRef other = SecretRef.parse("fake:api_key");
    fake.put("api_key", "k-first");
    SecretHandle otherHandle = resolver.handle(other);
    otherHandle.onChange(() -> told.add("other reaction"));
    clock.advance(Duration.ofMillis(Watches.ABSENT_RECHECK_MILLIS + 1));
    watches.sweep();
    assertThat(otherHandle.get().reveal()).isEqualTo("k-first");
    assertThat(told).isEmpty();
  }

  @Test
  void appearedReference_foundFirstByASweep_isAnnouncedOnce_notAgainByARead() {
    SecretResolver resolver = resolver();
    SecretRef previous = SecretRef.parse("fake:db_previous");
    SecretHandle handle = resolver.handle(previous);
    AtomicInteger reactions = new AtomicInteger();
    handle.onChange(reactions::incrementAndGet);
    Watches watches = watchesOf(resolver);
    watches.sweep();

    fake.put("db_previous", "old-key");
    clock.advance(Duration.ofMillis(Watches.ABSENT_RECHECK_MILLIS));
    watches.sweep();
    assertThat(reactions).hasValue(1);

    assertThat(handle.get().reveal()).isEqualTo("old-key");
    assertThat(resolver.resolve(previous).reveal()).isEqualTo("old-key");
    fake.announceChange();
    watches.sweep();
    assertThat(reactions).hasValue(1);
  }

  @Test
  void appearedReference_goneAndBack_isAnnouncedWhenItComesBack() {
    SecretResolver resolver = resolver();
    SecretRef previous = SecretRef.parse("fake:db_previous");
    SecretHandle handle = resolver.handle(previous);
    AtomicInteger reactions = new AtomicInteger();
    handle.onChange(reactions::incrementAndGet);
    fake.put("db_previous", "old-key");
    handle.get();
    assertThat(reactions).as("a first value, never absent, is not news").hasValue(0);

    fake.remove("db_previous");
    clock.advance(TTL.plusSeconds(1)); // gone, and past its time-to-live: no longer held
    assertThatThrownBy(handle::get).isInstanceOf(io.latchkey.SecretNotFoundException.class);

    fake.put("db_previous", "older-key");
    assertThat(handle.get().reveal()).isEqualTo("older-key");
    assertThat(reactions).hasValue(1);
  }

  @Test
  void unwatchedReference_isNotRefreshedBySweeps() {
    SecretResolver resolver = resolver();
    SecretHandle handle = resolver.handle(DB);
    handle.get();
    handle.onChange(() -> {}).close();
    clock.advance(ofSeconds(51));
    watchesOf(resolver).sweep();
    assertThat(fake.versionChecks).hasValue(0);
  }

  @Test
  void sweepFindingAChange_reChecksTheOtherWatchedReferencesOfItsProvider_andTellsThemTogether() {
    // A key and its previous keys in two secrets, loaded 20 s apart: their refresh times differ.
    SecretResolver resolver = resolver();
    SecretRef previous = SecretRef.parse("fake:db_previous");
    fake.put("db_previous", "k0");
    SecretHandle key = resolver.handle(DB);
    key.get();
    clock.advance(ofSeconds(20));
    SecretHandle keyPrevious = resolver.handle(previous);
    keyPrevious.get();
    List<String> seen = new ArrayList<>();
    Runnable reaction = () -> seen.add(key.get().reveal() + "," + keyPrevious.get().reveal());
    key.onChange(reaction);
    keyPrevious.onChange(reaction);

    // Both rotated; only the first is due at the next sweep.
    fake.put("db", "pw2");
    fake.put("db_previous", "pw1");
    clock.advance(ofSeconds(31));
    watchesOf(resolver).sweep();

    assertThat(seen).as("every reaction sees both new").containsExactly("pw2,pw1", "pw2,pw1");
  }

  @Test
  void sweepFindingNoChange_leavesTheReferencesNotDueAlone() {
    SecretResolver resolver = resolver();
    SecretRef previous = SecretRef.parse("fake:db_previous");
    fake.put("db_previous", "k0");
    SecretHandle key = resolver.handle(DB);
    key.get();
    key.onChange(() -> {});
    clock.advance(ofSeconds(20));
    SecretHandle keyPrevious = resolver.handle(previous);
    keyPrevious.get();
    keyPrevious.onChange(() -> {});
    int calls = fake.fetches.get() + fake.versionChecks.get();

    clock.advance(ofSeconds(31)); // the first due, unchanged
    watchesOf(resolver).sweep();
    assertThat(fake.fetches.get() + fake.versionChecks.get()).isEqualTo(calls + 1);
  }

  @Test
  void providerChange_reChecksEveryReferenceOfItsScheme_andTellsListenersAtOnce() {
    fake.put("api", "k1");
    SecretResolver resolver = resolver();
    SecretRef api = SecretRef.parse("fake:api");
    resolver.resolve(DB);
    resolver.resolve(api);
    List<String> changes = new ArrayList<>();
    resolver.addListener((ref, before, after) -> changes.add(ref + " " + before + " " + after));

    fake.put("api", "k2");
    fake.announceChange();

    assertThat(changes).containsExactly("fake:api Optional[v1] Optional[v2]");
    assertThat(resolver.resolve(api).reveal()).isEqualTo("k2");
    assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw1");
  }

  @Test
  void providerChange_afterClose_isIgnored() {
    SecretResolver resolver = resolver();
    resolver.resolve(DB);
    resolver.close();
    fake.put("db", "pw2");
    fake.announceChange();
    assertThat(fake.versionChecks).hasValue(0);
  }

  @Test
  void health_sourceProblems_makeTheProviderDegraded_andAreListed() {
    SecretResolver resolver = resolver();
    resolver.resolve(DB);
    assertThat(resolver.health().get("fake").status()).isEqualTo(ProviderHealth.Status.OK);

    Problem problem = new Problem("DB_FILE", "is empty; serving the previous value");
    fake.problems.add(problem);
    ProviderHealth health = resolver.health().get("fake");
    assertThat(health.status()).isEqualTo(ProviderHealth.Status.DEGRADED);
    assertThat(health.sourceProblems()).containsExactly(problem);

    fake.problems.clear();
    assertThat(resolver.health().get("fake").status()).isEqualTo(ProviderHealth.Status.OK);
    assertThat(resolver.health().get("fake").sourceProblems()).isEmpty();
  }

  @Test
  void providerHealth_withoutSourceProblems_keepsItsEarlierConstructor() {
    ProviderHealth health =
        new ProviderHealth(
            "fake",
            ProviderHealth.Status.OK,
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            0,
            0);
    assertThat(health.sourceProblems()).isEmpty();
  }

  private static Watches watchesOf(SecretResolver resolver) {
    try {
      var field = SecretResolver.class.getDeclaredField("watches");
      field.setAccessible(true);
      return (Watches) field.get(resolver);
    } catch (ReflectiveOperationException e) {
      throw new LinkageError("no watches field", e);
    }
  }
}
