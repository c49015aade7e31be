package io.latchkey.provider.vault;

import static io.latchkey.provider.vault.Testing.provider;
import static io.latchkey.provider.vault.Testing.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.SecretNotFoundException;
import io.latchkey.provider.vault.testing.FakeVault;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code VAULT_NAMESPACE} goes out as {@code X-Vault-Namespace} on every request. */
final class NamespaceTest {
  private FakeVault vault;

  @BeforeEach
  void start() {
    vault = FakeVault.start();
    vault.putKv2("secret", "app", Map.of("k", "root namespace"));
    vault.namespace("team-a").putKv2("secret", "app", Map.of("k", "team a"));
    vault.namespace("team-a").putKv1("kv", "legacy", Map.of("k", "team a v1"));
    vault.namespace("org/team-b").putKv2("secret", "app", Map.of("k", "team b"));
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  @Test
  void namespace_selectsItsOwnSecretsAndMounts() {
    try (VaultSecretProvider root = provider(vault);
        VaultSecretProvider teamA = provider(vault, Map.of("VAULT_NAMESPACE", "team-a"));
        VaultSecretProvider teamB = provider(vault, Map.of("VAULT_NAMESPACE", "/org/team-b/"))) {
      assertThat(root.fetch(ref("vault:secret/app#k")).value().reveal())
          .isEqualTo("root namespace");
      assertThat(teamA.fetch(ref("vault:secret/app#k")).value().reveal()).isEqualTo("team a");
      assertThat(teamA.fetch(ref("vault:kv/legacy#k")).value().reveal()).isEqualTo("team a v1");
      assertThat(teamA.currentVersionId(ref("vault:secret/app#k"))).contains("1");
      assertThat(teamB.fetch(ref("vault:secret/data/app#k")).value().reveal()).isEqualTo("team b");
      assertThat(teamB.description()).contains("namespace org/team-b");
      // The mount kv/ exists in team-a only.
      assertThat(
              catchThrowableOfType(
                      SecretNotFoundException.class, () -> root.fetch(ref("vault:kv/legacy#k")))
                  .reason())
          .isEqualTo("no such secret");
    }
  }

  @Test
  void namespace_isSentOnLoginsToo_andAnUnknownOneFindsNothing() {
    vault.policy("reader", "secret/data/*");
    FakeVault.AppRoleCredentials role =
        vault.appRole("app", Duration.ofMinutes(5), Duration.ZERO, true, "reader");
    try (VaultSecretProvider provider =
        provider(
            vault,
            Map.of(
                "VAULT_TOKEN", "",
                "VAULT_AUTH_METHOD", "approle",
                "VAULT_ROLE_ID", role.roleId(),
                "VAULT_SECRET_ID", role.secretId(),
                "VAULT_NAMESPACE", "team-a"))) {
      assertThat(provider.fetch(ref("vault:secret/data/app#k")).value().reveal())
          .isEqualTo("team a");
    }
    assertThat(vault.namespaceHeaders("/v1/auth/approle/login")).containsExactly("team-a");
    assertThat(vault.namespaceHeaders("/v1/")).containsExactly("team-a");
    try (VaultSecretProvider nowhere = provider(vault, Map.of("VAULT_NAMESPACE", "team-z"))) {
      assertThat(
              catchThrowableOfType(
                      SecretNotFoundException.class,
                      () -> nowhere.fetch(ref("vault:secret/data/app#k")))
                  .reason())
          .isEqualTo("no such secret");
    }
  }
}
