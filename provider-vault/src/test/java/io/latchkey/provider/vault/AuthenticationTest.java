package io.latchkey.provider.vault;

import static io.latchkey.provider.vault.Testing.failure;
import static io.latchkey.provider.vault.Testing.ref;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;
import io.latchkey.provider.vault.testing.FakeVault;
import io.latchkey.provider.vault.testing.FakeVault.AppRoleCredentials;
import io.latchkey.provider.vault.testing.FakeVault.Failure;
import io.latchkey.testsupport.LogCapture;
import io.latchkey.testsupport.MutableClock;
import io.latchkey.testsupport.Waiting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every authentication method against the loopback server, and the token's life: renewal before
 * expiry, a new login when renewal fails, the lease is not renewable or the maximum TTL nears, and
 * one new login and retry when Vault denies a token that expired early, and no login when Vault
 * denies a read the token's policy does not allow. Leases pass on a moved clock, with the renewer's
 * due work run by hand.
 */
final class AuthenticationTest {
  private static final SecretRef APP = ref("vault:secret/data/app#k");
  @TempDir Path dir;

  private final MutableClock clock = new MutableClock();
  private final ManualScheduler renewals = new ManualScheduler(clock);

  private FakeVault vault;
  private final List<VaultSecretProvider> providers = new ArrayList<>();

  @BeforeEach
  void start() {
    vault = FakeVault.start();
    vault.putKv2("secret", "app", Map.of("k", "v"));
    vault.policy("app-reader", "secret/data/app", "secret/metadata/app");
  }

  @AfterEach
  void stop() {
    providers.forEach(VaultSecretProvider::close);
    vault.close();
  }

  private VaultSecretProvider provider(Map<String, String> settings) {
    Map<String, String> env = new HashMap<>(settings);
    env.put("VAULT_ADDR", vault.address().toString());
    VaultSecretProvider provider = VaultSecretProvider.fromEnvironment(env);
    providers.add(provider);
    return provider;
  }

  private VaultSecretProvider appRoleProvider(AppRoleCredentials role) {
    return provider(appRole(role));
  }

  private static Map<String, String> appRole(AppRoleCredentials role) {
    return Map.of(
        "VAULT_AUTH_METHOD", "approle",
        "VAULT_ROLE_ID", role.roleId(),
        "VAULT_SECRET_ID", role.secretId());
  }

  /** A provider on the test's clock, whose renewer runs when {@link #pass} says. */
  private VaultSecretProvider timed(Map<String, String> settings) {
    Map<String, String> env = new HashMap<>(settings);
    env.put("VAULT_ADDR", vault.address().toString());
    VaultSecretProvider provider =
        VaultSettings.builder(env).clock(clock).renewalScheduler(renewals).build();
    providers.add(provider);
    return provider;
  }

  /** Moves the provider's clock and Vault's alike, then runs the renewer's work that fell due. */
  private void pass(Duration time) {
    clock.advance(time);
    vault.advance(time);
    renewals.runDue();
  }

  private long logins() {
    return vault.requests("/v1/auth/approle/login");
  }

  private long renewals() {
    return vault.requests("/v1/auth/token/renew-self");
  }

  @Test
  void appRole_logsInOnFirstUse_only() {
    AppRoleCredentials role =
        vault.appRole("app", Duration.ofMinutes(10), Duration.ZERO, true, "app-reader");
    VaultSecretProvider provider = appRoleProvider(role);
    assertThat(logins()).as("no request before the first read").isZero();
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    assertThat(logins()).isEqualTo(1);
    assertThat(vault.requests("/v1/auth/token/lookup-self"))
        .as("the login gave the lease")
        .isZero();
  }

  @Test
  void appRole_secretIdFile_isReadAtEachLogin_andACustomMountIsUsed() throws Exception {
    vault.authMount("approle-prod", "approle");
    AppRoleCredentials role =
        vault.appRole("app", Duration.ofMinutes(10), Duration.ZERO, true, "app-reader");
    Path secretIdFile = Files.writeString(dir.resolve("secret-id"), role.secretId() + "\n");
    VaultSecretProvider provider =
        timed(
            Map.of(
                "VAULT_AUTH_METHOD",
                "approle",
                "VAULT_ROLE_ID",
                role.roleId(),
                "VAULT_SECRET_ID_FILE",
                secretIdFile.toString(),
                "VAULT_APPROLE_MOUNT",
                "approle-prod"));
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    assertThat(vault.requests("/v1/auth/approle-prod/login")).isEqualTo(1);
    // A rotated secret ID is picked up by the next login, after Vault refuses the token.
    Files.writeString(secretIdFile, vault.rotateSecretId("app"));
    clock.advance(VaultAuth.DENIAL_RECHECK);
    vault.advance(Duration.ofMinutes(11));
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    assertThat(vault.requests("/v1/auth/approle-prod/login")).isEqualTo(2);
  }

