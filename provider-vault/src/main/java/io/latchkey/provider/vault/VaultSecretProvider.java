package io.latchkey.provider.vault;

import static java.util.Objects.requireNonNull;

import io.latchkey.LatchkeyException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigReport;
import io.latchkey.config.ConfigValue;
import io.latchkey.internal.SettingNames;
import io.latchkey.spi.JsonSecretView;
import io.latchkey.spi.JsonValue;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The {@code vault} secret provider: reads HashiCorp Vault's KV secrets engine, versions 1 and 2,
 * over Vault's HTTP API, with a token, a token file, AppRole or Kubernetes, and keeps its token
 * alive. References are {@code vault:secret/data/app#api_key} (KV v2, {@code @3} for a version),
 * {@code vault:secret/app#api_key} (the short form) or {@code vault:kv/app#api_key} (KV v1).
 *
 * <pre>{@code
 * SecretProvider vault = VaultSecretProvider.fromEnvironment(System.getenv()); // VAULT_ADDR, ...
 * SecretProvider same =
 *     VaultSecretProvider.builder()
 *         .address(URI.create("https://vault.example.com:8200"))
 *         .appRole(roleId, Secret.of(secretId))
 *         .build();
 * }</pre>
 *
 * <p>Settings, references, authentication, the error table and the threads are described in <a
 * href="https://github.com/latchkey/latchkey/blob/main/docs/providers/vault.md">{@code
 * docs/providers/vault.md}</a>.
 *
 * <h2>Security</h2>
 *
 * <p>No value, token, role ID, secret ID or service account token appears in {@link #toString()},
 * {@link #description()}, an exception message or a log line. Plain {@code http://} is refused
 * unless the host is the loopback interface or it is allowed explicitly.
 *
 * <p>Instances are thread-safe. {@link #close()} cancels requests in flight and stops the
 * provider's threads.
 *
 * @since 0.1
 */
public final class VaultSecretProvider implements SecretProvider {
  /** The provider's name, which {@code SECRET_PROVIDER} selects it by: {@value}. */
  public static final String NAME = "vault";

  // A provider is a service, not data: every field is transient, so that a reflective
  // serialiser (Gson, Jackson reading fields) handed one by mistake writes none of what it holds.
  private final transient VaultClientFactory clients;
  private final transient VaultHttp http;
  private final transient VaultAuth auth;
  private final transient Kv kv;
  private final transient KvValues values = new KvValues();
  private final transient JsonSecretView config;
  private final transient Clock clock;
  private final transient String description;
  private final transient AtomicBoolean closed = new AtomicBoolean();

  private VaultSecretProvider(Builder b, Login login) {
    this.clock = b.clock;
    this.clients = new VaultClientFactory(b.address, b.timeout, b.anchors);
    this.http =
        new VaultHttp(b.address, b.namespace, b.timeout, clients.executor(), clients.client());
    RenewalScheduler renewer =
        b.renewalScheduler != null ? b.renewalScheduler : clients.renewalScheduler(clock);
    this.auth = new VaultAuth(login, http, clock, renewer);
    this.kv = new Kv(http, auth, clock);
    this.config =
        new JsonSecretView(VaultSettings.CONFIG_PATH.name(), b.configRef, this::configData);
    this.description =
        "HashiCorp Vault at "
            + ConfigReport.maskUrls(b.address.toString())
            + (b.namespace == null ? "" : ", namespace " + b.namespace)
            + ", auth "
            + login.method()
            + (b.configRef == null ? "" : ", settings from " + b.configRef);
  }

  /**
   * The configuration secret's KV data as JSON text, or with a {@code #field} that field (a JSON
   * object, or its text): a one-key secret is a view of its one key, not of that key's value.
   */
  private SecretVersion configData(SecretRef ref) {
    JsonValue data = kv.read(ref.withoutField()).data();
    String text = data.text();
    if (ref.field().isPresent()) {
      String field = ref.field().get();
      text = data.fields().get(field);
      if (text == null) {
        throw new SecretNotFoundException(ref, "no field '" + field + "'");
      }
    }
    return SecretVersion.of(Secret.of(text), clock.instant());
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
    return VaultSettings.builder(environment).build();
  }

  /** Returns {@value #NAME}. */
  @Override
  public String name() {
    return NAME;
  }

  /**
   * {@inheritDoc} On KV v2 the version id is the version number; a deleted or destroyed version is
   * a {@link SecretNotFoundException} that says so.
   *
   * @throws IllegalStateException if the provider is closed
   */
  @Override
  public SecretVersion fetch(SecretRef ref) {
    requireNonNull(ref, "ref");
    checkOpen();
    return version(ref, kv.read(ref));
  }

  private SecretVersion version(SecretRef ref, Kv.Read read) {
    Secret value = values.select(ref, read.data());
    Instant now = clock.instant();
    if (read.version().isEmpty()) {
      return SecretVersion.of(value, now);
    }
    return SecretVersion.of(value, Integer.toString(read.version().getAsInt()), now);
  }

  /**
   * {@inheritDoc} Vault has no batch read, so every read is put in flight at once from the calling
   * thread: each secret once however many of its fields are asked for, a reference in the API form
   * ({@code secret/data/app}) beside its mount's look-up. A start-up's prefetch then costs one
   * round trip and no thread per reference. A reference that failed (not found, denied, a missing
   * field) is left out, for {@link #fetch(SecretRef)} to report or retry.
   *
   * @throws io.latchkey.ProviderException if no token can be had or a mount look-up failed
   * @throws IllegalStateException if the provider is closed
   */
  @Override
  public Map<SecretRef, SecretVersion> fetchAll(Collection<SecretRef> refs) {
    requireNonNull(refs, "refs");
    Set<SecretRef> wholes = new LinkedHashSet<>();
    for (SecretRef ref : refs) {
      wholes.add(requireNonNull(ref, "refs element").withoutField());
    }
    checkOpen();
    Map<SecretRef, Kv.Read> reads = kv.readAll(wholes);
    Map<SecretRef, SecretVersion> versions = new LinkedHashMap<>();
    for (SecretRef ref : refs) {
      Kv.Read read = reads.get(ref.withoutField());
      if (read == null) {
        continue;
      }
      try {
        versions.put(ref, version(ref, read));
      } catch (LatchkeyException e) {
        // A missing field: fetch(ref) says which.
      }
    }
    return versions;
  }

  /** Returns {@code true}: a field is read out of a whole KV secret this provider fetched. */
  @Override
  public boolean extractsFields() {
    return true;
  }

  /** {@inheritDoc} It is what {@link #fetch(SecretRef)} of the field gives, without a request. */
  @Override
  public SecretVersion field(SecretRef ref, SecretVersion whole) {
    return values.field(ref, whole);
  }

  /** {@inheritDoc} The shortest time-out told applies to every later request. */
  @Override
  public void attemptTimeout(Duration timeout) {
    http.shorten(timeout);
  }

  /**
   * {@inheritDoc} On KV v2 it is the version the reference names or the secret's {@code
   * current_version}; on KV v1, or while the token may not read the metadata, it is empty.
   *
   * @throws IllegalStateException if the provider is closed
   */
  @Override
  public Optional<String> currentVersionId(SecretRef ref) {
    requireNonNull(ref, "ref");
    checkOpen();
    return kv.currentVersion(ref);
  }

  /**
   * Looks up a key of the secret {@code LATCHKEY_VAULT_CONFIG_PATH} names, read at first use and
   * kept for the provider's life.
   *
   * @param name the key
   * @return the value, with the secret's reference as its origin; empty if the key is absent or
   *     {@code null}, or no configuration secret is set
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

  /** Names Vault's address, the namespace, the authentication method and the settings secret. */
  @Override
  public String description() {
    return description;
  }

  /**
   * Cancels the requests in flight and stops the provider's threads; later calls throw. Idempotent.
   * The token is not revoked: one the provider logged in for expires with its lease.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      // The HTTP client first: it cancels exchanges in flight, so a renewal hung on a dead Vault
      // does not hold the renewer past its time-out.
      http.close();
      auth.close();
      clients.close();
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
    private URI address;
    private boolean allowHttp;
    private String namespace;
    // The authentication method set last, given the auth mount (null for the method's default).
    private Function<String, Login> login;
    private String authMount;
    private List<X509Certificate> anchors;
    private Duration timeout = Duration.ofSeconds(5);
    private SecretRef configRef;
    private Clock clock = Clock.systemUTC();
    private RenewalScheduler renewalScheduler;

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
      this.address = VaultClientFactory.address(address);
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
     * @throws IllegalArgumentException if it is blank or looks like a secret's value (a key or a
     *     token, which the message does not quote)
     */
    public Builder namespace(String namespace) {
      requireNonNull(namespace, "namespace");
      String trimmed = VaultPaths.trimSlashes(namespace.strip());
      if (trimmed.isEmpty()) {
        throw new IllegalArgumentException("namespace must not be blank");
      }
      this.namespace = notAValue(trimmed, "namespace");
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
      String value = nonBlank(token, "token");
      this.login = mount -> new Login.StaticToken(value);
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
      this.login = mount -> new Login.TokenFile(file);
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
      return appRole(roleId, nonBlank(secretId, "secret ID"), null);
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
      return appRole(roleId, null, secretIdFile);
    }

    private Builder appRole(String roleId, String secretId, Path secretIdFile) {
      requireNonNull(roleId, "roleId");
      if (roleId.isBlank()) {
        throw new IllegalArgumentException("role ID must not be blank");
      }
      String id = roleId.strip();
      this.login =
          mount -> new Login.AppRole(mount == null ? "approle" : mount, id, secretId, secretIdFile);
      return this;
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
      String name = role.strip();
      this.login =
          mount ->
              new Login.Kubernetes(
                  mount == null ? "kubernetes" : mount, name, serviceAccountTokenFile);
      return this;
    }

    /**
     * Sets the path the AppRole or Kubernetes auth method is mounted at; by default {@code approle}
     * or {@code kubernetes}.
     *
     * @param mount the mount path, such as {@code approle-prod}
     * @return this builder
     * @throws IllegalArgumentException if it is not a valid path, or looks like a secret's value
     */
    public Builder authMount(String mount) {
      requireNonNull(mount, "mount");
      this.authMount =
          notAValue(
              VaultPaths.checked(VaultPaths.trimSlashes(mount.strip()), "auth mount"),
              "auth mount");
      return this;
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
      this.anchors = List.copyOf(VaultClientFactory.readPemFile(pemFile));
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
      this.anchors = List.copyOf(VaultClientFactory.readPemDirectory(directory));
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
     * @throws IllegalArgumentException if it is not a valid reference, or looks like a secret's
     *     value
     */
    public Builder configPath(String path) {
      SecretRef ref = VaultPaths.configReference(requireNonNull(path, "path"));
      notAValue(path.strip(), "configPath");
      this.configRef = ref;
      return this;
    }

    /**
     * Refuses a name that looks like a secret's value, without quoting it: the namespace is in
     * description(), a mount in every failed login, the configuration path in every failure of the
     * view, and all of them in the log.
     */
    private static String notAValue(String text, String what) {
      if (SettingNames.looksLikeSecretValue(text)) {
        throw new IllegalArgumentException(
            what
                + " looks like a secret's value, not a name (not shown, in case it is one); set"
                + " the name, not a token or key");
      }
      return text;
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

    private static String nonBlank(Secret secret, String what) {
      requireNonNull(secret, what);
      String value = secret.reveal().strip();
      if (value.isEmpty()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return value;
    }

    /** Runs the token renewer's work on {@code scheduler}, for tests that move a clock by hand. */
    Builder renewalScheduler(RenewalScheduler scheduler) {
      this.renewalScheduler = requireNonNull(scheduler, "scheduler");
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
      if (login == null) {
        throw new IllegalStateException(
            "an authentication method is required: a token, a token file, AppRole or Kubernetes");
      }
      if (!allowHttp && VaultClientFactory.isPlainHttpToRemote(address)) {
        throw new IllegalStateException(
            "the address is plain http to a host other than the loopback interface, which would"
                + " send the token in clear text; use https, or allow http explicitly");
      }
      return new VaultSecretProvider(this, login.apply(authMount));
    }
  }
}
