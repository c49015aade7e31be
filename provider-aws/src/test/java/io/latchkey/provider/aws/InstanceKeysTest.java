package io.latchkey.provider.aws;

import static io.latchkey.provider.aws.RefreshingKeysTest.deadline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import io.latchkey.provider.aws.KeySource.KeysUnavailable;
import io.latchkey.provider.aws.RefreshingKeysTest.Loopback;
import io.latchkey.provider.aws.RefreshingKeysTest.Loopback.Reply;
import io.latchkey.provider.aws.RefreshingKeysTest.Loopback.Seen;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCapture;
import io.latchkey.testsupport.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link InstanceKeys} against a loopback instance metadata service that speaks IMDSv2 as EC2's
 * does: a session token from {@code PUT /latest/api/token}, required on every other request and
 * refused (401) once it is no longer valid; the role's name; its credentials. It counts requests.
 */
final class InstanceKeysTest {
  private static final String TOKEN_PATH = "/latest/api/token";
  private static final String LIST_PATH = "/latest/meta-data/iam/security-credentials/";
  private static final String ROLE = "app-instance-role";

  // Canaries: distinctive values that must never reach a message, a log line or a toString().
  private static final String IMDS_TOKEN = "AQAEAcAnArYiMdSsEsSiOnToKeN-7d1e==";
  private static final String KEY_ID = "ASIAICANARYKEYID9182";
  private static final String SECRET = "iNsTaNcE/sEcReT+kEy=ff99ee88dd77cc66";
  private static final String SESSION = "IQoJb3JpZ2luH3gWq8LzV5nYtK1+/A==";

  private static final Instant EXPIRY = Instant.parse("2026-11-23T11:00:00Z");

  private final MutableClock clock = new MutableClock();
  private final Imds imds = new Imds();
  private Loopback server;
  private InstanceKeys source;

  private void start() {
    server = new Loopback(imds::answer);
    source = new InstanceKeys(server.uri(), clock, Duration.ofSeconds(10));
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

  /** The metadata service's behaviour, which tests change. */
  private static final class Imds {
    final AtomicInteger tokensIssued = new AtomicInteger();
    volatile String validToken;
    volatile int tokenStatus = 200;
    volatile int listStatus = 200;
    volatile String roles = ROLE + "\n";
    volatile String keyId = KEY_ID;
    volatile Instant expiry = EXPIRY;
    volatile String credentials;
    volatile int credentialsStatus = 200;

    Reply answer(Seen request) {
      if (request.target().equals(TOKEN_PATH)) {
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.header("x-aws-ec2-metadata-token-ttl-seconds")).isEqualTo("21600");
        assertThat(request.header("x-aws-ec2-metadata-token")).isNull();
        assertThat(request.body()).isEmpty();
        if (tokenStatus != 200) {
          return new Reply(tokenStatus, null, "");
        }
        String token = IMDS_TOKEN + tokensIssued.incrementAndGet();
        validToken = token;
        return new Reply(200, "text/plain", token);
      }
      assertThat(request.method()).isEqualTo("GET");
      assertThat(request.body()).isEmpty();
      String token = request.header("x-aws-ec2-metadata-token");
      if (token == null || !token.equals(validToken)) {
        return new Reply(401, null, "");
      }
      if (request.target().equals(LIST_PATH)) {
        return listStatus == 200
            ? new Reply(200, "text/plain", roles)
            : new Reply(listStatus, null, "");
      }
      assertThat(request.target()).isEqualTo(LIST_PATH + ROLE);
      if (credentialsStatus != 200) {
        return new Reply(credentialsStatus, null, "");
      }
      return Reply.json(
          credentials != null ? credentials : json("Success", keyId, expiry.toString()));
    }
  }

  static String json(String code, String keyId, String expiration) {
    return "{\n  \"Code\" : \""
        + code
        + "\",\n  \"LastUpdated\" : \"2026-11-23T09:00:00Z\",\n  \"Type\" : \"AWS-HMAC\",\n"
        + "  \"AccessKeyId\" : \""
        + keyId
        + "\",\n  \"SecretAccessKey\" : \""
        + SECRET
        + "\",\n  \"Token\" : \""
        + SESSION
        + "\",\n  \"Expiration\" : \""
        + expiration
        + "\"\n}";
  }

