package io.latchkey.provider.vault;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;
import io.latchkey.spi.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the provider gets a Vault token: a token given as it is, a token file that another process
 * (Vault Agent) keeps current, or a login with AppRole or Kubernetes.
 *
 * <p>Implementations never put a token, role ID, secret ID or JWT in a message or a log line.
 */
sealed interface Login permits Login.StaticToken, Login.TokenFile, Login.AppRole, Login.Kubernetes {

  /** Files holding a credential are small; anything larger is not one. */
  long MAX_FILE_BYTES = 64 * 1024;

  /** The method's name for messages and {@code description()}: {@code approle}. */
  String method();

  /** Tells whether asking again may yield a different token (a new login, a rewritten file). */
  boolean canLogInAgain();

  /**
   * Gets a token.
   *
   * @param subject the reference being served, named in failures
   * @throws ProviderException if Vault refuses the login or cannot be reached
   */
  Credential logIn(VaultHttp http, SecretRef subject);

  /**
   * A token's lease, as a login or a token look-up reported it.
   *
   * @param ttlSeconds seconds left; 0 for a token that never expires (such as a root token)
   * @param renewable whether {@code renew-self} may extend it
   * @param fullTtlSeconds the lease a renewal restores, to tell when the maximum TTL caps it
   */
  record Lease(long ttlSeconds, boolean renewable, long fullTtlSeconds) {
    /**
     * Reads the lease of a login's or a renewal's {@code auth} object: {@code lease_duration} an
     * integer of seconds, {@code renewable} a boolean.
     *
     * @throws IllegalArgumentException if either is missing or of another type
     */
    static Lease of(JsonValue auth) {
      long ttl = seconds(auth.integer("lease_duration"), "lease_duration");
      boolean renewable =
          auth.optionalBoolean("renewable")
              .orElseThrow(() -> new IllegalArgumentException("member 'renewable' is missing"));
      return new Lease(ttl, renewable, ttl);
    }

    /** Checks a number of seconds, which Vault never gives negative. */
    static long seconds(long seconds, String member) {
      if (seconds < 0) {
        throw new IllegalArgumentException("member '" + member + "' is negative");
      }
      return seconds;
    }
  }

  /**
   * A token and its lease.
   *
   * @param token the token
   * @param lease its lease, or null when the method does not say (a token given as it is)
   */
  record Credential(String token, Lease lease) {
    @Override
    public String toString() {
      return "Credential[token=***, lease=" + lease + "]";
    }
  }

  /** A token given as it is ({@code VAULT_TOKEN}); nothing can replace it. */
  final class StaticToken implements Login {
    private final String token;

    StaticToken(String token) {
      this.token = token;
    }

    @Override
    public String method() {
      return "token";
    }

    @Override
    public boolean canLogInAgain() {
      return false;
    }

    @Override
    public Credential logIn(VaultHttp http, SecretRef subject) {
      return new Credential(token, null);
    }

    @Override
    public String toString() {
      return "StaticToken[***]";
    }
  }

  /**
   * A token read from a file ({@code VAULT_TOKEN_FILE}), such as a Vault Agent sink; read again
   * when Vault denies the token, since the agent rewrites the file when it renews or logs in again.
   */
  final class TokenFile implements Login {
    private final Path file;

    TokenFile(Path file) {
      this.file = file;
    }

    @Override
    public String method() {
      return "token file";
    }

    @Override
    public boolean canLogInAgain() {
      return true;
    }

    @Override
    public Credential logIn(VaultHttp http, SecretRef subject) {
      return new Credential(readFile(subject, file, "the token file"), null);
    }

    @Override
    public String toString() {
      return "TokenFile[" + file + "]";
    }
  }

  /** AppRole: {@code POST /v1/auth/<mount>/login} with a role ID and a secret ID. */
  final class AppRole implements Login {
    private final String mount;
    private final String roleId;
    private final String secretId;
    private final Path secretIdFile;

    AppRole(String mount, String roleId, String secretId, Path secretIdFile) {
      this.mount = mount;
      this.roleId = roleId;
      this.secretId = secretId;
      this.secretIdFile = secretIdFile;
    }

    @Override
    public String method() {
      return "approle";
    }

    @Override
    public boolean canLogInAgain() {
      return true;
    }

    @Override
    public Credential logIn(VaultHttp http, SecretRef subject) {
      // The file is read on each login, so that a rotated secret ID is picked up.
      String secret =
          secretId != null ? secretId : readFile(subject, secretIdFile, "the secret ID file");
      byte[] body = jsonObject("role_id", roleId, "secret_id", secret);
      return post(http, subject, mount, body, method(), "VAULT_APPROLE_MOUNT");
    }

    @Override
    public String toString() {
      return "AppRole[mount=" + mount + "]";
    }
  }

  /**
   * Kubernetes: {@code POST /v1/auth/<mount>/login} with a role and the pod's service account
   * token, read from its file on each login because Kubernetes rotates projected tokens.
   */
  final class Kubernetes implements Login {
    private final String mount;
    private final String role;
    private final Path jwtFile;

    Kubernetes(String mount, String role, Path jwtFile) {
      this.mount = mount;
      this.role = role;
      this.jwtFile = jwtFile;
    }

    @Override
    public String method() {
      return "kubernetes";
    }

    @Override
    public boolean canLogInAgain() {
      return true;
    }

    @Override
    public Credential logIn(VaultHttp http, SecretRef subject) {
      String jwt = readFile(subject, jwtFile, "the service account token file");
      byte[] body = jsonObject("role", role, "jwt", jwt);
      return post(http, subject, mount, body, method(), "VAULT_K8S_MOUNT");
    }

    @Override
    public String toString() {
      return "Kubernetes[mount=" + mount + ", role=" + role + "]";
    }
  }

  private static Credential post(
      VaultHttp http,
      SecretRef subject,
      String mount,
      byte[] body,
      String method,
      String mountSetting) {
    Http1Client.Response response =
        http.send(subject, "POST", "auth/" + VaultPaths.encode(mount) + "/login", null, body, null);
    if (!response.ok()) {
      throw VaultErrors.login(subject, response.status(), method, mount, mountSetting);
    }
    return VaultErrors.reading(
        subject,
        "the " + method + " login",
        () -> {
          JsonValue auth = response.json().object("auth");
          String token = auth.string("client_token");
          if (token.isEmpty()) {
            throw new IllegalArgumentException("member 'client_token' is empty");
          }
          return new Credential(token, Lease.of(auth));
        });
  }

  /** Writes a JSON object of string members, given as name, value, name, value. */
  static byte[] jsonObject(String... namesAndValues) {
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; i < namesAndValues.length; i += 2) {
      json.append(i == 0 ? "" : ",");
      jsonString(json, namesAndValues[i]).append(':');
      jsonString(json, namesAndValues[i + 1]);
    }
    return VaultHttp.utf8(json.append('}').toString());
  }

  private static StringBuilder jsonString(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    return json.append('"');
  }

  /** Reads a credential file; failures name the file, never its content. */
  static String readFile(SecretRef subject, Path file, String what) {
    String text;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new ProviderException(
            subject, Kind.OTHER, what + " " + file + " is larger than a credential can be");
      }
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      // Retryable: Vault Agent and the kubelet replace these files while they run.
      throw new ProviderException(
          subject,
          Kind.UNAVAILABLE,
          "cannot read " + what + " " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    if (text.isEmpty()) {
      throw new ProviderException(subject, Kind.UNAVAILABLE, what + " " + file + " is empty");
    }
    return text;
  }
}
