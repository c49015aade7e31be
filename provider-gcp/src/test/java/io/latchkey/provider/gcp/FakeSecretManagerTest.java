package io.latchkey.provider.gcp;

import static io.latchkey.provider.gcp.Testing.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretVersion;
import io.latchkey.SecretRef;
import io.latchkey.provider.gcp.testing.FakeSecretManager;
import io.latchkey.provider.gcp.testing.FakeSecretManager.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The loopback server speaks the protocol as the official client expects it. */
final class FakeSecretManagerTest {
  private FakeSecretManager gcp;
  private SecretManagerServiceClient client;

  @BeforeEach
  void start() throws Exception {
    gcp = FakeSecretManager.start();
    client = SecretManagerServiceClient.create(Testing.plaintextClientSettings(gcp.target()));
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    client.awaitTermination(5, TimeUnit.SECONDS);
    gcp.close();
  }

  @Test
  void target_isLoopback_andTheEnvironmentPointsAtIt() {
    assertThat(gcp.target()).matches("127\\.0\\.0\\.1:[0-9]+");
    assertThat(gcp.project()).isEqualTo("test-project");
    assertThat(gcp.environment())
        .containsEntry("GOOGLE_CLOUD_PROJECT", "test-project")
        .containsEntry("LATCHKEY_GCP_ENDPOINT", gcp.target())
        .containsEntry("LATCHKEY_GCP_PLAINTEXT", "true");
  }

  @Test
  void access_answersWithTheProjectNumberAndTheChecksum() {
    assertThat(gcp.addVersion("db", utf8("one"))).isEqualTo(1);
    assertThat(gcp.addVersion("db", utf8("two"))).isEqualTo(2);

    AccessSecretVersionResponse response =
        client.accessSecretVersion("projects/test-project/secrets/db/versions/latest");

    assertThat(response.getName()).isEqualTo("projects/123456789012/secrets/db/versions/2");
    assertThat(response.getPayload().getData().toStringUtf8()).isEqualTo("two");
    CRC32C crc = new CRC32C();
    crc.update(utf8("two"));
    assertThat(response.getPayload().getDataCrc32C()).isEqualTo(crc.getValue());
    assertThat(gcp.projectNumber("test-project")).isEqualTo(123456789012L);
  }

  @Test
  void getSecretVersion_returnsMetadata_evenForADisabledVersion() {
    gcp.addVersion("db", utf8("one"));
    gcp.disableVersion("db", 1);

    SecretVersion version = client.getSecretVersion("projects/123456789012/secrets/db/versions/1");

    assertThat(version.getName()).isEqualTo("projects/123456789012/secrets/db/versions/1");
    assertThat(version.getState()).isEqualTo(SecretVersion.State.DISABLED);
    assertThat(version.hasCreateTime()).isTrue();
    ApiException e =
        catchThrowableOfType(
            ApiException.class,
            () -> client.accessSecretVersion("projects/test-project/secrets/db/versions/1"));
    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.FAILED_PRECONDITION);
    assertThat(e.getMessage())
        .contains("Secret Version [projects/123456789012/secrets/db/versions/1] is in DISABLED");
  }

  @Test
  void destroyedVersion_hasNoDataAndADestroyTime() {
    gcp.addVersion("db", utf8("one"));
    gcp.destroyVersion("db", 1);

    SecretVersion version = client.getSecretVersion("projects/test-project/secrets/db/versions/1");

    assertThat(version.getState()).isEqualTo(SecretVersion.State.DESTROYED);
    assertThat(version.hasDestroyTime()).isTrue();
  }

  @Test
  void statusCodes_forMissingAndMalformedNames_andUnservedMethods() {
    gcp.addVersion("db", utf8("one"));

    assertThat(code(() -> client.accessSecretVersion("projects/test-project/secrets/x/versions/1")))
        .isEqualTo(StatusCode.Code.NOT_FOUND);
    assertThat(
            code(() -> client.accessSecretVersion("projects/test-project/secrets/db/versions/9")))
        .isEqualTo(StatusCode.Code.NOT_FOUND);
    assertThat(code(() -> client.accessSecretVersion("secrets/db")))
        .isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
    assertThat(code(() -> client.getSecret("projects/test-project/secrets/db")))
        .isEqualTo(StatusCode.Code.UNIMPLEMENTED);
  }

  @Test
  void injectedFailures_carryTheServicesErrorInfo() {
    gcp.addVersion("db", utf8("one"));
    gcp.fail(Failure.PERMISSION_DENIED, 1);

    ApiException e =
        catchThrowableOfType(
            ApiException.class,
            () -> client.accessSecretVersion("projects/test-project/secrets/db/versions/latest"));

    assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.PERMISSION_DENIED);
    assertThat(e.getReason()).isEqualTo("IAM_PERMISSION_DENIED");
    assertThat(e.getDomain()).isEqualTo("iam.googleapis.com");
    assertThat(e.getMetadata()).containsEntry("permission", "secretmanager.versions.access");
  }

  @Test
  void requests_areCountedPerMethod_failuresIncluded() {
    gcp.addVersion("db", utf8("one"));
    gcp.fail(Failure.UNAVAILABLE, 1);
    String name = "projects/test-project/secrets/db/versions/latest";

    code(() -> client.getSecretVersion(name));
    client.getSecretVersion(name);
    client.accessSecretVersion(name);

    assertThat(gcp.requests("GetSecretVersion")).isEqualTo(2);
    assertThat(gcp.requests("AccessSecretVersion")).isEqualTo(1);
    assertThat(gcp.requests("ListSecrets")).isZero();
  }

  @Test
  void concurrentRequests_overlap_noneWaitsForAnother() throws Exception {
    gcp.addVersion("db", utf8("one"));
    int calls = 50;
    // No answer leaves until all 50 calls are waiting for one: every result coming back proves
    // they were all in flight at once, with no clock involved.
    gcp.gatherAnswers(calls);
    ExecutorService callers = Executors.newFixedThreadPool(calls);
    try (GcpSecretProvider provider = GcpSecretProvider.fromEnvironment(gcp.environment())) {
      CountDownLatch ready = new CountDownLatch(calls);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        results.add(
            callers.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return provider.fetch(SecretRef.parse("gcp:db")).value().reveal();
                }));
      }
      ready.await();
      go.countDown();
      for (Future<String> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo("one");
      }
      assertThat(gcp.requests("AccessSecretVersion")).isEqualTo(calls);
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void close_stopsEveryThreadTheServerStarted() throws Exception {
    gcp.addVersion("db", utf8("one"));
    client.accessSecretVersion("projects/test-project/secrets/db/versions/latest");
    String prefix = "fake-secretmanager-";
    assertThat(threadNames()).anyMatch(n -> n.startsWith(prefix));

    gcp.close();

    // close() waits for its threads; joining each is an upper bound for a broken close.
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith(prefix)) {
        t.join(TimeUnit.SECONDS.toMillis(10));
      }
    }
    assertThat(threadNames()).noneMatch(n -> n.startsWith(prefix));
  }

  private static Set<String> threadNames() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .collect(Collectors.toSet());
  }

  private static StatusCode.Code code(Runnable call) {
    return catchThrowableOfType(ApiException.class, call::run).getStatusCode().getCode();
  }
}
