package io.latchkey.provider.vault;

import static java.util.Objects.requireNonNull;

import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigReport;
import io.latchkey.config.ConfigValue;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;

/**
 * The {@code vault} secret provider: reads HashiCorp Vault's KV secrets engine, versions 1 and 2,
 * over Vault's HTTP API.
 *
 * <pre>{@code
 * // What SECRET_PROVIDER=vault selects: VAULT_ADDR, VAULT_TOKEN and friends from the environment.
 * SecretProvider vault = VaultSecretProvider.fromEnvironment(System.getenv());
 *
 * // The same, spelled out.
 * SecretProvider vault =
 *     VaultSecretProvider.builder()
 *         .address(URI.create("https://vault.example.com:8200"))
 *         .appRole(roleId, Secret.of(secretId))
 *         .namespace("team-a")
 *         .caCertificates(Path.of("/etc/vault/ca.pem"))
 *         .build();
 * }</pre>
 *
 * <h2>References</h2>
 *
 * <ul>
 *   <li>{@code vault:secret/data/app#api_key}: KV v2, the API path with {@code data/} after the
 *       mount; {@code vault:secret/data/app@3#api_key} reads version 3.
 *   <li>{@code vault:secret/app#api_key}: KV v2 too, the short form the Vault CLI accepts.
 *   <li>{@code vault:kv/app#api_key}: KV v1, whose API path is the mount and the secret's path.
 * </ul>
 *
 * <p>Which engine a path lies in is asked of Vault ({@code GET /v1/sys/internal/ui/mounts/PATH}, as
 * the Vault CLI does) once per mount, and remembered for the provider's life. Vault answers that
 * look-up with 403 both for a mount that does not exist and for one the token may not see; the
 * provider then takes a path with a {@code data} segment as KV v2 ({@code secret/data/app} at
 * {@code secret/}) and any other as KV v1, and lets the read decide. On a KV v2 mount, a path in it
 * that starts with {@code data/} is the API form: a secret whose own name starts with {@code data/}
 * is written {@code secret/data/data/...}.
 *
 * <p>With {@code #field}, the value is that key of the secret's data: a string as it is, any other
 * JSON value as its JSON text. Without a field, a secret with exactly one key yields that key's
 * value (as {@code vault kv put secret/api-key value=...} stores it), and any other its whole data
 * object as JSON text; name the field when a secret may gain keys. A version ({@code @N}, a
 * positive integer) exists on KV v2 only; on KV v1 it is an {@link
 * io.latchkey.ProviderException.Kind#UNSUPPORTED} error.
 *
 * <p>On KV v2, {@link #fetch(SecretRef)} returns the version number as the version id (KV has no
 * stages or labels); {@link #currentVersionId(SecretRef)} reads {@code current_version} from the
 * secret's metadata (or returns the version the reference names), so that a resolver keeps a value
 * whose version has not changed. A deleted or destroyed version is a {@link
 * SecretNotFoundException} that says so.
 *
 * <h2>Authentication</h2>
 *
 * <p>A token given as it is, a token file (such as a Vault Agent sink, read again when Vault denies
 * the token), AppRole or Kubernetes. The provider logs in on first use. It learns the token's lease
 * (from the login, or from {@code lookup-self}), renews it at two thirds of the lease on a daemon
 * thread named {@code latchkey-vault-renewer}, and logs in again when renewal fails, the token is
 * not renewable or its maximum TTL draws near. When Vault answers a read with "permission denied"
 * and the method can get a new token, the provider gets one and retries the read once; if that is
 * denied too, the read fails with {@link io.latchkey.ProviderException.Kind#ACCESS_DENIED}.
 *
 * <h2>Failures</h2>
 *
 * <p>Each call makes one attempt (plus that one retry after a new login); retries, caching and
 * stale values are the resolver's. 404 is {@link SecretNotFoundException}; 401 and 403 are {@code
 * ACCESS_DENIED}; 429 is {@code THROTTLED}; 412, 5xx, redirects (a standby node) and connection
 * failures are {@code UNAVAILABLE}; the per-request time-out is {@code TIMEOUT}; an answer that is
 * not the JSON Vault documents, with each field of the type Vault defines, or is larger than 1 MiB,
 * is {@code MALFORMED_RESPONSE}; a body cut short is {@code UNAVAILABLE}; a failed TLS handshake is
 * {@code OTHER}.
 *
 * <h2>Security</h2>
 *
 * <p>No value, token, role ID, secret ID or service account token appears in {@link #toString()},
 * {@link #description()}, an exception message or a log line; Vault's own error texts are never
 * quoted. Plain {@code http://} is refused unless the host is the loopback interface or it is
 * allowed explicitly. With CA certificates given, exactly those are trusted.
 *
 * <p>Instances are thread-safe; concurrent callers share one mount look-up per mount and one login.
 * {@link #close()} cancels requests in flight and stops the renewer and the HTTP client's threads.
 *
 * @since 0.1
 */
