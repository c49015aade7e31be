package io.latchkey.provider.gcp;

import static io.latchkey.provider.gcp.Testing.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;
import io.latchkey.provider.gcp.testing.FakeSecretManager;
import io.latchkey.provider.gcp.testing.FakeSecretManager.Failure;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every gRPC failure the service can answer with maps to the right exception, after exactly one
 * attempt: the client's own retries are off.
 */
final class ErrorMappingTest {
  private static final SecretRef DB = SecretRef.parse("gcp:db");

  private FakeSecretManager gcp;
  private GcpSecretProvider provider;

  @BeforeAll
  static void warmUp() {
    Testing.warmUp();
  }

  @BeforeEach
  void start() {
    gcp = FakeSecretManager.start();
    gcp.addVersion("db", utf8("value"));
    provider =
        GcpSecretProvider.fromEnvironment(
            Testing.with(gcp.environment(), "LATCHKEY_GCP_TIMEOUT", "1s"));
  }

  @AfterEach
  void stop() {
    provider.close();
    gcp.close();
  }

  private ProviderException fetchFailure() {
    return catchThrowableOfType(ProviderException.class, () -> provider.fetch(DB));
  }

  private ProviderException injected(Failure failure) {
    gcp.fail(failure);
    long before = gcp.requests("AccessSecretVersion");
    ProviderException e = fetchFailure();
    assertThat(gcp.requests("AccessSecretVersion") - before).as("attempts").isEqualTo(1);
    assertThat(e.ref()).isEqualTo(DB);
    assertThat(e.getCause()).as("the client's exception is not attached").isNull();
    return e;
  }

