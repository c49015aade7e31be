package io.latchkey.provider.aws;

import io.latchkey.ConfigException;
import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigApplier;
import io.latchkey.config.ConfigReport;
import io.latchkey.config.ConfigSchema;
import io.latchkey.config.ConfigSource;
import io.latchkey.config.Origin;
import io.latchkey.config.Setting;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The provider's settings: the variables {@link AwsSecretProvider#fromEnvironment(Map)} reads,
 * declared as a {@link ConfigSchema} and mapped onto the public builder, and the checks the builder
 * applies to each value.
 *
 * <p>Every setting is declared sensitive, so that neither a refused value nor one the configuration
 * report lists is quoted: a credential pasted into the wrong variable (a region, an endpoint, the
 * configuration secret's name) must not reach a log. The builder's own messages name no value
 * either, and it refuses a configuration secret's name that looks like a secret's value, which
 * every failure of the configuration view and the log would otherwise quote.
 */
final class AwsSettings {
  private static final String GROUP = "AWS Secrets Manager";

  static final Setting<String> REGION =
      Setting.string("AWS_REGION")
          .optional()
          .secret()
          .group(GROUP)
          .description("The region that holds the secrets; required unless an endpoint is set.")
          .build();
  static final Setting<String> DEFAULT_REGION =
      Setting.string("AWS_DEFAULT_REGION")
          .optional()
          .secret()
          .group(GROUP)
          .description("The region, when AWS_REGION is not set.")
          .build();
  static final Setting<URI> SERVICE_ENDPOINT =
      Setting.uri("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http", "https")
          .optional()
          .secret()
          .group(GROUP)
          .description("An endpoint to call instead of the region's.")
          .build();
  static final Setting<URI> ENDPOINT =
      Setting.uri("AWS_ENDPOINT_URL", "http", "https")
          .optional()
          .secret()
          .group(GROUP)
          .description("The endpoint, when AWS_ENDPOINT_URL_SECRETS_MANAGER is not set.")
          .build();
  static final Setting<Secret> ACCESS_KEY_ID =
      Setting.secret("AWS_ACCESS_KEY_ID").optional().group(GROUP).build();
  static final Setting<Secret> SECRET_ACCESS_KEY =
      Setting.secret("AWS_SECRET_ACCESS_KEY").optional().group(GROUP).build();
  static final Setting<Secret> SESSION_TOKEN =
      Setting.secret("AWS_SESSION_TOKEN").optional().group(GROUP).build();
  static final Setting<Duration> TIMEOUT =
      Setting.duration(AwsSecretProvider.TIMEOUT_VARIABLE)
          .optional()
          .secret()
          .group(GROUP)
          .description("How long one call may take; 5s when unset.")
          .build();
  static final Setting<String> CONFIG_SECRET =
      Setting.string(AwsSecretProvider.CONFIG_SECRET_VARIABLE)
          .optional()
          .secret()
          .group(GROUP)
          .description("The JSON secret the configuration view serves.")
          .build();

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addAll(
              List.of(
                  REGION,
                  DEFAULT_REGION,
                  SERVICE_ENDPOINT,
                  ENDPOINT,
                  ACCESS_KEY_ID,
                  SECRET_ACCESS_KEY,
                  SESSION_TOKEN,
                  TIMEOUT,
                  CONFIG_SECRET))
          .build();

  private static final Pattern REGION_NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  private AwsSettings() {}

  /**
   * Maps the environment onto a new builder.
   *
   * @throws ConfigException listing every wrong setting: the values of a wrong type and the values
   *     the builder refuses, at once
   */
  static AwsSecretProvider.Builder builder(Map<String, String> environment) {
    // A value of the wrong type is reported with the builder's refusals, in the schema's order.
    ConfigApplier apply = ConfigApplier.load(SCHEMA, ConfigSource.of(environment, Origin.Kind.ENV));
    Config config = apply.config();
    AwsSecretProvider.Builder builder = AwsSecretProvider.builder();

    Setting<String> region = config.find(REGION).isPresent() ? REGION : DEFAULT_REGION;
    apply.ifSet(region, r -> builder.region(r.strip()));
    Setting<URI> endpoint = config.find(SERVICE_ENDPOINT).isPresent() ? SERVICE_ENDPOINT : ENDPOINT;
    apply.ifSet(endpoint, builder::endpoint);
    boolean endpointGiven =
        config.find(endpoint).isPresent()
            || apply.isRefused(SERVICE_ENDPOINT.name())
            || apply.isRefused(ENDPOINT.name());
    if (config.find(region).isEmpty() && !endpointGiven) {
      apply.problem(
          REGION.name(),
          "is not set (nor "
              + DEFAULT_REGION.name()
              + "); set it to the region that holds the secrets, such as eu-west-1");
    }
    keys(config, apply, builder);
    builder.environment(environment);
    apply.ifSet(TIMEOUT, builder::timeout);
    apply.ifSet(CONFIG_SECRET, builder::configSecret);
    apply.done();
    return builder;
  }

  private static void keys(Config config, ConfigApplier apply, AwsSecretProvider.Builder builder) {
    Optional<Secret> id = config.find(ACCESS_KEY_ID);
    Optional<Secret> key = config.find(SECRET_ACCESS_KEY);
    Optional<Secret> token = config.find(SESSION_TOKEN);
    if (id.isPresent() && key.isPresent()) {
      builder
          .keys(
              new AwsKeys(
                  id.get().reveal().strip(),
                  key.get().reveal().strip(),
                  token.map(t -> t.reveal().strip()).orElse(null),
                  null))
          .credentialSource("static keys from the environment");
    } else if (id.isPresent()) {
      apply.problem(
          SECRET_ACCESS_KEY.name(), "is not set, but " + ACCESS_KEY_ID.name() + " is; set both");
    } else if (key.isPresent()) {
      apply.problem(
          ACCESS_KEY_ID.name(), "is not set, but " + SECRET_ACCESS_KEY.name() + " is; set both");
    } else if (token.isPresent()) {
      apply.problem(
          SESSION_TOKEN.name(),
          "is set without "
              + ACCESS_KEY_ID.name()
              + " and "
              + SECRET_ACCESS_KEY.name()
              + "; set all three");
    }
  }

  /** Whether a text is a region name: lower-case letters and digits in groups joined by '-'. */
  static boolean isRegion(String region) {
    return region.length() <= 64 && REGION_NAME.matcher(region).matches();
  }

  /**
   * Checks an endpoint: an absolute http or https URI with a host, without user info, query or
   * fragment.
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
   * @throws IllegalArgumentException if it starts with {@code aws:} and is not a valid reference;
   *     the message gives the position and the reason, never the text
   */
  static SecretRef configSecretRef(String text) {
    if (text.startsWith(AwsSecretProvider.NAME + ":")) {
      Optional<SecretRef.Problem> problem = SecretRef.problem(text);
      if (problem.isPresent()) {
        throw new IllegalArgumentException("is not a valid reference: " + problem.get());
      }
      return SecretRef.parse(text);
    }
    return SecretRef.of(AwsSecretProvider.NAME, text);
  }

  /**
   * The endpoint as descriptions show it, masked like every URL Latchkey prints: a supplied
   * client's endpoint is not checked by {@link #endpoint(URI)}, and may carry user info, a
   * credential parameter, or an authority {@link URI#getHost()} cannot read.
   */
  static String printable(URI endpoint) {
    return ConfigReport.maskUrls(endpoint.toString());
  }
}