public final class VaultSecretProvider implements SecretProvider {
  /** The provider's name, which {@code SECRET_PROVIDER} selects it by: {@value}. */
  public static final String NAME = "vault";

  // A provider is a service, not data: every field is transient, so that a reflective
  // serialiser (Gson, Jackson reading fields) handed one by mistake writes none of what it holds.
  private final transient VaultHttp http;
  private final transient VaultAuth auth;
  private final transient Kv kv;
  private final transient KvFields fields = new KvFields();
  private final transient ConfigView config;
  private final transient Clock clock;
  private final transient String description;
  private final transient AtomicBoolean closed = new AtomicBoolean();

  private VaultSecretProvider(Builder b, Login login) {
    this.clock = b.clock;
    SSLContext ssl = b.anchors == null ? null : Trust.context(b.anchors);
    this.http = new VaultHttp(b.address, b.namespace, b.timeout, ssl);
    this.auth = new VaultAuth(login, http, clock);
    this.kv = new Kv(http, auth, clock);
    this.config = new ConfigView(b.configRef, kv);
    this.description =
        "HashiCorp Vault at "
            + ConfigReport.maskUrls(b.address.toString())
            + (b.namespace == null ? "" : ", namespace " + b.namespace)
            + ", auth "
            + login.method()
            + (b.configRef == null ? "" : ", settings from " + b.configRef);
  }

  /**
   * Returns a builder; an address and an authentication method are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the provider {@code SECRET_PROVIDER=vault} selects, from the given environment's {@code
   * VAULT_ADDR}, {@code VAULT_AUTH_METHOD}, {@code VAULT_TOKEN} and the other settings the
   * provider's documentation lists.
   *
   * @param environment the process environment, or a stand-in
   * @return the provider, which the caller closes
   * @throws io.latchkey.ConfigException listing every wrong or missing setting, without quoting a
   *     credential
   */
  public static VaultSecretProvider fromEnvironment(Map<String, String> environment) {
    requireNonNull(environment, "environment");
    return VaultSettings.read(environment).build();
  }

  /**
   * Returns {@value #NAME}.
   *
   * @return the name
   */
  @Override
  public String name() {
    return NAME;
  }

  /**
   * Reads a KV secret and returns its value, or the value of the field the reference names.
   *
   * @param ref a reference such as {@code vault:secret/data/app#api_key}
   * @return the value, with the KV v2 version number as its id
   * @throws SecretNotFoundException if the secret, the version or the field does not exist, or the
   *     version was deleted or destroyed
   * @throws io.latchkey.ProviderException if Vault denied, throttled, failed, timed out or answered
   *     something unreadable, or the reference asks for what KV cannot give
   * @throws IllegalStateException if the provider is closed
   */
  @Override
  public SecretVersion fetch(SecretRef ref) {
    requireNonNull(ref, "ref");
    checkOpen();
    Kv.Read read = kv.read(ref);
    Secret value = fields.select(ref, read.data());
    Instant now = clock.instant();
    if (read.version().isEmpty()) {
      return SecretVersion.of(value, now);
    }
    return SecretVersion.of(value, Integer.toString(read.version().getAsInt()), now);
  }

