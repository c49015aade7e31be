package io.latchkey.provider.vault;

import static io.latchkey.provider.vault.Testing.failure;
import static io.latchkey.provider.vault.Testing.provider;
import static io.latchkey.provider.vault.Testing.ref;
import static io.latchkey.testsupport.Waiting.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;
import io.latchkey.provider.vault.testing.FakeVault;
import io.latchkey.provider.vault.testing.FakeVault.Failure;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Answers have a size cap, a body cut short is a transport failure, a hung body ends at the
 * time-out, and {@link VaultSecretProvider#close()} during a hang releases the caller and leaves
 * none of the provider's threads.
 */
final class BoundsAndCloseTest {
  private static final SecretRef APP = ref("vault:secret/data/app#k");

  private FakeVault vault;
  private Set<Thread> before;

  @BeforeEach
  void start() {
    before = Set.copyOf(Thread.getAllStackTraces().keySet());
    vault = FakeVault.start();
    vault.putKv2("secret", "app", Map.of("k", "v"));
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  @ParameterizedTest
  @EnumSource(names = {"OVERSIZED", "OVERSIZED_CHUNKED"})
  void oversizedAnswer_isMalformed_andNeverRetried(Failure oversized) {
    try (VaultSecretProvider provider = provider(vault);
        SecretResolver resolver =
            SecretResolver.builder()
                .provider(provider)
                .clock(new MutableClock())
                .retry(3, Duration.ofMillis(1), Duration.ofMillis(1))
                .build()) {
      provider.fetch(APP);
      vault.resetCounters();
      vault.fail(oversized, "/v1/secret/data/app", -1);
      ProviderException e = failure(() -> resolver.resolve(APP));
      assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
      assertThat(e.isRetryable()).isFalse();
      assertThat(e.reason())
          .isEqualTo("Vault's answer is larger than 1024 KiB, more than any secret");
      assertThat(vault.requests("/v1/secret/data/app")).as("one attempt").isEqualTo(1);
    }
  }

  @Test
  void answerAtTheCap_isRead() {
    String big = "x".repeat((int) VaultHttp.MAX_BODY_BYTES - 4096);
    vault.putKv2("secret", "big", Map.of("k", big));
    try (VaultSecretProvider provider = provider(vault)) {
      assertThat(provider.fetch(ref("vault:secret/data/big#k")).value().reveal()).isEqualTo(big);
    }
  }

  @Test
  void bodyCutShort_isUnavailable_andRetryable() {
    try (VaultSecretProvider provider = provider(vault)) {
      provider.fetch(APP);
      vault.fail(Failure.RESET_MID_BODY, "/v1/secret/data/app", 1);
      ProviderException e = failure(() -> provider.fetch(APP));
      assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(e.isRetryable()).isTrue();
      assertThat(provider.fetch(APP).value().reveal()).as("the next read").isEqualTo("v");
    }
  }

  @Test
  void bodyThatHangs_endsAtTheTimeOut() {
    try (VaultSecretProvider provider =
        provider(vault, Map.of("LATCHKEY_VAULT_TIMEOUT", "300ms"))) {
      provider.fetch(APP);
      vault.fail(Failure.HANG_MID_BODY, "/v1/secret/data/app", 1);
      ProviderException e = failure(() -> provider.fetch(APP));
      assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
      assertThat(e.isRetryable()).isTrue();
    }
  }

  @Test
  void close_duringAHang_releasesTheCaller_andLeavesNoProviderThread() throws Exception {
    VaultSecretProvider provider = provider(vault, Map.of("LATCHKEY_VAULT_TIMEOUT", "600s"));
    provider.fetch(APP);
    vault.fail(Failure.HANG, "/v1/secret/data/app", 1);
    CompletableFuture<Throwable> caller = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                provider.fetch(APP);
                caller.complete(null);
              } catch (RuntimeException e) {
                caller.complete(e);
              }
            },
            "hung-reader");
    reader.start();
    until("the read to reach the fake", () -> vault.inFlight() == 1);
    assertThat(providerThreads()).anyMatch(name -> name.startsWith("latchkey-vault-http-"));

    provider.close();

    assertThat(providerThreads()).as("provider threads alive after close()").isEmpty();
    Throwable thrown = caller.get(60, TimeUnit.SECONDS);
    assertThat(thrown)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the vault provider is closed");
    reader.join();
  }

  @Test
  void close_withTheRenewerScheduled_leavesNoProviderThread() {
    vault.policy("reader", "secret/data/app");
    FakeVault.AppRoleCredentials role =
        vault.appRole("app", Duration.ofSeconds(30), Duration.ZERO, true, "reader");
    VaultSecretProvider provider =
        provider(
            vault,
            Map.of(
                "VAULT_AUTH_METHOD", "approle",
                "VAULT_ROLE_ID", role.roleId(),
                "VAULT_SECRET_ID", role.secretId()));
    provider.fetch(APP);
    assertThat(providerThreads()).contains("latchkey-vault-renewer-1");
    provider.close();
    assertThat(providerThreads()).as("provider threads alive after close()").isEmpty();
  }

  /**
   * The live threads this test's provider made, by the names the provider gives them:
   * latchkey-vault-http-N and latchkey-vault-renewer-N.
   */
  private List<String> providerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(t -> !before.contains(t))
        .map(Thread::getName)
        .filter(name -> name.startsWith("latchkey-vault-"))
        .collect(Collectors.toList());
  }
}
