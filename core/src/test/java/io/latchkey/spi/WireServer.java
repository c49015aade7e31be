package io.latchkey.spi;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server that answers with whatever bytes a test scripts, for the wire-level tests of
 * {@link Http1Client}: each accepted connection runs {@link Handler#serve} on a thread of its own
 * and is closed when it returns. It counts the connections and keeps every request it reads.
 */
final class WireServer implements AutoCloseable {
  /** What the server does with one connection. */
  interface Handler {
    void serve(Connection c) throws IOException;
  }

  /** One accepted connection. */
  static final class Connection {
    final int index;
    private final InputStream in;
    private final OutputStream out;
    private final List<String> requests;

    Connection(int index, Socket socket, List<String> requests) throws IOException {
      this.index = index;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
      this.requests = requests;
    }

    /**
     * Reads one request, its head and the body its Content-Length announces.
     *
     * @return the request as text, or null if the client closed the connection first
     */
    String request() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          return null;
        }
        head.write(b);
        matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      String text = head.toString(ISO_8859_1);
      int length = 0;
      for (String line : text.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      byte[] body = in.readNBytes(length);
      String request = text + new String(body, ISO_8859_1);
      requests.add(request);
      return request;
    }

    /** Writes bytes as they are. */
    void write(String raw) throws IOException {
      out.write(raw.getBytes(ISO_8859_1));
      out.flush();
    }

    /** Writes a 200 answer with a Content-Length. */
    void ok(String body) throws IOException {
      write("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
    }

    /** Waits for the client's first byte, which is read and dropped. */
    void awaitFirstByte() throws IOException {
      if (in.read() < 0) {
        throw new IOException("the client closed the connection without sending");
      }
    }

    /** Waits until the client closes the connection, reading and dropping what it sends. */
    boolean awaitClientClose() throws IOException {
      while (in.read() >= 0) {
        // nothing to keep
      }
      return true;
    }
  }

  private final ServerSocket server;
  private final Handler handler;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  WireServer(Handler handler) {
    this.handler = handler;
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    acceptor = new Thread(this::accept, "wire-server-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return;
      }
      open.add(socket);
      int index = accepted.incrementAndGet();
      Thread t =
          new Thread(
              () -> {
                try (Socket s = socket) {
                  handler.serve(new Connection(index, s, requests));
                } catch (IOException e) {
                  // The client went away; the test looks at what the client saw.
                }
              },
              "wire-server-" + index);
      t.setDaemon(true);
      t.start();
    }
  }

  /** The server's address. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** How many connections were accepted. */
  int accepted() {
    return accepted.get();
  }

  /** Every request read, in order. */
  List<String> requests() {
    return requests;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
