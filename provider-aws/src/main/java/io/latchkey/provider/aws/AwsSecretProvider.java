package io.latchkey.provider.aws;

import static java.util.Objects.requireNonNull;

import io.latchkey.ConfigException;
import io.latchkey.LatchkeyException;
import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerServiceClientConfiguration;
import software.amazon.awssdk.services.secretsmanager.model.APIErrorType;
import software.amazon.awssdk.services.secretsmanager.model.BatchGetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.BatchGetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretValueEntry;

/**
 * The {@code aws} secret provider: AWS Secrets Manager, through the AWS SDK for Java 2.x.
 *
 * <pre>{@code
 * // What SECRET_PROVIDER=aws selects: AWS_REGION, credentials from the map or the default chain.
 * try (AwsSecretProvider aws = AwsSecretProvider.fromEnvironment(System.getenv());
 *     SecretResolver resolver = SecretResolver.builder().provider(aws).build()) {
 *   Secret password = resolver.resolve("aws:prod/db#password");
 * }
 *
 * // Configured in code.
 * AwsSecretProvider aws =
 *     AwsSecretProvider.builder()
 *         .region("eu-west-1")
 *         .timeout(Duration.ofSeconds(2))
 *         .build();
 * }</pre>
 *
 * <h2>References</h2>
 *
 * <p>{@code aws:NAME_OR_ARN[@VERSION][#field]}:
 *
 * <ul>
 *   <li>{@code NAME_OR_ARN} is the secret's name ({@code prod/db}) or ARN, full or partial, as
 *       {@code GetSecretValue} takes it;
 *   <li>{@code VERSION}, if given, is a version id when it matches {@code ^[0-9a-fA-F-]{32,64}$} (a
 *       UUID, as Secrets Manager creates them) and a staging label otherwise ({@code AWSCURRENT},
 *       {@code AWSPREVIOUS}, {@code AWSPENDING} or a custom label); without it the reference
 *       follows {@code AWSCURRENT};
 *   <li>{@code field}, if given, selects a member of a secret whose {@code SecretString} is a JSON
 *       object: a string member as it is, any other value as its JSON text.
 * </ul>
 *
 * <p>A {@code SecretString} is returned as its UTF-8 bytes, a {@code SecretBinary} as its bytes
 * ({@link Secret#revealBytes()}). Each fetched {@link SecretVersion} carries the {@code VersionId}
 * and {@code VersionStages}.
 *
 * <h2>Calls</h2>
 *
 * <ul>
 *   <li>{@link #fetch(SecretRef)}: one {@code GetSecretValue};
 *   <li>{@link #currentVersionId(SecretRef)}: one {@code DescribeSecret}, whose {@code
 *       VersionIdsToStages} says which version carries the reference's stage (as the AWS caching
 *       client checks it); no call for a reference that names a version id. If the credentials may
 *       not call {@code DescribeSecret}, it answers "unknown" (the resolver fetches the value
 *       instead) and pauses the checks, asking again after a doubling back-off;
 *   <li>{@link #fetchAll(Collection)}: {@code BatchGetSecretValue} with up to 20 secret ids per
 *       call, the calls sent in parallel (so 50 references cost about one round trip, not three).
 *       References that name a version or a stage other than {@code AWSCURRENT} are left to single
 *       fetches, as are those the answer reports in its {@code Errors} or whose field is missing:
 *       the resolver fetches them singly and gets the precise error.
 * </ul>
 *
 * <p>Each call is one attempt: the SDK's retries are off, and each call is abandoned after the
 * {@linkplain Builder#timeout(Duration) time-out}. Retries with back-off, caching and stale values
 * are the resolver's job.
 *
 * <h2>Errors</h2>
 *
 * <ul>
 *   <li>{@code ResourceNotFoundException} (no such secret or version), a missing field, a field of
 *       a value that is not a JSON object or of a binary secret, and {@code
 *       InvalidRequestException} (a secret scheduled for deletion): {@link
 *       SecretNotFoundException};
 *   <li>{@code AccessDeniedException}, rejected credentials or signatures ({@code
 *       UnrecognizedClientException}, {@code InvalidSignatureException}, {@code
 *       ExpiredTokenException} and the like), {@code DecryptionFailure} (KMS), HTTP 401/403, and no
 *       credentials at all: {@link ProviderException.Kind#ACCESS_DENIED};
 *   <li>{@code ThrottlingException}, {@code TooManyRequestsException}, {@code
 *       RequestLimitExceeded}, HTTP 429: {@link ProviderException.Kind#THROTTLED};
 *   <li>{@code InternalServiceError}, any HTTP 5xx, a refused or broken connection: {@link
 *       ProviderException.Kind#UNAVAILABLE};
 *   <li>no answer within the time-out, or an interrupted call: {@link
 *       ProviderException.Kind#TIMEOUT};
 *   <li>an answer that is not the service's JSON, or lacks the secret: {@link
 *       ProviderException.Kind#MALFORMED_RESPONSE};
 *   <li>anything else, such as {@code InvalidParameterException} or a TLS failure: {@link
 *       ProviderException.Kind#OTHER}.
 * </ul>
 *
 * <h2>Configuration view</h2>
 *
 * <p>As a {@link io.latchkey.config.ConfigSource}, the provider serves the members of one JSON
 * secret, named by {@link Builder#configSecret(String)} or {@value #CONFIG_SECRET_VARIABLE}: {@code
 * get("NAME")} returns member {@code NAME} (a string as it is, another value as its JSON text; a
 * JSON {@code null} counts as absent) with origin {@code provider (aws:…)}. The secret is read
 * once, at first use, and kept for the provider's life: it is a start-up snapshot, and values that
 * rotate belong in references resolved through the resolver. Without a configuration secret the
 * view is empty.
 *
 * <h2>Threads</h2>
 *
 * <p>Instances are thread-safe. The provider owns two small pools of daemon threads, both idle
 * (threadless) when unused: {@code latchkey-aws-batch-N}, which sends a batch's chunks in parallel,
 * and {@code latchkey-aws-timer-N}, which the SDK uses to abandon calls at the time-out. {@link
 * #close()} stops them and closes the SDK client, unless the client was {@linkplain
 * Builder#client(SecretsManagerClient) supplied}, in which case it stays the caller's to close.
 *
 * <h2>Security</h2>
 *
 * <p>No value appears in {@link #toString()}, {@link #description()}, an exception message or a log
 * line (loggers under {@code io.latchkey.provider.aws}); these name references, the region, the
 * endpoint, error codes and exception types. The service's error messages are never copied, and the
 * SDK's exceptions are never attached as causes, since either may echo what a backend sent.
 * Credentials are passed to the SDK and never logged or described.
 *
 * @since 0.1
 */
