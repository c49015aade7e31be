package io.latchkey.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * Synthetic credentials in each provider's real format, from a seeded source, so that the scanner's
 * tests, its labelled corpus and its benchmark use the same shapes and get the same values on every
 * run. None of them was ever issued by a provider: the random parts come from the seed alone.
 */
public final class SyntheticSecrets {
  /** Letters and digits, GitHub's base62 order (digits, upper case, lower case). */
  public static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private static final String UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String BASE64 = BASE62 + "+/";
  private static final String BASE64URL = BASE62 + "-_";
  private static final String HEX = "0123456789abcdef";
  private static final String DIGITS = "0123456789";

  private final SplittableRandom random;

  /**
   * Starts a generator.
   *
   * @param random the seeded source every value is drawn from
   */
  public SyntheticSecrets(SplittableRandom random) {
    this.random = random;
  }

  /**
   * Draws {@code length} characters of an alphabet.
   *
   * @param alphabet the characters to draw from
   * @param length how many
   * @return the string
   */
  public String draw(String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  /**
   * Draws {@code length} characters of an alphabet until they hold upper case, lower case and a
   * digit, as every real key of that length does but a short random draw may not.
   */
  private String mixed(String alphabet, int length) {
    while (true) {
      String s = draw(alphabet, length);
      if (s.chars().anyMatch(Character::isUpperCase)
          && s.chars().anyMatch(Character::isLowerCase)
          && s.chars().anyMatch(Character::isDigit)) {
        return s;
      }
    }
  }

  /**
   * An AWS access key id: {@code AKIA} (or {@code ASIA} for a temporary key) and 16 base32
   * characters.
   *
   * @return the id
   */
  public String awsAccessKeyId() {
    return (random.nextInt(4) == 0 ? "ASIA" : "AKIA") + draw(BASE32, 16);
  }

  /**
   * An AWS secret access key: 40 characters of base64.
   *
   * @return the key
   */
  public String awsSecretAccessKey() {
    return mixed(BASE64, 40);
  }

  /**
   * A GitHub token: the prefix, 30 random base62 characters, and their CRC32 in 6 base62 digits.
   *
   * @param prefix {@code ghp_}, {@code gho_}, {@code ghu_}, {@code ghs_} or {@code ghr_}
   * @return the token
   */
  public String githubToken(String prefix) {
    String body = draw(BASE62, 30);
    return prefix + body + githubChecksum(body);
  }

  /**
   * The checksum GitHub appends to a token's random part: its CRC32, in base62, 6 digits.
   *
   * @param body the 30 random characters
   * @return the 6 checksum characters
   */
  public static String githubChecksum(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.US_ASCII));
    long value = crc.getValue();
    char[] digits = new char[6];
    for (int i = 5; i >= 0; i--) {
      digits[i] = BASE62.charAt((int) (value % 62));
      value /= 62;
    }
    return new String(digits);
  }

  /**
   * A GitHub fine-grained personal access token: {@code github_pat_}, 22 characters, {@code _}, 59
   * characters.
   *
   * @return the token
   */
  public String githubFineGrainedToken() {
    return "github_pat_11" + draw(UPPER_DIGITS, 20) + "_" + mixed(BASE62, 59);
  }

  /**
   * A GitLab personal access token: {@code glpat-} and 20 base64url characters.
   *
   * @return the token
   */
  public String gitlabToken() {
    String[] prefixes = {"glpat-", "glpat-", "glpat-", "gldt-", "glrt-", "glptt-"};
    return prefixes[random.nextInt(prefixes.length)] + mixed(BASE64URL, 20);
  }

  /**
   * A Slack token: a bot ({@code xoxb-}), user ({@code xoxp-}) or app-level ({@code xapp-}) token.
   *
   * @return the token
   */
  public String slackToken() {
    return switch (random.nextInt(3)) {
      case 0 -> "xoxb-" + draw(DIGITS, 11) + "-" + draw(DIGITS, 13) + "-" + mixed(BASE62, 24);
      case 1 ->
          "xoxp-"
              + draw(DIGITS, 11)
              + "-"
              + draw(DIGITS, 11)
              + "-"
              + draw(DIGITS, 13)
              + "-"
              + draw(HEX, 32);
      default -> "xapp-1-A" + draw(UPPER_DIGITS, 10) + "-" + draw(DIGITS, 13) + "-" + draw(HEX, 64);
    };
  }

  /**
   * A Slack incoming-webhook URL.
   *
   * @return the URL
   */
  public String slackWebhook() {
    return "https://hooks.slack.com/services/T"
        + draw(UPPER_DIGITS, 8 + random.nextInt(3))
        + "/B"
        + draw(UPPER_DIGITS, 8 + random.nextInt(3))
        + "/"
        + mixed(BASE62, 24);
  }

  /**
   * A Stripe secret or restricted key, live or test, in the short or the long format.
   *
   * @return the key
   */
  public String stripeKey() {
    String[] prefixes = {"sk_live_", "sk_live_", "rk_live_", "sk_test_", "rk_test_"};
    String prefix = prefixes[random.nextInt(prefixes.length)];
    return random.nextBoolean() ? prefix + mixed(BASE62, 24) : prefix + "51" + mixed(BASE62, 97);
  }

  /**
   * An OpenAI-style key: a project or service-account key, or a legacy key holding {@code
   * T3BlbkFJ}.
   *
   * @return the key
   */
  public String openAiKey() {
    return switch (random.nextInt(4)) {
      case 0 -> "sk-" + mixed(BASE62, 20) + "T3BlbkFJ" + mixed(BASE62, 20);
      case 1 -> "sk-svcacct-" + mixed(BASE64URL, 74) + "T3BlbkFJ" + mixed(BASE64URL, 74);
      case 2 -> "sk-" + draw(HEX, 32);
      default -> "sk-proj-" + mixed(BASE64URL, 74) + "T3BlbkFJ" + mixed(BASE64URL, 74);
    };
  }

  /**
   * An Anthropic key: {@code sk-ant-api03-}, 93 base64url characters and {@code AA}.
   *
   * @return the key
   */
  public String anthropicKey() {
    return "sk-ant-api03-" + mixed(BASE64URL, 93) + "AA";
  }

  /**
   * A signed JSON Web Token: an HS256, RS256 or ES256 header, claims, and a signature of the
   * algorithm's size.
   *
   * @return the token
   */
  public String jwt() {
    String[] algs = {"HS256", "RS256", "ES256"};
    int alg = random.nextInt(algs.length);
    String header =
        random.nextBoolean()
            ? "{\"alg\":\"" + algs[alg] + "\",\"typ\":\"JWT\"}"
            : "{\"alg\":\"" + algs[alg] + "\",\"kid\":\"" + draw(HEX, 16) + "\",\"typ\":\"JWT\"}";
    long iat = 1_700_000_000L + random.nextInt(50_000_000);
    String payload =
        "{\"sub\":\""
            + draw(DIGITS, 8)
            + "\",\"name\":\"user-"
            + draw(HEX, 6)
            + "\",\"scope\":\"read write\",\"iat\":"
            + iat
            + ",\"exp\":"
            + (iat + 3600)
            + "}";
    byte[] signature = new byte[alg == 0 ? 32 : alg == 1 ? 256 : 64];
    random.nextBytes(signature);
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    return url.encodeToString(header.getBytes(StandardCharsets.UTF_8))
        + "."
        + url.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + "."
        + url.encodeToString(signature);
  }

  /**
   * A PEM private key of a kind, with random key material behind the DER prefix its kind has.
   *
   * @param kind {@code RSA}, {@code EC}, {@code OPENSSH}, or {@code PKCS8} (a plain {@code PRIVATE
   *     KEY})
   * @return the PEM text, lines of 64 characters (70 for OpenSSH), ending in a line break
   */
  public String pemPrivateKey(String kind) {
    String label;
    String prefix;
    int bytes;
    int width = 64;
    switch (kind) {
      case "RSA" -> {
        label = "RSA PRIVATE KEY";
        prefix = "MIIEowIBAAKCAQEA";
        bytes = 1180;
      }
      case "EC" -> {
        label = "EC PRIVATE KEY";
        prefix = "MHcCAQEEI";
        bytes = 112;
      }
      case "OPENSSH" -> {
        label = "OPENSSH PRIVATE KEY";
        prefix = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW";
        bytes = 300;
        width = 70;
      }
      default -> {
        label = "PRIVATE KEY";
        prefix = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ";
        bytes = 1190;
      }
    }
    byte[] material = new byte[bytes];
    random.nextBytes(material);
    String body = prefix + Base64.getEncoder().encodeToString(material);
    StringBuilder pem = new StringBuilder("-----BEGIN ").append(label).append("-----\n");
    for (int i = 0; i < body.length(); i += width) {
      pem.append(body, i, Math.min(body.length(), i + width)).append('\n');
    }
    return pem.append("-----END ").append(label).append("-----\n").toString();
  }

  /**
   * A Google Cloud service-account key file, as the console downloads it.
   *
   * @param project the project id
   * @param account the account's name
   * @return the JSON text
   */
  public String gcpServiceAccount(String project, String account) {
    String key = pemPrivateKey("PKCS8").replace("\n", "\\n");
    String email = account + "@" + project + ".iam.gserviceaccount.com";
    return "{\n"
        + "  \"type\": \"service_account\",\n"
        + "  \"project_id\": \""
        + project
        + "\",\n"
        + "  \"private_key_id\": \""
        + draw(HEX, 40)
        + "\",\n"
        + "  \"private_key\": \""
        + key
        + "\",\n"
        + "  \"client_email\": \""
        + email
        + "\",\n"
        + "  \"client_id\": \""
        + draw(DIGITS, 21)
        + "\",\n"
        + "  \"auth_uri\": \"https://accounts.google.com/o/oauth2/auth\",\n"
        + "  \"token_uri\": \"https://oauth2.googleapis.com/token\",\n"
        + "  \"auth_provider_x509_cert_url\": \"https://www.googleapis.com/oauth2/v1/certs\",\n"
        + "  \"client_x509_cert_url\": \"https://www.googleapis.com/robot/v1/metadata/x509/"
        + email.replace("@", "%40")
        + "\",\n"
        + "  \"universe_domain\": \"googleapis.com\"\n"
        + "}\n";
  }

  /**
   * A password as people and generators make them: letters, digits and URL-safe punctuation, 12 to
   * 28 characters.
   *
   * @return the password
   */
  public String password() {
    return mixed(BASE62 + "!*-_.~", 12 + random.nextInt(17));
  }

  /**
   * A random API key or secret in one of the alphabets services use: hex, base64, base64url or
   * letters and digits, 20 to 64 characters.
   *
   * @return the value
   */
  public String apiSecret() {
    return switch (random.nextInt(4)) {
      case 0 -> draw(HEX, 32 + 8 * random.nextInt(5));
      case 1 -> mixed(BASE64, 24 + 4 * random.nextInt(6));
      case 2 -> mixed(BASE64URL, 32 + random.nextInt(20));
      default -> mixed(BASE62, 20 + random.nextInt(30));
    };
  }
}
