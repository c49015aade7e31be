package io.latchkey.provider.aws;

import static io.latchkey.provider.aws.RefreshingKeysTest.deadline;
import static java.nio.charset.StandardCharsets.UTF_8;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WebIdentityKeys} against a loopback STS that checks each {@code AssumeRoleWithWebIdentity}
 * request as STS would (method, path, content type, form body) and counts them.
 */
final class WebIdentityKeysTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/app-role";
  private static final String ROLE_FORM = "arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fapp-role";

  // Canaries: distinctive values that must never reach a message, a log line or a toString().
  private static final String WEB_TOKEN = "eyJ.cAnArYwEbIdToKeN-4f1x_z~q+/=";
  private static final String WEB_TOKEN_FORM = "eyJ.cAnArYwEbIdToKeN-4f1x_z~q%2B%2F%3D";
  private static final String ROTATED_TOKEN = "eyJ.rOtAtEdWeBtOkEn-88c1";
  private static final String KEY_ID = "ASIAQCANARYKEYID7733";
  private static final String SECRET = "cAnArY/sEcReT+kEy=9q8w7e6r5t4y3u2i1o0p";
  private static final String SESSION = "FwoGZXIvYXdzECanarySessionToken+/zZ9==";

  private static final Instant EXPIRY = Instant.parse("2026-11-23T11:00:00Z");

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock();
  private final List<String> tokensSeen = new ArrayList<>();
  private Loopback sts;
  private Path tokenFile;
  private WebIdentityKeys source;

  private void start(Loopback.Answer answer) throws IOException {
    sts = new Loopback(answer);
    tokenFile = dir.resolve("canary-web-token-file");
    Files.writeString(tokenFile, WEB_TOKEN + "\n");
    source =
        new WebIdentityKeys(
            sts.uri(), "eu-west-1", tokenFile, ROLE, "latchkey-app", clock, Duration.ofSeconds(10));
  }

  @AfterEach
  void close() {
    if (source != null) {
      source.close();
    }
    if (sts != null) {
      sts.close();
    }
  }

  /** Checks a request as STS would, and answers with credentials expiring at {@code expiry}. */
  private Reply credentials(Seen request, String keyId, Instant expiry) {
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.target()).isEqualTo("/");
    assertThat(request.header("Content-Type"))
        .isEqualTo("application/x-www-form-urlencoded; charset=utf-8");
    assertThat(request.header("Host")).isEqualTo(sts.uri().getAuthority());
    assertThat(request.header("Authorization")).isNull();
    String prefix =
        "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn="
            + ROLE_FORM
            + "&RoleSessionName=latchkey-app&WebIdentityToken=";
    assertThat(request.body()).startsWith(prefix);
    tokensSeen.add(request.body().substring(prefix.length()));
    return Reply.xml(answer(keyId, SECRET, SESSION, expiry.toString()));
  }

  static String answer(String keyId, String secret, String session, String expiration) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<AssumeRoleWithWebIdentityResponse"
        + " xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
        + "  <AssumeRoleWithWebIdentityResult>\n"
        + "    <SubjectFromWebIdentityToken>system:serviceaccount:prod:app"
        + "</SubjectFromWebIdentityToken>\n"
        + "    <Audience>sts.amazonaws.com</Audience>\n"
        + "    <AssumedRoleUser>\n"
        + "      <AssumedRoleId>AROAEXAMPLE:latchkey-app</AssumedRoleId>\n"
        + "      <Arn>arn:aws:sts::123456789012:assumed-role/app-role/latchkey-app</Arn>\n"
        + "    </AssumedRoleUser>\n"
        + "    <Credentials>\n"
        + "      <AccessKeyId>"
        + keyId
        + "</AccessKeyId>\n"
        + "      <SecretAccessKey>"
        + secret
        + "</SecretAccessKey>\n"
        + "      <SessionToken>"
        + session
        + "</SessionToken>\n"
        + "      <Expiration>"
        + expiration
        + "</Expiration>\n"
        + "    </Credentials>\n"
        + "    <Provider>arn:aws:iam::123456789012:oidc-provider/oidc.eks.example</Provider>\n"
        + "  </AssumeRoleWithWebIdentityResult>\n"
        + "  <ResponseMetadata>\n"
        + "    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>\n"
        + "  </ResponseMetadata>\n"
        + "</AssumeRoleWithWebIdentityResponse>\n";
  }

  static String error(String code) {
    return "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
        + "  <Error>\n"
        + "    <Type>Sender</Type>\n"
        + "    <Code>"
        + code
        + "</Code>\n"
        + "    <Message>Token "
        + WEB_TOKEN
        + " is not valid</Message>\n"
        + "  </Error>\n"
        + "  <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>\n"
        + "</ErrorResponse>\n";
  }

  @Test
  void fetchesCredentials_withAnUnsignedFormRequest() throws Exception {
    start(request -> credentials(request, KEY_ID, EXPIRY));

    AwsKeys keys = source.keys(deadline());

    assertThat(keys.accessKeyId()).isEqualTo(KEY_ID);
    assertThat(keys.secretAccessKey()).isEqualTo(SECRET);
    assertThat(keys.sessionToken()).isEqualTo(SESSION);
    assertThat(keys.expiration()).isEqualTo(EXPIRY);
    assertThat(tokensSeen).containsExactly(WEB_TOKEN_FORM);
    assertThat(sts.seen().get(0).body())
        .isEqualTo(
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn="
                + ROLE_FORM
                + "&RoleSessionName=latchkey-app&WebIdentityToken="
                + WEB_TOKEN_FORM);
    assertThat(source.description()).isEqualTo("web identity");
  }

  @Test
  void refreshes_onlyOnceFewerThanFiveMinutesAreLeft_rereadingTheRotatedToken() throws Exception {
    start(request -> credentials(request, KEY_ID, EXPIRY));
    source.keys(deadline());

    clock.advance(Duration.ofMinutes(55));
    assertThat(source.keys(deadline()).accessKeyId()).isEqualTo(KEY_ID);
    assertThat(sts.count()).isEqualTo(1);

    Files.writeString(tokenFile, ROTATED_TOKEN);
    sts.answer(request -> credentials(request, "ASIAQSECONDKEY000002", EXPIRY.plusSeconds(3600)));
    clock.advance(Duration.ofSeconds(1));
    assertThat(source.keys(deadline()).accessKeyId()).isEqualTo("ASIAQSECONDKEY000002");
    assertThat(sts.count()).isEqualTo(2);
    assertThat(tokensSeen).containsExactly(WEB_TOKEN_FORM, ROTATED_TOKEN);
  }

  @Test
  void failedRefresh_whileValid_returnsTheOldCredentials_andWarns() throws Exception {
    start(request -> credentials(request, KEY_ID, EXPIRY));
    source.keys(deadline());
    sts.answer(request -> new Reply(400, "text/xml", error("InvalidIdentityToken")));
    clock.advance(Duration.ofMinutes(56));

    String log;
    AwsKeys keys;
    try (LogCapture capture = LogCapture.start()) {
      keys = source.keys(deadline());
      log = capture.text();
    }

    assertThat(keys.accessKeyId()).isEqualTo(KEY_ID);
    assertThat(sts.count()).isEqualTo(2);
    assertThat(log)
        .contains("WARN")
        .contains("web identity")
        .contains("STS refused AssumeRoleWithWebIdentity (InvalidIdentityToken, HTTP 400)");
    assertNoCanary(log);
  }

  @Test
  void failedRefresh_onceExpired_throws() throws Exception {
    start(request -> credentials(request, KEY_ID, EXPIRY));
    source.keys(deadline());
    sts.answer(request -> new Reply(400, "text/xml", error("ExpiredTokenException")));
    clock.advance(Duration.ofHours(1));

    Throwable e = catchThrowable(() -> source.keys(deadline()));

    assertThat(e)
        .isInstanceOf(KeysUnavailable.class)
        .hasMessage("STS refused AssumeRoleWithWebIdentity (ExpiredTokenException, HTTP 400)");
    assertNoCanary(e);
  }

  @Test
  void serverErrors_andTransientCodes_areIoExceptions() throws Exception {
    start(request -> new Reply(503, "text/xml", error("ServiceUnavailable")));
    assertThatThrownBy(() -> source.keys(deadline()))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "STS could not answer AssumeRoleWithWebIdentity (ServiceUnavailable, HTTP 503)");

    sts.answer(request -> new Reply(500, null, ""));
    assertThatThrownBy(() -> source.keys(deadline()))
        .isInstanceOf(IOException.class)
        .hasMessage("STS could not answer AssumeRoleWithWebIdentity (no error code, HTTP 500)");

    sts.answer(request -> new Reply(400, "text/xml", error("IDPCommunicationError")));
    assertThatThrownBy(() -> source.keys(deadline())).isInstanceOf(IOException.class);
  }

  @Test
  void refusals_nameTheCodeOnlyIfItLooksLikeOne() throws Exception {
    start(request -> new Reply(403, "text/xml", error("AccessDenied")));
    assertThatThrownBy(() -> source.keys(deadline()))
        .isInstanceOf(KeysUnavailable.class)
        .hasMessage("STS refused AssumeRoleWithWebIdentity (AccessDenied, HTTP 403)");

    sts.answer(request -> new Reply(400, "text/xml", error(KEY_ID + " " + SECRET)));
    Throwable e = catchThrowable(() -> source.keys(deadline()));
    assertThat(e).hasMessage("STS refused AssumeRoleWithWebIdentity (no error code, HTTP 400)");
    assertNoCanary(e);

    sts.answer(request -> new Reply(400, "text/plain", "not xml " + SECRET));
    assertThat(catchThrowable(() -> source.keys(deadline())))
        .hasMessage("STS refused AssumeRoleWithWebIdentity (no error code, HTTP 400)");
  }

  @Test
  void malformedAnswers_areRefused_withoutQuotingThem() throws Exception {
    start(request -> Reply.xml("<AssumeRoleWithWebIdentityResponse><Credentials>" + SECRET));
    List<String> bodies =
        List.of(
            answer(KEY_ID, SECRET, SESSION, EXPIRY.toString())
                .replace("<Expiration>", "<Expiration><x/>")
                .replace("</Expiration>", "<x/></Expiration>"),
            answer(KEY_ID, SECRET, SESSION, "next tuesday " + SECRET),
            answer(KEY_ID, SECRET, SESSION, EXPIRY.toString())
                .replace("</Credentials>", "<AccessKeyId>AKIA2</AccessKeyId></Credentials>"),
            answer(KEY_ID, SECRET, SESSION, EXPIRY.toString()).replace("<SessionToken>", "<Tok>"),
            answer(KEY_ID, SECRET + "&bogus;", SESSION, EXPIRY.toString()),
            answer(KEY_ID, SECRET, SESSION, EXPIRY.toString()) + "<second/>",
            answer(KEY_ID, SECRET + " \n", SESSION, EXPIRY.toString()),
            "<GetCallerIdentityResponse/>",
            "",
            "{\"Credentials\":{}}");
    for (String body : bodies) {
      sts.answer(request -> Reply.xml(body));
      Throwable e = catchThrowable(() -> source.keys(deadline()));
      assertThat(e)
          .isInstanceOf(KeysUnavailable.class)
          .hasMessageStartingWith("STS's answer to AssumeRoleWithWebIdentity is malformed: ");
      assertNoCanary(e);
    }
  }

  @Test
  void aDoctype_isRefused_beforeAnyEntityIsRead() throws Exception {
    Path outside = dir.resolve("outside.txt");
    Files.writeString(outside, SECRET);
    String body =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \""
            + outside.toUri()
            + "\">]>\n"
            + answer(KEY_ID, "&x;", SESSION, EXPIRY.toString()).replaceFirst("<\\?xml[^>]*>", "");
    start(request -> Reply.xml(body));

    Throwable e = catchThrowable(() -> source.keys(deadline()));

    assertThat(e)
        .isInstanceOf(KeysUnavailable.class)
        .hasMessageContaining("DOCTYPE")
        .hasMessageNotContaining(outside.toString());
    assertNoCanary(e);
  }

  @Test
  void escapedCharacters_areUnescaped() throws Exception {
    start(
        request ->
            Reply.xml(
                answer(
                    KEY_ID,
                    "a&amp;b&lt;c&gt;d&quot;e&apos;f&#43;g&#x2F;h",
                    SESSION,
                    EXPIRY.toString())));

    assertThat(source.keys(deadline()).secretAccessKey()).isEqualTo("a&b<c>d\"e'f+g/h");
  }

  @Test
  void theTokenFile_mustBeARegularFile_andItsPathIsNeverNamed() throws Exception {
    start(request -> credentials(request, KEY_ID, EXPIRY));
    Files.delete(tokenFile);

    Throwable missing = catchThrowable(() -> source.keys(deadline()));
    assertThat(missing)
        .isInstanceOf(KeysUnavailable.class)
        .hasMessage("the web identity token file cannot be read (NoSuchFileException)");
    assertThat(missing.getMessage()).doesNotContain("canary-web-token-file");

    Files.createDirectory(tokenFile);
    assertThat(catchThrowable(() -> source.keys(deadline())))
        .hasMessage("the web identity token file is not a regular file");
    assertThat(sts.count()).isZero();
  }

  @Test
  void sessionName_defaultsToLatchkeyAndTheTime_andIsChecked() throws Exception {
    start(request -> Reply.xml(answer(KEY_ID, SECRET, SESSION, EXPIRY.toString())));
    try (WebIdentityKeys unnamed =
        new WebIdentityKeys(
            sts.uri(), "eu-west-1", tokenFile, ROLE, null, clock, Duration.ofSeconds(10))) {
      unnamed.keys(deadline());
    }
    assertThat(sts.seen().get(0).body())
        .contains("&RoleSessionName=latchkey-" + clock.millis() + "&");

    assertThatThrownBy(
            () ->
                new WebIdentityKeys(
                    sts.uri(), "eu-west-1", tokenFile, ROLE, "a b", clock, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new WebIdentityKeys(
                    sts.uri(), "eu-west-1", tokenFile, " ", null, clock, Duration.ofSeconds(1)))
        .hasMessage("the role ARN is blank");
  }

  @Test
  void canaries_neverReachMessagesLogsOrToString() throws Exception {
    start(request -> credentials(request, KEY_ID, EXPIRY));
    List<Throwable> thrown = new ArrayList<>();
    String log;
    try (LogCapture capture = LogCapture.startAtEveryLevel()) {
      AwsKeys keys = source.keys(deadline());
      assertNoCanary(keys.toString() + source.toString());
      clock.advance(Duration.ofMinutes(57));
      sts.answer(request -> new Reply(400, "text/xml", error("InvalidIdentityToken")));
      source.keys(deadline());
      clock.advance(Duration.ofMinutes(5));
      thrown.add(catchThrowable(() -> source.keys(deadline())));
      sts.answer(request -> Reply.xml(answer(KEY_ID, SECRET, SESSION, "soon " + SESSION)));
      thrown.add(catchThrowable(() -> source.keys(deadline())));
      log = capture.text();
    }
    assertThat(thrown).doesNotContainNull();
    thrown.forEach(this::assertNoCanary);
    assertNoCanary(log);
  }

  @Test
  void xmlReader_refusesWhatItDoesNotRead() {
    String[] refused = {
      "<a><!-- c --></a>",
      "<a><![CDATA[x]]></a>",
      "<?xml version=\"1.0\"?><?pi x?><a/>",
      "<a>&unknown;</a>",
      "<a>&#0;</a>",
      "<a>&#xD800;</a>",
      "<a>a & b</a>",
      "<a><b></a></b>",
      "<a></a><b></b>",
      "text<a/>",
      "<a>",
      "<a b=c/>",
      "<a b=\"<\"/>",
      "<a b=\"1\"c=\"2\"/>",
      "<a>\u0001</a>",
      "<a>" + "<b>".repeat(40) + "</b>".repeat(40) + "</a>",
    };
    for (String xml : refused) {
      assertThatThrownBy(() -> WebIdentityKeys.Element.parse(xml))
          .as(xml)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("the XML holds ");
    }
    WebIdentityKeys.Element a =
        WebIdentityKeys.Element.parse(
            "\ufeff<?xml version='1.0'?>\n<a x='1' y=\"&amp;\">\n <b>t&#x41;&#66;</b>\n<c/></a>\n");
    assertThat(a.only("b").text()).isEqualTo("tAB");
    assertThat(a.only("c").text()).isEmpty();
    assertThatThrownBy(() -> a.text()).hasMessage("a holds elements, not text");
    assertThatThrownBy(() -> a.only("d")).hasMessage("d is missing from a");
  }

  @Test
  void formValues_arePercentEncodedAsTheSdkEncodesThem() {
    assertThat(RequestSigner.encode("aZ09-._~ +*/=&é".getBytes(UTF_8), false))
        .isEqualTo("aZ09-._~%20%2B%2A%2F%3D%26%C3%A9");
  }

  private void assertNoCanary(String output) {
    for (String canary : List.of(WEB_TOKEN, ROTATED_TOKEN, KEY_ID, SECRET, SESSION)) {
      Leaks.assertNoLeak("the output", output, canary);
    }
    assertThat(output).doesNotContain("canary-web-token-file");
  }

  private void assertNoCanary(Throwable e) {
    for (String canary : List.of(WEB_TOKEN, ROTATED_TOKEN, KEY_ID, SECRET, SESSION)) {
      Leaks.assertNoLeak(e, canary);
    }
    for (String text : Leaks.texts(e)) {
      assertThat(text).doesNotContain("canary-web-token-file");
    }
  }
}
