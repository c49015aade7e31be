package io.latchkey.provider.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.latchkey.spi.Http1Client;
import io.latchkey.spi.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSocketFactory;

/**
 * A source of temporary credentials fetched over HTTP (from STS, a container endpoint or the
 * instance metadata service), kept until fewer than {@link #REFRESH_BEFORE} of them are left and
 * then fetched again.
 *
 * <p>A refresh that fails while the credentials in hand are still valid is not an error: they are
 * returned, a warning names the source and the reason, and the next attempt waits {@link
 * #RETRY_AFTER} so that an endpoint that is down does not add its time-out to every request signed
 * in the meantime. Once they have expired a failed refresh is thrown.
 *
 * <p>Expiry is read from the {@link Clock} the source was given, so that tests move time by hand;
 * only I/O is bounded by {@link System#nanoTime()} deadlines. One fetch runs at a time: a caller
 * that finds one under way waits for it (until its own deadline) and takes its result.
 */
abstract class RefreshingKeys implements KeySource {
  /** Credentials with fewer than this left are fetched again. */
  static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);

  /**
   * How long after a failed refresh the credentials in hand are used without trying again, while
   * they are valid.
   */
  static final Duration RETRY_AFTER = Duration.ofMinutes(1);

  /**
   * When credentials that carry no expiry are fetched again; they are kept if that fails. The AWS
   * SDK's container provider refreshes such credentials hourly too.
   */
  static final Duration REFRESH_UNDATED = Duration.ofHours(1);

  /** The largest answer or file read: credentials and tokens are well under it. */
  static final int CAP = 64 * 1024;

  /** The credentials in hand and when to fetch again. */
  private record Held(AwsKeys keys, Instant refreshAt) {}

  private final String description;
  private final String endpoint;
  private final Clock clock;
  private final Duration timeout;
  private final Http1Client http;
  private final ReentrantLock fetching = new ReentrantLock();
  // Read without the lock on the fast path; written only under it.
  private volatile Held held;
  private volatile Http1Client.Call inFlight;
  private volatile boolean closed;

  /**
   * @param description the source, as {@link #description()} gives it
   * @param endpoint the endpoint, as messages name it, such as {@code "STS"}
   * @param origin the endpoint's origin, {@code http} or {@code https}
   * @param clock the clock expiry is read from
   * @param timeout the longest one fetch may take, all of its requests together
   */
  RefreshingKeys(String description, String endpoint, URI origin, Clock clock, Duration timeout) {
    this.description = requireNonNull(description, "description");
    this.endpoint = requireNonNull(endpoint, "endpoint");
    this.clock = requireNonNull(clock, "clock");
    this.timeout = requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the time-out must be positive");
    }
    String scheme = requireNonNull(origin, "origin").getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("the URL of " + endpoint + " is not http or https");
    }
    if (origin.getRawUserInfo() != null) {
      // Credentials in a URL end up in logs and error pages; none of these endpoints takes them.
      throw new IllegalArgumentException(
          "the URL of " + endpoint + " holds user information, which it never takes");
    }
    boolean https = "https".equalsIgnoreCase(scheme);
    this.http =
        new Http1Client(
            origin,
            https ? () -> (SSLSocketFactory) SSLSocketFactory.getDefault() : null,
            timeout,
            CAP,
            System::nanoTime);
  }

  /**
   * Fetches credentials from the endpoint.
   *
   * @param deadline the {@link System#nanoTime()} by which the fetch must have ended
   * @return the credentials
   * @throws KeysUnavailable if the endpoint refuses them or its answer is not what it defines; the
   *     message names the source and the reason, never a value
   * @throws IOException if the endpoint cannot be reached, times out or fails (HTTP 5xx)
   */
  abstract AwsKeys fetch(long deadline) throws KeysUnavailable, IOException;

  @Override
  public final AwsKeys keys(long deadline) throws KeysUnavailable, IOException {
    Held h = held;
    if (h != null && !closed && current(h, clock.instant())) {
      return h.keys;
    }
    checkOpen();
    // Credentials still valid (in their refresh window, or kept after a failed refresh) are not
    // worth waiting for another caller's refresh: that caller refreshes, the others sign with them.
    if (h != null && valid(h.keys, clock.instant())) {
      if (!fetching.tryLock()) {
        return h.keys;
      }
    } else {
      try {
        long wait = deadline - System.nanoTime();
        if (!fetching.tryLock(Math.max(0, wait), TimeUnit.NANOSECONDS)) {
          return waitedTooLong();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException(
            "interrupted while waiting for AWS credentials from " + description);
      }
    }
    try {
      return refresh(deadline);
    } finally {
      fetching.unlock();
    }
  }

  /** How many callers wait for the fetch under way; for tests. */
  final int waiting() {
    return fetching.getQueueLength();
  }

  private AwsKeys refresh(long deadline) throws KeysUnavailable, IOException {
    checkOpen();
    Held h = held;
    Instant now = clock.instant();
    // Another caller may have refreshed while this one waited for the lock.
    if (h != null && current(h, now)) {
      return h.keys;
    }
    long start = System.nanoTime();
    long end = start + timeout.toNanos();
    long fetchDeadline = end - deadline < 0 ? end : deadline;
    if (h != null && valid(h.keys, now)) {
      // The call that refreshes keeps half of its time for itself: it can sign with the keys in
      // hand if the refresh does not answer.
      fetchDeadline = start + Math.max(0, (fetchDeadline - start) / 2);
    }
    AwsKeys fresh;
    try {
      fresh = checked(fetch(fetchDeadline));
    } catch (KeysUnavailable | IOException e) {
      // The fetch took time: whether the old credentials still hold is asked of the clock again.
      Instant after = clock.instant();
      if (h != null && valid(h.keys, after)) {
        AwsLog.LOG.warn(
            "AWS credentials from {} could not be refreshed ({}); the current ones stay in use"
                + " until they expire, and the refresh is tried again in {} s",
            description,
            reason(e),
            RETRY_AFTER.toSeconds());
        held = new Held(h.keys, after.plus(RETRY_AFTER));
        return h.keys;
      }
      held = null;
      throw e;
    }
    Instant after = clock.instant();
    checkOpen(); // closed during the fetch: the credentials are not kept
    held = new Held(fresh, refreshAt(fresh, after));
    AwsLog.LOG.debug(
        "AWS credentials fetched from {}{}",
        description,
        fresh.expiration() == null ? ", with no expiry" : ", expiring at " + fresh.expiration());
    return fresh;
  }

  private AwsKeys checked(AwsKeys fresh) throws KeysUnavailable {
    Instant exp = fresh.expiration();
    if (exp != null && !clock.instant().isBefore(exp)) {
      throw new KeysUnavailable(
          "the credentials from " + description + " had expired when they were handed out");
    }
    return fresh;
  }

  /** A waiter whose deadline passed takes the credentials in hand if they still hold. */
  private AwsKeys waitedTooLong() throws SocketTimeoutException {
    Held h = held;
    if (h != null && valid(h.keys, clock.instant())) {
      return h.keys;
    }
    throw new SocketTimeoutException(
        "timed out waiting for the fetch of AWS credentials from " + description);
  }

  private static boolean current(Held h, Instant now) {
    return !now.isAfter(h.refreshAt) && valid(h.keys, now);
  }

  private static boolean valid(AwsKeys keys, Instant now) {
    return keys.expiration() == null || now.isBefore(keys.expiration());
  }

  /**
   * When to fetch again: {@link #REFRESH_BEFORE} before expiry, or, for credentials handed out with
   * less than that left, half-way to expiry, so that a source that only ever hands out short
   * credentials is asked a few times per lifetime rather than at every request.
   */
  private static Instant refreshAt(AwsKeys keys, Instant now) {
    Instant exp = keys.expiration();
    if (exp == null) {
      return now.plus(REFRESH_UNDATED);
    }
    Instant due = exp.minus(REFRESH_BEFORE);
    if (due.isAfter(now)) {
      return due;
    }
    return now.plus(Duration.between(now, exp).dividedBy(2));
  }

  /** The endpoint, as messages name it. */
  final String endpoint() {
    return endpoint;
  }

  /** The clock expiry is read from. */
  final Clock clock() {
    return clock;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the " + description + " credentials source is closed");
    }
  }

  /**
   * Makes one exchange with the endpoint, which {@link #close()} aborts if it is still under way.
   * The request is wiped afterwards, since it may carry a token.
   *
   * @param method the method
   * @param target the path and query
   * @param headers name and value pairs
   * @param body the body, or null
   * @param idempotent whether the request may be sent again on a fresh connection
   * @param deadline the {@link System#nanoTime()} by which the answer must have arrived
   * @return the answer
   * @throws IOException if the exchange fails; the message names the source
   */
  final Http1Client.Response exchange(
      String method,
      String target,
      List<String[]> headers,
      byte[] body,
      boolean idempotent,
      long deadline)
      throws IOException {
    Http1Client.Request request = http.request(method, target, headers, body, idempotent);
    Http1Client.Call call = new Http1Client.Call();
    inFlight = call;
    try {
      if (closed) {
        call.abort();
      }
      return http.exchange(call, request, deadline);
    } catch (SocketTimeoutException e) {
      SocketTimeoutException named =
          new SocketTimeoutException(endpoint + " did not answer in time");
      named.initCause(e);
      throw named;
    } catch (IOException e) {
      throw new IOException(endpoint + " could not be reached (" + kind(e) + ")", e);
    } finally {
      inFlight = null;
      request.wipe();
    }
  }

  /**
   * The failure an answer that is not 200 stands for: a server error (5xx) is an {@link
   * IOException}, since it may pass, and anything else a refusal.
   *
   * @param status the status
   * @return the refusal, to throw
   * @throws IOException for a server error
   */
  final KeysUnavailable refused(int status) throws IOException {
    if (status >= 500) {
      throw new IOException(endpoint + " failed (HTTP " + status + ")");
    }
    return new KeysUnavailable(endpoint + " refused the request (HTTP " + status + ")");
  }

  /**
   * Reads the credentials of a JSON answer, as the container endpoint and the instance metadata
   * service give them: {@code AccessKeyId}, {@code SecretAccessKey}, {@code Token} and {@code
   * Expiration}, the names the AWS SDK's {@code HttpCredentialsLoader} reads.
   *
   * @param answer the answer, an object
   * @param temporary whether the token and the expiry are required
   * @return the credentials
   * @throws KeysUnavailable if the answer does not hold them; the message names the member, never a
   *     value
   */
  final AwsKeys jsonKeys(JsonValue answer, boolean temporary) throws KeysUnavailable {
    try {
      String accessKeyId = answer.string("AccessKeyId");
      String secretAccessKey = answer.string("SecretAccessKey");
      String token =
          temporary ? answer.string("Token") : answer.optionalString("Token").orElse(null);
      String expiration =
          temporary
              ? answer.string("Expiration")
              : answer.optionalString("Expiration").orElse(null);
      return validKeys(
          accessKeyId,
          secretAccessKey,
          token,
          expiration == null ? null : expiration(expiration, "member 'Expiration'"));
    } catch (IllegalArgumentException e) {
      throw new KeysUnavailable(
          "the answer of " + endpoint + " does not hold credentials: " + e.getMessage());
    }
  }

  /**
   * Reads an answer as JSON.
   *
   * @param response the answer
   * @return its value, an object
   * @throws KeysUnavailable if it is not a JSON object; the message never quotes it
   */
  final JsonValue json(Http1Client.Response response) throws KeysUnavailable {
    JsonValue answer;
    try {
      answer = response.json();
    } catch (IllegalArgumentException e) {
      throw new KeysUnavailable(
          "the answer of " + endpoint + " is not valid JSON: " + e.getMessage());
    }
    if (answer.type() != JsonValue.Type.OBJECT) {
      throw new KeysUnavailable("the answer of " + endpoint + " is not a JSON object");
    }
    return answer;
  }

  /**
   * Checks credentials read from an answer: each part present and made of the printable ASCII
   * characters a header and a signature take.
   *
   * @param accessKeyId the access key id
   * @param secretAccessKey the secret key
   * @param token the session token, or null
   * @param expiration the expiry, or null
   * @return the credentials
   * @throws IllegalArgumentException if a part is empty or holds another character; the message
   *     names the part, never its value
   */
  static AwsKeys validKeys(
      String accessKeyId, String secretAccessKey, String token, Instant expiration) {
    printable(accessKeyId, "AccessKeyId");
    printable(secretAccessKey, "SecretAccessKey");
    if (token != null) {
      printable(token, "the session token");
    }
    return new AwsKeys(accessKeyId, secretAccessKey, token, expiration);
  }

  private static void printable(String value, String what) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new IllegalArgumentException(what + " holds a character other than printable ASCII");
      }
    }
  }

  /**
   * Reads an expiry as the AWS SDK does: ISO-8601 in UTC ({@code 2026-11-23T10:00:00Z}, with or
   * without fractions of a second), a trailing {@code +0000} read as {@code Z}, or with another
   * offset.
   *
   * @param text the time
   * @param what the member, for the message
   * @return the instant
   * @throws IllegalArgumentException if it is none of these; the message never quotes it
   */
  static Instant expiration(String text, String what) {
    String t = text.endsWith("+0000") ? text.substring(0, text.length() - 5) + "Z" : text;
    try {
      return DateTimeFormatter.ISO_INSTANT.parse(t, Instant::from);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException(what + " is not an ISO-8601 time");
      }
    }
  }

  /**
   * Reads a small file that holds a token, again at each call since such files rotate: a regular
   * file only (links followed), so that a pipe or a device named by mistake is never opened; at
   * most {@link #CAP} bytes of UTF-8; surrounding white space removed.
   *
   * @param file the file
   * @param what the file, for messages, such as {@code "the web identity token file"}; never its
   *     path, which tells where a token lies
   * @return the token, not empty
   * @throws KeysUnavailable if it cannot be read or is empty
   */
  static String readToken(Path file, String what) throws KeysUnavailable {
    byte[] bytes;
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        throw new KeysUnavailable(what + " is not a regular file");
      }
      try (InputStream in = Files.newInputStream(file)) {
        // One byte past the cap tells a file that grew after its size was read.
        bytes = in.readNBytes(CAP + 1);
      }
    } catch (IOException | SecurityException e) {
      // The exception's message is the path: only its kind is told.
      throw new KeysUnavailable(what + " cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    if (bytes.length > CAP) {
      throw new KeysUnavailable(what + " is larger than " + CAP + " bytes");
    }
    String text;
    try {
      text = UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new KeysUnavailable(what + " is not UTF-8 text");
    }
    String token = text.strip();
    if (token.isEmpty()) {
      throw new KeysUnavailable(what + " is empty");
    }
    return token;
  }

  /**
   * A failure's reason for a log line: the message of the exceptions this class and its sources
   * throw, which name the source and never a value.
   */
  private static String reason(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  /**
   * What went wrong with a connection: the exception's kind and its message, which the JDK's
   * sockets and the HTTP client write without a request's content.
   */
  private static String kind(IOException e) {
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + message;
  }

  /** The source's description, for messages. */
  @Override
  public final String description() {
    return description;
  }

  /** Aborts a fetch under way, drops the credentials in hand and closes the connections. */
  @Override
  public final void close() {
    closed = true;
    Http1Client.Call call = inFlight;
    if (call != null) {
      call.abort();
    }
    held = null;
    http.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + description + "]";
  }
}
