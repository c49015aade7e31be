package io.latchkey.reencrypt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.LatchkeyException;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The SPI on its own: an application's store that is not a SQL table. */
final class InMemoryCiphertextStoreTest {

  /** The example in {@link CiphertextStore}'s Javadoc, compiled. */
  static final class MapStore implements CiphertextStore<String> {
    final ConcurrentNavigableMap<String, String> map = new ConcurrentSkipListMap<>();
    private final String name;

    MapStore(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public List<StoredCiphertext<String>> page(Optional<String> after, int limit) {
      var tail = after.isPresent() ? map.tailMap(after.get(), false) : map;
      return tail.entrySet().stream()
          .limit(limit)
          .map(e -> new StoredCiphertext<>(e.getKey(), e.getValue()))
          .toList();
    }

    @Override
    public List<Boolean> compareAndSet(List<CiphertextUpdate<String>> updates) {
      return updates.stream()
          .map(u -> map.replace(u.key(), u.expected(), u.replacement()))
          .toList();
    }

    @Override
    public OptionalLong count() {
      return OptionalLong.of(map.size());
    }
  }

  private final FernetKey oldKey = FernetKey.generate();
  private final FernetKey newKey = FernetKey.generate();
  private final FernetKeyRing oldRing = FernetKeyRing.of(oldKey);
  private final FernetKeyRing ring = FernetKeyRing.of(newKey, oldKey);
  private final FernetKeyRing newOnly = FernetKeyRing.of(newKey);

  private MapStore storeWith(String name, int rows) {
    MapStore store = new MapStore(name);
    for (int i = 0; i < rows; i++) {
      String key = String.format("%s-%05d", name, i);
      store.map.put(key, oldRing.encrypt(("CANARY-" + key).getBytes(UTF_8)));
    }
    return store;
  }

  @Test
  void run_customStores_rotatesEveryEntryAndReportsEachTarget() {
    MapStore settings = storeWith("settings", 1_234);
    MapStore webhooks = storeWith("webhooks", 10);
    webhooks.map.put("webhooks-00003", "");
    webhooks.map.put("webhooks-00004", "garbage");
    List<ProgressListener.Progress> events = new ArrayList<>();

    ReencryptionReport report =
        ReencryptionJob.builder(ring)
            .target(settings)
            .target(webhooks)
            .batchSize(100)
            .progress(events::add)
            .build()
            .run();

    assertThat(report.targets())
        .extracting(ReencryptionReport.TargetResult::name)
        .containsExactly("settings", "webhooks");
    assertThat(report.scanned()).isEqualTo(1_244);
    assertThat(report.rotated()).isEqualTo(1_242);
    assertThat(report.empty()).isEqualTo(1);
    assertThat(report.failed()).isEqualTo(1);
    assertThat(report.targets().get(1).failures())
        .containsExactly(new ReencryptionReport.Failure("webhooks-00004", "malformed token"));
    assertThat(report.toString())
        .contains("total")
        .contains("webhooks key webhooks-00004: malformed token");
    settings.map.forEach(
        (k, v) -> assertThat(newOnly.decrypt(v)).asString(UTF_8).isEqualTo("CANARY-" + k));
    assertThat(events).hasSize(13 + 1);
    assertThat(events.get(0).total()).isEqualTo(OptionalLong.of(1_234));
    assertThat(report.targets().get(0).isClean()).isTrue();
    assertThat(report.problems()).containsExactly("1 row cannot be read with any key of the ring");
  }

  @Test
  void run_storeThatCannotCount_isNeverClean() {
    CiphertextStore<String> uncounted =
        new ForwardingStore<>(storeWith("settings", 20)) {
          @Override
          public OptionalLong count() {
            return OptionalLong.empty();
          }
        };

    ReencryptionReport report = ReencryptionJob.builder(ring).target(uncounted).build().run();

    assertThat(report.rotated()).isEqualTo(20);
    assertThat(report.isClean()).isFalse();
    assertThat(report.verdict())
        .isEqualTo(
            "NOT clean: settings: rows not counted, so the run cannot show that it read them all");
    assertThat(report.toString()).contains("?  done");
  }