  @Test
  void permissionDenied_isAccessDenied_namingThePermission() {
    ProviderException e = injected(Failure.PERMISSION_DENIED);

    assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage())
        .isEqualTo(
            "secret gcp:db: access denied: permission denied (PERMISSION_DENIED,"
                + " IAM_PERMISSION_DENIED); the caller needs secretmanager.versions.access on the"
                + " secret");
  }

  @Test
  void unauthenticated_isAccessDenied() {
    ProviderException e = injected(Failure.UNAUTHENTICATED);

    assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(e.reason()).isEqualTo("the credentials were not accepted (UNAUTHENTICATED)");
  }

  @Test
  void resourceExhausted_isThrottled_andRetryable() {
    ProviderException e = injected(Failure.RESOURCE_EXHAUSTED);

    assertThat(e.kind()).isEqualTo(Kind.THROTTLED);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.reason())
        .isEqualTo("quota or rate exceeded (RESOURCE_EXHAUSTED, RATE_LIMIT_EXCEEDED)");
  }

  @Test
  void unavailable_isUnavailable_andRetryable_afterOneAttempt() {
    ProviderException e = injected(Failure.UNAVAILABLE);

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.reason()).isEqualTo("the service or the connection failed (UNAVAILABLE)");
  }

  @Test
  void internal_isUnavailable() {
    ProviderException e = injected(Failure.INTERNAL);

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.reason()).isEqualTo("the service or the connection failed (INTERNAL)");
  }

  @Test
  void invalidArgument_isOther() {
    ProviderException e = injected(Failure.INVALID_ARGUMENT);

    assertThat(e.kind()).isEqualTo(Kind.OTHER);
    assertThat(e.reason()).isEqualTo("the service rejected the call (INVALID_ARGUMENT)");
  }

  @Test
  void hang_isATimeout_afterThePerCallDeadline() {
    ProviderException e = injected(Failure.HANG);

    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.reason()).isEqualTo("no answer within 1s (DEADLINE_EXCEEDED)");
  }

  @Test
  void anAnswerAfterTheDeadline_isATimeout_andNeverTheAnswerOfTheNextCall() {
    // The fake holds the first answer until a second request comes: it is late by construction,
    // not by a race between a delay and the deadline.
    gcp.gatherAnswers(2);

    assertThat(fetchFailure().kind()).isEqualTo(Kind.TIMEOUT);
    gcp.addVersion("db", utf8("second"));
    assertThat(provider.fetch(DB).value().reveal()).isEqualTo("second");
    assertThat(gcp.requests("AccessSecretVersion")).isEqualTo(2);
  }

  @Test
  void garbage_aResponseNamingNoVersion_isMalformed() {
    ProviderException e = injected(Failure.GARBAGE);

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(e.reason())
        .isEqualTo(
            "the response does not name a numbered version of projects/test-project/secrets/db"
                + " (asked for version latest)");
  }

  @Test
  void garbage_inMetadata_isMalformed_too() {
    gcp.fail(Failure.GARBAGE);

    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> provider.currentVersionId(DB));

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
  }

  @Test
  void metadataCall_failuresMapTheSameWay() {
    gcp.fail(Failure.RESOURCE_EXHAUSTED, 1);
    ProviderException throttled =
        catchThrowableOfType(ProviderException.class, () -> provider.currentVersionId(DB));
    gcp.fail(Failure.UNAUTHENTICATED, 1);
    ProviderException denied =
        catchThrowableOfType(ProviderException.class, () -> provider.currentVersionId(DB));

    assertThat(throttled.kind()).isEqualTo(Kind.THROTTLED);
    assertThat(denied.kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(provider.currentVersionId(DB)).contains("1");
    assertThat(gcp.requests("GetSecretVersion")).isEqualTo(3);
  }

  @Test
  void failNext_failsOnlyThatManyRequests() {
    gcp.fail(Failure.UNAVAILABLE, 2);

    assertThat(fetchFailure().kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(fetchFailure().kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(provider.fetch(DB).value().reveal()).isEqualTo("value");
  }

  @Test
  void failSecret_failsOnlyThatSecret_untilCleared() {
    gcp.addVersion("other", utf8("fine"));
    gcp.failSecret("db", Failure.PERMISSION_DENIED);

    assertThat(fetchFailure().kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(provider.fetch(SecretRef.parse("gcp:other")).value().reveal()).isEqualTo("fine");
    gcp.clearFailures();
    assertThat(provider.fetch(DB).value().reveal()).isEqualTo("value");
  }

  @Test
  void connectionRefused_isUnavailable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    try (GcpSecretProvider nowhere =
        GcpSecretProvider.builder()
            .endpoint("127.0.0.1:" + port)
            .plaintext(true)
            .project("p")
            .timeout(Duration.ofSeconds(2))
            .build()) {
      ProviderException e = catchThrowableOfType(ProviderException.class, () -> nowhere.fetch(DB));

      assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(e.reason()).isEqualTo("the service or the connection failed (UNAVAILABLE)");
    }
  }

  @Test
  void anEndpointWithoutTheService_isUnsupported() throws Exception {
    // A gRPC server that serves nothing answers every call with UNIMPLEMENTED.
    Server bare =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .build()
            .start();
    try (GcpSecretProvider elsewhere =
        GcpSecretProvider.builder()
            .endpoint("127.0.0.1:" + bare.getPort())
            .plaintext(true)
            .project("p")
            .build()) {
      ProviderException e =
          catchThrowableOfType(ProviderException.class, () -> elsewhere.fetch(DB));

      assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
      assertThat(e.reason()).isEqualTo("the endpoint does not implement the call (UNIMPLEMENTED)");
    } finally {
      bare.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void serverGone_isUnavailable() {
    assertThat(provider.fetch(DB).value().reveal()).isEqualTo("value");
    gcp.close();

    assertThat(fetchFailure().kind()).isIn(Kind.UNAVAILABLE);
  }

  @Test
  void interruptedCaller_isATimeout_andKeepsItsInterruptFlag() throws Exception {
    gcp.fail(Failure.HANG);
    try (GcpSecretProvider slow =
        GcpSecretProvider.fromEnvironment(
            Testing.with(gcp.environment(), "LATCHKEY_GCP_TIMEOUT", "30s"))) {
      ProviderException[] failure = new ProviderException[1];
      boolean[] flag = new boolean[1];
      Thread caller =
          new Thread(
              () -> {
                try {
                  slow.fetch(DB);
                } catch (ProviderException e) {
                  failure[0] = e;
                  flag[0] = Thread.currentThread().isInterrupted();
                }
              });
      caller.start();
      assertThat(gcp.awaitRequests("AccessSecretVersion", 1, Duration.ofSeconds(30))).isTrue();
      caller.interrupt();
      caller.join(10_000);

      assertThat(caller.isAlive()).isFalse();
      assertThat(failure[0].kind()).isEqualTo(Kind.TIMEOUT);
      assertThat(failure[0].reason()).isEqualTo("interrupted while waiting for Secret Manager");
      assertThat(flag[0]).isTrue();
    }
  }
}
