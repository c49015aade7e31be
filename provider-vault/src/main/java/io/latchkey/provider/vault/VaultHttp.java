package io.latchkey.provider.vault;

import static java.util.Objects.requireNonNull;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigReport;
import io.latchkey.spi.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
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
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTP exchanges with Vault: builds the request with the token and namespace headers, makes one
 * attempt (the JDK itself sends a {@code GET} again, once, when the connection fails before any
 * answer, as a kept-alive connection the server has closed does), and turns transport failures into
 * {@link ProviderException}s. {@link #send} waits for the answer; {@link #start} does not, so that
 * a read can be on its way while the mount look-up it may depend on is. Status codes are left to
 * the caller, which knows what a 404 means for its endpoint.
 *
 * <p>Each exchange is an HTTP/1.1 request on {@link HttpURLConnection}, run on a thread of the
 * executor the provider owns: {@code java.base} already holds that client, where the JDK's {@code
 * java.net.http} client costs a fresh JVM about half a second of CPU (its module, its selector
 * thread, its asynchronous pipeline) before the first answer, and {@link HttpURLConnection} keeps
 * idle connections for the next request. Concurrent requests use a connection each.
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
  private final Executor executor;
  private final SSLSocketFactory tls;
  // Read once by each request: a resolver's per-attempt time-out may shorten it after build. It
  // bounds connecting, each read, and (in await) the whole exchange.
  private volatile Duration timeout;
  private final Set<Exchange> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * Sends on {@code executor}'s threads, which {@link VaultClientFactory} owns.
   *
   * @param tls the TLS socket factory for {@code https}, or null for the JDK's default
   */
  VaultHttp(
      URI address, String namespace, Duration timeout, Executor executor, SSLSocketFactory tls) {
    String text = address.toString();
    this.shown = ConfigReport.maskUrls(text);
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.namespace = namespace;
    this.timeout = timeout;
    this.executor = requireNonNull(executor, "executor");
    this.tls = tls;
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
    private final String method;
    private final String path;
    private final String query;
    private final Duration timeout;
    private final long deadline;
    private final CompletableFuture<Response> answer = new CompletableFuture<>();
    // Set by the thread that runs the exchange, so that cancel() can close its socket: a thread
    // blocked reading a socket does not see an interrupt.
    private volatile HttpURLConnection connection;

    private Exchange(
        SecretRef subject, String method, String path, String query, Duration timeout) {
      this.subject = subject;
      this.method = method;
      this.path = path;
      this.query = query;
      this.timeout = timeout;
      this.deadline = System.nanoTime() + timeout.toNanos();
    }

    /** Whether this exchange is the GET of {@code path} with {@code query}. */
    boolean asks(String path, String query) {
      return method.equals("GET") && this.path.equals(path) && Objects.equals(this.query, query);
    }

    /** Drops the exchange: its answer, if one comes, is never read, and its connection closes. */
    void cancel() {
      answer.cancel(false);
      abort();
      inFlight.remove(this);
    }

    private void abort() {
      HttpURLConnection c = connection;
      if (c != null) {
        c.disconnect();
      }
    }

    /** Milliseconds left before the deadline, at least 1 (0 would mean no time-out). */
    private int millisLeft() throws SocketTimeoutException {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw new SocketTimeoutException("the deadline passed before the request was sent");
      }
      return (int) Math.min(Integer.MAX_VALUE, left);
    }

    @Override
    public String toString() {
      return "Exchange[" + method + " " + path + "]";
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
    if (closed) {
      throw closed();
    }
    URL url;
    try {
      url = new URL(base + "/v1/" + path + (query == null ? "" : "?" + query));
    } catch (MalformedURLException e) {
      // The address was checked when built and the path is percent-encoded: a bug if it happens.
      throw new IllegalStateException("cannot form the request URL", e);
    }
    Exchange exchange = new Exchange(subject, method, path, query, timeout);
    inFlight.add(exchange);
    try {
      executor.execute(() -> run(exchange, url, body, token));
    } catch (RejectedExecutionException e) {
      inFlight.remove(exchange);
      throw closed();
    }
    if (closed) {
      // Closed between the check above and here: close() may have missed this exchange.
      exchange.cancel();
    }
    return exchange;
  }

  /** Runs one exchange on an executor thread and completes its answer. */
  private void run(Exchange x, URL url, byte[] body, String token) {
    HttpURLConnection c = null;
    try {
      if (x.answer.isDone()) {
        return; // cancelled before it started
      }
      // No proxy, as before: the token goes to the configured address and nowhere else.
      c = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
      x.connection = c;
      if (x.answer.isDone()) {
        return; // cancelled while it was being opened; cancel() may have missed the connection
      }
      if (tls != null && c instanceof HttpsURLConnection) {
        ((HttpsURLConnection) c).setSSLSocketFactory(tls);
      }
      // A redirect would carry the token to an address nobody configured (a standby node names
      // the active one); it is reported instead.
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      int left = x.millisLeft();
      c.setConnectTimeout(left);
      c.setReadTimeout(left);
      c.setRequestMethod(x.method);
      c.setRequestProperty("Accept", "application/json");
      // What the Vault CLI sends; Vault Agent and Proxy may require it.
      c.setRequestProperty("X-Vault-Request", "true");
      if (token != null) {
        c.setRequestProperty("X-Vault-Token", token);
      }
      if (namespace != null) {
        c.setRequestProperty("X-Vault-Namespace", namespace);
      }
      if (body != null) {
        c.setRequestProperty("Content-Type", "application/json");
        c.setDoOutput(true);
        // Streamed with its length: the JDK then never re-sends the body on its own.
        c.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = c.getOutputStream()) {
          out.write(body);
        }
      }
      int status = c.getResponseCode();
      if (status < 0) {
        throw new IOException("the answer is not HTTP");
      }
      // The remaining time bounds each read of the body too; await bounds the whole.
      c.setReadTimeout(x.millisLeft());
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      byte[] bytes;
      try (InputStream stream = in) {
        // Read to its end and closed, the connection goes back to the JDK's pool of idle ones.
        bytes = CappedBody.read(stream, c.getContentLengthLong(), MAX_BODY_BYTES);
      }
      x.answer.complete(new Response(status, bytes));
    } catch (IOException | RuntimeException e) {
      if (c != null) {
        // Never hand a half-read connection back to the pool.
        c.disconnect();
      }
      x.answer.completeExceptionally(e);
    } finally {
      x.connection = null;
      if (x.answer.isCancelled() && c != null) {
        c.disconnect();
      }
    }
  }

  /** Waits for a started exchange's answer until its deadline. */
  Response await(Exchange exchange) {
    SecretRef subject = exchange.subject;
    Duration timeout = exchange.timeout;
    try {
      long left = Math.max(0, exchange.deadline - System.nanoTime());
      return exchange.answer.get(left, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      exchange.cancel();
      throw VaultErrors.timedOut(subject, e, timeout);
    } catch (CancellationException e) {
      throw closed();
    } catch (ExecutionException e) {
      if (closed) {
        // close() aborted the exchange; whatever it failed with, the provider is closed.
        throw closed();
      }
      throw VaultErrors.transport(subject, e.getCause() == null ? e : e.getCause(), shown, timeout);
    } catch (InterruptedException e) {
      exchange.cancel();
      Thread.currentThread().interrupt();
      throw new ProviderException(
          subject, Kind.TIMEOUT, "interrupted while waiting for Vault at " + shown);
    } finally {
      inFlight.remove(exchange);
    }
  }

  private static IllegalStateException closed() {
    return new IllegalStateException("the vault provider is closed");
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Aborts the exchanges in flight (their callers get {@link IllegalStateException}, their
   * connections close); the executor is {@link VaultClientFactory}'s to stop.
   */
  @Override
  public void close() {
    closed = true;
    for (Exchange x : inFlight) {
      x.cancel();
    }
  }

  @Override
  public String toString() {
    return "VaultHttp[" + shown + "]";
  }
}
