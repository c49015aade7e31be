package io.latchkey.reencrypt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.KeyRing;
import io.latchkey.SwappableKeyRing;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A report is clean only if the key ring's primary key was the same at the end of each table as at
 * the start of the run: when the live ring's primary key cannot be read at the end of a table, that
 * was not checked, and the report says so instead of calling the run clean.
 */
final class ReencryptionPrimaryCheckTest {

  /** A ring (an HSM- or KMS-backed one, say) whose primaryKeyId fails while its backend is away. */
  static final class UnreachableRing implements KeyRing {
    final KeyRing delegate;

    UnreachableRing(KeyRing delegate) {
      this.delegate = delegate;
    }

    @Override
    public String encrypt(byte[] plaintext) {
      return delegate.encrypt(plaintext);
    }

    @Override
    public byte[] decrypt(String token) {
      return delegate.decrypt(token);
    }

    @Override
    public byte[] decrypt(String token, Duration ttl) {
      return delegate.decrypt(token, ttl);
    }

    @Override
    public String rotate(String token) {
      return delegate.rotate(token);
    }

    @Override
    public boolean isPrimary(String token) {
      return delegate.isPrimary(token);
    }

    @Override
    public String primaryKeyId() {
      throw new IllegalStateException("key service unreachable");
    }

    @Override
    public List<String> keyIds() {
      return delegate.keyIds();
    }
  }

  @Test
  void report_isNotClean_whenThePrimaryKeyCouldNotBeCheckedAtTheEnd() {
    FernetKey oldKey = FernetKey.generate();
    FernetKey newKey = FernetKey.generate();
    FernetKey newer = FernetKey.generate();
    FernetKeyRing oldRing = FernetKeyRing.of(oldKey);
    InMemoryCiphertextStoreTest.MapStore store = new InMemoryCiphertextStoreTest.MapStore("t");
    for (int i = 0; i < 10; i++) {
      store.map.put("k" + i, oldRing.encrypt(("CANARY-" + i).getBytes(UTF_8)));
    }
    SwappableKeyRing swappable = SwappableKeyRing.of(FernetKeyRing.of(newKey, oldKey));
    ReencryptionReport report =
        ReencryptionJob.builder(swappable)
            .target(store)
            .batchSize(5)
            .progress(
                p -> {
                  if (p.scanned() == 5) {
                    // The application swaps in its next ring while the job runs.
                    swappable.swap(new UnreachableRing(FernetKeyRing.of(newer, newKey, oldKey)));
                  }
                })
            .build()
            .run();

    assertThat(report.isClean())
        .as(
            "verdict '%s': the ring was swapped and its primary key could not be compared",
            report.verdict())
        .isFalse();
    assertThat(report.problems())
        .containsExactly(
            "the key ring's primary key could not be read at the end of t: whether it changed"
                + " during the run was not checked; run again");
    // The rows themselves were rotated with the ring current at the start, and read back.
    FernetKeyRing started = FernetKeyRing.of(newKey);
    for (int i = 0; i < 10; i++) {
      assertThat(new String(started.decrypt(store.map.get("k" + i)), UTF_8))
          .isEqualTo("CANARY-" + i);
    }
  }
}
