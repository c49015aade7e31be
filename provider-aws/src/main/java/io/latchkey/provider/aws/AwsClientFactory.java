package io.latchkey.provider.aws;

import io.latchkey.spi.VerboseLoggers;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Builds the SDK client the provider calls: the region or endpoint, the credentials, one attempt
 * per call within the time-out, the answers' checks, and a timer thread of the provider's own; or
 * wraps a client the caller supplied.
 */
final class AwsClientFactory {
  /** The signing region used with an endpoint and no region: what LocalStack and moto expect. */
  static final String ENDPOINT_REGION = "us-east-1";

  /** The address of a client whose every call fails for want of credentials: never connected. */
  private static final URI UNREACHED = URI.create("https://secretsmanager.invalid");

  private AwsClientFactory() {}

  /**
   * The loggers under the client that print the credentials below {@code INFO}, as {@link
   * AwsSecretProviderFactory}'s {@code @CredentialLoggers} declares them: with temporary
   * credentials, the session token is a request header, which {@code HttpURLConnection} logs at
   * {@code FINE} and the SDK's signer (in either of its packages) puts in the canonical request it
   * logs at {@code DEBUG}. Returns the ones found that verbose, each warned about once per JVM.
   */
  static List<String> warnAboutVerboseLoggers() {
    List<String> verbose = new ArrayList<>();
    if (VerboseLoggers.warnIfJulBelowInfo(
        AwsLog.LOG,
        AwsSecretProviderFactory.CONNECTION_LOGGER,
        "every request's headers, the session token of temporary credentials among them")) {
      verbose.add(AwsSecretProviderFactory.CONNECTION_LOGGER);
    }
    for (String signer :
        List.of(
            AwsSecretProviderFactory.OLD_SIGNER_LOGGER, AwsSecretProviderFactory.SIGNER_LOGGER)) {
      if (VerboseLoggers.warnIfSlf4jBelowInfo(
          AwsLog.LOG,
          signer,
          "the canonical request it signs, the session token of temporary credentials among its"
              + " headers")) {
        verbose.add(signer);
      }
    }
    return verbose;
  }

  /**
   * Builds a client the provider owns: its own client when the credentials, the endpoint and the
   * network allow it, the SDK's otherwise.
   *
   * @param region the region, or null for {@link #ENDPOINT_REGION} with an endpoint
   * @param endpoint the endpoint, or null for the region's
   * @param credentials a supplied SDK credentials provider, or null
   * @param keys static keys from the provider's settings, or null
   * @param environment the environment the credentials chain reads
   * @param timeout the per-call time-out, also the HTTP client's connect and read time-outs
   * @param clock the clock requests are signed and credentials aged with
   */
  static AwsClient build(
      String region,
      URI endpoint,
      AwsCredentialsProvider credentials,
      AwsKeys keys,
      Map<String, String> environment,
      Duration timeout,
      Clock clock) {
    String signingRegion = region != null ? region : ENDPOINT_REGION;
    String description =
        "AWS Secrets Manager (region "
            + signingRegion
            + (endpoint == null ? "" : ", endpoint " + AwsSettings.printable(endpoint))
            + ")";
    Map<String, String> properties = systemProperties();
    URI target = endpoint != null ? endpoint : OwnSecretsApi.regionEndpoint(signingRegion);
    // One walk, so that the profile files are read once for the endpoint and the credentials.
    KeyChain.Walk chain =
        KeyChain.walk(
            environment, properties, Path.of(System.getProperty("user.home", "")), clock, timeout);
    String sdkReason = null;
    if (credentials != null) {
      sdkReason = "a credentials provider was supplied";
    } else if (proxied(environment, properties)) {
      sdkReason = "a proxy is configured, which the SDK's HTTP client follows";
    } else if (target == null) {
      sdkReason = "the region is outside the partitions the provider knows the endpoints of";
    } else if (endpoint == null) {
      // The SDK's endpoint rules read settings the provider's settings do not: an endpoint in a
      // system property or the profile, FIPS or dual-stack endpoints. Any of them is the SDK's.
      sdkReason = chain.endpointReason();
    }
    KeySource source = null;
    if (credentials == null && keys == null && sdkReason != null) {
      // The walk refuses a setting it cannot read that looks like a pasted secret; and the SDK's
      // chain, which the calls would go to, reads every setting and quotes one it cannot use in
      // its debug log.
      if (chain.refusal() == null) {
        KeyChain.Verdict verdict = chain.verdict();
        if (verdict.source() != null) {
          verdict.source().close();
        }
      }
      if (chain.screen() != null) {
        source = chain.refused();
        sdkReason = null;
      }
    }
    if (source == null && sdkReason == null) {
      if (keys != null) {
        source = new StaticKeys(keys, "static keys from the environment");
      } else {
        KeyChain.Verdict verdict = chain.verdict();
        source = verdict.source();
        sdkReason = verdict.sdkReason();
        if (source == null && chain.screen() != null) {
          // A step of the walk left the chain to the SDK, which would read the other settings.
          source = chain.refused();
          sdkReason = null;
        }
      }
    }
    if (source != null) {
      KeySource chosen = source;
      AwsLog.LOG.debug(
          "{}: the provider's own client, credentials from {}", description, chosen.description());
      // A refused chain fails every call before a request, so a region without an endpoint of
      // its own needs none.
      URI address = target != null ? target : UNREACHED;
      return new AwsClient(
          t -> new OwnSecretsApi(address, signingRegion, chosen, t, clock), description, timeout);
    }
    AwsLog.LOG.debug("{}: the AWS SDK's client, because {}", description, sdkReason);
    AwsCredentialsProvider sdkCredentials =
        credentials != null ? credentials : keys != null ? SdkKeys.provider(keys) : null;
    return SdkClients.build(signingRegion, endpoint, sdkCredentials, timeout, description);
  }

  /** The JVM's system properties, as strings. */
  static Map<String, String> systemProperties() {
    Map<String, String> properties = new HashMap<>();
    Properties p = System.getProperties();
    for (String name : p.stringPropertyNames()) {
      properties.put(name, p.getProperty(name));
    }
    return properties;
  }

  /**
   * Whether a proxy is configured where the SDK's HTTP client looks: the JVM's proxy properties or
   * the {@code HTTPS_PROXY} and {@code HTTP_PROXY} variables. The provider's own client never goes
   * through a proxy, so such a setting hands the calls to the SDK.
   */
  static boolean proxied(Map<String, String> environment, Map<String, String> properties) {
    for (String name : List.of("https.proxyHost", "http.proxyHost", "socksProxyHost")) {
      if (!blank(properties.get(name))) {
        return true;
      }
    }
    for (String name : List.of("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")) {
      // The process's too: the SDK's HTTP client reads it whatever map the provider was given.
      if (!blank(environment.get(name)) || !blank(System.getenv(name))) {
        return true;
      }
    }
    return "true".equalsIgnoreCase(properties.get("java.net.useSystemProxies"));
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
