package io.latchkey.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.testsupport.Leaks;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rule in docs/security.md, "How URLs are masked", case by case and at random. */
final class MaskingTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // User info: the password is masked, a plain user name before it is kept.
        row("postgresql://app:hunter2@db/app", "postgresql://app:***@db/app"),
        row("postgresql://app:hunter2@db:5432", "postgresql://app:***@db:5432"),
        row("redis://:hunter2@cache:6379/0", "redis://:***@cache:6379/0"),
        row("jdbc:mysql://root:pw@db/app", "jdbc:mysql://root:***@db/app"),
        row(
            "mongodb+srv://app:pw@cluster0.example.net/db",
            "mongodb+srv://app:***@cluster0.example.net/db"),
        // A lone user part, an empty password or a placeholder password: the user is the token.
        row(
            "https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/o/r.git",
            "https://***@github.com/o/r.git"),
        row("https://user@example.com/x", "https://***@example.com/x"),
        row("https://app:@example.com/x", "https://***@example.com/x"),
        row("https://tok3n:x-oauth-basic@github.com/o/r", "https://***@github.com/o/r"),
        row(
            "https://x-access-token:ghs_abc@github.com/o/r",
            "https://x-access-token:***@github.com/o/r"),
        // A user name that is not a plain name may be a token.
        row("https://abcdefghijklmnopqrstuvwxyz0123456789:pw@h/", "https://***@h/"),
        row("https://a%40b:pw@h/", "https://***@h/"),
        // Unencoded passwords that break the URL.
        row("postgresql://app:pa/ss@db/app", "postgresql://app:***@db/app"),
        row("postgresql://app:pa?ss@db/app", "postgresql://app:***@db/app"),
        row("postgresql://app:pa#ss@db/app", "postgresql://app:***@db/app"),
        row("postgresql://app:p@ss@db/app", "postgresql://app:***@db/app"),
        row("postgresql://app:p ss@db/app", "postgresql://app:***@db/app"),
        row("postgresql://app:p,s;s=x@db/app", "postgresql://app:***@db/app"),
        row("jdbc:postgresql://app:pa?ss@db/app", "jdbc:postgresql://app:***@db/app"),
        row("https://u:ab://cd@h/", "https://u:***@h/"),
        // A space and a scheme inside it read as a second URL; the first is unparseable.
        row("https://u:ab cd://ef@h/", "https://*** cd://***@h/"),
        // Encoded forms.
        row("https://app:p%40ss%2Fw%3Ard@db/app", "https://app:***@db/app"),
        row("https://x.example/?pass%77ord=abc&x=1", "https://x.example/?pass%77ord=***&x=1"),
        row("https://x.example/?api%5Fkey=abc", "https://x.example/?api%5Fkey=***"),
        // IPv6 hosts.
        row("http://app:pw@[2001:db8::1]:8080/x", "http://app:***@[2001:db8::1]:8080/x"),
        row("http://[::1]:8200/v1", "http://[::1]:8200/v1"),
        row("http://[fe80::1%25eth0]/", "http://[fe80::1%25eth0]/"),
        // Every URL of a list, comma or space separated, with or without a scheme chain.
        row(
            "https://a:p@x.example,https://b:q@y.example",
            "https://a:***@x.example,https://b:***@y.example"),
        row(
            "https://a:p@x.example, https://b:q@y.example https://c:r@z.example",
            "https://a:***@x.example, https://b:***@y.example https://c:***@z.example"),
        row("https://a.example,https://b:q@y.example", "https://a.example,https://b:***@y.example"),
        row(
            "jdbc:postgresql://h1:5432,h2:5432/app?password=pw&ssl=true",
            "jdbc:postgresql://h1:5432,h2:5432/app?password=***&ssl=true"),
        // URLs in prose.
        row(
            "cannot reach https://app:pw@db.example:5432/app (timed out)",
            "cannot reach https://app:***@db.example:5432/app (timed out)"),
        row(
            "see 'https://x.example/cb#access_token=abc&state=s' and https://ok.example/",
            "see 'https://x.example/cb#access_token=***&state=s' and https://ok.example/"),
        // Fragments: parameters like a query; a bare fragment kept only as a short anchor.
        row(
            "https://x.example/cb#access_token=abc&token_type=bearer&expires_in=3600",
            "https://x.example/cb#access_token=***&token_type=***&expires_in=3600"),
        row("https://x.example/docs#section-2", "https://x.example/docs#section-2"),
        row(
            "https://send.example/d/abc#Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA",
            "https://send.example/d/abc#***"),
        row("https://x.example/#a/b", "https://x.example/#***"),
        // Query parameters with credential names, and the ones kept.
        row(
            "https://x.example/?token=abc&page=2&api_key=k&X-Api-Key=k2#top",
            "https://x.example/?token=***&page=2&api_key=***&X-Api-Key=***#top"),
        row(
            "https://x.example/?sig=s&signature=t&secret=u&pwd=v&passphrase=w",
            "https://x.example/?sig=***&signature=***&secret=***&pwd=***&passphrase=***"),
        row("https://x.example/?token=&flag", "https://x.example/?token=&flag"),
        row(
            "https://x.example/?auth=a&code=c&session=s&sid=d&jwt=j&client_assertion=x&q=keep",
            "https://x.example/?auth=***&code=***&session=***&sid=***&jwt=***"
                + "&client_assertion=***&q=keep"),
        row(
            "mongodb://h/db?authSource=admin&authMechanism=SCRAM-SHA-256",
            "mongodb://h/db?authSource=admin&authMechanism=SCRAM-SHA-256"),
        // AWS presigned URLs.
        row(
            "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
                + "AKIAEXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z"
                + "&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=abcdef0123",
            "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=***"
                + "&X-Amz-Date=20260101T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=***"
                + "&X-Amz-Signature=***"),
        // JDBC and ODBC parameters.
        row(
            "jdbc:sqlserver://db:1433;databaseName=app;user=app;password=pw;encrypt=true",
            "jdbc:sqlserver://db:1433;databaseName=app;user=app;password=***;encrypt=true"),
        row(
            "jdbc:sqlserver://db;password={p;w}};x};encrypt=true",
            "jdbc:sqlserver://db;password=***;encrypt=true"),
        row(
            "Driver={ODBC Driver 18};Server=tcp:db,1433;Uid=app;PWD=pw;Encrypt=yes",
            "Driver={ODBC Driver 18};Server=tcp:db,1433;Uid=app;PWD=***;Encrypt=yes"),
        row(
            "Server=db;Database=app;User Id=app;Password=\"p;w\";",
            "Server=db;Database=app;User Id=app;Password=***;"),
        row("Pwd={unclosed;Encrypt=yes", "Pwd=***"),
        // No scheme.
        row("app:pw@cache.example:6379", "app:***@cache.example:6379"),
        row("app:pw@cache.example:6379,https://h/", "app:***@cache.example:6379,https://h/"),
        row("app:pw@cache.example:6379https://h/", "app:***@cache.example:6379https://h/"),
        row("ops@example.com", "ops@example.com"),
        row("mailto:ops@example.com", "mailto:ops@example.com"),
        row("password=hunter2 was rejected", "password=*** was rejected"),
        // Text that is not a URL.
        row("not a url", "not a url"),
        row("", ""),
        row("://", "://"),
        row("a=b=c", "a=b=c"),
        // An '@' after the authority: masked up to it, cautiously.
        row(
            "https://example.com:8443/search?email=a@b.example",
            "https://example.com:***@b.example"),
        row("https://abcdefghij/klm@github.com/x", "https://***@github.com/x"),
        // Unparseable authorities are hidden whole.
        row("https://u:abcdefgh", "https://***"),
        row("https://h:99999999/x", "https://***/x"));
  }

  private static Arguments row(String text, String masked) {
    return Arguments.of(text, masked);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void url_case_masksByTheRule(String text, String masked) {
    assertThat(Masking.url(text)).isEqualTo(masked);
    assertThat(Masking.url(masked)).as("idempotent").isEqualTo(masked);
  }

  @Test
  void printable_controlCharacters_escapedAfterMasking() {
    assertThat(Masking.printable("https://a:p\nw@h/\tx")).isEqualTo("https://a:***@h/\\tx");
    assertThat(Masking.printable("x\u0001y")).isEqualTo("x\\u0001y");
  }

  @Test
  void quote_longValue_shortenedAfterMasking() {
    assertThat(Masking.quote("x".repeat(150))).hasSize(102).endsWith("...'");
    assertThat(Masking.quote("redis://:pw@cache")).isEqualTo("'redis://:***@cache'");
    assertThat(Masking.quote("https://a:" + "p".repeat(200) + "@h/"))
        .isEqualTo("'https://a:***@h/'");
  }

  @Test
  void quote_unparsableUrlWithASpaceInThePassword_masksFromTheColonToTheLastAt() {
    assertThat(Masking.quote("postgres//app:pa ss@db/app")).isEqualTo("'postgres//app:***@db/app'");
    assertThat(Masking.quote("postgres:/user:p@ss w0rd@host")).isEqualTo("'postgres:***@host'");
    assertThat(Masking.quote("postgresql://app:pa ss@db/app"))
        .isEqualTo("'postgresql://app:***@db/app'");
    assertThat(Masking.quote("user:hunter2 secret@redis:6379")).isEqualTo("'user:***@redis:6379'");
    // A value that parses keeps the lexical rules, and a text without '@' is left to them.
    assertThat(Masking.quote("https://db.example/app")).isEqualTo("'https://db.example/app'");
    assertThat(Masking.quote("no at: here")).isEqualTo("'no at: here'");
  }

  @Test
  void url_connectionStringPasswordWithASpace_maskedToTheSemicolon() {
    assertThat(Masking.url("Server=h;User Id=sa;Password=p w;"))
        .isEqualTo("Server=h;User Id=sa;Password=***;");
    assertThat(Masking.url("Password=p w;Server=h")).isEqualTo("Password=***;Server=h");
    assertThat(Masking.url("Server=h;Pwd=a b c")).isEqualTo("Server=h;Pwd=***");
    // Elsewhere a value still ends at white space.
    assertThat(Masking.url("https://host/db?password=hunter2 next"))
        .isEqualTo("https://host/db?password=*** next");
  }

  @Test
  void invalidUriSetting_withASpaceInThePassword_quotesNoPartOfIt() {
    ConfigSchema schema = ConfigSchema.builder().add(Setting.uri("DATABASE_URL").build()).build();
    for (String value :
        List.of(
            "postgres//app:pa ss" + "wordCANARY7f@db/app",
            "postgres:/user:p@ss w0rd" + "CANARY7f@host",
            "postgresql://app:pa ss" + "wordCANARY7f@db/app")) {
      ConfigException e =
          catchThrowableOfType(
              ConfigException.class,
              () -> schema.load(ConfigSource.of(Map.of("DATABASE_URL", value), Origin.Kind.ENV)));
      assertThat(e.getMessage()).contains("DATABASE_URL: '").doesNotContain("CANARY");
      assertThat(e.getMessage()).doesNotContain(" ss").doesNotContain("w0rd");
    }
  }

  @Test
  void url_randomSecretInEveryCredentialPosition_neverLeaksAndKeepsTheRest() {
    SplittableRandom random = new SplittableRandom(20261206);
    for (int i = 0; i < 4_000; i++) {
      String secret = Leaks.randomSecret(random, 256);
      int shape = i % UrlShapes.COUNT;
      String name =
          UrlShapes.CREDENTIAL_NAMES.get(random.nextInt(UrlShapes.CREDENTIAL_NAMES.size()));
      boolean encoded = random.nextBoolean();
      UrlShapes.Placed placed = UrlShapes.place(shape, name, secret, encoded);
      String what = "shape " + shape + (encoded ? " encoded" : " raw") + " name " + name + " #" + i;
      String url = Masking.url(placed.text());
      Leaks.assertNoLeak(what + " url", url, secret);
      Leaks.assertNoLeak(what + " printable", Masking.printable(placed.text()), secret);
      Leaks.assertNoLeak(what + " quote", Masking.quote(placed.text()), secret);
      for (String kept : placed.kept()) {
        assertThat(url).as(what + " keeps the rest").contains(kept);
      }
      assertThat(Masking.url(url)).as(what + " idempotent").isEqualTo(url);
    }
  }

  @Test
  void url_longHostileInputs_finishInLinearTime() {
    // Shapes that make naive scanners quadratic; each must finish (no timing asserted).
    String[] units = {"a://", "x:y@", "a=b", "token=", "{", "#", "https://a.example,", "%", "?&;"};
    for (String unit : units) {
      String text = unit.repeat(200_000 / unit.length());
      assertThat(Masking.url(text)).isNotNull();
      assertThat(Masking.printable(text + "\u0001")).isNotNull();
    }
  }

  @Test
  void uriList_everyPassword_maskedInReportToStringAndErrors() {
    ConfigSchema schema =
        ConfigSchema.builder().add(Setting.list("UPSTREAMS", URI.class).build()).build();
    Config config =
        schema.load(
            ConfigSource.of(
                Map.of(
                    "UPSTREAMS",
                    "https://a:first-password@x.example,https://b:second-pw@y.example"),
                Origin.Kind.ENV));
    String shown = "https://a:***@x.example,https://b:***@y.example";
    assertThat(config.report().rows().get(0).value()).isEqualTo(shown);
    assertThat(config.toString()).isEqualTo("Config[UPSTREAMS=" + shown + "]");

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                schema.load(
                    ConfigSource.of(
                        Map.of(
                            "UPSTREAMS",
                            "https://a:first-password@x.example,https://b:second-pw@y ex"),
                        Origin.Kind.ENV)));
    for (String secret : List.of("first-password", "second-pw")) {
      Leaks.assertNoLeak(e, secret);
    }
    assertThat(e.getMessage()).contains("https://a:***@x.example,https://b:***@y ex");
  }

  @Test
  void uriSetting_badDefaultInCode_isNotQuoted() {
    IllegalArgumentException e =
        catchThrowableOfType(
            IllegalArgumentException.class,
            () ->
                Setting.uri("DATABASE_URL", "postgresql")
                    .defaultText("mysql://app:hunter2x@db/app"));
    // A bad default is never quoted (declaring the setting secret after it must not matter).
    assertThat(e.getMessage())
        .contains("DATABASE_URL: default has a scheme that is not allowed")
        .doesNotContain("hunter2x")
        .doesNotContain("mysql://");
  }

  @Test
  void maskUrls_publicEntryPoint_isTheReportsMasking() {
    String text = "cannot reach https://app:hunter2@db:5432/app?token=t0k3n\nretrying";
    assertThat(ConfigReport.maskUrls(text))
        .isEqualTo(Masking.printable(text))
        .isEqualTo("cannot reach https://app:***@db:5432/app?token=***\\nretrying");
    assertThat(ConfigReport.maskUrls("https://vault.example:8200"))
        .isEqualTo("https://vault.example:8200");
    assertThatThrownBy(() -> ConfigReport.maskUrls(null)).isInstanceOf(NullPointerException.class);
  }
}
