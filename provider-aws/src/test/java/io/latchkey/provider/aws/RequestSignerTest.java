package io.latchkey.provider.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.testsupport.Leaks;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The signer against the AWS SDK's own SigV4 signer over generated requests, against vectors of
 * AWS's published SigV4 test suite, and for what it must never show.
 */
final class RequestSignerTest {
  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  // The credentials, time and scope of AWS's published SigV4 test suite.
  private static final AwsKeys SUITE_KEYS =
      new AwsKeys("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null, null);
  private static final Instant SUITE_TIME = Instant.parse("2015-08-30T12:36:00Z");
  private static final String SUITE_CREDENTIAL =
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ";

  private static final String SECRET_CANARY = "wSecretCanary71f3/K9qPz+Lm2Vb";
  private static final String TOKEN_CANARY = "SessionTokenCanaryQ8d4Zr2/Xy7+Hn5==";

  // ---- Cases of the public AWS SigV4 test suite (aws-sig-v4-test-suite, the vectors AWS publishes
  // with its Signature Version 4 documentation), each test named after its case there, with the
  // suite's expected Authorization header copied as a literal. ----

  @Test
  void sign_getVanilla_matchesTheAwsTestSuite() {
    assertThat(suite("GET", "/", "", List.of(), "").get(0))
        .containsExactly("X-Amz-Date", "20150830T123600Z");
    assertThat(authorization(suite("GET", "/", "", List.of(), "")))
        .isEqualTo(
            SUITE_CREDENTIAL
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  }

  @Test
  void sign_getVanillaQueryOrderKeyCase_matchesTheAwsTestSuite() {
    assertThat(authorization(suite("GET", "/", "Param2=value2&Param1=value1", List.of(), "")))
        .isEqualTo(
            SUITE_CREDENTIAL
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
  }

  @Test
  void sign_getHeaderValueTrim_matchesTheAwsTestSuite() {
    List<String[]> headers =
        List.of(
            new String[] {"My-Header1", "value1"}, new String[] {"My-Header2", "\"a   b   c\""});

    assertThat(authorization(suite("GET", "/", "", headers, "")))
        .isEqualTo(
            SUITE_CREDENTIAL
                + "SignedHeaders=host;my-header1;my-header2;x-amz-date, "
                + "Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
  }

  @Test
  void sign_getVanillaUtf8Query_matchesTheAwsTestSuite() {
    // The suite's parameter name is U+1234, sent percent-encoded.
    assertThat(authorization(suite("GET", "/", "%E1%88%B4=bar", List.of(), "")))
        .isEqualTo(
            SUITE_CREDENTIAL
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04");
  }

  @Test
  void sign_postVanillaQueryNonunreserved_matchesTheAwsTestSuite() {
    // The suite's parameters "@#$%^" (empty value) and "+" = "/,?><`\";:\|][{}", sent encoded.
    String query = "%40%23%24%25%5E=&%2B=%2F%2C%3F%3E%3C%60%22%3B%3A%5C%7C%5D%5B%7B%7D";

    assertThat(authorization(suite("POST", "/", query, List.of(), "")))
        .isEqualTo(
            SUITE_CREDENTIAL
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e");
  }

  @Test
  void sign_postXWwwFormUrlencoded_matchesTheAwsTestSuite() {
    List<String[]> headers =
        List.<String[]>of(new String[] {"Content-Type", "application/x-www-form-urlencoded"});

    assertThat(authorization(suite("POST", "/", "", headers, "Param1=value1")))
        .isEqualTo(
            SUITE_CREDENTIAL
                + "SignedHeaders=content-type;host;x-amz-date, "
                + "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
  }

  private static List<String[]> suite(
      String method, String path, String query, List<String[]> headers, String body) {
    return RequestSigner.sign(
        method,
        "example.amazonaws.com",
        path,
        query,
        headers,
        body.getBytes(UTF_8),
        SUITE_KEYS,
        "us-east-1",
        "service",
        SUITE_TIME);
  }

  // ---- the AWS SDK's signer ----

  @Test
  void sign_generatedRequests_matchTheAwsSdkSigner() {
    Random random = new Random(20150830L);
    for (int i = 0; i < 300; i++) {
      Case c = Case.generate(random);

      // The SDK's signer always adds and signs x-amz-content-sha256, which Secrets Manager and STS
      // do not need and ours does not add; giving ours the same header makes the two sign the same
      // set of headers, so the signatures are comparable.
      List<String[]> ours = new ArrayList<>(c.headers);
      ours.add(new String[] {"x-amz-content-sha256", sha256Hex(c.body)});
      List<String[]> signed =
          RequestSigner.sign(
              c.method,
              c.hostHeader(),
              c.path,
              c.rawQuery,
              ours,
              c.body,
              c.keys,
              c.region,
              c.service,
              c.now);
      SdkHttpRequest sdk = c.signWithSdk();

      String description = "case " + i + ": " + c;
      assertThat(value(signed, "Authorization"))
          .as(description)
          .isEqualTo(sdk.firstMatchingHeader("Authorization").orElseThrow());
      assertThat(value(signed, "X-Amz-Date"))
          .as(description)
          .isEqualTo(sdk.firstMatchingHeader("X-Amz-Date").orElseThrow());
      assertThat(value(signed, "X-Amz-Security-Token"))
          .as(description)
          .isEqualTo(sdk.firstMatchingHeader("X-Amz-Security-Token").orElse(null));
      // Apart from Host, which the caller sends itself, the SDK adds no header ours does not.
      Set<String> ourNames = names(signed);
      ourNames.add("host");
      assertThat(ourNames).as(description).isEqualTo(names(sdk));
    }
  }

  /** One generated request, with what both signers need to sign it. */
  private static final class Case {
    private static final String[] HOSTS = {
      "secretsmanager.eu-west-1.amazonaws.com",
      "sts.amazonaws.com",
      "127.0.0.1",
      "localhost",
      "localstack.internal"
    };
    private static final Integer[] PORTS = {null, 80, 443, 4566, 8443};
    private static final String[] REGIONS = {
      "eu-west-1", "us-east-1", "ap-southeast-2", "us-gov-west-1", "cn-north-1", "me-central-1"
    };
    private static final String[] SERVICES = {"secretsmanager", "sts", "service", "kms"};
    private static final String[] HEADER_NAMES = {
      "Content-Type", "X-Amz-Target", "Accept", "My-Header1", "x-amz-meta-Thing", "X-Custom"
    };
    private static final String[] HEADER_VALUES = {
      "application/x-amz-json-1.1",
      "secretsmanager.GetSecretValue",
      "value1",
      "\"a   b   c\"",
      "text/plain; charset=utf-8",
      "é ü 中",
      "😀",
      ""
    };
    private static final String TEXT = "abcXYZ019-_.~ !\"#$%&'()*+,/:;<=>?@[\\]^`{|}é中ß€\u00a0😀";
    private static final String PATH_KEPT = "!$&'()*+,;=:@";

    String protocol;
    String host;
    Integer port;
    String method;
    String path;
    String rawQuery;
    final List<String[]> query = new ArrayList<>();
    final List<String[]> headers = new ArrayList<>();
    byte[] body;
    AwsKeys keys;
    String region;
    String service;
    Instant now;

    static Case generate(Random random) {
      Case c = new Case();
      c.protocol = random.nextBoolean() ? "https" : "http";
      c.host = pick(random, HOSTS);
      c.port = pick(random, PORTS);
      c.method = random.nextInt(3) == 0 ? "GET" : "POST";
      c.path = random.nextBoolean() ? "/" : path(random);

      StringBuilder raw = new StringBuilder();
      int parameters = random.nextInt(3) == 0 ? 0 : random.nextInt(5);
      for (int p = 0; p < parameters; p++) {
        // A name used again, so that values of one name are sorted too.
        String name =
            !c.query.isEmpty() && random.nextInt(3) == 0
                ? c.query.get(random.nextInt(c.query.size()))[0]
                : text(random, 1, 6);
        String value = random.nextInt(5) == 0 ? "" : text(random, 0, 10);
        c.query.add(new String[] {name, value});
        if (raw.length() > 0 || random.nextInt(8) == 0) {
          // An empty parameter ("&&") is skipped by both signers.
          raw.append(random.nextInt(8) == 0 ? "&&" : "&");
        }
        raw.append(queryEncode(random, name));
        if (!value.isEmpty() || random.nextBoolean()) {
          raw.append('=').append(queryEncode(random, value));
        }
      }
      c.rawQuery = raw.toString();

      int headerCount = random.nextInt(5);
      for (int h = 0; h < headerCount; h++) {
        String name = pick(random, HEADER_NAMES);
        if (random.nextBoolean()) {
          name = name.toLowerCase(Locale.ROOT);
        }
        c.headers.add(new String[] {name, spaced(random, pick(random, HEADER_VALUES))});
      }

      c.body =
          random.nextInt(4) == 0
              ? new byte[0]
              : ("{\"SecretId\":\"" + text(random, 0, 40) + "\"}").getBytes(UTF_8);
      String accessKeyId = "AKIA" + alphanumeric(random, 16).toUpperCase(Locale.ROOT);
      String secretKey = alphanumeric(random, 30) + "/+" + alphanumeric(random, 8);
      String token = random.nextBoolean() ? null : alphanumeric(random, 60) + "/+==";
      c.keys = new AwsKeys(accessKeyId, secretKey, token, null);
      c.region = pick(random, REGIONS);
      c.service = pick(random, SERVICES);
      // 2001 to 2096, with nanoseconds the signature must ignore.
      c.now =
          Instant.ofEpochSecond(
              1_000_000_000L + (long) (random.nextDouble() * 3_000_000_000L),
              random.nextInt(1_000_000_000));
      return c;
    }

    String hostHeader() {
      boolean standard =
          port == null
              || (protocol.equals("http") && port == 80)
              || (protocol.equals("https") && port == 443);
      return standard ? host : host + ":" + port;
    }

    SdkHttpRequest signWithSdk() {
      SdkHttpRequest.Builder request =
          SdkHttpRequest.builder()
              .method(SdkHttpMethod.fromValue(method))
              .protocol(protocol)
              .host(host)
              .port(port)
              .encodedPath(path);
      for (String[] parameter : query) {
        request.appendRawQueryParameter(parameter[0], parameter[1]);
      }
      for (String[] header : headers) {
        request.appendHeader(header[0], header[1]);
      }
      AwsCredentialsIdentity identity =
          keys.sessionToken() == null
              ? AwsCredentialsIdentity.create(keys.accessKeyId(), keys.secretAccessKey())
              : AwsSessionCredentialsIdentity.create(
                  keys.accessKeyId(), keys.secretAccessKey(), keys.sessionToken());
      // The properties as the SDK's Secrets Manager client sets them: every service but S3 signs
      // the payload, double-encodes the path and normalises it.
      SignedRequest signed =
          AwsV4HttpSigner.create()
              .sign(
                  r ->
                      r.identity(identity)
                          .request(request.build())
                          .payload(ContentStreamProvider.fromByteArray(body))
                          .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                          .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                          .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC))
                          .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                          .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, true)
                          .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, true));
      return signed.request();
    }

    /**
     * A path of encoded segments, with empty, "." and ".." segments that normalising removes; ".."
     * only where there is a segment to remove, as java.net.URI keeps one that would climb above the
     * root, where RFC 3986 (and ours) drops it.
     */
    private static String path(Random random) {
      StringBuilder path = new StringBuilder();
      int depth = 0;
      int segments = 1 + random.nextInt(5);
      for (int s = 0; s < segments; s++) {
        path.append('/');
        // Kind 0 leaves the segment empty.
        int kind = random.nextInt(8);
        if (kind == 1) {
          path.append('.');
        } else if (kind == 2 && depth > 0) {
          path.append("..");
          depth--;
        } else if (kind != 0) {
          path.append(pathEncode(random, text(random, 1, 8)));
          depth++;
        }
      }
      if (random.nextInt(4) == 0) {
        path.append('/');
      }
      return path.toString();
    }

    private static String pathEncode(Random random, String text) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < text.length(); ) {
        int codePoint = text.codePointAt(i);
        String character = new String(Character.toChars(codePoint));
        i += character.length();
        if (unreserved(codePoint) && codePoint != '.' && random.nextInt(6) != 0) {
          out.append(character);
        } else if (PATH_KEPT.indexOf(codePoint) >= 0 && random.nextBoolean()) {
          out.append(character);
        } else {
          percent(random, out, character);
        }
      }
      return out.toString();
    }

    /** Encodes a query name or value the many ways a client may: the signature is the same. */
    private static String queryEncode(Random random, String text) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < text.length(); ) {
        int codePoint = text.codePointAt(i);
        String character = new String(Character.toChars(codePoint));
        i += character.length();
        if (unreserved(codePoint) && random.nextInt(6) != 0) {
          out.append(character);
        } else if (codePoint == ' ' && random.nextBoolean()) {
          out.append('+');
        } else if ("!$'()*,/:;?@".indexOf(codePoint) >= 0 && random.nextBoolean()) {
          out.append(character);
        } else {
          percent(random, out, character);
        }
      }
      return out.toString();
    }

