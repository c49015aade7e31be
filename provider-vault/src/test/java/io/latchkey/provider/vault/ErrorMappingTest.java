package io.latchkey.provider.vault;

import static io.latchkey.provider.vault.Testing.failure;
import static io.latchkey.provider.vault.Testing.provider;
import static io.latchkey.provider.vault.Testing.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.provider.vault.testing.FakeVault;
import io.latchkey.provider.vault.testing.FakeVault.Failure;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each way Vault (or the way to it) fails maps to one kind, with a reason that names the cause and
 * the status, against the loopback server over real sockets.
 */
final class ErrorMappingTest {
  private static final SecretRef APP = ref("vault:secret/data/app#k");

  private FakeVault vault;
  private VaultSecretProvider provider;

  @BeforeEach
  void start() {
    vault = FakeVault.start();
    vault.putKv2("secret", "app", Map.of("k", "v"));
    provider = provider(vault);
    // The token look-up and the mount look-up are done; failures below hit the read itself.
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
  }

  @AfterEach
  void stop() {
    provider.close();
    vault.close();
  }

  private ProviderException readFailingWith(Failure failure) {
    vault.fail(failure, "/v1/secret/data/app", 1);
    ProviderException e = failure(() -> provider.fetch(APP));
    assertThat(e.ref()).isEqualTo(APP);
    assertThat(provider.fetch(APP).value().reveal()).as("the next read").isEqualTo("v");
    return e;
  }

