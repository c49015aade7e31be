package io.latchkey.spi;

import static io.latchkey.testsupport.Waiting.until;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP/1.1 client on the wire, against a server that answers with scripted bytes: framing
 * (length, chunks, until closed), which connections are kept and which are sent again, the bounds
 * on what it reads, what it refuses to send, and aborting an exchange from another thread.
 */
final class Http1ClientTest {
  private static final long CAP = 1024;
  // Long enough never to be reached by a test that does not wait for it on purpose.
  private static final Duration LONG = Duration.ofMinutes(2);

  private final AtomicLong now = new AtomicLong();

  private Http1Client client(WireServer server) {
    return new Http1Client(server.uri(), null, Duration.ofSeconds(10), CAP, now::get);
  }

  private static long deadline(Duration d) {
    return System.nanoTime() + d.toNanos();
  }

  /** A server that answers one request with {@code raw} and closes the connection. */
  private static WireServer answering(String raw) {
    return new WireServer(
        c -> {
          c.request();
          c.write(raw);
        });
  }

  /** A server that answers one request with {@code raw} and waits for the client to close. */
  private static WireServer answeringAndWaiting(String raw) {
    return new WireServer(
        c -> {
          c.request();
          c.write(raw);
          c.awaitClientClose();
        });
  }

  private static Http1Client.Response get(Http1Client client, String target) throws IOException {
    return client.exchange(
        new Http1Client.Call(), client.request("GET", target, List.of(), null), deadline(LONG));
  }

