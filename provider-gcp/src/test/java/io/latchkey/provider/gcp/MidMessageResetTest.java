package io.latchkey.provider.gcp;

import static io.latchkey.provider.gcp.Testing.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;
import io.latchkey.provider.gcp.MidMessageProxy.Cut;
import io.latchkey.provider.gcp.testing.FakeSecretManager;
import io.latchkey.provider.gcp.testing.FakeSecretManager.Failure;
import io.latchkey.resolver.ProviderHealth;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An answer cut in the middle of its message, by a stream reset or a closed connection, is a
 * transport failure: {@code UNAVAILABLE}, retried, the held value served stale, and never a part of
 * the new value. Every check counts requests, cuts or moves a clock.
 */
final class MidMessageResetTest {
  private static final String OLD = "canary-old-4f1e8b2d";
  private static final String NEW = "canary-new-9a3c7e61";

  private final FakeSecretManager gcp = FakeSecretManager.start();
  private final MidMessageProxy proxy = MidMessageProxy.to(gcp.target());
  private final MutableClock clock = new MutableClock();
  private final GcpSecretProvider provider =
      GcpSecretProvider.builder()
          .endpoint(proxy.target())
          .plaintext(true)
          .project(gcp.project())
          .clock(clock)
          .build();
  private final SecretRef db = SecretRef.parse("gcp:db#password");

  MidMessageResetTest() {
    gcp.addVersion("db", payload(OLD));
  }

  /** A JSON secret large enough that half an answer holds part of the password. */
  private static byte[] payload(String password) {
    return utf8("{\"padding\":\"" + "x".repeat(100) + "\",\"password\":\"" + password + "\"}");
  }

  @AfterEach
  void stop() {
    provider.close();
    proxy.close();
    gcp.close();
  }

  @ParameterizedTest
  @EnumSource(names = {"RESET_STREAM", "CLOSE_CONNECTION"})
  void cutMidMessage_isUnavailable_inOneRequest_andTheNextCallIsServed(Cut cut) {
    assertThat(provider.fetch(db).value().reveal()).isEqualTo(OLD);
    proxy.cut(cut);

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.fetch(db));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getCause()).isNull();
    assertThat(proxy.cuts()).isEqualTo(1);
    assertThat(gcp.requests("AccessSecretVersion")).isEqualTo(2);
    Leaks.assertNoLeak(e, OLD);

    // Over the same connection after a reset, over a new one after a close.
    proxy.cut(Cut.NONE);
    assertThat(provider.fetch(db).value().reveal()).isEqualTo(OLD);
  }

  @Test
  void resetMidMessage_afterARotation_isRetried_theHeldValueServed_neverAPartOfTheNewOne() {
    // Without metadata access every refresh fetches the value, so every attempt is a cut answer.
    gcp.failMethod("GetSecretVersion", Failure.PERMISSION_DENIED);
    List<String> told = Collections.synchronizedList(new ArrayList<>());
    try (SecretResolver resolver = Testing.refreshingOnTheReader(provider, clock, 3).build()) {
      resolver.addListener(
          db, (ref, before, after) -> told.add(before.orElse("-") + "->" + after.orElse("-")));
      assertThat(resolver.resolve(db).reveal()).isEqualTo(OLD);
      long before = gcp.requests("AccessSecretVersion");

      gcp.addVersion("db", payload(NEW));
      proxy.cut(Cut.RESET_STREAM);
      clock.advance(Duration.ofMinutes(2));

      assertThat(resolver.resolve(db).reveal()).isEqualTo(OLD);
      assertThat(gcp.requests("AccessSecretVersion") - before).as("attempts").isEqualTo(3);
      assertThat(proxy.cuts()).isEqualTo(3);
      ProviderHealth health = resolver.health().get("gcp");
      assertThat(health.status()).isEqualTo(ProviderHealth.Status.DEGRADED);
      assertThat(health.lastErrorKind()).contains(Kind.UNAVAILABLE);
      assertThat(told).isEmpty();

      proxy.cut(Cut.NONE);
      clock.advance(Duration.ofMinutes(2));
      // The read that starts the refresh gets the held value; the refresh brings the new one.
      assertThat(resolver.resolve(db).reveal()).isEqualTo(OLD);
      assertThat(resolver.resolve(db).reveal()).isEqualTo(NEW);
      assertThat(told).containsExactly("1->2");
      assertThat(resolver.health().get("gcp").status()).isEqualTo(ProviderHealth.Status.OK);
    }
  }

  @Test
  void aCutAnswer_neverYieldsAValue_evenWhenEveryAnswerIsCut() {
    proxy.cut(Cut.RESET_STREAM);

    for (int i = 0; i < 5; i++) {
      ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.fetch(db));
      assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    }
    ProviderException meta =
        catchThrowableOfType(ProviderException.class, () -> provider.currentVersionId(db));
    assertThat(meta.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(proxy.cuts()).isEqualTo(6);
    assertThat(gcp.requests("AccessSecretVersion")).isEqualTo(5);
  }
}
