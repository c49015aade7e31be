package io.latchkey.provider.gcp;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on {@code 127.0.0.1} between a plaintext gRPC client and a server, which can cut an
 * answer in the middle of a message: it reads the server's HTTP/2 frames and, for a DATA frame,
 * forwards only its first half and then resets the stream, or closes the connection. Everything
 * else passes unchanged, so the client sees a real server that fails midway.
 */
final class MidMessageProxy implements AutoCloseable {
  /** What happens to the next DATA frames. */
  enum Cut {
    /** Forwarded whole. */
    NONE,
    /** Half of the frame, then {@code RST_STREAM} with {@code INTERNAL_ERROR}; the rest dropped. */
    RESET_STREAM,
    /** Half of the frame, then the connection closes. */
    CLOSE_CONNECTION
  }

  private static final int DATA = 0x0;
  private static final int RST_STREAM = 0x3;
  private static final int INTERNAL_ERROR = 0x2;

  private final ServerSocket listener;
  private final int upstreamPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final AtomicInteger cuts = new AtomicInteger();
  private volatile Cut cut = Cut.NONE;

  private MidMessageProxy(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    start("accept", this::accept);
  }

  /** Starts a proxy to a server at {@code 127.0.0.1:PORT}. */
  static MidMessageProxy to(String target) {
    try {
      return new MidMessageProxy(Integer.parseInt(target.substring(target.lastIndexOf(':') + 1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the address clients connect to. */
  String target() {
    return "127.0.0.1:" + listener.getLocalPort();
  }

  /** Sets what happens to the DATA frames from now on. */
  void cut(Cut cut) {
    this.cut = cut;
  }

  /** Counts the answers cut so far. */
  int cuts() {
    return cuts.get();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        sockets.add(client);
        sockets.add(server);
        start("up", () -> copy(client, server));
        start("down", () -> frames(server, client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void copy(Socket from, Socket to) {
    byte[] buffer = new byte[8192];
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // One side went away; closing both below ends the other direction too.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  /** Forwards the server's frames one by one, cutting DATA frames as told. */
  private void frames(Socket server, Socket client) {
    Set<Integer> reset = new HashSet<>();
    try {
      DataInputStream in = new DataInputStream(server.getInputStream());
      OutputStream out = client.getOutputStream();
      byte[] header = new byte[9];
      while (true) {
        in.readFully(header);
        int length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
        int type = header[3] & 0xff;
        int stream =
            ((header[5] & 0x7f) << 24)
                | ((header[6] & 0xff) << 16)
                | ((header[7] & 0xff) << 8)
                | (header[8] & 0xff);
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (reset.contains(stream)) {
          continue; // The client was told this stream is gone.
        }
        Cut now = cut;
        if (type == DATA && length >= 2 && now != Cut.NONE) {
          int half = length / 2;
          cuts.incrementAndGet();
          if (now == Cut.RESET_STREAM) {
            out.write(frameHeader(half, DATA, stream));
            out.write(payload, 0, half);
            out.write(frameHeader(4, RST_STREAM, stream));
            out.write(new byte[] {0, 0, 0, INTERNAL_ERROR});
            out.flush();
            reset.add(stream);
            continue;
          }
          out.write(header);
          out.write(payload, 0, half);
          out.flush();
          return; // finally closes the connection, half a message in
        }
        out.write(header);
        out.write(payload);
        out.flush();
      }
    } catch (IOException e) {
      // The server or the client closed the connection.
    } finally {
      closeQuietly(server);
      closeQuietly(client);
    }
  }

  /** A frame header without flags: length, type, stream. */
  private static byte[] frameHeader(int length, int type, int stream) {
    return new byte[] {
      (byte) (length >>> 16),
      (byte) (length >>> 8),
      (byte) length,
      (byte) type,
      0,
      (byte) (stream >>> 24),
      (byte) (stream >>> 16),
      (byte) (stream >>> 8),
      (byte) stream
    };
  }

  private void start(String name, Runnable task) {
    Thread t = new Thread(task, "mid-message-proxy-" + name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing is all that is left to do.
    }
  }

  /** Closes the listener and every connection, and waits for the proxy's threads to end. */
  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // Already closed.
    }
    sockets.forEach(MidMessageProxy::closeQuietly);
    try {
      for (Thread t : threads) {
        t.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
