package io.latchkey.provider.gcp;

import static io.latchkey.provider.gcp.Testing.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;
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
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provider against a server that misbehaves: frames that do not parse, answers over the
 * channel's cap, metadata denials that pass. Every check counts requests or advances a clock.
 */
final class MisbehavingBackendTest {
  private static final String CANARY = "canary-gcp-9d41";

  private final FakeSecretManager gcp = FakeSecretManager.start();
  private final MutableClock clock = new MutableClock();
  private final GcpSecretProvider provider =
      GcpSecretProvider.builder()
          .endpoint(gcp.target())
          .plaintext(true)
          .project(gcp.project())
          .clock(clock)
          .build();
  private final SecretRef db = SecretRef.parse("gcp:db#password");

  @BeforeAll
  static void warmUp() {
    Testing.warmUp();
  }

  MisbehavingBackendTest() {
    gcp.addVersion("db", utf8("{\"password\":\"" + CANARY + "\"}"));
  }

  @AfterEach
  void stop() {
    provider.close();
    gcp.close();
  }

  @Test
  void unparsableFrame_isMalformed_inOneRequest_notRetried() {
    gcp.unparsableAnswers(true);

    ProviderException fetch =
        catchThrowableOfType(ProviderException.class, () -> provider.fetch(db));
    ProviderException meta =
        catchThrowableOfType(ProviderException.class, () -> provider.currentVersionId(db));

    assertThat(fetch.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(fetch.isRetryable()).isFalse();
    assertThat(fetch.reason())
        .isEqualTo("the answer is not the message the service sends (CANCELLED)");
    assertThat(fetch.getCause()).isNull();
    assertThat(meta.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(gcp.requests("AccessSecretVersion")).isEqualTo(1);
    assertThat(gcp.requests("GetSecretVersion")).isEqualTo(1);

    gcp.unparsableAnswers(false);
    assertThat(provider.fetch(db).value().reveal()).isEqualTo(CANARY);
  }

  @Test
  void unparsableAnswerAfterRotation_servesTheStaleValue_degraded_withoutTellingListeners() {
    List<SecretRef> told = Collections.synchronizedList(new ArrayList<>());
    try (SecretResolver resolver = Testing.refreshingOnTheReader(provider, clock, 1).build()) {
      resolver.addListener(db, (ref, before, after) -> told.add(ref));
      assertThat(resolver.resolve(db).reveal()).isEqualTo(CANARY);

      gcp.addVersion("db", utf8("{\"password\":\"rotated-b77c\"}"));
      gcp.unparsableAnswers(true);
      clock.advance(Duration.ofMinutes(2));

      assertThat(resolver.resolve(db).reveal()).isEqualTo(CANARY);
      ProviderHealth health = resolver.health().get("gcp");
      assertThat(health.status()).isEqualTo(ProviderHealth.Status.DEGRADED);
      assertThat(health.lastErrorKind()).contains(Kind.MALFORMED_RESPONSE);
      assertThat(told).isEmpty();
    }
  }

  @Test
  void answerOverTheCap_isMalformed_inOneRequest_neverAValue() {
    byte[] big = new byte[GcpErrors.INBOUND_CAP + 1];
    java.util.Arrays.fill(big, (byte) 'a');
    gcp.addVersion("big", big);

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> provider.fetch(SecretRef.parse("gcp:big")));

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.reason())
        .isEqualTo(
            "the answer is larger than 1 MiB, more than the service sends (RESOURCE_EXHAUSTED)");
    assertThat(gcp.requests("AccessSecretVersion")).isEqualTo(1);
  }

