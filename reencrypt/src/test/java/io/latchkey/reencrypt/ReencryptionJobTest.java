package io.latchkey.reencrypt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.LatchkeyException;
import io.latchkey.SwappableKeyRing;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.aead.AssociatedData;
import io.latchkey.crypto.aead.SwappableAeadKeyRing;
import io.latchkey.reencrypt.ReencryptionReport.Failure;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.StderrCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The job over in-memory stores: log lines that carry a row key, a ring swapped while the job runs,
 * plaintext rows that must not be encrypted (a token with an invisible space, text that UTF-8
 * cannot encode), and a store whose keys are arrays.
 */
final class ReencryptionJobTest {
  private static final String FORGED = "FORGED re-encryption to key x: result: clean";

  private final FernetKey oldKey = FernetKey.generate();
  private final FernetKey newKey = FernetKey.generate();
  private final FernetKeyRing oldRing = FernetKeyRing.of(oldKey);
  private final FernetKeyRing ring = FernetKeyRing.of(newKey, oldKey);
  private final FernetKeyRing newOnly = FernetKeyRing.of(newKey);

  private InMemoryCiphertextStoreTest.MapStore storeWithForgingKey() {
    InMemoryCiphertextStoreTest.MapStore store = new InMemoryCiphertextStoreTest.MapStore("t");
    store.map.put("k1", oldRing.encrypt("CANARY-1".getBytes(UTF_8)));
    // A row key is data: this one holds a line break followed by a forged verdict.
    store.map.put("k2\n" + FORGED, oldRing.encrypt("CANARY-2".getBytes(UTF_8)));
    store.map.put("k3", oldRing.encrypt("CANARY-3".getBytes(UTF_8)));
    return store;
  }

  /** Every line of the captured log that starts with the forged text. */
  private static List<String> forgedLines(String log) {
    List<String> lines = new ArrayList<>();
    for (String line : log.split("\\R")) {
      if (line.startsWith("FORGED")) {
        lines.add(line);
      }
    }
    return lines;
  }

  @Test
  void stop_logLineWithLastKey_escapesTheKeyLikeEveryOtherLogLine() {
    InMemoryCiphertextStoreTest.MapStore store = storeWithForgingKey();
    ReencryptionJob job =
        StoppingJob.after(2, ReencryptionJob.builder(ring).target(store).batchSize(2));

    String log;
    ReencryptionReport report;
    try (StderrCapture err = StderrCapture.start()) {
      report = job.run();
      log = err.text();
    }

    assertThat(report.isStopped()).isTrue();
    assertThat(report.toString()).doesNotContain("\n" + FORGED);
    assertThat(log).contains("t: stopped after 2 rows, last key k2\\x0aFORGED");
    assertThat(forgedLines(log)).as("log lines forged by a row key").isEmpty();
  }

  @Test
  void abort_logLineWithLastKey_escapesTheKeyLikeEveryOtherLogLine() {
    InMemoryCiphertextStoreTest.MapStore store = storeWithForgingKey();
    CiphertextStore<String> failing =
        new ForwardingStore<>(store) {
          @Override
          public List<StoredCiphertext<String>> page(Optional<String> after, int limit) {
            if (after.isPresent()) {
              throw new LatchkeyException("t: reading a page failed: simulated");
            }
            return super.page(after, limit);
          }
        };

    String log;
    ReencryptionReport report;
    try (StderrCapture err = StderrCapture.start()) {
      report = ReencryptionJob.builder(ring).target(failing).batchSize(2).build().run();
      log = err.text();
    }

    assertThat(report.targets().get(0).abortReason())
        .contains("t: reading a page failed: simulated");
    assertThat(log).contains("t: aborted after 2 rows, last key k2\\x0aFORGED");
    assertThat(forgedLines(log)).as("log lines forged by a row key").isEmpty();
  }

