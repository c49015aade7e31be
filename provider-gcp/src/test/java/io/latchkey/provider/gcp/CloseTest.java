package io.latchkey.provider.gcp;

import static io.latchkey.provider.gcp.Testing.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.ProviderException;
import io.latchkey.SecretRef;
import io.latchkey.provider.gcp.testing.FakeSecretManager;
import io.latchkey.provider.gcp.testing.FakeSecretManager.Failure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code close()} leaves no thread behind: the provider's own pool stops before it returns, and
 * gRPC's shared transport threads, which gRPC releases about a second after the last channel
 * closes, are gone within a grace period.
 */
final class CloseTest {
  private static final Duration GRACE = Duration.ofSeconds(15);

  @BeforeAll
  static void warmUp() {
    Testing.warmUp();
  }

  private static Set<Thread> liveThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .collect(Collectors.toSet());
  }

  private static List<String> newThreads(Set<Thread> before, String ignoredPrefix) {
    return liveThreads().stream()
        .filter(t -> !before.contains(t))
        .map(Thread::getName)
        .filter(name -> ignoredPrefix == null || !name.startsWith(ignoredPrefix))
        .sorted()
        .collect(Collectors.toList());
  }

  /**
   * Waits until no thread is alive that was not alive before (save the ignored ones), by joining
   * each: the grace is an upper bound for a broken close, not a measure.
   */
  private static List<String> awaitNoNewThreads(Set<Thread> before, String ignoredPrefix)
      throws InterruptedException {
    long deadline = System.nanoTime() + GRACE.toNanos();
    // Joined until none is left: a shared pool may start one more thread while another ends.
    List<Thread> left = newThreadList(before, ignoredPrefix);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      for (Thread t : left) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
      left = newThreadList(before, ignoredPrefix);
    }
    return left.stream().map(Thread::getName).sorted().collect(Collectors.toList());
  }

  private static List<Thread> newThreadList(Set<Thread> before, String ignoredPrefix) {
    return liveThreads().stream()
        .filter(t -> !before.contains(t))
        .filter(t -> ignoredPrefix == null || !t.getName().startsWith(ignoredPrefix))
        .collect(Collectors.toList());
  }

  private static void exercise(FakeSecretManager gcp, GcpSecretProvider provider) throws Exception {
    gcp.addVersion("db", utf8("value"));
    provider.fetch(SecretRef.parse("gcp:db"));
    provider.currentVersionId(SecretRef.parse("gcp:db"));
    gcp.fail(Failure.HANG, 1);
    try {
      provider.fetch(SecretRef.parse("gcp:db"));
    } catch (ProviderException expected) {
      assertThat(expected.kind()).isEqualTo(ProviderException.Kind.TIMEOUT);
    }
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        calls.add(callers.submit(() -> provider.fetch(SecretRef.parse("gcp:db"))));
      }
      for (Future<?> call : calls) {
        call.get(10, TimeUnit.SECONDS);
      }
    } finally {
      callers.shutdown();
      assertThat(callers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void providerAndServer_closed_leaveNoThreadBehind() throws Exception {
    Set<Thread> before = liveThreads();
    try (FakeSecretManager gcp = FakeSecretManager.start()) {
      GcpSecretProvider provider =
          GcpSecretProvider.fromEnvironment(
              Testing.with(gcp.environment(), "LATCHKEY_GCP_TIMEOUT", "1s"));
      try {
        exercise(gcp, provider);
        assertThat(newThreads(before, null)).anyMatch(name -> name.startsWith("latchkey-gcp-"));
      } finally {
        provider.close();
      }

      assertThat(newThreads(before, null)).noneMatch(name -> name.startsWith("latchkey-gcp-"));
    }
    assertThat(awaitNoNewThreads(before, null)).isEmpty();
  }

  @Test
  void provider_closed_whileTheServerRuns_leavesNoClientThreadBehind() throws Exception {
    try (FakeSecretManager gcp = FakeSecretManager.start()) {
      gcp.addVersion("warm", utf8("x"));
      Set<Thread> before = liveThreads();
      GcpSecretProvider provider =
          GcpSecretProvider.fromEnvironment(
              Testing.with(gcp.environment(), "LATCHKEY_GCP_TIMEOUT", "1s"));
      try {
        exercise(gcp, provider);
      } finally {
        provider.close();
      }

      assertThat(awaitNoNewThreads(before, "fake-secretmanager-")).isEmpty();
    }
  }

  @Test
  void closingAProviderWithACallInFlight_endsTheCall() throws Exception {
    try (FakeSecretManager gcp = FakeSecretManager.start()) {
      gcp.addVersion("db", utf8("value"));
      gcp.fail(Failure.HANG);
      GcpSecretProvider provider =
          GcpSecretProvider.fromEnvironment(
              Testing.with(gcp.environment(), "LATCHKEY_GCP_TIMEOUT", "500ms"));
      ExecutorService caller = Executors.newSingleThreadExecutor();
      try {
        Future<?> call = caller.submit(() -> provider.fetch(SecretRef.parse("gcp:db")));
        assertThat(gcp.awaitRequests("AccessSecretVersion", 1, GRACE)).isTrue();
        provider.close();

        Throwable failure =
            org.assertj.core.api.Assertions.catchThrowable(() -> call.get(10, TimeUnit.SECONDS));
        assertThat(failure).hasCauseInstanceOf(ProviderException.class);
      } finally {
        provider.close();
        caller.shutdownNow();
      }
    }
  }
}