  @Test
  void appRole_atAMountWithNoAuthMethod_saysWhichSettingToCheck() {
    AppRoleCredentials role =
        vault.appRole("app", Duration.ofMinutes(10), Duration.ZERO, true, "app-reader");
    VaultSecretProvider provider =
        provider(
            Map.of(
                "VAULT_AUTH_METHOD",
                "approle",
                "VAULT_ROLE_ID",
                role.roleId(),
                "VAULT_SECRET_ID",
                role.secretId(),
                "VAULT_APPROLE_MOUNT",
                "nope"));
    ProviderException e = failure(() -> provider.fetch(APP));
    assertThat(e.kind()).isEqualTo(Kind.OTHER);
    assertThat(e.reason())
        .isEqualTo(
            "no approle auth method answers at auth/nope (HTTP 404); check VAULT_APPROLE_MOUNT");
  }

  @Test
  void login_whenVaultIsUnavailable_isUnavailable_andTheNextReadLogsIn() {
    AppRoleCredentials role =
        vault.appRole("app", Duration.ofMinutes(10), Duration.ZERO, true, "app-reader");
    VaultSecretProvider provider = appRoleProvider(role);
    vault.fail(Failure.SEALED, "/v1/auth/approle/login", 1);
    ProviderException e = failure(() -> provider.fetch(APP));
    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.reason()).contains("while logging in with approle");
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
  }

  @Test
  void kubernetes_logsInWithTheServiceAccountToken() throws Exception {
    VaultSecretProvider provider =
        kubernetesProvider(
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdDphcHAifQ.c2ln");
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    assertThat(vault.requests("/v1/auth/kubernetes/login")).isEqualTo(1);
    assertThat(provider.description()).contains("auth kubernetes");
  }

  @Test
  void kubernetes_tokenWithCharactersJsonEscapes_reachesVaultIntact() throws Exception {
    // The login body is JSON the provider writes itself: each of these must be escaped.
    VaultSecretProvider provider =
        kubernetesProvider(
            "eyJ\"quoted\"\\back\\slash\ttab\u0001ctl-\u00e9\u20ac-\ud83d\udd11.sig");
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
  }

  private VaultSecretProvider kubernetesProvider(String jwt) throws Exception {
    vault.kubernetesRole("app", jwt, Duration.ofMinutes(10), Duration.ZERO, "app-reader");
    Path jwtFile = Files.writeString(dir.resolve("token"), jwt);
    return provider(
        Map.of(
            "VAULT_AUTH_METHOD", "kubernetes",
            "VAULT_K8S_ROLE", "app",
            "VAULT_K8S_TOKEN_FILE", jwtFile.toString()));
  }

  @Test
  void kubernetes_customMount_andARejectedToken() throws Exception {
    vault.authMount("k8s-east", "kubernetes");
    vault.kubernetesRole(
        "app", "the-right-jwt", Duration.ofMinutes(10), Duration.ZERO, "app-reader");
    Path jwtFile = Files.writeString(dir.resolve("token"), "a-wrong-jwt");
    VaultSecretProvider provider =
        provider(
            Map.of(
                "VAULT_AUTH_METHOD", "kubernetes",
                "VAULT_K8S_ROLE", "app",
                "VAULT_K8S_MOUNT", "k8s-east",
                "VAULT_K8S_TOKEN_FILE", jwtFile.toString()));
    ProviderException e = failure(() -> provider.fetch(APP));
    assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(e.reason())
        .isEqualTo("Vault refused the kubernetes login at auth/k8s-east (HTTP 403)");
    // The kubelet rotated the token: the next read reads the file again.
    Files.writeString(jwtFile, "the-right-jwt");
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    assertThat(vault.requests("/v1/auth/k8s-east/login")).isEqualTo(2);
  }

  private long lookUps() {
    return vault.requests("/v1/auth/token/lookup-self");
  }

  @Test
  void expiredToken_isReplacedByOneNewLogin_andTheReadRetriedOnce() {
    AppRoleCredentials role =
        vault.appRole("app", Duration.ofMinutes(10), Duration.ZERO, true, "app-reader");
    VaultSecretProvider provider = timed(appRole(role));
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    String first = vault.loginTokens().get(0);
    // Vault's clock runs ahead: the token expired though the provider expects 9 minutes more.
    clock.advance(VaultAuth.DENIAL_RECHECK);
    vault.advance(Duration.ofMinutes(11));
    assertThat(vault.isValid(first)).isFalse();
    vault.resetCounters();
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    assertThat(lookUps()).as("the token checked first").isEqualTo(1);
    assertThat(logins()).isEqualTo(1);
    assertThat(vault.requests("/v1/secret/data/app")).as("denied, then retried").isEqualTo(2);
  }

  @Test
  void revokedToken_stillDeniedAfterTheNewLogin_isAccessDenied_afterOneRetry() {
    vault.putKv2("secret", "other", Map.of("k", "not yours"));
    AppRoleCredentials role =
        vault.appRole("app", Duration.ofMinutes(10), Duration.ZERO, true, "app-reader");
    VaultSecretProvider provider = timed(appRole(role));
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    vault.revokeToken(vault.loginTokens().get(0));
    clock.advance(VaultAuth.DENIAL_RECHECK);
    ProviderException e = failure(() -> provider.fetch(ref("vault:secret/data/other#k")));
    assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(e.reason())
        .isEqualTo(
            "permission denied while reading the secret: the Vault token expired or lacks"
                + " permission (HTTP 403)");
    assertThat(logins()).as("the first login and one more").isEqualTo(2);
    assertThat(vault.requests("/v1/secret/data/other")).isEqualTo(2);
  }

  @Test
  void readsAndMetadataTheTokensPolicyDenies_causeNoNewLogin() {
    // A least-privilege policy: read on data/, none on metadata/ (optional), none on other/.
    vault.policy("data-only", "secret/data/app");
    vault.putKv2("secret", "other", Map.of("k", "not yours"));
    SecretRef other = ref("vault:secret/data/other#k");
    AppRoleCredentials role =
        vault.appRole("app", Duration.ofHours(2), Duration.ZERO, true, "data-only");
    VaultSecretProvider provider = timed(appRole(role));
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    for (int refresh = 0; refresh < 5; refresh++) {
      assertThat(provider.currentVersionId(APP)).isEmpty();
      assertThat(failure(() -> provider.fetch(other)).kind()).isEqualTo(Kind.ACCESS_DENIED);
      assertThat(failure(() -> provider.fetch(other)).kind()).isEqualTo(Kind.ACCESS_DENIED);
      assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
      pass(Duration.ofMinutes(11));
    }
    assertThat(vault.requests("/v1/secret/metadata/app")).as("asked each time").isEqualTo(5);
    assertThat(vault.requests("/v1/secret/data/other")).as("never retried").isEqualTo(10);
    assertThat(logins()).isEqualTo(1);
    // The first refresh came within a minute of the login; each later one checked the token once.
    assertThat(lookUps()).isEqualTo(4);
  }

  @Test
  void hugeLease_isCappedAtTenYears_andCostsNoLoginPerRead() {
    AppRoleCredentials role =
        vault.appRole("app", Duration.ofMinutes(10), Duration.ZERO, true, "app-reader");
    vault.tamper(
        "/v1/auth/approle/login",
        -1,
        a -> ((ObjectNode) a.get("auth")).put("lease_duration", 10_000_000_000_000_000L));
    VaultSecretProvider provider = timed(appRole(role));
    Instant loggedIn = clock.instant();
    for (int i = 0; i < 4; i++) {
      assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    }
    assertThat(logins()).isEqualTo(1);
    assertThat(renewals.nextDue())
        .contains(loggedIn.plusMillis(Login.Lease.MAX_SECONDS * 2000 / 3));
    clock.advance(Duration.ofDays(365));
    assertThat(renewals.runDue()).as("nothing due within the year").isZero();
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    assertThat(logins()).isEqualTo(1);
  }

  @Test
  void givenToken_expired_isAccessDenied_withoutAnyLogin() {
    String token = vault.createToken(Duration.ofMinutes(1), Duration.ZERO, true, "app-reader");
    VaultSecretProvider provider = provider(Map.of("VAULT_TOKEN", token));
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    // The renewer looks the token up on its own thread while the read goes ahead: counted only
    // once it has been sent.
    Waiting.until("the renewer's look-up", () -> vault.requests("/v1/auth/token/lookup-self") == 1);
    vault.advance(Duration.ofMinutes(2));
    ProviderException e = failure(() -> provider.fetch(APP));
    assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(e.reason()).contains("the Vault token expired or lacks permission");
    assertThat(vault.requests("/v1/auth/")).as("only the token look-up").isEqualTo(1);
  }

  @Test
  void tokenFile_isReadAgain_whenVaultDeniesTheToken() throws Exception {
    String first = vault.createToken(Duration.ofHours(1), Duration.ZERO, true, "app-reader");
    Path file = Files.writeString(dir.resolve("vault-token"), first + "\n");
    VaultSecretProvider provider = provider(Map.of("VAULT_TOKEN_FILE", file.toString()));
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    assertThat(provider.description()).contains("auth token file");
    // Vault Agent logged in again and rewrote its sink; the old token is gone.
    String second = vault.createToken(Duration.ofHours(1), Duration.ZERO, true, "app-reader");
    Files.writeString(file, second);
    vault.revokeToken(first);
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    // Revoked and not replaced: denied, with no pointless retry.
    vault.revokeToken(second);
    vault.resetCounters();
    assertThat(failure(() -> provider.fetch(APP)).kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(vault.requests("/v1/secret/data/app")).isEqualTo(1);
  }

  @Test
  void renewableLease_isRenewedAtTwoThirds_beforeItExpires() {
    AppRoleCredentials role =
        vault.appRole("app", Duration.ofMinutes(30), Duration.ZERO, true, "app-reader");
    VaultSecretProvider provider = timed(appRole(role));
    Instant loggedIn = clock.instant();
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    String token = vault.loginTokens().get(0);
    assertThat(renewals.nextDue()).contains(loggedIn.plus(Duration.ofMinutes(20)));
    pass(Duration.ofMinutes(20).minusSeconds(1));
    assertThat(renewals()).as("not before two thirds of the lease").isZero();
    pass(Duration.ofSeconds(1));
    assertThat(renewals()).isEqualTo(1);
    assertThat(renewals.nextDue()).contains(clock.instant().plus(Duration.ofMinutes(20)));
    pass(Duration.ofMinutes(20));
    assertThat(renewals()).isEqualTo(2);
    // Forty minutes after the login, past the first lease, the token still lives.
    assertThat(vault.isValid(token)).isTrue();
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    assertThat(logins()).isEqualTo(1);
  }

  @Test
  void failedRenewal_leadsToANewLogin() {
    AppRoleCredentials role =
        vault.appRole("app", Duration.ofMinutes(30), Duration.ZERO, true, "app-reader");
    VaultSecretProvider provider = timed(appRole(role));
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    vault.fail(Failure.INTERNAL_ERROR, "/v1/auth/token/renew-self", 1);
    pass(Duration.ofMinutes(20));
    assertThat(renewals()).isEqualTo(1);
    assertThat(logins()).isEqualTo(2);
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
  }

  @Test
  void renewalAnsweringALeaseOfZero_isAFailedRenewal_andLeadsToANewLogin() {
    AppRoleCredentials role =
        vault.appRole("app", Duration.ofMinutes(30), Duration.ZERO, true, "app-reader");
    VaultSecretProvider provider = timed(appRole(role));
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    vault.tamper(
        "/v1/auth/token/renew-self", 1, a -> ((ObjectNode) a.get("auth")).put("lease_duration", 0));
    try (LogCapture log = LogCapture.start()) {
      pass(Duration.ofMinutes(20));
      assertThat(log.text())
          .contains("renewing the token failed (malformed response); logging in again");
    }
    assertThat(renewals()).isEqualTo(1);
    assertThat(logins()).as("not taken for a token that never expires").isEqualTo(2);
    assertThat(renewals.nextDue()).isPresent();
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
  }

  @Test
  void leaseThatIsNotRenewable_leadsToANewLogin_beforeItExpires() {
    AppRoleCredentials role =
        vault.appRole("app", Duration.ofMinutes(30), Duration.ZERO, false, "app-reader");
    VaultSecretProvider provider = timed(appRole(role));
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    pass(Duration.ofMinutes(20).minusSeconds(1));
    assertThat(logins()).isEqualTo(1);
    pass(Duration.ofSeconds(1));
    assertThat(logins()).isEqualTo(2);
    assertThat(renewals()).isZero();
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
  }

  @Test
  void maximumTtl_nearing_leadsToANewLogin() {
    AppRoleCredentials role =
        vault.appRole("app", Duration.ofMinutes(30), Duration.ofMinutes(40), true, "app-reader");
    VaultSecretProvider provider = timed(appRole(role));
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    pass(Duration.ofMinutes(20));
    assertThat(renewals()).as("renewed, and capped by the maximum TTL").isEqualTo(1);
    assertThat(logins()).isEqualTo(1);
    // The capped lease has 20 minutes; at two thirds of it the provider logs in again.
    pass(Duration.ofMinutes(13).plusSeconds(20));
    assertThat(logins()).isEqualTo(2);
    assertThat(renewals()).isEqualTo(1);
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
  }

  @Test
  void givenToken_isRenewed_afterAFailedRenewalToo_untilItsMaximumTtl_thenExpires() {
    String token =
        vault.createToken(Duration.ofMinutes(30), Duration.ofMinutes(50), true, "app-reader");
    VaultSecretProvider provider = timed(Map.of("VAULT_TOKEN", token));
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    assertThat(vault.requests("/v1/auth/token/lookup-self")).as("not before the read").isZero();
    pass(Duration.ZERO);
    assertThat(vault.requests("/v1/auth/token/lookup-self")).as("the renewer's").isEqualTo(1);
    // The first renewal fails; the renewer tries again before the lease ends, renews, and stops
    // once a renewal comes back capped by the maximum TTL: nothing can replace a given token.
    try (LogCapture log = LogCapture.start()) {
      vault.fail(Failure.INTERNAL_ERROR, "/v1/auth/token/renew-self", 1);
      pass(Duration.ofMinutes(20));
      assertThat(log.text())
          .contains("renewing the token failed (unavailable); trying again before it expires");
      assertThat(renewals.scheduled()).as("a second try, at half the lease left").isEqualTo(1);
      pass(Duration.ofMinutes(5));
      assertThat(log.text()).contains("renewed the token").contains("cannot be renewed past it");
    }
    assertThat(renewals()).isEqualTo(2);
    assertThat(renewals.scheduled()).as("nothing more to do").isZero();
    pass(Duration.ofMinutes(26));
    assertThat(vault.isValid(token)).isFalse();
    ProviderException e = failure(() -> provider.fetch(APP));
    assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(vault.requests("/v1/auth/approle/login")).isZero();
  }

  @Test
  void givenToken_thatMayNotLookItselfUp_isUsedWithoutRenewal() {
    String token = vault.createToken(Duration.ofHours(1), Duration.ZERO, true, "app-reader");
    vault.fail(Failure.PERMISSION_DENIED, "/v1/auth/token/lookup-self", 1);
    VaultSecretProvider provider = timed(Map.of("VAULT_TOKEN", token));
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    pass(Duration.ZERO);
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    pass(Duration.ofHours(2));
    assertThat(vault.requests("/v1/auth/token/lookup-self")).as("not asked again").isEqualTo(1);
    assertThat(renewals()).isZero();
  }

  @Test
  void givenToken_whoseLookUpFailed_isLookedUpAgainLater() {
    String token = vault.createToken(Duration.ofHours(1), Duration.ZERO, true, "app-reader");
    vault.fail(Failure.SEALED, "/v1/auth/token/lookup-self", 1);
    VaultSecretProvider provider = timed(Map.of("VAULT_TOKEN", token));
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    pass(Duration.ZERO);
    assertThat(provider.fetch(APP).value().reveal()).as("reads go on").isEqualTo("v");
    assertThat(vault.requests("/v1/auth/token/lookup-self")).isEqualTo(1);
    pass(Duration.ofSeconds(9));
    assertThat(vault.requests("/v1/auth/token/lookup-self")).as("not yet").isEqualTo(1);
    pass(Duration.ofSeconds(1));
    assertThat(vault.requests("/v1/auth/token/lookup-self")).isEqualTo(2);
    assertThat(renewals.scheduled()).as("the lease learned plans the renewal").isEqualTo(1);
    pass(Duration.ofMinutes(40));
    assertThat(renewals()).isEqualTo(1);
  }

  @Test
  void rootToken_isNeverRenewed() {
    VaultSecretProvider provider = timed(Map.of("VAULT_TOKEN", vault.rootToken()));
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
    pass(Duration.ZERO);
    assertThat(vault.requests("/v1/auth/token/lookup-self")).isEqualTo(1);
    assertThat(renewals.scheduled()).as("nothing to renew").isZero();
    pass(Duration.ofDays(30));
    assertThat(vault.requests("/v1/auth/token/renew-self")).isZero();
  }
}
