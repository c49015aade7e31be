package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import io.latchkey.provider.aws.testing.FakeSecretsManager.Fault;
import io.latchkey.spi.SecretVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code BatchGetSecretValue}: chunks of 20 sent in parallel, errors left to single fetches. */
final class BatchTest {
  private final FakeSecretsManager fake = FakeSecretsManager.start();
  private final AwsSecretProvider provider = AwsSecretProvider.fromEnvironment(fake.environment());

  @AfterEach
  void close() {
    provider.close();
    fake.close();
  }

  private List<SecretRef> secrets(int n) {
    List<SecretRef> refs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      fake.putSecretString("batch/" + i, "{\"v\":\"value-" + i + "\"}");
      refs.add(SecretRef.parse("aws:batch/" + i + "#v"));
    }
    return refs;
  }

  @Test
  void fiftyReferences_takeThreeCalls_allInFlightAtOnce() throws Exception {
    List<SecretRef> refs = secrets(50);
    fake.failOperation("BatchGetSecretValue", Fault.HOLD, 3);
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      Future<Map<SecretRef, SecretVersion>> call = caller.submit(() -> provider.fetchAll(refs));

      // Three calls one after another could never be held by the fake together.
      assertThat(fake.awaitHung(3, Duration.ofSeconds(30))).isTrue();
      fake.releaseHung();
      Map<SecretRef, SecretVersion> fetched = call.get();

      assertThat(fetched).hasSize(50);
      assertThat(fetched.get(refs.get(49)).value().reveal()).isEqualTo("value-49");
      assertThat(fake.requests("BatchGetSecretValue")).isEqualTo(3);
      assertThat(fake.requests("GetSecretValue")).isZero();
      assertThat(fake.maxInFlight()).isEqualTo(3);
    } finally {
      caller.shutdownNow();
    }
  }

  @Test
  void eachCall_carriesAtMostTwentyIds_andEachSecretOnce() throws Exception {
    List<SecretRef> refs = new ArrayList<>(secrets(21));
    refs.add(SecretRef.parse("aws:batch/20"));
    refs.add(SecretRef.parse("aws:batch/20@AWSCURRENT"));

    Map<SecretRef, SecretVersion> fetched = provider.fetchAll(refs);

    assertThat(fetched).hasSize(23);
    assertThat(fetched.get(SecretRef.parse("aws:batch/20")).value().reveal())
        .isEqualTo("{\"v\":\"value-20\"}");
    assertThat(fake.requests("BatchGetSecretValue")).isEqualTo(2);
    // The two calls run in parallel, so which one came last is not known: it had 20 ids or 1.
    JsonNode last = new ObjectMapper().readTree(fake.lastRequest("BatchGetSecretValue").get());
    assertThat(last.path("SecretIdList").size()).isIn(1, 20);
    assertThat(last.size()).isEqualTo(1);
  }

  @Test
  void referencesToOtherVersions_areLeftOut_withoutACall() {
    String v1 = fake.putSecretString("versioned", "one");
    fake.putSecretString("versioned", "two");

    Map<SecretRef, SecretVersion> fetched =
        provider.fetchAll(
            List.of(
                SecretRef.parse("aws:versioned@AWSPREVIOUS"),
                SecretRef.parse("aws:versioned@" + v1),
                SecretRef.parse("aws:versioned@custom")));

    assertThat(fetched).isEmpty();
    assertThat(fake.requests("BatchGetSecretValue")).isZero();
  }

  @Test
  void secretsTheAnswerReportsInErrors_areLeftOut_theOthersFetched() {
    List<SecretRef> refs = new ArrayList<>(secrets(3));
    refs.add(SecretRef.parse("aws:batch/missing"));
    fake.failSecret("batch/1", Fault.ACCESS_DENIED);

    Map<SecretRef, SecretVersion> fetched = provider.fetchAll(refs);

    assertThat(fetched).containsOnlyKeys(refs.get(0), refs.get(2));
    assertThat(fake.requests("BatchGetSecretValue")).isEqualTo(1);
  }

  @Test
  void partialArns_andFullArns_matchTheirEntries() {
    fake.putSecretString("by-arn", "{\"k\":\"v\"}");
    String arn = fake.arn("by-arn");
    String partial = arn.substring(0, arn.length() - 7);
    SecretRef full = SecretRef.of("aws", arn).withField("k");
    SecretRef part = SecretRef.of("aws", partial).withField("k");

    Map<SecretRef, SecretVersion> fetched = provider.fetchAll(List.of(full, part));

    assertThat(fetched).containsOnlyKeys(full, part);
    assertThat(fetched.get(part).value().reveal()).isEqualTo("v");
  }

  @Test
  void aCallThatFailsAsAWhole_leavesItsSecretsOut_whileTheOtherCallsSucceed() {
    List<SecretRef> refs = secrets(45);
    fake.failOperation("BatchGetSecretValue", Fault.THROTTLING, 1);

    Map<SecretRef, SecretVersion> fetched = provider.fetchAll(refs);

    assertThat(fetched).hasSizeBetween(25, 40);
    assertThat(fake.requests("BatchGetSecretValue")).isEqualTo(3);
  }

  @Test
  void whenEveryCallFails_theBatchThrows_withTheKind() {
    List<SecretRef> refs = secrets(30);
    fake.failOperation("BatchGetSecretValue", Fault.THROTTLING);

    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> provider.fetchAll(refs));

    assertThat(e.kind()).isEqualTo(Kind.THROTTLED);
    assertThat(e.reason()).contains("ThrottlingException");
    assertThat(fake.requests("BatchGetSecretValue")).isEqualTo(2);
  }

  @Test
  void missingBatchPermission_throwsAccessDenied_soTheResolverFetchesSingly() {
    List<SecretRef> refs = secrets(2);
    fake.failOperation("BatchGetSecretValue", Fault.ACCESS_DENIED);

    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> provider.fetchAll(refs));

    assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(e.reason()).contains("secretsmanager:BatchGetSecretValue");
  }

  @Test
  void anAnswerWithoutTheServicesShape_isMalformed() {
    List<SecretRef> refs = secrets(2);
    for (Fault fault : List.of(Fault.EMPTY_OBJECT, Fault.GARBAGE)) {
      fake.failOperation("BatchGetSecretValue", fault, 1);

      ProviderException e =
          catchThrowableOfType(ProviderException.class, () -> provider.fetchAll(refs));

      assertThat(e.kind()).as(fault.name()).isEqualTo(Kind.MALFORMED_RESPONSE);
    }
  }

  @Test
  void emptyInput_makesNoCall() {
    assertThat(provider.fetchAll(List.of())).isEmpty();
    assertThat(fake.requests("BatchGetSecretValue")).isZero();
  }
}