  @Test
  void run_swappableRingSwappedDuringTheRun_usesTheFirstRingThroughoutAndIsNotClean() {
    InMemoryCiphertextStoreTest.MapStore store = new InMemoryCiphertextStoreTest.MapStore("t");
    for (int i = 0; i < 10; i++) {
      store.map.put(String.format("k%02d", i), oldRing.encrypt(("CANARY-" + i).getBytes(UTF_8)));
    }
    FernetKey newerKey = FernetKey.generate();
    FernetKeyRing newer = FernetKeyRing.of(newerKey, newKey, oldKey);
    SwappableKeyRing swappable = SwappableKeyRing.of(ring);
    ReencryptionJob job =
        ReencryptionJob.builder(swappable)
            .target(store)
            .batchSize(5)
            .progress(
                p -> {
                  if (p.scanned() == 5) {
                    // The application's ring follows the next rotation while the job runs.
                    swappable.swap(newer);
                  }
                })
            .build();

    ReencryptionReport report = job.run();

    assertThat(report.primaryKeyId()).isEqualTo(newOnly.primaryKeyId());
    assertThat(report.rotated()).isEqualTo(10);
    assertThat(store.map.values())
        .as("every row under the primary key the report names")
        .allSatisfy(v -> assertThat(newOnly.isPrimary(v)).isTrue());
    assertThat(report.isClean()).isFalse();
    assertThat(report.problems())
        .containsExactly(
            "the key ring's primary key changed during the run, from "
                + newOnly.primaryKeyId()
                + " to "
                + newer.primaryKeyId()
                + ": the rows were verified and written under "
                + newOnly.primaryKeyId()
                + "; run again with the new ring");
    assertThat(report.toString()).contains("result: NOT clean: the key ring's primary key changed");

    ReencryptionReport rerun = ReencryptionJob.builder(swappable).target(store).build().run();

    assertThat(rerun.isClean()).as(rerun.toString()).isTrue();
    assertThat(rerun.primaryKeyId()).isEqualTo(newer.primaryKeyId());
    assertThat(rerun.rotated()).isEqualTo(10);
  }

  @Test
  void run_swappableAeadRingSwappedBetweenTargets_keepsEveryTargetUnderTheFirstRing() {
    AesGcmKey oldAes = AesGcmKey.generate();
    AesGcmKey newAes = AesGcmKey.generate();
    AesGcmKeyRing first = AesGcmKeyRing.of(newAes, oldAes);
    AesGcmKeyRing second = AesGcmKeyRing.of(AesGcmKey.generate(), newAes, oldAes);
    AesGcmKeyRing oldAesRing = AesGcmKeyRing.of(oldAes);
    SwappableAeadKeyRing swappable = SwappableAeadKeyRing.of(first);
    List<InMemoryCiphertextStoreTest.MapStore> stores = new ArrayList<>();
    for (String name : List.of("a", "b")) {
      InMemoryCiphertextStoreTest.MapStore store = new InMemoryCiphertextStoreTest.MapStore(name);
      for (int i = 0; i < 4; i++) {
        String key = name + i;
        store.map.put(key, oldAesRing.encrypt(("CANARY-" + key).getBytes(UTF_8), boundTo(key)));
      }
      stores.add(store);
    }
    ReencryptionJob job =
        ReencryptionJob.builder(swappable)
            .target(stores.get(0), ReencryptionJobTest::boundTo)
            .target(stores.get(1), ReencryptionJobTest::boundTo)
            .progress(
                p -> {
                  if (p.target().equals("a")) {
                    swappable.swap(second);
                  }
                })
            .build();

    ReencryptionReport report = job.run();

    assertThat(report.primaryKeyId()).isEqualTo(newAes.id());
    assertThat(report.rotated()).isEqualTo(8);
    AesGcmKeyRing newAesOnly = AesGcmKeyRing.of(newAes);
    for (InMemoryCiphertextStoreTest.MapStore store : stores) {
      store.map.forEach(
          (k, v) -> assertThat(newAesOnly.isPrimary(v, boundTo(k))).as("row %s", k).isTrue());
    }
    assertThat(report.isClean()).isFalse();
    assertThat(report.verdict()).contains("the key ring's primary key changed during the run");
  }

  private static AssociatedData boundTo(String key) {
    return AssociatedData.forRow("t", "secret", key);
  }

  /**
   * A token with a trailing space that {@link Character#isWhitespace} does not count (no-break
   * spaces, as pasted from a web page or a word processor, and invisible characters: a byte-order
   * mark, zero-width spaces and joiners): in plaintext mode each is reported as a damaged token and
   * left as it is, never encrypted as a plaintext.
   */
  @Test
  void encryptPlaintext_tokenWithATrailingInvisibleSpace_isReportedNotBuried() {
    InMemoryCiphertextStoreTest.MapStore store = new InMemoryCiphertextStoreTest.MapStore("t");
    String[] spaces = {
      "\u00A0", "\u2007", "\u202F", "\uFEFF", "\u200B", "\u200C", "\u200D", "\u2060", "\u3000"
    };
    TreeMap<String, String> damaged = new TreeMap<>();
    for (int i = 0; i < spaces.length; i++) {
      String token = oldRing.encrypt(("CANARY-" + i).getBytes(UTF_8));
      damaged.put("k" + i, i % 2 == 0 ? token + spaces[i] : spaces[i] + token);
    }
    store.map.putAll(damaged);

    ReencryptionReport report =
        ReencryptionJob.builder(ring).target(store).encryptPlaintext(true).build().run();

    assertThat(store.map).as("every damaged token left as it was").isEqualTo(damaged);
    assertThat(report.encrypted()).isZero();
    assertThat(report.failed()).isEqualTo(spaces.length);
    assertThat(report.targets().get(0).failures())
        .extracting(Failure::reason)
        .allSatisfy(r -> assertThat(r).startsWith("a token with whitespace in or around it"));
    assertThat(report.isClean()).isFalse();
  }

