package io.latchkey.provider.gcp;

import static java.util.Objects.requireNonNull;

import com.google.api.core.ApiFuture;
import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.FixedExecutorProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.rpc.UnaryCallSettings;
import com.google.api.gax.rpc.UnaryCallable;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.secretmanager.v1.AccessSecretVersionRequest;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.GetSecretVersionRequest;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import com.google.cloud.secretmanager.v1.SecretPayload;
import io.latchkey.ConfigException;
import io.latchkey.LatchkeyException;
import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigReport;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code gcp} secret provider: GCP Secret Manager through Google's official client, over gRPC.
 *
 * <pre>{@code
 * // What SECRET_PROVIDER=gcp selects: settings from GOOGLE_CLOUD_PROJECT, LATCHKEY_GCP_*, and
 * // Application Default Credentials.
 * try (GcpSecretProvider gcp = GcpSecretProvider.fromEnvironment(System.getenv());
 *     SecretResolver resolver = SecretResolver.builder().provider(gcp).build()) {
 *   Secret password = resolver.resolve("gcp:db-credentials#password");
 * }
 * }</pre>
 *
 * <h2>References</h2>
 *
 * <ul>
 *   <li>{@code gcp:projects/P/secrets/S/versions/V}: version {@code V} of secret {@code S} in
 *       project {@code P} (an id or a number);
 *   <li>{@code gcp:projects/P/secrets/S}: its latest version;
 *   <li>{@code gcp:S}: secret {@code S} in the default project ({@value #PROJECT_VARIABLE});
 *   <li>{@code gcp:projects/P/locations/L/secrets/S[/versions/V]}: a regional secret, which the
 *       regional endpoint serves ({@code secretmanager.L.rep.googleapis.com:443});
 *   <li>{@code @V} after any of them picks the version: {@code latest}, a version number, or a
 *       version alias, which Secret Manager resolves; a reference that gives a version both in its
 *       path and after {@code @} must give the same one;
 *   <li>{@code #field} at the end selects a member of a secret that holds a JSON object: a string
 *       member as it is, any other value as its JSON text.
 * </ul>
 *
 * <p>{@link #fetch(SecretRef)} calls {@code AccessSecretVersion} and returns the version number the
 * service resolved (a reference to {@code latest} or an alias still learns which number it got),
 * with the symbolic version asked for ({@code latest} or the alias) as its stage. {@link
 * #currentVersionId(SecretRef)} calls {@code GetSecretVersion}, which returns metadata only, so
 * that a resolver holding that version keeps it without fetching the value again. Secret Manager
 * has no batch read: {@link #fetchAll} keeps the default, and the resolver fetches concurrently.
 *
 * <h2>Integrity</h2>
 *
 * <p>The payload's CRC32C ({@code data_crc32c}) is checked; a mismatch is a {@link
 * ProviderException.Kind#MALFORMED_RESPONSE}. Versions written before Secret Manager stored
 * checksums have none, and are accepted without the check.
 *
 * <h2>Failures</h2>
 *
 * <p>Each call is one attempt with a deadline of the {@linkplain Builder#timeout(Duration)
 * time-out} (the client's own retries are off: retrying is the resolver's job). gRPC status codes
 * map to exceptions: {@code NOT_FOUND}, and {@code FAILED_PRECONDITION} (a disabled or destroyed
 * version), to {@link SecretNotFoundException}; {@code PERMISSION_DENIED} and {@code
 * UNAUTHENTICATED} to {@link ProviderException.Kind#ACCESS_DENIED}; {@code RESOURCE_EXHAUSTED} to
 * {@link ProviderException.Kind#THROTTLED}; {@code UNAVAILABLE}, {@code INTERNAL}, {@code UNKNOWN},
 * {@code ABORTED} and {@code CANCELLED} to {@link ProviderException.Kind#UNAVAILABLE}; {@code
 * DEADLINE_EXCEEDED} to {@link ProviderException.Kind#TIMEOUT}; {@code UNIMPLEMENTED} to {@link
 * ProviderException.Kind#UNSUPPORTED}; a bad checksum or a response that names no version of the
 * secret to {@link ProviderException.Kind#MALFORMED_RESPONSE}; anything else, such as {@code
 * INVALID_ARGUMENT}, to {@link ProviderException.Kind#OTHER}.
 *
 * <h2>Configuration view</h2>
 *
 * <p>As a {@link io.latchkey.config.ConfigSource}, the provider serves the members of one JSON
 * secret, named by {@value #CONFIG_SECRET_VARIABLE}, as settings. The secret is read once, at first
 * use, and kept for the provider's life: a start-up snapshot. Values that rotate belong in
 * references, resolved through a resolver. Without the setting the view is empty.
 *
 * <h2>Threads and resources</h2>
 *
 * <p>Instances are thread-safe. A provider that creates its client owns it and a small pool of
 * daemon threads named {@code latchkey-gcp-N}; {@link #close()} shuts the channel down, waits for
 * it to terminate, and stops the pool. gRPC's shared transport threads are released by gRPC about a
 * second after the last channel closes. A client passed to {@link Builder#client} stays the
 * caller's: it is not closed, and its own settings apply, except that each call still gets this
 * provider's deadline and a single attempt.
 *
 * <h2>Security</h2>
 *
 * <p>No value appears in {@link #toString()}, {@link #description()}, an exception message or a log
 * line. The service's error descriptions are never copied into messages, and the client's
 * exceptions are never attached as causes: messages carry the gRPC status code and, at most, the
 * error's machine-readable reason. Credentials are never named beyond the file that holds them.
 * Plaintext gRPC, which sends no credentials, is allowed only to a loopback address.
 *
 * @since 0.1
 */
public final class GcpSecretProvider implements SecretProvider {
  /** The logger, created on first use, as in the other providers. */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(GcpSecretProvider.class);
  }

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

  private static final String CLOUD_PLATFORM_SCOPE =
      "https://www.googleapis.com/auth/cloud-platform";
  private static final String ACCESS_PERMISSION = "secretmanager.versions.access";
  private static final String GET_PERMISSION = "secretmanager.versions.get";

  // A provider is a service, not data: every field is transient, so that a reflective
  // serialiser (Gson, Jackson reading fields) handed one by mistake writes none of what it holds.
  private final transient SecretManagerServiceClient client;
  private final transient boolean ownsClient;
  private final transient ScheduledThreadPoolExecutor executor;
  private final transient String project;
  private final transient String endpoint;
  private final transient boolean plaintext;
  private final transient CallDeadline deadline;
  private final transient SecretRef configSecret;
  private final transient Clock clock;
  private final transient AtomicBoolean closed = new AtomicBoolean();
  private final transient Object configLock = new Object();
  private transient volatile Map<String, String> config;
  // Secrets whose metadata the caller may not read (secretAccessor alone does not grant
  // secretmanager.versions.get): currentVersionId answers "unknown" for them.
  private final transient MetadataBackoff metadataBackoff;

  private GcpSecretProvider(
      Settings settings,
      SecretManagerServiceClient client,
      boolean ownsClient,
      ScheduledThreadPoolExecutor executor,
      Clock clock) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.executor = executor;
    this.project = settings.project;
    this.endpoint = ownsClient ? settings.endpoint : null;
    this.plaintext = ownsClient && settings.plaintext;
    this.deadline = new CallDeadline(settings.timeout);
    this.configSecret = settings.configSecret;
    this.clock = clock;
    this.metadataBackoff = new MetadataBackoff(clock);
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
   * Creates the provider {@code SECRET_PROVIDER=gcp} selects, from an environment's settings.
   *
   * <ul>
   *   <li>{@value #PROJECT_VARIABLE} (or else {@value #LEGACY_PROJECT_VARIABLE}): the default
   *       project, for references that give a bare secret id; unset for none;
   *   <li>{@value #ENDPOINT_VARIABLE}: {@code host:port}; by default {@value #DEFAULT_ENDPOINT};
   *   <li>{@value #PLAINTEXT_VARIABLE}: {@code true} for plaintext gRPC without credentials, to a
   *       loopback endpoint (a local emulator or test server) only; by default {@code false};
   *   <li>{@value #TIMEOUT_VARIABLE}: the deadline of each call, such as {@code 500ms}, {@code 5s}
   *       or {@code PT5S}; by default 5 seconds;
   *   <li>{@value #CONFIG_SECRET_VARIABLE}: a reference to the JSON secret the configuration view
   *       serves, such as {@code app-config}; unset for none;
   *   <li>{@value #CREDENTIALS_VARIABLE}: a credentials file, read from this environment; when
   *       unset, Application Default Credentials are found as the client finds them (the gcloud
   *       credentials file, or the metadata server on Google Cloud). Ignored with plaintext.
   * </ul>
   *
   * @param environment the process environment, or a stand-in
   * @return the provider, which the caller closes
   * @throws ConfigException listing every wrong setting, or naming the credentials if none can be
   *     loaded
   */
  public static GcpSecretProvider fromEnvironment(Map<String, String> environment) {
    requireNonNull(environment, "environment");
    return create(Settings.fromEnvironment(environment), null, Clock.systemUTC());
  }

  private static GcpSecretProvider create(
      Settings settings, SecretManagerServiceClient client, Clock clock) {
    if (client != null) {
      return new GcpSecretProvider(settings, client, false, null, clock);
    }
    CredentialsProvider credentials = credentials(settings);
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, new OwnedThreads());
    executor.setRemoveOnCancelPolicy(true);
    try {
      SecretManagerServiceClient created =
          SecretManagerServiceClient.create(clientSettings(settings, credentials, executor));
      Log.LOG.debug(
          "gcp provider: {} endpoint {}, project {}",
          settings.plaintext ? "plaintext" : "TLS",
          ConfigReport.maskUrls(settings.endpoint),
          settings.project == null ? "none" : settings.project);
      return new GcpSecretProvider(settings, created, true, executor, clock);
    } catch (IOException | RuntimeException e) {
      executor.shutdownNow();
      // The client's message may quote a credentials file; only the type is kept.
      throw new ConfigException(
          settings.credentialsFile != null
              ? CREDENTIALS_VARIABLE
              : "Application Default Credentials",
          "the Secret Manager client could not be created ("
              + e.getClass().getSimpleName()
              + "); set "
              + CREDENTIALS_VARIABLE
              + " to a credentials file, or run where Application Default Credentials exist");
    }
  }

  private static CredentialsProvider credentials(Settings settings) {
    if (settings.plaintext) {
      if (settings.credentialsFile != null) {
        Log.LOG.debug("gcp provider: plaintext endpoint, so no credentials are sent");
      }
      return NoCredentialsProvider.create();
    }
    if (settings.credentialsFile == null) {
      // Application Default Credentials, found by the client when it is created.
      return SecretManagerServiceSettings.defaultCredentialsProviderBuilder().build();
    }
    GoogleCredentials credentials;
    try (InputStream in = Files.newInputStream(settings.credentialsFile)) {
      credentials = GoogleCredentials.fromStream(in);
    } catch (IOException | RuntimeException e) {
      // Never the exception's message: a parse error may quote the file, private key included.
      throw new ConfigException(
          CREDENTIALS_VARIABLE,
          "names "
              + settings.credentialsFile
              + ", which is not a credentials file the Google auth library reads ("
              + e.getClass().getSimpleName()
              + ")");
    }
    if (credentials.createScopedRequired()) {
      credentials = credentials.createScoped(List.of(CLOUD_PLATFORM_SCOPE));
    }
    if (credentials instanceof ServiceAccountCredentials account) {
      // As the client's default does: a self-signed JWT, without a round trip for a token.
      credentials = account.createWithUseJwtAccessWithScope(true);
    }
    return FixedCredentialsProvider.create(credentials);
  }

  private static SecretManagerServiceSettings clientSettings(
      Settings settings, CredentialsProvider credentials, ScheduledThreadPoolExecutor executor)
      throws IOException {
    InstantiatingGrpcChannelProvider.Builder channel =
        SecretManagerServiceSettings.defaultGrpcTransportProviderBuilder();
    if (settings.plaintext) {
      channel.setChannelConfigurator(b -> b.usePlaintext());
    }
    channel.setMaxInboundMessageSize(Failures.INBOUND_CAP);
    SecretManagerServiceSettings.Builder builder =
        SecretManagerServiceSettings.newBuilder()
            .setEndpoint(settings.endpoint)
            .setCredentialsProvider(credentials)
            .setBackgroundExecutorProvider(FixedExecutorProvider.create(executor))
            .setTransportChannelProvider(channel.build());
    // One attempt per call, bounded by the time-out; the call context says the same for each call,
    // and these settings make sure of it even for calls made some other way.
    RetrySettings once = Settings.oneAttempt(settings.timeout);
    for (UnaryCallSettings.Builder<?, ?> call :
        List.of(builder.accessSecretVersionSettings(), builder.getSecretVersionSettings())) {
      call.setRetrySettings(once).setRetryableCodes(Collections.<StatusCode.Code>emptySet());
    }
    return builder.build();
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
   * Fetches a secret version's value with {@code AccessSecretVersion}.
   *
   * @param ref the reference, in the syntax the class documents
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
    SecretName name = SecretName.of(ref, project);
    AccessSecretVersionResponse response =
        call(
            ref,
            client.accessSecretVersionCallable(),
            AccessSecretVersionRequest.newBuilder().setName(name.versionName()).build(),
            ACCESS_PERMISSION);
    String number = versionNumber(ref, name, response.getName());
    SecretPayload payload = response.getPayload();
    byte[] data = payload.getData().toByteArray();
    try {
      if (payload.hasDataCrc32C()) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        if (crc.getValue() != payload.getDataCrc32C()) {
          throw new ProviderException(
              ref,
              ProviderException.Kind.MALFORMED_RESPONSE,
              "checksum mismatch: the payload of version "
                  + number
                  + " does not match its CRC32C (data_crc32c)");
        }
      }
      Secret value = ref.field().isPresent() ? JsonValues.field(ref, data) : Secret.ofBytes(data);
      Set<String> stages =
          name.kind() == SecretName.Kind.NUMBER ? Set.of() : Set.of(name.version());
      if (Log.LOG.isDebugEnabled()) {
        Log.LOG.debug("secret {}: fetched version {}", ref, number);
      }
      return new SecretVersion(value, Optional.of(number), stages, clock.instant());
    } finally {
      Arrays.fill(data, (byte) 0);
    }
  }

  /**
   * Returns {@code true}: a field is read out of a whole payload this provider fetched, locally.
   *
   * @return {@code true}
   */
  @Override
  public boolean extractsFields() {
    return true;
  }

  /**
   * Reads a field out of a whole payload this provider fetched, as {@link #fetch(SecretRef)} reads
   * it, without a call.
   *
   * @param ref the reference, with a field
   * @param whole the version fetched for {@code ref.withoutField()}
   * @return the field's version, with the whole version's number, alias and time
   * @throws SecretNotFoundException if the payload is not a JSON object or has no such field
   */
  @Override
  public SecretVersion field(SecretRef ref, SecretVersion whole) {
    return JsonValues.field(ref, whole);
  }

  /**
   * Shortens the deadline of every later call to a resolver's per-attempt time-out, keeping the
   * shortest told.
   *
   * @param timeout the per-attempt time-out, positive
   */
  @Override
  public void attemptTimeout(Duration timeout) {
    deadline.shorten(timeout);
  }

  /**
   * Returns the number of the version a reference points at, from {@code GetSecretVersion}, which
   * returns metadata only.
   *
   * <p>A version that is no longer enabled is reported as {@link #fetch(SecretRef)} would report
   * it, so that disabling a version also stops a resolver from keeping its cached value. If the
   * caller may not read metadata ({@code secretmanager.versions.get}, which {@code
   * roles/secretmanager.secretAccessor} lacks), the answer is empty, and the resolver fetches.
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
    SecretName name = SecretName.of(ref, project);
    if (metadataBackoff.isPaused(name.secretName())) {
      return Optional.empty();
    }
    com.google.cloud.secretmanager.v1.SecretVersion version;
    try {
      version =
          invoke(
              ref,
              client.getSecretVersionCallable(),
              GetSecretVersionRequest.newBuilder().setName(name.versionName()).build());
    } catch (CallFailure e) {
      if (e.getCause() instanceof ApiException api
          && api.getStatusCode().getCode() == StatusCode.Code.PERMISSION_DENIED) {
        if (metadataBackoff.denied(name.secretName())) {
          Log.LOG.info(
              "secret {}: may not read version metadata ({}); its value is fetched on each"
                  + " refresh until a later check is allowed",
              ref,
              GET_PERMISSION);
        }
        return Optional.empty();
      }
      throw translate(ref, e.getCause(), GET_PERMISSION);
    }
    if (metadataBackoff.allowed(name.secretName())) {
      Log.LOG.info("secret {}: version metadata may be read again; checks resume", ref);
    }
    String number = versionNumber(ref, name, version.getName());
    if (version.getState() != com.google.cloud.secretmanager.v1.SecretVersion.State.ENABLED) {
      throw new SecretNotFoundException(
          ref, "version " + number + " is " + stateName(version) + ", not ENABLED");
    }
    return Optional.of(number);
  }

  private static String stateName(com.google.cloud.secretmanager.v1.SecretVersion version) {
    switch (version.getState()) {
      case DISABLED:
        return "DISABLED";
      case DESTROYED:
        return "DESTROYED";
      default:
        return "in state " + version.getStateValue();
    }
  }

  private static String versionNumber(SecretRef ref, SecretName name, String resolved) {
    return name.versionNumberIn(resolved)
        .orElseThrow(
            () ->
                new ProviderException(
                    ref,
                    ProviderException.Kind.MALFORMED_RESPONSE,
                    "the response does not name a numbered version of "
                        + name.secretName()
                        + " (asked for version "
                        + name.version()
                        + ")"));
  }

  /**
   * Makes one call, with this provider's deadline and a single attempt, and translates failures.
   */
  private <Q, R> R call(SecretRef ref, UnaryCallable<Q, R> callable, Q request, String permission) {
    try {
      return invoke(ref, callable, request);
    } catch (CallFailure e) {
      throw translate(ref, e.getCause(), permission);
    }
  }

  /**
   * Makes one call; a failure of the client comes back untranslated, wrapped in a {@link
   * CallFailure} that never leaves this class.
   */
  private <Q, R> R invoke(SecretRef ref, UnaryCallable<Q, R> callable, Q request) {
    CallDeadline.Bound bound = deadline.current();
    Duration timeout = bound.timeout();
    ApiFuture<R> future;
    try {
      future = callable.futureCall(request, bound.context());
    } catch (RuntimeException e) {
      throw new CallFailure(e);
    }
    try {
      // The gRPC deadline ends the call; the extra second only guards against a client that
      // would not honour it.
      return future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new ProviderException(
          ref, ProviderException.Kind.TIMEOUT, "interrupted while waiting for Secret Manager");
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new ProviderException(
          ref,
          ProviderException.Kind.TIMEOUT,
          "no answer within "
              + Settings.format(timeout)
              + " (the client's deadline did not end"
              + " the call)");
    } catch (CancellationException e) {
      throw new ProviderException(
          ref, ProviderException.Kind.TIMEOUT, "the call was cancelled before it completed");
    } catch (ExecutionException e) {
      throw new CallFailure(e.getCause());
    }
  }

  /** Carries a client failure from {@link #invoke} to its caller; never thrown further. */
  private static final class CallFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CallFailure(Throwable cause) {
      super(null, cause, false, false);
    }
  }

  private RuntimeException translate(SecretRef ref, Throwable failure, String permission) {
    RuntimeException translated =
        Failures.translate(ref, failure, permission, deadline.current().timeout());
    if (failure instanceof ApiException api && Log.LOG.isDebugEnabled()) {
      Log.LOG.debug(
          "secret {}: call failed with {}",
          ref,
          Failures.status(api.getStatusCode().getCode(), api.getReason()));
    }
    return translated;
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
   *     exist or no configuration secret is set
   * @throws ConfigException naming {@value #CONFIG_SECRET_VARIABLE} if the secret cannot be read or
   *     is not a JSON object; the next call tries again
   */
  @Override
  public Optional<ConfigValue> get(String name) {
    requireNonNull(name, "name");
    if (configSecret == null) {
      return Optional.empty();
    }
    String text = config().get(name);
    return text == null
        ? Optional.empty()
        : Optional.of(
            new ConfigValue(name, text, Origin.of(Origin.Kind.PROVIDER, configSecret.toString())));
  }

  /**
   * Lists the members of the configuration secret, reading it if it has not been read yet.
   *
   * @return the member names, or an empty set if no configuration secret is set
   * @throws ConfigException naming {@value #CONFIG_SECRET_VARIABLE} if the secret cannot be read or
   *     is not a JSON object
   */
  @Override
  public Set<String> names() {
    if (configSecret == null) {
      return Set.of();
    }
    return config().keySet();
  }

  private Map<String, String> config() {
    Map<String, String> loaded = config;
    if (loaded != null) {
      return loaded;
    }
    synchronized (configLock) {
      if (config == null) {
        config = loadConfig();
      }
      return config;
    }
  }

  private Map<String, String> loadConfig() {
    SecretVersion version;
    try {
      version = fetch(configSecret);
    } catch (LatchkeyException e) {
      throw new ConfigException(
          CONFIG_SECRET_VARIABLE, "the configuration secret could not be read: " + e.getMessage());
    }
    byte[] bytes = version.value().revealBytes();
    try {
      Map<String, String> members =
          JsonValues.object(bytes)
              .orElseThrow(
                  () ->
                      new ConfigException(
                          CONFIG_SECRET_VARIABLE,
                          "the configuration secret " + configSecret + " is not a JSON object"));
      Log.LOG.debug(
          "gcp provider: read {} settings from {} version {}",
          members.size(),
          configSecret,
          version.versionId().orElse("none"));
      return Collections.unmodifiableMap(new TreeMap<>(members));
    } finally {
      Arrays.fill(bytes, (byte) 0);
      version.value().wipe();
    }
  }

  /**
   * Describes the backend: the endpoint, whether it is plaintext, the default project and the
   * configuration secret; never a credential.
   *
   * @return the description
   */
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

  /** Returns {@code GcpSecretProvider[description]}; never a value or credential. */
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
    if (!closed.compareAndSet(false, true) || !ownsClient) {
      return;
    }
    boolean interrupted = false;
    client.shutdown();
    try {
      long wait = deadline.current().timeout().toMillis() + 1000;
      if (!client.awaitTermination(wait, TimeUnit.MILLISECONDS)) {
        client.shutdownNow();
        client.awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      client.shutdownNow();
      interrupted = true;
    }
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(1, TimeUnit.SECONDS)
          || !((OwnedThreads) executor.getThreadFactory()).join(1000)) {
        Log.LOG.warn("gcp provider: a client thread did not stop within a second");
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
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
    private final Settings settings = Settings.defaults();
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
      String reason = Settings.checkProject(project);
      if (reason != null) {
        throw new IllegalArgumentException("project " + reason);
      }
      settings.project = project;
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
      String reason = Settings.checkEndpoint(hostPort);
      if (reason != null) {
        throw new IllegalArgumentException("endpoint " + reason);
      }
      settings.endpoint = hostPort;
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
      settings.plaintext = plaintext;
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
      settings.timeout = timeout;
      return this;
    }

    /**
     * Names the JSON secret the configuration view serves ({@value
     * GcpSecretProvider#CONFIG_SECRET_VARIABLE}).
     *
     * @param reference a reference, with or without {@code gcp:}, such as {@code app-config}
     * @return this builder
     * @throws IllegalArgumentException if it is not a reference to a gcp secret
     */
    public Builder configSecret(String reference) {
      requireNonNull(reference, "reference");
      try {
        settings.configSecret = Settings.parseConfigSecret(reference);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("configSecret " + e.getMessage());
      }
      return this;
    }

    /**
     * Reads credentials from a file ({@value GcpSecretProvider#CREDENTIALS_VARIABLE}) instead of
     * Application Default Credentials.
     *
     * @param file a service-account, external-account or user credentials JSON file
     * @return this builder
     * @throws IllegalArgumentException if it is not a readable file
     */
    public Builder credentialsFile(Path file) {
      requireNonNull(file, "file");
      try {
        settings.credentialsFile = Settings.checkCredentialsFile(file);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("credentialsFile " + e.getMessage());
      }
      transportSet = true;
      return this;
    }

    /**
     * Uses a client the caller created and keeps: the provider does not close it, and the client's
     * endpoint, credentials and channel apply. Each call still gets this provider's deadline and
     * one attempt.
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
        return create(settings, client, clock);
      }
      if (settings.plaintext && !Settings.isLoopback(settings.endpoint)) {
        throw new IllegalStateException(
            "plaintext is allowed only to a loopback endpoint (localhost, 127.0.0.0/8, [::1]); the"
                + " endpoint is "
                + ConfigReport.maskUrls(settings.endpoint));
      }
      return create(settings, null, clock);
    }
  }
}