  @Test
  void compressedAnswerOverTheCap_isMalformed_inOneRequest() {
    // 2 MiB of one byte: a few KiB on the wire, over the cap once read.
    byte[] big = new byte[2 * GcpErrors.INBOUND_CAP];
    java.util.Arrays.fill(big, (byte) 'a');
    gcp.addVersion("big", big);
    gcp.compressAnswers(true);

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> provider.fetch(SecretRef.parse("gcp:big")));

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(e.reason()).startsWith("the answer is larger than 1 MiB");
    assertThat(gcp.requests("AccessSecretVersion")).isEqualTo(1);
    assertThat(provider.fetch(db).value().reveal()).isEqualTo(CANARY);
  }

  @Test
  void answerOverTheCap_isRefused_evenByACallersClientThatAllowsMore() throws Exception {
    byte[] big = new byte[GcpErrors.INBOUND_CAP + 1];
    gcp.addVersion("big", big);
    // gRPC's default cap, 4 MiB, on the caller's channel.
    SecretManagerServiceSettings settings = Testing.plaintextClientSettings(gcp.target());
    try (SecretManagerServiceClient client = SecretManagerServiceClient.create(settings);
        GcpSecretProvider callers =
            GcpSecretProvider.builder().client(client).project(gcp.project()).build()) {
      ProviderException e =
          catchThrowableOfType(
              ProviderException.class, () -> callers.fetch(SecretRef.parse("gcp:big")));

      assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    }
  }

  @Test
  void quotaExhausted_fromTheService_isStillThrottled() {
    gcp.fail(Failure.RESOURCE_EXHAUSTED, 1);

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.fetch(db));

    assertThat(e.kind()).isEqualTo(Kind.THROTTLED);
  }

  @Test
  void quotaExhausted_describedAsTheClientsOwnRefusal_isThrottled_noTextIsRead() {
    // No ErrorInfo, and the very description gRPC gives an oversized answer: only where the status
    // came from (the server's trailers) tells it from the client's refusal.
    gcp.fail(Failure.QUOTA_WITHOUT_DETAILS, 2);

    ProviderException fetch =
        catchThrowableOfType(ProviderException.class, () -> provider.fetch(db));
    ProviderException meta =
        catchThrowableOfType(ProviderException.class, () -> provider.currentVersionId(db));

    assertThat(fetch.kind()).isEqualTo(Kind.THROTTLED);
    assertThat(fetch.isRetryable()).isTrue();
    assertThat(fetch.reason()).isEqualTo("quota or rate exceeded (RESOURCE_EXHAUSTED)");
    assertThat(meta.kind()).isEqualTo(Kind.THROTTLED);
  }

  @Test
  void metadataDenied_pausesTheChecksOfThatSecretOnly() {
    gcp.addVersion("other", utf8("x"));
    SecretRef other = SecretRef.parse("gcp:other");
    gcp.fail(Failure.PERMISSION_DENIED, 1);

    assertThat(provider.currentVersionId(db)).isEmpty();
    assertThat(provider.currentVersionId(other)).contains("1");
    assertThat(provider.currentVersionId(db)).isEmpty();

    assertThat(gcp.requests("GetSecretVersion")).isEqualTo(2);
  }

  @Test
  void metadataDenied_pausesChecks_thenResumesAfterTheBackOff() {
    gcp.fail(Failure.PERMISSION_DENIED, 2);

    assertThat(provider.currentVersionId(db)).isEmpty();
    assertThat(provider.currentVersionId(db)).isEmpty();
    assertThat(gcp.requests("GetSecretVersion")).isEqualTo(1);

    clock.advance(GcpCalls.FIRST_METADATA_PAUSE);
    assertThat(provider.currentVersionId(db)).isEmpty(); // denied again: the pause doubles
    assertThat(gcp.requests("GetSecretVersion")).isEqualTo(2);

    clock.advance(GcpCalls.FIRST_METADATA_PAUSE);
    assertThat(provider.currentVersionId(db)).isEmpty();
    assertThat(gcp.requests("GetSecretVersion")).isEqualTo(2);

    clock.advance(GcpCalls.FIRST_METADATA_PAUSE);
    Optional<String> version = provider.currentVersionId(db);
    assertThat(version).contains("1");
    assertThat(gcp.requests("GetSecretVersion")).isEqualTo(3);
    assertThat(provider.currentVersionId(db)).isEqualTo(version);
    assertThat(gcp.requests("GetSecretVersion")).isEqualTo(4);
  }

  @Test
  void missingChecksum_isAcceptedWithoutTheCheck() {
    gcp.omitChecksums(true);

    assertThat(provider.fetch(db).value().reveal()).isEqualTo(CANARY);
  }

  @Test
  void failures_neverCarryTheValue() {
    gcp.unparsableAnswers(true);
    ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.fetch(db));
    Leaks.assertNoLeak(e, CANARY);
  }
}
