package io.latchkey.provider.vault;

import io.latchkey.SecretRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and initialises the provider the way its first read will: builds a provider from settings
 * as {@code fromEnvironment} reads them, and makes one batch read through it, against a throw-away
 * server on the loopback interface that this class runs and stops itself. So the settings, the HTTP
 * exchange, the mount look-up and the KV v2 answer's parsing are loaded and run once, and no
 * backend is contacted.
 *
 * <p>Every answer carries {@code Connection: close}, so no connection is kept for later; the
 * provider's close joins its threads, and the server's thread is joined before {@link #run()}
 * returns.
 */
final class VaultWarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(VaultWarmUp.class);

  /** The longest a warm-up waits on its own server; it answers in microseconds. */
  private static final int WAIT_MILLIS = 5_000;

  /** A request's head is a few hundred bytes; more is not the provider's. */
  private static final int MAX_HEAD_BYTES = 16 * 1024;

  private static final String MOUNT =
      "{\"data\":{\"type\":\"kv\",\"path\":\"secret/\",\"options\":{\"version\":\"2\"}}}";
  private static final String READ =
      "{\"data\":{\"data\":{\"k\":\"warm-up\"},\"metadata\":{\"version\":1,"
          + "\"created_time\":\"2026-01-01T00:00:00Z\",\"deletion_time\":\"\","
          + "\"destroyed\":false}}}";
  // A token that may not look itself up is used without renewal: nothing is scheduled.
  private static final String DENIED = "{\"errors\":[\"permission denied\"]}";

  // What a warm-up loads stays loaded: an application that starts again in the same JVM (a test
  // suite's contexts, a restart by developer tools) gains nothing from a second one.
  private static final AtomicBoolean DONE = new AtomicBoolean();

  private VaultWarmUp() {}

  /** Runs the warm-up unless one has already completed in this JVM. */
  static void once() {
    if (!DONE.get() && run() > 0) {
      DONE.set(true);
    }
  }

  /**
   * Runs the warm-up; it never throws, and a failure is logged at DEBUG.
   *
   * @return the requests the throw-away server answered, for tests
   */
  static int run() {
    AtomicInteger answered = new AtomicInteger();
    ServerSocket server = null;
    Thread serving = null;
    try {
      server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
      server.setSoTimeout(WAIT_MILLIS);
      ServerSocket listening = server;
      serving = new Thread(() -> serve(listening, answered), "latchkey-vault-warm-up");
      serving.setDaemon(true);
      serving.start();
      String address = "http://127.0.0.1:" + server.getLocalPort();
      try (VaultSecretProvider provider =
          VaultSecretProvider.fromEnvironment(
              Map.of("VAULT_ADDR", address, "VAULT_TOKEN", "warm-up"))) {
        provider.fetchAll(List.of(SecretRef.parse("vault:secret/data/warm-up#k")));
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("Vault warm-up did not complete ({})", e.getClass().getSimpleName());
    } finally {
      // Closing the socket ends the serving thread's accept; then it is joined.
      closeQuietly(server);
      join(serving);
    }
    return answered.get();
  }

  private static void closeQuietly(ServerSocket server) {
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        LOG.debug("Vault warm-up: closing its server failed ({})", e.getClass().getSimpleName());
      }
    }
  }

  private static void join(Thread thread) {
    if (thread != null) {
      try {
        thread.join(WAIT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Answers one connection at a time until the socket closes. */
  private static void serve(ServerSocket server, AtomicInteger answered) {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        s.setSoTimeout(WAIT_MILLIS);
        String target = requestTarget(s.getInputStream());
        answer(s.getOutputStream(), target);
        answered.incrementAndGet();
      } catch (SocketException | SocketTimeoutException e) {
        return; // closed, or nobody came
      } catch (IOException | RuntimeException e) {
        LOG.debug("Vault warm-up server: {}", e.getClass().getSimpleName());
      }
    }
  }

  /** Reads a request's head and returns its target, such as {@code /v1/secret/data/warm-up}. */
  private static String requestTarget(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    // The last four bytes read; the head ends with an empty line, CR LF CR LF.
    int last = 0;
    while (last != 0x0D0A0D0A) {
      int b = in.read();
      if (b < 0 || head.size() >= MAX_HEAD_BYTES) {
        throw new IOException("incomplete request");
      }
      head.write(b);
      last = (last << 8) | b;
    }
    String line = head.toString(StandardCharsets.US_ASCII);
    String[] parts = line.substring(0, line.indexOf('\r')).split(" ");
    return parts.length > 1 ? parts[1] : "";
  }

  private static void answer(OutputStream out, String target) throws IOException {
    int status;
    String body;
    if (target.startsWith("/v1/sys/internal/ui/mounts/")) {
      status = 200;
      body = MOUNT;
    } else if (target.startsWith("/v1/secret/data/")) {
      status = 200;
      body = READ;
    } else {
      status = 403;
      body = DENIED;
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + (status == 200 ? " OK" : " Forbidden")
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + bytes.length
            + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.flush();
  }
}
