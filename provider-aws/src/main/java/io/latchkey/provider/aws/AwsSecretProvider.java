package io.latchkey.provider.aws;

import static java.util.Objects.requireNonNull;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Setting;
import io.latchkey.internal.SettingNames;
import io.latchkey.spi.JsonSecretView;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The {@code aws} secret provider: AWS Secrets Manager through the AWS SDK for Java 2.x, for
 * references such as {@code aws:prod/db#password}, {@code aws:prod/db@AWSPREVIOUS} or a secret's
 * ARN. It also serves one JSON secret as a configuration source.
 *
 * <pre>{@code
 * try (AwsSecretProvider aws = AwsSecretProvider.fromEnvironment(System.getenv());
 *     SecretResolver resolver = SecretResolver.builder().provider(aws).build()) {
 *   Secret password = resolver.resolve("aws:prod/db#password");
 * }
 * }</pre>
 *
 * <p>References, settings, the calls made, permissions, the error table and the threads are
 * described in {@code docs/providers/aws.md}.
 *
 * <h2>Security</h2>
 *
 * <p>No value appears in {@link #toString()}, {@link #description()}, an exception message or a log
 * line. The service's error messages are never copied, and the SDK's exceptions are never attached
 * as causes, since either may echo what a backend sent. Credentials go to the SDK only.
 *
 * @since 0.1
 */
public final class AwsSecretProvider implements SecretProvider {
  /**
   * The provider's name, which {@code SECRET_PROVIDER} selects it by and references use: {@value}.
   */
  public static final String NAME = "aws";

  /**
   * The variable {@link #fromEnvironment(Map)} reads the per-call time-out from: {@value}; a
   * duration such as {@code 5s}, {@code 1500ms}, {@code 1d} or {@code PT5S}.
   */
  public static final String TIMEOUT_VARIABLE = "LATCHKEY_AWS_TIMEOUT";

  /**
   * The variable {@link #fromEnvironment(Map)} reads the configuration secret from: {@value}; a
   * secret name or ARN, or an {@code aws:} reference.
   */
  public static final String CONFIG_SECRET_VARIABLE = "LATCHKEY_AWS_CONFIG_SECRET";

  /** Why a configuration secret's name that looks like a secret's value is refused. */
  static final String NOT_A_NAME =
      "looks like a secret's value, not the name of a secret (not shown, in case it is one); set"
          + " the name, ARN or aws: reference of the secret that holds the configuration";

  /** The per-call time-out when none is set: 5 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  // A provider is a service, not data: every field is transient, so that a reflective
  // serialiser (Gson, Jackson reading fields) handed one by mistake writes none of what it holds.
  private final transient AwsClient client;
  private final transient AwsValues values;
  private final transient AwsCalls calls;
  private final transient AwsBatchFetcher batch;
  private final transient JsonSecretView config;
  private transient volatile boolean closed;

  private AwsSecretProvider(AwsClient client, SecretRef configSecret, Clock clock) {
    this.client = client;
    this.values = new AwsValues(clock);
    this.calls = new AwsCalls(client, values, clock);
    this.batch = new AwsBatchFetcher(client, values);
    this.config = new JsonSecretView(CONFIG_SECRET_VARIABLE, configSecret, this::fetch);
  }

  /**
   * Returns a builder; at least a {@linkplain Builder#region(String) region}, an {@linkplain
   * Builder#endpoint(URI) endpoint} or a {@linkplain Builder#client(SecretsManagerClient) client}
   * must be set.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the provider {@code SECRET_PROVIDER=aws} selects, from the settings in the given map
   * (not from {@link System#getenv()}, unless that is the map): {@code AWS_REGION} or {@code
   * AWS_DEFAULT_REGION}, {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} or {@code AWS_ENDPOINT_URL},
   * {@code AWS_ACCESS_KEY_ID} with {@code AWS_SECRET_ACCESS_KEY} and an optional {@code
   * AWS_SESSION_TOKEN} (else the SDK's default credentials chain), {@value #TIMEOUT_VARIABLE} and
   * {@value #CONFIG_SECRET_VARIABLE}. Blank values count as unset.
   *
   * @param environment the process environment, or a stand-in
   * @return the provider, which the caller closes
   * @throws ConfigException listing every wrong setting, never quoting a value
   */
  public static AwsSecretProvider fromEnvironment(Map<String, String> environment) {
    requireNonNull(environment, "environment");
    return AwsSettings.builder(environment).build();
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
   * Fetches a secret with {@code GetSecretValue}: the current version, or the version id or stage
   * the reference names, and the field it asks for.
   *
   * @param ref the reference, such as {@code aws:prod/db#password}
   * @return the version, with its {@code VersionId} and {@code VersionStages}
   * @throws SecretNotFoundException if the secret, the version or the field does not exist, the
   *     field is asked of a value that is not a JSON object or of a binary secret, or the secret is
   *     scheduled for deletion
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
   * Returns the id of the version that carries the reference's stage ({@code AWSCURRENT} by
   * default), from {@code DescribeSecret}; a reference that names a version id gets that id back
   * without a call.
   *
   * @param ref the reference
   * @return the version id; empty while the credentials may not call {@code DescribeSecret}
   * @throws SecretNotFoundException if the secret does not exist, is scheduled for deletion, or no
   *     version carries the stage
   * @throws ProviderException for every other failure
   * @throws IllegalStateException if the provider is closed
   */
  @Override
  public Optional<String> currentVersionId(SecretRef ref) {
    requireNonNull(ref, "ref");
    checkOpen();
    return calls.currentVersionId(ref);
  }

  /**
   * Fetches the current versions of many references with {@code BatchGetSecretValue}, 20 secret ids
   * per call, the calls in parallel. References that name another version, secrets the answer
   * reports in its {@code Errors}, fields that cannot be read and the secrets of a call that failed
   * as a whole are left out, for the resolver to fetch singly.
   *
   * @param refs the references
   * @return the versions fetched, by reference
   * @throws ProviderException if every batch call failed as a whole
   * @throws IllegalStateException if the provider is closed
   */
  @Override
  public Map<SecretRef, SecretVersion> fetchAll(Collection<SecretRef> refs) {
    requireNonNull(refs, "refs");
    refs.forEach(ref -> requireNonNull(ref, "refs element"));
    checkOpen();
    return batch.fetchAll(refs);
  }

  /**
   * Returns {@code true}: a field is read out of a whole secret's {@code SecretString} locally.
   *
   * @return {@code true}
   */
  @Override
  public boolean extractsFields() {
    return true;
  }

  /**
   * Reads a field out of a whole secret this provider fetched, as {@link #fetch(SecretRef)} reads
   * it, without a call.
   *
   * @param ref the reference, with a field
   * @param whole the version fetched for {@code ref.withoutField()}
   * @return the field's version, with the whole version's id, stages and time
   * @throws SecretNotFoundException if the secret is binary, not a JSON object, or has no such
   *     field
   */
  @Override
  public SecretVersion field(SecretRef ref, SecretVersion whole) {
    return values.field(ref, whole);
  }

  /**
   * Shortens the time-out of every later call to a resolver's per-attempt time-out, keeping the
   * shortest told; the HTTP client's connect and read time-outs set at build remain an outer bound.
   *
   * @param timeout the per-attempt time-out, positive
   */
  @Override
  public void attemptTimeout(Duration timeout) {
    if (requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    client.shortenTimeout(timeout);
  }

  /**
   * Returns a member of the configuration secret.
   *
   * @param name the member's name, such as {@code DATABASE_URL}
   * @return the value with origin {@code provider (aws:…)}, or empty if the member is absent or
   *     {@code null}, or no configuration secret is set
   * @throws ConfigException naming {@value #CONFIG_SECRET_VARIABLE} if the configuration secret
   *     cannot be read or is not a JSON object
   */
  @Override
  public Optional<ConfigValue> get(String name) {
    requireNonNull(name, "name");
    return config.get(name);
  }

  /**
   * Returns the members of the configuration secret.
   *
   * @return the names, sorted; empty if no configuration secret is set
   * @throws ConfigException naming {@value #CONFIG_SECRET_VARIABLE} if the configuration secret
   *     cannot be read or is not a JSON object
   */
  @Override
  public Set<String> names() {
    return config.names();
  }

  /**
   * Describes the backend: the region and endpoint, or the supplied client's; never a credential.
   *
   * @return the description, such as {@code AWS Secrets Manager (region eu-west-1)}
   */
  @Override
  public String description() {
    return client.description();
  }

  /**
   * Stops the provider's threads, aborts its calls in flight and closes the SDK client it created;
   * a supplied client is left open. Later calls throw {@link IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    // The pool first, then the client, whose close aborts the calls its threads are blocked in.
    batch.close();
    client.close();
    // Bounded: a thread that has not ended by then is a daemon, and holds no call any more.
    batch.join(Duration.ofSeconds(1));
    client.join(Duration.ofSeconds(1));
  }

  /** Returns the provider's class and {@link #description()}. */
  @Override
  public String toString() {
    return "AwsSecretProvider[" + description() + "]";
  }

  /** The client the calls go through: the provider's own, or the SDK's. */
  SecretsApi api() {
    return client.api();
  }

  /** Returns the per-call time-out of the calls that start now. */
  Duration timeout() {
    return client.timeout();
  }

  /** Sets the per-call time-out of the calls that start from now on. */
  void timeout(Duration timeout) {
    client.timeout(timeout);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the aws provider is closed");
    }
  }

  /**
   * Configures an {@link AwsSecretProvider}. Setters check their argument at once; {@link #build()}
   * checks the whole.
   *
   * <p>Either let the provider build its SDK client (from a {@link #region(String) region}, an
   * optional {@link #endpoint(URI) endpoint} and {@link #credentialsProvider credentials}), or pass
   * a ready {@link #client(SecretsManagerClient) client}.
   *
   * @since 0.1
   */
  public static final class Builder {
    private String region;
    private URI endpoint;
    private AwsCredentialsProvider credentialsProvider;
    private AwsKeys keys;
    private Map<String, String> environment;
    private String credentialSource;
    private Duration timeout = DEFAULT_TIMEOUT;
    private SecretRef configSecret;
    private SecretsManagerClient client;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Sets static keys, from the provider's settings. */
    Builder keys(AwsKeys keys) {
      this.keys = requireNonNull(keys, "keys");
      return this;
    }

    /** Sets the environment the credentials chain reads; by default the process's. */
    Builder environment(Map<String, String> environment) {
      this.environment = Collections.unmodifiableMap(new HashMap<>(environment));
      return this;
    }

    /** Says where the credentials came from, for the debug line {@link #build()} logs. */
    Builder credentialSource(String source) {
      this.credentialSource = requireNonNull(source, "source");
      return this;
    }

    /**
     * Sets the region that holds the secrets; required unless an endpoint or a client is set.
     *
     * @param region a region name, such as {@code eu-west-1}
     * @return this builder
     * @throws IllegalArgumentException if it is not lower-case letters, digits and {@code -}
     */
    public Builder region(String region) {
      requireNonNull(region, "region");
      if (!AwsSettings.isRegion(region)) {
        throw new IllegalArgumentException("region must be a region name such as eu-west-1");
      }
      this.region = region;
      return this;
    }

    /**
     * Sets an endpoint to call instead of the region's, such as LocalStack's or a VPC endpoint's.
     * Without a region, requests are signed for {@code us-east-1}.
     *
     * @param endpoint an absolute http or https URI, without user info, query or fragment
     * @return this builder
     * @throws IllegalArgumentException if the URI is not such an endpoint
     */
    public Builder endpoint(URI endpoint) {
      requireNonNull(endpoint, "endpoint");
      try {
        this.endpoint = AwsSettings.endpoint(endpoint);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("endpoint " + e.getMessage());
      }
      return this;
    }

    /**
     * Sets where credentials come from, which makes the provider call through the AWS SDK; by
     * default the provider follows the SDK's default chain itself (system properties, environment,
     * web identity, profile, container, instance metadata), and uses the SDK only for what it
     * cannot do alone (a profile with a role, SSO or a credential process, a proxy, a FIPS or
     * dual-stack endpoint; see {@code docs/providers/aws.md}). The provider does not close it.
     *
     * @param credentialsProvider the credentials provider
     * @return this builder
     */
    public Builder credentialsProvider(AwsCredentialsProvider credentialsProvider) {
      this.credentialsProvider = requireNonNull(credentialsProvider, "credentialsProvider");
      this.credentialSource = "a supplied credentials provider";
      return this;
    }

    /**
     * Sets how long one call may take before it is abandoned as a time-out; by default 5 seconds.
     * The connect and read time-outs of the HTTP client are set to it too.
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder timeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Sets the JSON secret whose members the provider serves as configuration values.
     *
     * @param secret a secret name or ARN (taken as it is), or an {@code aws:} reference, such as
     *     {@code aws:prod/app-config@AWSCURRENT}
     * @return this builder
     * @throws IllegalArgumentException if it is blank, looks like a secret's value rather than a
     *     name (a key, a token, JSON or PEM text, which the message does not quote), or starts with
     *     {@code aws:} and is not a valid reference
     */
    public Builder configSecret(String secret) {
      requireNonNull(secret, "secret");
      if (secret.isBlank()) {
        throw new IllegalArgumentException("configSecret must not be blank");
      }
      SecretRef ref;
      try {
        ref = AwsSettings.configSecretRef(secret.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("configSecret " + e.getMessage());
      }
      if (SettingNames.looksLikeSecretValue(secret.strip())) {
        // It would be quoted in every failure of the view and in the log.
        throw new IllegalArgumentException("configSecret " + NOT_A_NAME);
      }
      this.configSecret = ref;
      return this;
    }

    /**
     * Uses a ready SDK client instead of building one; it excludes {@link #region(String)}, {@link
     * #endpoint(URI)} and {@link #credentialsProvider}. The client stays the caller's to close.
     * Configure it without retries ({@code AwsRetryStrategy.doNotRetry()}), since the resolver
     * retries; the {@linkplain #timeout(Duration) time-out} is applied to each request.
     *
     * @param client the client
     * @return this builder
     */
    public Builder client(SecretsManagerClient client) {
      this.client = requireNonNull(client, "client");
      return this;
    }

    /**
     * Builds the provider, and its SDK client unless one was supplied.
     *
     * @return the provider, which the caller closes
     * @throws IllegalStateException if a client is combined with a region, an endpoint or a
     *     credentials provider, or if neither a client, a region nor an endpoint is set
     */
    public AwsSecretProvider build() {
      AwsClient built;
      String credentials;
      if (client != null) {
        if (region != null || endpoint != null || credentialsProvider != null) {
          throw new IllegalStateException(
              "a supplied client excludes region(), endpoint() and credentialsProvider()");
        }
        built = SdkClients.supplied(client, timeout);
        credentials = "a supplied client";
      } else if (region == null && endpoint == null) {
        throw new IllegalStateException("set a region, an endpoint or a client");
      } else {
        built =
            AwsClientFactory.build(
                region,
                endpoint,
                credentialsProvider,
                keys,
                environment != null ? environment : System.getenv(),
                timeout,
                clock);
        credentials = credentialSource != null ? credentialSource : "the default credentials chain";
      }
      AwsLog.LOG.debug(
          "{}: credentials from {}, time-out {}{}",
          built.description(),
          credentials,
          Setting.formatDuration(timeout),
          configSecret == null ? "" : ", configuration secret " + configSecret);
      return new AwsSecretProvider(built, configSecret, clock);
    }
  }
}