  /**
   * Returns {@code true}: a field is read out of a whole KV secret this provider fetched, locally.
   *
   * @return {@code true}
   */
  @Override
  public boolean extractsFields() {
    return true;
  }

  /**
   * Reads a field out of a whole KV secret this provider fetched, as {@link #fetch(SecretRef)}
   * selects it from the secret's data, without a request.
   *
   * @param ref the reference, with a field
   * @param whole the version fetched for {@code ref.withoutField()}
   * @return the field's version, with the whole version's id and time
   * @throws SecretNotFoundException if the secret has no such field, or the whole value is not a
   *     JSON object
   */
  @Override
  public SecretVersion field(SecretRef ref, SecretVersion whole) {
    return fields.field(ref, whole);
  }

  /**
   * Shortens the time-out of every later request (connecting, waiting and reading the whole
   * answer) to a resolver's per-attempt time-out, keeping the shortest told.
   *
   * @param timeout the per-attempt time-out, positive
   */
  @Override
  public void attemptTimeout(Duration timeout) {
    http.shorten(timeout);
  }

  /**
   * Returns the KV v2 version a reference points at: the version it names, or the secret's {@code
   * current_version}; empty on KV v1, or when the token may not read the secret's metadata (then
   * the value is fetched on each refresh, and the metadata asked for again after a back-off on the
   * provider's clock, since a denial may be passing).
   *
   * @param ref the reference
   * @return the version number, or empty
   * @throws SecretNotFoundException if the secret does not exist, or its current version was
   *     deleted or destroyed
   * @throws io.latchkey.ProviderException for every other failure
   * @throws IllegalStateException if the provider is closed
   */
  @Override
  public Optional<String> currentVersionId(SecretRef ref) {
    requireNonNull(ref, "ref");
    checkOpen();
    return kv.currentVersion(ref);
  }

  /**
   * Looks up a setting in the secret {@code LATCHKEY_VAULT_CONFIG_PATH} names, read at first use
   * and kept for the provider's life (a start-up snapshot: values that rotate belong in references,
   * which the resolver refreshes).
   *
   * @param name the setting's name, a key of that secret
   * @return the value, with the secret's reference as its origin; empty if the key is absent or no
   *     configuration secret is set
   * @throws io.latchkey.ConfigException naming {@code LATCHKEY_VAULT_CONFIG_PATH} if the secret
   *     cannot be read
   */
  @Override
  public Optional<ConfigValue> get(String name) {
    requireNonNull(name, "name");
    checkOpen();
    return config.get(name);
  }

  /**
   * Lists the keys of the configuration secret, reading it if it has not been read yet.
   *
   * @return the names, sorted; empty if no configuration secret is set
   * @throws io.latchkey.ConfigException naming {@code LATCHKEY_VAULT_CONFIG_PATH} if the secret
   *     cannot be read
   */
  @Override
  public Set<String> names() {
    checkOpen();
    return config.names();
  }

  /**
   * Describes the provider: Vault's address, the namespace, the authentication method and the
   * configuration secret; never a credential.
   *
   * @return the description
   */
  @Override
  public String description() {
    return description;
  }

  /**
   * Stops the token renewer and the HTTP client's threads; later calls throw. Idempotent. The token
   * is not revoked: a token the provider logged in for expires with its lease.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      // The HTTP client first: it cancels exchanges in flight, so a renewal hung on a dead Vault
      // does not hold the renewer past its time-out.
      http.close();
      auth.close();
    }
  }

  /** Returns {@code VaultSecretProvider[description]}; never a credential. */
  @Override
  public String toString() {
    return "VaultSecretProvider[" + description + "]";
  }

