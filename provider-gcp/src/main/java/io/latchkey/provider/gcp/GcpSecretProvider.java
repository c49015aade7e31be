package io.latchkey.provider.gcp;

import static java.util.Objects.requireNonNull;

import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import io.latchkey.ConfigException;
import io.latchkey.LatchkeyException;
import io.latchkey.ProviderException;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigReport;
import io.latchkey.config.ConfigValue;
import io.latchkey.internal.SettingNames;
import io.latchkey.spi.JsonSecretView;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code gcp} secret provider: GCP Secret Manager through Google's official client, over gRPC,
 * with version numbers, aliases, payload checksums and JSON fields.
 *
 * <pre>{@code
 * // What SECRET_PROVIDER=gcp selects: GOOGLE_CLOUD_PROJECT, LATCHKEY_GCP_* and Application
 * // Default Credentials.
 * try (GcpSecretProvider gcp = GcpSecretProvider.fromEnvironment(System.getenv());
 *     SecretResolver resolver = SecretResolver.builder().provider(gcp).build()) {
 *   Secret password = resolver.resolve("gcp:db-credentials#password");
 * }
 * }</pre>
 *
 * <p>The references it reads, its settings, how each failure is reported, its threads and its
 * configuration view are described in {@code docs/providers/gcp.md}.
 *
 * <h2>Security</h2>
 *
 * <p>No value appears in {@link #toString()}, {@link #description()}, an exception message or a log
 * line; the service's error descriptions are never copied, nor the client's exceptions attached.
 * Plaintext gRPC, which sends no credentials, is allowed only to a loopback address.
 *
 * @since 0.1
 */
public final class GcpSecretProvider implements SecretProvider {
  /** The provider's name, which {@code SECRET_PROVIDER} selects it by: {@value}. */
  public static final String NAME = "gcp";

  /** The variable the default project is read from: {@value}. */
  public static final String PROJECT_VARIABLE = "GOOGLE_CLOUD_PROJECT";

  /** The variable the default project is read from when {@value #PROJECT_VARIABLE} is unset. */
  public static final String LEGACY_PROJECT_VARIABLE = "GCLOUD_PROJECT";

  /** The variable the endpoint is read from, as {@code host:port}: {@value}. */
  public static final String ENDPOINT_VARIABLE = "LATCHKEY_GCP_ENDPOINT";

  /** The variable that turns plaintext gRPC on, for a loopback endpoint only: {@value}. */
  public static final String PLAINTEXT_VARIABLE = "LATCHKEY_GCP_PLAINTEXT";

  /** The variable the per-call time-out is read from, such as {@code 5s}: {@value}. */
  public static final String TIMEOUT_VARIABLE = "LATCHKEY_GCP_TIMEOUT";

  /** The variable that names the JSON secret the configuration view serves: {@value}. */
  public static final String CONFIG_SECRET_VARIABLE = "LATCHKEY_GCP_CONFIG_SECRET";

  /**
   * The variable that names a credentials file (service account, external account, or user
   * credentials), as Application Default Credentials read it: {@value}.
   */
  public static final String CREDENTIALS_VARIABLE = "GOOGLE_APPLICATION_CREDENTIALS";

  /** The public endpoint: {@value}. */
  public static final String DEFAULT_ENDPOINT = "secretmanager.googleapis.com:443";

  /** The per-call time-out unless one is set: 5 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  // A provider is a service, not data: every field is transient, so that a reflective
  // serialiser (Gson, Jackson reading fields) handed one by mistake writes none of what it holds.
  private final transient GcpCalls calls;
  private final transient JsonSecretView configView;
  private final transient GcpClientFactory.Owned owned;
  private final transient String project;
  private final transient String endpoint;
  private final transient boolean plaintext;
  private final transient SecretRef configSecret;
  private final transient AtomicBoolean closed = new AtomicBoolean();

  private GcpSecretProvider(
      Builder b, SecretManagerServiceClient client, GcpClientFactory.Owned owned) {
    this.calls = new GcpCalls(client, b.project, b.timeout, b.clock);
    this.configView = new JsonSecretView(CONFIG_SECRET_VARIABLE, b.configSecret, this::fetch);
    this.owned = owned;
    this.project = b.project;
    this.endpoint = owned == null ? null : b.endpoint;
    this.plaintext = owned != null && b.plaintext;
    this.configSecret = b.configSecret;
  }

  /**
   * Returns a builder: the public endpoint over TLS, Application Default Credentials, no default
   * project, a time-out of 5 seconds and no configuration secret.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the provider {@code SECRET_PROVIDER=gcp} selects, from an environment's settings: each
   * {@code *_VARIABLE} of this class, mapped onto the {@linkplain #builder() builder}'s setter of
   * the same meaning. Blank values are unset.
   *
   * @param environment the process environment, or a stand-in
   * @return the provider, which the caller closes
   * @throws ConfigException listing every wrong setting, or naming the credentials if none can be
   *     loaded
   */
  public static GcpSecretProvider fromEnvironment(Map<String, String> environment) {
    requireNonNull(environment, "environment");
    return GcpSettings.builder(environment).build();
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Fetches a secret version's value with {@code AccessSecretVersion}.
   *
   * @param ref the reference, such as {@code gcp:db}, {@code gcp:db@3#password} or {@code
   *     gcp:projects/P/secrets/S/versions/V}
   * @return the value (or the field's value), the version number the service resolved, and the
   *     symbolic version asked for ({@code latest} or an alias) as its stage
   * @throws SecretNotFoundException if the secret or version does not exist, the version is
   *     disabled or destroyed, or the field does not exist or the value is not a JSON object
   * @throws ProviderException for every other failure, with its kind
   * @throws IllegalStateException if the provider is closed
   */
  @Override
  public SecretVersion fetch(SecretRef ref) {
    requireNonNull(ref, "ref");
    checkOpen();
    return calls.fetch(ref);
  }

  /**
   * {@inheritDoc} Secret Manager has no batch read, so every {@code AccessSecretVersion} call is
   * put in flight at once over the one channel, from the calling thread: one call per secret
   * version however many of its fields are asked for, and no thread per reference. A reference that
   * failed (not found, denied, a checksum mismatch, a missing field) is left out, for {@link
   * #fetch(SecretRef)} to report.
   *
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
    Map<SecretRef, SecretVersion> fetched = calls.fetchAll(wholes);
    Map<SecretRef, SecretVersion> versions = new LinkedHashMap<>();
    for (SecretRef ref : refs) {
      SecretVersion whole = fetched.get(ref.withoutField());
      if (whole == null) {
        continue;
      }
      try {
        versions.put(ref, ref.field().isPresent() ? PayloadFields.field(ref, whole) : whole);
      } catch (LatchkeyException e) {
        // A missing field, or a value that is not a JSON object: fetch(ref) says which.
      }
    }
    return versions;
  }

  @Override
  public boolean extractsFields() {
    return true;
  }

  @Override
  public SecretVersion field(SecretRef ref, SecretVersion whole) {
    return PayloadFields.field(ref, whole);
  }

  @Override
  public void attemptTimeout(Duration timeout) {
    calls.deadline().shorten(timeout);
  }

  /**
   * Returns the number of the version a reference points at, from {@code GetSecretVersion}, which
   * returns metadata only.
   *
   * <p>A version that is no longer enabled is reported as {@link #fetch(SecretRef)} would report
   * it. If the caller may not read metadata ({@code secretmanager.versions.get}), the answer is
   * empty, and the resolver fetches; the checks of that secret pause, then resume.
   *
   * @param ref the reference
   * @return the version number, or empty if the caller may not read the version's metadata
   * @throws SecretNotFoundException if the secret or version does not exist, or the version is
   *     disabled or destroyed
   * @throws ProviderException for every other failure, with its kind
   * @throws IllegalStateException if the provider is closed
   */
  @Override
  public Optional<String> currentVersionId(SecretRef ref) {
    requireNonNull(ref, "ref");
    checkOpen();
    return calls.currentVersionId(ref);
  }

  /** The deadline of the next call: the time-out, or a resolver's shorter one. */
  Duration callTimeout() {
    return calls.deadline().current().timeout();
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the gcp secret provider is closed");
    }
  }

  /**
   * Looks up a setting in the configuration secret ({@value #CONFIG_SECRET_VARIABLE}), reading the
   * secret at the first call.
   *
   * @param name the setting's name, a member of the secret's JSON object
   * @return the member's value (a string as it is, any other JSON value as its JSON text) with
   *     origin {@code provider} and the secret's reference as detail; empty if the member does not
   *     exist, is {@code null}, or no configuration secret is set
   * @throws ConfigException naming {@value #CONFIG_SECRET_VARIABLE} if the secret cannot be read or
   *     is not a JSON object; the next call tries again
   */
  @Override
  public Optional<ConfigValue> get(String name) {
    requireNonNull(name, "name");
    return configView.get(name);
  }

  @Override
  public Set<String> names() {
    return configView.names();
  }

  @Override
  public String description() {
    StringBuilder sb = new StringBuilder("GCP Secret Manager (");
    if (endpoint == null) {
      sb.append("caller's client");
    } else {
      sb.append(ConfigReport.maskUrls(endpoint)).append(plaintext ? ", plaintext" : "");
    }
    sb.append(", project ").append(project == null ? "none" : project);
    if (configSecret != null) {
      sb.append(", config ").append(configSecret);
    }
    return sb.append(')').toString();
  }

  // The description names no value and no credential, so neither does this.
  @Override
  public String toString() {
    return "GcpSecretProvider[" + description() + "]";
  }

  /**
   * Shuts the client's channel down and waits for it to terminate (up to the time-out plus a
   * second, then forcibly), and stops the provider's threads; a client passed to {@link
   * Builder#client} is left open. Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)
        && owned != null
        && owned.close(calls.deadline().current().timeout().plusSeconds(1))) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Builds a {@link GcpSecretProvider}; each setter mirrors a setting of {@link
   * GcpSecretProvider#fromEnvironment(Map)}.
   *
   * <p>Setters check their argument at once; {@link #build()} checks the whole.
   */
  public static final class Builder {
    private String project;
    private String endpoint = DEFAULT_ENDPOINT;
    private boolean plaintext;
    private Duration timeout = DEFAULT_TIMEOUT;
    private SecretRef configSecret;
    private Path credentialsFile;
    private SecretManagerServiceClient client;
    private boolean transportSet;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Sets the default project, for references that give a bare secret id ({@value
     * GcpSecretProvider#PROJECT_VARIABLE}).
     *
     * @param project a project id or number
     * @return this builder
     * @throws IllegalArgumentException if it is neither
     */
    public Builder project(String project) {
      requireNonNull(project, "project");
      String reason = GcpSettings.checkProject(project);
      if (reason != null) {
        throw new IllegalArgumentException("project " + reason);
      }
      this.project = project;
      return this;
    }

    /**
     * Sets the endpoint ({@value GcpSecretProvider#ENDPOINT_VARIABLE}); by default {@value
     * GcpSecretProvider#DEFAULT_ENDPOINT}.
     *
     * @param hostPort such as {@code secretmanager.us-central1.rep.googleapis.com:443}
     * @return this builder
     * @throws IllegalArgumentException if it is not {@code host:port}
     */
    public Builder endpoint(String hostPort) {
      requireNonNull(hostPort, "hostPort");
      String reason = GcpSettings.checkEndpoint(hostPort);
      if (reason != null) {
        throw new IllegalArgumentException("endpoint " + reason);
      }
      this.endpoint = hostPort;
      transportSet = true;
      return this;
    }

    /**
     * Turns plaintext gRPC without credentials on or off ({@value
     * GcpSecretProvider#PLAINTEXT_VARIABLE}); {@link #build()} allows it only to a loopback
     * endpoint.
     *
     * @param plaintext {@code true} for a local emulator or test server
     * @return this builder
     */
    public Builder plaintext(boolean plaintext) {
      this.plaintext = plaintext;
      transportSet = transportSet || plaintext;
      return this;
    }

    /**
     * Sets the deadline of each call ({@value GcpSecretProvider#TIMEOUT_VARIABLE}); by default 5
     * seconds.
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException if it is not positive
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
     * Names the JSON secret the configuration view serves ({@value
     * GcpSecretProvider#CONFIG_SECRET_VARIABLE}).
     *
     * @param reference a reference, with or without {@code gcp:}, such as {@code app-config}
     * @return this builder
     * @throws IllegalArgumentException if it is not a reference to a gcp secret, or looks like a
     *     secret's value (a key or a token, which the message does not quote)
     */
    public Builder configSecret(String reference) {
      requireNonNull(reference, "reference");
      SecretRef ref;
      try {
        ref = GcpSettings.parseConfigSecret(reference);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("configSecret " + e.getMessage());
      }
      if (SettingNames.looksLikeSecretValue(reference.strip())) {
        // It would be quoted in description(), every failure of the view and the log.
        throw new IllegalArgumentException(
            "configSecret looks like a secret's value, not a reference (not shown, in case it is"
                + " one); set the reference of the secret that holds the configuration, such as"
                + " app-config");
      }
      this.configSecret = ref;
      return this;
    }

    /**
     * Reads credentials from a file ({@value GcpSecretProvider#CREDENTIALS_VARIABLE}) instead of
     * Application Default Credentials.
     *
     * @param file a service-account, external-account or user credentials JSON file
     * @return this builder
     * @throws IllegalArgumentException if it is not a readable file; the message quotes the path
     *     only when it looks like one (not the JSON key pasted in its place)
     */
    public Builder credentialsFile(Path file) {
      requireNonNull(file, "file");
      try {
        this.credentialsFile = GcpSettings.checkCredentialsFile(file);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("credentialsFile " + e.getMessage());
      }
      transportSet = true;
      return this;
    }

    /**
     * Uses a client the caller created and keeps: the provider does not close it, and the client's
     * endpoint, credentials and channel apply. Each call still gets this provider's deadline, one
     * attempt and the answer cap.
     *
     * @param client the client
     * @return this builder
     */
    public Builder client(SecretManagerServiceClient client) {
      this.client = requireNonNull(client, "client");
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the provider, creating its client unless one was given.
     *
     * @return the provider, which the caller closes
     * @throws IllegalStateException if plaintext is on for an endpoint that is not a loopback
     *     address, or a client is given together with an endpoint, plaintext or credentials
     * @throws ConfigException if no credentials can be loaded
     */
    public GcpSecretProvider build() {
      if (client != null) {
        if (transportSet) {
          throw new IllegalStateException(
              "a supplied client brings its own endpoint, transport and credentials; do not set"
                  + " endpoint, plaintext or credentialsFile as well");
        }
        return new GcpSecretProvider(this, client, null);
      }
      if (plaintext && !GcpSettings.isLoopback(endpoint)) {
        throw new IllegalStateException(
            "plaintext is allowed only to a loopback endpoint (localhost, 127.0.0.0/8, [::1]); the"
                + " endpoint is "
                + ConfigReport.maskUrls(endpoint));
      }
      GcpClientFactory.Owned owned =
          GcpClientFactory.create(
              new GcpClientFactory.Target(endpoint, plaintext, credentialsFile, timeout));
      return new GcpSecretProvider(this, owned.client(), owned);
    }
  }
}