  @Test
  void fetchesCredentials_withASessionToken_theRoleName_andItsCredentials() throws Exception {
    start();

    AwsKeys keys = source.keys(deadline());

    assertThat(keys.accessKeyId()).isEqualTo(KEY_ID);
    assertThat(keys.secretAccessKey()).isEqualTo(SECRET);
    assertThat(keys.sessionToken()).isEqualTo(SESSION);
    assertThat(keys.expiration()).isEqualTo(EXPIRY);
    assertThat(server.seen())
        .extracting(Seen::method, Seen::target)
        .containsExactly(
            tuple("PUT", TOKEN_PATH), tuple("GET", LIST_PATH), tuple("GET", LIST_PATH + ROLE));
    assertThat(source.description()).isEqualTo("instance metadata service");
  }

  @Test
  void refreshes_onlyOnceFewerThanFiveMinutesAreLeft_keepingTheSessionToken() throws Exception {
    start();
    source.keys(deadline());

    clock.advance(Duration.ofMinutes(55));
    source.keys(deadline());
    assertThat(server.count()).isEqualTo(3);

    imds.keyId = "ASIAISECONDKEY000002";
    imds.expiry = EXPIRY.plusSeconds(3600);
    clock.advance(Duration.ofSeconds(1));
    assertThat(source.keys(deadline()).accessKeyId()).isEqualTo("ASIAISECONDKEY000002");
    assertThat(server.count()).isEqualTo(5);
    assertThat(server.count(TOKEN_PATH)).isEqualTo(1);
  }

  @Test
  void theSessionToken_isReplacedShortlyBeforeItsSixHoursEnd() throws Exception {
    start();
    Instant start = Instant.parse("2026-11-23T10:00:00Z");
    imds.expiry = start.plus(Duration.ofHours(6));
    source.keys(deadline());

    // 5 h 58 min 30 s on, the credentials are due and the token, good until 15:59, is kept.
    clock.advance(Duration.ofHours(6).minusSeconds(90));
    imds.expiry = start.plus(Duration.ofHours(6)).plusSeconds(120);
    source.keys(deadline());
    assertThat(server.count(TOKEN_PATH)).isEqualTo(1);

    // Two minutes on, the new credentials are due (half-way to their end) and the token is not
    // good any more: a new one is asked for first.
    clock.advance(Duration.ofMinutes(2));
    imds.expiry = start.plus(Duration.ofHours(12));
    source.keys(deadline());
    assertThat(server.count(TOKEN_PATH)).isEqualTo(2);
    assertThat(server.count(LIST_PATH + ROLE)).isEqualTo(3);
  }

  @Test
  void aSessionTokenNoLongerAccepted_isReplacedOnce() throws Exception {
    start();
    source.keys(deadline());
    imds.validToken = "revoked";
    imds.keyId = "ASIAISECONDKEY000002";
    imds.expiry = EXPIRY.plusSeconds(3600);
    clock.advance(Duration.ofMinutes(56));

    assertThat(source.keys(deadline()).accessKeyId()).isEqualTo("ASIAISECONDKEY000002");
    assertThat(server.count(TOKEN_PATH)).isEqualTo(2);
  }

  @Test
  void failedRefresh_whileValid_returnsTheOldCredentials_andWarns() throws Exception {
    start();
    source.keys(deadline());
    imds.credentialsStatus = 503;
    clock.advance(Duration.ofMinutes(56));

    String log;
    AwsKeys keys;
    try (LogCapture capture = LogCapture.start()) {
      keys = source.keys(deadline());
      log = capture.text();
    }

    assertThat(keys.accessKeyId()).isEqualTo(KEY_ID);
    assertThat(server.count(LIST_PATH + ROLE)).isEqualTo(2);
    assertThat(log)
        .contains("WARN")
        .contains("instance metadata service")
        .contains("the instance metadata service failed (HTTP 503)");
    assertNoCanary(log);
  }

  @Test
  void failedRefresh_onceExpired_throws() throws Exception {
    start();
    source.keys(deadline());
    imds.credentials = json("Expired", KEY_ID, EXPIRY.toString());
    clock.advance(Duration.ofHours(1));

    assertThatThrownBy(() -> source.keys(deadline()))
        .isInstanceOf(KeysUnavailable.class)
        .hasMessage("the instance metadata service has no credentials for the role (Expired)");
  }

