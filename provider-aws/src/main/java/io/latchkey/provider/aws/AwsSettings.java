package io.latchkey.provider.aws;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigReport;
import io.latchkey.config.Setting;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The provider's settings as read from an environment map, every problem collected before any is
 * reported. Messages name the setting and what is expected, never the value: a credential pasted
 * into the wrong variable must not end up in a log.
 */
final class AwsSettings {
  static final String REGION = "AWS_REGION";
  static final String DEFAULT_REGION = "AWS_DEFAULT_REGION";
  static final String ENDPOINT_SERVICE = "AWS_ENDPOINT_URL_SECRETS_MANAGER";
  static final String ENDPOINT = "AWS_ENDPOINT_URL";
  static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
  static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";

  /** The signing region used with an endpoint and no region: what LocalStack and moto expect. */
  static final String ENDPOINT_REGION = "us-east-1";

  private static final Pattern REGION_NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  /** Static credentials from the map; the secret parts never leave this package. */
  record Keys(String accessKeyId, String secretAccessKey, String sessionToken) {
    @Override
    public String toString() {
      return "Keys[static" + (sessionToken == null ? "" : ", with a session token") + "]";
    }
  }

  final String region;
  final URI endpoint;
  final Keys keys;
  final Duration timeout;
  final String configSecret;

  private AwsSettings(
      String region, URI endpoint, Keys keys, Duration timeout, String configSecret) {
    this.region = region;
    this.endpoint = endpoint;
    this.keys = keys;
    this.timeout = timeout;
    this.configSecret = configSecret;
  }

  /**
   * Reads the settings; blank values count as unset.
   *
   * @throws ConfigException listing every wrong setting
   */
  static AwsSettings read(Map<String, String> env) {
    List<Problem> problems = new ArrayList<>();

    String regionVariable = value(env, REGION) != null ? REGION : DEFAULT_REGION;
    String region = value(env, regionVariable);
    if (region != null && !isRegion(region)) {
      problems.add(
          new Problem(
              regionVariable,
              "is not a region name such as eu-west-1 (lower-case" + " letters, digits and '-')"));
      region = null;
    }

    String endpointVariable = value(env, ENDPOINT_SERVICE) != null ? ENDPOINT_SERVICE : ENDPOINT;
    URI endpoint = null;
    String endpointText = value(env, endpointVariable);
    if (endpointText != null) {
      try {
        endpoint = endpoint(endpointText);
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(endpointVariable, e.getMessage()));
      }
    }
    if (region == null && endpointText == null && !hasProblem(problems, regionVariable)) {
      problems.add(
          new Problem(
              REGION,
              "is not set (nor "
                  + DEFAULT_REGION
                  + "); set it to the region that holds the secrets, such as eu-west-1"));
    }

    String id = value(env, ACCESS_KEY_ID);
    String key = value(env, SECRET_ACCESS_KEY);
    String token = value(env, SESSION_TOKEN);
    Keys keys = null;
    if (id != null && key != null) {
      keys = new Keys(id, key, token);
    } else if (id != null) {
      problems.add(
          new Problem(SECRET_ACCESS_KEY, "is not set, but " + ACCESS_KEY_ID + " is; set both"));
    } else if (key != null) {
      problems.add(
          new Problem(ACCESS_KEY_ID, "is not set, but " + SECRET_ACCESS_KEY + " is; set both"));
    } else if (token != null) {
      problems.add(
          new Problem(
              SESSION_TOKEN,
              "is set without " + ACCESS_KEY_ID + " and " + SECRET_ACCESS_KEY + "; set all three"));
    }

    Duration timeout = AwsSecretProvider.DEFAULT_TIMEOUT;
    String timeoutText = value(env, AwsSecretProvider.TIMEOUT_VARIABLE);
    if (timeoutText != null) {
      try {
        timeout = positive(parseDuration(timeoutText));
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(AwsSecretProvider.TIMEOUT_VARIABLE, e.getMessage()));
      }
    }

    String configSecret = value(env, AwsSecretProvider.CONFIG_SECRET_VARIABLE);
    if (configSecret != null) {
      try {
        configSecretRef(configSecret);
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(AwsSecretProvider.CONFIG_SECRET_VARIABLE, e.getMessage()));
      }
    }

    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new AwsSettings(region, endpoint, keys, timeout, configSecret);
  }

  private static boolean hasProblem(List<Problem> problems, String setting) {
    return problems.stream().anyMatch(p -> p.setting().equals(setting));
  }

  private static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  static boolean isRegion(String region) {
    return region.length() <= 64 && REGION_NAME.matcher(region).matches();
  }

  /**
   * Checks an endpoint: an absolute http or https URI with a host, without user info, query or
   * fragment.
   *
   * @throws IllegalArgumentException saying what is wrong, without quoting the text
   */
  static URI endpoint(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "is not a URI (at index " + e.getIndex() + "); expected http(s)://host[:port]");
    }
    return endpoint(uri);
  }

  /**
   * Checks an endpoint.
   *
   * @throws IllegalArgumentException saying what is wrong, without quoting it
   */
  static URI endpoint(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
      throw new IllegalArgumentException("must be an http or https URI, such as https://host:443");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("has no host; expected http(s)://host[:port]");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("must not contain user info (credentials)");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("must not have a query or a fragment");
    }
    return uri;
  }

  /**
   * Reads the configuration secret's setting: an {@code aws:} reference, or else a secret name or
   * ARN taken as it is.
   *
   * @throws IllegalArgumentException if it starts with {@code aws:} and is not a valid reference
   */
  static SecretRef configSecretRef(String text) {
    if (text.startsWith(AwsSecretProvider.NAME + ":")) {
      try {
        return SecretRef.parse(text);
      } catch (IllegalArgumentException e) {
        // The parser quotes the text; keep only the position and the reason.
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf(" at position ");
        throw new IllegalArgumentException(
            "is not a valid reference" + (at < 0 ? "" : ":" + message.substring(at)));
      }
    }
    return SecretRef.of(AwsSecretProvider.NAME, text);
  }

  static Duration positive(Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("must be positive");
    }
    return d;
  }

  /**
   * Parses a duration as the configuration schema does: units in sequence ({@code 5s}, {@code
   * 1500ms}, {@code 1m30s}; units ms, s, m, h, d) or ISO-8601 ({@code PT5S}).
   *
   * @throws IllegalArgumentException saying what is wrong, without quoting the text
   */
  static Duration parseDuration(String s) {
    try {
      return Setting.parseDuration(s);
    } catch (IllegalArgumentException e) {
      // An unknown unit's reason already lists the units; the others say what was expected.
      String reason = e.getMessage();
      throw new IllegalArgumentException(
          reason.contains("(use ")
              ? reason
              : reason + "; expected a duration such as 5s, 1500ms or PT5S");
    }
  }

  /** Formats a duration for messages: {@code 300ms}, {@code 5s}. */
  static String format(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  /**
   * The endpoint as descriptions show it, masked like every URL Latchkey prints: a supplied
   * client's endpoint is not checked by {@link AwsSettings#endpoint}, and may carry user info, a
   * credential parameter, or an authority {@link URI#getHost()} cannot read.
   */
  static String printable(URI endpoint) {
    return ConfigReport.maskUrls(endpoint.toString());
  }
}
