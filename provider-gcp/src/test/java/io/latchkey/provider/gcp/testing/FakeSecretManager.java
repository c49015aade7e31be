package io.latchkey.provider.gcp.testing;

import static java.util.Objects.requireNonNull;

import com.google.cloud.secretmanager.v1.AccessSecretVersionRequest;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.GetSecretVersionRequest;
import com.google.cloud.secretmanager.v1.SecretManagerServiceGrpc;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.rpc.ErrorInfo;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * A GCP Secret Manager for tests: a real gRPC server on {@code 127.0.0.1} and an ephemeral port,
 * speaking the {@code google.cloud.secretmanager.v1.SecretManagerService} protocol over plaintext
 * HTTP/2, as the official client does against {@code LATCHKEY_GCP_ENDPOINT} with {@code
 * LATCHKEY_GCP_PLAINTEXT=true}.
 *
 * <pre>{@code
 * try (FakeSecretManager gcp = FakeSecretManager.start();
 *     GcpSecretProvider provider = GcpSecretProvider.fromEnvironment(gcp.environment())) {
 *   gcp.addVersion("db", "{\"password\":\"pw\"}".getBytes(UTF_8));
 *   provider.fetch(SecretRef.parse("gcp:db#password"));
 * }
 * }</pre>
 *
 * <h2>What it serves</h2>
 *
 * <ul>
 *   <li>{@code AccessSecretVersion} and {@code GetSecretVersion}, with resource names {@code
 *       projects/P[/locations/L]/secrets/S/versions/V}, where {@code P} is a project id or its
 *       number, and {@code V} is a version number, {@code latest} (the most recently created
 *       version, whatever its state) or an alias. Responses name the version with the project's
 *       number, as Secret Manager does ({@code projects/123456789012/secrets/db/versions/3});
 *   <li>payloads with {@code data} and {@code data_crc32c} (CRC32C), which can be left out (as for
 *       versions written before checksums) or corrupted;
 *   <li>version states: {@code ENABLED}, {@code DISABLED} and {@code DESTROYED}; accessing a
 *       version that is not enabled fails with {@code FAILED_PRECONDITION}, while {@code
 *       GetSecretVersion} still returns its metadata;
 *   <li>the service's status codes and descriptions: {@code NOT_FOUND} for a missing secret or
 *       version, {@code INVALID_ARGUMENT} for a malformed name, {@code UNIMPLEMENTED} for the
 *       methods it does not serve, and {@code google.rpc.ErrorInfo} details on injected permission
 *       and quota errors.
 * </ul>
 *
 * <h2>Test controls</h2>
 *
 * <p>{@link #latency(Duration)} delays every answer without holding a thread, so concurrent
 * requests overlap; {@link #fail(Failure)} and its variants inject failures for every request, the
 * next N, one secret or one method; {@link #requests(String)} counts requests per method. Requests
 * are handled on a pool of threads, and {@link #close()} stops every thread the server started.
 *
 * <p>Thread-safe.
 */
public final class FakeSecretManager implements AutoCloseable {
  /** The default project's id. */
  private static final String DEFAULT_PROJECT = "test-project";

  private static final long FIRST_PROJECT_NUMBER = 123456789012L;
  private static final Pattern VERSION_NAME =
      Pattern.compile("projects/([^/]+)(/locations/[^/]+)?/secrets/([^/]+)/versions/([^/]+)");
  private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]{0,17}");
  private static final AtomicInteger SERVERS = new AtomicInteger();
  // Marks an error the server sends after its response headers, as when an answer fails midway.
  private static final Metadata.Key<String> HEADERS_FIRST =
      Metadata.Key.of("x-fake-headers-first", Metadata.ASCII_STRING_MARSHALLER);

  /** A failure the server can be told to answer with. */
  public enum Failure {
    /** {@code PERMISSION_DENIED}, with an {@code IAM_PERMISSION_DENIED} error info. */
    PERMISSION_DENIED,
    /** {@code UNAUTHENTICATED}: the credentials were rejected. */
    UNAUTHENTICATED,
    /** {@code RESOURCE_EXHAUSTED}, with a {@code RATE_LIMIT_EXCEEDED} error info. */
    RESOURCE_EXHAUSTED,
    /**
     * {@code RESOURCE_EXHAUSTED} without an error info, sent after the response headers and
     * described as gRPC describes its own refusal of a large message: a status only its origin
     * tells from that refusal.
     */
    QUOTA_WITHOUT_DETAILS,
    /** {@code UNAVAILABLE}: the service is down. */
    UNAVAILABLE,
    /** {@code INTERNAL}: a server error. */
    INTERNAL,
    /** {@code INVALID_ARGUMENT}: the request was rejected. */
    INVALID_ARGUMENT,
    /** No answer at all, until the client's deadline or cancellation ends the call. */
    HANG,
    /**
     * A well-formed message with wrong content: a response that names no secret version, with a
     * payload whose checksum does not match.
     */
    GARBAGE
  }

  private static final class Version {
    final long number;
    final Instant created;
    byte[] data;
    SecretVersion.State state = SecretVersion.State.ENABLED;
    Instant destroyed;

    Version(long number, byte[] data, Instant created) {
      this.number = number;
      this.data = data;
      this.created = created;
    }
  }

  private static final class StoredSecret {
    final List<Version> versions = new ArrayList<>();
    final Map<String, Long> aliases = new HashMap<>();
  }

  private static final class Rule {
    final Failure failure;
    final String secret;
    final String method;
    final AtomicInteger remaining;

    Rule(Failure failure, String secret, String method, int times) {
      this.failure = failure;
      this.secret = secret;
      this.method = method;
      this.remaining = times < 0 ? null : new AtomicInteger(times);
    }

    boolean applies(String method, String secret) {
      if ((this.secret != null && !this.secret.equals(secret))
          || (this.method != null && !this.method.equals(method))) {
        return false;
      }
      if (remaining == null) {
        return true;
      }
      return remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }
  }

  private final AtomicInteger hung = new AtomicInteger();
  private final AtomicLong hungCalls = new AtomicLong();
  private final Server server;
  private final NioEventLoopGroup boss;
  private final NioEventLoopGroup workers;
  private final ExecutorService executor;
  private final ScheduledExecutorService timer;
  private final Map<String, Long> projectNumbers = new ConcurrentHashMap<>();
  private final Map<String, StoredSecret> secrets = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private volatile Duration latency = Duration.ZERO;

  /** Answers held by {@link #gatherAnswers(int)}; guards {@link #gather} too. */
  private final List<Runnable> gathered = new ArrayList<>();

  private int gather;
  private volatile boolean corruptChecksums;
  private volatile boolean omitChecksums;
  private volatile boolean unparsable;
  private volatile boolean compressed;
  private volatile String errorExtra = "";

  private FakeSecretManager() throws IOException {
    int id = SERVERS.incrementAndGet();
    projectNumbers.put(DEFAULT_PROJECT, FIRST_PROJECT_NUMBER);
    boss = new NioEventLoopGroup(1, threads("fake-secretmanager-" + id + "-boss"));
    workers = new NioEventLoopGroup(2, threads("fake-secretmanager-" + id + "-io"));
    executor =
        new ThreadPoolExecutor(
            8,
            8,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            threads("fake-secretmanager-" + id + "-handler"));
    ScheduledThreadPoolExecutor scheduler =
        new ScheduledThreadPoolExecutor(1, threads("fake-secretmanager-" + id + "-timer"));
    scheduler.setRemoveOnCancelPolicy(true);
    timer = scheduler;
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers)
            .channelType(NioServerSocketChannel.class)
            .executor(executor)
            .addService(
                ServerInterceptors.intercept(
                    ServerInterceptors.useInputStreamMessages(
                        ServerInterceptors.intercept(new Service(), new Counter())),
                    new Garbler()))
            .build()
            .start();
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Starts a server on {@code 127.0.0.1} and an ephemeral port.
   *
   * @return the running server, which the caller closes
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static FakeSecretManager start() {
    try {
      return new FakeSecretManager();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fake Secret Manager", e);
    }
  }

  /**
   * Returns the address clients connect to.
   *
   * @return {@code 127.0.0.1:PORT}
   */
  public String target() {
    return "127.0.0.1:" + server.getPort();
  }

  /**
   * Returns the default project's id, which {@link #environment()} names.
   *
   * @return {@code test-project}
   */
  public String project() {
    return DEFAULT_PROJECT;
  }

  /**
   * Returns the number the server gives a project in the names it returns.
   *
   * @param project a project id
   * @return its number; the default project's is {@code 123456789012}
   */
  public long projectNumber(String project) {
    requireNonNull(project, "project");
    return projectNumbers.computeIfAbsent(
        project, p -> FIRST_PROJECT_NUMBER + projectNumbers.size());
  }

  /**
   * Returns the settings that point the {@code gcp} provider at this server.
   *
   * @return {@code GOOGLE_CLOUD_PROJECT}, {@code LATCHKEY_GCP_ENDPOINT} and {@code
   *     LATCHKEY_GCP_PLAINTEXT=true}
   */
  public Map<String, String> environment() {
    return Map.of(
        "GOOGLE_CLOUD_PROJECT",
        DEFAULT_PROJECT,
        "LATCHKEY_GCP_ENDPOINT",
        target(),
        "LATCHKEY_GCP_PLAINTEXT",
        "true");
  }

  /**
   * Adds a version to a secret of the default project, creating the secret if needed.
   *
   * @param secret the secret id
   * @param data the payload; copied
   * @return the new version's number, 1 for a new secret
   */
  public long addVersion(String secret, byte[] data) {
    return addVersion(DEFAULT_PROJECT, secret, data);
  }

  /**
   * Adds a version to a secret, creating the secret if needed.
   *
   * @param project the project id
   * @param secret the secret id
   * @param data the payload; copied
   * @return the new version's number, 1 for a new secret
   */
  public long addVersion(String project, String secret, byte[] data) {
    requireNonNull(data, "data");
    projectNumber(project);
    StoredSecret s = secrets.computeIfAbsent(key(project, secret), k -> new StoredSecret());
    synchronized (s) {
      long number = s.versions.size() + 1L;
      s.versions.add(new Version(number, data.clone(), Instant.now()));
      return number;
    }
  }

  /**
   * Adds a version to a regional secret of the default project ({@code
   * projects/P/locations/L/secrets/S}), creating the secret if needed.
   *
   * @param location the location, such as {@code us-central1}
   * @param secret the secret id
   * @param data the payload; copied
   * @return the new version's number, 1 for a new secret
   */
  public long addRegionalVersion(String location, String secret, byte[] data) {
    requireNonNull(location, "location");
    requireNonNull(data, "data");
    StoredSecret s =
        secrets.computeIfAbsent(
            key(DEFAULT_PROJECT + "/locations/" + location, secret), k -> new StoredSecret());
    synchronized (s) {
      long number = s.versions.size() + 1L;
      s.versions.add(new Version(number, data.clone(), Instant.now()));
      return number;
    }
  }

  /**
   * Disables a version of a secret of the default project: it can no longer be accessed.
   *
   * @param secret the secret id
   * @param version the version number
   */
  public void disableVersion(String secret, long version) {
    changeState(secret, version, SecretVersion.State.DISABLED);
  }

  /**
   * Enables a disabled version of a secret of the default project again.
   *
   * @param secret the secret id
   * @param version the version number
   * @throws IllegalStateException if the version is destroyed
   */
  public void enableVersion(String secret, long version) {
    changeState(secret, version, SecretVersion.State.ENABLED);
  }

  /**
   * Destroys a version of a secret of the default project: its data is gone for good.
   *
   * @param secret the secret id
   * @param version the version number
   */
  public void destroyVersion(String secret, long version) {
    changeState(secret, version, SecretVersion.State.DESTROYED);
  }

  private void changeState(String secret, long number, SecretVersion.State state) {
    StoredSecret s = stored(DEFAULT_PROJECT, secret);
    synchronized (s) {
      Version v = version(s, number, secret);
      if (v.state == SecretVersion.State.DESTROYED && state != SecretVersion.State.DESTROYED) {
        throw new IllegalStateException("version " + number + " of " + secret + " is destroyed");
      }
      v.state = state;
      if (state == SecretVersion.State.DESTROYED) {
        v.data = null;
        v.destroyed = Instant.now();
      }
    }
  }

  /**
   * Points a version alias of a secret of the default project at a version, as {@code gcloud
   * secrets update --update-version-aliases} does.
   *
   * @param secret the secret id
   * @param alias the alias: a letter, then letters, digits, '-' or '_'
   * @param version the version number
   */
  public void alias(String secret, String alias, long version) {
    requireNonNull(alias, "alias");
    StoredSecret s = stored(DEFAULT_PROJECT, secret);
    synchronized (s) {
      version(s, version, secret);
      s.aliases.put(alias, version);
    }
  }

  private StoredSecret stored(String project, String secret) {
    StoredSecret s = secrets.get(key(project, secret));
    if (s == null) {
      throw new IllegalArgumentException("no secret " + secret + " in " + project);
    }
    return s;
  }

  private static Version version(StoredSecret s, long number, String secret) {
    if (number < 1 || number > s.versions.size()) {
      throw new IllegalArgumentException("no version " + number + " of " + secret);
    }
    return s.versions.get((int) number - 1);
  }

  /**
   * Makes every payload's {@code data_crc32c} wrong (or right again).
   *
   * @param corrupt whether to corrupt checksums
   */
  public void corruptChecksums(boolean corrupt) {
    this.corruptChecksums = corrupt;
  }

  /**
   * Leaves {@code data_crc32c} out of payloads, as for versions written before checksums.
   *
   * @param omit whether to omit checksums
   */
  public void omitChecksums(boolean omit) {
    this.omitChecksums = omit;
  }

  /**
   * Sets a delay added to every answer; the delay holds no thread, so concurrent requests overlap.
   *
   * @param latency zero for none
   */
  public void latency(Duration latency) {
    requireNonNull(latency, "latency");
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative");
    }
    this.latency = latency;
  }

  /**
   * Answers every request with a failure, until {@link #clearFailures()}.
   *
   * @param failure the failure
   */
  public void fail(Failure failure) {
    rules.add(new Rule(requireNonNull(failure, "failure"), null, null, -1));
  }

  /**
   * Answers the next requests with a failure.
   *
   * @param failure the failure
   * @param times how many requests fail
   */
  public void fail(Failure failure, int times) {
    if (times < 0) {
      throw new IllegalArgumentException("times must not be negative");
    }
    rules.add(new Rule(requireNonNull(failure, "failure"), null, null, times));
  }

  /**
   * Answers every request for one secret (by id, in any project) with a failure, until {@link
   * #clearFailures()}.
   *
   * @param secret the secret id
   * @param failure the failure
   */
  public void failSecret(String secret, Failure failure) {
    requireNonNull(secret, "secret");
    rules.add(new Rule(requireNonNull(failure, "failure"), secret, null, -1));
  }

  /**
   * Answers every request to one method with a failure, until {@link #clearFailures()}.
   *
   * @param method the method, such as {@code GetSecretVersion}
   * @param failure the failure
   */
  public void failMethod(String method, Failure failure) {
    requireNonNull(method, "method");
    rules.add(new Rule(requireNonNull(failure, "failure"), null, method, -1));
  }

  /** Removes every injected failure. */
  public void clearFailures() {
    rules.clear();
  }

  /**
   * Appends a text to the description of every error status the server sends, as a careless backend
   * might echo a request; tests use it to check that clients never copy descriptions.
   *
   * @param text the text, or empty for none
   */
  public void echoInErrors(String text) {
    this.errorExtra = requireNonNull(text, "text");
  }

  /**
   * Counts the requests a method has received, failed ones included.
   *
   * @param method the method's name, such as {@code AccessSecretVersion}
   * @return the count since the server started
   */
  public long requests(String method) {
    AtomicLong n = requests.get(requireNonNull(method, "method"));
    return n == null ? 0 : n.get();
  }

  /**
   * Counts the calls {@link Failure#HANG} holds now; a call leaves when its client cancels it or
   * its deadline passes, so this drops back once a client has abandoned its call.
   *
   * @return the count
   */
  public int hung() {
    return hung.get();
  }

  /**
   * Counts the calls {@link Failure#HANG} has held since the server started, ended ones included.
   *
   * @return the count
   */
  public long hungCalls() {
    return hungCalls.get();
  }

  /**
   * Waits until {@link Failure#HANG} holds no call any more: every client has abandoned its call.
   *
   * @param atMost an upper bound on the wait, so that a broken test fails instead of hanging
   * @return true if no call is held, false if the bound passed first
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitNoHungCall(Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    synchronized (hung) {
      while (hung.get() != 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(hung, left);
      }
      return true;
    }
  }

  /**
   * Waits until a method has received at least a number of requests.
   *
   * @param method the method's name, such as {@code AccessSecretVersion}
   * @param count how many
   * @param atMost an upper bound on the wait, so that a broken test fails instead of hanging
   * @return true if that many arrived, false if the bound passed first
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitRequests(String method, long count, Duration atMost)
      throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    synchronized (requests) {
      while (requests(method) < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(requests, left);
      }
      return true;
    }
  }

  /**
   * Makes every successful answer a frame that does not parse as the response message (a field
   * whose declared length runs past the end), until turned off: what a client does with a garbage
   * frame.
   *
   * @param on whether to send such frames
   */
  public void unparsableAnswers(boolean on) {
    this.unparsable = on;
  }

  /**
   * Sends every answer gzip-compressed (when the client accepts gzip, as gRPC clients do), until
   * turned off: a large payload then crosses the wire in a few bytes.
   *
   * @param on whether to compress answers
   */
  public void compressAnswers(boolean on) {
    this.compressed = on;
  }

  /**
   * Stops the server, cancels calls in progress, and stops every thread it started, waiting for
   * them. Idempotent.
   */
  @Override
  public void close() {
    server.shutdownNow();
    boolean interrupted = false;
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    timer.shutdownNow();
    executor.shutdownNow();
    // Awaited below, through the executors' own termination.
    var unusedBoss = boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    var unusedWorkers = workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
      executor.awaitTermination(5, TimeUnit.SECONDS);
      boss.terminationFuture().await(5, TimeUnit.SECONDS);
      workers.terminationFuture().await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "FakeSecretManager[" + target() + "]";
  }

  private static String key(String project, String secret) {
    return requireNonNull(project, "project") + "/" + requireNonNull(secret, "secret");
  }

  /** Counts requests by method, before anything else can fail them. */
  private final class Counter implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      requests
          .computeIfAbsent(call.getMethodDescriptor().getBareMethodName(), m -> new AtomicLong())
          .incrementAndGet();
      synchronized (requests) {
        requests.notifyAll();
      }
      return next.startCall(call, headers);
    }
  }

  /**
   * Replaces answers with bytes that do not parse, while {@link #unparsableAnswers} is on, and
   * compresses them while {@link #compressAnswers} is on.
   */
  private final class Garbler implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      return next.startCall(
          new io.grpc.ForwardingServerCall.SimpleForwardingServerCall<Q, R>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
              if (compressed) {
                super.setCompression("gzip");
                super.setMessageCompression(true);
              }
              super.sendHeaders(responseHeaders);
            }

            @Override
            public void close(Status status, Metadata trailers) {
              if (trailers.containsKey(HEADERS_FIRST)) {
                trailers.discardAll(HEADERS_FIRST);
                super.sendHeaders(new Metadata());
              }
              super.close(status, trailers);
            }

            @Override
            @SuppressWarnings("unchecked")
            public void sendMessage(R message) {
              if (unparsable) {
                // Field 1 (name), length-delimited, declaring 100 bytes of which 2 follow.
                message = (R) new java.io.ByteArrayInputStream(new byte[] {0x0A, 100, 'x', 'y'});
              }
              super.sendMessage(message);
            }
          },
          headers);
    }
  }

  /** A version name, resolved. */
  private record Resolved(String canonicalName, String secret, Version version) {}

  private final class Service extends SecretManagerServiceGrpc.SecretManagerServiceImplBase {
    @Override
    public void accessSecretVersion(
        AccessSecretVersionRequest request, StreamObserver<AccessSecretVersionResponse> observer) {
      String method = "AccessSecretVersion";
      handle(
          method,
          request.getName(),
          observer,
          (resolved, failure) -> {
            if (failure == Failure.GARBAGE) {
              return AccessSecretVersionResponse.newBuilder()
                  .setName("garbage")
                  .setPayload(payload(new byte[] {1, 2, 3}, true))
                  .build();
            }
            Version v = resolved.version();
            byte[] data;
            synchronized (secrets.get(resolved.secret())) {
              if (v.state != SecretVersion.State.ENABLED) {
                throw error(
                    Status.FAILED_PRECONDITION,
                    "Secret Version ["
                        + resolved.canonicalName()
                        + "] is in "
                        + v.state
                        + " state.");
              }
              data = v.data;
            }
            return AccessSecretVersionResponse.newBuilder()
                .setName(resolved.canonicalName())
                .setPayload(payload(data, corruptChecksums))
                .build();
          });
    }

    @Override
    public void getSecretVersion(
        GetSecretVersionRequest request, StreamObserver<SecretVersion> observer) {
      handle(
          "GetSecretVersion",
          request.getName(),
          observer,
          (resolved, failure) -> {
            if (failure == Failure.GARBAGE) {
              return SecretVersion.newBuilder()
                  .setName("garbage")
                  .setState(SecretVersion.State.ENABLED)
                  .build();
            }
            Version v = resolved.version();
            synchronized (secrets.get(resolved.secret())) {
              SecretVersion.Builder b =
                  SecretVersion.newBuilder()
                      .setName(resolved.canonicalName())
                      .setCreateTime(timestamp(v.created))
                      .setState(v.state)
                      .setEtag(
                          "\""
                              + Long.toHexString(v.created.toEpochMilli())
                              + v.state.getNumber()
                              + "\"");
              if (v.destroyed != null) {
                b.setDestroyTime(timestamp(v.destroyed));
              }
              return b.build();
            }
          });
    }
  }

  private interface Answer<R> {
    R answer(Resolved resolved, Failure failure);
  }

  private <R> void handle(
      String method, String name, StreamObserver<R> observer, Answer<R> answer) {
    R response;
    try {
      Matcher m = VERSION_NAME.matcher(name);
      String secretId = m.matches() ? m.group(3) : null;
      Failure failure = injected(method, secretId);
      if (failure == Failure.HANG) {
        if (observer instanceof ServerCallStreamObserver<R> call) {
          hung.incrementAndGet();
          hungCalls.incrementAndGet();
          call.setOnCancelHandler(
              () -> {
                synchronized (hung) {
                  hung.decrementAndGet();
                  hung.notifyAll();
                }
              });
        }
        return; // No answer: the client's deadline (or close()) ends the call.
      }
      if (failure == Failure.GARBAGE) {
        response = answer.answer(null, failure);
      } else if (failure != null) {
        throw injectedError(failure, method, name);
      } else {
        response = answer.answer(resolve(m), null);
      }
    } catch (StatusRuntimeException e) {
      deliver(() -> observer.onError(e));
      return;
    }
    R answered = response;
    deliver(
        () -> {
          observer.onNext(answered);
          observer.onCompleted();
        });
  }

  /**
   * Holds every answer until {@code count} answers are waiting, then sends them all: a test that
   * gets all its answers back has proved that that many calls were in flight at once.
   *
   * @param count how many answers to gather; 0 to send each at once again
   */
  public void gatherAnswers(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    synchronized (gathered) {
      gather = count;
    }
  }

  private void deliver(Runnable action) {
    List<Runnable> ready = null;
    synchronized (gathered) {
      if (gather > 0) {
        gathered.add(action);
        if (gathered.size() < gather) {
          return;
        }
        ready = new ArrayList<>(gathered);
        gathered.clear();
      }
    }
    if (ready != null) {
      ready.forEach(Runnable::run);
      return;
    }
    Duration delay = latency;
    if (delay.isZero()) {
      action.run();
    } else {
      // The action answers the call itself; nothing waits on the schedule.
      var unused = timer.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private Failure injected(String method, String secret) {
    for (Rule rule : rules) {
      if (rule.applies(method, secret)) {
        return rule.failure;
      }
    }
    return null;
  }

  private Resolved resolve(Matcher m) {
    if (!m.matches()) {
      throw error(Status.INVALID_ARGUMENT, "Invalid resource field value in the request.");
    }
    String project = m.group(1);
    String location = m.group(2) == null ? "" : m.group(2);
    String secretId = m.group(3);
    String wanted = m.group(4);
    String projectId = projectId(project);
    String secretName =
        "projects/"
            + (projectId == null ? project : projectNumbers.get(projectId))
            + location
            + "/secrets/"
            + secretId;
    String storeKey = projectId == null ? null : key(projectId + location, secretId);
    StoredSecret s = storeKey == null ? null : secrets.get(storeKey);
    if (s == null) {
      throw error(Status.NOT_FOUND, "Secret [" + secretName + "] not found or has no versions.");
    }
    synchronized (s) {
      Version v;
      if (wanted.equals("latest")) {
        if (s.versions.isEmpty()) {
          throw error(
              Status.NOT_FOUND, "Secret [" + secretName + "] not found or has no versions.");
        }
        v = s.versions.get(s.versions.size() - 1);
      } else if (NUMBER.matcher(wanted).matches()) {
        long number = Long.parseLong(wanted);
        if (number > s.versions.size()) {
          throw error(
              Status.NOT_FOUND,
              "Secret Version [" + secretName + "/versions/" + wanted + "] not found.");
        }
        v = s.versions.get((int) number - 1);
      } else {
        Long number = s.aliases.get(wanted);
        if (number == null) {
          throw error(
              Status.NOT_FOUND,
              "Secret Version [" + secretName + "/versions/" + wanted + "] not found.");
        }
        v = s.versions.get((int) (long) number - 1);
      }
      return new Resolved(secretName + "/versions/" + v.number, storeKey, v);
    }
  }

  /** Returns the id of a project named by id or number, or {@code null} if it is unknown. */
  private String projectId(String project) {
    if (projectNumbers.containsKey(project)) {
      return project;
    }
    for (Map.Entry<String, Long> e : projectNumbers.entrySet()) {
      if (e.getValue().toString().equals(project)) {
        return e.getKey();
      }
    }
    return null;
  }

  private SecretPayload payload(byte[] data, boolean corrupt) {
    SecretPayload.Builder b = SecretPayload.newBuilder().setData(ByteString.copyFrom(data));
    if (!omitChecksums) {
      CRC32C crc = new CRC32C();
      crc.update(data);
      b.setDataCrc32C(corrupt ? crc.getValue() ^ 1 : crc.getValue());
    }
    return b.build();
  }

  private StatusRuntimeException error(Status status, String description) {
    return status.withDescription(description + errorExtra).asRuntimeException();
  }

  private StatusRuntimeException injectedError(Failure failure, String method, String name) {
    switch (failure) {
      case PERMISSION_DENIED:
        String permission =
            method.equals("AccessSecretVersion")
                ? "secretmanager.versions.access"
                : "secretmanager.versions.get";
        return withInfo(
            com.google.rpc.Code.PERMISSION_DENIED,
            "Permission '"
                + permission
                + "' denied for resource '"
                + name
                + "' (or it may not exist).",
            ErrorInfo.newBuilder()
                .setReason("IAM_PERMISSION_DENIED")
                .setDomain("iam.googleapis.com")
                .putMetadata("permission", permission)
                .putMetadata("resource", name)
                .build());
      case UNAUTHENTICATED:
        return error(
            Status.UNAUTHENTICATED,
            "Request had invalid authentication credentials. Expected OAuth 2 access token, login"
                + " cookie or other valid authentication credential.");
      case RESOURCE_EXHAUSTED:
        return withInfo(
            com.google.rpc.Code.RESOURCE_EXHAUSTED,
            "Quota exceeded for quota metric 'Access requests' and limit 'Access requests per"
                + " minute per project' of service 'secretmanager.googleapis.com'.",
            ErrorInfo.newBuilder()
                .setReason("RATE_LIMIT_EXCEEDED")
                .setDomain("googleapis.com")
                .putMetadata("service", "secretmanager.googleapis.com")
                .build());
      case QUOTA_WITHOUT_DETAILS:
        Metadata headersFirst = new Metadata();
        headersFirst.put(HEADERS_FIRST, "1");
        return Status.RESOURCE_EXHAUSTED
            .withDescription("gRPC message exceeds maximum size 1048576: 2097152" + errorExtra)
            .asRuntimeException(headersFirst);
      case UNAVAILABLE:
        return error(Status.UNAVAILABLE, "The service is currently unavailable.");
      case INTERNAL:
        return error(Status.INTERNAL, "Internal error encountered.");
      case INVALID_ARGUMENT:
        return error(Status.INVALID_ARGUMENT, "Invalid resource field value in the request.");
      default:
        throw new IllegalStateException("not an error status: " + failure);
    }
  }

  private StatusRuntimeException withInfo(
      com.google.rpc.Code code, String description, ErrorInfo info) {
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(code.getNumber())
            .setMessage(description + errorExtra)
            .addDetails(Any.pack(info))
            .build());
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }
}
