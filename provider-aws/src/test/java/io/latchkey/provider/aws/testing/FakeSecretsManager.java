package io.latchkey.provider.aws.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback AWS Secrets Manager: an HTTP server on {@code 127.0.0.1} that speaks the service's AWS
 * JSON 1.1 protocol, for tests, benchmarks and examples that cannot reach AWS.
 *
 * <pre>{@code
 * try (FakeSecretsManager aws = FakeSecretsManager.start();
 *     AwsSecretProvider provider = AwsSecretProvider.fromEnvironment(aws.environment())) {
 *   aws.putSecretString("prod/db", "{\"password\":\"pw\"}");
 *   provider.fetch(SecretRef.parse("aws:prod/db#password"));
 * }
 * }</pre>
 *
 * <h2>Wire protocol</h2>
 *
 * <p>Every request is {@code POST /} with {@code Content-Type: application/x-amz-json-1.1}, an
 * {@code X-Amz-Target: secretsmanager.<Operation>} header and a JSON body, as the AWS SDKs send it.
 * The SigV4 {@code Authorization} header is verified for real: its form, the credential scope
 * {@code <date>/us-east-1/secretsmanager/aws4_request}, the access key, the session token when the
 * key is a temporary one, and the signature, recomputed with the secret key. A request that fails
 * is answered as AWS answers it ({@code MissingAuthenticationTokenException}, {@code
 * IncompleteSignatureException}, {@code UnrecognizedClientException} or {@code
 * InvalidSignatureException}).
 *
 * <p>Operations: {@code GetSecretValue} (by name, full or partial ARN; {@code VersionId}, {@code
 * VersionStage}), {@code DescribeSecret}, {@code BatchGetSecretValue} (a {@code SecretIdList} of at
 * most 20 ids), {@code CreateSecret}, {@code PutSecretValue}, {@code UpdateSecretVersionStage} and
 * {@code DeleteSecret}. Errors are HTTP 400 (or 500 for {@code InternalServiceError}) with an
 * {@code x-amzn-ErrorType} header and a body {@code {"__type":"…","message":"…"}}; every answer has
 * an {@code x-amzn-RequestId}. Dates are epoch seconds as JSON numbers.
 *
 * <p>Stages follow the service: a new value becomes {@code AWSCURRENT}, and the version that was
 * current becomes {@code AWSPREVIOUS}. A secret scheduled for deletion answers {@code
 * GetSecretValue} with {@code InvalidRequestException} and shows a {@code DeletedDate}.
 *
 * <h2>Failure injection</h2>
 *
 * <p>{@link #fail(Fault)} and its variants make requests fail with a {@link Fault} (for every
 * request, for one operation or for one secret; until {@link #clearFailures()} or for the next
 * {@code n} matching requests). In a {@code BatchGetSecretValue}, a fault scoped to a secret that
 * the service would report per secret (access denied, decryption failure, not found) becomes an
 * entry of the response's {@code Errors}, as the service reports it; any other fault fails the
 * whole call. {@link #latency(Duration)} delays every answer.
 *
 * <h2>Threads</h2>
 *
 * <p>Requests are served concurrently by a pool of daemon threads named {@code
 * fake-secretsmanager-N}; {@link #close()} stops them all, releasing hung requests first. Methods
 * may be called from any thread.
 */
public final class FakeSecretsManager implements AutoCloseable {
  /** Every thread the pool made, joined by {@link #close()}. */
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  /** The region the fake serves: {@value}. */
  public static final String REGION = "us-east-1";

  /** The account id in ARNs: {@value}. */
  public static final String ACCOUNT = "123456789012";

  private static final String SERVICE = "secretsmanager";
  private static final String TARGET_PREFIX = "secretsmanager.";
  private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final int BATCH_LIMIT = 20;
  private static final String CURRENT = "AWSCURRENT";
  private static final String PREVIOUS = "AWSPREVIOUS";
  private static final String SUFFIX_CHARS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final AtomicInteger THREADS = new AtomicInteger();

  /** The size of an {@link Fault#OVERSIZED} answer: {@value} bytes (8 MiB). */
  public static final int OVERSIZED_BYTES = 8 << 20;

  static {
    // The JDK's server writes a response's headers and its body separately; with Nagle's
    // algorithm the body then waits for the client's delayed ACK (40 ms on Linux), which would
    // add to every request the latency a real service does not have. The property is read once,
    // when the first server of the JVM is created.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** A failure the fake can inject. */
  public enum Fault {
    /** HTTP 400 {@code AccessDeniedException}, as for a missing IAM permission. */
    ACCESS_DENIED(400, "AccessDeniedException"),
    /** HTTP 400 {@code DecryptionFailure}: the KMS key cannot decrypt the secret. */
    DECRYPTION_FAILURE(400, "DecryptionFailure"),
    /** HTTP 400 {@code ResourceNotFoundException}, as if the secret did not exist. */
    NOT_FOUND(400, "ResourceNotFoundException"),
    /** HTTP 400 {@code ThrottlingException}: rate exceeded. */
    THROTTLING(400, "ThrottlingException"),
    /** HTTP 500 {@code InternalServiceError}. */
    INTERNAL_ERROR(500, "InternalServiceError"),
    /** HTTP 503 with an HTML body, as a load balancer in front of a service answers. */
    SERVICE_UNAVAILABLE(503, null),
    /** No answer at all until the failure is cleared or the fake closed. */
    HANG(0, null),
    /** HTTP 200 with a body that is not JSON. */
    GARBAGE(200, null),
    /** HTTP 200 with a JSON object that has none of the operation's members. */
    EMPTY_OBJECT(200, null),
    /** The connection is closed without an answer. */
    DISCONNECT(0, null),
    /**
     * HTTP 200 with the operation's real answer, cut off half-way: the {@code Content-Length} of
     * the whole, then half of the bytes, then the connection is closed (a reset mid-body).
     */
    TRUNCATED(200, null),
    /**
     * As {@link #TRUNCATED}, but chunked: half of the body in one chunk, then the connection is
     * closed without the last chunk.
     */
    TRUNCATED_CHUNKED(200, null),
    /**
     * HTTP 200 with a JSON answer of {@value #OVERSIZED_BYTES} bytes, streamed in chunks without a
     * {@code Content-Length}, so that a client only learns its size by reading it.
     */
    OVERSIZED(200, null),
    /** As {@link #OVERSIZED}, but declared up front in a {@code Content-Length}. */
    OVERSIZED_DECLARED(200, null),
    /**
     * The real answer, held back until {@link FakeSecretsManager#releaseHung()}: calls that overlap
     * can be seen in flight together ({@link FakeSecretsManager#awaitHung}) without timing them.
     */
    HOLD(200, null);

    private final int status;
    private final String code;

    Fault(int status, String code) {
      this.status = status;
      this.code = code;
    }

    /** Whether BatchGetSecretValue reports this fault per secret, in its {@code Errors}. */
    private boolean perSecret() {
      return this == ACCESS_DENIED || this == DECRYPTION_FAILURE || this == NOT_FOUND;
    }
  }

  private static final class Rule {
    final Fault fault;
    final String operation;
    final String secretName;
    final AtomicInteger remaining;

    Rule(Fault fault, String operation, String secretName, int times) {
      this.fault = fault;
      this.operation = operation;
      this.secretName = secretName;
      this.remaining = new AtomicInteger(times);
    }

    boolean matches(String op, Set<String> names) {
      return (operation == null || operation.equals(op))
          && (secretName == null || names.contains(secretName));
    }

    /** Takes one use of the rule; false once it is used up. */
    boolean take() {
      while (true) {
        int n = remaining.get();
        if (n == 0) {
          return false;
        }
        if (n < 0 || remaining.compareAndSet(n, n - 1)) {
          return true;
        }
      }
    }
  }

  private static final class Version {
    final String id;
    final String string;
    final byte[] binary;
    final Instant created;
    final Set<String> stages = new LinkedHashSet<>();

    Version(String id, String string, byte[] binary, Instant created) {
      this.id = id;
      this.string = string;
      this.binary = binary;
      this.created = created;
    }
  }

  private static final class StoredSecret {
    final String name;
    final String arn;
    final Instant created;
    final Map<String, Version> versions = new LinkedHashMap<>();
    Instant deleted;

    StoredSecret(String name, String arn, Instant created) {
      this.name = name;
      this.arn = arn;
      this.created = created;
    }

    Optional<Version> withStage(String stage) {
      return versions.values().stream().filter(v -> v.stages.contains(stage)).findFirst();
    }
  }

  /** An answer to send: a status and a JSON body, or an AWS error. */
  private static final class Answer {
    final int status;
    final String body;
    final String errorType;
    final String contentType;

    Answer(int status, String body, String errorType, String contentType) {
      this.status = status;
      this.body = body;
      this.errorType = errorType;
      this.contentType = contentType;
    }
  }

  /** An AWS error raised while handling a request. */
  private static final class AwsError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    AwsError(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }

    AwsError(String code, String message) {
      this(400, code, message);
    }
  }

  private final ObjectMapper json = new ObjectMapper();
  private final SecureRandom random = new SecureRandom();
  private final Clock clock = Clock.systemUTC();
  private final HttpServer server;
  private final ExecutorService pool;
  private final String accessKeyId;
  private final String secretAccessKey;
  private final String temporaryAccessKeyId;
  private final String temporarySecretAccessKey;
  private final String sessionToken;
  private final SigV4 signatures;
  private final Map<String, StoredSecret> secrets = new LinkedHashMap<>();
  private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
  private final Map<String, String> lastRequests = new ConcurrentHashMap<>();
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger hung = new AtomicInteger();
  private final Map<String, Map<String, String>> corruptions = new ConcurrentHashMap<>();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile Duration latency = Duration.ZERO;
  private volatile String errorText;
  private volatile CountDownLatch hangRelease = new CountDownLatch(1);
  private volatile boolean closed;

  private FakeSecretsManager() throws IOException {
    this.accessKeyId = "AKIA" + token(16).toUpperCase(java.util.Locale.ROOT);
    this.secretAccessKey = token(40);
    this.temporaryAccessKeyId = "ASIA" + token(16).toUpperCase(java.util.Locale.ROOT);
    this.temporarySecretAccessKey = token(40);
    this.sessionToken = token(64);
    this.signatures =
        new SigV4(
            REGION,
            SERVICE,
            Map.of(accessKeyId, secretAccessKey, temporaryAccessKeyId, temporarySecretAccessKey),
            Map.of(temporaryAccessKeyId, sessionToken));
    this.pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-secretsmanager-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              threads.add(t);
              return t;
            });
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Starts a fake on {@code 127.0.0.1} and an ephemeral port, with no secrets.
   *
   * @return the running fake, which the caller closes
   * @throws UncheckedIOException if the server cannot bind
   */
  public static FakeSecretsManager start() {
    try {
      return new FakeSecretsManager();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Returns the endpoint to point a client at.
   *
   * @return {@code http://127.0.0.1:PORT}
   */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Returns the region the fake serves; requests signed for another region are rejected.
   *
   * @return {@value #REGION}
   */
  public String region() {
    return REGION;
  }

  /**
   * Returns the access key id the fake accepts.
   *
   * @return the access key id
   */
  public String accessKeyId() {
    return accessKeyId;
  }

  /**
   * Returns the secret access key that goes with {@link #accessKeyId()}.
   *
   * @return the secret access key
   */
  public String secretAccessKey() {
    return secretAccessKey;
  }

  /**
   * Returns the settings that point the {@code aws} provider at this fake: {@code AWS_REGION},
   * {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code
   * AWS_ENDPOINT_URL_SECRETS_MANAGER}.
   *
   * @return the settings, a new mutable map
   */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_REGION", REGION);
    env.put("AWS_ACCESS_KEY_ID", accessKeyId);
    env.put("AWS_SECRET_ACCESS_KEY", secretAccessKey);
    env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", endpoint().toString());
    return env;
  }

  /**
   * Returns the settings of {@link #environment()} with temporary credentials instead: another key
   * pair and an {@code AWS_SESSION_TOKEN}, which requests must carry (signed) in {@code
   * X-Amz-Security-Token}.
   *
   * @return the settings, a new mutable map
   */
  public Map<String, String> temporaryEnvironment() {
    Map<String, String> env = environment();
    env.put("AWS_ACCESS_KEY_ID", temporaryAccessKeyId);
    env.put("AWS_SECRET_ACCESS_KEY", temporarySecretAccessKey);
    env.put("AWS_SESSION_TOKEN", sessionToken);
    return env;
  }

  /**
   * Stores a new string value, creating the secret if needed; the new version becomes {@code
   * AWSCURRENT} and the version that was current becomes {@code AWSPREVIOUS}.
   *
   * @param name the secret's name, such as {@code prod/db}
   * @param value the value
   * @return the new version's id
   */
  public String putSecretString(String name, String value) {
    requireNonNull(value, "value");
    return put(name, value, null, null, List.of(CURRENT));
  }

  /**
   * Stores a new binary value ({@code SecretBinary}), as {@link #putSecretString} does a string.
   *
   * @param name the secret's name
   * @param value the bytes; copied
   * @return the new version's id
   */
  public String putSecretBinary(String name, byte[] value) {
    requireNonNull(value, "value");
    return put(name, null, value.clone(), null, List.of(CURRENT));
  }

  /**
   * Attaches a staging label to a version, moving it from the version that had it; moving {@code
   * AWSCURRENT} makes the version that had it {@code AWSPREVIOUS}, as the service does.
   *
   * @param name the secret's name
   * @param stage the label, such as {@code AWSPENDING} or {@code blue}
   * @param versionId the version to attach it to
   * @throws IllegalArgumentException if the secret or the version does not exist
   */
  public void moveStage(String name, String stage, String versionId) {
    synchronized (secrets) {
      StoredSecret secret = secrets.get(name);
      if (secret == null || !secret.versions.containsKey(versionId)) {
        throw new IllegalArgumentException("no such secret or version");
      }
      attach(secret, stage, secret.versions.get(versionId));
    }
  }

  /**
   * Schedules a secret for deletion: reads then fail with {@code InvalidRequestException}, and
   * {@code DescribeSecret} shows a {@code DeletedDate}.
   *
   * @param name the secret's name
   * @throws IllegalArgumentException if the secret does not exist
   */
  public void deleteSecret(String name) {
    synchronized (secrets) {
      StoredSecret secret = secrets.get(name);
      if (secret == null) {
        throw new IllegalArgumentException("no such secret");
      }
      secret.deleted = clock.instant();
    }
  }

  /**
   * Returns a secret's full ARN, which ends in a dash and six random characters.
   *
   * @param name the secret's name
   * @return the ARN
   * @throws IllegalArgumentException if the secret does not exist
   */
  public String arn(String name) {
    synchronized (secrets) {
      StoredSecret secret = secrets.get(name);
      if (secret == null) {
        throw new IllegalArgumentException("no such secret");
      }
      return secret.arn;
    }
  }

  /**
   * Adds a delay before every answer, to simulate a distant service.
   *
   * @param latency the delay; zero for none
   */
  public void latency(Duration latency) {
    requireNonNull(latency, "latency");
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative");
    }
    this.latency = latency;
  }

  /**
   * Sets a text that injected error answers carry as their message, and garbage answers in their
   * body, instead of the defaults: a backend that echoes what it was sent, to check that a client
   * never copies a backend's words into its own messages.
   *
   * @param text the text, or {@code null} for the defaults
   */
  public void errorText(String text) {
    this.errorText = text;
  }

  /**
   * Returns how many requests named an operation, whether they succeeded or not.
   *
   * @param operation the operation, such as {@code GetSecretValue}
   * @return the count since start or the last {@link #resetCounters()}
   */
  public long requests(String operation) {
    AtomicLong counter = counters.get(operation);
    return counter == null ? 0 : counter.get();
  }

  /**
   * Returns the most requests that were being served at the same time.
   *
   * @return the peak since start or the last {@link #resetCounters()}
   */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /**
   * Returns the JSON body of the last request for an operation, to check what a client sent.
   *
   * @param operation the operation, such as {@code GetSecretValue}
   * @return the body, or empty if none was received
   */
  public Optional<String> lastRequest(String operation) {
    return Optional.ofNullable(lastRequests.get(operation));
  }

  /** Sets every request counter, the in-flight peak and the last requests back to zero. */
  public void resetCounters() {
    counters.clear();
    lastRequests.clear();
    maxInFlight.set(inFlight.get());
  }

  /**
   * Makes every request fail with a fault until {@link #clearFailures()}.
   *
   * @param fault the fault
   */
  public void fail(Fault fault) {
    addRule(fault, null, null, -1);
  }

  /**
   * Makes the next requests fail with a fault.
   *
   * @param fault the fault
   * @param times how many requests fail, at least 1
   */
  public void fail(Fault fault, int times) {
    addRule(fault, null, null, positive(times));
  }

  /**
   * Makes every request for one operation fail with a fault until {@link #clearFailures()}.
   *
   * @param operation the operation, such as {@code BatchGetSecretValue}
   * @param fault the fault
   */
  public void failOperation(String operation, Fault fault) {
    addRule(fault, requireNonNull(operation, "operation"), null, -1);
  }

  /**
   * Makes the next requests for one operation fail with a fault.
   *
   * @param operation the operation, such as {@code DescribeSecret}
   * @param fault the fault
   * @param times how many requests fail, at least 1
   */
  public void failOperation(String operation, Fault fault, int times) {
    addRule(fault, requireNonNull(operation, "operation"), null, positive(times));
  }

  /**
   * Makes every request that names a secret (by name or ARN) fail with a fault until {@link
   * #clearFailures()}.
   *
   * @param name the secret's name
   * @param fault the fault
   */
  public void failSecret(String name, Fault fault) {
    addRule(fault, null, requireNonNull(name, "name"), -1);
  }

  /**
   * Makes the next requests that name a secret fail with a fault.
   *
   * @param name the secret's name
   * @param fault the fault
   * @param times how many requests fail, at least 1
   */
  public void failSecret(String name, Fault fault, int times) {
    addRule(fault, null, requireNonNull(name, "name"), positive(times));
  }

  /**
   * Makes every successful answer of an operation carry a member with a given JSON text in place of
   * what the service would send, until {@link #clearFailures()}: a wrong-typed field, such as
   * {@code corrupt("GetSecretValue", "SecretString", "{\"password\":\"x\"}")}.
   *
   * @param operation the operation, such as {@code DescribeSecret}
   * @param path a member of the answer ({@code VersionId}), of an entry of one of its arrays
   *     ({@code SecretValues[0].SecretString}), or of the value of each member of an object ({@code
   *     VersionIdsToStages.*})
   * @param json the JSON text to put there, such as {@code 42}, {@code true}, {@code null}
   */
  public void corrupt(String operation, String path, String json) {
    requireNonNull(operation, "operation");
    requireNonNull(path, "path");
    requireNonNull(json, "json");
    try {
      this.json.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("json must be JSON text", e);
    }
    corruptions.computeIfAbsent(operation, o -> new ConcurrentHashMap<>()).put(path, json);
  }

  /**
   * Returns how many requests are being served now, hung ones included.
   *
   * @return the count
   */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * Waits until at least a number of requests are held by {@link Fault#HANG}.
   *
   * @param count how many
   * @param atMost an upper bound on the wait, so that a broken test fails instead of hanging
   * @return true if that many are held, false if the bound passed first
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitHung(int count, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    synchronized (hung) {
      while (hung.get() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(hung, left);
      }
      return true;
    }
  }

  /** Releases the requests held by {@link Fault#HANG} now (they then get no answer). */
  public void releaseHung() {
    CountDownLatch previous = hangRelease;
    hangRelease = new CountDownLatch(1);
    previous.countDown();
  }

  /**
   * Removes every injected failure and corruption, and releases hung requests (which then get no
   * answer).
   */
  public void clearFailures() {
    rules.clear();
    corruptions.clear();
    releaseHung();
  }

  /** Stops the server and its threads, releasing hung requests first. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    rules.clear();
    releaseHung();
    server.stop(0);
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
      // A pool reports termination from inside its last worker, a moment before that thread ends:
      // join them, so that no thread of the fake is alive once close() returns.
      for (Thread t : threads) {
        t.join(5_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Returns the endpoint and the number of secrets; never a value. */
  @Override
  public String toString() {
    synchronized (secrets) {
      return "FakeSecretsManager[" + endpoint() + ", " + secrets.size() + " secrets]";
    }
  }

  // ---------------------------------------------------------------------------------------------

  private void addRule(Fault fault, String operation, String secretName, int times) {
    requireNonNull(fault, "fault");
    rules.add(new Rule(fault, operation, secretName, times));
  }

  private static int positive(int times) {
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1");
    }
    return times;
  }

  private String token(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(SUFFIX_CHARS.charAt(random.nextInt(SUFFIX_CHARS.length())));
    }
    return sb.toString();
  }

  private void handle(HttpExchange exchange) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      Duration delay = latency;
      if (!delay.isZero()) {
        Thread.sleep(delay.toMillis());
      }
      Answer answer = answer(exchange, body);
      if (answer == null) {
        exchange.close();
        return;
      }
      send(exchange, answer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.close();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void send(HttpExchange exchange, Answer answer) throws IOException {
    if (answer.status == 200 && answer.errorType != null && answer.errorType.startsWith("TRUNC")) {
      byte[] whole = answer.body.getBytes(UTF_8);
      exchange.getResponseHeaders().set("Content-Type", answer.contentType);
      // A length of 0 makes the JDK's server send the body chunked.
      exchange.sendResponseHeaders(200, answer.errorType.equals("TRUNCATED") ? whole.length : 0);
      OutputStream out = exchange.getResponseBody();
      out.write(whole, 0, whole.length / 2);
      out.flush();
      if (answer.errorType.equals("TRUNCATED_CHUNKED")) {
        // Closing the exchange would end the chunks properly; failing the handler makes the
        // server drop the connection without the last chunk.
        throw new IOException("the fake drops the connection mid-body");
      }
      exchange.close(); // fewer bytes than declared: the server drops the connection
      return;
    }
    if (answer.status == 200 && answer.errorType != null && answer.errorType.startsWith("OVER")) {
      sendOversized(exchange, answer.errorType.equals("OVERSIZED_DECLARED"));
      return;
    }
    byte[] bytes = answer.body.getBytes(UTF_8);
    exchange.getResponseHeaders().set("Content-Type", answer.contentType);
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    if (answer.errorType != null) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", answer.errorType + ":");
    }
    exchange.sendResponseHeaders(answer.status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Computes the answer, or returns null to close the connection without one. */
  private Answer answer(HttpExchange exchange, byte[] body) throws InterruptedException {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    String operation =
        target != null && target.startsWith(TARGET_PREFIX)
            ? target.substring(TARGET_PREFIX.length())
            : null;
    if (operation != null) {
      counters.computeIfAbsent(operation, o -> new AtomicLong()).incrementAndGet();
      lastRequests.put(operation, new String(body, UTF_8));
    }
    try {
      if (!"POST".equals(exchange.getRequestMethod())) {
        throw new AwsError("UnknownOperationException", "Only POST is supported");
      }
      Optional<SigV4.Rejection> rejection =
          signatures.verify(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getRawPath(),
              exchange.getRequestURI().getRawQuery(),
              exchange.getRequestHeaders(),
              body);
      if (rejection.isPresent()) {
        throw new AwsError(rejection.get().code(), rejection.get().message());
      }
      if (operation == null) {
        throw new AwsError("UnknownOperationException", "X-Amz-Target is missing or unknown");
      }
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      if (contentType == null || !contentType.startsWith(CONTENT_TYPE)) {
        throw new AwsError("SerializationException", "Content-Type must be " + CONTENT_TYPE);
      }
      JsonNode request;
      try {
        request = json.readTree(body);
      } catch (IOException e) {
        throw new AwsError("SerializationException", "The request body is not valid JSON");
      }
      if (request == null || !request.isObject()) {
        throw new AwsError("SerializationException", "The request body must be a JSON object");
      }
      Set<String> named = namedSecrets(request);
      Rule rule = null;
      List<Rule> perSecret = new ArrayList<>();
      for (Rule r : rules) {
        if (!r.matches(operation, named)) {
          continue;
        }
        if (operation.equals("BatchGetSecretValue")
            && r.secretName != null
            && r.fault.perSecret()) {
          if (r.take()) {
            perSecret.add(r);
          }
          continue;
        }
        if (r.take()) {
          rule = r;
          break;
        }
      }
      if (rule != null && rule.fault == Fault.HOLD) {
        hold();
        rule = null;
      }
      if (rule != null
          && (rule.fault == Fault.TRUNCATED || rule.fault == Fault.TRUNCATED_CHUNKED)) {
        String whole = dispatch(operation, (ObjectNode) request, perSecret);
        return new Answer(200, corrupted(operation, whole), rule.fault.name(), CONTENT_TYPE);
      }
      if (rule != null) {
        return fault(rule.fault);
      }
      return new Answer(
          200,
          corrupted(operation, dispatch(operation, (ObjectNode) request, perSecret)),
          null,
          CONTENT_TYPE);
    } catch (AwsError e) {
      return error(e.status, e.code, e.getMessage());
    }
  }

  private Answer fault(Fault fault) throws InterruptedException {
    switch (fault) {
      case HANG:
        hold();
        return null;
      case DISCONNECT:
        return null;
      case OVERSIZED:
      case OVERSIZED_DECLARED:
        return new Answer(200, "", fault.name(), CONTENT_TYPE);
      case GARBAGE:
        return new Answer(200, html("Gateway says hello"), null, CONTENT_TYPE);
      case EMPTY_OBJECT:
        return new Answer(200, "{}", null, CONTENT_TYPE);
      case SERVICE_UNAVAILABLE:
        return new Answer(503, html("503 Service Unavailable"), null, "text/html");
      default:
        return error(fault.status, fault.code, message(fault));
    }
  }

  /** Holds the request until released or closed, counted among the hung ones meanwhile. */
  private void hold() throws InterruptedException {
    CountDownLatch release = hangRelease;
    synchronized (hung) {
      hung.incrementAndGet();
      hung.notifyAll();
    }
    try {
      while (!closed && !release.await(100, TimeUnit.MILLISECONDS)) {
        // Wait until released or closed.
      }
    } finally {
      hung.decrementAndGet();
    }
  }

  /** Applies the corruptions set for an operation to its answer. */
  private String corrupted(String operation, String answer) {
    Map<String, String> changes = corruptions.get(operation);
    if (changes == null || changes.isEmpty()) {
      return answer;
    }
    try {
      JsonNode root = json.readTree(answer);
      for (Map.Entry<String, String> c : changes.entrySet()) {
        put(root, c.getKey(), json.readTree(c.getValue()));
      }
      return root.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void put(JsonNode node, String path, JsonNode value) {
    int dot = path.indexOf('.');
    String head = dot < 0 ? path : path.substring(0, dot);
    String rest = dot < 0 ? null : path.substring(dot + 1);
    int bracket = head.indexOf('[');
    if (head.equals("*")) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        if (rest == null) {
          ((ObjectNode) node).set(name, value);
        } else {
          put(node.get(name), rest, value);
        }
      }
      return;
    }
    if (bracket >= 0) {
      JsonNode array = node.path(head.substring(0, bracket));
      int index = Integer.parseInt(head.substring(bracket + 1, head.length() - 1));
      if (rest == null) {
        ((ArrayNode) array).set(index, value);
      } else {
        put(array.get(index), rest, value);
      }
      return;
    }
    if (rest == null) {
      ((ObjectNode) node).set(head, value);
    } else {
      put(node.get(head), rest, value);
    }
  }

  /** Streams an 8 MiB JSON answer; the client may drop the connection part-way, as it should. */
  private void sendOversized(HttpExchange exchange, boolean declared) throws IOException {
    byte[] head = "{\"Name\":\"big\",\"SecretString\":\"".getBytes(UTF_8);
    byte[] tail = "\"}".getBytes(UTF_8);
    byte[] chunk = new byte[64 * 1024];
    java.util.Arrays.fill(chunk, (byte) 'a');
    int middle = OVERSIZED_BYTES - head.length - tail.length;
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    exchange.sendResponseHeaders(200, declared ? OVERSIZED_BYTES : 0);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(head);
      for (int left = middle; left > 0; left -= chunk.length) {
        out.write(chunk, 0, Math.min(left, chunk.length));
      }
      out.write(tail);
    } catch (IOException e) {
      exchange.close(); // the client stopped reading: what a client with a cap does
    }
  }

  private String html(String text) {
    String t = errorText;
    return "<html><body>" + (t != null ? t : text) + "</body></html>";
  }

  private String message(Fault fault) {
    String text = errorText;
    if (text != null) {
      return text;
    }
    switch (fault) {
      case ACCESS_DENIED:
        return "User is not authorized to perform: secretsmanager:GetSecretValue because no"
            + " identity-based policy allows the secretsmanager:GetSecretValue action";
      case DECRYPTION_FAILURE:
        return "Secrets Manager can't decrypt the protected secret text using the provided KMS"
            + " key.";
      case NOT_FOUND:
        return "Secrets Manager can't find the specified secret.";
      case THROTTLING:
        return "Rate exceeded";
      default:
        return "An error occurred on the server side.";
    }
  }

  private Answer error(int status, String code, String message) {
    ObjectNode body = json.createObjectNode();
    body.put("__type", code);
    body.put("message", message);
    return new Answer(status, body.toString(), code, CONTENT_TYPE);
  }

  /** The names of the existing secrets a request names, for secret-scoped failures. */
  private Set<String> namedSecrets(JsonNode request) {
    Set<String> ids = new LinkedHashSet<>();
    if (request.path("SecretId").isTextual()) {
      ids.add(request.path("SecretId").textValue());
    }
    if (request.path("Name").isTextual()) {
      ids.add(request.path("Name").textValue());
    }
    for (JsonNode id : request.path("SecretIdList")) {
      ids.add(id.asText());
    }
    Set<String> names = new LinkedHashSet<>();
    synchronized (secrets) {
      for (String id : ids) {
        StoredSecret s = find(id);
        names.add(s != null ? s.name : id);
      }
    }
    return names;
  }

  private String dispatch(String operation, ObjectNode request, List<Rule> perSecret) {
    synchronized (secrets) {
      switch (operation) {
        case "GetSecretValue":
          return getSecretValue(request);
        case "DescribeSecret":
          return describeSecret(request);
        case "BatchGetSecretValue":
          return batchGetSecretValue(request, perSecret);
        case "CreateSecret":
          return createSecret(request);
        case "PutSecretValue":
          return putSecretValue(request);
        case "UpdateSecretVersionStage":
          return updateSecretVersionStage(request);
        case "DeleteSecret":
          return deleteSecret(request);
        default:
          throw new AwsError("UnknownOperationException", "Unknown operation " + operation);
      }
    }
  }

  private String getSecretValue(ObjectNode request) {
    StoredSecret secret = existing(text(request, "SecretId", true));
    if (secret.deleted != null) {
      throw new AwsError(
          "InvalidRequestException",
          "You can't perform this operation on the secret because it was marked for deletion.");
    }
    Version version = version(secret, request);
    return entry(secret, version).toString();
  }

  private Version version(StoredSecret secret, JsonNode request) {
    String versionId = text(request, "VersionId", false);
    String stage = text(request, "VersionStage", false);
    if (versionId != null) {
      Version v = secret.versions.get(versionId);
      if (v == null || (stage != null && !v.stages.contains(stage))) {
        throw new AwsError(
            "ResourceNotFoundException",
            "Secrets Manager can't find the specified secret value for VersionId: " + versionId);
      }
      return v;
    }
    String wanted = stage == null ? CURRENT : stage;
    return secret
        .withStage(wanted)
        .orElseThrow(
            () ->
                new AwsError(
                    "ResourceNotFoundException",
                    "Secrets Manager can't find the specified secret value for staging label: "
                        + wanted));
  }

  private ObjectNode entry(StoredSecret secret, Version version) {
    ObjectNode out = json.createObjectNode();
    out.put("ARN", secret.arn);
    out.put("Name", secret.name);
    out.put("VersionId", version.id);
    if (version.string != null) {
      out.put("SecretString", version.string);
    } else {
      out.put("SecretBinary", Base64.getEncoder().encodeToString(version.binary));
    }
    ArrayNode stages = out.putArray("VersionStages");
    version.stages.forEach(stages::add);
    out.put("CreatedDate", epochSeconds(version.created));
    return out;
  }

  private String describeSecret(ObjectNode request) {
    StoredSecret secret = existing(text(request, "SecretId", true));
    ObjectNode out = json.createObjectNode();
    out.put("ARN", secret.arn);
    out.put("Name", secret.name);
    out.put("CreatedDate", epochSeconds(secret.created));
    Instant changed =
        secret.versions.values().stream()
            .map(v -> v.created)
            .max(Instant::compareTo)
            .orElse(secret.created);
    out.put("LastChangedDate", epochSeconds(changed));
    if (secret.deleted != null) {
      out.put("DeletedDate", epochSeconds(secret.deleted));
    }
    ObjectNode stages = out.putObject("VersionIdsToStages");
    for (Version v : secret.versions.values()) {
      if (!v.stages.isEmpty()) {
        ArrayNode list = stages.putArray(v.id);
        v.stages.forEach(list::add);
      }
    }
    return out.toString();
  }

  private String batchGetSecretValue(ObjectNode request, List<Rule> perSecret) {
    if (request.has("Filters")) {
      throw new AwsError("InvalidParameterException", "Filters are not supported by this fake");
    }
    JsonNode list = request.path("SecretIdList");
    if (!list.isArray() || list.isEmpty()) {
      throw new AwsError("InvalidParameterException", "You must provide SecretIdList or Filters");
    }
    if (list.size() > BATCH_LIMIT) {
      throw new AwsError(
          "ValidationException",
          "1 validation error detected: Value at 'secretIdList' failed to satisfy constraint:"
              + " Member must have length less than or equal to "
              + BATCH_LIMIT);
    }
    ObjectNode out = json.createObjectNode();
    ArrayNode values = out.putArray("SecretValues");
    ArrayNode errors = out.putArray("Errors");
    for (JsonNode idNode : list) {
      String id = idNode.asText();
      StoredSecret secret = find(id);
      Optional<Rule> rule =
          perSecret.stream()
              .filter(r -> secret != null && r.secretName.equals(secret.name))
              .findFirst();
      if (rule.isPresent()) {
        errors.add(batchError(id, rule.get().fault.code, message(rule.get().fault)));
      } else if (secret == null) {
        errors.add(
            batchError(
                id,
                "ResourceNotFoundException",
                "Secrets Manager can't find the specified secret."));
      } else if (secret.deleted != null) {
        errors.add(
            batchError(
                id,
                "InvalidRequestException",
                "You can't perform this operation on the secret because it was marked for"
                    + " deletion."));
      } else {
        Optional<Version> current = secret.withStage(CURRENT);
        if (current.isEmpty()) {
          errors.add(
              batchError(
                  id,
                  "ResourceNotFoundException",
                  "Secrets Manager can't find the specified secret value for staging label: "
                      + CURRENT));
        } else {
          values.add(entry(secret, current.get()));
        }
      }
    }
    return out.toString();
  }

  private ObjectNode batchError(String id, String code, String message) {
    ObjectNode error = json.createObjectNode();
    error.put("SecretId", id);
    error.put("ErrorCode", code);
    error.put("Message", message);
    return error;
  }

  private String createSecret(ObjectNode request) {
    String name = text(request, "Name", true);
    if (secrets.containsKey(name)) {
      throw new AwsError(
          "ResourceExistsException", "The operation failed because the secret already exists.");
    }
    String versionId = text(request, "ClientRequestToken", false);
    String string = text(request, "SecretString", false);
    byte[] binary = binary(request);
    StoredSecret secret = create(name);
    ObjectNode out = json.createObjectNode();
    out.put("ARN", secret.arn);
    out.put("Name", secret.name);
    if (string != null || binary != null) {
      out.put("VersionId", store(secret, string, binary, versionId, List.of(CURRENT)));
    }
    return out.toString();
  }

  private String putSecretValue(ObjectNode request) {
    StoredSecret secret = existing(text(request, "SecretId", true));
    if (secret.deleted != null) {
      throw new AwsError(
          "InvalidRequestException",
          "You can't perform this operation on the secret because it was marked for deletion.");
    }
    String string = text(request, "SecretString", false);
    byte[] binary = binary(request);
    if ((string == null) == (binary == null)) {
      throw new AwsError(
          "InvalidParameterException", "You must provide either SecretString or SecretBinary.");
    }
    List<String> stages = new ArrayList<>();
    for (JsonNode s : request.path("VersionStages")) {
      stages.add(s.asText());
    }
    if (stages.isEmpty()) {
      stages.add(CURRENT);
    }
    String versionId =
        store(secret, string, binary, text(request, "ClientRequestToken", false), stages);
    ObjectNode out = json.createObjectNode();
    out.put("ARN", secret.arn);
    out.put("Name", secret.name);
    out.put("VersionId", versionId);
    ArrayNode list = out.putArray("VersionStages");
    secret.versions.get(versionId).stages.forEach(list::add);
    return out.toString();
  }

  private String updateSecretVersionStage(ObjectNode request) {
    StoredSecret secret = existing(text(request, "SecretId", true));
    String stage = text(request, "VersionStage", true);
    String moveTo = text(request, "MoveToVersionId", false);
    String removeFrom = text(request, "RemoveFromVersionId", false);
    Optional<Version> holder = secret.withStage(stage);
    if (holder.isPresent()
        && moveTo != null
        && removeFrom == null
        && !holder.get().id.equals(moveTo)) {
      throw new AwsError(
          "InvalidParameterException",
          "The staging label is attached to another version; specify RemoveFromVersionId.");
    }
    if (removeFrom != null) {
      Version from = secret.versions.get(removeFrom);
      if (from == null || !from.stages.contains(stage)) {
        throw new AwsError(
            "InvalidParameterException", "The staging label is not attached to that version.");
      }
      from.stages.remove(stage);
    }
    if (moveTo != null) {
      Version to = secret.versions.get(moveTo);
      if (to == null) {
        throw new AwsError("ResourceNotFoundException", "Secrets Manager can't find the version.");
      }
      if (removeFrom != null) {
        secret.versions.get(removeFrom).stages.add(stage);
      }
      attach(secret, stage, to);
    }
    ObjectNode out = json.createObjectNode();
    out.put("ARN", secret.arn);
    out.put("Name", secret.name);
    return out.toString();
  }

  private String deleteSecret(ObjectNode request) {
    StoredSecret secret = existing(text(request, "SecretId", true));
    Instant now = clock.instant();
    if (request.path("ForceDeleteWithoutRecovery").asBoolean(false)) {
      secrets.remove(secret.name);
    } else {
      secret.deleted = now;
    }
    ObjectNode out = json.createObjectNode();
    out.put("ARN", secret.arn);
    out.put("Name", secret.name);
    out.put("DeletionDate", epochSeconds(now.plus(Duration.ofDays(30))));
    return out.toString();
  }

  private String put(
      String name, String string, byte[] binary, String versionId, List<String> stages) {
    requireNonNull(name, "name");
    synchronized (secrets) {
      StoredSecret secret = secrets.get(name);
      if (secret == null) {
        secret = create(name);
      }
      return store(secret, string, binary, versionId, stages);
    }
  }

  private StoredSecret create(String name) {
    String arn =
        "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + name + "-" + token(6);
    StoredSecret secret = new StoredSecret(name, arn, clock.instant());
    secrets.put(name, secret);
    return secret;
  }

  private String store(
      StoredSecret secret, String string, byte[] binary, String versionId, List<String> stages) {
    String id = versionId != null ? versionId : UUID.randomUUID().toString();
    Version existing = secret.versions.get(id);
    if (existing != null) {
      // The same ClientRequestToken again: the service treats it as a retry of the same request.
      return id;
    }
    Version version = new Version(id, string, binary, clock.instant());
    secret.versions.put(id, version);
    for (String stage : stages) {
      attach(secret, stage, version);
    }
    return id;
  }

  private static void attach(StoredSecret secret, String stage, Version version) {
    Optional<Version> holder = secret.withStage(stage);
    if (holder.isPresent() && holder.get() == version) {
      return;
    }
    if (stage.equals(CURRENT)) {
      for (Version v : secret.versions.values()) {
        v.stages.remove(PREVIOUS);
      }
      holder.ifPresent(h -> h.stages.add(PREVIOUS));
    }
    holder.ifPresent(h -> h.stages.remove(stage));
    version.stages.add(stage);
  }

  private StoredSecret existing(String id) {
    StoredSecret secret = find(id);
    if (secret == null) {
      throw new AwsError(
          "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    }
    return secret;
  }

  /** Finds a secret by name, full ARN, or partial ARN (without the random suffix). */
  private StoredSecret find(String id) {
    StoredSecret byName = secrets.get(id);
    if (byName != null) {
      return byName;
    }
    if (id.startsWith("arn:")) {
      for (Iterator<StoredSecret> it = secrets.values().iterator(); it.hasNext(); ) {
        StoredSecret s = it.next();
        if (s.arn.equals(id) || s.arn.substring(0, s.arn.length() - 7).equals(id)) {
          return s;
        }
      }
    }
    return null;
  }

  private static String text(JsonNode request, String member, boolean required) {
    JsonNode node = request.get(member);
    if (node == null || node.isNull()) {
      if (required) {
        throw new AwsError(
            "InvalidParameterException", "The parameter " + member + " is required.");
      }
      return null;
    }
    if (!node.isTextual() || node.textValue().isEmpty()) {
      throw new AwsError("InvalidParameterException", "The parameter " + member + " is not valid.");
    }
    return node.textValue();
  }

  private static byte[] binary(JsonNode request) {
    String encoded = text(request, "SecretBinary", false);
    if (encoded == null) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new AwsError("SerializationException", "SecretBinary is not valid base64");
    }
  }

  private static BigDecimal epochSeconds(Instant instant) {
    return BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3);
  }
}