public final class AwsSecretProvider implements SecretProvider {
  /** The logger, created on first use: starting SLF4J is a large part of a cold start. */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(AwsSecretProvider.class);
  }

  /**
   * The provider's name, which {@code SECRET_PROVIDER} selects it by and references use: {@value}.
   */
  public static final String NAME = "aws";

  /**
   * The variable {@link #fromEnvironment(Map)} reads the per-call time-out from: {@value}; a
   * duration such as {@code 5s}, {@code 1500ms} or {@code PT5S}.
   */
  public static final String TIMEOUT_VARIABLE = "LATCHKEY_AWS_TIMEOUT";

  /**
   * The variable {@link #fromEnvironment(Map)} reads the configuration secret from: {@value}; a
   * secret name or ARN, or an {@code aws:} reference.
   */
  public static final String CONFIG_SECRET_VARIABLE = "LATCHKEY_AWS_CONFIG_SECRET";

  /** The per-call time-out when none is set: 5 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** The most secret ids {@code BatchGetSecretValue} takes in one call. */
  static final int BATCH_SIZE = 20;

  /** The most batch calls in flight at once, besides the one on the caller's thread. */
  static final int BATCH_THREADS = 4;

  static final String CURRENT = "AWSCURRENT";

  private static final Pattern VERSION_ID = Pattern.compile("[0-9a-fA-F-]{32,64}");
  private static final AtomicInteger BATCH_THREAD_COUNT = new AtomicInteger();
  private static final AtomicInteger TIMER_THREAD_COUNT = new AtomicInteger();

  // A provider is a service, not data: every field is transient, so that a reflective
  // serialiser (Gson, Jackson reading fields) handed one by mistake writes none of what it holds.
  private final transient SecretsManagerClient client;
  private final transient boolean ownsClient;
  private final transient ScheduledThreadPoolExecutor timer;
  private final transient ThreadPoolExecutor batchPool;
  // The one place the per-call time-out lives, read on every call: a resolver that tells its
  // providers their per-attempt time-out can set it here later, without rebuilding the client.
  private transient volatile Duration timeout;
  private final transient SecretRef configSecret;
  private final transient String description;
  private final transient Clock clock;
  private final transient DescribeBackoff describeBackoff;
  private final transient Object configLock = new Object();
  private transient volatile Map<String, String> configMembers;
  private transient volatile boolean closed;
  private final transient WholeFields wholeFields = new WholeFields();

  private AwsSecretProvider(
      SecretsManagerClient client,
      boolean ownsClient,
      ScheduledThreadPoolExecutor timer,
      Duration timeout,
      SecretRef configSecret,
      String description,
      Clock clock) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.timer = timer;
    this.timeout = timeout;
    this.clock = clock;
    this.describeBackoff = new DescribeBackoff(clock);
    this.configSecret = configSecret;
    this.description = description;
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            BATCH_THREADS,
            BATCH_THREADS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            daemon("latchkey-aws-batch-", BATCH_THREAD_COUNT));
    pool.allowCoreThreadTimeOut(true);
    this.batchPool = pool;
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
   * Creates the provider {@code SECRET_PROVIDER=aws} selects, from settings in the given map (not
   * from {@link System#getenv()}, unless that is the map):
   *
   * <ul>
   *   <li>{@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}: the region; required unless an
   *       endpoint is set, in which case it defaults to {@code us-east-1} (the signing region
   *       emulators expect);
   *   <li>{@code AWS_ENDPOINT_URL_SECRETS_MANAGER}, else {@code AWS_ENDPOINT_URL}: an http(s)
   *       endpoint to use instead of the region's (LocalStack, a VPC endpoint);
   *   <li>{@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}, with an optional {@code
   *       AWS_SESSION_TOKEN}: static credentials; when they are absent, the SDK's default chain
   *       (system properties, environment, web identity, profile, container, instance metadata);
   *   <li>{@value #TIMEOUT_VARIABLE}: the per-call time-out, by default 5 seconds;
   *   <li>{@value #CONFIG_SECRET_VARIABLE}: the configuration secret, by default none.
   * </ul>
   *
   * <p>Blank values count as unset.
   *
   * @param environment the process environment, or a stand-in
   * @return the provider, which the caller closes
   * @throws ConfigException listing every wrong setting, never quoting a value
   */
  public static AwsSecretProvider fromEnvironment(Map<String, String> environment) {
    requireNonNull(environment, "environment");
    AwsSettings settings = AwsSettings.read(environment);
    Builder builder = builder().timeout(settings.timeout);
    if (settings.region != null) {
      builder.region(settings.region);
    }
    if (settings.endpoint != null) {
      builder.endpoint(settings.endpoint);
    }
    if (settings.keys != null) {
      AwsSettings.Keys keys = settings.keys;
      AwsCredentials credentials =
          keys.sessionToken() == null
              ? AwsBasicCredentials.create(keys.accessKeyId(), keys.secretAccessKey())
              : AwsSessionCredentials.create(
                  keys.accessKeyId(), keys.secretAccessKey(), keys.sessionToken());
      builder.credentialsProvider(StaticCredentialsProvider.create(credentials));
      builder.credentialSource = "static keys from the environment";
    }
    if (settings.configSecret != null) {
      builder.configSecret(settings.configSecret);
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
    GetSecretValueRequest.Builder request =
        GetSecretValueRequest.builder().secretId(ref.path()).overrideConfiguration(callConfig());
    ref.version()
        .ifPresent(
            v -> {
              if (isVersionId(v)) {
                request.versionId(v);
              } else {
                request.versionStage(v);
              }
            });
    GetSecretValueResponse response;
    try {
      response = client.getSecretValue(request.build());
    } catch (SdkException e) {
      throw AwsErrors.map(ref, "GetSecretValue", e, timeout);
    }
    return version(
        ref,
        response.versionId(),
        response.hasVersionStages() ? response.versionStages() : List.of(),
        response.secretString(),
        response.secretBinary());
  }

  /**
   * Returns the id of the version that carries the reference's stage ({@code AWSCURRENT} by
   * default), from {@code DescribeSecret}; a reference that names a version id gets that id back
   * without a call.
   *
   * @param ref the reference
   * @return the version id; empty if the credentials may not call {@code DescribeSecret}
   * @throws SecretNotFoundException if the secret does not exist, is scheduled for deletion, or no
   *     version carries the stage
   * @throws ProviderException for every other failure
   * @throws IllegalStateException if the provider is closed
   */
  @Override
  public Optional<String> currentVersionId(SecretRef ref) {
    requireNonNull(ref, "ref");
    checkOpen();
    Optional<String> version = ref.version();
    if (version.isPresent() && isVersionId(version.get())) {
      return version;
    }
    if (describeBackoff.isPaused()) {
      return Optional.empty();
    }
    String stage = version.orElse(CURRENT);
    DescribeSecretResponse response;
    try {
      response =
          client.describeSecret(
              DescribeSecretRequest.builder()
                  .secretId(ref.path())
                  .overrideConfiguration(callConfig())
                  .build());
    } catch (SdkException e) {
      if ("AccessDeniedException".equals(AwsErrors.code(e))) {
        if (describeBackoff.denied()) {
          Log.LOG.warn(
              "secret {}: not allowed to call secretsmanager:DescribeSecret; values are fetched on"
                  + " each refresh until a later check is allowed (grant DescribeSecret to save"
                  + " those calls)",
              ref);
        }
        return Optional.empty();
      }
      throw AwsErrors.map(ref, "DescribeSecret", e, timeout);
    }
    if (describeBackoff.allowed()) {
      Log.LOG.info("secret {}: DescribeSecret is allowed again; version checks resume", ref);
    }
    if (response.deletedDate() != null) {
      throw new SecretNotFoundException(ref, "the secret is scheduled for deletion");
    }
    if (!response.hasVersionIdsToStages()) {
      throw new ProviderException(
          ref,
          ProviderException.Kind.MALFORMED_RESPONSE,
          "the answer to DescribeSecret has no VersionIdsToStages");
    }
    for (Map.Entry<String, List<String>> e : response.versionIdsToStages().entrySet()) {
      if (e.getValue() != null && e.getValue().contains(stage)) {
        return Optional.of(e.getKey());
      }
    }
    throw new SecretNotFoundException(ref, "no version has the stage '" + stage + "'");
  }

  /**
   * Fetches the current versions of many references with {@code BatchGetSecretValue}, 20 secret ids
   * per call, the calls in parallel.
   *
   * <p>References of one secret share its id, whatever their fields. References that name a version
   * or a stage other than {@code AWSCURRENT}, secrets the answer reports in its {@code Errors}, and
   * fields that cannot be read are left out of the result: the resolver fetches those singly and
   * reports their precise error. A call that fails as a whole leaves its references out too, unless
   * every call failed.
   *
   * @param refs the references
   * @return the versions fetched, by reference
   * @throws ProviderException if every batch call failed as a whole
   * @throws IllegalStateException if the provider is closed
   */
  @Override
  public Map<SecretRef, SecretVersion> fetchAll(Collection<SecretRef> refs) {
    requireNonNull(refs, "refs");
    checkOpen();
    Map<String, List<SecretRef>> byId = new LinkedHashMap<>();
    for (SecretRef ref : refs) {
      requireNonNull(ref, "refs element");
      if (ref.version().map(CURRENT::equals).orElse(true)) {
        byId.computeIfAbsent(ref.path(), id -> new ArrayList<>()).add(ref);
      }
    }
    if (byId.isEmpty()) {
      return Map.of();
    }
    List<String> ids = new ArrayList<>(byId.keySet());
    List<List<String>> chunks = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += BATCH_SIZE) {
      chunks.add(ids.subList(i, Math.min(ids.size(), i + BATCH_SIZE)));
    }
    // The caller's thread sends the first chunk; the pool sends the others at the same time.
    List<Future<Map<SecretRef, SecretVersion>>> others = new ArrayList<>();
    try {
      for (List<String> chunk : chunks.subList(1, chunks.size())) {
        others.add(batchPool.submit(() -> batch(chunk, byId)));
      }
    } catch (RejectedExecutionException e) {
      others.forEach(f -> f.cancel(true));
      throw new IllegalStateException("the aws provider is closed");
    }
    Map<SecretRef, SecretVersion> result = new HashMap<>();
    List<LatchkeyException> failures = new ArrayList<>();
    try {
      result.putAll(batch(chunks.get(0), byId));
    } catch (LatchkeyException e) {
      failures.add(e);
    }
    for (Future<Map<SecretRef, SecretVersion>> f : others) {
      try {
        result.putAll(f.get());
      } catch (InterruptedException e) {
        others.forEach(o -> o.cancel(true));
        Thread.currentThread().interrupt();
        throw new ProviderException(
            byId.values().iterator().next().get(0),
            ProviderException.Kind.TIMEOUT,
            "the batch fetch was interrupted");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof LatchkeyException) {
          failures.add((LatchkeyException) e.getCause());
        } else {
          failures.add(
              new ProviderException(
                  byId.values().iterator().next().get(0),
                  ProviderException.Kind.OTHER,
                  "a batch call failed with " + e.getCause().getClass().getName()));
        }
      } catch (CancellationException e) {
        throw new IllegalStateException("the aws provider is closed");
      }
    }
    if (failures.size() == chunks.size()) {
      LatchkeyException first = failures.get(0);
      if (first instanceof ProviderException) {
        throw first;
      }
      SecretNotFoundException notFound = (SecretNotFoundException) first;
      throw new ProviderException(
          notFound.ref(),
          ProviderException.Kind.OTHER,
          "the batch call failed: " + notFound.reason());
    }
    if (!failures.isEmpty()) {
      Log.LOG.debug(
          "{} of {} batch calls failed; their secrets are left to single fetches",
          failures.size(),
          chunks.size());
    }
    return result;
  }

  /** Sends one {@code BatchGetSecretValue} and maps its answer to the references it covers. */
  private Map<SecretRef, SecretVersion> batch(List<String> ids, Map<String, List<SecretRef>> byId) {
    SecretRef first = byId.get(ids.get(0)).get(0);
    BatchGetSecretValueResponse response;
    try {
      response =
          client.batchGetSecretValue(
              BatchGetSecretValueRequest.builder()
                  .secretIdList(ids)
                  .overrideConfiguration(callConfig())
                  .build());
    } catch (SdkException e) {
      throw AwsErrors.map(first, "BatchGetSecretValue", e, timeout);
    }
    if (!response.hasSecretValues() && !response.hasErrors()) {
      // Every id asked for is either among the values or among the errors.
      throw new ProviderException(
          first,
          ProviderException.Kind.MALFORMED_RESPONSE,
          "the answer to BatchGetSecretValue has neither SecretValues nor Errors");
    }
    if (response.hasErrors()) {
      for (APIErrorType error : response.errors()) {
        Log.LOG.debug(
            "secret {} is left out of the batch ({})",
            byId.containsKey(error.secretId()) ? error.secretId() : "(an unknown id)",
            Optional.ofNullable(AwsErrors.sanitize(error.errorCode())).orElse("no error code"));
      }
    }
    Map<SecretRef, SecretVersion> result = new HashMap<>();
    if (!response.hasSecretValues()) {
      return result;
    }
    for (String id : ids) {
      SecretValueEntry entry = BatchIds.matching(id, response.secretValues());
      if (entry == null) {
        continue;
      }
      for (SecretRef ref : byId.get(id)) {
        try {
          result.put(
              ref,
              version(
                  ref,
                  entry.versionId(),
                  entry.hasVersionStages() ? entry.versionStages() : List.of(),
                  entry.secretString(),
                  entry.secretBinary()));
        } catch (LatchkeyException e) {
          // A missing field or an odd entry: the single fetch reports it precisely.
        }
      }
    }
    return result;
  }

  private SecretVersion version(
      SecretRef ref, String versionId, List<String> stages, String string, SdkBytes binary) {
    Secret value;
    if (string != null) {
      value = ref.field().isPresent() ? JsonFields.field(ref, string) : Secret.of(string);
    } else if (binary != null) {
      if (ref.field().isPresent()) {
        throw WholeFields.binaryField(ref);
      }
      value = Secret.ofBytes(binary.asByteArrayUnsafe());
      wholeFields.binary(value);
    } else {
      throw new ProviderException(
          ref,
          ProviderException.Kind.MALFORMED_RESPONSE,
          "the answer has neither SecretString nor SecretBinary");
    }
    return new SecretVersion(
        value, Optional.ofNullable(versionId), Set.copyOf(stages), clock.instant());
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
   * @throws SecretNotFoundException if the secret is binary, not a JSON object, or has no such field
   */
  @Override
  public SecretVersion field(SecretRef ref, SecretVersion whole) {
    return wholeFields.field(ref, whole);
  }

  /**
   * Shortens the time-out of every later call to a resolver's per-attempt time-out, keeping the
   * shortest told; the HTTP client's connect and read time-outs set at build remain an outer bound.
   *
   * @param timeout the per-attempt time-out, positive
   */
  @Override
  public synchronized void attemptTimeout(Duration timeout) {
    if (requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    if (timeout.compareTo(this.timeout) < 0) {
      timeout(timeout);
    }
  }

  /** Tells a version id (a UUID, or another 32 to 64 hex digits and dashes) from a stage. */
  static boolean isVersionId(String version) {
    return VERSION_ID.matcher(version).matches();
  }

  /**
   * Returns a member of the configuration secret.
   *
   * @param name the member's name, such as {@code DATABASE_URL}
   * @return the value with origin {@code provider (aws:…)}, or empty if the member is absent or no
   *     configuration secret is set
   * @throws ConfigException naming {@value #CONFIG_SECRET_VARIABLE} if the configuration secret
   *     cannot be read or is not a JSON object
   */
  @Override
  public Optional<ConfigValue> get(String name) {
    requireNonNull(name, "name");
    if (configSecret == null) {
      return Optional.empty();
    }
    String text = configMembers().get(name);
    return text == null
        ? Optional.empty()
        : Optional.of(
            new ConfigValue(name, text, Origin.of(Origin.Kind.PROVIDER, configSecret.toString())));
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
    if (configSecret == null) {
      return Set.of();
    }
    return Collections.unmodifiableSortedSet(new TreeSet<>(configMembers().keySet()));
  }

  private Map<String, String> configMembers() {
    Map<String, String> members = configMembers;
    if (members != null) {
      return members;
    }
    synchronized (configLock) {
      if (configMembers == null) {
        configMembers = loadConfig();
      }
      return configMembers;
    }
  }

  private Map<String, String> loadConfig() {
    SecretVersion version;
    try {
      version = fetch(configSecret);
    } catch (SecretNotFoundException e) {
      ConfigException failure =
          new ConfigException(CONFIG_SECRET_VARIABLE, "names " + configSecret + ": " + e.reason());
      failure.addSuppressed(e);
      throw failure;
    } catch (ProviderException e) {
      ConfigException failure =
          new ConfigException(
              CONFIG_SECRET_VARIABLE,
              "cannot read " + configSecret + ": " + e.kind().label() + ": " + e.reason());
      failure.addSuppressed(e);
      throw failure;
    }
    Secret value = version.value();
    try {
      Map<String, String> members =
          JsonFields.object(value.reveal())
              .map(JsonFields::members)
              .orElseThrow(
                  () ->
                      new ConfigException(
                          CONFIG_SECRET_VARIABLE,
                          "names " + configSecret + ", which is not a JSON object"));
      Log.LOG.debug(
          "read {} settings from the configuration secret {}", members.size(), configSecret);
      return Collections.unmodifiableMap(members);
    } finally {
      value.wipe();
    }
  }

  /**
   * Describes the backend: the region and endpoint, or the supplied client's; never a credential.
   *
   * @return the description, such as {@code AWS Secrets Manager (region eu-west-1)}
   */
  @Override
  public String description() {
    return description;
  }

  /**
   * Stops the provider's threads and closes the SDK client it created; a supplied client is left
   * open. Later calls throw {@link IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    batchPool.shutdownNow();
    if (ownsClient) {
      client.close();
    }
    if (timer != null) {
      timer.shutdownNow();
    }
    try {
      batchPool.awaitTermination(1, TimeUnit.SECONDS);
      if (timer != null) {
        timer.awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Returns the provider's class and {@link #description()}. */
  @Override
  public String toString() {
    return "AwsSecretProvider[" + description + "]";
  }

  /** The time-out, on every request, so that a supplied client honours it as well. */
  private AwsRequestOverrideConfiguration callConfig() {
    Duration t = timeout;
    return AwsRequestOverrideConfiguration.builder()
        .apiCallTimeout(t)
        .apiCallAttemptTimeout(t)
        .build();
  }

  /** Sets the per-call time-out of the calls that start from now on. */
  void timeout(Duration timeout) {
    this.timeout = requireNonNull(timeout, "timeout");
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the aws provider is closed");
    }
  }

  private static ThreadFactory daemon(String prefix, AtomicInteger counter) {
    return r -> {
      Thread t = new Thread(r, prefix + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
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
     * Sets where credentials come from; by default the SDK's default chain (system properties,
     * environment, web identity, profile, container, instance metadata). The provider does not
     * close it.
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
      try {
        this.timeout = AwsSettings.positive(timeout);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("timeout " + e.getMessage());
      }
      return this;
    }

    /**
     * Sets the JSON secret whose members the provider serves as configuration values.
     *
     * @param secret a secret name or ARN (taken as it is), or an {@code aws:} reference, such as
     *     {@code aws:prod/app-config@AWSCURRENT}
     * @return this builder
     * @throws IllegalArgumentException if it is empty, or starts with {@code aws:} and is not a
     *     valid reference
     */
    public Builder configSecret(String secret) {
      requireNonNull(secret, "secret");
      if (secret.isBlank()) {
        throw new IllegalArgumentException("configSecret must not be blank");
      }
      try {
        this.configSecret = AwsSettings.configSecretRef(secret.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("configSecret " + e.getMessage());
      }
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
      if (client != null) {
        if (region != null || endpoint != null || credentialsProvider != null) {
          throw new IllegalStateException(
              "a supplied client excludes region(), endpoint() and credentialsProvider()");
        }
        SecretsManagerServiceClientConfiguration config = client.serviceClientConfiguration();
        String where =
            (config.region() == null ? "" : ", region " + config.region().id())
                + (config.endpointOverride().isPresent()
                    ? ", endpoint " + AwsSettings.printable(config.endpointOverride().get())
                    : "");
        AwsSecretProvider provider =
            new AwsSecretProvider(
                client,
                false,
                null,
                timeout,
                configSecret,
                "AWS Secrets Manager (a supplied client" + where + ")",
                clock);
        provider.logCreated("a supplied client");
        return provider;
      }
      if (region == null && endpoint == null) {
        throw new IllegalStateException("set a region, an endpoint or a client");
      }
      String signingRegion = region != null ? region : AwsSettings.ENDPOINT_REGION;
      ScheduledThreadPoolExecutor timer =
          new ScheduledThreadPoolExecutor(1, daemon("latchkey-aws-timer-", TIMER_THREAD_COUNT));
      timer.setRemoveOnCancelPolicy(true);
      timer.setKeepAliveTime(30, TimeUnit.SECONDS);
      timer.allowCoreThreadTimeOut(true);
      SecretsManagerClient built;
      try {
        var sdk =
            SecretsManagerClient.builder()
                .region(Region.of(signingRegion))
                .httpClientBuilder(
                    new InFlightCalls.Builder(
                        UrlConnectionHttpClient.builder()
                            .connectionTimeout(timeout)
                            .socketTimeout(timeout)))
                .overrideConfiguration(
                    c ->
                        c.retryStrategy(AwsRetryStrategy.doNotRetry())
                            .apiCallTimeout(timeout)
                            .apiCallAttemptTimeout(timeout)
                            .scheduledExecutorService(timer)
                            .addExecutionInterceptor(new AnswerCheck()));
        if (endpoint != null) {
          sdk.endpointOverride(endpoint);
        }
        if (credentialsProvider != null) {
          sdk.credentialsProvider(credentialsProvider);
        }
        built = sdk.build();
      } catch (RuntimeException e) {
        timer.shutdownNow();
        throw e;
      }
      String description =
          "AWS Secrets Manager (region "
              + signingRegion
              + (endpoint == null ? "" : ", endpoint " + AwsSettings.printable(endpoint))
              + ")";
      AwsSecretProvider provider =
          new AwsSecretProvider(built, true, timer, timeout, configSecret, description, clock);
      provider.logCreated(
          credentialSource != null ? credentialSource : "the SDK's default credentials chain");
      return provider;
    }
  }

  private void logCreated(String credentials) {
    Log.LOG.debug(
        "{}: credentials from {}, time-out {}{}",
        description,
        credentials,
        AwsSettings.format(timeout),
        configSecret == null ? "" : ", configuration secret " + configSecret);
  }
}
