package io.latchkey.spi;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A small HTTP/1.1 client (RFC 9112) for one origin, a provider's service (Vault's address, a
 * Secrets Manager endpoint), with a pool of kept-alive connections that {@link #close()} empties.
 * It is for providers, which talk to their backend through it; applications have no use for it.
 *
 * <p>Why not the JDK's: the {@code java.net.http} client costs a fresh JVM about half a second of
 * CPU before its first answer (its module, a selector thread and an asynchronous pipeline), most of
 * a provider's start-up; {@code HttpURLConnection} logs every request's headers, a token among
 * them, at {@code FINE}, which an operator's debug logging reaches. This client logs nothing at any
 * level, never consults the JVM's proxy settings (credentials go to the configured address and
 * nowhere else), and lets another thread abort an exchange at any step, the host name's look-up and
 * connecting included, by closing its socket (or ending its wait for the look-up). It does what the
 * providers' APIs need and no more: one request per connection at a time, bodies of a known length,
 * no redirects, no compression, no cookies.
 *
 * <p>Each exchange runs on the calling thread and is bounded by a deadline: the host name's look-up
 * (on a short-lived thread of its own, since the JDK's resolver has no time-out), connecting, the
 * TLS handshake and every read get what is left of it as their time-out. Over {@code https} the
 * handshake checks the certificate against the trust the factory was given and the host name
 * against the certificate ({@code SSLParameters.setEndpointIdentificationAlgorithm("HTTPS")}).
 */
public final class Http1Client implements AutoCloseable {
  /** The most idle connections kept; more are closed when their exchange ends. */
  public static final int MAX_IDLE = 32;

  /**
   * How long an idle connection is kept: shorter than the idle time-outs of Vault (5 minutes) and
   * of the load balancers usually in front of it (60 seconds), so that a connection the other side
   * has closed is rarely picked.
   */
  public static final Duration MAX_IDLE_TIME = Duration.ofSeconds(30);

  /** The longest status or header line read; Vault's are well under 1 KiB. */
  public static final int MAX_LINE = 8 * 1024;

  /** The largest header section read. */
  public static final int MAX_HEADER_BYTES = 64 * 1024;

  /** Thrown when an answer is larger than the cap; never retried, since it would be again. */
  public static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the failure.
     *
     * @param cap the cap the answer exceeded, in bytes
     */
    public TooLarge(long cap) {
      super("the answer is larger than " + cap + " bytes");
    }
  }

  /**
   * One exchange's handle for another thread: {@link #abort()} closes whatever socket the exchange
   * is using or opening, which ends a blocked connect, handshake or read at once.
   */
  public static final class Call {
    // The TCP socket, and the TLS socket over it (the same one for plain http); guarded by this,
    // so that an abort racing the exchange's end either closes the sockets before they are
    // released, and the connection is then not kept, or finds them released and closes nothing:
    // never a connection already back in the pool and in another exchange's hands.
    private Socket tcp;
    private Socket socket;
    private Future<?> lookup;
    private volatile boolean aborted;

    /** Creates a handle for one exchange. */
    public Call() {}

    /** Ends the exchange: its socket closes now, or as soon as it is made. */
    public void abort() {
      Socket t;
      Socket s;
      Future<?> l;
      synchronized (this) {
        aborted = true;
        t = tcp;
        s = socket;
        l = lookup;
      }
      // The look-up's own thread cannot be stopped (the JDK's resolver does not answer to an
      // interrupt); cancelling ends the exchange's wait for it, and the thread ends on its own.
      if (l != null) {
        l.cancel(false);
      }
      // The TCP socket first: closing it ends a blocked connect, handshake or read at once,
      // whereas closing a TLS socket sends close_notify, which may wait for a thread that is in
      // the handshake.
      if (t != null) {
        closeQuietly(t);
      }
      if (s != null) {
        closeQuietly(s);
      }
    }

    void use(Socket tcp, Socket socket) throws IOException {
      boolean late;
      synchronized (this) {
        this.tcp = tcp;
        this.socket = socket;
        // abort() may have run between the socket's creation and the lines above.
        late = aborted;
      }
      if (late) {
        closeQuietly(tcp);
        closeQuietly(socket);
        throw new SocketException("the exchange was aborted");
      }
    }

    void lookingUp(Future<?> task) throws IOException {
      boolean late;
      synchronized (this) {
        lookup = task;
        late = aborted;
      }
      if (late) {
        task.cancel(false);
        throw new SocketException("the exchange was aborted");
      }
    }

    /**
     * Lets go of the exchange's sockets; returns false if the exchange was aborted, whose
     * connection must then be closed rather than kept.
     */
    synchronized boolean release() {
      tcp = null;
      socket = null;
      lookup = null;
      return !aborted;
    }
  }

  /**
   * An answer: its status and its whole body, which may hold a secret, so never shown.
   *
   * <p>Serialisation never writes the body: Jackson writes {@link #toString()}, the status and the
   * size, and refuses to read an answer; Gson writes {@code {}}, since the fields are {@code
   * transient}; Java serialisation refuses. This is why it is a final class and not a record: a
   * record's component cannot be {@code transient}.
   */
  public static final class Response {
    // Transient so that reflective serialisers (Gson, Jackson with field visibility) skip them.
    private final transient int status;
    private final transient byte[] body;

    /**
     * Creates an answer.
     *
     * @param status the status code
     * @param body the whole body, not copied
     */
    public Response(int status, byte[] body) {
      this.status = status;
      this.body = requireNonNull(body, "body");
    }

    /**
     * Returns the status code.
     *
     * @return the status code, such as 200
     */
    public int status() {
      return status;
    }

    /**
     * Returns the whole body, not a copy: it may hold a secret.
     *
     * @return the body
     */
    public byte[] body() {
      return body;
    }

    /**
     * Whether the status is 200.
     *
     * @return whether the status is 200
     */
    public boolean ok() {
      return status == 200;
    }

    /**
     * Reads the body as JSON, strictly: UTF-8 only, one I-JSON value.
     *
     * @return the body's JSON value
     * @throws IllegalArgumentException if it is not; the message never quotes the body
     */
    public JsonValue json() {
      String text;
      try {
        text = UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException("the answer is not UTF-8 text");
      }
      return JsonValue.parse(text);
    }

    /**
     * Returns the status and the size of the body, never the body. Jackson writes the same string.
     *
     * @return the description
     */
    @com.fasterxml.jackson.annotation.JsonValue
    @Override
    public String toString() {
      return "Response[status=" + status + ", bytes=" + body.length + "]";
    }

    /**
     * What Jackson calls to read a {@code Response}: it refuses, without quoting what it was given.
     * Without a creator, Jackson's own refusal quotes the JSON string, which would be the body.
     */
    @JsonCreator
    @SuppressWarnings("unused")
    private static Response fromJson(Object ignored) {
      throw new IllegalArgumentException(
          "io.latchkey.spi.Http1Client.Response is not read from JSON, which would hold the body");
    }
  }

  /**
   * A request, encoded once: it may be written twice (see {@link #exchange}). Its bytes hold the
   * token: Jackson writes {@link #toString()} and Gson {@code {}}, as for a {@link Response}.
   */
  public static final class Request {
    // Transient so that reflective serialisers (Gson, Jackson with field visibility) skip them.
    private final transient String method;
    private final transient byte[] bytes;
    private final transient boolean idempotent;

    private Request(String method, byte[] bytes, boolean idempotent) {
      this.method = method;
      this.bytes = bytes;
      this.idempotent = idempotent;
    }

    /** Overwrites the encoded bytes, which hold the token, once the exchange is over. */
    public void wipe() {
      Arrays.fill(bytes, (byte) 0);
    }

    /**
     * Returns the method and the size, never the bytes, which hold the token. Jackson writes the
     * same string.
     *
     * @return the description
     */
    @com.fasterxml.jackson.annotation.JsonValue
    @Override
    public String toString() {
      return "Request[" + method + ", " + bytes.length + " bytes]";
    }

    /**
     * What Jackson calls to read a {@code Request}: it refuses, without quoting what it was given.
     * Without a creator, Jackson's own refusal quotes the JSON string, which would be the token.
     */
    @JsonCreator
    @SuppressWarnings("unused")
    private static Request fromJson(Object ignored) {
      throw new IllegalArgumentException(
          "io.latchkey.spi.Http1Client.Request is not read from JSON, which would hold the token");
    }
  }

  private final String host;
  private final int port;
  private final String authority;
  private final String basePath;
  private final Supplier<SSLSocketFactory> tls;
  private final Duration connectTimeout;
  private final long cap;
  private final LongSupplier nanoTime;
  private final Lookup lookup;
  // Most recently used last: a new exchange takes the freshest one.
  private final Deque<Connection> idle = new ArrayDeque<>();
  private boolean closed;

  /**
   * A client for {@code origin}.
   *
   * @param origin an {@code http} or {@code https} URL with a host and no user information, query
   *     or fragment; its path, if any, prefixes every request's
   * @param tls the TLS socket factory for {@code https}, asked for at the first connection; null
   *     for {@code http}
   * @param connectTimeout the longest a connection may take to open (within the deadline)
   * @param cap the largest body read
   * @param nanoTime the clock that ages idle connections
   */
  public Http1Client(
      URI origin,
      Supplier<SSLSocketFactory> tls,
      Duration connectTimeout,
      long cap,
      LongSupplier nanoTime) {
    this(origin, tls, connectTimeout, cap, nanoTime, InetAddress::getByName);
  }

  /** Looks a host name up: the JDK's resolver, or a stand-in in tests. */
  interface Lookup {
    InetAddress lookUp(String host) throws IOException;
  }

  Http1Client(
      URI origin,
      Supplier<SSLSocketFactory> tls,
      Duration connectTimeout,
      long cap,
      LongSupplier nanoTime,
      Lookup lookup) {
    boolean https = "https".equalsIgnoreCase(origin.getScheme());
    if (https == (tls == null)) {
      throw new IllegalArgumentException("a TLS socket factory is for an https origin only");
    }
    String h = requireNonNull(origin.getHost(), "host");
    // URI keeps an IPv6 literal's brackets, which a socket address does not take.
    this.host = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    this.port = origin.getPort() >= 0 ? origin.getPort() : https ? 443 : 80;
    this.authority = origin.getRawAuthority();
    String path = origin.getRawPath() == null ? "" : origin.getRawPath();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.tls = tls;
    this.connectTimeout = connectTimeout;
    this.cap = cap;
    this.nanoTime = nanoTime;
    this.lookup = lookup;
  }

  /**
   * Encodes a request.
   *
   * @param method {@code GET} or {@code POST}
   * @param target the path after the origin's, starting with {@code /}, with its query; every
   *     character printable ASCII
   * @param headers name and value pairs; names are tokens, values printable ASCII
   * @param body the body, sent with {@code Content-Length}, or null for none
   * @return the request, idempotent if it is a {@code GET}
   * @throws IllegalArgumentException if the target or a header holds a character HTTP/1.1 cannot
   *     carry (a line break would let a value end the header and start another); the message names
   *     the header, never its value
   */
  public Request request(String method, String target, List<String[]> headers, byte[] body) {
    return request(method, target, headers, body, method.equals("GET"));
  }

  /**
   * Encodes a request that the caller declares idempotent or not: an idempotent one may use an idle
   * connection and is sent again on another when that connection turns out closed before a byte of
   * the answer arrives (RFC 9110, section 9.2.2). A {@code POST} that only reads, such as a call of
   * a JSON API that fetches a value, may be declared idempotent.
   *
   * @param method {@code GET} or {@code POST}
   * @param target as {@link #request(String, String, List, byte[])} takes it
   * @param headers as {@link #request(String, String, List, byte[])} takes them
   * @param body the body, or null for none
   * @param idempotent whether the request may be sent twice
   * @return the request
   * @throws IllegalArgumentException as {@link #request(String, String, List, byte[])} does
   */
  public Request request(
      String method, String target, List<String[]> headers, byte[] body, boolean idempotent) {
    StringBuilder head = new StringBuilder(256);
    head.append(method).append(' ');
    String full = basePath + target;
    for (int i = 0; i < full.length(); i++) {
      char c = full.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new IllegalArgumentException("the request path holds a character HTTP cannot carry");
      }
    }
    head.append(full).append(" HTTP/1.1\r\nHost: ").append(authority).append("\r\n");
    for (String[] header : headers) {
      String value = header[1];
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if ((c < 0x20 && c != '\t') || c >= 0x7f) {
          throw new IllegalArgumentException(
              "the "
                  + header[0]
                  + " header's value holds a character an HTTP header cannot carry (a line break"
                  + " or another control character, or one outside ASCII)");
        }
      }
      head.append(header[0]).append(": ").append(value).append("\r\n");
    }
    if (body != null || method.equals("POST")) {
      head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n");
    }
    head.append("\r\n");
    byte[] start = head.toString().getBytes(US_ASCII);
    if (body == null || body.length == 0) {
      return new Request(method, start, idempotent);
    }
    byte[] bytes = new byte[start.length + body.length];
    System.arraycopy(start, 0, bytes, 0, start.length);
    System.arraycopy(body, 0, bytes, start.length, body.length);
    return new Request(method, bytes, idempotent);
  }

  /**
   * Makes one exchange on the calling thread. An idempotent request (a {@code GET}, or one declared
   * so) uses an idle connection if there is one; when that connection turns out closed before a
   * byte of the answer arrives (the server or a proxy closed it while it was idle), the request is
   * sent again, once, on a new connection, as RFC 9112 allows for an idempotent request; a time-out
   * is never retried. Any other request opens a connection of its own, so it is never sent twice.
   *
   * @param call the handle through which another thread may abort the exchange
   * @param request the request, which may be sent twice if it is idempotent
   * @param deadline the {@link System#nanoTime()} by which the whole answer must have arrived
   * @return the answer's status and body
   * @throws TooLarge if the body exceeds the cap
   * @throws SocketTimeoutException if the deadline passes
   * @throws IOException if the connection fails or the answer is not HTTP/1.1
   */
  public Response exchange(Call call, Request request, long deadline) throws IOException {
    return exchange(call, request, deadline, cap);
  }

  /**
   * Makes one exchange as {@link #exchange(Call, Request, long)} does, reading at most {@code
   * limit} bytes of the body (and never more than the client's cap): for an API whose answers to
   * some requests are known to be smaller than to others.
   *
   * @param call the handle through which another thread may abort the exchange
   * @param request the request, which may be sent twice if it is idempotent
   * @param deadline the {@link System#nanoTime()} by which the whole answer must have arrived
   * @param limit the largest body read for this exchange
   * @return the answer's status and body
   * @throws TooLarge if the body exceeds the limit
   * @throws SocketTimeoutException if the deadline passes
   * @throws IOException if the connection fails or the answer is not HTTP/1.1
   */
  public Response exchange(Call call, Request request, long deadline, long limit)
      throws IOException {
    long max = Math.min(limit, cap);
    boolean idempotent = request.idempotent;
    // After one kept-alive connection turned out closed, the request goes on a new one: the other
    // idle connections are likely closed too (the server restarted), and a server that drops
    // every request must not receive it once per idle connection.
    boolean fresh = !idempotent;
    while (true) {
      Connection c = fresh ? null : take();
      boolean reused = c != null;
      if (c == null) {
        c = open(call, deadline);
      } else {
        call.use(c.tcp, c.socket);
      }
      boolean keep = false;
      c.received = 0;
      try {
        c.socket.setSoTimeout(millisLeft(deadline));
        OutputStream out = c.socket.getOutputStream();
        out.write(request.bytes);
        out.flush();
        Framed answer = read(c, request.method, deadline, max);
        keep = answer.keepAlive && c.pos == c.end;
        return answer.response;
      } catch (SocketTimeoutException e) {
        throw e;
      } catch (IOException e) {
        if (reused && c.received == 0 && !call.aborted) {
          fresh = true;
          continue; // the idle connection was closed under it: try again on a new one
        }
        throw e;
      } finally {
        boolean intact = call.release();
        if (keep && intact) {
          release(c);
        } else {
          closeQuietly(c.socket);
        }
      }
    }
  }

  /** Closes the idle connections; exchanges in flight are their callers' to abort. */
  @Override
  public void close() {
    List<Connection> drop;
    synchronized (this) {
      closed = true;
      drop = new ArrayList<>(idle);
      idle.clear();
    }
    for (Connection c : drop) {
      closeQuietly(c.socket);
    }
  }

  /** Returns how many idle connections are kept now. */
  synchronized int idle() {
    return idle.size();
  }

  private Connection take() {
    while (true) {
      List<Connection> expired = new ArrayList<>();
      Connection found = null;
      long now = nanoTime.getAsLong();
      long maxIdle = MAX_IDLE_TIME.toNanos();
      synchronized (this) {
        // The oldest are at the front: drop those kept too long, then take the freshest.
        while (!idle.isEmpty() && now - idle.peekFirst().idleSince > maxIdle) {
          expired.add(idle.pollFirst());
        }
        if (!idle.isEmpty()) {
          found = idle.pollLast();
        }
      }
      for (Connection c : expired) {
        closeQuietly(c.socket);
      }
      if (found == null || !found.hasUnreadBytes()) {
        return found;
      }
      // Bytes that arrived while the connection was idle answer no request of ours: read as the
      // next request's answer they would put the server's words, or an attacker's, in its place.
      closeQuietly(found.socket);
    }
  }

  /** Tells whether an idle connection holds bytes nobody asked for; for tests. */
  synchronized boolean idleHasUnreadBytes() {
    for (Connection c : idle) {
      if (c.hasUnreadBytes()) {
        return true;
      }
    }
    return false;
  }

  private void release(Connection c) {
    c.idleSince = nanoTime.getAsLong();
    synchronized (this) {
      if (!closed && idle.size() < MAX_IDLE) {
        idle.addLast(c);
        return;
      }
    }
    closeQuietly(c.socket);
  }

  private Connection open(Call call, long deadline) throws IOException {
    // NO_PROXY: a plain socket, which never asks the default ProxySelector (SOCKS included).
    Socket tcp = new Socket(Proxy.NO_PROXY);
    call.use(tcp, tcp);
    Socket socket = tcp;
    try {
      tcp.setTcpNoDelay(true);
      InetAddress address = address(call, deadline);
      int left = millisLeft(deadline);
      tcp.connect(
          new InetSocketAddress(address, port), (int) Math.min(left, connectTimeout.toMillis()));
      if (tls != null) {
        SSLSocket secure = (SSLSocket) tls.get().createSocket(tcp, host, port, true);
        SSLParameters parameters = secure.getSSLParameters();
        // The certificate must name the host: the trust manager checks it during the handshake.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        secure.setSSLParameters(parameters);
        socket = secure;
        call.use(tcp, secure);
        secure.setSoTimeout(millisLeft(deadline));
        secure.startHandshake();
      }
      return new Connection(tcp, socket);
    } catch (IOException | RuntimeException e) {
      closeQuietly(tcp);
      closeQuietly(socket);
      throw e;
    }
  }

  /**
   * The host's address, within the deadline and abortable: the JDK's resolver blocks for as long as
   * the name servers take (seconds each, tried in turn), with no time-out of its own and deaf to
   * interrupts, so a name is looked up on a short-lived thread of its own while the exchange waits
   * for what is left of its deadline. An address written as one (IPv4 or IPv6) is parsed here,
   * without a thread: it needs no name server.
   */
  private InetAddress address(Call call, long deadline) throws IOException {
    if (Loopback.isAddressLiteral(host)) {
      return InetAddress.getByName(host);
    }
    FutureTask<InetAddress> task = new FutureTask<>(() -> lookup.lookUp(host));
    call.lookingUp(task);
    Thread thread = new Thread(task, "latchkey-name-lookup");
    thread.setDaemon(true);
    thread.start();
    try {
      return task.get(millisLeft(deadline), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      task.cancel(false);
      throw new SocketTimeoutException("the deadline passed while looking up " + host);
    } catch (CancellationException e) {
      throw new SocketException("the exchange was aborted");
    } catch (InterruptedException e) {
      task.cancel(false);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while looking up " + host);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IOException("looking up " + host + " failed", cause);
    }
  }

  /** An answer and whether its connection may carry the next request. */
  private record Framed(Response response, boolean keepAlive) {}

  private Framed read(Connection c, String method, long deadline, long cap) throws IOException {
    int status;
    boolean http11;
    Headers headers;
    while (true) {
      String line = c.line(deadline, MAX_LINE);
      if (line == null) {
        throw new EOFException("the connection closed before an answer");
      }
      if (line.length() < 12
          || !line.startsWith("HTTP/1.")
          || (line.charAt(7) != '0' && line.charAt(7) != '1')
          || line.charAt(8) != ' '
          || !digits(line, 9, 12)
          || (line.length() > 12 && line.charAt(12) != ' ')) {
        throw new ProtocolException("the answer is not HTTP/1.1");
      }
      http11 = line.charAt(7) == '1';
      status = Integer.parseInt(line.substring(9, 12));
      headers = headers(c, deadline);
      if (status >= 200) {
        break;
      }
      if (status < 100) {
        throw new ProtocolException("the answer is not HTTP/1.1");
      }
      if (status == 101) {
        throw new ProtocolException("the answer switches protocols");
      }
      // 100 Continue, 103 Early Hints: informational, the answer follows.
    }
    boolean keepAlive = http11 && !headers.close;
    byte[] body;
    if (method.equals("HEAD") || status == 204 || status == 304) {
      body = new byte[0];
    } else if (headers.transferEncoding != null) {
      if (!headers.transferEncoding.equals("chunked")) {
        // Only chunked is asked of a server that was sent no TE header (RFC 9112 7.4).
        throw new ProtocolException("the answer uses a transfer coding other than chunked");
      }
      body = chunked(c, deadline, cap);
      // RFC 9112 6.3: with both, Transfer-Encoding wins and the connection must close.
      keepAlive &= headers.contentLength < 0;
    } else if (headers.contentLength >= 0) {
      body = exactly(c, deadline, headers.contentLength, cap);
    } else {
      body = untilClosed(c, deadline, cap);
      keepAlive = false;
    }
    return new Framed(new Response(status, body), keepAlive);
  }

  private static boolean digits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static final class Headers {
    long contentLength = -1;
    String transferEncoding;
    boolean close;
  }

  private static Headers headers(Connection c, long deadline) throws IOException {
    Headers h = new Headers();
    int total = 0;
    while (true) {
      String line = c.line(deadline, MAX_LINE);
      if (line == null) {
        throw new EOFException("the connection closed inside the answer's headers");
      }
      if (line.isEmpty()) {
        return h;
      }
      total += line.length() + 2;
      if (total > MAX_HEADER_BYTES) {
        throw new ProtocolException(
            "the answer's headers are larger than " + MAX_HEADER_BYTES + " bytes");
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        // No name, or an obsolete folded line (RFC 9112 5.2 lets a client reject it).
        throw new ProtocolException("the answer has a malformed header line");
      }
      String name = line.substring(0, colon);
      for (int i = 0; i < name.length(); i++) {
        if (name.charAt(i) <= 0x20 || name.charAt(i) >= 0x7f) {
          throw new ProtocolException("the answer has a malformed header name");
        }
      }
      String value = line.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        h.contentLength = contentLength(h.contentLength, value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
        String codings = value.toLowerCase(Locale.ROOT).replace(" ", "").replace("\t", "");
        h.transferEncoding =
            h.transferEncoding == null ? codings : h.transferEncoding + "," + codings;
      } else if (name.equalsIgnoreCase("Connection")) {
        for (String option : value.split(",", -1)) {
          if (option.trim().equalsIgnoreCase("close")) {
            h.close = true;
          }
        }
      }
    }
  }

  /** Reads a Content-Length; repeated or listed values must agree (RFC 9110 8.6). */
  private static long contentLength(long before, String value) throws ProtocolException {
    long length = before;
    for (String part : value.split(",", -1)) {
      String digits = part.trim();
      if (digits.isEmpty() || digits.length() > 18 || !digits(digits, 0, digits.length())) {
        throw new ProtocolException("the answer's Content-Length is not a number");
      }
      long n = Long.parseLong(digits);
      if (length >= 0 && n != length) {
        throw new ProtocolException("the answer has two different Content-Lengths");
      }
      length = n;
    }
    return length;
  }

  private static byte[] exactly(Connection c, long deadline, long length, long cap)
      throws IOException {
    if (length > cap) {
      // The header says it already: do not read a byte of it.
      throw new TooLarge(cap);
    }
    byte[] body = new byte[(int) length];
    int read = 0;
    while (read < length) {
      int n = c.read(deadline, body, read, (int) length - read);
      if (n < 0) {
        throw new EOFException("the answer ended after " + read + " of its " + length + " bytes");
      }
      read += n;
    }
    return body;
  }

  private static byte[] chunked(Connection c, long deadline, long cap) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    while (true) {
      String line = c.line(deadline, MAX_LINE);
      if (line == null) {
        throw new EOFException("the answer ended before its last chunk");
      }
      long size = chunkSize(line);
      if (size == 0) {
        break;
      }
      if (body.size() + size > cap) {
        throw new TooLarge(cap);
      }
      long left = size;
      while (left > 0) {
        int n = c.read(deadline, buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new EOFException("the answer ended inside a chunk");
        }
        body.write(buffer, 0, n);
        left -= n;
      }
      String end = c.line(deadline, MAX_LINE);
      if (end == null) {
        throw new EOFException("the answer ended after a chunk");
      }
      if (!end.isEmpty()) {
        throw new ProtocolException("the answer has a chunk longer than its size");
      }
    }
    // The trailer section has the syntax of the headers, and nothing here needs it.
    headers(c, deadline);
    return body.toByteArray();
  }

  /** The longest chunk size read, in hex digits; 15 keep it below {@code Long.MAX_VALUE}. */
  private static final int MAX_CHUNK_SIZE_DIGITS = 15;

  /**
   * Reads a chunk-size line (RFC 9112 7.1): hex digits only, no sign and no leading space, then
   * optionally white space and {@code ;} chunk extensions, which are ignored.
   */
  private static long chunkSize(String line) throws ProtocolException {
    int semicolon = line.indexOf(';');
    int end = semicolon < 0 ? line.length() : semicolon;
    if (semicolon >= 0) {
      // BWS before the extension.
      while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
        end--;
      }
    }
    if (end == 0 || end > MAX_CHUNK_SIZE_DIGITS) {
      throw new ProtocolException("the answer has a malformed chunk size");
    }
    long size = 0;
    for (int i = 0; i < end; i++) {
      char c = line.charAt(i);
      int digit =
          c >= '0' && c <= '9'
              ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (digit < 0) {
        throw new ProtocolException("the answer has a malformed chunk size");
      }
      size = size * 16 + digit;
    }
    return size;
  }

  private static byte[] untilClosed(Connection c, long deadline, long cap) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = c.read(deadline, buffer, 0, buffer.length)) >= 0) {
      if (body.size() + (long) n > cap) {
        throw new TooLarge(cap);
      }
      body.write(buffer, 0, n);
    }
    return body.toByteArray();
  }

  /** Milliseconds left before the deadline, at least 1 (a socket takes 0 as no time-out). */
  private static int millisLeft(long deadline) throws SocketTimeoutException {
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (left <= 0) {
      throw new SocketTimeoutException("the deadline passed");
    }
    return (int) Math.min(Integer.MAX_VALUE, left);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing more to release.
    }
  }

  /**
   * A connection (its TCP socket, and the TLS socket over it, the same one for plain http) and what
   * has been read from it but not used yet.
   */
  private static final class Connection {
    final Socket tcp;
    final Socket socket;
    final InputStream in;
    final byte[] buffer = new byte[8192];
    int pos;
    int end;
    // Bytes read during the current exchange: none means the connection closed before answering.
    long received;
    long idleSince;

    Connection(Socket tcp, Socket socket) throws IOException {
      this.tcp = tcp;
      this.socket = socket;
      this.in = socket.getInputStream();
    }

    /**
     * Tells, without blocking, whether bytes wait to be read: in the buffer, in the TLS socket's
     * decrypted data, or still encrypted in the TCP socket.
     */
    boolean hasUnreadBytes() {
      try {
        return pos < end
            || in.available() > 0
            || (tcp != socket && tcp.getInputStream().available() > 0);
      } catch (IOException e) {
        // A socket that cannot say is not one to reuse.
        return true;
      }
    }

    private boolean fill(long deadline) throws IOException {
      socket.setSoTimeout(millisLeft(deadline));
      int n = in.read(buffer, 0, buffer.length);
      if (n < 0) {
        return false;
      }
      pos = 0;
      end = n;
      received += n;
      return true;
    }

    /** Reads a line without its CRLF (or bare LF), or null at the end of the stream. */
    String line(long deadline, int max) throws IOException {
      StringBuilder line = null;
      while (true) {
        if (pos == end && !fill(deadline)) {
          if (line == null) {
            return null;
          }
          throw new EOFException("the answer ended inside a line");
        }
        int from = pos;
        while (pos < end && buffer[pos] != '\n') {
          pos++;
        }
        if (line == null) {
          line = new StringBuilder();
        }
        if (line.length() + (pos - from) > max) {
          throw new ProtocolException("the answer has a line longer than " + max + " bytes");
        }
        for (int i = from; i < pos; i++) {
          line.append((char) (buffer[i] & 0xff));
        }
        if (pos < end) {
          pos++; // the LF
          int n = line.length();
          if (n > 0 && line.charAt(n - 1) == '\r') {
            line.setLength(n - 1);
          }
          return line.toString();
        }
      }
    }

    int read(long deadline, byte[] into, int off, int len) throws IOException {
      if (pos == end && !fill(deadline)) {
        return -1;
      }
      int n = Math.min(len, end - pos);
      System.arraycopy(buffer, pos, into, off, n);
      pos += n;
      return n;
    }
  }

  @Override
  public String toString() {
    return "Http1Client[" + (tls == null ? "http" : "https") + ", idle=" + idle() + "]";
  }
}
