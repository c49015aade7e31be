package io.latchkey.provider.aws;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.latchkey.spi.Http1Client;
import io.latchkey.spi.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Temporary credentials of the EC2 instance's role, from the instance metadata service with session
 * tokens (IMDSv2), as the AWS SDK's {@code InstanceProfileCredentialsProvider} asks for them:
 * {@code PUT /latest/api/token} with {@code x-aws-ec2-metadata-token-ttl-seconds: 21600}; then,
 * with {@code x-aws-ec2-metadata-token}, {@code GET /latest/meta-data/iam/security-credentials/}
 * for the role's name (the first line) and {@code GET
 * /latest/meta-data/iam/security-credentials/<role>} for JSON credentials, whose {@code Code} must
 * be {@code Success} (the SDK does not look at it). The session token is kept until a minute before
 * its six hours end, and fetched anew if the service answers 401.
 *
 * <p>No fallback to IMDSv1. The SDK, by default, falls back to asking without a token when the
 * token request fails with anything but HTTP 400 (unless {@code AWS_EC2_METADATA_V1_DISABLED} or
 * the profile's {@code ec2_metadata_v1_disabled} turns that off). It is not done here because
 * IMDSv1 is what a server-side request forgery reaches (a token needs a {@code PUT} with a header,
 * which such requests rarely can send), because this source is given no setting that would let an
 * operator turn the fallback off as the SDK allows, and because the one configuration in which only
 * v1 answers, a container behind a bridge on an instance whose hop limit is 1, is fixed by raising
 * the hop limit to 2, as AWS recommends for containers, or by the container endpoint.
 */
final class InstanceKeys extends RefreshingKeys {
  /** The session token's time-to-live asked for, in seconds: six hours, as the SDK asks. */
  static final String TOKEN_TTL_SECONDS = "21600";

  /** How long before its time-to-live ends a session token is replaced. */
  static final Duration TOKEN_MARGIN = Duration.ofMinutes(1);

  private static final String CREDENTIALS = "/latest/meta-data/iam/security-credentials/";

  /** IAM role names: 1 to 64 letters, digits and {@code _+=,.@-}. */
  private static final Pattern ROLE = Pattern.compile("[\\w+=,.@-]{1,64}");

  private static final int MAX_TOKEN = 1024;

  // Used only by fetch, which runs under the fetch lock of RefreshingKeys, one at a time.
  private String token;
  private Instant tokenUntil;

  /**
   * @param endpoint the instance metadata service, such as {@code http://169.254.169.254}
   * @param clock the clock expiry, of the credentials and of the session token, is read from
   * @param timeout the longest one fetch may take, its three requests together
   */
  InstanceKeys(URI endpoint, Clock clock, Duration timeout) {
    super("instance metadata service", "the instance metadata service", endpoint, clock, timeout);
  }

  @Override
  AwsKeys fetch(long deadline) throws KeysUnavailable, IOException {
    // A 401 means the session token is no longer accepted (the instance was stopped and started,
    // say): one more round with a new one.
    for (int round = 0; ; round++) {
      boolean last = round > 0;
      String session = session(deadline);
      List<String[]> headers =
          List.<String[]>of(new String[] {"x-aws-ec2-metadata-token", session});
      Http1Client.Response roles = exchange("GET", CREDENTIALS, headers, null, true, deadline);
      if (roles.status() == 401 && !last) {
        token = null;
        continue;
      }
      if (roles.status() == 404) {
        throw new KeysUnavailable(
            "the instance metadata service names no IAM role: the instance has no instance profile"
                + " (HTTP 404)");
      }
      if (roles.status() != 200) {
        throw refused(roles.status());
      }
      String role = role(roles.body());
      Http1Client.Response answer =
          exchange("GET", CREDENTIALS + role, headers, null, true, deadline);
      if (answer.status() == 401 && !last) {
        token = null;
        continue;
      }
      if (answer.status() != 200) {
        throw refused(answer.status());
      }
      JsonValue credentials = json(answer);
      String code;
      try {
        code = credentials.string("Code");
      } catch (IllegalArgumentException e) {
        throw new KeysUnavailable(
            "the answer of " + endpoint() + " does not hold credentials: " + e.getMessage());
      }
      if (!code.equals("Success")) {
        String named = AwsErrors.sanitize(code);
        throw new KeysUnavailable(
            "the instance metadata service has no credentials for the role ("
                + (named == null ? "an unreadable code" : named)
                + ")");
      }
      return jsonKeys(credentials, true);
    }
  }

  /** The session token: the one in hand until shortly before it ends, else a new one. */
  private String session(long deadline) throws KeysUnavailable, IOException {
    Instant now = clock().instant();
    if (token != null && now.isBefore(tokenUntil)) {
      return token;
    }
    token = null;
    Http1Client.Response response =
        exchange(
            "PUT",
            "/latest/api/token",
            List.<String[]>of(
                new String[] {"x-aws-ec2-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS}),
            new byte[0],
            true,
            deadline);
    if (response.status() >= 500) {
      throw new IOException(
          "the instance metadata service failed to hand out a session token (HTTP "
              + response.status()
              + ")");
    }
    if (response.status() != 200) {
      // 403: IMDS is turned off; 404 or 405: a service without IMDSv2. Either way, no v1 fallback.
      throw new KeysUnavailable(
          "the instance metadata service refused a session token (HTTP "
              + response.status()
              + "); IMDSv1 is not used");
    }
    String t = utf8(response.body());
    if (t == null || t.isEmpty() || t.length() > MAX_TOKEN || !printable(t)) {
      throw new KeysUnavailable(
          "the instance metadata service handed out a malformed session token");
    }
    token = t;
    tokenUntil = now.plusSeconds(Long.parseLong(TOKEN_TTL_SECONDS)).minus(TOKEN_MARGIN);
    return t;
  }

  /** The role's name: the first line of the answer, as the SDK takes it. */
  private static String role(byte[] body) throws KeysUnavailable {
    String text = utf8(body);
    if (text != null) {
      text = text.strip();
      int newline = text.indexOf('\n');
      String first = (newline < 0 ? text : text.substring(0, newline)).strip();
      // The name goes into the next request's path: only the characters IAM allows in it.
      if (ROLE.matcher(first).matches()) {
        return first;
      }
    }
    throw new KeysUnavailable("the instance metadata service names no valid IAM role");
  }

  private static String utf8(byte[] body) {
    try {
      return UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static boolean printable(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) <= 0x20 || s.charAt(i) >= 0x7f) {
        return false;
      }
    }
    return true;
  }
}
