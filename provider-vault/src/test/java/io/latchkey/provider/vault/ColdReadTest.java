package io.latchkey.provider.vault;

import static io.latchkey.provider.vault.Testing.failure;
import static io.latchkey.provider.vault.Testing.provider;
import static io.latchkey.provider.vault.Testing.ref;
import static io.latchkey.testsupport.Waiting.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.provider.vault.testing.FakeVault;
import io.latchkey.provider.vault.testing.FakeVault.AppRoleCredentials;
import io.latchkey.provider.vault.testing.FakeVault.Failure;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The round trips of a cold read, which a start-up waits for: a reference in the API form is read
 * beside its mount's look-up, not after it, and a token given as it is serves reads before its
 * lease is known. The fake holds one request while the test watches the other arrive, so no clock
 * decides the outcome.
 */
final class ColdReadTest {
  private FakeVault vault;
  private ExecutorService reader;

  @BeforeEach
  void start() {
    vault = FakeVault.start();
    vault.putKv2("secret", "app", Map.of("k", "v"));
    reader =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "cold-reader");
              t.setDaemon(true);
              return t;
            });
  }

  @AfterEach
  void stop() throws InterruptedException {
    vault.release();
    reader.shutdownNow();
    assertThat(reader.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    vault.close();
  }

  @Test
  void apiForm_isReadBesideTheMountLookUp_andItsAnswerUsed() throws Exception {
    try (VaultSecretProvider provider = provider(vault)) {
      vault.hold("/v1/sys/internal/ui/mounts/");
      Future<String> read =
          reader.submit(() -> provider.fetch(ref("vault:secret/data/app#k")).value().reveal());
      until("the mount look-up to be held", () -> vault.held() == 1);
      until("the read to arrive meanwhile", () -> vault.requests("/v1/secret/data/app") == 1);
      assertThat(read.isDone()).as("the read waits for the mount").isFalse();
      vault.release();
      assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo("v");
      assertThat(vault.requests("/v1/secret/data/app")).as("not sent again").isEqualTo(1);
      assertThat(vault.requests("/v1/sys/internal/ui/mounts/")).isEqualTo(1);

      assertThat(provider.fetch(ref("vault:secret/data/app#k")).value().reveal()).isEqualTo("v");
      assertThat(vault.requests("/v1/secret/data/app")).isEqualTo(2);
      assertThat(vault.requests("/v1/sys/internal/ui/mounts/"))
          .as("the mount is known")
          .isEqualTo(1);
    }
  }

  @Test
  void apiForm_withAVersion_isReadEarly_asked_forThatVersion() {
    vault.putKv2("secret", "app", Map.of("k", "v2"));
    try (VaultSecretProvider provider = provider(vault)) {
      assertThat(provider.fetch(ref("vault:secret/data/app@1#k")).value().reveal()).isEqualTo("v");
      assertThat(vault.requests("/v1/secret/data/app")).isEqualTo(1);
    }
  }

  @Test
  void shortForm_waitsForTheMount_sinceItsRequestDependsOnTheVersion() {
    try (VaultSecretProvider provider = provider(vault)) {
      assertThat(provider.fetch(ref("vault:secret/app#k")).value().reveal()).isEqualTo("v");
      assertThat(vault.requests("/v1/secret/app")).as("no guess sent").isZero();
      assertThat(vault.requests("/v1/secret/data/app")).isEqualTo(1);
    }
  }

  @Test
  void mountDeeperThanTheGuess_dropsTheEarlyAnswer_andReadsTheRightPath() {
    // team/data/ is itself a KV v2 mount: the secret "app" in it is at team/data/data/app.
    vault.putKv2("team/data", "app", Map.of("k", "nested"));
    try (VaultSecretProvider provider = provider(vault)) {
      assertThat(provider.fetch(ref("vault:team/data/app#k")).value().reveal()).isEqualTo("nested");
      assertThat(vault.requests("/v1/team/data/data/app")).isEqualTo(1);
      // The early guess went out beside the look-up, and was dropped when the look-up named the
      // nested mount: whether it reached the server before it was dropped is a race.
      assertThat(vault.requests("/v1/team/data/app")).as("the early guess").isLessThanOrEqualTo(1);
    }
  }

  @Test
  void mountLookUpFailing_failsTheRead_namingItsReference() {
    vault.fail(Failure.SEALED, "/v1/sys/internal/ui/mounts/", 1);
    try (VaultSecretProvider provider = provider(vault)) {
      ProviderException e = failure(() -> provider.fetch(ref("vault:secret/data/app#k")));
      assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(e.getMessage()).contains("vault:secret/data/app#k").doesNotContain("\"v\"");
      assertThat(provider.fetch(ref("vault:secret/data/app#k")).value().reveal())
          .as("the failure was not remembered")
          .isEqualTo("v");
    }
  }

  @Test
  void earlyRead_deniedForARevokedToken_logsInAgain_andRetriesOnce() {
    vault.putKv1("kv", "first", Map.of("k", "v"));
    vault.policy("app-reader", "secret/data/app", "kv/first");
    AppRoleCredentials role =
        vault.appRole("app", Duration.ofMinutes(10), Duration.ZERO, true, "app-reader");
    Map<String, String> env =
        Map.of(
            "VAULT_ADDR", vault.address().toString(),
            "VAULT_AUTH_METHOD", "approle",
            "VAULT_ROLE_ID", role.roleId(),
            "VAULT_SECRET_ID", role.secretId());
    MutableClock clock = new MutableClock();
    try (VaultSecretProvider provider = VaultSettings.builder(env).clock(clock).build()) {
      // Logs in on a read in another mount, so that secret/'s first read is still an early one.
      assertThat(provider.fetch(ref("vault:kv/first#k")).value().reveal()).isEqualTo("v");
      vault.revokeToken(vault.loginTokens().get(0));
      clock.advance(VaultAuth.DENIAL_RECHECK);
      assertThat(provider.fetch(ref("vault:secret/data/app#k")).value().reveal()).isEqualTo("v");
      assertThat(vault.requests("/v1/auth/approle/login")).isEqualTo(2);
      assertThat(vault.requests("/v1/secret/data/app")).isEqualTo(2);
    }
  }

  @Test
  void earlyRead_deniedByThePolicy_ofAFreshToken_isDenied_withoutANewLogin() {
    vault.policy("app-reader", "secret/data/app");
    AppRoleCredentials role =
        vault.appRole("app", Duration.ofMinutes(10), Duration.ZERO, true, "app-reader");
    Map<String, String> env =
        Map.of(
            "VAULT_ADDR", vault.address().toString(),
            "VAULT_AUTH_METHOD", "approle",
            "VAULT_ROLE_ID", role.roleId(),
            "VAULT_SECRET_ID", role.secretId());
    vault.fail(Failure.PERMISSION_DENIED, "/v1/secret/data/app", 1);
    try (VaultSecretProvider provider =
        VaultSettings.builder(env).clock(new MutableClock()).build()) {
      ProviderException e = failure(() -> provider.fetch(ref("vault:secret/data/app#k")));
      assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
      assertThat(vault.requests("/v1/auth/approle/login")).isEqualTo(1);
      assertThat(vault.requests("/v1/secret/data/app")).isEqualTo(1);
      assertThat(provider.fetch(ref("vault:secret/data/app#k")).value().reveal()).isEqualTo("v");
    }
  }

  @Test
  void givenToken_servesReads_whileItsLeaseIsLookedUp() throws Exception {
    try (VaultSecretProvider provider = provider(vault)) {
      vault.hold("/v1/auth/token/lookup-self");
      Future<String> read =
          reader.submit(() -> provider.fetch(ref("vault:secret/data/app#k")).value().reveal());
      assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo("v");
      until("the renewer's look-up", () -> vault.requests("/v1/auth/token/lookup-self") == 1);
      vault.release();
      assertThat(provider.fetch(ref("vault:secret/data/app#k")).value().reveal()).isEqualTo("v");
      assertThat(vault.requests("/v1/auth/token/lookup-self")).isEqualTo(1);
    }
  }
}
