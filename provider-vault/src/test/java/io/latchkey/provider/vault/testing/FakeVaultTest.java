package io.latchkey.provider.vault.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The loopback server speaks Vault's wire format: checked here with raw HTTP requests, against the
 * shapes Vault's API documentation gives.
 */
final class FakeVaultTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newHttpClient();
  private FakeVault vault;

  @BeforeEach
  void start() {
    vault = FakeVault.start();
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  private record Reply(int status, JsonNode json) {}

  private Reply send(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(vault.address() + path))
            .timeout(Duration.ofSeconds(5))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("X-Vault-Token", token);
    }
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
    return new Reply(
        response.statusCode(), response.body().isEmpty() ? null : JSON.readTree(response.body()));
  }

  @Test
  void address_isLoopback_andTheEnvironmentPointsAtIt() {
    assertThat(vault.address().toString()).startsWith("http://127.0.0.1:");
    assertThat(vault.environment())
        .containsEntry("VAULT_ADDR", vault.address().toString())
        .containsEntry("VAULT_TOKEN", vault.rootToken())
        .doesNotContainKey("VAULT_CACERT");
  }

  @Test
  void kv2Read_hasVaultsEnvelope() throws Exception {
    assertThat(vault.putKv2("secret", "app", Map.of("k", "v"))).isEqualTo(1);
    Reply reply = send("GET", "/v1/secret/data/app", vault.rootToken(), null);
    assertThat(reply.status()).isEqualTo(200);
    JsonNode json = reply.json();
    assertThat(json.fieldNames())
        .toIterable()
        .contains(
            "request_id",
            "lease_id",
            "renewable",
            "lease_duration",
            "data",
            "wrap_info",
            "warnings",
            "auth");
    assertThat(json.path("data").path("data").path("k").asText()).isEqualTo("v");
    JsonNode metadata = json.path("data").path("metadata");
    assertThat(metadata.path("version").asInt()).isEqualTo(1);
    assertThat(metadata.path("deletion_time").asText()).isEmpty();
    assertThat(metadata.path("destroyed").asBoolean()).isFalse();
    assertThat(metadata.path("custom_metadata").isNull()).isTrue();
    assertThat(metadata.path("created_time").asText()).endsWith("Z");
  }

  @Test
  void deletedVersion_is404_withItsMetadata() throws Exception {
    vault.putKv2("secret", "app", Map.of("k", "v"));
    vault.deleteKv2Versions("secret", "app", 1);
    Reply reply = send("GET", "/v1/secret/data/app?version=1", vault.rootToken(), null);
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.json().path("data").path("data").isNull()).isTrue();
    assertThat(reply.json().path("data").path("metadata").path("deletion_time").asText())
        .isNotEmpty();
  }

  @Test
  void missingSecret_is404_withAnEmptyErrorList() throws Exception {
    Reply reply = send("GET", "/v1/secret/data/none", vault.rootToken(), null);
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.json().toString()).isEqualTo("{\"errors\":[]}");
  }

  @Test
  void missingOrBadToken_is403_permissionDenied() throws Exception {
    vault.putKv2("secret", "app", Map.of("k", "v"));
    for (String token : new String[] {null, "hvs.unknown"}) {
      Reply reply = send("GET", "/v1/secret/data/app", token, null);
      assertThat(reply.status()).isEqualTo(403);
      assertThat(reply.json().toString()).isEqualTo("{\"errors\":[\"permission denied\"]}");
    }
  }

  @Test
  void kv1Read_reportsTheDefaultLease() throws Exception {
    vault.putKv1("kv", "app", Map.of("k", "v"));
    Reply reply = send("GET", "/v1/kv/app", vault.rootToken(), null);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().path("lease_duration").asLong()).isEqualTo(2_764_800);
    assertThat(reply.json().path("data").path("k").asText()).isEqualTo("v");
  }

  @Test
  void mountLookUp_describesTheMount_orIsDenied() throws Exception {
    Reply reply = send("GET", "/v1/sys/internal/ui/mounts/secret/app", vault.rootToken(), null);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().path("data").path("path").asText()).isEqualTo("secret/");
    assertThat(reply.json().path("data").path("type").asText()).isEqualTo("kv");
    assertThat(reply.json().path("data").path("options").path("version").asText()).isEqualTo("2");
    Reply none = send("GET", "/v1/sys/internal/ui/mounts/nope/app", vault.rootToken(), null);
    assertThat(none.status()).isEqualTo(403);
    assertThat(none.json().path("errors").get(0).asText()).startsWith("preflight capability");
  }

  @Test
  void appRoleLogin_lookupAndRenewal_honourTtls() throws Exception {
    vault.policy("p", "secret/data/*");
    FakeVault.AppRoleCredentials role =
        vault.appRole("r", Duration.ofSeconds(60), Duration.ofSeconds(90), true, "p");
    assertThat(role.toString()).doesNotContain(role.roleId()).doesNotContain(role.secretId());
    Reply login =
        send(
            "POST",
            "/v1/auth/approle/login",
            null,
            "{\"role_id\":\"" + role.roleId() + "\",\"secret_id\":\"" + role.secretId() + "\"}");
    assertThat(login.status()).isEqualTo(200);
    JsonNode auth = login.json().path("auth");
    assertThat(auth.path("lease_duration").asLong()).isEqualTo(60);
    assertThat(auth.path("renewable").asBoolean()).isTrue();
    assertThat(auth.path("policies").get(0).asText()).isEqualTo("p");
    String token = auth.path("client_token").asText();
    Reply lookup = send("GET", "/v1/auth/token/lookup-self", token, null);
    assertThat(lookup.json().path("data").path("creation_ttl").asLong()).isEqualTo(60);
    vault.advance(Duration.ofSeconds(50));
    Reply renewal = send("POST", "/v1/auth/token/renew-self", token, "{}");
    // Capped by the maximum TTL: 40 s left, less the milliseconds this test took.
    assertThat(renewal.json().path("auth").path("lease_duration").asLong()).isBetween(38L, 40L);
    assertThat(renewal.json().path("warnings").get(0).asText()).contains("max_ttl");
    vault.advance(Duration.ofSeconds(41));
    assertThat(vault.isValid(token)).isFalse();
    assertThat(send("GET", "/v1/auth/token/lookup-self", token, null).status()).isEqualTo(403);
    Reply wrong =
        send(
            "POST",
            "/v1/auth/approle/login",
            null,
            "{\"role_id\":\"" + role.roleId() + "\",\"secret_id\":\"wrong\"}");
    assertThat(wrong.status()).isEqualTo(400);
  }

  @Test
  void injectedFailures_applyToTheirPrefix_forTheirCount() throws Exception {
    vault.putKv2("secret", "app", Map.of("k", "v"));
    vault.fail(FakeVault.Failure.THROTTLED, "/v1/secret/data/app", 2);
    assertThat(send("GET", "/v1/secret/data/app", vault.rootToken(), null).status()).isEqualTo(429);
    assertThat(send("GET", "/v1/secret/metadata/app", vault.rootToken(), null).status())
        .isEqualTo(200);
    assertThat(send("GET", "/v1/secret/data/app", vault.rootToken(), null).status()).isEqualTo(429);
    assertThat(send("GET", "/v1/secret/data/app", vault.rootToken(), null).status()).isEqualTo(200);
    assertThat(vault.requests("/v1/secret/data/")).isEqualTo(3);
    assertThat(vault.requests("/v1/secret/")).isEqualTo(4);
  }
}
