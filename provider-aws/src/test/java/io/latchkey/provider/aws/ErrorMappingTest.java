package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import io.latchkey.provider.aws.testing.FakeSecretsManager.Fault;
import io.latchkey.testsupport.LogCapture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Every failure the service (or the network) can produce maps to the right exception and kind,
 * after exactly one attempt, against the loopback fake over real sockets.
 */
final class ErrorMappingTest {
  private final FakeSecretsManager fake = FakeSecretsManager.start();
  private final AwsSecretProvider provider = open(Map.of("LATCHKEY_AWS_TIMEOUT", "400ms"));
  private final SecretRef ref = SecretRef.parse("aws:prod/db#password");

  ErrorMappingTest() {
    fake.putSecretString("prod/db", "{\"password\":\"pw\"}");
  }

  @AfterEach
  void close() {
    provider.close();
    fake.close();
  }

  private AwsSecretProvider open(Map<String, String> overrides) {
    Map<String, String> env = fake.environment();
    env.putAll(overrides);
    return AwsSecretProvider.fromEnvironment(env);
  }

  private ProviderException fetchFails(Fault fault) {
    fake.fail(fault);
    try {
      return catchThrowableOfType(ProviderException.class, () -> provider.fetch(ref));
    } finally {
      fake.clearFailures();
    }
  }

