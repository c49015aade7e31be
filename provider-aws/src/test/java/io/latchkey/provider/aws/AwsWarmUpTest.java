package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.resolver.SecretProviders;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The warm-up goes through the SDK's whole call path, answered in memory. */
final class AwsWarmUpTest {

  @Test
  void oneSignedBatchCall_answeredInMemory_leavingNoThread() {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    AwsWarmUp.InMemoryHttp http = AwsWarmUp.run();
    Set<Thread> after = new HashSet<>(Thread.getAllStackTraces().keySet());
    after.removeAll(before);
    after.removeIf(t -> !t.isAlive());
    assertThat(after).isEmpty();
    assertThat(http.requests).hasValue(1);
    assertThat(http.target).isEqualTo("secretsmanager.BatchGetSecretValue");
    assertThat(http.authorization).startsWith("AWS4-HMAC-SHA256 Credential=warm-up/");
  }

  @Test
  void foundByName_throughTheFactory() {
    assertThat(SecretProviders.warmUp(List.of("aws", "no-such-provider"))).isEqualTo(1);
  }
}