  /** The HTTP layer, for tests of what reaches it. */
  VaultHttp http() {
    return http;
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the vault provider is closed");
    }
  }

  /**
   * Configures a {@link VaultSecretProvider}. Setters check their argument at once; {@link
   * #build()} checks the whole. The last authentication method set wins. A builder is not
   * thread-safe; the providers it builds are.
   *
   * <h2>Security</h2>
   *
   * <p>Credentials given here (a token, a role ID, a secret ID) are kept for the provider's life
   * and never printed; error messages name the setting, never its value.
   *
   * @since 0.1
   */
  public static final class Builder {
    private enum Auth {
      TOKEN,
      TOKEN_FILE,
      APPROLE,
      KUBERNETES
    }

    private URI address;
    private boolean allowHttp;
    private String namespace;
    private Auth auth;
    private String token;
    private Path tokenFile;
    private String roleId;
    private String secretId;
    private Path secretIdFile;
    private String role;
    private Path jwtFile;
    private String authMount;
    private List<X509Certificate> anchors;
    private Duration timeout = Duration.ofSeconds(5);
    private SecretRef configRef;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Sets Vault's address, such as {@code https://vault.example.com:8200}; required.
     *
     * @param address an {@code https} URL, or {@code http} to the loopback interface (or anywhere
     *     with {@link #allowHttp(boolean)}); without user information, query or fragment
     * @return this builder
     * @throws IllegalArgumentException if the address is not such a URL
     */
    public Builder address(URI address) {
      requireNonNull(address, "address");
      String scheme =
          address.getScheme() == null ? "" : address.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException("address must be an http or https URL");
      }
      if (address.getRawUserInfo() != null) {
        throw new IllegalArgumentException("address must not hold user information");
      }
      if (address.getHost() == null || address.getHost().isEmpty()) {
        throw new IllegalArgumentException("address must name a host");
      }
      if (address.getRawQuery() != null || address.getRawFragment() != null) {
        throw new IllegalArgumentException("address must not have a query or a fragment");
      }
      String text = address.toString();
      this.address = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
      return this;
    }

    /**
     * Allows a plain {@code http://} address to a host other than the loopback interface, over
     * which the token travels in clear text; off by default.
     *
     * @param allow whether to allow it
     * @return this builder
     */
    public Builder allowHttp(boolean allow) {
      this.allowHttp = allow;
      return this;
    }

    /**
     * Sets the Vault Enterprise namespace sent as {@code X-Vault-Namespace} on every request,
     * logins included.
     *
     * @param namespace the namespace, such as {@code team-a} or {@code org/team-a}
     * @return this builder
     * @throws IllegalArgumentException if it is blank
     */
    public Builder namespace(String namespace) {
      requireNonNull(namespace, "namespace");
      String trimmed = VaultPaths.trimSlashes(namespace.strip());
      if (trimmed.isEmpty()) {
        throw new IllegalArgumentException("namespace must not be blank");
      }
      this.namespace = trimmed;
      return this;
    }

    /**
     * Authenticates with a token given as it is; it is renewed while renewable, and nothing
     * replaces it when it expires.
     *
     * @param token the token; its value is read now
     * @return this builder
     * @throws IllegalArgumentException if the token is blank
     */
    public Builder token(Secret token) {
      requireNonNull(token, "token");
      String value = token.reveal().strip();
      if (value.isEmpty()) {
        throw new IllegalArgumentException("token must not be blank");
      }
      clearAuth();
      this.auth = Auth.TOKEN;
      this.token = value;
      return this;
    }

    /**
     * Authenticates with a token read from a file, such as a Vault Agent sink; the file is read
     * again when Vault denies the token.
     *
     * @param file the file holding the token
     * @return this builder
     */
    public Builder tokenFile(Path file) {
      requireNonNull(file, "file");
      clearAuth();
      this.auth = Auth.TOKEN_FILE;
      this.tokenFile = file;
      return this;
    }

    /**
     * Authenticates with AppRole.
     *
     * @param roleId the role ID, treated as a credential (never printed)
     * @param secretId the secret ID; its value is read now
     * @return this builder
     * @throws IllegalArgumentException if either is blank
     */
    public Builder appRole(String roleId, Secret secretId) {
      requireNonNull(secretId, "secretId");
      String secret = secretId.reveal().strip();
      if (secret.isEmpty()) {
        throw new IllegalArgumentException("secret ID must not be blank");
      }
      setRoleId(roleId);
      this.secretId = secret;
      return this;
    }

    /**
     * Authenticates with AppRole, reading the secret ID from a file at each login.
     *
     * @param roleId the role ID, treated as a credential (never printed)
     * @param secretIdFile the file holding the secret ID
     * @return this builder
     * @throws IllegalArgumentException if the role ID is blank
     */
    public Builder appRole(String roleId, Path secretIdFile) {
      requireNonNull(secretIdFile, "secretIdFile");
      setRoleId(roleId);
      this.secretIdFile = secretIdFile;
      return this;
    }

    private void setRoleId(String roleId) {
      requireNonNull(roleId, "roleId");
      if (roleId.isBlank()) {
        throw new IllegalArgumentException("role ID must not be blank");
      }
      clearAuth();
      this.auth = Auth.APPROLE;
      this.roleId = roleId.strip();
    }

    /**
     * Authenticates with Kubernetes, with the pod's service account token from {@code
     * /var/run/secrets/kubernetes.io/serviceaccount/token}.
     *
     * @param role the Vault role bound to the service account
     * @return this builder
     * @throws IllegalArgumentException if the role is blank
     */
    public Builder kubernetes(String role) {
      return kubernetes(role, VaultSettings.DEFAULT_K8S_TOKEN_FILE);
    }

    /**
     * Authenticates with Kubernetes, reading the service account token from a file at each login
     * (Kubernetes rotates projected tokens).
     *
     * @param role the Vault role bound to the service account
     * @param serviceAccountTokenFile the file holding the service account token (a JWT)
     * @return this builder
     * @throws IllegalArgumentException if the role is blank
     */
    public Builder kubernetes(String role, Path serviceAccountTokenFile) {
      requireNonNull(role, "role");
      requireNonNull(serviceAccountTokenFile, "serviceAccountTokenFile");
      if (role.isBlank()) {
        throw new IllegalArgumentException("role must not be blank");
      }
      clearAuth();
      this.auth = Auth.KUBERNETES;
      this.role = role.strip();
      this.jwtFile = serviceAccountTokenFile;
      return this;
    }

    /**
     * Sets the path the AppRole or Kubernetes auth method is mounted at; by default {@code approle}
     * or {@code kubernetes}.
     *
     * @param mount the mount path, such as {@code approle-prod}
     * @return this builder
     * @throws IllegalArgumentException if it is not a valid path
     */
    public Builder authMount(String mount) {
      this.authMount = mountPath(mount, "auth mount");
      return this;
    }

    private void clearAuth() {
      token = null;
      tokenFile = null;
      roleId = null;
      secretId = null;
      secretIdFile = null;
      role = null;
      jwtFile = null;
    }

    /**
     * Trusts exactly the CA certificates in a PEM file (one or more), and not the system's.
     *
     * @param pemFile the file, read now
     * @return this builder
     * @throws IllegalArgumentException if it cannot be read or holds no certificate
     */
    public Builder caCertificates(Path pemFile) {
      requireNonNull(pemFile, "pemFile");
      this.anchors = List.copyOf(Trust.readFile(pemFile));
      return this;
    }

    /**
     * Trusts exactly the CA certificates in the PEM files of a directory, and not the system's.
     *
     * @param directory the directory, read now
     * @return this builder
     * @throws IllegalArgumentException if it cannot be read or holds no certificate
     */
    public Builder caDirectory(Path directory) {
      requireNonNull(directory, "directory");
      this.anchors = List.copyOf(Trust.readDirectory(directory));
      return this;
    }

    /**
     * Sets how long one request may take, connecting included; 5 seconds by default.
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder timeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Sets the KV secret whose keys are the provider's configuration view (see {@link
     * VaultSecretProvider#get(String)}).
     *
     * @param path a path in reference syntax, with or without {@code vault:}, such as {@code
     *     secret/data/app-config}; a {@code #field} names a field holding a JSON object
     * @return this builder
     * @throws IllegalArgumentException if it is not a valid reference
     */
    public Builder configPath(String path) {
      requireNonNull(path, "path");
      String text = path.strip();
      SecretRef ref;
      try {
        ref = SecretRef.parse(text.startsWith(NAME + ":") ? text : NAME + ":" + text);
      } catch (IllegalArgumentException e) {
        // The parser quotes the text; keep only what it expected.
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf(" at position ");
        int colon = at < 0 ? -1 : message.indexOf(": ", at);
        throw new IllegalArgumentException(
            "config path is not a valid reference"
                + (colon < 0 ? "" : ": " + message.substring(colon + 2)));
      }
      String problem = VaultPaths.problem(ref.path());
      if (problem != null) {
        throw new IllegalArgumentException("config path " + problem);
      }
      this.configRef = ref;
      return this;
    }

    /**
     * Sets the clock that times token leases and stamps fetched versions (tests pass a fake one).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the provider. No request is sent until the first read.
     *
     * @return the provider, which the caller closes
     * @throws IllegalStateException if no address or no authentication method is set, or the
     *     address is plain {@code http} to a host other than the loopback interface without {@link
     *     #allowHttp(boolean)}
     */
    public VaultSecretProvider build() {
      if (address == null) {
        throw new IllegalStateException("an address is required");
      }
      if (auth == null) {
        throw new IllegalStateException(
            "an authentication method is required: a token, a token file, AppRole or Kubernetes");
      }
      if (!allowHttp && isPlainHttpToRemote(address)) {
        throw new IllegalStateException(
            "the address is plain http to a host other than the loopback interface, which would"
                + " send the token in clear text; use https, or allow http explicitly");
      }
      return new VaultSecretProvider(this, login());
    }

    private Login login() {
      switch (auth) {
        case TOKEN:
          return new Login.StaticToken(token);
        case TOKEN_FILE:
          return new Login.TokenFile(tokenFile);
        case APPROLE:
          return new Login.AppRole(
              authMount == null ? "approle" : authMount, roleId, secretId, secretIdFile);
        case KUBERNETES:
          return new Login.Kubernetes(authMount == null ? "kubernetes" : authMount, role, jwtFile);
        default:
          throw new IllegalStateException("unknown authentication method");
      }
    }

    static String mountPath(String mount, String what) {
      requireNonNull(mount, "mount");
      String trimmed = VaultPaths.trimSlashes(mount.strip());
      String problem = VaultPaths.problem(trimmed);
      if (problem != null) {
        throw new IllegalArgumentException(what + " " + problem);
      }
      return trimmed;
    }

    static boolean isPlainHttpToRemote(URI address) {
      return "http".equalsIgnoreCase(address.getScheme()) && !isLoopback(address.getHost());
    }

    private static boolean isLoopback(String host) {
      String h =
          host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
      if (h.equalsIgnoreCase("localhost")) {
        return true;
      }
      // Only literal addresses: a name is not resolved here (its answer could change).
      boolean literal =
          h.indexOf(':') >= 0 || h.chars().allMatch(c -> c == '.' || Character.isDigit(c));
      if (!literal) {
        return false;
      }
      try {
        return InetAddress.getByName(h).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }
  }
}