  @Test
  void permissionDenied_withAGivenToken_isAccessDenied() {
    ProviderException e = readFailingWith(Failure.PERMISSION_DENIED);
    assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage())
        .isEqualTo(
            "secret vault:secret/data/app#k: access denied: permission denied while reading the"
                + " secret: the Vault token expired or lacks permission (HTTP 403)");
  }

  @Test
  void tooManyRequests_isThrottled() {
    ProviderException e = readFailingWith(Failure.THROTTLED);
    assertThat(e.kind()).isEqualTo(Kind.THROTTLED);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.reason())
        .isEqualTo("Vault's rate limit quota was exceeded while reading the secret (HTTP 429)");
  }

  @Test
  void internalError_isUnavailable() {
    ProviderException e = readFailingWith(Failure.INTERNAL_ERROR);
    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.reason())
        .isEqualTo("Vault answered with a server error while reading the secret (HTTP 500)");
  }

  @Test
  void sealed_isUnavailable() {
    ProviderException e = readFailingWith(Failure.SEALED);
    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.reason())
        .isEqualTo(
            "Vault is sealed, in standby or unavailable while reading the secret (HTTP 503)");
  }

  @Test
  void preconditionFailed_isUnavailable_andRetryable() {
    ProviderException e = readFailingWith(Failure.PRECONDITION_FAILED);
    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.reason()).contains("has not caught up with a recent write").contains("HTTP 412");
  }

  @Test
  void redirect_isUnavailable_andNotFollowed() {
    ProviderException e = readFailingWith(Failure.REDIRECT);
    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.reason())
        .isEqualTo(
            "Vault redirected the request while reading the secret (HTTP 307), as a standby node"
                + " does; point VAULT_ADDR at the active node or a load balancer");
  }

  @Test
  void hang_isATimeout_afterThePerRequestTimeout() {
    try (VaultSecretProvider shortTimeout =
        provider(vault, Map.of("LATCHKEY_VAULT_TIMEOUT", "500ms"))) {
      assertThat(shortTimeout.fetch(APP).value().reveal()).isEqualTo("v");
      vault.fail(Failure.HANG, "/v1/secret/data/app", 1);
      ProviderException e = failure(() -> shortTimeout.fetch(APP));
      assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
      assertThat(e.isRetryable()).isTrue();
      assertThat(e.reason()).isEqualTo("Vault did not answer within PT0.5S");
      assertThat(shortTimeout.fetch(APP).value().reveal()).as("the next read").isEqualTo("v");
    }
  }

  @Test
  void garbageBody_isMalformed() {
    ProviderException e = readFailingWith(Failure.GARBAGE);
    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.reason())
        .isEqualTo(
            "Vault's answer to the KV v2 read is not as documented: malformed JSON: expected a"
                + " JSON value");
    assertThat(e.getCause()).as("no parser exception quoting the body").isNull();
  }

  @Test
  void wrongShape_isMalformed() {
    ProviderException e = readFailingWith(Failure.WRONG_SHAPE);
    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(e.reason())
        .isEqualTo(
            "Vault's answer to the KV v2 read is not as documented: member 'data' is a string,"
                + " expected an object");
  }

  @Test
  void jsonThatIsNotAnObject_isMalformed() {
    vault.failWith("/v1/secret/data/app", 200, "[1,2,3]", 1);
    ProviderException e = failure(() -> provider.fetch(APP));
    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(e.reason())
        .isEqualTo(
            "Vault's answer to the KV v2 read is not as documented: the value is an array,"
                + " expected an object");
  }

  @Test
  void notFoundWithWarningsAndNoData_isNotFound() {
    vault.failWith(
        "/v1/secret/data/app",
        404,
        "{\"request_id\":\"x\",\"data\":null,\"warnings\":[\"Invalid path for a versioned K/V"
            + " secrets engine.\"],\"auth\":null}",
        1);
    SecretNotFoundException e =
        catchThrowableOfType(SecretNotFoundException.class, () -> provider.fetch(APP));
    assertThat(e.reason()).isEqualTo("no such secret");
  }

  @Test
  void badRequest_isOther() {
    vault.failWith("/v1/secret/data/app", 400, "{\"errors\":[\"invalid request\"]}", 1);
    ProviderException e = failure(() -> provider.fetch(APP));
    assertThat(e.kind()).isEqualTo(Kind.OTHER);
    assertThat(e.reason())
        .isEqualTo("Vault rejected the request as invalid while reading the secret (HTTP 400)");
  }

  @Test
  void connectionRefused_isUnavailable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (VaultSecretProvider closedPort =
        VaultSecretProvider.builder()
            .address(URI.create("http://127.0.0.1:" + port))
            .token(io.latchkey.Secret.of("hvs.x"))
            .timeout(Duration.ofSeconds(2))
            .build()) {
      ProviderException e = failure(() -> closedPort.fetch(APP));
      assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(e.isRetryable()).isTrue();
      assertThat(e.reason()).isEqualTo("cannot connect to Vault at http://127.0.0.1:" + port);
    }
  }

  @Test
  void metadataFailures_mapLikeReads() {
    vault.fail(Failure.SEALED, "/v1/secret/metadata/app", 1);
    ProviderException sealed = failure(() -> provider.currentVersionId(APP));
    assertThat(sealed.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(sealed.reason()).contains("while reading the secret's metadata");
    vault.fail(Failure.GARBAGE, "/v1/secret/metadata/app", 1);
    assertThat(failure(() -> provider.currentVersionId(APP)).kind())
        .isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(provider.currentVersionId(APP)).contains("1");
  }

  @Test
  void mountLookUpFailures_areReported_notGuessedAround() {
    try (VaultSecretProvider fresh = provider(vault)) {
      vault.fail(Failure.INTERNAL_ERROR, "/v1/sys/internal/ui/mounts/", 1);
      ProviderException e = failure(() -> fresh.fetch(APP));
      assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(e.reason()).contains("while looking up the secret's mount");
      vault.fail(Failure.WRONG_SHAPE, "/v1/sys/internal/ui/mounts/", 1);
      assertThat(failure(() -> fresh.fetch(APP)).kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
      assertThat(fresh.fetch(APP).value().reveal()).isEqualTo("v");
    }
  }

  @Test
  void engineThatIsNotKv_isUnsupported_andLookedUpOnce() {
    vault.enableEngine("pki", "pki");
    SecretRef pki = ref("vault:pki/issue/web");
    ProviderException e = failure(() -> provider.fetch(pki));
    assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
    assertThat(e.reason())
        .isEqualTo(
            "mount 'pki/' is a 'pki' secrets engine; the vault provider reads kv (versions 1 and"
                + " 2)");
    failure(() -> provider.fetch(pki));
    assertThat(vault.requests("/v1/sys/internal/ui/mounts/pki")).isEqualTo(1);
  }

  @Test
  void referencesKvCannotServe_areUnsupported() {
    assertThat(failure(() -> provider.fetch(ref("vault:secret//app"))).reason())
        .isEqualTo("the path has an empty segment (a leading, trailing or doubled '/')");
    assertThat(failure(() -> provider.fetch(ref("vault:secret/../sys/x"))).reason())
        .isEqualTo("the path has a '..' segment");
    assertThat(failure(() -> provider.fetch(ref("vault:secret"))).reason())
        .isEqualTo("the path names mount 'secret/' itself, not a secret in it");
    assertThat(failure(() -> provider.fetch(ref("vault:secret/data"))).reason())
        .isEqualTo("the path names mount 'secret/' itself, not a secret in it");
    for (String version : new String[] {"abc", "0", "-1", "01", "99999999999"}) {
      ProviderException e = failure(() -> provider.fetch(ref("vault:secret/app@" + version)));
      assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
      assertThat(e.reason())
          .isEqualTo(
              "the version '" + version + "' is not a KV version number (a positive integer)");
    }
  }

  @Test
  void permissionDeniedBodies_inEitherWording_areAccessDenied() {
    vault.failWith(
        "/v1/secret/data/app",
        403,
        "{\"errors\":[\"1 error occurred:\\n\\t* permission denied\\n\\n\"]}",
        1);
    assertThat(failure(() -> provider.fetch(APP)).kind()).isEqualTo(Kind.ACCESS_DENIED);
    vault.failWith("/v1/secret/data/app", 403, "<html>Forbidden</html>", 1);
    assertThat(failure(() -> provider.fetch(APP)).kind()).isEqualTo(Kind.ACCESS_DENIED);
  }
}
