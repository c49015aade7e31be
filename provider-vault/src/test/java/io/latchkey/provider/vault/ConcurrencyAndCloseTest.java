package io.latchkey.provider.vault;

import static io.latchkey.provider.vault.Testing.provider;
import static io.latchkey.provider.vault.Testing.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.SecretRef;
import io.latchkey.provider.vault.testing.FakeVault;
import io.latchkey.testsupport.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fifty reads at once overlap rather than queue, and {@link VaultSecretProvider#close()} leaves no
 * thread the provider started, the renewer included.
 */
final class ConcurrencyAndCloseTest {
  private FakeVault vault;

  @BeforeEach
  void start() {
    vault = FakeVault.start();
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  @Test
  void fiftyConcurrentReads_overlap() throws Exception {
    for (int i = 0; i < 50; i++) {
      vault.putKv2("secret", "app-" + i, Map.of("k", "v" + i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(50);
    try (VaultSecretProvider provider = provider(vault)) {
      provider.fetch(ref("vault:secret/app-0#k"));
      // The renewer looks the token up beside that first read: let it end before counting.
      Waiting.until(
          "the token look-up to end",
          () -> vault.requests("/v1/auth/token/lookup-self") == 1 && vault.inFlight() == 0);
      vault.resetCounters();
      // The fake holds every read until all fifty are in flight at once: none waits for another.
      vault.hold("/v1/secret/data/");
      List<Future<String>> reads = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        SecretRef ref = ref("vault:secret/data/app-" + i + "#k");
        reads.add(pool.submit(() -> provider.fetch(ref).value().reveal()));
      }
      Waiting.until("fifty reads held by the fake at once", () -> vault.held() == 50);
      vault.release();
      for (int i = 0; i < 50; i++) {
        assertThat(reads.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("v" + i);
      }
      assertThat(vault.requests("/v1/secret/data/")).isEqualTo(50);
      assertThat(vault.maxConcurrentRequests()).as("requests in flight at once").isEqualTo(50);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void close_stopsEveryThreadTheProviderStarted_theRenewerIncluded() {
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    List<String> seen = useAProviderAndCloseIt();
    assertThat(seen).as("the renewer ran").contains("latchkey-vault-renewer-1");
    assertThat(seen).anyMatch(name -> name.startsWith("latchkey-vault-http-"));
    // close() joins the threads it names, and the provider's HTTP client starts no other.
    assertThat(leftOver(before)).as("threads left after close()").isEmpty();
  }

  private List<String> useAProviderAndCloseIt() {
    vault.putKv2("secret", "app", Map.of("k", "v"));
    vault.policy("reader", "secret/data/app");
    FakeVault.AppRoleCredentials role =
        vault.appRole("app", Duration.ofSeconds(30), Duration.ZERO, true, "reader");
    VaultSecretProvider provider =
        VaultSecretProvider.fromEnvironment(
            Map.of(
                "VAULT_ADDR", vault.address().toString(),
                "VAULT_AUTH_METHOD", "approle",
                "VAULT_ROLE_ID", role.roleId(),
                "VAULT_SECRET_ID", role.secretId()));
    provider.fetch(ref("vault:secret/data/app#k"));
    List<String> seen =
        Thread.getAllStackTraces().keySet().stream()
            .map(Thread::getName)
            .collect(Collectors.toList());
    provider.close();
    provider.close(); // idempotent
    assertThatThrownBy(() -> provider.fetch(ref("vault:secret/data/app#k")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the vault provider is closed");
    assertThatThrownBy(() -> provider.currentVersionId(ref("vault:secret/data/app#k")))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> provider.get("X")).isInstanceOf(IllegalStateException.class);
    return seen;
  }

  private static List<String> leftOver(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(t -> !before.contains(t))
        .filter(t -> t.getName().startsWith("latchkey-vault-"))
        .map(Thread::getName)
        .collect(Collectors.toList());
  }
}