  @Test
  void accessDenied_isAccessDenied_namingTheOperation() {
    ProviderException e = fetchFails(Fault.ACCESS_DENIED);

    assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.ref()).isEqualTo(ref);
    assertThat(e.getMessage())
        .startsWith("secret aws:prod/db#password: access denied: ")
        .contains("secretsmanager:GetSecretValue")
        .contains("(AccessDeniedException, HTTP 400)");
    assertThat(e.getCause()).isNull();
  }

  @Test
  void decryptionFailure_isAccessDenied_namingKms() {
    ProviderException e = fetchFails(Fault.DECRYPTION_FAILURE);

    assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(e.reason()).contains("kms:Decrypt").contains("DecryptionFailure");
  }

  @Test
  void throttling_isThrottled_andRetryable() {
    ProviderException e = fetchFails(Fault.THROTTLING);

    assertThat(e.kind()).isEqualTo(Kind.THROTTLED);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.reason()).isEqualTo("rate exceeded (ThrottlingException, HTTP 400)");
  }

  @Test
  void internalError_isUnavailable() {
    ProviderException e = fetchFails(Fault.INTERNAL_ERROR);

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.reason()).isEqualTo("the service failed (InternalServiceError, HTTP 500)");
  }

  @Test
  void serviceUnavailableWithAnHtmlBody_isUnavailable() {
    ProviderException e = fetchFails(Fault.SERVICE_UNAVAILABLE);

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.reason()).contains("HTTP 503");
  }

  @Test
  void hang_isATimeout_afterOneAttempt() {
    ProviderException e = fetchFails(Fault.HANG);

    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.reason()).startsWith("no answer within 400ms");
    assertThat(fake.requests("GetSecretValue")).isEqualTo(1);
  }

  @Test
  void garbageBody_isMalformed() {
    ProviderException e = fetchFails(Fault.GARBAGE);

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(e.reason()).contains("GetSecretValue").contains("not the JSON");
  }

  @Test
  void jsonWithoutTheSecret_isMalformed() {
    ProviderException e = fetchFails(Fault.EMPTY_OBJECT);

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(e.reason()).isEqualTo("the answer has neither SecretString nor SecretBinary");
  }

  @Test
  void describeWithoutVersionIdsToStages_isMalformed() {
    fake.failOperation("DescribeSecret", Fault.EMPTY_OBJECT, 1);

    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> provider.currentVersionId(ref));

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(e.reason()).contains("VersionIdsToStages");
  }

  @Test
  void droppedConnection_isUnavailable() {
    ProviderException e = fetchFails(Fault.DISCONNECT);

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
  }

  @Test
  void refusedConnection_isUnavailable() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    try (AwsSecretProvider closedPort =
        open(Map.of("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:" + port))) {
      ProviderException e =
          catchThrowableOfType(ProviderException.class, () -> closedPort.fetch(ref));

      assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(e.reason()).isEqualTo("cannot connect to the service (ConnectException)");
    }
  }

  @Test
  void notFound_isSecretNotFound_notAProviderException() {
    fake.failSecret("prod/db", Fault.NOT_FOUND, 1);

    SecretNotFoundException e =
        catchThrowableOfType(SecretNotFoundException.class, () -> provider.fetch(ref));

    assertThat(e.reason()).isEqualTo("no such secret (ResourceNotFoundException, HTTP 400)");
  }

  @Test
  void unknownAccessKey_isAccessDenied() {
    try (AwsSecretProvider stranger = open(Map.of("AWS_ACCESS_KEY_ID", "AKIAUNKNOWNKEY000000"))) {
      ProviderException e =
          catchThrowableOfType(ProviderException.class, () -> stranger.fetch(ref));

      assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
      assertThat(e.reason()).contains("UnrecognizedClientException");
    }
  }

  @Test
  void wrongSecretKey_failsTheSignature_andIsAccessDenied() {
    try (AwsSecretProvider wrong =
        open(Map.of("AWS_SECRET_ACCESS_KEY", fake.secretAccessKey() + "x"))) {
      ProviderException e = catchThrowableOfType(ProviderException.class, () -> wrong.fetch(ref));

      assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
      assertThat(e.reason()).contains("InvalidSignatureException");
    }
  }

  @Test
  void wrongRegion_failsTheCredentialScope_andIsAccessDenied() {
    try (AwsSecretProvider elsewhere = open(Map.of("AWS_REGION", "eu-west-1"))) {
      ProviderException e =
          catchThrowableOfType(ProviderException.class, () -> elsewhere.fetch(ref));

      assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
      assertThat(e.reason()).contains("InvalidSignatureException");
    }
  }

  @Test
  void temporaryCredentials_sendTheSessionToken() {
    try (AwsSecretProvider temporary =
        AwsSecretProvider.fromEnvironment(fake.temporaryEnvironment())) {
      assertThat(temporary.fetch(ref).value().reveal()).isEqualTo("pw");
    }
    Map<String, String> withoutToken = fake.temporaryEnvironment();
    withoutToken.remove("AWS_SESSION_TOKEN");
    try (AwsSecretProvider noToken = AwsSecretProvider.fromEnvironment(withoutToken)) {
      assertThat(catchThrowableOfType(ProviderException.class, () -> noToken.fetch(ref)).kind())
          .isEqualTo(Kind.ACCESS_DENIED);
    }
  }

  @Test
  void noCredentialsAnywhere_isAccessDenied_sayingWhereToPutThem() {
    try (AwsSecretProvider none =
        AwsSecretProvider.builder()
            .endpoint(fake.endpoint())
            .credentialsProvider(
                () -> {
                  throw SdkClientException.create(
                      "Unable to load credentials from any of the providers in the chain");
                })
            .build()) {
      ProviderException e = catchThrowableOfType(ProviderException.class, () -> none.fetch(ref));

      assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
      assertThat(e.reason()).startsWith("no AWS credentials found");
    }
    assertThat(fake.requests("GetSecretValue")).isZero();
  }

  @Test
  void deletedSecret_isNotFound() {
    fake.deleteSecret("prod/db");

    SecretNotFoundException e =
        catchThrowableOfType(SecretNotFoundException.class, () -> provider.fetch(ref));

    assertThat(e.reason()).contains("InvalidRequestException").contains("scheduled for deletion");
  }

  @Test
  void everyFailure_isOneAttempt_theClientDoesNotRetry() {
    for (Fault fault :
        List.of(
            Fault.THROTTLING,
            Fault.INTERNAL_ERROR,
            Fault.SERVICE_UNAVAILABLE,
            Fault.DISCONNECT,
            Fault.GARBAGE)) {
      fake.resetCounters();
      fetchFails(fault);
      // A connection dropped before a byte of the answer may be a kept-alive connection the
      // server closed while idle: the read is sent again, once, on a new connection (RFC 9112
      // allows it for an idempotent request). The faults before it leave such a connection.
      assertThat(fake.requests("GetSecretValue"))
          .as(fault.name())
          .isEqualTo(fault == Fault.DISCONNECT ? 2 : 1);
    }
  }

  @Test
  void currentVersionId_mapsFailuresToo() {
    fake.failOperation("DescribeSecret", Fault.THROTTLING, 1);
    assertThat(
            catchThrowableOfType(ProviderException.class, () -> provider.currentVersionId(ref))
                .kind())
        .isEqualTo(Kind.THROTTLED);

    fake.failOperation("DescribeSecret", Fault.INTERNAL_ERROR, 1);
    assertThat(
            catchThrowableOfType(ProviderException.class, () -> provider.currentVersionId(ref))
                .kind())
        .isEqualTo(Kind.UNAVAILABLE);
  }

  @Test
  void describeDenied_answersUnknown_warnsOnce_andStopsAsking() throws Exception {
    fake.failOperation("DescribeSecret", Fault.ACCESS_DENIED);
    String log;
    try (LogCapture capture = LogCapture.start()) {
      assertThat(provider.currentVersionId(ref)).isEmpty();
      assertThat(provider.currentVersionId(ref)).isEmpty();
      log = capture.text();
    }

    assertThat(fake.requests("DescribeSecret")).isEqualTo(1);
    assertThat(log).containsOnlyOnce("not allowed to call secretsmanager:DescribeSecret");
    // A version id needs no call at all, allowed or not.
    assertThat(provider.currentVersionId(ref.withVersion("a1b2c3d4-0000-4000-8000-00000000000f")))
        .contains("a1b2c3d4-0000-4000-8000-00000000000f");
  }

  @Test
  void closedProvider_throwsIllegalState() {
    provider.close();

    assertThat(catchThrowableOfType(IllegalStateException.class, () -> provider.fetch(ref)))
        .hasMessage("the aws provider is closed");
    assertThat(
            catchThrowableOfType(
                IllegalStateException.class, () -> provider.fetchAll(List.of(ref))))
        .hasMessage("the aws provider is closed");
  }

  @Test
  void errorCodes_areSanitised_beforeTheyAreQuoted() {
    assertThat(AwsErrors.sanitize("com.amazonaws.secretsmanager#ResourceNotFoundException"))
        .isEqualTo("ResourceNotFoundException");
    assertThat(AwsErrors.sanitize("ThrottlingException:http://internal.amazon.com/coral/"))
        .isEqualTo("ThrottlingException");
    assertThat(AwsErrors.sanitize("value with spaces")).isNull();
    assertThat(AwsErrors.sanitize("x".repeat(100))).isNull();
    assertThat(AwsErrors.sanitize(null)).isNull();
  }
}
