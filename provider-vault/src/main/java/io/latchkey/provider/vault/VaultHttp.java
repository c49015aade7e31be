package io.latchkey.provider.vault;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * One HTTP exchange with Vault at a time per caller: builds the request with the token and
 * namespace headers, makes exactly one attempt, and turns transport failures into {@link
 * ProviderException}s. Status codes are left to the caller, which knows what a 404 means for its
 * endpoint.
 */
final class VaultHttp implements AutoCloseable {
  private static final AtomicInteger THREADS = new AtomicInteger();

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
  private final Duration timeout;
  private final ExecutorService executor;
  // Dropped on close: on Java 17 the client's selector thread ends once the client is unreachable.
  private volatile HttpClient client;

  VaultHttp(URI address, String namespace, Duration timeout, SSLContext sslContext) {
    this.address = address;
    String text = address.toString();
    this.shown = ConfigReport.maskUrls(text);
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.namespace = namespace;
    this.timeout = timeout;
    // Sends run on the caller's thread; the client uses these threads for its own asynchronous
    // steps. Unbounded, like the JDK's default, so that 50 concurrent reads never queue.
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "latchkey-vault-http-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.executor = pool;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .executor(pool)
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

  /**
   * Sends one request.
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
      throw new IllegalStateException("the vault provider is closed");
    }
    String uri = base + "/v1/" + path + (query == null ? "" : "?" + query);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(uri))
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
    try {
      HttpResponse<byte[]> response =
          c.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      byte[] bytes = response.body();
      return new Response(response.statusCode(), bytes == null ? new byte[0] : bytes);
    } catch (HttpTimeoutException e) {
      throw new ProviderException(
          subject, Kind.TIMEOUT, "Vault did not answer within " + timeout, e);
    } catch (ConnectException e) {
      throw new ProviderException(
          subject, Kind.UNAVAILABLE, "cannot connect to Vault at " + shown, e);
    } catch (IOException e) {
      if (isTls(e)) {
        throw new ProviderException(
            subject,
            Kind.OTHER,
            "the TLS handshake with Vault at "
                + shown
                + " failed: its certificate is not trusted (see VAULT_CACERT) or does not match"
                + " the host",
            e);
      }
      throw new ProviderException(
          subject,
          Kind.UNAVAILABLE,
          "I/O error talking to Vault at " + shown + " (" + e.getClass().getSimpleName() + ")",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException(
          subject, Kind.TIMEOUT, "interrupted while waiting for Vault at " + shown);
    }
  }

  private static boolean isTls(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SSLException) {
        return true;
      }
    }
    return false;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    HttpClient c = client;
    client = null;
    if (c != null) {
      shutdownNow(c);
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops the client's own threads where the JDK can (Java 21 added {@code shutdownNow()}); on Java
   * 17 its selector thread ends by itself a few seconds after the client becomes unreachable.
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
