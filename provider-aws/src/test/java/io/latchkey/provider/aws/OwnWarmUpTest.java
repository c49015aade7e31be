package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.resolver.SecretProviders;
import io.latchkey.testsupport.IsolatedClassLoader;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The warm-up goes through the own client's request path (encoding, signing, reading an answer)
 * with no socket, no file and no SDK class.
 */
final class OwnWarmUpTest {

  @Test
  void oneSignedRequest_andOneAnswerRead_leavingNoThread() {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    List<String[]> headers = OwnWarmUp.run();
    Set<Thread> after = new HashSet<>(Thread.getAllStackTraces().keySet());
    after.removeAll(before);
    after.removeIf(t -> !t.isAlive());
    assertThat(after).isEmpty();
    Map<String, String> byName =
        headers.stream().collect(Collectors.toMap(h -> h[0], h -> h[1], (a, b) -> a));
    assertThat(byName.get("X-Amz-Target")).isEqualTo("secretsmanager.BatchGetSecretValue");
    assertThat(byName.get("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=warm-up/");
  }

  @Test
  void foundByName_throughTheFactory() {
    assertThat(SecretProviders.warmUp(List.of("aws", "no-such-provider"))).isEqualTo(1);
  }

  @Test
  void throughTheFactory_loadsNoSdkClass() {
    try (IsolatedClassLoader loader = IsolatedClassLoader.create()) {
      assertThat(loader.call(OwnWarmUpTest.class.getName(), "warmUpAws")).isEqualTo(1);
      assertThat(loader.loaded())
          .contains(OwnWarmUp.class.getName())
          .noneMatch(n -> n.startsWith("software.amazon."));
    }
  }

  /** Warms the provider up by name, as an integration does; called inside the isolated loader. */
  static Integer warmUpAws() {
    return SecretProviders.warmUp(List.of("aws"));
  }
}