    private static void percent(Random random, StringBuilder out, String character) {
      boolean lower = random.nextInt(4) == 0;
      for (byte b : character.getBytes(UTF_8)) {
        String hex = String.format(Locale.ROOT, "%%%02X", b & 0xff);
        out.append(lower ? hex.toLowerCase(Locale.ROOT) : hex);
      }
    }

    private static boolean unreserved(int c) {
      return (c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~';
    }

    private static String text(Random random, int min, int max) {
      int length = min + random.nextInt(max - min + 1);
      int[] codePoints = TEXT.codePoints().toArray();
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < length; i++) {
        out.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
      }
      return out.toString();
    }

    /** The value with blanks added around it and its spaces sometimes widened into runs. */
    private static String spaced(Random random, String value) {
      StringBuilder out = new StringBuilder(blanks(random));
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        out.append(c == ' ' ? " " + blanks(random) : String.valueOf(c));
      }
      return out.append(blanks(random)).toString();
    }

    private static String blanks(Random random) {
      String[] runs = {"", "", " ", "  ", "\t", " \t  "};
      return runs[random.nextInt(runs.length)];
    }

    private static String alphanumeric(Random random, int length) {
      String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < length; i++) {
        out.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      return out.toString();
    }

    private static <T> T pick(Random random, T[] values) {
      return values[random.nextInt(values.length)];
    }

    @Override
    public String toString() {
      // Enough to rebuild the request by hand from a failure; the keys are left out all the same.
      return method
          + " "
          + protocol
          + "://"
          + hostHeader()
          + path
          + (rawQuery.isEmpty() ? "" : "?" + rawQuery)
          + " headers "
          + headers.stream().map(h -> h[0] + ": [" + h[1] + "]").collect(Collectors.toList())
          + " body "
          + body.length
          + " bytes, "
          + region
          + "/"
          + service
          + " at "
          + now
          + (keys.sessionToken() == null ? "" : " with a session token");
    }
  }

  // ---- behaviour ----

  @Test
  void sign_temporaryKeys_returnsGivenHeadersThenDateTokenAndAuthorization() {
    List<String[]> given =
        List.of(
            new String[] {"Content-Type", "application/x-amz-json-1.1"},
            new String[] {"X-Amz-Target", "secretsmanager.GetSecretValue"});
    AwsKeys keys = new AwsKeys("AKIDEXAMPLE", SECRET_CANARY, TOKEN_CANARY, null);

    List<String[]> signed =
        RequestSigner.sign(
            "POST",
            "127.0.0.1:4566",
            "/",
            "",
            given,
            "{}".getBytes(UTF_8),
            keys,
            "eu-west-1",
            "secretsmanager",
            Instant.parse("2024-02-29T23:59:59.999Z"));

    assertThat(signed).hasSize(5);
    assertThat(signed.get(0)).containsExactly("Content-Type", "application/x-amz-json-1.1");
    assertThat(signed.get(1)).containsExactly("X-Amz-Target", "secretsmanager.GetSecretValue");
    assertThat(signed.get(2)).containsExactly("X-Amz-Date", "20240229T235959Z");
    assertThat(signed.get(3)).containsExactly("X-Amz-Security-Token", TOKEN_CANARY);
    assertThat(signed.get(4)[0]).isEqualTo("Authorization");
    assertThat(signed.get(4)[1])
        .startsWith(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240229/eu-west-1/secretsmanager/aws4_request,"
                + " SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,"
                + " Signature=")
        .matches(".*Signature=[0-9a-f]{64}");
  }

  @Test
  void sign_longTermKeys_addsNoTokenHeader() {
    List<String[]> signed = suite("GET", "/", "", List.of(), "");

    assertThat(signed)
        .extracting(header -> header[0])
        .containsExactly("X-Amz-Date", "Authorization");
  }

  @Test
  void sign_sameRequestEncodedDifferently_signsTheSame() {
    String expected = authorization(suite("GET", "/a/c", "b=x%20y&a=%C3%A9", List.of(), ""));

    assertThat(authorization(suite("GET", "/a/./b/../c", "a=%c3%a9&b=x+y", List.of(), "")))
        .isEqualTo(expected);
    assertThat(authorization(suite("GET", "//a//c", "&a=%C3%A9&&b=x%20y", List.of(), "")))
        .isEqualTo(expected);
    assertThat(authorization(suite("GET", "/a/c", "b=x+y&a=é", List.of(), ""))).isEqualTo(expected);
  }

  @Test
  void sign_headerNamesInDifferentCase_signedAsOneHeader() {
    List<String[]> signed =
        suite(
            "GET",
            "/",
            "",
            List.of(new String[] {"My-Header1", "value4"}, new String[] {"my-header1", "value1"}),
            "");

    assertThat(signed.get(0)).containsExactly("My-Header1", "value4");
    assertThat(signed.get(1)).containsExactly("my-header1", "value1");
    assertThat(authorization(signed)).contains("SignedHeaders=host;my-header1;x-amz-date,");
  }

  @Test
  void sign_emptyBody_hashesNothing() {
    // The empty body's hash is the one every empty-payload vector of the suite uses; equal
    // signatures for an empty array and the suite's empty string show the same hash went in.
    assertThat(sha256Hex(new byte[0])).isEqualTo(EMPTY_SHA256);
    assertThat(authorization(suite("POST", "/", "", List.of(), "")))
        .endsWith("Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
  }

  @Test
  void sign_givenHeaderList_isLeftAsItWas() {
    String[] header = {"Content-Type", "  application/json  "};
    List<String[]> given = new ArrayList<>(List.<String[]>of(header));

    List<String[]> signed = suite("POST", "/", "", given, "{}");

    assertThat(given).containsExactly(header);
    assertThat(header).containsExactly("Content-Type", "  application/json  ");
    assertThat(signed.get(0)).containsExactly("Content-Type", "  application/json  ");
  }

  // ---- canaries ----

  @Test
  void sign_temporaryKeys_secretKeyNowhereAndTokenOnlyInItsHeader() {
    AwsKeys keys = new AwsKeys("AKIDEXAMPLE", SECRET_CANARY, TOKEN_CANARY, null);

    List<String[]> signed =
        RequestSigner.sign(
            "POST",
            "secretsmanager.eu-west-1.amazonaws.com",
            "/",
            "",
            List.<String[]>of(new String[] {"X-Amz-Target", "secretsmanager.GetSecretValue"}),
            "{\"SecretId\":\"prod/db\"}".getBytes(UTF_8),
            keys,
            "eu-west-1",
            "secretsmanager",
            SUITE_TIME);

    for (String[] header : signed) {
      String line = header[0] + ": " + header[1];
      Leaks.assertNoLeak(header[0] + " header", line, SECRET_CANARY);
      if (!header[0].equals("X-Amz-Security-Token")) {
        Leaks.assertNoLeak(header[0] + " header", line, TOKEN_CANARY);
      }
    }
    assertThat(value(signed, "X-Amz-Security-Token")).isEqualTo(TOKEN_CANARY);
    for (String text : List.of(signed.toString(), keys.toString())) {
      Leaks.assertNoLeak("a toString()", text, SECRET_CANARY);
      Leaks.assertNoLeak("a toString()", text, TOKEN_CANARY);
    }
  }

  @Test
  void sign_badInput_exceptionsNameNoCredential() {
    AwsKeys keys = new AwsKeys("AKIDEXAMPLE", SECRET_CANARY, TOKEN_CANARY, null);
    AwsKeys brokenToken =
        new AwsKeys("AKIDEXAMPLE", SECRET_CANARY, TOKEN_CANARY + "\r\nX-Evil: 1", null);
    List<Supplier<List<String[]>>> calls = new ArrayList<>();
    calls.add(() -> sign(keys, "/", "", new String[] {"X-Amz-Target"}));
    calls.add(() -> sign(keys, "/", "", new String[] {"X-Amz-Target", null}));
    calls.add(() -> sign(keys, "/", "", new String[] {"X-Amz-Security-Token", TOKEN_CANARY}));
    calls.add(() -> sign(keys, "/", "", new String[] {"authorization", SECRET_CANARY}));
    calls.add(() -> sign(keys, "/", "", new String[] {"Host", "example.com"}));
    calls.add(() -> sign(keys, "/", "", new String[] {"X-Amz-Target", "a\r\nb"}));
    calls.add(() -> sign(keys, "/", "", new String[] {"X-\nTarget", "a"}));
    calls.add(() -> sign(keys, "no-slash", "", new String[] {"X-Amz-Target", "a"}));
    calls.add(() -> sign(keys, "/", "a=%G1", new String[] {"X-Amz-Target", "a"}));
    calls.add(() -> sign(keys, "/", "a=%4", new String[] {"X-Amz-Target", "a"}));
    calls.add(() -> sign(keys, "/", "a=%", new String[] {"X-Amz-Target", "a"}));
    calls.add(() -> sign(keys, "/", "a=%\u0661\u0662", new String[] {"X-Amz-Target", "a"}));
    calls.add(() -> sign(brokenToken, "/", "", new String[] {"X-Amz-Target", "a"}));

    for (Supplier<List<String[]>> call : calls) {
      IllegalArgumentException thrown =
          catchThrowableOfType(IllegalArgumentException.class, call::get);

      assertThat(thrown).isNotNull();
      Leaks.assertNoLeak(thrown, SECRET_CANARY);
      Leaks.assertNoLeak(thrown, TOKEN_CANARY);
    }
  }

  private static List<String[]> sign(AwsKeys keys, String path, String query, String[] header) {
    return RequestSigner.sign(
        "POST",
        "127.0.0.1:4566",
        path,
        query,
        Arrays.<String[]>asList(header),
        new byte[0],
        keys,
        "eu-west-1",
        "secretsmanager",
        SUITE_TIME);
  }

  // ---- helpers ----

  private static String authorization(List<String[]> headers) {
    return value(headers, "Authorization");
  }

  private static String value(List<String[]> headers, String name) {
    return headers.stream()
        .filter(header -> header[0].equals(name))
        .map(header -> header[1])
        .findFirst()
        .orElse(null);
  }

  private static Set<String> names(List<String[]> headers) {
    Set<String> names = new TreeSet<>();
    for (String[] header : headers) {
      names.add(header[0].toLowerCase(Locale.ROOT));
    }
    return names;
  }

  private static Set<String> names(SdkHttpRequest request) {
    Set<String> names = new TreeSet<>();
    for (String name : request.headers().keySet()) {
      names.add(name.toLowerCase(Locale.ROOT));
    }
    return names;
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void hmac_isTheJdksHmacSha256_forKeysShorterAndLongerThanABlock() throws Exception {
    java.util.Random random = new java.util.Random(20261207L);
    for (int length : new int[] {1, 20, 32, 44, 63, 64, 65, 100, 200}) {
      for (int round = 0; round < 5; round++) {
        byte[] key = new byte[length];
        random.nextBytes(key);
        String data = "data-" + random.nextLong() + "-\u00e9\u4e2d".repeat(round);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        byte[] expected = mac.doFinal(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(RequestSigner.hmac(key, data)).as("key of %d bytes", length).isEqualTo(expected);
      }
    }
  }
}