  @Test
  void run_storeWhoseCountFailsAtTheEnd_isNotClean() {
    AtomicInteger counts = new AtomicInteger();
    CiphertextStore<String> flaky =
        new ForwardingStore<>(storeWith("settings", 20)) {
          @Override
          public OptionalLong count() {
            if (counts.incrementAndGet() == 2) {
              throw new LatchkeyException("settings: counting failed");
            }
            return super.count();
          }
        };

    ReencryptionReport report = ReencryptionJob.builder(ring).target(flaky).build().run();

    assertThat(report.problems())
        .containsExactly(
            "settings: rows not counted at the end, so the run cannot show that it read them all");
  }

  @Test
  void lock_default_keepsASecondJobOffTheSameStore() {
    MapStore store = storeWith("settings", 300);
    AtomicReference<Throwable> second = new AtomicReference<>();
    ReencryptionJob first =
        ReencryptionJob.builder(ring)
            .target(store)
            .batchSize(100)
            .progress(
                p -> {
                  try {
                    ReencryptionJob.builder(ring).target(store).build().run();
                  } catch (LatchkeyException e) {
                    second.set(e);
                  }
                })
            .build();

    assertThat(first.run().rotated()).isEqualTo(300);
    assertThat(second.get()).hasMessage("settings: another re-encryption job holds the lock");
    assertThat(ReencryptionJob.builder(ring).target(store).build().run().alreadyCurrent())
        .isEqualTo(300);
  }

  @Test
  void run_storeThatThrows_abortsThatTargetWithoutItsMessageAndGoesOn() {
    CiphertextStore<String> broken =
        new ForwardingStore<>(storeWith("broken", 5)) {
          @Override
          public List<StoredCiphertext<String>> page(Optional<String> after, int limit) {
            throw new IllegalStateException("CANARY-value-in-a-message");
          }
        };
    MapStore fine = storeWith("fine", 5);

    ReencryptionReport report =
        ReencryptionJob.builder(ring).target(broken).target(fine).build().run();

    assertThat(report.targets().get(0).abortReason())
        .contains("unexpected java.lang.IllegalStateException");
    assertThat(report.targets().get(1).rotated()).isEqualTo(5);
    assertThat(report.isClean()).isFalse();
    assertThat(report.toString()).contains("aborted broken").doesNotContain("CANARY");
  }

  @Test
  void run_storeThatDoesNotMoveForward_isAbortedNotLoopedForever() {
    CiphertextStore<String> stuck =
        new ForwardingStore<>(storeWith("stuck", 5)) {
          @Override
          public List<StoredCiphertext<String>> page(Optional<String> after, int limit) {
            return super.page(Optional.empty(), limit);
          }
        };

    ReencryptionReport report =
        ReencryptionJob.builder(ring).target(stuck).batchSize(2).build().run();

    assertThat(report.targets().get(0).abortReason())
        .contains("stuck: the store returned a page that does not move past the previous one");
  }

  @Test
  void run_manyUnreadableRows_listsTheFirstThousandAndCountsAll() {
    MapStore store = new MapStore("junk");
    for (int i = 0; i < 1_200; i++) {
      store.map.put(String.format("%05d", i), "junk" + i);
    }

    ReencryptionReport report = ReencryptionJob.builder(ring).target(store).build().run();

    ReencryptionReport.TargetResult t = report.targets().get(0);
    assertThat(t.failed()).isEqualTo(1_200);
    assertThat(t.failures()).hasSize(ReencryptionReport.MAX_FAILURES_LISTED);
    assertThat(report.toString()).contains("junk: 1180 more");
  }

  @Test
  void builder_badSettings_areRejected() {
    ReencryptionJob.Builder b = ReencryptionJob.builder(ring);
    assertThatThrownBy(() -> b.batchSize(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.batchSize(10_001)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a re-encryption job needs at least one target");
    MapStore store = new MapStore("twice");
    assertThatThrownBy(
            () -> ReencryptionJob.builder(ring).target(store).target(new MapStore("twice")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("target twice is added twice");
  }

  @Test
  void stop_beforeRun_stopsBeforeTheFirstBatch() {
    MapStore store = storeWith("settings", 10);
    ReencryptionJob job = ReencryptionJob.builder(ring).target(store).build();
    job.stop();

    ReencryptionReport report = job.run();

    assertThat(report.isStopped()).isTrue();
    assertThat(report.scanned()).isZero();
    assertThat(report.notes()).containsExactly("stopped before settings");
    assertThat(report.toString()).contains("note: stopped before settings");
    // The request is consumed: the next run goes through.
    assertThat(job.run().rotated()).isEqualTo(10);
  }
}
