package io.latchkey.provider.vault;

import static java.util.Objects.requireNonNull;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigReport;
import io.latchkey.spi.Http1Client;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

/**
 * HTTP exchanges with Vault: builds the request with the token and namespace headers, makes one
 * attempt (a {@code GET} on a kept-alive connection that turns out closed is sent once more on
 * another, see {@link Http1Client#exchange}), and turns transport failures into {@link
 * ProviderException}s. {@link #send} waits for the answer; {@link #start} does not, so that a read
 * can be on its way while the mount look-up it may depend on is. Status codes are left to the
 * caller, which knows what a 404 means for its endpoint.
 */
final class VaultHttp implements AutoCloseable {
  /**
   * The largest answer read, 1 MiB: a KV secret, a login or a mount look-up is a few KiB, and
   * Vault's own request limit (32 MiB) bounds what can be written, not what a read should cost.
   */
  static final long MAX_BODY_BYTES = 1024 * 1024;

  // The address as messages show it: masked like every URL Latchkey prints, in case a path
  // carries what looks like a credential (the builder already refuses user info and queries).
  private final String shown;
  private final String namespace;
  private final Executor executor;
  private final Http1Client client;
  // Read once by each request: a resolver's per-attempt time-out may shorten it after build. It
  // is the deadline of the whole exchange: connecting, the handshake and every read get what is
  // left of it.
  private volatile Duration timeout;
  private final Set<Exchange> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * Sends through {@code client} on {@code executor}'s threads, both of which {@link
   * VaultClientFactory} made.
   */
  VaultHttp(
      URI address, String namespace, Duration timeout, Executor executor, Http1Client client) {
    this.shown = ConfigReport.maskUrls(address.toString());
    this.namespace = namespace;
    this.timeout = timeout;
    this.executor = requireNonNull(executor, "executor");
    this.client = requireNonNull(client, "client");
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
    private final CompletableFuture<Http1Client.Response> answer = new CompletableFuture<>();
    private final Http1Client.Call call = new Http1Client.Call();

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
      call.abort();
      inFlight.remove(this);
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
  Http1Client.Response send(
      SecretRef subject, String method, String path, String query, byte[] body, String token) {
    return await(start(subject, method, path, query, body, token));
  }

  /**
   * Sends one request without waiting for it; {@link #await} reads its answer, {@link
   * Exchange#cancel} drops it. The time-out runs from now.
   *
   * @throws ProviderException if the token or the namespace holds a character an HTTP header cannot
   *     carry
   */
  Exchange start(
      SecretRef subject, String method, String path, String query, byte[] body, String token) {
    if (closed) {
      throw closed();
    }
    List<String[]> headers = new ArrayList<>(5);
    headers.add(new String[] {"Accept", "application/json"});
    // What the Vault CLI sends; Vault Agent and Proxy may require it.
    headers.add(new String[] {"X-Vault-Request", "true"});
    if (token != null) {
      headers.add(new String[] {"X-Vault-Token", token});
    }
    if (namespace != null) {
      headers.add(new String[] {"X-Vault-Namespace", namespace});
    }
    if (body != null) {
      headers.add(new String[] {"Content-Type", "application/json"});
    }
    Http1Client.Request request;
    try {
      request =
          client.request(method, "/v1/" + path + (query == null ? "" : "?" + query), headers, body);
    } catch (IllegalArgumentException e) {
      // The message names the header, never its value.
      throw new ProviderException(subject, Kind.OTHER, e.getMessage());
    }
    Exchange exchange = new Exchange(subject, method, path, query, timeout);
    inFlight.add(exchange);
    try {
      executor.execute(() -> run(exchange, request));
    } catch (RejectedExecutionException e) {
      inFlight.remove(exchange);
      request.wipe();
      throw closed();
    }
    if (closed) {
      // Closed between the check above and here: close() may have missed this exchange.
      exchange.cancel();
    }
    return exchange;
  }

  /** Runs one exchange on an executor thread and completes its answer. */
  private void run(Exchange x, Http1Client.Request request) {
    try {
      if (!x.answer.isDone()) {
        x.answer.complete(client.exchange(x.call, request, x.deadline));
      }
    } catch (IOException | RuntimeException e) {
      x.answer.completeExceptionally(e);
    } finally {
      request.wipe();
    }
  }

  /** Waits for a started exchange's answer until its deadline. */
  Http1Client.Response await(Exchange exchange) {
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
   * connections close, a connection still being opened included) and closes the idle connections;
   * the executor is {@link VaultClientFactory}'s to stop.
   */
  @Override
  public void close() {
    closed = true;
    for (Exchange x : inFlight) {
      x.cancel();
    }
    client.close();
  }

  @Override
  public String toString() {
    return "VaultHttp[" + shown + "]";
  }
}
