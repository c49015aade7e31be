package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import io.latchkey.provider.aws.testing.FakeSecretsManager.Fault;
import io.latchkey.resolver.ProviderHealth;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The provider against a backend that misbehaves: answers with wrong-typed fields, bodies larger
 * than any real answer or cut short, denials that pass, hangs during close. Every check counts
 * requests or waits on latches; none times anything.
 */
final class MisbehavingBackendTest {
  private static final String VALUE = "{\"password\":\"canary-pw-7f3a9c\"}";

  private final FakeSecretsManager fake = FakeSecretsManager.start();
  private final MutableClock clock = new MutableClock();
  private final AwsSecretProvider provider;
  private final SecretRef whole = SecretRef.parse("aws:s6/c");
  private final SecretRef field = SecretRef.parse("aws:s6/c#password");

  MisbehavingBackendTest() {
    Map<String, String> env = fake.environment();
    env.put("LATCHKEY_AWS_TIMEOUT", "30s");
    provider = AwsSecretProvider.fromEnvironment(env);
    fake.putSecretString("s6/c", VALUE);
  }

  @AfterEach
  void close() {
    provider.close();
    fake.close();
  }

  private AwsSecretProvider withClock() {
    return AwsSecretProvider.builder()
        .endpoint(fake.endpoint())
        .region(fake.region())
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(fake.accessKeyId(), fake.secretAccessKey())))
        .timeout(Duration.ofSeconds(30))
        .clock(clock)
        .build();
  }

  /** One wrong-typed member of one answer, and the call that receives it. */
  private record Case(String operation, String path, String json) {
    @Override
    public String toString() {
      return operation + " " + path + " = " + json;
    }
  }

  private static final List<Case> CASES =
      List.of(
          new Case("GetSecretValue", "SecretString", VALUE),
          new Case("GetSecretValue", "SecretString", "42"),
          new Case("GetSecretValue", "SecretString", "true"),
          new Case("GetSecretValue", "SecretString", "[\"x\"]"),
          new Case("GetSecretValue", "SecretBinary", "12"),
          new Case("GetSecretValue", "SecretBinary", "\"not base64!\""),
          new Case("GetSecretValue", "VersionId", "{}"),
          new Case("GetSecretValue", "VersionId", "7"),
          new Case("GetSecretValue", "VersionStages", "\"AWSCURRENT\""),
          new Case("GetSecretValue", "VersionStages", "[1]"),
          new Case("GetSecretValue", "VersionStages", "[null]"),
          new Case("GetSecretValue", "ARN", "false"),
          new Case("GetSecretValue", "Name", "{\"a\":1}"),
          new Case("GetSecretValue", "CreatedDate", "\"yesterday\""),
          new Case("DescribeSecret", "VersionIdsToStages", "[]"),
          new Case("DescribeSecret", "VersionIdsToStages", "\"x\""),
          new Case("DescribeSecret", "VersionIdsToStages.*", "\"AWSCURRENT\""),
          new Case("DescribeSecret", "VersionIdsToStages.*", "[true]"),
          new Case("DescribeSecret", "DeletedDate", "\"soon\""),
          new Case("DescribeSecret", "ARN", "1"),
          new Case("DescribeSecret", "RotationEnabled", "\"yes\""),
          new Case("DescribeSecret", "RotationRules", "{\"AutomaticallyAfterDays\":\"7\"}"),
          new Case("DescribeSecret", "RotationRules", "{\"AutomaticallyAfterDays\":7.5}"),
          new Case("DescribeSecret", "Tags", "[{\"Key\":1}]"),
          new Case("DescribeSecret", "ReplicationStatus", "[{\"Status\":[]}]"),
          new Case("BatchGetSecretValue", "SecretValues", "{}"),
          new Case("BatchGetSecretValue", "SecretValues[0]", "\"x\""),
          new Case("BatchGetSecretValue", "SecretValues[0].SecretString", VALUE),
          new Case("BatchGetSecretValue", "SecretValues[0].SecretString", "3.5"),
          new Case("BatchGetSecretValue", "SecretValues[0].VersionStages", "\"AWSCURRENT\""),
          new Case("BatchGetSecretValue", "SecretValues[0].Name", "[]"),
          new Case("BatchGetSecretValue", "SecretValues[0].SecretBinary", "\"not base64!\""),
          new Case("BatchGetSecretValue", "SecretValues[0].CreatedDate", "\"x\""),
          new Case("BatchGetSecretValue", "Errors", "\"none\""),
          new Case("BatchGetSecretValue", "Errors", "[{\"SecretId\":5}]"),
          new Case("BatchGetSecretValue", "Errors", "[{\"ErrorCode\":{}}]"),
          new Case("BatchGetSecretValue", "Errors", "[{\"Message\":false}]"),
          new Case("BatchGetSecretValue", "NextToken", "false"));

  private Throwable call(String operation) {
    switch (operation) {
      case "GetSecretValue":
        return catchThrowable(() -> provider.fetch(field));
      case "DescribeSecret":
        return catchThrowable(() -> provider.currentVersionId(whole));
      default:
        return catchThrowable(() -> provider.fetchAll(List.of(field, whole)));
    }
  }

  @TestFactory
  Stream<DynamicTest> wrongTypedField_isMalformed_inOneRequest_neverAValue() {
    return CASES.stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.toString(),
                    () -> {
                      fake.clearFailures();
                      fake.resetCounters();
                      fake.corrupt(c.operation(), c.path(), c.json());

                      Throwable thrown = call(c.operation());

                      assertThat(thrown).as(c.toString()).isInstanceOf(ProviderException.class);
                      ProviderException e = (ProviderException) thrown;
                      assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
                      assertThat(e.isRetryable()).isFalse();
                      assertThat(e.reason()).contains(c.operation()).contains("malformed");
                      assertThat(e.getCause()).isNull();
                      assertThat(fake.requests(c.operation())).isEqualTo(1);
                      Leaks.assertNoLeak(e, "canary-pw-7f3a9c");
                    }));
  }

  @Test
  void objectSecretString_isMalformed_forTheWholeSecretAndForAField() {
    fake.corrupt("GetSecretValue", "SecretString", VALUE);

    ProviderException a =
        catchThrowableOfType(ProviderException.class, () -> provider.fetch(whole));
    ProviderException b =
        catchThrowableOfType(ProviderException.class, () -> provider.fetch(field));

    assertThat(a.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(a.reason())
        .isEqualTo(
            "the answer to GetSecretValue is malformed: member 'SecretString' is an object,"
                + " expected a string");
    assertThat(b.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
  }

  @Test
  void nullMembers_readAsAbsent_asEverywhereElse() {
    // SecretString null and no SecretBinary: the answer has no value at all.
    fake.corrupt("GetSecretValue", "SecretString", "null");
    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> provider.fetch(whole));
    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(e.reason()).isEqualTo("the answer has neither SecretString nor SecretBinary");

    // A Name of null is no Name, which the version check does not need.
    fake.clearFailures();
    fake.corrupt("DescribeSecret", "Name", "null");
    assertThat(provider.currentVersionId(whole)).isPresent();
  }

  @Test
  void wrongTypedAnswerAfterRotation_servesTheStaleValue_degraded_withoutTellingListeners() {
    AwsSecretProvider timed = withClock();
    List<String> told = Collections.synchronizedList(new ArrayList<>());
    try (SecretResolver resolver =
        SecretResolver.builder()
            // Reads after expiry do not wait for the refresh; run it on the reading thread so
            // that the read right after the rotation sees what the refresh found.
            .executor(Runnable::run)
            .provider(timed)
            .clock(clock)
            // A read after expiry no longer waits for the refresh; run it on the reading thread so
            // that the read sees its outcome.
            .executor(Runnable::run)
            .ttl(Duration.ofMinutes(1))
            .maxStale(Duration.ofMinutes(10))
            .jitter(0)
            .refreshAhead(1)
            .retry(1, Duration.ofMillis(1), Duration.ofMillis(1))
            .build()) {
      resolver.addListener(field, (ref, before, after) -> told.add(ref.toString()));
      assertThat(resolver.resolve(field).reveal()).isEqualTo("canary-pw-7f3a9c");

      fake.putSecretString("s6/c", "{\"password\":\"rotated-pw-55e1\"}");
      fake.corrupt("GetSecretValue", "SecretString", "{\"password\":\"x\"}");
      clock.advance(Duration.ofMinutes(2));

      assertThat(resolver.resolve(field).reveal()).isEqualTo("canary-pw-7f3a9c");
      ProviderHealth health = resolver.health().get("aws");
      assertThat(health.status()).isEqualTo(ProviderHealth.Status.DEGRADED);
      assertThat(health.lastErrorKind()).contains(Kind.MALFORMED_RESPONSE);
      assertThat(told).isEmpty();
    } finally {
      timed.close();
    }
  }

  @Test
  void describeDenied_pausesVersionChecks_thenResumesAfterTheBackOff() {
    try (AwsSecretProvider timed = withClock()) {
      fake.failOperation("DescribeSecret", Fault.ACCESS_DENIED, 2);

      assertThat(timed.currentVersionId(whole)).isEmpty();
      assertThat(timed.currentVersionId(whole)).isEmpty();
      assertThat(fake.requests("DescribeSecret")).isEqualTo(1);

      clock.advance(AwsCalls.DESCRIBE_FIRST_PAUSE);
      assertThat(timed.currentVersionId(whole)).isEmpty(); // denied again: the pause doubles
      assertThat(fake.requests("DescribeSecret")).isEqualTo(2);

      clock.advance(AwsCalls.DESCRIBE_FIRST_PAUSE);
      assertThat(timed.currentVersionId(whole)).isEmpty();
      assertThat(fake.requests("DescribeSecret")).isEqualTo(2);

      clock.advance(AwsCalls.DESCRIBE_FIRST_PAUSE);
      Optional<String> version = timed.currentVersionId(whole);
      assertThat(version).isPresent();
      assertThat(fake.requests("DescribeSecret")).isEqualTo(3);

      // Allowed again: the next check asks at once, and a later denial starts from the first pause.
      assertThat(timed.currentVersionId(whole)).isEqualTo(version);
      assertThat(fake.requests("DescribeSecret")).isEqualTo(4);
    }
  }

  @Test
  void describeDenied_pausesTheChecksOfThatSecretOnly() {
    fake.putSecretString("s6/other", "v");
    SecretRef other = SecretRef.parse("aws:s6/other");
    try (AwsSecretProvider timed = withClock()) {
      fake.failSecret("s6/c", Fault.ACCESS_DENIED);

      assertThat(timed.currentVersionId(whole)).isEmpty();
      assertThat(timed.currentVersionId(other)).isPresent();
      assertThat(timed.currentVersionId(whole)).isEmpty();
      assertThat(timed.currentVersionId(other)).isPresent();

      assertThat(fake.requests("DescribeSecret")).isEqualTo(3);
    }
  }

  @TestFactory
  Stream<DynamicTest> oversizedAnswer_isMalformed_inOneRequest() {
    return Stream.of(Fault.OVERSIZED, Fault.OVERSIZED_DECLARED)
        .flatMap(
            fault ->
                Stream.of("GetSecretValue", "DescribeSecret", "BatchGetSecretValue")
                    .map(
                        op ->
                            DynamicTest.dynamicTest(
                                fault + " " + op,
                                () -> {
                                  fake.clearFailures();
                                  fake.resetCounters();
                                  fake.failOperation(op, fault);

                                  Throwable thrown = call(op);

                                  assertThat(thrown).isInstanceOf(ProviderException.class);
                                  ProviderException e = (ProviderException) thrown;
                                  assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
                                  assertThat(e.reason()).contains("larger than");
                                  assertThat(fake.requests(op)).isEqualTo(1);
                                })));
  }

  @TestFactory
  Stream<DynamicTest> truncatedBody_isUnavailable_andRetryable_withALengthOrChunked() {
    return Stream.of(Fault.TRUNCATED, Fault.TRUNCATED_CHUNKED)
        .map(
            fault ->
                DynamicTest.dynamicTest(
                    fault.name(),
                    () -> {
                      fake.resetCounters();
                      fake.failOperation("GetSecretValue", fault, 1);

                      ProviderException e =
                          catchThrowableOfType(
                              ProviderException.class, () -> provider.fetch(field));

                      assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
                      assertThat(e.isRetryable()).isTrue();
                      assertThat(fake.requests("GetSecretValue")).isEqualTo(1);
                      Leaks.assertNoLeak(e, "canary-pw-7f3a9c");
                      assertThat(provider.fetch(field).value().reveal())
                          .isEqualTo("canary-pw-7f3a9c");
                    }));
  }

  @Test
  void theCaps_leaveRoomForTheLargestRealAnswers() {
    // 64 KiB of secret as base64, in twenty entries of a batch, with their metadata.
    int largestSingle = (65536 + 2) / 3 * 4 + 2048;
    assertThat(AwsAnswers.SINGLE_CAP).isGreaterThan(4 * largestSingle);
    assertThat(AwsAnswers.BATCH_CAP).isGreaterThan(20 * largestSingle);
  }

  @Test
  void timeout_isOneField_thatLaterCallsRead() {
    // What a resolver's per-attempt time-out hook would do: shorten the 30 s of the settings.
    provider.timeout(Duration.ofMillis(300));
    fake.failOperation("GetSecretValue", Fault.HANG);

    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> provider.fetch(field));

    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.reason()).startsWith("no answer within 300ms");
    assertThat(fake.requests("GetSecretValue")).isEqualTo(1);
  }

  @Test
  void close_duringAHang_abortsTheCalls_andLeavesNoProviderThread() throws Exception {
    List<SecretRef> refs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      fake.putSecretString("h/" + i, "v");
      refs.add(SecretRef.parse("aws:h/" + i));
    }
    fake.failOperation("BatchGetSecretValue", Fault.HANG);
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      Future<Throwable> batch = caller.submit(() -> catchThrowable(() -> provider.fetchAll(refs)));
      assertThat(fake.awaitHung(3, Duration.ofSeconds(30))).isTrue();

      provider.close();

      // The caller is released by the close (its calls aborted), not by the 30 s time-out, and
      // not by the fake, which still holds the three requests.
      Throwable thrown = batch.get();
      assertThat(thrown).isInstanceOf(ProviderException.class);
      assertThat(((ProviderException) thrown).kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(fake.inFlight()).isEqualTo(3);
      // No provider thread outlives the aborted calls. (This cannot tell whether close() waited
      // for them, since batch.get() returned only once they had ended: ThreadsTest checks that.)
      assertThat(Thread.getAllStackTraces().keySet())
          .filteredOn(Thread::isAlive)
          .extracting(Thread::getName)
          .noneMatch(name -> name.startsWith("latchkey-aws-"));
    } finally {
      caller.shutdownNow();
    }
  }
}
