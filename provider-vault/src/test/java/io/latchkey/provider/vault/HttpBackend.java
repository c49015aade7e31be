package io.latchkey.provider.vault;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scenarios' backend on a real Vault (a dev-mode container), seeded through Vault's HTTP API
 * with the root token, as an operator's scripts would.
 */
final class HttpBackend implements VaultBackend {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI address;
  private final String rootToken;
  private final HttpClient client = HttpClient.newHttpClient();

  HttpBackend(URI address, String rootToken) {
    this.address = address;
    this.rootToken = rootToken;
  }

  @Override
  public URI address() {
    return address;
  }

  @Override
  public String rootToken() {
    return rootToken;
  }

  @Override
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("VAULT_ADDR", address.toString());
    env.put("VAULT_TOKEN", rootToken);
    return env;
  }

  @Override
  public int putKv2(String mount, String path, Map<String, String> data) {
    return putKv2Json(mount, path, write(JSON.valueToTree(data)));
  }

  @Override
  public int putKv2Json(String mount, String path, String json) {
    enable(mount, "2");
    ObjectNode body = JSON.createObjectNode();
    body.set("data", read(json));
    // A freshly mounted KV v2 engine answers 400 while it sets itself up.
    for (int attempt = 0; ; attempt++) {
      Reply reply = call("POST", mount + "/data/" + path, write(body));
      if (reply.status() == 200) {
        return reply.json().path("data").path("version").intValue();
      }
      if (attempt >= 50) {
        throw new IllegalStateException("writing " + mount + "/" + path + ": " + reply);
      }
      sleep(100);
    }
  }

  @Override
  public void putKv1(String mount, String path, Map<String, String> data) {
    enable(mount, "1");
    expect(call("PUT", mount + "/" + path, write(JSON.valueToTree(data))), 204, 200);
  }

  @Override
  public void enableKv1(String mount) {
    enable(mount, "1");
  }

  private void enable(String mount, String version) {
    if (mount.equals("secret")) {
      return; // dev mode mounts KV v2 at secret/
    }
    ObjectNode body = JSON.createObjectNode().put("type", "kv");
    body.putObject("options").put("version", version);
    Reply reply = call("POST", "sys/mounts/" + mount, write(body));
    if (reply.status() != 204 && reply.status() != 200 && reply.status() != 400) {
      throw new IllegalStateException("mounting " + mount + ": " + reply);
    }
  }

  @Override
  public void deleteKv2Versions(String mount, String path, int... versions) {
    expect(call("POST", mount + "/delete/" + path, write(versions(versions))), 204, 200);
  }

  @Override
  public void destroyKv2Versions(String mount, String path, int... versions) {
    expect(call("PUT", mount + "/destroy/" + path, write(versions(versions))), 204, 200);
  }

  private static ObjectNode versions(int... versions) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode list = body.putArray("versions");
    for (int v : versions) {
      list.add(v);
    }
    return body;
  }

  @Override
  public void policy(String name, String... readablePaths) {
    StringBuilder hcl = new StringBuilder();
    for (String path : readablePaths) {
      hcl.append("path \"").append(path).append("\" {\n  capabilities = [\"read\"]\n}\n");
    }
    ObjectNode body = JSON.createObjectNode().put("policy", hcl.toString());
    expect(call("PUT", "sys/policies/acl/" + name, write(body)), 204, 200);
  }

  @Override
  public String createToken(Duration ttl, Duration maxTtl, boolean renewable, String... policies) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode list = body.putArray("policies");
    for (String p : policies) {
      list.add(p);
    }
    if (!ttl.isZero()) {
      body.put("ttl", ttl.toSeconds() + "s");
    }
    if (!maxTtl.isZero()) {
      body.put("explicit_max_ttl", maxTtl.toSeconds() + "s");
    }
    body.put("renewable", renewable);
    Reply reply = expect(call("POST", "auth/token/create", write(body)), 200);
    return reply.json().path("auth").path("client_token").textValue();
  }

  @Override
  public AppRole appRole(String role, Duration ttl, Duration maxTtl, String... policies) {
    Reply enabled =
        call("POST", "sys/auth/approle", write(JSON.createObjectNode().put("type", "approle")));
    if (enabled.status() != 204 && enabled.status() != 200 && enabled.status() != 400) {
      throw new IllegalStateException("enabling approle: " + enabled);
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("token_ttl", ttl.toSeconds() + "s");
    if (!maxTtl.isZero()) {
      body.put("token_max_ttl", maxTtl.toSeconds() + "s");
    }
    ArrayNode list = body.putArray("token_policies");
    for (String p : policies) {
      list.add(p);
    }
    expect(call("POST", "auth/approle/role/" + role, write(body)), 204, 200);
    String roleId =
        expect(call("GET", "auth/approle/role/" + role + "/role-id", null), 200)
            .json()
            .path("data")
            .path("role_id")
            .textValue();
    String secretId =
        expect(call("POST", "auth/approle/role/" + role + "/secret-id", "{}"), 200)
            .json()
            .path("data")
            .path("secret_id")
            .textValue();
    return new AppRole(roleId, secretId);
  }

  private record Reply(int status, String body) {
    JsonNode json() {
      return read(body);
    }
  }

  private Reply call(String method, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(address + "/v1/" + path))
            .timeout(Duration.ofSeconds(10))
            .header("X-Vault-Token", rootToken);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body, UTF_8));
    }
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
      return new Reply(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Reply expect(Reply reply, int... statuses) {
    for (int s : statuses) {
      if (reply.status() == s) {
        return reply;
      }
    }
    throw new IllegalStateException("unexpected answer from Vault: " + reply);
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
