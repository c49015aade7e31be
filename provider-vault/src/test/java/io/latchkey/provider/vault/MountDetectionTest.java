package io.latchkey.provider.vault;

import static io.latchkey.provider.vault.Testing.provider;
import static io.latchkey.provider.vault.Testing.ref;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.provider.vault.testing.FakeVault;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The short form asks Vault which engine a path lies in, once per mount for the provider's life,
 * and mounts may have several segments.
 */
final class MountDetectionTest {
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
  void mountLookUp_isMadeOncePerMount() {
    vault.putKv2("secret", "a", Map.of("k", "a"));
    vault.putKv2("secret", "b/c", Map.of("k", "bc"));
    vault.putKv1("kv", "d", Map.of("k", "d"));
    try (VaultSecretProvider provider = provider(vault)) {
      assertThat(provider.fetch(ref("vault:secret/a#k")).value().reveal()).isEqualTo("a");
      assertThat(provider.fetch(ref("vault:secret/b/c#k")).value().reveal()).isEqualTo("bc");
      assertThat(provider.fetch(ref("vault:secret/data/b/c#k")).value().reveal()).isEqualTo("bc");
      assertThat(provider.currentVersionId(ref("vault:secret/b/c#k"))).contains("1");
      assertThat(vault.requests("/v1/sys/internal/ui/mounts/")).isEqualTo(1);
      assertThat(provider.fetch(ref("vault:kv/d#k")).value().reveal()).isEqualTo("d");
      assertThat(provider.fetch(ref("vault:kv/d#k")).value().reveal()).isEqualTo("d");
      assertThat(vault.requests("/v1/sys/internal/ui/mounts/")).isEqualTo(2);
    }
  }

  @Test
  void mountWithSeveralSegments_isFoundByVault_notGuessed() {
    vault.enableKv2("teams/payments");
    vault.putKv2("teams/payments", "stripe", Map.of("key", "sk_test"));
    vault.enableKv1("teams/legacy");
    vault.putKv1("teams/legacy", "data/ftp", Map.of("password", "ftp-pw"));
    try (VaultSecretProvider provider = provider(vault)) {
      assertThat(provider.fetch(ref("vault:teams/payments/stripe#key")).value().reveal())
          .isEqualTo("sk_test");
      assertThat(provider.fetch(ref("vault:teams/payments/data/stripe#key")).value().reveal())
          .isEqualTo("sk_test");
      assertThat(vault.requests("/v1/teams/payments/data/stripe")).isEqualTo(2);
      assertThat(provider.fetch(ref("vault:teams/legacy/data/ftp#password")).value().reveal())
          .isEqualTo("ftp-pw");
    }
  }

  @Test
  void mountLookUpDenied_guessesFromThePath_andDoesNotRemember() {
    vault.putKv2("secret", "app", Map.of("k", "v"));
    vault.putKv1("kv", "app", Map.of("k", "v1"));
    vault.policy("narrow", "secret/data/app", "kv/app");
    String token = vault.createToken(Duration.ofHours(1), Duration.ZERO, false, "narrow");
    vault.fail(FakeVault.Failure.PERMISSION_DENIED, "/v1/sys/internal/ui/mounts/", -1);
    try (VaultSecretProvider provider = provider(vault, Map.of("VAULT_TOKEN", token))) {
      assertThat(provider.fetch(ref("vault:secret/data/app#k")).value().reveal()).isEqualTo("v");
      assertThat(provider.fetch(ref("vault:kv/app#k")).value().reveal()).isEqualTo("v1");
      assertThat(provider.fetch(ref("vault:secret/data/app#k")).value().reveal()).isEqualTo("v");
      assertThat(vault.requests("/v1/sys/internal/ui/mounts/")).isEqualTo(3);
    }
  }
}
