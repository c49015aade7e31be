package io.latchkey.provider.vault;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;
import io.latchkey.spi.Http1Client;
import io.latchkey.spi.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
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
  int MAX_FILE_BYTES = 64 * 1024;

  /** The method's name for messages and {@code description()}: {@code approle}. */
  String method();

  /** Tells whether asking again may yield a different token (a new login, a rewritten file). */
  boolean canLogInAgain();

  /**
   * Tells whether asking again is a login at Vault, which makes a token that lives until its lease
   * ends and may use up the credential (an AppRole secret ID's {@code secret_id_num_uses}), rather
   * than reading a file again, which costs nothing.
   */
  default boolean isLogin() {
    return false;
  }

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

    /**
     * The longest lease taken as it is: ten years, far above any TTL Vault grants (its default
     * maximum is 32 days), and small enough that the lease arithmetic in milliseconds cannot
     * overflow.
     */
    static final long MAX_SECONDS = 10L * 366 * 24 * 60 * 60;

    /**
     * Checks a number of seconds, which Vault never gives negative, and caps it at {@link
     * #MAX_SECONDS}: a longer lease is renewed or replaced after ten years, which no process sees.
     */
    static long seconds(long seconds, String member) {
      if (seconds < 0) {
        throw new IllegalArgumentException("member '" + member + "' is negative");
      }
      return Math.min(seconds, MAX_SECONDS);
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
      // The path is a setting declared secret (a token pasted into it must not be shown).
      return "TokenFile[***]";
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
    public boolean isLogin() {
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
    public boolean isLogin() {
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
      json.append(JsonValue.quote(namesAndValues[i]))
          .append(':')
          .append(JsonValue.quote(namesAndValues[i + 1]));
    }
    return VaultHttp.utf8(json.append('}').toString());
  }

  /**
   * Reads a credential file. Failures name it by what it is ({@code what}), never by its path (a
   * setting declared secret) nor its content.
   */
  static String readFile(SecretRef subject, Path file, String what) {
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      // Opening a FIFO with no writer blocks, and a device such as /dev/zero never ends: neither is
      // a credential file. Links are followed, as the kubelet's and Vault Agent's files are links.
      throw new ProviderException(
          subject, Kind.OTHER, what + " is not a regular file (a device, a pipe or a socket)");
    }
    String text;
    try (InputStream in = Files.newInputStream(file)) {
      // One byte past the cap at most: the file may grow between the check above and this read.
      byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      if (bytes.length > MAX_FILE_BYTES) {
        throw new ProviderException(
            subject, Kind.OTHER, what + " is larger than a credential can be");
      }
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString().strip();
    } catch (IOException e) {
      // Retryable: Vault Agent and the kubelet replace these files while they run.
      throw new ProviderException(
          subject,
          Kind.UNAVAILABLE,
          "cannot read " + what + " (" + e.getClass().getSimpleName() + ")");
    }
    if (text.isEmpty()) {
      throw new ProviderException(subject, Kind.UNAVAILABLE, what + " is empty");
    }
    return text;
  }
}
