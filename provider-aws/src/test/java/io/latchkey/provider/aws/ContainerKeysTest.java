package io.latchkey.provider.aws;

import static io.latchkey.provider.aws.RefreshingKeysTest.deadline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.provider.aws.KeySource.KeysUnavailable;
import io.latchkey.provider.aws.RefreshingKeysTest.Loopback;
import io.latchkey.provider.aws.RefreshingKeysTest.Loopback.Reply;
import io.latchkey.provider.aws.RefreshingKeysTest.Loopback.Seen;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCapture;
import io.latchkey.testsupport.MutableClock;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ContainerKeys} against a loopback container credentials endpoint that checks each request
 * as the ECS and EKS Pod Identity endpoints would (method, path and query, authorization) and
 * counts them.
 */
final class ContainerKeysTest {
  private static final String PATH = "/v2/credentials/7b6c1a0e-task?role=app";

  // Canaries: distinctive values that must never reach a message, a log line or a toString().
  private static final String AUTH_TOKEN = "cAnArY-pOd-IdEnTiTy-aUtH-61f0";
  private static final String ROTATED_AUTH = "rOtAtEd-pOd-aUtH-tOkEn-93c2";
  private static final String KEY_ID = "ASIACCANARYKEYID5511";
  private static final String SECRET = "cOnTaInEr/sEcReT+kEy=aa11bb22cc33dd44";
  private static final String SESSION = "IQoJb3JpZ2luQ7xkP2vR9mWcNzT4+/Q==";

  private static final Instant EXPIRY = Instant.parse("2026-11-23T11:00:00Z");

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock();
  private Loopback server;
  private Path tokenFile;
  private ContainerKeys source;

  private void start(Loopback.Answer answer) throws IOException {
    server = new Loopback(answer);
    tokenFile = dir.resolve("canary-auth-token-file");
    Files.writeString(tokenFile, AUTH_TOKEN + "\n");
    source = new ContainerKeys(endpoint(), tokenFile, null, clock, Duration.ofSeconds(10));
  }

  private URI endpoint() {
    return URI.create(server.uri() + PATH);
  }