  @Test
  void aRefusedSessionToken_isNotFollowedByIMDSv1Requests() throws Exception {
    start();
    for (int status : new int[] {400, 403, 404, 405}) {
      imds.tokenStatus = status;
      Throwable e = catchThrowable(() -> source.keys(deadline()));
      assertThat(e)
          .isInstanceOf(KeysUnavailable.class)
          .hasMessage(
              "the instance metadata service refused a session token (HTTP "
                  + status
                  + "); IMDSv1 is not used");
    }
    assertThat(server.count()).isEqualTo(server.count(TOKEN_PATH));

    imds.tokenStatus = 500;
    assertThatThrownBy(() -> source.keys(deadline()))
        .isInstanceOf(IOException.class)
        .hasMessage("the instance metadata service failed to hand out a session token (HTTP 500)");
  }

  @Test
  void noRole_orAStrangeOne_isRefused() throws Exception {
    start();
    imds.listStatus = 404;
    assertThatThrownBy(() -> source.keys(deadline()))
        .isInstanceOf(KeysUnavailable.class)
        .hasMessageContaining("names no IAM role")
        .hasMessageContaining("HTTP 404");

    imds.listStatus = 200;
    for (String roles : List.of("", "\n", "../../../latest/user-data", "a b\n", "r\u00f4le")) {
      imds.roles = roles;
      assertThatThrownBy(() -> source.keys(deadline()))
          .isInstanceOf(KeysUnavailable.class)
          .hasMessage("the instance metadata service names no valid IAM role");
    }
    assertThat(server.count(LIST_PATH + ROLE)).isZero();

    // The first of several names, as the SDK takes it.
    imds.roles = ROLE + "\nother-role\n";
    assertThat(source.keys(deadline()).accessKeyId()).isEqualTo(KEY_ID);
  }

  @Test
  void serverErrors_andMalformedAnswers() throws Exception {
    start();
    imds.listStatus = 500;
    assertThatThrownBy(() -> source.keys(deadline()))
        .isInstanceOf(IOException.class)
        .hasMessage("the instance metadata service failed (HTTP 500)");
    imds.listStatus = 200;

    List<String> bodies =
        List.of(
            "{\"Code\":\"Success\",\"AccessKeyId\":\"" + KEY_ID + "\"",
            json("Success", KEY_ID, EXPIRY.toString()).replace("\"Token\"", "\"Tok\""),
            json("Success", KEY_ID, "at noon " + SECRET),
            json("Success", KEY_ID, EXPIRY.toString()).replace("\"Code\" : \"Success\",", ""),
            "[]",
            "<html>" + SECRET + "</html>");
    for (String body : bodies) {
      imds.credentials = body;
      Throwable e = catchThrowable(() -> source.keys(deadline()));
      assertThat(e).isInstanceOf(KeysUnavailable.class);
      assertThat(e.getMessage()).startsWith("the answer of the instance metadata service ");
      assertNoCanary(e);
    }

    imds.credentials = json(KEY_ID + SECRET, KEY_ID, EXPIRY.toString());
    Throwable e = catchThrowable(() -> source.keys(deadline()));
    assertThat(e)
        .hasMessage(
            "the instance metadata service has no credentials for the role (an unreadable code)");
    assertNoCanary(e);
  }

  @Test
  void canaries_neverReachMessagesLogsOrToString() throws Exception {
    start();
    List<Throwable> thrown = new ArrayList<>();
    String log;
    try (LogCapture capture = LogCapture.startAtEveryLevel()) {
      assertNoCanary(source.keys(deadline()).toString() + source);
      clock.advance(Duration.ofMinutes(57));
      imds.credentialsStatus = 500;
      source.keys(deadline());
      clock.advance(Duration.ofMinutes(5));
      thrown.add(catchThrowable(() -> source.keys(deadline())));
      imds.credentialsStatus = 200;
      imds.credentials = json("Success", KEY_ID, SESSION);
      thrown.add(catchThrowable(() -> source.keys(deadline())));
      log = capture.text();
    }
    assertThat(thrown).doesNotContainNull();
    thrown.forEach(this::assertNoCanary);
    assertNoCanary(log);
  }

  private void assertNoCanary(String output) {
    for (String canary : List.of(IMDS_TOKEN, KEY_ID, SECRET, SESSION)) {
      Leaks.assertNoLeak("the output", output, canary);
    }
  }

  private void assertNoCanary(Throwable e) {
    for (String canary : List.of(IMDS_TOKEN, KEY_ID, SECRET, SESSION)) {
      Leaks.assertNoLeak(e, canary);
    }
  }
}
