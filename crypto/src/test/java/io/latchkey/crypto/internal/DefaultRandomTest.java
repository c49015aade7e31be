package io.latchkey.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.DrbgParameters;
import java.security.DrbgParameters.Capability;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The default random sources are the JDK's DRBG with the documented parameters. */
final class DefaultRandomTest {

  private static void assertDrbg(SecureRandom random) {
    assertThat(random.getAlgorithm()).isEqualTo("DRBG");
    assertThat(random.getParameters())
        .isInstanceOfSatisfying(
            DrbgParameters.Instantiation.class,
            p -> {
              assertThat(p.getStrength()).isEqualTo(256);
              assertThat(p.getCapability()).isEqualTo(Capability.PR_AND_RESEED);
              assertThat(p.getPersonalizationString()).isNotEmpty();
            });
  }

  @Test
  void forKeys_isA256BitPredictionResistantDrbg() {
    assertDrbg(DefaultRandom.forKeys());
  }

  @Test
  void ivDrbg_isA256BitDrbgThatCanReseedWithFreshEntropy() {
    DefaultRandom.nextIv(new byte[16], 0);
    assertDrbg(DefaultRandom.ivDrbg());
  }

  @Test
  void ivDrbg_eachThread_hasItsOwnInstance() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<SecureRandom> other = pool.submit(DefaultRandom::ivDrbg);
      assertThat(other.get()).isNotSameAs(DefaultRandom.ivDrbg());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void nextIv_acrossManyRefillsAndReseeds_neverRepeats() {
    int ivs = (DefaultRandom.RESEED_EVERY + 2) * DefaultRandom.BUFFER_BYTES / 16;
    Set<ByteBuffer> seen = new HashSet<>();
    for (int i = 0; i < ivs; i++) {
      byte[] iv = new byte[16];
      DefaultRandom.nextIv(iv, 0);
      seen.add(ByteBuffer.wrap(iv));
    }
    assertThat(seen).hasSize(ivs);
  }

  @Test
  void nextIv_writesExactlySixteenBytesAtTheOffset() {
    byte[] out = new byte[40];
    DefaultRandom.nextIv(out, 9);
    assertThat(out).startsWith(new byte[9]).endsWith(new byte[15]);
    assertThat(ByteBuffer.wrap(out, 9, 16)).isNotEqualTo(ByteBuffer.wrap(new byte[16]));
  }

  @Test
  void nextIv_concurrentThreads_neverShareOutput() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Set<ByteBuffer>>> results =
          pool.invokeAll(
              List.of(
                  DefaultRandomTest::draw,
                  DefaultRandomTest::draw,
                  DefaultRandomTest::draw,
                  DefaultRandomTest::draw));
      Set<ByteBuffer> all = new HashSet<>();
      for (Future<Set<ByteBuffer>> r : results) {
        all.addAll(r.get());
      }
      assertThat(all).hasSize(4 * 2000);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Set<ByteBuffer> draw() {
    Set<ByteBuffer> ivs = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      byte[] iv = new byte[16];
      DefaultRandom.nextIv(iv, 0);
      ivs.add(ByteBuffer.wrap(iv));
    }
    return ivs;
  }
}
