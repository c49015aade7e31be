package io.latchkey.provider.aws;

import static io.latchkey.testsupport.Waiting.until;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.latchkey.provider.aws.KeySource.KeysUnavailable;
import io.latchkey.testsupport.CapturingSlf4jProvider;
import io.latchkey.testsupport.LogCapture;
import io.latchkey.testsupport.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * The refresh rules every source of temporary credentials shares, against a scripted source whose
 * fetches the test decides: when credentials are fetched again, what a failed refresh returns, one
 * fetch at a time. Time is a clock the test moves; nothing sleeps.
 */
final class RefreshingKeysTest {
  static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  static final Instant EXPIRY = START.plus(Duration.ofHours(1));

  private final MutableClock clock = new MutableClock();
  private final Scripted source = new Scripted(clock);

  @AfterEach
  void close() {
    source.close();
  }

  /** A deadline far enough away that no test reaches it. */
  static long deadline() {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
  }

  private static AwsKeys keys(String id, Instant expiration) {
    return new AwsKeys(id, "secret-" + id, "token-" + id, expiration);
  }

  @Test
  void firstCall_fetches_andLaterCalls_useTheCredentialsInHand() throws Exception {
    source.next(keys("A", EXPIRY));

    assertThat(source.keys(deadline()).accessKeyId()).isEqualTo("A");
    assertThat(source.keys(deadline()).accessKeyId()).isEqualTo("A");
    assertThat(source.fetches.get()).isEqualTo(1);
  }

  @Test
  void refreshes_onceFewerThanFiveMinutesAreLeft() throws Exception {
    source.next(keys("A", EXPIRY));
    source.next(keys("B", EXPIRY.plus(Duration.ofHours(1))));
    source.keys(deadline());

    clock.advance(Duration.ofMinutes(55)); // exactly five minutes left
    assertThat(source.keys(deadline()).accessKeyId()).isEqualTo("A");
    assertThat(source.fetches.get()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    assertThat(source.keys(deadline()).accessKeyId()).isEqualTo("B");
    assertThat(source.fetches.get()).isEqualTo(2);
  }

  @Test
  void failedRefresh_whileValid_keepsTheCredentials_warns_andWaitsAMinuteBeforeTryingAgain()
      throws Exception {
    source.next(keys("A", EXPIRY));
    source.keys(deadline());
    clock.advance(Duration.ofMinutes(56));
    source.fail(new KeysUnavailable("the scripted endpoint refused the request (HTTP 403)"));

    List<CapturingSlf4jProvider.Event> warnings;
    try (LogCapture log = LogCapture.start()) {
      assertThat(source.keys(deadline()).accessKeyId()).isEqualTo("A");
      warnings = log.events().stream().filter(e -> e.level() == Level.WARN).toList();
    }

    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).message())
        .contains("scripted source")
        .contains("the scripted endpoint refused the request (HTTP 403)")
        .contains("current ones stay in use");
    assertThat(source.fetches.get()).isEqualTo(2);