  /**
   * A plaintext that is not well-formed UTF-16 (a lone surrogate) has no UTF-8 form: encrypting
   * {@code getBytes}'s {@code ?} in its place would change the value silently.
   */
  @Test
  void encryptPlaintext_valueWithALoneSurrogate_failsAndIsLeftAsItIs() {
    InMemoryCiphertextStoreTest.MapStore store = new InMemoryCiphertextStoreTest.MapStore("t");
    String lone = "CANARY-plain-\uD800-x";
    String lowFirst = "CANARY-plain-\uDC00\uD800";
    String pair = "CANARY-plain-\uD83D\uDD11";
    store.map.put("k1", lone);
    store.map.put("k2", pair);
    store.map.put("k3", lowFirst);

    ReencryptionReport report;
    String log;
    try (StderrCapture err = StderrCapture.start()) {
      report = ReencryptionJob.builder(ring).target(store).encryptPlaintext(true).build().run();
      log = err.text();
    }

    assertThat(store.map.get("k1")).isEqualTo(lone);
    assertThat(store.map.get("k3")).isEqualTo(lowFirst);
    assertThat(newOnly.decrypt(store.map.get("k2"))).asString(UTF_8).isEqualTo(pair);
    assertThat(report.encrypted()).isEqualTo(1);
    assertThat(report.targets().get(0).failures())
        .containsExactly(
            new Failure("k1", RowRewriter.NOT_WELL_FORMED),
            new Failure("k3", RowRewriter.NOT_WELL_FORMED));
    assertThat(report.isClean()).isFalse();
    for (String output : List.of(report.toString(), log)) {
      assertThat(output).doesNotContain("CANARY");
    }
  }

  @Test
  void utf8_wellFormedText_isWhatGetBytesGives_andALoneSurrogateHasNone() {
    for (String text : List.of("", "abc", "\u00E9\u20AC", "\uD83D\uDD11x", "x".repeat(1000))) {
      assertThat(RowRewriter.utf8(text)).isEqualTo(text.getBytes(UTF_8));
    }
    assertThat(RowRewriter.utf8("a\uD800")).isNull();
    assertThat(RowRewriter.utf8("\uDFFFa")).isNull();
  }

  /** Keys that are arrays equal only themselves: no compare-and-set could find the row again. */
  @Test
  void run_storeWhoseKeysAreArrays_abortsTheTargetBeforeWritingAnything() {
    List<String> values = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      keys.add(new byte[] {(byte) i});
      values.add(oldRing.encrypt(("CANARY-" + i).getBytes(UTF_8)));
    }
    List<List<CiphertextUpdate<byte[]>>> writes = new ArrayList<>();
    CiphertextStore<byte[]> store =
        new CiphertextStore<>() {
          @Override
          public String name() {
            return "bytes";
          }

          @Override
          public List<StoredCiphertext<byte[]>> page(Optional<byte[]> after, int limit) {
            if (after.isPresent()) {
              return List.of();
            }
            List<StoredCiphertext<byte[]>> rows = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
              rows.add(new StoredCiphertext<>(keys.get(i), values.get(i)));
            }
            return rows;
          }

          @Override
          public List<Boolean> compareAndSet(List<CiphertextUpdate<byte[]>> updates) {
            writes.add(updates);
            return updates.stream().map(u -> false).toList();
          }

          @Override
          public OptionalLong count() {
            return OptionalLong.of(keys.size());
          }
        };

    ReencryptionReport report = ReencryptionJob.builder(ring).target(store).build().run();

    assertThat(writes).isEmpty();
    assertThat(report.isClean()).isFalse();
    assertThat(report.targets().get(0).abortReason())
        .contains(
            "bytes: the store's row keys are arrays (byte[]), which equal only themselves; use"
                + " keys of a value type");
    for (String value : values) {
      Leaks.assertNoLeak("report", report.toString(), value);
    }
  }
}
