package io.latchkey.provider.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.resolver.SecretProviders;
import io.latchkey.testsupport.LogCapture;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * The warm-up reads through the provider's whole call path, answered by its own loopback server,
 * and leaves nothing behind.
 */
final class VaultWarmUpTest {

  @Test
  void theMountLookUpAndTheRead_answeredByItsOwnServer_leavingNoThread_loggingNothingAboveDebug() {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    int answered;
    List<io.latchkey.testsupport.CapturingSlf4jProvider.Event> events;
    try (LogCapture log = LogCapture.start()) {
      answered = VaultWarmUp.run();
      events = log.events();
    }
    Set<Thread> after = new HashSet<>(Thread.getAllStackTraces().keySet());
    after.removeAll(before);
    after.removeIf(t -> !t.isAlive());
    assertThat(after).as("threads left").isEmpty();
    // The mount look-up and the read; the renewer's token look-up may or may not have been sent
    // before the provider closed.
    assertThat(answered).isBetween(2, 3);
    assertThat(events)
        .as("nothing above DEBUG")
        .allMatch(e -> e.level() == Level.DEBUG || e.level() == Level.TRACE);
    assertThat(events).noneMatch(e -> e.message().contains("did not complete"));
  }

  @Test
  void foundByName_throughTheFactory() {
    assertThat(SecretProviders.warmUp(List.of("vault", "no-such-provider"))).isEqualTo(1);
  }
}