    // Within the minute, the credentials in hand are used without asking.
    clock.advance(Duration.ofSeconds(59));
    assertThat(source.keys(deadline()).accessKeyId()).isEqualTo("A");
    assertThat(source.fetches.get()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(2));
    source.next(keys("B", EXPIRY.plus(Duration.ofHours(1))));
    assertThat(source.keys(deadline()).accessKeyId()).isEqualTo("B");
    assertThat(source.fetches.get()).isEqualTo(3);
  }

  @Test
  void failedRefresh_onceExpired_isThrown_andTheCredentialsAreDropped() throws Exception {
    source.next(keys("A", EXPIRY));
    source.keys(deadline());
    clock.advance(Duration.ofHours(1));
    source.fail(new IOException("the scripted endpoint failed (HTTP 503)"));

    assertThatThrownBy(() -> source.keys(deadline()))
        .isInstanceOf(IOException.class)
        .hasMessage("the scripted endpoint failed (HTTP 503)");

    source.fail(new KeysUnavailable("the scripted endpoint refused the request (HTTP 403)"));
    assertThatThrownBy(() -> source.keys(deadline())).isInstanceOf(KeysUnavailable.class);
    assertThat(source.fetches.get()).isEqualTo(3);
  }

  @Test
  void retryAfterAFailure_neverOutlivesTheCredentials() throws Exception {
    source.next(keys("A", EXPIRY));
    source.keys(deadline());
    clock.advance(Duration.ofMinutes(59).plusSeconds(30));
    source.fail(new IOException("down"));
    assertThat(source.keys(deadline()).accessKeyId()).isEqualTo("A");

    // Thirty seconds later they have expired: the minute's wait does not apply.
    clock.advance(Duration.ofSeconds(30));
    source.fail(new IOException("still down"));
    assertThatThrownBy(() -> source.keys(deadline())).hasMessage("still down");
  }

  @Test
  void credentialsHandedOutWithLessThanFiveMinutes_areRefreshedHalfWay() throws Exception {
    source.next(keys("A", START.plus(Duration.ofMinutes(4))));
    source.next(keys("B", START.plus(Duration.ofHours(2))));
    source.keys(deadline());

    clock.advance(Duration.ofMinutes(2));
    assertThat(source.keys(deadline()).accessKeyId()).isEqualTo("A");
    clock.advance(Duration.ofSeconds(1));
    assertThat(source.keys(deadline()).accessKeyId()).isEqualTo("B");
  }

  @Test
  void credentialsHandedOutExpired_areRefused() {
    source.next(keys("A", START));

    assertThatThrownBy(() -> source.keys(deadline()))
        .isInstanceOf(KeysUnavailable.class)
        .hasMessage("the credentials from scripted source had expired when they were handed out");
  }

  @Test
  void credentialsWithoutExpiry_areAskedForHourly_andKeptIfThatFails() throws Exception {
    source.next(new AwsKeys("A", "secret", null, null));
    source.keys(deadline());

    clock.advance(Duration.ofMinutes(60));
    assertThat(source.keys(deadline()).accessKeyId()).isEqualTo("A");
    assertThat(source.fetches.get()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    source.fail(new IOException("down"));
    try (LogCapture log = LogCapture.start()) {
      assertThat(source.keys(deadline()).accessKeyId()).isEqualTo("A");
      assertThat(log.text()).contains("could not be refreshed");
    }
    assertThat(source.fetches.get()).isEqualTo(2);
  }

  @Test
  void oneFetchAtATime_concurrentCallersWaitForItsResult() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    source.block(entered, release);
    source.next(keys("A", EXPIRY));
    ExecutorService threads = Executors.newFixedThreadPool(3);
    try {
      Future<AwsKeys> first = threads.submit(() -> source.keys(deadline()));
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
      Future<AwsKeys> second = threads.submit(() -> source.keys(deadline()));
      Future<AwsKeys> third = threads.submit(() -> source.keys(deadline()));
      until("two callers waiting for the fetch", () -> source.waiting() == 2);
      release.countDown();

      assertThat(first.get(30, TimeUnit.SECONDS).accessKeyId()).isEqualTo("A");
      assertThat(second.get(30, TimeUnit.SECONDS)).isSameAs(first.get());
      assertThat(third.get(30, TimeUnit.SECONDS)).isSameAs(first.get());
      assertThat(source.fetches.get()).isEqualTo(1);
    } finally {
      release.countDown();
      threads.shutdownNow();
    }
  }

  @Test
  void aCallerWhoseDeadlinePassesWhileWaiting_takesValidCredentials_orTimesOut() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService threads = Executors.newSingleThreadExecutor();
    try {
      source.block(entered, release);
      source.next(keys("A", EXPIRY));
      Future<AwsKeys> first = threads.submit(() -> source.keys(deadline()));
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

      // No credentials yet: a caller out of time times out.
      assertThat(catchThrowable(() -> source.keys(System.nanoTime())))
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessageContaining("scripted source");
      release.countDown();
      assertThat(first.get(30, TimeUnit.SECONDS).accessKeyId()).isEqualTo("A");

      // Credentials due for refresh but valid: a caller out of time takes them.
      clock.advance(Duration.ofMinutes(56));
      CountDownLatch entered2 = new CountDownLatch(1);
      CountDownLatch release2 = new CountDownLatch(1);
      source.block(entered2, release2);
      source.next(keys("B", EXPIRY.plus(Duration.ofHours(1))));
      Future<AwsKeys> refresh = threads.submit(() -> source.keys(deadline()));
      assertThat(entered2.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(source.keys(System.nanoTime()).accessKeyId()).isEqualTo("A");
      release2.countDown();
      assertThat(refresh.get(30, TimeUnit.SECONDS).accessKeyId()).isEqualTo("B");
    } finally {
      release.countDown();
      threads.shutdownNow();
    }
  }

  @Test
  void whileTheCredentialsInHandAreValid_otherCallersSignWithThem_insteadOfWaitingForTheRefresh()
      throws Exception {
    source.next(keys("A", EXPIRY));
    source.keys(deadline());
    clock.advance(Duration.ofMinutes(56)); // due for refresh, valid for four more minutes
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    source.block(entered, release);
    source.next(keys("B", EXPIRY.plus(Duration.ofHours(1))));
    ExecutorService threads = Executors.newSingleThreadExecutor();
    try {
      Future<AwsKeys> refresh = threads.submit(() -> source.keys(deadline()));
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

      // With a whole deadline ahead, the caller still does not wait for the refresh.
      assertThat(source.keys(deadline()).accessKeyId()).isEqualTo("A");
      assertThat(source.waiting()).isZero();

      release.countDown();
      assertThat(refresh.get(30, TimeUnit.SECONDS).accessKeyId()).isEqualTo("B");
      assertThat(source.fetches.get()).isEqualTo(2);
    } finally {
      release.countDown();
      threads.shutdownNow();
    }
  }

  @Test
  void aRefreshOfValidCredentials_getsAtMostHalfOfTheCallersTime() throws Exception {
    source.next(keys("A", EXPIRY));
    source.keys(deadline());
    clock.advance(Duration.ofMinutes(56));
    source.next(keys("B", EXPIRY.plus(Duration.ofHours(1))));
    long now = System.nanoTime();
    long callerDeadline = now + TimeUnit.SECONDS.toNanos(4);

    source.keys(callerDeadline);
    long after = System.nanoTime();

    // The refresh got a deadline no later than half-way from its start to the caller's (the
    // source's own time-out, 5 s, is longer): the caller keeps the rest to sign with the keys in
    // hand. Its start lies between now and after.
    assertThat(source.lastDeadline).isLessThanOrEqualTo(after + (callerDeadline - after) / 2);
    assertThat(source.lastDeadline).isGreaterThanOrEqualTo(now + (callerDeadline - now) / 2);
  }

  @Test
  void closedSource_refusesCalls() throws Exception {
    source.next(keys("A", EXPIRY));
    source.keys(deadline());
    source.close();
    source.close();

    assertThatThrownBy(() -> source.keys(deadline()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the scripted source credentials source is closed");
  }

  @Test
  void expiry_isReadAsTheSdkReadsIt() {
    assertThat(RefreshingKeys.expiration("2026-11-23T11:00:00Z", "x")).isEqualTo(EXPIRY);
    assertThat(RefreshingKeys.expiration("2026-11-23T11:00:00.000Z", "x")).isEqualTo(EXPIRY);
    assertThat(RefreshingKeys.expiration("2026-11-23T11:00:00+0000", "x")).isEqualTo(EXPIRY);
    assertThat(RefreshingKeys.expiration("2026-11-23T12:00:00+01:00", "x")).isEqualTo(EXPIRY);
    assertThatThrownBy(() -> RefreshingKeys.expiration("tomorrow", "member 'Expiration'"))
        .hasMessage("member 'Expiration' is not an ISO-8601 time");
    assertThatThrownBy(() -> RefreshingKeys.expiration("2026-11-23 11:00:00", "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tokenFiles_areRegularFilesOfAtMost64KiB_strippedAndNotEmpty(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("canary-token-file-name");
    Files.writeString(file, "  token-value\n");
    assertThat(RefreshingKeys.readToken(file, "the token file")).isEqualTo("token-value");

    Files.writeString(file, " \n");
    assertThatThrownBy(() -> RefreshingKeys.readToken(file, "the token file"))
        .hasMessage("the token file is empty");

    Files.write(file, new byte[64 * 1024 + 1]);
    assertThatThrownBy(() -> RefreshingKeys.readToken(file, "the token file"))
        .hasMessage("the token file is larger than 65536 bytes");

    Files.write(file, new byte[] {'a', (byte) 0xff});
    assertThatThrownBy(() -> RefreshingKeys.readToken(file, "the token file"))
        .hasMessage("the token file is not UTF-8 text");

    assertThatThrownBy(() -> RefreshingKeys.readToken(dir, "the token file"))
        .hasMessage("the token file is not a regular file");

    Throwable missing =
        catchThrowable(() -> RefreshingKeys.readToken(dir.resolve("absent"), "the token file"));
    assertThat(missing)
        .isInstanceOf(KeysUnavailable.class)
        .hasMessage("the token file cannot be read (NoSuchFileException)");
    assertThat(missing.getMessage()).doesNotContain(dir.toString());
  }

  @Test
  void credentialsThatAHeaderCannotCarry_areRefused() {
    assertThatThrownBy(() -> RefreshingKeys.validKeys("AKIA\nX", "s", null, null))
        .hasMessage("AccessKeyId holds a character other than printable ASCII");
    assertThatThrownBy(() -> RefreshingKeys.validKeys("AKIA", "", null, null))
        .hasMessage("SecretAccessKey is empty");
    assertThatThrownBy(() -> RefreshingKeys.validKeys("AKIA", "s", "tok en", null))
        .hasMessage("the session token holds a character other than printable ASCII");
  }

  /** A source whose fetches return what the test scripts, and count. */
  private static final class Scripted extends RefreshingKeys {
    final AtomicInteger fetches = new AtomicInteger();
    volatile long lastDeadline;
    private final Deque<Object> script = new ArrayDeque<>();
    private volatile CountDownLatch entered;
    private volatile CountDownLatch release;

    Scripted(MutableClock clock) {
      // Never connected to: the script answers instead.
      super(
          "scripted source",
          "the scripted endpoint",
          URI.create("http://127.0.0.1:9"),
          clock,
          Duration.ofSeconds(5));
    }

    synchronized void next(AwsKeys keys) {
      script.add(keys);
    }

    synchronized void fail(Exception e) {
      script.add(e);
    }

    void block(CountDownLatch entered, CountDownLatch release) {
      this.entered = entered;
      this.release = release;
    }

    @Override
    AwsKeys fetch(long deadline) throws KeysUnavailable, IOException {
      lastDeadline = deadline;
      fetches.incrementAndGet();
      CountDownLatch in = entered;
      CountDownLatch out = release;
      if (in != null) {
        entered = null;
        in.countDown();
        try {
          out.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
      Object next;
      synchronized (this) {
        next = script.poll();
      }
      if (next instanceof KeysUnavailable) {
        throw (KeysUnavailable) next;
      }
      if (next instanceof IOException) {
        throw (IOException) next;
      }
      if (next == null) {
        throw new AssertionError("no fetch scripted");
      }
      return (AwsKeys) next;
    }
  }

  /**
   * A loopback HTTP server for the sources' tests: it records every request and answers as the test
   * tells it.
   */
  static final class Loopback implements AutoCloseable {
    /** A request as the server received it. */
    record Seen(String method, String target, Headers headers, String body) {
      String header(String name) {
        return headers.getFirst(name);
      }
    }

    /** An answer. */
    record Reply(int status, String contentType, String body) {
      static Reply json(String body) {
        return new Reply(200, "application/json", body);
      }

      static Reply xml(String body) {
        return new Reply(200, "text/xml", body);
      }
    }

    /** What the server answers a request. */
    interface Answer {
      Reply to(Seen request) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private volatile Answer answer;

    Loopback(Answer answer) {
      this.answer = answer;
      try {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      server.setExecutor(threads);
      server.createContext("/", this::handle);
      server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        String target = exchange.getRequestURI().getRawPath();
        if (exchange.getRequestURI().getRawQuery() != null) {
          target += "?" + exchange.getRequestURI().getRawQuery();
        }
        Seen request =
            new Seen(
                exchange.getRequestMethod(),
                target,
                exchange.getRequestHeaders(),
                new String(exchange.getRequestBody().readAllBytes(), UTF_8));
        seen.add(request);
        Reply reply;
        try {
          reply = answer.to(request);
        } catch (Exception | AssertionError e) {
          // Reported by close(), which fails the test: the client sees only a server error.
          failures.add(e);
          reply = new Reply(500, "text/plain", "");
        }
        byte[] body = reply.body().getBytes(UTF_8);
        if (reply.contentType() != null) {
          exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        }
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
      }
    }

    /** Changes what the server answers from the next request on. */
    void answer(Answer answer) {
      this.answer = answer;
    }

    /** The server's origin, {@code http://127.0.0.1:<port>}. */
    URI uri() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every request so far, oldest first. */
    List<Seen> seen() {
      return List.copyOf(seen);
    }

    /** How many requests so far. */
    int count() {
      return seen.size();
    }

    /** How many requests so far to {@code target}. */
    long count(String target) {
      return seen.stream().filter(s -> s.target().equals(target)).count();
    }

    /** Stops the server; fails if an answer threw, such as a check of a request. */
    @Override
    public void close() {
      server.stop(0);
      threads.shutdownNow();
      if (!failures.isEmpty()) {
        AssertionError e = new AssertionError("the server's answer failed");
        failures.forEach(e::addSuppressed);
        throw e;
      }
    }
  }
}