  /**
   * Runs {@code first}, then the exchange (with the long deadline), on a thread of its own, so that
   * the test's thread can abort it or start others beside it.
   */
  private static CompletableFuture<Http1Client.Response> onItsOwnThread(
      Http1Client client, Http1Client.Call call, Http1Client.Request request, Runnable first) {
    return CompletableFuture.supplyAsync(
        () -> {
          first.run();
          try {
            return client.exchange(call, request, deadline(LONG));
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        },
        r -> new Thread(r).start());
  }

  private static String text(Http1Client.Response r) {
    return new String(r.body(), UTF_8);
  }

  @Test
  void request_onTheWire_isExactlyWhatVaultExpects() throws Exception {
    try (WireServer server =
            new WireServer(
                c -> {
                  while (c.request() != null) {
                    c.ok("{}");
                  }
                });
        Http1Client client =
            new Http1Client(
                URI.create(server.uri() + "/prefix/"),
                null,
                Duration.ofSeconds(10),
                CAP,
                now::get)) {
      List<String[]> headers = new ArrayList<>();
      headers.add(new String[] {"X-Vault-Token", "s.token"});
      client.exchange(
          new Http1Client.Call(),
          client.request("GET", "/v1/secret/data/a%20b?version=2", headers, null),
          deadline(LONG));
      client.exchange(
          new Http1Client.Call(),
          client.request("POST", "/v1/auth/approle/login", List.of(), "{\"a\":1}".getBytes(UTF_8)),
          deadline(LONG));
      String authority = server.uri().getRawAuthority();
      assertThat(server.requests())
          .containsExactly(
              "GET /prefix/v1/secret/data/a%20b?version=2 HTTP/1.1\r\nHost: "
                  + authority
                  + "\r\nX-Vault-Token: s.token\r\n\r\n",
              "POST /prefix/v1/auth/approle/login HTTP/1.1\r\nHost: "
                  + authority
                  + "\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"s.canary\r\nX-Injected: yes", "s.canary\n", "s.canary\u0000", "s.é"})
  void headerValue_thatHTTPCannotCarry_isRefused_namingTheHeader_neverTheValue(String token)
      throws Exception {
    try (WireServer server = new WireServer(c -> c.request());
        Http1Client client = client(server)) {
      List<String[]> headers = List.<String[]>of(new String[] {"X-Vault-Token", token});
      assertThatThrownBy(() -> client.request("GET", "/v1/x", headers, null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("X-Vault-Token")
          .hasMessageNotContaining("canary")
          .hasMessageNotContaining("Injected");
      assertThat(server.accepted()).isZero();
    }
  }

  @Test
  void target_withASpaceOrALineBreak_isRefused() throws Exception {
    try (WireServer server = new WireServer(c -> c.request());
        Http1Client client = client(server)) {
      for (String target : List.of("/v1/a b", "/v1/a\r\nX: y", "/v1/é")) {
        assertThatThrownBy(() -> client.request("GET", target, List.of(), null))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("the request path holds a character HTTP cannot carry");
      }
    }
  }

  @Test
  void contentLength_theConnectionIsKept_andTheNextRequestUsesIt() throws Exception {
    try (WireServer server =
            new WireServer(
                c -> {
                  while (c.request() != null) {
                    c.ok("answer-" + c.index);
                  }
                });
        Http1Client client = client(server)) {
      assertThat(text(get(client, "/v1/a"))).isEqualTo("answer-1");
      assertThat(client.idle()).isEqualTo(1);
      assertThat(text(get(client, "/v1/b"))).isEqualTo("answer-1");
      assertThat(server.accepted()).isEqualTo(1);
    }
  }

  @Test
  void chunked_withExtensionsAndTrailers_isDecoded_andTheConnectionKept() throws Exception {
    try (WireServer server =
            new WireServer(
                c -> {
                  while (c.request() != null) {
                    c.write(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "5;name=value\r\nhello\r\n"
                            + "1\r\n \r\n"
                            + "A\r\n0123456789\r\n"
                            + "0\r\nX-Trailer: t\r\n\r\n");
                  }
                });
        Http1Client client = client(server)) {
      assertThat(text(get(client, "/v1/a"))).isEqualTo("hello 0123456789");
      assertThat(text(get(client, "/v1/a"))).isEqualTo("hello 0123456789");
      assertThat(server.accepted()).isEqualTo(1);
    }
  }

  @Test
  void chunkSizes_inEitherCase_withLeadingZeros_orWhiteSpaceBeforeAnExtension_areRead()
      throws Exception {
    try (WireServer server =
            answering(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "00000000000000a\r\n0123456789\r\n"
                    + "B \t;name=value\r\nabcdefghijk\r\n"
                    + "0\r\n\r\n");
        Http1Client client = client(server)) {
      assertThat(text(get(client, "/v1/a"))).isEqualTo("0123456789abcdefghijk");
    }
  }

  @Test
  void idleConnection_thatReceivedAnAnswerNobodyAskedFor_isClosed_neverRead() throws Exception {
    CountDownLatch firstAnswered = new CountDownLatch(1);
    CountDownLatch forgedSent = new CountDownLatch(1);
    try (WireServer server =
            new WireServer(
                c -> {
                  c.request();
                  if (c.index > 1) {
                    c.ok("second");
                    c.awaitClientClose();
                    return;
                  }
                  c.ok("first");
                  awaitQuietly(firstAnswered);
                  // After the answer, unasked: what a desynchronised or hostile server sends.
                  c.write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged");
                  forgedSent.countDown();
                  c.awaitClientClose();
                });
        Http1Client client = client(server)) {
      assertThat(text(get(client, "/v1/a"))).isEqualTo("first");
      assertThat(client.idle()).isEqualTo(1);
      firstAnswered.countDown();
      assertThat(forgedSent.await(30, TimeUnit.SECONDS)).isTrue();
      until("the unasked answer to reach the client", client::idleHasUnreadBytes);
      assertThat(text(get(client, "/v1/b"))).isEqualTo("second");
      assertThat(server.accepted()).isEqualTo(2);
      assertThat(server.requests()).hasSize(2);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) throws IOException {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IOException("the test never went on");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Test
  void informationalAnswers_areSkipped() throws Exception {
    try (WireServer server =
            new WireServer(
                c -> {
                  c.request();
                  c.write(
                      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n");
                  c.ok("done");
                });
        Http1Client client = client(server)) {
      assertThat(text(get(client, "/v1/a"))).isEqualTo("done");
    }
  }

  @Test
  void listedContentLengths_thatAgree_areOne() throws Exception {
    try (WireServer server =
            answering("HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc");
        Http1Client client = client(server)) {
      assertThat(text(get(client, "/v1/a"))).isEqualTo("abc");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // A body read until the connection closes.
        "HTTP/1.1 200 OK\r\n\r\nuntil-closed",
        "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 12\r\n\r\nuntil-closed",
        "HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 12\r\n\r\nuntil-closed",
        "HTTP/1.0 200 OK\r\nContent-Length: 12\r\n\r\nuntil-closed",
        // Transfer-Encoding beside Content-Length: the chunks win, the connection closes.
        "HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "c\r\nuntil-closed\r\n0\r\n\r\n"
      })
  void answersThatEndTheirConnection_areRead_andTheConnectionIsNotKept(String answer)
      throws Exception {
    CountDownLatch closedByClient = new CountDownLatch(1);
    try (WireServer server =
            new WireServer(
                c -> {
                  c.request();
                  c.write(answer);
                  if (answer.contains("Content-Length: 12") || answer.contains("chunked")) {
                    // Framed answers: the client must close, not the server.
                    c.awaitClientClose();
                    closedByClient.countDown();
                  }
                });
        Http1Client client = client(server)) {
      assertThat(text(get(client, "/v1/a"))).isEqualTo("until-closed");
      assertThat(client.idle()).isZero();
      if (answer.contains("Content-Length: 12") || answer.contains("chunked")) {
        assertThat(closedByClient.await(30, TimeUnit.SECONDS)).isTrue();
      }
    }
  }

  @Test
  void idleConnection_closedByTheServer_aGetIsSentAgainOnANewOne() throws Exception {
    try (WireServer server =
            new WireServer(
                c -> {
                  // Answers one request as if it kept the connection, then closes it.
                  c.request();
                  c.ok("answer-" + c.index);
                });
        Http1Client client = client(server)) {
      assertThat(text(get(client, "/v1/a"))).isEqualTo("answer-1");
      assertThat(client.idle()).isEqualTo(1);
      assertThat(text(get(client, "/v1/b"))).isEqualTo("answer-2");
      assertThat(server.accepted()).isEqualTo(2);
    }
  }

  @Test
  void post_neverTakesAnIdleConnection_andIsNeverSentTwice() throws Exception {
    AtomicInteger posts = new AtomicInteger();
    try (WireServer server =
            new WireServer(
                c -> {
                  String request;
                  while ((request = c.request()) != null) {
                    if (request.startsWith("POST")) {
                      posts.incrementAndGet();
                      return; // closes the connection without an answer
                    }
                    c.ok("get");
                  }
                });
        Http1Client client = client(server)) {
      get(client, "/v1/a");
      assertThat(client.idle()).isEqualTo(1);
      Http1Client.Request post = client.request("POST", "/v1/auth/x/login", List.of(), new byte[0]);
      assertThatThrownBy(() -> client.exchange(new Http1Client.Call(), post, deadline(LONG)))
          .isInstanceOf(EOFException.class)
          .hasMessage("the connection closed before an answer");
      assertThat(server.accepted()).isEqualTo(2);
      assertThat(posts).hasValue(1);
      assertThat(client.idle()).as("the GET's connection is still kept").isEqualTo(1);
    }
  }

  @Test
  void reusedConnection_thatTimesOut_isNotSentAgain() throws Exception {
    try (WireServer server =
            new WireServer(
                c -> {
                  c.request();
                  c.ok("first");
                  c.request(); // and never answers
                  c.awaitClientClose();
                });
        Http1Client client = client(server)) {
      get(client, "/v1/a");
      Http1Client.Request again = client.request("GET", "/v1/b", List.of(), null);
      assertThatThrownBy(
              () ->
                  client.exchange(new Http1Client.Call(), again, deadline(Duration.ofMillis(200))))
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(server.accepted()).isEqualTo(1);
      assertThat(server.requests()).hasSize(2);
    }
  }

  @Test
  void idleConnections_olderThanTheLimit_areClosed_notUsed() throws Exception {
    CountDownLatch firstClosed = new CountDownLatch(1);
    try (WireServer server =
            new WireServer(
                c -> {
                  while (c.request() != null) {
                    c.ok("answer-" + c.index);
                  }
                  if (c.index == 1) {
                    firstClosed.countDown();
                  }
                });
        Http1Client client = client(server)) {
      get(client, "/v1/a");
      now.addAndGet(Http1Client.MAX_IDLE_TIME.toNanos() + 1);
      assertThat(text(get(client, "/v1/b"))).isEqualTo("answer-2");
      assertThat(firstClosed.await(30, TimeUnit.SECONDS)).as("the expired one was closed").isTrue();
    }
  }

  @Test
  void idleConnections_areCapped() throws Exception {
    int exchanges = Http1Client.MAX_IDLE + 3;
    CountDownLatch allArrived = new CountDownLatch(exchanges);
    try (WireServer server =
            new WireServer(
                c -> {
                  while (c.request() != null) {
                    allArrived.countDown();
                    try {
                      allArrived.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    c.ok("x");
                  }
                });
        Http1Client client = client(server)) {
      List<CompletableFuture<Http1Client.Response>> all = new ArrayList<>();
      for (int i = 0; i < exchanges; i++) {
        all.add(
            onItsOwnThread(
                client,
                new Http1Client.Call(),
                client.request("GET", "/v1/a", List.of(), null),
                () -> {}));
      }
      for (CompletableFuture<Http1Client.Response> f : all) {
        assertThat(f.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
      }
      assertThat(server.accepted()).isEqualTo(exchanges);
      assertThat(client.idle()).isEqualTo(Http1Client.MAX_IDLE);
    }
  }

  @Test
  void close_closesTheIdleConnections_andKeepsNoneAfterwards() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    try (WireServer server =
        new WireServer(
            c -> {
              while (c.request() != null) {
                c.ok("x");
              }
              closed.countDown();
            })) {
      Http1Client client = client(server);
      get(client, "/v1/a");
      client.close();
      assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(client.idle()).isZero();
    }
  }

  @Test
  void bodyCutShort_isAnEndOfStream_namingTheCounts() throws Exception {
    try (WireServer server = answering("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabcd");
        Http1Client client = client(server)) {
      assertThatThrownBy(() -> get(client, "/v1/a"))
          .isInstanceOf(EOFException.class)
          .hasMessage("the answer ended after 4 of its 10 bytes");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Trailer: t\r\n",
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n",
        "HTTP/1.1 200 OK\r\nContent-Type: application/js",
        ""
      })
  void answerCutShort_anywhere_isAnEndOfStream(String answer) throws Exception {
    try (WireServer server = answering(answer);
        Http1Client client = client(server)) {
      assertThatThrownBy(() -> get(client, "/v1/a")).isInstanceOf(EOFException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTP/1.1 200 OK\r\nContent-Length: 1025\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n401\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n",
        "HTTP/1.1 200 OK\r\n\r\n"
      })
  void answerOverTheCap_isTooLarge_withoutReadingItAll(String head) throws Exception {
    try (WireServer server =
            new WireServer(
                c -> {
                  c.request();
                  c.write(head);
                  // More than the cap follows where the framing lets it (chunks, until closed).
                  String kib = "x".repeat(1024);
                  c.write(head.endsWith("400\r\n") ? kib + "\r\n1\r\nx\r\n0\r\n\r\n" : kib + "x");
                });
        Http1Client client = client(server)) {
      assertThatThrownBy(() -> get(client, "/v1/a"))
          .isInstanceOf(Http1Client.TooLarge.class)
          .hasMessage("the answer is larger than 1024 bytes");
    }
  }

  @Test
  void answerAtTheCap_isRead() throws Exception {
    String kib = "y".repeat(1024);
    try (WireServer server =
            answering("HTTP/1.1 200 OK\r\nContent-Length: " + kib.length() + "\r\n\r\n" + kib);
        Http1Client client = client(server)) {
      assertThat(text(get(client, "/v1/a"))).isEqualTo(kib);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SSH-2.0-OpenSSH_9.6\r\n",
        "HTTP/2 200\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 099 Low\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        "HTTP/1.1 200 OK\r\n: no name\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: 1\r\n folded: continuation\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
        "HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\nabcd",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\n",
        // A chunk size is hex digits only: no sign, no prefix, no leading space, 15 digits at most.
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n+2\r\n{}\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n-0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n+0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x2\r\n{}\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n 2\r\n{}\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 x\r\n{}\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n;ext\r\n{}\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0000000000000002\r\n{}\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n"
      })
  void answerThatIsNotHttp11_isAProtocolError(String answer) throws Exception {
    try (WireServer server = answeringAndWaiting(answer);
        Http1Client client = client(server)) {
      assertThatThrownBy(() -> get(client, "/v1/a")).isInstanceOf(ProtocolException.class);
      assertThat(client.idle()).isZero();
    }
  }

  @Test
  void lineLongerThanTheLimit_orHeadersLargerThanTheirs_areProtocolErrors() throws Exception {
    String longLine = "HTTP/1.1 200 OK\r\nX-Long: " + "a".repeat(Http1Client.MAX_LINE) + "\r\n\r\n";
    String manyLines =
        "HTTP/1.1 200 OK\r\n"
            + ("X-Many: " + "b".repeat(1000) + "\r\n").repeat(70)
            + "Content-Length: 0\r\n\r\n";
    for (String answer : List.of(longLine, manyLines)) {
      try (WireServer server = answeringAndWaiting(answer);
          Http1Client client = client(server)) {
        assertThatThrownBy(() -> get(client, "/v1/a"))
            .isInstanceOf(ProtocolException.class)
            .hasMessageMatching(
                "the answer has a line longer than 8192 bytes"
                    + "|the answer's headers are larger than 65536 bytes");
      }
    }
  }

  @Test
  void bareLineFeeds_areAccepted() throws Exception {
    try (WireServer server = answering("HTTP/1.1 200 OK\nContent-Length: 2\n\nok");
        Http1Client client = client(server)) {
      assertThat(text(get(client, "/v1/a"))).isEqualTo("ok");
    }
  }

  @Test
  void abort_whileWaitingForTheAnswer_endsTheExchangeAtOnce() throws Exception {
    CountDownLatch received = new CountDownLatch(1);
    try (WireServer server =
            new WireServer(
                c -> {
                  c.request();
                  received.countDown();
                  c.awaitClientClose();
                });
        Http1Client client = client(server)) {
      Http1Client.Call call = new Http1Client.Call();
      Http1Client.Request request = client.request("GET", "/v1/a", List.of(), null);
      CompletableFuture<Http1Client.Response> exchange =
          onItsOwnThread(client, call, request, () -> {});
      assertThat(received.await(30, TimeUnit.SECONDS)).isTrue();
      call.abort();
      // Far less than the two-minute deadline: the abort, not a time-out, ended it.
      assertThatThrownBy(() -> exchange.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasRootCauseInstanceOf(SocketException.class);
      assertThat(server.accepted()).as("an aborted GET is not sent again").isEqualTo(1);
    }
  }

  @Test
  void abort_beforeTheExchangeStarts_opensNoConnection() throws Exception {
    try (WireServer server = new WireServer(c -> c.request());
        Http1Client client = client(server)) {
      Http1Client.Call call = new Http1Client.Call();
      call.abort();
      Http1Client.Request request = client.request("GET", "/v1/a", List.of(), null);
      assertThatThrownBy(() -> client.exchange(call, request, deadline(LONG)))
          .isInstanceOf(SocketException.class)
          .hasMessage("the exchange was aborted");
      assertThat(server.accepted()).isZero();
    }
  }

  @Test
  void abort_duringTheTlsHandshake_endsTheExchangeAtOnce() throws Exception {
    CountDownLatch helloArrived = new CountDownLatch(1);
    try (WireServer server =
        new WireServer(
            c -> {
              // Reads the ClientHello's first bytes and never answers it.
              c.awaitFirstByte();
              helloArrived.countDown();
              c.awaitClientClose();
            })) {
      URI https = URI.create("https://127.0.0.1:" + server.uri().getPort());
      try (Http1Client client =
          new Http1Client(
              https, () -> (SSLSocketFactory) SSLSocketFactory.getDefault(), LONG, CAP, now::get)) {
        Http1Client.Call call = new Http1Client.Call();
        Http1Client.Request request = client.request("GET", "/v1/a", List.of(), null);
        CompletableFuture<Http1Client.Response> exchange =
            onItsOwnThread(client, call, request, () -> {});
        assertThat(helloArrived.await(30, TimeUnit.SECONDS)).isTrue();
        call.abort();
        // Far less than the two-minute deadline: the abort, not a time-out, ended the handshake.
        assertThatThrownBy(() -> exchange.get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasRootCauseInstanceOf(SocketException.class);
      }
    }
  }

  /**
   * A server whose accept queue is full leaves a new connection's handshake unanswered (Linux drops
   * the SYN), which is the state of a Vault behind a firewall that drops packets: the exchange is
   * stuck in connect, and abort() must end it.
   */
  @Test
  void abort_whileConnecting_endsTheExchangeAtOnce() throws Exception {
    List<Socket> fillers = new ArrayList<>();
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      InetSocketAddress address = (InetSocketAddress) full.getLocalSocketAddress();
      boolean blocks = false;
      for (int i = 0; i < 8 && !blocks; i++) {
        Socket probe = new Socket();
        try {
          probe.connect(address, 300);
          fillers.add(probe);
        } catch (SocketTimeoutException e) {
          probe.close();
          blocks = true;
        }
      }
      assumeTrue(blocks, "this system accepts connections past a full backlog");
      try (Http1Client client =
          new Http1Client(
              URI.create("http://127.0.0.1:" + address.getPort()), null, LONG, CAP, now::get)) {
        Http1Client.Call call = new Http1Client.Call();
        Http1Client.Request request = client.request("GET", "/v1/a", List.of(), null);
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Http1Client.Response> exchange =
            onItsOwnThread(client, call, request, started::countDown);
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        // Whether the abort lands before or during connect, the exchange ends without a time-out.
        call.abort();
        assertThatThrownBy(() -> exchange.get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasRootCauseInstanceOf(SocketException.class);
      }
    } finally {
      for (Socket s : fillers) {
        s.close();
      }
    }
  }

  @Test
  void theJvmsProxySettings_areNeverConsulted() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    ProxySelector original = ProxySelector.getDefault();
    ProxySelector.setDefault(
        new ProxySelector() {
          @Override
          public List<Proxy> select(URI uri) {
            asked.incrementAndGet();
            return List.of(Proxy.NO_PROXY);
          }

          @Override
          public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
        });
    try (WireServer server = answering("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\ndirect");
        Http1Client client = client(server)) {
      assertThat(text(get(client, "/v1/a"))).isEqualTo("direct");
      assertThat(asked).hasValue(0);
    } finally {
      ProxySelector.setDefault(original);
    }
  }

  @Test
  void toString_showsNoRequestOrAnswerBytes() throws Exception {
    try (WireServer server = new WireServer(c -> c.request());
        Http1Client client = client(server)) {
      List<String[]> headers = List.<String[]>of(new String[] {"X-Vault-Token", "s.canary"});
      Http1Client.Request request = client.request("GET", "/v1/a", headers, null);
      assertThat(request.toString()).doesNotContain("canary").startsWith("Request[GET, ");
      assertThat(client.toString()).isEqualTo("Http1Client[http, idle=0]");
      assertThat(new Http1Client.Response(200, "s.canary".getBytes(UTF_8)).toString())
          .isEqualTo("Response[status=200, bytes=8]");
    }
  }

  @Test
  void anAbortBeforeTheExchangeLetsGo_closesItsSockets_andItsConnectionIsNotKept()
      throws IOException {
    try (Socket socket = new Socket()) {
      Http1Client.Call call = new Http1Client.Call();
      call.use(socket, socket);
      call.abort();
      assertThat(socket.isClosed()).isTrue();
      assertThat(call.release()).as("the connection may be kept").isFalse();
    }
  }

  @Test
  void anAbortAfterTheExchangeLetGo_closesNothing_forItsConnectionMayServeAnotherExchange()
      throws IOException {
    try (Socket socket = new Socket()) {
      Http1Client.Call call = new Http1Client.Call();
      call.use(socket, socket);
      assertThat(call.release()).as("the connection may be kept").isTrue();
      call.abort();
      assertThat(socket.isClosed()).isFalse();
    }
  }

  /** A look-up that says when it starts and then hangs, as a name server that never answers. */
  private static final class HungLookup implements Http1Client.Lookup {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch released = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public InetAddress lookUp(String host) throws IOException {
      calls.incrementAndGet();
      started.countDown();
      awaitQuietly(released);
      return InetAddress.getLoopbackAddress();
    }
  }

  private Http1Client namedClient(WireServer server, Http1Client.Lookup lookup) {
    URI named = URI.create("http://vault.example.internal:" + server.uri().getPort());
    return new Http1Client(named, null, Duration.ofSeconds(10), CAP, now::get, lookup);
  }

  @Test
  void abort_whileTheNameIsLookedUp_endsTheExchangeAtOnce() throws Exception {
    HungLookup lookup = new HungLookup();
    try (WireServer server = new WireServer(c -> c.request());
        Http1Client client = namedClient(server, lookup)) {
      Http1Client.Call call = new Http1Client.Call();
      Http1Client.Request request = client.request("GET", "/v1/a", List.of(), null);
      CompletableFuture<Http1Client.Response> exchange =
          onItsOwnThread(client, call, request, () -> {});
      assertThat(lookup.started.await(30, TimeUnit.SECONDS)).isTrue();
      call.abort();
      // The look-up still hangs: the abort, not its end nor the two-minute deadline, ended it.
      assertThatThrownBy(() -> exchange.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasRootCauseInstanceOf(SocketException.class)
          .hasRootCauseMessage("the exchange was aborted");
      assertThat(server.accepted()).isZero();
    } finally {
      lookup.released.countDown();
    }
  }

  @Test
  void nameLookUp_thatOutlastsTheDeadline_isATimeOut() throws Exception {
    HungLookup lookup = new HungLookup();
    try (WireServer server = new WireServer(c -> c.request());
        Http1Client client = namedClient(server, lookup)) {
      Http1Client.Request request = client.request("GET", "/v1/a", List.of(), null);
      assertThatThrownBy(
              () ->
                  client.exchange(
                      new Http1Client.Call(), request, deadline(Duration.ofMillis(200))))
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessage("the deadline passed while looking up vault.example.internal");
      assertThat(lookup.calls).hasValue(1);
      assertThat(server.accepted()).isZero();
    } finally {
      lookup.released.countDown();
    }
  }

  @Test
  void nameLookUp_thatFails_isItsUnknownHost() throws Exception {
    try (WireServer server = new WireServer(c -> c.request());
        Http1Client client =
            namedClient(
                server,
                host -> {
                  throw new UnknownHostException(host);
                })) {
      Http1Client.Request request = client.request("GET", "/v1/a", List.of(), null);
      assertThatThrownBy(() -> client.exchange(new Http1Client.Call(), request, deadline(LONG)))
          .isInstanceOf(UnknownHostException.class)
          .hasMessage("vault.example.internal");
    }
  }

  @Test
  void name_isLookedUpOnce_perConnection_andAnAddressNever() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    Http1Client.Lookup counting =
        host -> {
          lookups.incrementAndGet();
          return InetAddress.getLoopbackAddress();
        };
    try (WireServer server = answeringAndWaiting("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        Http1Client client = namedClient(server, counting)) {
      assertThat(text(get(client, "/v1/a"))).isEqualTo("ok");
      assertThat(lookups).hasValue(1);
    }
    try (WireServer server = answeringAndWaiting("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        Http1Client client =
            new Http1Client(server.uri(), null, Duration.ofSeconds(10), CAP, now::get, counting)) {
      assertThat(server.uri().getHost()).isEqualTo("127.0.0.1");
      assertThat(text(get(client, "/v1/a"))).isEqualTo("ok");
      assertThat(lookups).as("an address is not looked up").hasValue(1);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"127.0.0.1", "10.0.255.1", "::1", "fe80::1%1", "0.0.0.0", "::ffff:127.0.0.1"})
  void addressLiterals_needNoLookUp(String host) {
    assertThat(Loopback.isAddressLiteral(host)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost",
        "vault.internal",
        "256.1.1.1",
        "1.2.3",
        "1.2.3.4.5",
        "1..2.3",
        "1234.1.1.1",
        "a.1.1.1"
      })
  void names_andWhatIsNotAnAddress_areLookedUp(String host) {
    assertThat(Loopback.isAddressLiteral(host)).isFalse();
  }
}