  @AfterEach
  void close() {
    if (source != null) {
      source.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Checks a request as the endpoint would, and answers with credentials. */
  private static Reply credentials(Seen request, String token, String keyId, Instant expiry) {
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.target()).isEqualTo(PATH);
    if (token == null) {
      assertThat(request.headers().containsKey("Authorization")).isFalse();
    } else {
      assertThat(request.headers().get("Authorization")).containsExactly(token);
    }
    assertThat(request.body()).isEmpty();
    return Reply.json(json(keyId, expiry.toString()));
  }

  static String json(String keyId, String expiration) {
    return "{\"AccessKeyId\":\""
        + keyId
        + "\",\"SecretAccessKey\":\""
        + SECRET
        + "\",\"Token\":\""
        + SESSION
        + "\",\"Expiration\":\""
        + expiration
        + "\",\"RoleArn\":\"arn:aws:iam::123456789012:role/app\"}";
  }

  @Test
  void fetchesCredentials_withTheTokenFromTheFile() throws Exception {
    start(request -> credentials(request, AUTH_TOKEN, KEY_ID, EXPIRY));

    AwsKeys keys = source.keys(deadline());

    assertThat(keys.accessKeyId()).isEqualTo(KEY_ID);
    assertThat(keys.secretAccessKey()).isEqualTo(SECRET);
    assertThat(keys.sessionToken()).isEqualTo(SESSION);
    assertThat(keys.expiration()).isEqualTo(EXPIRY);
    assertThat(server.count()).isEqualTo(1);
    assertThat(source.description()).isEqualTo("container endpoint");
  }

  @Test
  void aGivenToken_isPreferredToTheFile_andNoTokenSendsNoHeader() throws Exception {
    start(request -> credentials(request, "given-token", KEY_ID, EXPIRY));
    try (ContainerKeys given =
        new ContainerKeys(endpoint(), tokenFile, "given-token", clock, Duration.ofSeconds(10))) {
      assertThat(given.keys(deadline()).accessKeyId()).isEqualTo(KEY_ID);
    }

    server.answer(request -> credentials(request, null, KEY_ID, EXPIRY));
    try (ContainerKeys none =
        new ContainerKeys(endpoint(), null, null, clock, Duration.ofSeconds(10))) {
      assertThat(none.keys(deadline()).accessKeyId()).isEqualTo(KEY_ID);
    }
    assertThat(server.count()).isEqualTo(2);
  }

  @Test
  void refreshes_onlyOnceFewerThanFiveMinutesAreLeft_rereadingTheRotatedToken() throws Exception {
    start(request -> credentials(request, AUTH_TOKEN, KEY_ID, EXPIRY));
    source.keys(deadline());

    clock.advance(Duration.ofMinutes(55));
    source.keys(deadline());
    assertThat(server.count()).isEqualTo(1);

    Files.writeString(tokenFile, ROTATED_AUTH);
    server.answer(
        request ->
            credentials(request, ROTATED_AUTH, "ASIACSECONDKEY000002", EXPIRY.plusSeconds(3600)));
    clock.advance(Duration.ofSeconds(1));
    assertThat(source.keys(deadline()).accessKeyId()).isEqualTo("ASIACSECONDKEY000002");
    assertThat(server.count()).isEqualTo(2);
  }

  @Test
  void failedRefresh_whileValid_returnsTheOldCredentials_andWarns() throws Exception {
    start(request -> credentials(request, AUTH_TOKEN, KEY_ID, EXPIRY));
    source.keys(deadline());
    server.answer(
        request -> new Reply(500, "application/json", "{\"message\":\"" + SECRET + "\"}"));
    clock.advance(Duration.ofMinutes(58));

    String log;
    AwsKeys keys;
    try (LogCapture capture = LogCapture.start()) {
      keys = source.keys(deadline());
      log = capture.text();
    }

    assertThat(keys.accessKeyId()).isEqualTo(KEY_ID);
    assertThat(server.count()).isEqualTo(2);
    assertThat(log)
        .contains("WARN")
        .contains("container endpoint")
        .contains("the container credentials endpoint failed (HTTP 500)");
    assertNoCanary(log);
  }

  @Test
  void failedRefresh_onceExpired_throws() throws Exception {
    start(request -> credentials(request, AUTH_TOKEN, KEY_ID, EXPIRY));
    source.keys(deadline());
    server.answer(request -> new Reply(403, "application/json", "{}"));
    clock.advance(Duration.ofMinutes(61));

    assertThatThrownBy(() -> source.keys(deadline()))
        .isInstanceOf(KeysUnavailable.class)
        .hasMessage("the container credentials endpoint refused the request (HTTP 403)");
  }

  @Test
  void statuses_mapToRefusalsAndFailures() throws Exception {
    start(request -> new Reply(401, null, ""));
    assertThatThrownBy(() -> source.keys(deadline()))
        .isInstanceOf(KeysUnavailable.class)
        .hasMessage("the container credentials endpoint refused the request (HTTP 401)");

    server.answer(request -> new Reply(502, null, ""));
    assertThatThrownBy(() -> source.keys(deadline()))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(KeysUnavailable.class)
        .hasMessage("the container credentials endpoint failed (HTTP 502)");
  }

  @Test
  void malformedAnswers_areRefused_withoutQuotingThem() throws Exception {
    start(request -> Reply.json("{}"));
    List<String> bodies =
        List.of(
            "{\"AccessKeyId\":\"" + KEY_ID + "\",\"SecretAccessKey\":\"" + SECRET,
            "[\"" + SECRET + "\"]",
            "{\"SecretAccessKey\":\"" + SECRET + "\"}",
            json(KEY_ID, "in an hour " + SECRET),
            json(KEY_ID, EXPIRY.toString()).replace("\"Token\":\"", "\"Token\":\"a\\nb"),
            json(KEY_ID, EXPIRY.toString())
                .replace("\"AccessKeyId\":\"", "\"AccessKeyId\":7,\"x\":\""),
            json(KEY_ID, EXPIRY.toString()) + json(KEY_ID, EXPIRY.toString()),
            "not json " + SECRET);
    for (String body : bodies) {
      server.answer(request -> Reply.json(body));
      Throwable e = catchThrowable(() -> source.keys(deadline()));
      assertThat(e).as(body.substring(0, 12)).isInstanceOf(KeysUnavailable.class);
      assertThat(e.getMessage()).startsWith("the answer of the container credentials endpoint ");
      assertNoCanary(e);
    }
  }

  @Test
  void withoutTokenOrExpiry_theCredentialsAreAskedForHourly() throws Exception {
    start(
        request ->
            Reply.json(
                "{\"AccessKeyId\":\"" + KEY_ID + "\",\"SecretAccessKey\":\"" + SECRET + "\"}"));

    AwsKeys keys = source.keys(deadline());
    assertThat(keys.sessionToken()).isNull();
    assertThat(keys.expiration()).isNull();

    clock.advance(Duration.ofMinutes(60));
    source.keys(deadline());
    assertThat(server.count()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    source.keys(deadline());
    assertThat(server.count()).isEqualTo(2);
  }

  @Test
  void aTokenWithALineBreak_isRefused_andNotSent() throws Exception {
    start(request -> credentials(request, AUTH_TOKEN, KEY_ID, EXPIRY));
    Files.writeString(tokenFile, AUTH_TOKEN + "\r\nX-Injected: 1\n");

    Throwable e = catchThrowable(() -> source.keys(deadline()));

    assertThat(e)
        .isInstanceOf(KeysUnavailable.class)
        .hasMessage("the container authorization token holds a line break");
    assertThat(server.count()).isZero();
    assertNoCanary(e);

    try (ContainerKeys given =
        new ContainerKeys(endpoint(), null, "a\nb", clock, Duration.ofSeconds(10))) {
      assertThatThrownBy(() -> given.keys(deadline()))
          .hasMessage("the container authorization token holds a line break");
    }
    Files.writeString(tokenFile, "caf\u00e9");
    assertThatThrownBy(() -> source.keys(deadline()))
        .hasMessage(
            "the container authorization token holds a character an HTTP header cannot carry");
    Files.writeString(tokenFile, "\n");
    assertThatThrownBy(() -> source.keys(deadline()))
        .hasMessage("the container authorization token file is empty");
    assertThat(server.count()).isZero();
  }

  @Test
  void plainHttp_isTakenOnlyToLoopbackAndTheContainerEndpoints() {
    Duration t = Duration.ofSeconds(1);
    assertThatThrownBy(
            () -> new ContainerKeys(URI.create("http://10.1.2.3/creds"), null, null, clock, t))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use https");
    new ContainerKeys(URI.create("http://169.254.170.2/v2/credentials/x"), null, null, clock, t)
        .close();
    new ContainerKeys(URI.create("http://169.254.170.23/v1/credentials"), null, null, clock, t)
        .close();
    new ContainerKeys(URI.create("http://[fd00:ec2::23]/v1/credentials"), null, null, clock, t)
        .close();
    new ContainerKeys(URI.create("http://127.0.0.1:8080/creds"), null, null, clock, t).close();
    new ContainerKeys(URI.create("http://[::1]:8080/creds"), null, null, clock, t).close();
    new ContainerKeys(URI.create("https://10.1.2.3/creds"), null, null, clock, t).close();
    assertThatThrownBy(
            () -> new ContainerKeys(URI.create("http://u:p@127.0.0.1/c"), null, null, clock, t))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEndpointThatDoesNotAnswer_timesOut_namingTheSource() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    start(
        request -> {
          release.await(30, TimeUnit.SECONDS);
          return credentials(request, AUTH_TOKEN, KEY_ID, EXPIRY);
        });
    try (ContainerKeys quick =
        new ContainerKeys(endpoint(), tokenFile, null, clock, Duration.ofMillis(200))) {
      assertThatThrownBy(() -> quick.keys(deadline()))
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessage("the container credentials endpoint did not answer in time");
    } finally {
      release.countDown();
    }
  }

  @Test
  void canaries_neverReachMessagesLogsOrToString() throws Exception {
    start(request -> credentials(request, AUTH_TOKEN, KEY_ID, EXPIRY));
    List<Throwable> thrown = new ArrayList<>();
    String log;
    try (LogCapture capture = LogCapture.startAtEveryLevel()) {
      assertNoCanary(source.keys(deadline()).toString() + source);
      clock.advance(Duration.ofMinutes(57));
      server.answer(request -> new Reply(403, "text/plain", AUTH_TOKEN + SECRET));
      source.keys(deadline());
      clock.advance(Duration.ofMinutes(5));
      thrown.add(catchThrowable(() -> source.keys(deadline())));
      server.answer(request -> Reply.json(json(KEY_ID, SESSION)));
      thrown.add(catchThrowable(() -> source.keys(deadline())));
      log = capture.text();
      // The path may carry a task's id: the provider's own lines never name it (the loopback
      // server's FINE lines, which the capture holds too, do).
      assertThat(capture.events()).noneMatch(event -> event.text().contains(PATH));
    }
    assertThat(thrown).doesNotContainNull();
    thrown.forEach(this::assertNoCanary);
    assertNoCanary(log);
  }

  private void assertNoCanary(String output) {
    for (String canary : List.of(AUTH_TOKEN, ROTATED_AUTH, KEY_ID, SECRET, SESSION)) {
      Leaks.assertNoLeak("the output", output, canary);
    }
    assertThat(output).doesNotContain("canary-auth-token-file");
  }

  private void assertNoCanary(Throwable e) {
    for (String canary : List.of(AUTH_TOKEN, ROTATED_AUTH, KEY_ID, SECRET, SESSION)) {
      Leaks.assertNoLeak(e, canary);
    }
    for (String text : Leaks.texts(e)) {
      assertThat(text).doesNotContain("canary-auth-token-file");
    }
  }
}
