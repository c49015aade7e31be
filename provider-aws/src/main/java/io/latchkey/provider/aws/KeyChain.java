package io.latchkey.provider.aws;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.latchkey.internal.PathText;
import io.latchkey.internal.SettingNames;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Where the provider's own client takes its credentials from: the AWS SDK's default chain ({@code
 * DefaultCredentialsProvider}: system properties, environment variables, web identity, the shared
 * profile files, the container endpoint, the instance metadata service), walked in the same order
 * with the same settings, without loading the SDK. Where a step needs something only the SDK can do
 * (a role to assume, single sign-on, a credential process, a setting whose effect the SDK's own
 * rules decide), the verdict hands the whole chain to the SDK, so that the credentials used are
 * always the ones the SDK would have used.
 *
 * <p>A setting the chain cannot read whose value looks like a secret pasted in the wrong place (a
 * path that does not look like one by {@link PathText#looksLikePath}, a URL, name or flag that
 * {@link SettingNames#looksLikeSecretValue} judges a value) is not handed to the SDK: its chain
 * would read the same value and quote it in its debug log. Every call fails instead, naming the
 * setting and never the value. For the same reason, when the calls go to the SDK for any other
 * reason, {@link Walk#screen()} judges every setting its chain reads first.
 */
final class KeyChain {
  /** The largest shared profile file read; a larger one is left to the SDK. */
  static final int MAX_PROFILE_FILE = 1 << 20;

  /** What a call fails with when no step of the chain applies. */
  static final String NO_CREDENTIALS =
      "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile"
          + " (AWS_PROFILE), web identity, or a container or instance role";

  /** The section of the parsed files that holds the profiles, as the SDK's reader names it. */
  static final String PROFILES = "profiles";

  private static final String SSO_SESSION = "sso-session";
  private static final String SERVICES = "services";

  private static final String CONTAINER_HOST = "http://169.254.170.2";
  private static final String INSTANCE_IPV4 = "http://169.254.169.254";
  private static final String INSTANCE_IPV6 = "http://[fd00:ec2::254]";

  /**
   * The profile properties for which the SDK builds another kind of provider than static keys, in
   * the order its {@code ProfileCredentialsUtils} checks them; also those that only matter next to
   * one of them, so that such a profile is the SDK's to judge, whole.
   */
  private static final List<String> SDK_PROFILE_PROPERTIES =
      List.of(
          "sso_role_name",
          "sso_account_id",
          "sso_region",
          "sso_start_url",
          "sso_session",
          "role_arn",
          "login_session",
          "credential_process",
          "web_identity_token_file",
          "source_profile",
          "credential_source");

  /** The partitions' region names and domains, from the SDK's endpoint metadata. */
  private static final List<Map.Entry<Pattern, String>> PARTITIONS =
      List.of(
          Map.entry(Pattern.compile("^(us|eu|ap|sa|ca|me|af|il|mx)-\\w+-\\d+$"), "amazonaws.com"),
          Map.entry(Pattern.compile("^cn-\\w+-\\d+$"), "amazonaws.com.cn"),
          Map.entry(Pattern.compile("^us-gov-\\w+-\\d+$"), "amazonaws.com"),
          Map.entry(Pattern.compile("^us-iso-\\w+-\\d+$"), "c2s.ic.gov"),
          Map.entry(Pattern.compile("^us-isob-\\w+-\\d+$"), "sc2s.sgov.gov"),
          Map.entry(Pattern.compile("^eu-isoe-\\w+-\\d+$"), "cloud.adc-e.uk"),
          Map.entry(Pattern.compile("^us-isof-\\w+-\\d+$"), "csp.hci.ic.gov"),
          Map.entry(Pattern.compile("^eusc-de-\\w+-\\d+$"), "amazonaws.eu"));

  /**
   * The domain of a region's partition, such as {@code amazonaws.com} or {@code amazonaws.com.cn},
   * or null for a region outside the partitions known here.
   */
  static String dnsSuffix(String region) {
    if (!AwsSettings.isRegion(region)) {
      return null; // a '_' matches the patterns' \w, but makes no host name
    }
    for (Map.Entry<Pattern, String> partition : PARTITIONS) {
      if (partition.getKey().matcher(region).matches()) {
        return partition.getValue();
      }
    }
    return null;
  }

  private static final Pattern IPV4 =
      Pattern.compile("^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$");

  private KeyChain() {}

  /**
   * The chain's verdict: a source for the provider's own client, or null source with the reason the
   * SDK's chain is needed.
   *
   * @param source where the own client takes its credentials from, or null
   * @param sdkReason why the SDK's chain is needed instead, naming settings and never a value, or
   *     null
   */
  record Verdict(KeySource source, String sdkReason) {
    /** Checks that exactly one of the two is given. */
    Verdict {
      if ((source == null) == (sdkReason == null)) {
        throw new IllegalArgumentException("a verdict has either a source or a reason, not both");
      }
    }
  }

  /** Builds the sources that fetch credentials over HTTP; the tests record what is asked for. */
  interface HttpSources {
    /** A web identity exchanged at STS. */
    KeySource webIdentity(
        URI stsEndpoint, String region, Path tokenFile, String roleArn, String sessionName);

    /** A container credentials endpoint; at most one of the two authorizations is given. */
    KeySource container(URI uri, Path authorizationTokenFile, String authorizationToken);

    /** The instance metadata service. */
    KeySource instance(URI endpoint);
  }

  /**
   * Walks the chain.
   *
   * @param env the environment variables
   * @param systemProperties the JVM's system properties
   * @param userHome the JVM's {@code user.home}, used as the SDK does when {@code HOME} is unset
   * @param clock the clock the sources age credentials with, and web identity names its sessions
   *     with
   * @param timeout the time-out of a fetch over HTTP
   * @return the verdict
   */
  static Verdict resolve(
      Map<String, String> env,
      Map<String, String> systemProperties,
      Path userHome,
      Clock clock,
      Duration timeout) {
    return walk(env, systemProperties, userHome, clock, timeout).verdict();
  }

  /**
   * Starts a walk through the chain, whose profile files are read once for both of its questions:
   * {@link Walk#endpointReason()} and {@link Walk#verdict()}. The parameters are {@link
   * #resolve(Map, Map, Path, Clock, Duration)}'s.
   */
  static Walk walk(
      Map<String, String> env,
      Map<String, String> systemProperties,
      Path userHome,
      Clock clock,
      Duration timeout) {
    HttpSources http =
        new HttpSources() {
          @Override
          public KeySource webIdentity(
              URI stsEndpoint, String stsRegion, Path tokenFile, String roleArn, String session) {
            return new WebIdentityKeys(
                stsEndpoint, stsRegion, tokenFile, roleArn, session, clock, timeout);
          }

          @Override
          public KeySource container(
              URI uri, Path authorizationTokenFile, String authorizationToken) {
            return new ContainerKeys(
                uri, authorizationTokenFile, authorizationToken, clock, timeout);
          }

          @Override
          public KeySource instance(URI endpoint) {
            return new InstanceKeys(endpoint, clock, timeout);
          }
        };
    return new Walk(env, systemProperties, userHome, clock, http);
  }

  /** Walks the chain, building the HTTP sources with {@code http}. */
  static Verdict resolve(
      Map<String, String> env,
      Map<String, String> systemProperties,
      Path userHome,
      Clock clock,
      HttpSources http) {
    return new Walk(env, systemProperties, userHome, clock, http).verdict();
  }

  /**
   * A step that needs the SDK: the message is the reason. A refusal is a step whose setting looks
   * like a pasted secret, which the SDK must not be given.
   */
  private static final class Defer extends Exception {
    private static final long serialVersionUID = 1L;

    final boolean refusal;

    Defer(String reason) {
      this(reason, false);
    }

    private Defer(String reason, boolean refusal) {
      super(reason, null, false, false);
      this.refusal = refusal;
    }

    /**
     * The step's deferral for a setting the chain cannot read, or its refusal when the value looks
     * like a secret rather than what the setting takes.
     *
     * @param setting the setting
     * @param reason why the SDK would be needed, naming the setting
     * @param secret whether the value looks like a secret
     * @param expected what the setting takes, such as {@code "a path"}
     */
    static Defer judged(Found setting, String reason, boolean secret, String expected) {
      return secret ? new Defer(refusal(setting, expected), true) : new Defer(reason);
    }

    /** The refusal of a setting that looks like a secret, naming it and never its value. */
    static String refusal(Found setting, String expected) {
      return setting.name()
          + " looks like a secret's value, not "
          + expected
          + " (not shown, in case it is one)";
    }

    /** A refusal for the reason given, which names the setting and never its value. */
    static Defer refused(String reason) {
      return new Defer(reason, true);
    }

    /** {@link #judged} for a path, by the rule for quoting a path in an error. */
    static Defer path(Found setting, String reason) {
      return judged(setting, reason, !PathText.looksLikePath(setting.value()), "a path");
    }

    /** {@link #judged} for a URL, a name or a flag, by the rule for names that are values. */
    static Defer value(Found setting, String reason, String expected) {
      return judged(setting, reason, SettingNames.looksLikeSecretValue(setting.value()), expected);
    }
  }

  /**
   * The source of a chain with a setting that looks like a pasted secret: every call fails, naming
   * the setting.
   */
  private static final class Refused implements KeySource {
    private final String reason;

    Refused(String reason) {
      this.reason = reason;
    }

    @Override
    public AwsKeys keys(long deadline) throws KeysUnavailable {
      throw new KeysUnavailable(reason);
    }

    @Override
    public String description() {
      return "no credentials (a setting of the chain is refused)";
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
      return "Refused";
    }
  }

  /** A setting found: the name it was found under and its trimmed, non-blank value. */
  private record Found(String name, String value) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** One walk through the chain, with the settings it reads and the profile files it loads. */
  static final class Walk {
    private final Map<String, String> env;
    private final Map<String, String> properties;
    private final Path userHome;
    private final Clock clock;
    private final HttpSources http;

    private Map<String, Map<String, Map<String, String>>> files;
    private Found profileName;
    private String refusal;

    Walk(
        Map<String, String> env,
        Map<String, String> properties,
        Path userHome,
        Clock clock,
        HttpSources http) {
      this.env = env;
      this.properties = properties;
      this.userHome = userHome;
      this.clock = clock;
      this.http = http;
    }

    Verdict verdict() {
      try {
        KeySource source = systemProperties();
        if (source == null) {
          source = environment();
        }
        if (source == null) {
          source = webIdentity();
        }
        if (source == null) {
          source = profile();
        }
        if (source == null) {
          source = container();
        }
        if (source == null) {
          source = instance();
        }
        return new Verdict(source != null ? source : new NoKeys(), null);
      } catch (Defer d) {
        if (d.refusal) {
          refusal = d.getMessage();
          return new Verdict(new Refused(refusal), null);
        }
        return new Verdict(null, d.getMessage());
      }
    }

    /**
     * Why every call must fail rather than go to the SDK, found by {@link #endpointReason()} or
     * {@link #verdict()}: a setting that looks like a pasted secret, named; or null.
     */
    String refusal() {
      return refusal;
    }

    /**
     * Judges every setting the SDK's chain reads, for a provider about to hand it the chain: the
     * first that looks like a secret pasted in the wrong place is the {@link #refusal()}, whatever
     * step of the walk deferred to the SDK, as the SDK's chain reads them all and quotes a value it
     * cannot use in its debug log. A path is judged by {@link PathText#looksLikePath} (one that
     * names an existing file is read, not quoted); a URL, name or flag by {@link
     * SettingNames#looksLikeSecretValue}; a credentials endpoint's URL with user information is
     * always refused.
     *
     * @return the refusal, naming the setting and never its value; or null
     */
    String screen() {
      if (refusal == null) {
        refusal = firstPasted();
      }
      return refusal;
    }

    private String firstPasted() {
      for (String[] setting : CHAIN_SETTINGS) {
        String kind = setting[0];
        for (int i = 1; i < setting.length; i++) {
          Found found = setting[i].startsWith("aws.") ? property(setting[i]) : variable(setting[i]);
          String verdict = found == null ? null : pasted(found, kind);
          if (verdict != null) {
            return verdict;
          }
        }
      }
      return null;
    }

    /** A source that fails every call for the refusal of {@link #refusal()}. */
    KeySource refused() {
      return new Refused(refusal);
    }

    /**
     * Why the Secrets Manager endpoint must be left to the SDK's endpoint rules when the provider
     * is given none, or null: an endpoint, or a FIPS or dual-stack one, asked for where only the
     * SDK looks (system properties, the environment, the selected profile and its services
     * section). The reason names the setting, never its value.
     */
    String endpointReason() {
      try {
        return endpointOverride();
      } catch (Defer d) {
        if (d.refusal) {
          refusal = d.getMessage();
        }
        return d.getMessage();
      }
    }

    private String endpointOverride() throws Defer {
      Map<String, String> profile = selectedProfile();
      String variant = endpointVariant(profile);
      if (variant != null) {
        return "a " + variant + " endpoint is asked for";
      }
      Found override =
          configuredEndpoint(
              profile,
              // The SDK's service profile key (its client builder's serviceProfileProperty), not
              // the signing name.
              "secrets_manager",
              "aws.endpointUrlSecretsManager",
              "AWS_ENDPOINT_URL_SECRETS_MANAGER");
      return override == null ? null : "an endpoint is set in " + override.name();
    }

    /** "FIPS" or "dual-stack" when such an endpoint is asked for, as the SDK reads it; or null. */
    private String endpointVariant(Map<String, String> profile) throws Defer {
      if (flag(profile, "aws.useFipsEndpoint", "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")) {
        return "FIPS";
      }
      if (flag(
          profile,
          "aws.useDualstackEndpoint",
          "AWS_USE_DUALSTACK_ENDPOINT",
          "use_dualstack_endpoint")) {
        return "dual-stack";
      }
      return null;
    }

    /**
     * The endpoint configured for a service where the SDK's clients look for one (the SDK's
     * AwsClientEndpointProvider): the service's system property, {@code aws.endpointUrl}, the
     * service's variable, {@code AWS_ENDPOINT_URL}, the profile's {@code [services]} section, the
     * profile's {@code <service>.endpoint_url}, then its {@code endpoint_url}; none when {@code
     * ignore_configured_endpoint_urls} is set.
     */
    private Found configuredEndpoint(
        Map<String, String> profile, String service, String propertyName, String variableName)
        throws Defer {
      if (flag(
          profile,
          "aws.ignoreConfiguredEndpointUrls",
          "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
          "ignore_configured_endpoint_urls")) {
        return null;
      }
      Found override =
          first(
              property(propertyName),
              property("aws.endpointUrl"),
              variable(variableName),
              variable("AWS_ENDPOINT_URL"));
      if (override == null) {
        Found services = inProfile(profile, SERVICES);
        if (services != null) {
          Map<String, String> section = files.get(SERVICES).get(services.value());
          if (section != null) {
            String key = service + ".endpoint_url";
            override = found("the services section's " + key, section.get(key));
          }
        }
      }
      if (override == null) {
        override =
            first(
                inProfile(profile, service + ".endpoint_url"), inProfile(profile, "endpoint_url"));
      }
      return override;
    }

    // The SDK's SystemPropertyCredentialsProvider: system properties only. An id without a secret
    // (or the reverse) fails that provider, and the chain goes on.
    private KeySource systemProperties() throws Defer {
      return keys(
          property("aws.accessKeyId"),
          property("aws.secretAccessKey"),
          property("aws.sessionToken"),
          "the system properties aws.accessKeyId and aws.secretAccessKey");
    }

    // The SDK's EnvironmentVariableCredentialsProvider: environment variables only.
    private KeySource environment() throws Defer {
      return keys(
          variable("AWS_ACCESS_KEY_ID"),
          variable("AWS_SECRET_ACCESS_KEY"),
          variable("AWS_SESSION_TOKEN"),
          "the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }

    private static KeySource keys(Found id, Found secret, Found token, String description)
        throws Defer {
      if (id == null || secret == null) {
        return null;
      }
      for (Found f : new Found[] {id, secret, token}) {
        if (f != null && !keyLike(f.value())) {
          throw new Defer(f.name() + " has characters that no key or token has");
        }
      }
      return new StaticKeys(
          new AwsKeys(id.value(), secret.value(), token == null ? null : token.value(), null),
          token == null ? description : description + ", with " + token.name());
    }

    // The SDK's WebIdentityTokenFileCredentialsProvider. With a region, its STS client resolves its
    // endpoint as any client does: endpoint overrides, then the FIPS and dual-stack variants, then
    // the region; without one, STS's global endpoint whatever is configured.
    private KeySource webIdentity() throws Defer {
      Found tokenFile = setting("aws.webIdentityTokenFile", "AWS_WEB_IDENTITY_TOKEN_FILE");
      Found roleArn = setting("aws.roleArn", "AWS_ROLE_ARN");
      if (tokenFile == null || roleArn == null) {
        return null;
      }
      Path file = path(tokenFile);
      if (!readableFile(file)) {
        // The SDK reads the token at the first call, fails that step and goes on down the chain.
        throw Defer.path(tokenFile, tokenFile.name() + " does not name a readable file");
      }
      Found sessionName = setting("aws.roleSessionName", "AWS_ROLE_SESSION_NAME");
      String session = sessionName != null ? sessionName.value() : "aws-sdk-java-" + clock.millis();
      // The STS client's region is the SDK's default region chain's (not the secrets' region,
      // which may be another): the aws.region property, AWS_REGION, the profile's region; with
      // none, STS's global endpoint. The instance metadata's region, the chain's last step, is not
      // asked: an application on EC2 sets AWS_REGION.
      Found stsRegion =
          first(
              property("aws.region"),
              variable("AWS_REGION"),
              inProfile(selectedProfile(), "region"));
      URI sts = stsEndpoint(stsRegion == null ? null : stsRegion.value());
      String signing = stsRegion == null ? "us-east-1" : stsRegion.value();
      return built(
          "web identity", () -> http.webIdentity(sts, signing, file, roleArn.value(), session));
    }

    private URI stsEndpoint(String stsRegion) throws Defer {
      if (stsRegion == null) {
        // The SDK's web identity factory then builds its STS client with this endpoint as an
        // explicit override, which beats every configured endpoint and variant.
        return URI.create("https://sts.amazonaws.com");
      }
      Map<String, String> profile = selectedProfile();
      if (endpointVariant(profile) != null) {
        throw new Defer("web identity with a FIPS or dual-stack STS endpoint");
      }
      Found override =
          configuredEndpoint(profile, "sts", "aws.endpointUrlSts", "AWS_ENDPOINT_URL_STS");
      if (override != null) {
        return httpUrl(override);
      }
      String domain = dnsSuffix(stsRegion);
      if (domain != null) {
        return URI.create("https://sts." + stsRegion + "." + domain);
      }
      throw new Defer("web identity in a region outside the partitions known here");
    }

    // The SDK's ProfileCredentialsProvider over the credentials and config files, merged.
    private KeySource profile() throws Defer {
      Map<String, String> profile = selectedProfile();
      if (profile.isEmpty()) {
        return null;
      }
      if (profile.containsKey("role_arn") && profile.containsKey("web_identity_token_file")) {
        throw new Defer("the profile uses role_arn with web_identity_token_file");
      }
      for (String property : SDK_PROFILE_PROPERTIES) {
        if (profile.containsKey(property)) {
          throw new Defer("the profile uses " + property);
        }
      }
      String description =
          (profileName == null
                  ? "the default profile"
                  : "the profile " + profileName.name() + " names")
              + " in the shared credentials and config files";
      String id = profile.get("aws_access_key_id");
      String secret = profile.get("aws_secret_access_key");
      String token = profile.get("aws_session_token");
      if (token != null) {
        if (id == null || secret == null) {
          // The SDK's provider fails for want of a property, and the chain goes on.
          return null;
        }
        for (String name :
            List.of("aws_access_key_id", "aws_secret_access_key", "aws_session_token")) {
          String value = profile.get(name);
          if (value.isBlank()) {
            // The SDK would sign with an empty value; its client reports what the service says.
            throw new Defer("the profile's " + name + " is blank");
          }
          profileKeyLike(name, value);
        }
        return new StaticKeys(new AwsKeys(id, secret, token, null), description);
      }
      if (id == null) {
        return null;
      }
      if (secret == null || id.isBlank() || secret.isBlank()) {
        // The SDK's basic credentials refuse a missing or blank value, and the chain goes on.
        return null;
      }
      profileKeyLike("aws_access_key_id", id);
      profileKeyLike("aws_secret_access_key", secret);
      return new StaticKeys(new AwsKeys(id.trim(), secret.trim(), null, null), description);
    }

    private static void profileKeyLike(String name, String value) throws Defer {
      if (!keyLike(value.trim())) {
        throw new Defer("the profile's " + name + " has characters that no key or token has");
      }
    }

    // The SDK's ContainerCredentialsProvider.
    private KeySource container() throws Defer {
      Found relative =
          setting("aws.containerCredentialsPath", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
      Found full = setting("aws.containerCredentialsFullUri", "AWS_CONTAINER_CREDENTIALS_FULL_URI");
      if (relative == null && full == null) {
        return null;
      }
      String named;
      String address;
      if (relative != null) {
        Found host = setting("aws.containerServiceEndpoint", "AWS_CONTAINER_SERVICE_ENDPOINT");
        named = host == null ? relative.name() : relative.name() + " with " + host.name();
        address = (host == null ? CONTAINER_HOST : host.value()) + relative.value();
      } else {
        named = full.name();
        address = full.value();
      }
      URI uri = httpUrl(new Found(named, address));
      // The SDK's rule: https, or http to the container hosts or to addresses that are all
      // loopback ones. It resolves a host name to check that; a name is left to it.
      if (!"https".equals(uri.getScheme())) {
        String host = uri.getHost();
        if (!ContainerKeys.LINK_LOCAL.contains(host)) {
          InetAddress literal = literal(host);
          Found container = new Found(named, address);
          if (literal == null) {
            throw Defer.value(
                container,
                named + " is http to a host name, which the SDK resolves to check",
                "a URL");
          }
          if (!literal.isLoopbackAddress()) {
            throw Defer.value(
                container,
                named
                    + " is http to a host that is neither a loopback address nor a container"
                    + " credentials host",
                "a URL");
          }
        }
      }
      // The SDK prefers the token itself to the file that holds it.
      Found token = setting("aws.containerAuthorizationToken", "AWS_CONTAINER_AUTHORIZATION_TOKEN");
      Path tokenFile = null;
      if (token != null) {
        if (!headerLike(token.value())) {
          throw new Defer(token.name() + " has characters that a header cannot carry");
        }
      } else {
        Found file =
            setting(
                "aws.containerAuthorizationTokenFile", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
        if (file != null) {
          tokenFile = path(file);
          if (!readableFile(tokenFile)) {
            throw Defer.path(file, file.name() + " does not name a readable file");
          }
        }
      }
      Path authorizationFile = tokenFile;
      String authorization = token == null ? null : token.value();
      return built(
          "the container endpoint", () -> http.container(uri, authorizationFile, authorization));
    }

    // The SDK's InstanceProfileCredentialsProvider, with its Ec2MetadataConfigProvider.
    private KeySource instance() throws Defer {
      Found disabled = setting("aws.disableEc2Metadata", "AWS_EC2_METADATA_DISABLED");
      if (disabled != null) {
        if (disabled.value().equalsIgnoreCase("true")) {
          return null;
        }
        if (!disabled.value().equalsIgnoreCase("false")) {
          throw Defer.value(
              disabled, disabled.name() + " is neither true nor false", "true or false");
        }
      }
      Map<String, String> profile = selectedProfile();
      Found endpoint =
          first(
              setting("aws.ec2MetadataServiceEndpoint", "AWS_EC2_METADATA_SERVICE_ENDPOINT"),
              inProfile(profile, "ec2_metadata_service_endpoint"));
      if (endpoint != null) {
        URI uri = httpUrl(endpoint);
        return built("the instance metadata service", () -> http.instance(uri));
      }
      Found mode =
          first(
              setting(
                  "aws.ec2MetadataServiceEndpointMode", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"),
              inProfile(profile, "ec2_metadata_service_endpoint_mode"));
      if (mode == null || mode.value().equalsIgnoreCase("IPv4")) {
        return http.instance(URI.create(INSTANCE_IPV4));
      }
      if (mode.value().equalsIgnoreCase("IPv6")) {
        return http.instance(URI.create(INSTANCE_IPV6));
      }
      throw Defer.value(mode, mode.name() + " is neither IPv4 nor IPv6", "IPv4 or IPv6");
    }

    /** The selected profile's properties, empty if it is in neither file. */
    private Map<String, String> selectedProfile() throws Defer {
      if (files == null) {
        profileName = setting("aws.profile", "AWS_PROFILE");
        Map<String, Map<String, Map<String, String>>> config =
            read(
                setting("aws.configFile", "AWS_CONFIG_FILE"),
                "config",
                "the shared config file",
                true);
        Map<String, Map<String, Map<String, String>>> credentials =
            read(
                setting("aws.sharedCredentialsFile", "AWS_SHARED_CREDENTIALS_FILE"),
                "credentials",
                "the shared credentials file",
                false);
        files = merge(config, credentials);
      }
      Map<String, String> profile =
          files.get(PROFILES).get(profileName == null ? "default" : profileName.value());
      return profile == null ? Map.of() : profile;
    }

    private Map<String, Map<String, Map<String, String>>> read(
        Found location, String defaultName, String label, boolean config) throws Defer {
      Path path;
      String named = location == null ? label : label + " that " + location.name() + " names";
      if (location == null) {
        String home = home();
        if (home == null) {
          return new ProfileReader(config).sections;
        }
        try {
          path = Path.of(home, ".aws", defaultName);
        } catch (InvalidPathException e) {
          throw new Defer("the home directory is not a valid path");
        }
      } else {
        String value = location.value();
        String separator = FileSystems.getDefault().getSeparator();
        if (value.startsWith("~/") || value.startsWith("~" + separator)) {
          // The SDK expands a leading ~ itself, as the AWS CLI does.
          String home = home();
          value = (home == null ? "" : home) + value.substring(1);
        }
        path = path(new Found(location.name(), value));
      }
      if (!readableFile(path)) {
        return new ProfileReader(config).sections;
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(path)) {
        bytes = in.readNBytes(MAX_PROFILE_FILE + 1);
      } catch (IOException | SecurityException e) {
        throw new Defer(named + " cannot be read");
      }
      if (bytes.length > MAX_PROFILE_FILE) {
        throw new Defer(named + " is larger than 1 MiB");
      }
      try {
        return parse(new String(bytes, UTF_8), config);
      } catch (Unparsable e) {
        throw new Defer(named + " cannot be parsed: " + e.getMessage());
      }
    }

    // The SDK's UserHomeDirectoryUtils: HOME, then on Windows USERPROFILE or HOMEDRIVE and
    // HOMEPATH, then the JVM's user.home.
    private String home() {
      Found home = variable("HOME");
      if (home != null) {
        return home.value();
      }
      String os = properties.get("os.name");
      if (os != null && os.toLowerCase(Locale.ROOT).startsWith("windows")) {
        Found profile = variable("USERPROFILE");
        if (profile != null) {
          return profile.value();
        }
        Found drive = variable("HOMEDRIVE");
        Found homePath = variable("HOMEPATH");
        if (drive != null && homePath != null) {
          return drive.value() + homePath.value();
        }
      }
      return userHome == null || userHome.toString().isEmpty() ? null : userHome.toString();
    }

    private boolean flag(Map<String, String> profile, String property, String variable, String key)
        throws Defer {
      Found value = first(setting(property, variable), inProfile(profile, key));
      if (value == null || value.value().equalsIgnoreCase("false")) {
        return false;
      }
      if (value.value().equalsIgnoreCase("true")) {
        return true;
      }
      throw Defer.value(value, value.name() + " is neither true nor false", "true or false");
    }

    private Found setting(String property, String variable) {
      Found found = property(property);
      return found != null ? found : variable(variable);
    }

    private Found property(String name) {
      return found(name, properties.get(name));
    }

    private Found variable(String name) {
      return found(name, env.get(name));
    }
  }

  /**
   * Builds an HTTP source. One that refuses a setting the SDK takes (its message names the setting,
   * never a value) leaves the chain to the SDK, which judges it.
   */
  private static KeySource built(String step, Supplier<KeySource> source) throws Defer {
    try {
      return source.get();
    } catch (IllegalArgumentException e) {
      throw new Defer(step + ": " + e.getMessage());
    }
  }

  private static Found inProfile(Map<String, String> profile, String key) {
    return found("the profile's " + key, profile.get(key));
  }

  private static Found found(String name, String raw) {
    if (raw == null) {
      return null;
    }
    String value = raw.trim();
    return value.isBlank() ? null : new Found(name, value);
  }

  private static Found first(Found... candidates) {
    for (Found f : candidates) {
      if (f != null) {
        return f;
      }
    }
    return null;
  }

  private static Path path(Found setting) throws Defer {
    try {
      return Path.of(setting.value());
    } catch (InvalidPathException e) {
      throw Defer.path(setting, setting.name() + " is not a valid path");
    }
  }

  // As the SDK's ProfileFileLocation: a regular, readable file; a directory, a pipe or a device is
  // as good as missing.
  private static boolean readableFile(Path path) {
    try {
      return Files.isRegularFile(path) && Files.isReadable(path);
    } catch (SecurityException e) {
      return false;
    }
  }

  private static URI httpUrl(Found setting) throws Defer {
    URI uri;
    try {
      uri = new URI(setting.value());
    } catch (URISyntaxException e) {
      throw Defer.value(setting, setting.name() + " is not a valid URL", "a URL");
    }
    String scheme = uri.getScheme();
    if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null) {
      throw Defer.value(setting, setting.name() + " is not an http or https URL", "a URL");
    }
    if (uri.getRawUserInfo() != null) {
      // Credentials in a URL end up in logs, the SDK's among them; none of these endpoints takes
      // them.
      throw Defer.refused(
          setting.name()
              + " holds user information, which no credentials endpoint takes (not shown)");
    }
    return uri;
  }

  /**
   * The settings the SDK's chain reads besides keys and tokens, in its order, each with its kind
   * ({@code path}, {@code url}, {@code proxy}, {@code relative} (a URL's path), {@code flag},
   * {@code mode} or {@code name}) and then the names it is read under: the system property before
   * the variable.
   */
  private static final List<String[]> CHAIN_SETTINGS =
      List.of(
          new String[] {"name", "aws.profile", "AWS_PROFILE"},
          new String[] {"path", "aws.configFile", "AWS_CONFIG_FILE"},
          new String[] {"path", "aws.sharedCredentialsFile", "AWS_SHARED_CREDENTIALS_FILE"},
          new String[] {"path", "HOME"},
          new String[] {"path", "aws.webIdentityTokenFile", "AWS_WEB_IDENTITY_TOKEN_FILE"},
          new String[] {"name", "aws.roleArn", "AWS_ROLE_ARN"},
          new String[] {"name", "aws.roleSessionName", "AWS_ROLE_SESSION_NAME"},
          new String[] {"url", "aws.endpointUrlSts", "AWS_ENDPOINT_URL_STS"},
          new String[] {"flag", "aws.useFipsEndpoint", "AWS_USE_FIPS_ENDPOINT"},
          new String[] {"flag", "aws.useDualstackEndpoint", "AWS_USE_DUALSTACK_ENDPOINT"},
          new String[] {
            "flag", "aws.ignoreConfiguredEndpointUrls", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"
          },
          new String[] {
            "relative", "aws.containerCredentialsPath", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
          },
          new String[] {
            "url", "aws.containerCredentialsFullUri", "AWS_CONTAINER_CREDENTIALS_FULL_URI"
          },
          new String[] {"url", "aws.containerServiceEndpoint", "AWS_CONTAINER_SERVICE_ENDPOINT"},
          new String[] {
            "path", "aws.containerAuthorizationTokenFile", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
          },
          new String[] {"flag", "aws.disableEc2Metadata", "AWS_EC2_METADATA_DISABLED"},
          new String[] {
            "url", "aws.ec2MetadataServiceEndpoint", "AWS_EC2_METADATA_SERVICE_ENDPOINT"
          },
          new String[] {
            "mode", "aws.ec2MetadataServiceEndpointMode", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"
          },
          new String[] {"proxy", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"});

  /**
   * The refusal of a setting whose value looks like a secret rather than what its kind takes, or
   * null.
   */
  private static String pasted(Found setting, String kind) {
    String value = setting.value();
    switch (kind) {
      case "path":
        return PathText.looksLikePath(value) || exists(value)
            ? null
            : Defer.refusal(setting, "a path");
      case "url":
        if (userInfo(value)) {
          return setting.name()
              + " holds user information, which no credentials endpoint takes (not shown)";
        }
        return judgedValue(setting, "a URL");
      case "proxy":
        // A proxy may carry its own user and password, which the SDK's HTTP client sends to it.
        return judgedValue(setting, "a URL");
      case "flag":
        return judgedValue(setting, "true or false");
      case "mode":
        return judgedValue(setting, "IPv4 or IPv6");
      case "relative":
        // Judged as the SDK uses it, after the container host, so that a path's parts are judged
        // a part at a time, the id ECS puts there passing.
        return SettingNames.looksLikeSecretValue(
                value.startsWith("/") ? CONTAINER_HOST + value : value)
            ? Defer.refusal(setting, "a URL's path")
            : null;
      default:
        return judgedValue(setting, "a name");
    }
  }

  private static String judgedValue(Found setting, String expected) {
    return SettingNames.looksLikeSecretValue(setting.value())
        ? Defer.refusal(setting, expected)
        : null;
  }

  private static boolean exists(String value) {
    try {
      return Files.exists(Path.of(value));
    } catch (InvalidPathException | SecurityException e) {
      return false;
    }
  }

  private static boolean userInfo(String value) {
    try {
      return new URI(value).getRawUserInfo() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** An IP address written out, read without a name lookup; null for anything else. */
  private static InetAddress literal(String host) {
    try {
      if (host.startsWith("[")) {
        // Brackets make the JDK parse an IPv6 literal, and fail rather than look a name up.
        return InetAddress.getByName(host);
      }
      if (!IPV4.matcher(host).matches()) {
        return null;
      }
      String[] parts = host.split("\\.", -1);
      byte[] address = new byte[4];
      for (int i = 0; i < 4; i++) {
        int part = Integer.parseInt(parts[i]);
        if (part > 255) {
          return null;
        }
        address[i] = (byte) part;
      }
      return InetAddress.getByAddress(address);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** Whether a key, secret or session token can go into a header as it is. */
  private static boolean keyLike(String value) {
    return value.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }

  private static boolean headerLike(String value) {
    return value.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
  }

  /** Merges the files as the SDK's {@code ProfileFile.Aggregator}: the later file wins per key. */
  private static Map<String, Map<String, Map<String, String>>> merge(
      Map<String, Map<String, Map<String, String>>> config,
      Map<String, Map<String, Map<String, String>>> credentials) {
    Map<String, Map<String, Map<String, String>>> merged = new LinkedHashMap<>();
    for (Map<String, Map<String, Map<String, String>>> file : List.of(config, credentials)) {
      for (Map.Entry<String, Map<String, Map<String, String>>> section : file.entrySet()) {
        Map<String, Map<String, String>> into =
            merged.computeIfAbsent(section.getKey(), k -> new LinkedHashMap<>());
        for (Map.Entry<String, Map<String, String>> profile : section.getValue().entrySet()) {
          into.computeIfAbsent(profile.getKey(), k -> new HashMap<>()).putAll(profile.getValue());
        }
      }
    }
    return merged;
  }

  /** A shared profile file the SDK's reader would refuse; the message names the line only. */
  static final class Unparsable extends Exception {
    private static final long serialVersionUID = 1L;

    Unparsable(int line, String reason) {
      super("line " + line + ": " + reason, null, false, false);
    }
  }

  /**
   * Parses a shared profile file as the SDK's {@code ProfileFileReader} does, line by line, with
   * the same rules for comments, continuation lines, sub-properties, names and section titles.
   *
   * @param text the file's text
   * @param config true for a config file ({@code [profile name]} and {@code [default]}), false for
   *     a credentials file ({@code [name]})
   * @return the sections ({@value #PROFILES}, {@code sso-session} and {@code services}), each
   *     mapping names to properties
   * @throws Unparsable where the SDK's reader throws
   */
  static Map<String, Map<String, Map<String, String>>> parse(String text, boolean config)
      throws Unparsable {
    ProfileReader reader = new ProfileReader(config);
    // String.lines() breaks lines where the SDK's BufferedReader does: \n, \r and \r\n.
    Iterator<String> lines = text.lines().iterator();
    while (lines.hasNext()) {
      reader.line(lines.next());
    }
    return reader.sections;
  }

  /** The state of the SDK's reader, field for field. */
  private static final class ProfileReader {
    private static final Pattern EMPTY_LINE = Pattern.compile("^[\t ]*$");
    private static final Pattern IDENTIFIER = Pattern.compile("^[A-Za-z0-9_\\-/.%@:\\+]*$");
    private static final List<String> TITLED_SECTIONS = List.of(SSO_SESSION, SERVICES);

    final Map<String, Map<String, Map<String, String>>> sections = new LinkedHashMap<>();
    private final boolean config;
    private int lineNumber;
    private String section;
    private String profile;
    private String property;
    private boolean ignoringProfile;
    private boolean ignoringProperty;
    private boolean subProperties;
    private boolean seenProfileDefault;

    ProfileReader(boolean config) {
      this.config = config;
      sections.put(PROFILES, new LinkedHashMap<>());
      for (String title : TITLED_SECTIONS) {
        sections.put(title, new LinkedHashMap<>());
      }
    }

    void line(String line) throws Unparsable {
      lineNumber++;
      if (EMPTY_LINE.matcher(line).matches() || line.startsWith("#") || line.startsWith(";")) {
        return;
      }
      String titled = titledSection(line);
      if (titled != null) {
        section = titled;
        titledSectionLine(line);
      } else if (line.startsWith("[")) {
        section = PROFILES;
        profileLine(line);
      } else if (line.startsWith(" ") || line.startsWith("\t")) {
        continuationLine(line);
      } else {
        propertyLine(line);
      }
    }

    private String titledSection(String line) throws Unparsable {
      if (!line.startsWith("[")) {
        return null;
      }
      if (line.length() < 2) {
        // Where the SDK's reader cuts the brackets off and fails.
        throw new Unparsable(lineNumber, "a section title is cut short");
      }
      String raw = line.substring(1, line.length() - 1).trim();
      for (String title : TITLED_SECTIONS) {
        if (raw.startsWith(title + " ") || raw.startsWith(title + "\t")) {
          return title;
        }
      }
      return null;
    }

    private void titledSectionLine(String line) throws Unparsable {
      // Titles need no whitespace before a comment.
      String title = removeTrailingComments(line, "#", ";").trim();
      if (!title.endsWith("]")) {
        throw new Unparsable(lineNumber, "a section title does not end with ']'");
      }
      String raw = title.substring(1, title.length() - 1).trim();
      String prefix = null;
      for (String t : TITLED_SECTIONS) {
        if (raw.startsWith(t + " ") || raw.startsWith(t + "\t")) {
          prefix = t;
          break;
        }
      }
      if (!config || prefix == null) {
        startProfile(null);
        return;
      }
      String name = raw.substring(prefix.length()).trim();
      startProfile(IDENTIFIER.matcher(name).matches() ? name : null);
    }

    private void profileLine(String line) throws Unparsable {
      String title = removeTrailingComments(line, "#", ";").trim();
      if (!title.endsWith("]")) {
        throw new Unparsable(lineNumber, "a profile title does not end with ']'");
      }
      startProfile(profileName(title));
    }

    private String profileName(String title) {
      String raw = title.substring(1, title.length() - 1).trim();
      boolean prefixed = raw.startsWith("profile ") || raw.startsWith("profile\t");
      String name;
      if (config) {
        if (prefixed) {
          name = raw.substring("profile ".length()).trim();
        } else if (raw.equals("default")) {
          name = "default";
        } else {
          return null;
        }
      } else {
        name = raw;
      }
      name = name.trim();
      if (!IDENTIFIER.matcher(name).matches()) {
        return null;
      }
      // In a config file, [profile default] wins over [default], whichever comes first.
      boolean isDefault = name.equals("default");
      Map<String, Map<String, String>> profiles = sections.get(PROFILES);
      if (config && isDefault && profiles.containsKey(name)) {
        if (!prefixed && seenProfileDefault) {
          return null;
        } else if (prefixed && !seenProfileDefault) {
          profiles.remove("default");
        }
      }
      if (isDefault && prefixed) {
        seenProfileDefault = true;
      }
      return name;
    }

    private void startProfile(String name) {
      if (name == null) {
        ignoringProfile = true;
        return;
      }
      profile = name;
      property = null;
      ignoringProfile = false;
      ignoringProperty = false;
      sections.get(section).computeIfAbsent(name, k -> new LinkedHashMap<>());
    }

    private void propertyLine(String line) throws Unparsable {
      if (ignoringProfile) {
        return;
      }
      if (profile == null) {
        throw new Unparsable(lineNumber, "a property comes before any profile");
      }
      // A property's comment needs whitespace before it, or it is part of the value.
      String definition = removeTrailingComments(line, " #", " ;", "\t#", "\t;").trim();
      String[] pair = definition(definition);
      if (pair == null) {
        ignoringProperty = true;
        return;
      }
      property = pair[0];
      ignoringProperty = false;
      subProperties = pair[1].isEmpty();
      properties().put(pair[0], pair[1]);
    }

    private void continuationLine(String line) throws Unparsable {
      if (ignoringProfile || ignoringProperty) {
        return;
      }
      if (profile == null || property == null) {
        throw new Unparsable(lineNumber, "a continuation line comes before any property");
      }
      // A continuation keeps its comment characters: they are part of the value.
      String value = line.trim();
      Map<String, String> properties = properties();
      String joined = properties.get(property) + "\n" + value;
      if (subProperties) {
        String[] pair = definition(value);
        if (pair != null) {
          properties.put(property + "." + pair[0], pair[1]);
        }
      }
      properties.put(property, joined);
    }

    private Map<String, String> properties() throws Unparsable {
      Map<String, String> properties = sections.get(section).get(profile);
      if (properties == null) {
        throw new Unparsable(lineNumber, "a property is outside any profile");
      }
      return properties;
    }

    /** A name and a value; null for a name the SDK ignores. */
    private String[] definition(String line) throws Unparsable {
      int equals = line.indexOf('=');
      if (equals == -1) {
        throw new Unparsable(lineNumber, "a property has no '='");
      }
      String name = line.substring(0, equals).trim();
      String value = line.substring(equals + 1).trim();
      if (name.isEmpty()) {
        throw new Unparsable(lineNumber, "a property has no name");
      }
      return IDENTIFIER.matcher(name).matches() ? new String[] {name, value} : null;
    }

    private static String removeTrailingComments(String line, String... markers) {
      int end = line.length();
      for (String marker : markers) {
        int at = line.indexOf(marker);
        if (at >= 0 && at < end) {
          end = at;
        }
      }
      return line.substring(0, end);
    }
  }

  /** The end of the chain: every call fails, saying what to set. */
  private static final class NoKeys implements KeySource {
    @Override
    public AwsKeys keys(long deadline) throws KeysUnavailable {
      throw new KeysUnavailable(NO_CREDENTIALS);
    }

    @Override
    public String description() {
      return "no credentials";
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
      return "NoKeys";
    }
  }
}
