package io.latchkey.provider.vault;

import static java.util.Objects.requireNonNull;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigReport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * One HTTP exchange with Vault at a time per caller: builds the request with the token and
 * namespace headers, makes exactly one attempt, and turns transport failures into {@link
 * ProviderException}s. Status codes are left to the caller, which knows what a 404 means for its
 * endpoint.
 */
final class VaultHttp implements AutoCloseable {
  /**
   * The largest answer read, 1 MiB: a KV secret, a login or a mount look-up is a few KiB, and
   * Vault's own request limit (32 MiB) bounds what can be written, not what a read should cost.
   */
  static final long MAX_BODY_BYTES = 1024 * 1024;

  /** How long {@link #close()} waits for the provider's threads to end. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  /**
   * An answer from Vault; the body may hold a secret, so {@code toString()} shows its size only.
   */
  record Response(int status, byte[] body) {
    boolean ok() {
      return status == 200;
    }

    @Override
    public String toString() {
      return "Response[status=" + status + ", bytes=" + body.length + "]";
    }
  }

  private final URI address;
  // The address as messages show it: masked like every URL Latchkey prints, in case a path
  // carries what looks like a credential (the builder already refuses user info and queries).
  private final String shown;
  private final String base;
  private final String namespace;
  // Read once by each request: a resolver's per-attempt time-out may shorten it after build. The
  // client's connect time-out stays the built one, but the deadline on the whole exchange covers
  // connecting too.
  private volatile Duration timeout;
  private final ThreadPoolExecutor executor;
  private final DaemonThreads threads = new DaemonThreads("latchkey-vault-http-", true);
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
  // Dropped on close: on Java 17 the client's selector thread ends once the client is unreachable.
  private volatile HttpClient client;

  VaultHttp(URI address, String namespace, Duration timeout, SSLContext sslContext) {
    this.address = address;
    String text = address.toString();
    this.shown = ConfigReport.maskUrls(text);
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.namespace = namespace;
    this.timeout = timeout;
    // The client runs its asynchronous steps (and completes every exchange) on these threads,
    // which the provider owns and stops in close(). Unbounded, like the JDK's default, so that 50
    // concurrent reads never queue.
    this.executor =
        new ThreadPoolExecutor(
            0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), threads);
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .executor(executor)
            .connectTimeout(timeout)
            // A redirect would carry the token to an address nobody configured (a standby node
            // names the active one); it is reported instead.
            .followRedirects(HttpClient.Redirect.NEVER)
            // HTTP/2 over TLS (negotiated, Vault speaks it); plain HTTP/1.1 otherwise, which avoids
            // the h2c upgrade dance that Vault does not take part in.
            .version(
                "https".equals(address.getScheme())
                    ? HttpClient.Version.HTTP_2
                    : HttpClient.Version.HTTP_1_1);
    if (sslContext != null) {
      builder.sslContext(sslContext);
    }
    this.client = builder.build();
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
    HttpClient c = client;
    if (c == null) {
      throw closed();
    }
    Duration timeout = this.timeout;
    String uri = base + "/v1/" + path + (query == null ? "" : "?" + query);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(uri))
            // Covers the wait for the headers; the deadline below covers the body too.
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
    try {
      HttpResponse<byte[]> response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      byte[] bytes = response.body();
      return new Response(response.statusCode(), bytes == null ? new byte[0] : bytes);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw timedOut(subject, e, timeout);
    } catch (CancellationException e) {
      throw closed();
    } catch (ExecutionException e) {
      if (client == null) {
        // close() cancelled the exchange; whatever it failed with, the provider is closed.
        throw closed();
      }
      throw failure(subject, e.getCause() == null ? e : e.getCause());
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new ProviderException(
          subject, Kind.TIMEOUT, "interrupted while waiting for Vault at " + shown);
    } finally {
      inFlight.remove(future);
    }
  }

  private ProviderException timedOut(SecretRef subject, Exception cause, Duration timeout) {
    return new ProviderException(
        subject, Kind.TIMEOUT, "Vault did not answer within " + timeout, cause);
  }

  private static IllegalStateException closed() {
    return new IllegalStateException("the vault provider is closed");
  }

  /**
   * Maps a failed exchange. A body cut short (a reset connection, fewer bytes than Content-Length)
   * is a transport failure like any other I/O error: {@code UNAVAILABLE}, retried. Only an answer
   * that arrived whole and is wrong, or one over the size cap, is {@code MALFORMED_RESPONSE}.
   */
  private ProviderException failure(SecretRef subject, Throwable t) {
    if (find(t, CappedBody.TooLarge.class) != null) {
      return new ProviderException(
          subject,
          Kind.MALFORMED_RESPONSE,
          "Vault's answer is larger than " + MAX_BODY_BYTES / 1024 + " KiB, more than any secret");
    }
    if (find(t, SSLException.class) != null) {
      return new ProviderException(
          subject,
          Kind.OTHER,
          "the TLS handshake with Vault at "
              + shown
              + " failed: its certificate is not trusted (see VAULT_CACERT) or does not match"
              + " the host",
          t);
    }
    if (find(t, HttpTimeoutException.class) != null) {
      return timedOut(subject, (Exception) find(t, HttpTimeoutException.class), timeout);
    }
    if (find(t, ConnectException.class) != null) {
      return new ProviderException(
          subject, Kind.UNAVAILABLE, "cannot connect to Vault at " + shown, t);
    }
    if (find(t, IOException.class) != null) {
      return new ProviderException(
          subject,
          Kind.UNAVAILABLE,
          "I/O error talking to Vault at " + shown + " (" + t.getClass().getSimpleName() + ")",
          t);
    }
    return new ProviderException(
        subject,
        Kind.OTHER,
        "the request to Vault at " + shown + " failed (" + t.getClass().getSimpleName() + ")",
        t);
  }

  private static Throwable find(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return c;
      }
    }
    return null;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Cancels the exchanges in flight (their callers get {@link IllegalStateException}), stops the
   * client and its executor, and waits for the executor's threads to end.
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
    executor.shutdownNow();
    try {
      executor.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    threads.join(CLOSE_WAIT);
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
