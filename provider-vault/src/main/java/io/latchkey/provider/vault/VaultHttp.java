package io.latchkey.provider.vault;

import static java.util.Objects.requireNonNull;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigReport;
import io.latchkey.spi.JsonValue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP exchanges with Vault: builds the request with the token and namespace headers, makes exactly
 * one attempt, and turns transport failures into {@link ProviderException}s. {@link #send} waits
 * for the answer; {@link #start} does not, so that a read can be on its way while the mount look-up
 * it may depend on is. Status codes are left to the caller, which knows what a 404 means for its
 * endpoint.
 */
final class VaultHttp implements AutoCloseable {
  /**
   * The largest answer read, 1 MiB: a KV secret, a login or a mount look-up is a few KiB, and
   * Vault's own request limit (32 MiB) bounds what can be written, not what a read should cost.
   */
  static final long MAX_BODY_BYTES = 1024 * 1024;

  /**
   * An answer from Vault; the body may hold a secret, so {@code toString()} shows its size only.
   */
  record Response(int status, byte[] body) {
    boolean ok() {
      return status == 200;
    }

    /**
     * Reads the body as JSON, strictly: UTF-8 only, one I-JSON value.
     *
     * @throws IllegalArgumentException if it is not; the message never quotes the body
     */
    JsonValue json() {
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException("the answer is not UTF-8 text");
      }
      return JsonValue.parse(text);
    }

    @Override
    public String toString() {
      return "Response[status=" + status + ", bytes=" + body.length + "]";
    }
  }

  // The address as messages show it: masked like every URL Latchkey prints, in case a path
  // carries what looks like a credential (the builder already refuses user info and queries).
  private final String shown;
  private final String base;
  private final String namespace;
  // Read once by each request: a resolver's per-attempt time-out may shorten it after build. The
  // client's connect time-out stays the built one, but the deadline on the whole exchange covers
  // connecting too.
  private volatile Duration timeout;
  // By identity, which is a future's equality: each call adds and removes its own future.
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
  // Dropped on close: on Java 17 the client's selector thread ends once the client is unreachable.
  private volatile HttpClient client;

  /** Sends with {@code client}, which {@link VaultClientFactory} made on the executor it owns. */
  VaultHttp(URI address, String namespace, Duration timeout, HttpClient client) {
    String text = address.toString();
    this.shown = ConfigReport.maskUrls(text);
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.namespace = namespace;
    this.timeout = timeout;
    this.client = client;
  }

  /** Shortens the time-out of the requests sent from now on; a longer one is ignored. */
  synchronized void shorten(Duration shorter) {
    requireNonNull(shorter, "timeout");
    if (shorter.isNegative() || shorter.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    if (shorter.compareTo(timeout) < 0) {
      timeout = shorter;
    }
  }

  /** Returns the time-out of the requests sent from now on. */
  Duration timeout() {
    return timeout;
  }

  /** Returns how many exchanges this client is waiting on now. */
  int inFlight() {
    return inFlight.size();
  }

  /**
   * An exchange started and not yet awaited: what it asked for, so that a caller can tell whether
   * it is the request it needs.
   */
  final class Exchange {
    private final SecretRef subject;
    private final String path;
    private final String query;
    private final Duration timeout;
    private final long deadline;
    private final CompletableFuture<HttpResponse<byte[]>> future;

    private Exchange(
        SecretRef subject,
        String path,
        String query,
        Duration timeout,
        CompletableFuture<HttpResponse<byte[]>> future) {
      this.subject = subject;
      this.path = path;
      this.query = query;
      this.timeout = timeout;
      this.deadline = System.nanoTime() + timeout.toNanos();
      this.future = future;
    }

    /** Whether this exchange is the GET of {@code path} with {@code query}. */
    boolean asks(String path, String query) {
      return this.path.equals(path) && Objects.equals(this.query, query);
    }

    /** Drops the exchange: its answer, if one comes, is never read. */
    @SuppressWarnings("CollectionUndefinedEquality") // the set of futures is by identity on purpose
    void cancel() {
      future.cancel(true);
      inFlight.remove(future);
    }

    @Override
    public String toString() {
      return "Exchange[" + path + "]";
    }
  }

  /**
   * Sends one request and waits at most the time-out for the whole answer, body included.
   *
   * @param subject the reference the request serves, named in failures
   * @param method {@code GET} or {@code POST}
   * @param path the API path after {@code /v1/}, already percent-encoded
   * @param query the query string without {@code ?}, or null
   * @param body a JSON body, or null
   * @param token the Vault token, or null for a login
   */
  Response send(
      SecretRef subject, String method, String path, String query, byte[] body, String token) {
    return await(start(subject, method, path, query, body, token));
  }

  /**
   * Sends one request without waiting for it; {@link #await} reads its answer, {@link
   * Exchange#cancel} drops it. The time-out runs from now.
   */
  Exchange start(
      SecretRef subject, String method, String path, String query, byte[] body, String token) {
    HttpClient c = client;
    if (c == null) {
      throw closed();
    }
    Duration timeout = this.timeout;
    String uri = base + "/v1/" + path + (query == null ? "" : "?" + query);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(uri))
            // Covers the wait for the headers; the deadline in await covers the body too.
            .timeout(timeout)
            .header("Accept", "application/json")
            // What the Vault CLI sends; Vault Agent and Proxy may require it.
            .header("X-Vault-Request", "true");
    if (token != null) {
      request.header("X-Vault-Token", token);
    }
    if (namespace != null) {
      request.header("X-Vault-Namespace", namespace);
    }
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    }
    CompletableFuture<HttpResponse<byte[]>> future;
    try {
      future = c.sendAsync(request.build(), CappedBody.handler(MAX_BODY_BYTES));
    } catch (RejectedExecutionException | IllegalStateException e) {
      throw closed();
    }
    inFlight.add(future);
    if (client == null) {
      // Closed between the check above and here: close() may have missed this exchange.
      future.cancel(true);
    }
    return new Exchange(subject, path, query, timeout, future);
  }

  /** Waits for a started exchange's answer until its deadline. */
  @SuppressWarnings("CollectionUndefinedEquality") // the set of futures is by identity on purpose
  Response await(Exchange exchange) {
    CompletableFuture<HttpResponse<byte[]>> future = exchange.future;
    SecretRef subject = exchange.subject;
    Duration timeout = exchange.timeout;
    try {
      long left = Math.max(0, exchange.deadline - System.nanoTime());
      HttpResponse<byte[]> response = future.get(left, TimeUnit.NANOSECONDS);
      byte[] bytes = response.body();
      return new Response(response.statusCode(), bytes == null ? new byte[0] : bytes);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw VaultErrors.timedOut(subject, e, timeout);
    } catch (CancellationException e) {
      throw closed();
    } catch (ExecutionException e) {
      if (client == null) {
        // close() cancelled the exchange; whatever it failed with, the provider is closed.
        throw closed();
      }
      throw VaultErrors.transport(subject, e.getCause() == null ? e : e.getCause(), shown, timeout);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new ProviderException(
          subject, Kind.TIMEOUT, "interrupted while waiting for Vault at " + shown);
    } finally {
      inFlight.remove(future);
    }
  }

  private static IllegalStateException closed() {
    return new IllegalStateException("the vault provider is closed");
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Cancels the exchanges in flight (their callers get {@link IllegalStateException}) and stops the
   * client; its executor is {@link VaultClientFactory}'s to stop.
   */
  @Override
  public void close() {
    HttpClient c = client;
    client = null;
    for (CompletableFuture<?> f : inFlight) {
      f.cancel(true);
    }
    if (c != null) {
      shutdownNow(c);
    }
  }

  /**
   * Stops the client's own threads where the JDK can (Java 21 added {@code shutdownNow()}); on Java
   * 17 its selector thread ends by itself a few seconds after the client becomes unreachable, which
   * the per-request deadline guarantees once close() has cancelled every exchange.
   */
  private static void shutdownNow(HttpClient c) {
    try {
      HttpClient.class.getMethod("shutdownNow").invoke(c);
    } catch (NoSuchMethodException e) {
      // Java 17: nothing to call.
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Best effort; dropping the reference still lets the thread end.
    }
  }

  @Override
  public String toString() {
    return "VaultHttp[" + shown + "]";
  }
}
