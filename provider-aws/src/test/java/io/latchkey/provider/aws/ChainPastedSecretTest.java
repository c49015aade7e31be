package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ProviderException;
import io.latchkey.SecretRef;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCapture;
import io.latchkey.testsupport.PastedSecrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A secret pasted into a variable of the credentials chain (read when the provider's own client is
 * built, outside the provider's settings table) reaches no output: not a failed fetch's exception,
 * its causes or suppressed exceptions, not the provider's {@code toString()} or description, not
 * the resolver's health, not the log at any level. Every variable the chain reads that holds no
 * secret is tried with every shape of {@link PastedSecrets}, next to the variables that make the
 * chain's walk reach it; and as the system property the chain reads first, which the AWS SDK's
 * chain reads too (a setting the provider's chain leaves to the SDK would otherwise be quoted in
 * the SDK's debug log), and as part of a URL.
 */
final class ChainPastedSecretTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/app";
  private static final String TOKEN_FILE = "token file";

  /**
   * The variables the chain reads that hold no secret, each with the others that make the walk
   * reach it: {@link #TOKEN_FILE} stands for a readable web identity token file, {@code ENDPOINT}
   * for the loopback fake's address. The instance metadata service is switched off unless the
   * variable is one of its own, so that no walk asks the network.
   */
  static final Map<String, Map<String, String>> VARIABLES = variables();

  private static Map<String, Map<String, String>> variables() {
    Map<String, String> webIdentity =
        Map.of("AWS_WEB_IDENTITY_TOKEN_FILE", TOKEN_FILE, "AWS_ROLE_ARN", ROLE);
    Map<String, Map<String, String>> v = new LinkedHashMap<>();
    v.put("AWS_PROFILE", Map.of());
    v.put("AWS_CONFIG_FILE", Map.of());
    v.put("AWS_SHARED_CREDENTIALS_FILE", Map.of());
    v.put("AWS_WEB_IDENTITY_TOKEN_FILE", Map.of("AWS_ROLE_ARN", ROLE));
    v.put("AWS_ROLE_ARN", Map.of("AWS_WEB_IDENTITY_TOKEN_FILE", TOKEN_FILE));
    v.put("AWS_ROLE_SESSION_NAME", webIdentity);
    v.put("AWS_ENDPOINT_URL_STS", webIdentity);
    v.put("AWS_USE_FIPS_ENDPOINT", webIdentity);
    v.put("AWS_USE_DUALSTACK_ENDPOINT", webIdentity);
    v.put("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", webIdentity);
    v.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", Map.of());
    v.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", Map.of());
    v.put(
        "AWS_CONTAINER_SERVICE_ENDPOINT",
        Map.of("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials"));
    v.put(
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", "ENDPOINT"));
    v.put("AWS_EC2_METADATA_DISABLED", Map.of());
    v.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", Map.of());
    v.put("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", Map.of());
    v.put("HOME", Map.of());
    v.put("HTTPS_PROXY", Map.of());
    v.put("HTTP_PROXY", Map.of());
    v.put("https_proxy", Map.of());
    v.put("http_proxy", Map.of());
    return v;
  }

  /** The system property the chain (the provider's and the SDK's) reads before each variable. */
  static final Map<String, String> PROPERTIES =
      Map.ofEntries(
          Map.entry("AWS_PROFILE", "aws.profile"),
          Map.entry("AWS_CONFIG_FILE", "aws.configFile"),
          Map.entry("AWS_SHARED_CREDENTIALS_FILE", "aws.sharedCredentialsFile"),
          Map.entry("AWS_WEB_IDENTITY_TOKEN_FILE", "aws.webIdentityTokenFile"),
          Map.entry("AWS_ROLE_ARN", "aws.roleArn"),
          Map.entry("AWS_ROLE_SESSION_NAME", "aws.roleSessionName"),
          Map.entry("AWS_ENDPOINT_URL_STS", "aws.endpointUrlSts"),
          Map.entry("AWS_USE_FIPS_ENDPOINT", "aws.useFipsEndpoint"),
          Map.entry("AWS_USE_DUALSTACK_ENDPOINT", "aws.useDualstackEndpoint"),
          Map.entry("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "aws.ignoreConfiguredEndpointUrls"),
          Map.entry("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "aws.containerCredentialsPath"),
          Map.entry("AWS_CONTAINER_CREDENTIALS_FULL_URI", "aws.containerCredentialsFullUri"),
          Map.entry("AWS_CONTAINER_SERVICE_ENDPOINT", "aws.containerServiceEndpoint"),
          Map.entry(
              "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "aws.containerAuthorizationTokenFile"),
          Map.entry("AWS_EC2_METADATA_DISABLED", "aws.disableEc2Metadata"),
          Map.entry("AWS_EC2_METADATA_SERVICE_ENDPOINT", "aws.ec2MetadataServiceEndpoint"),
          Map.entry(
              "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "aws.ec2MetadataServiceEndpointMode"));

  private final FakeSecretsManager fake = FakeSecretsManager.start();

  @TempDir Path dir;

  @AfterEach
  void close() {
    fake.close();
  }

  static Stream<Object[]> pastings() {
    return PastedSecrets.inEach(VARIABLES.keySet().stream());
  }

  @ParameterizedTest(name = "{1} in {0}")
  @MethodSource("pastings")
  void pastedSecret_reachesNoOutput(String variable, String shape, String pasted)
      throws IOException {
    check(variable, shape, pasted, PastedSecrets.core(pasted));
  }

  static Stream<Object[]> properties() {
    return PastedSecrets.inEach(VARIABLES.keySet().stream().filter(PROPERTIES::containsKey));
  }

  /**
   * The variable and its companions as system properties, which the SDK's chain reads as the
   * provider's does: a value the provider's chain cannot read is refused, not handed to the SDK.
   */
  @ParameterizedTest(name = "{1} in the property of {0}")
  @MethodSource("properties")
  void pastedSecretInASystemProperty_reachesNoOutput(String variable, String shape, String pasted)
      throws IOException {
    Map<String, String> env = environment(variable);
    Map<String, String> properties = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : PROPERTIES.entrySet()) {
      String value = env.remove(e.getKey());
      if (value != null) {
        properties.put(e.getValue(), value);
      }
    }
    properties.put(PROPERTIES.get(variable), pasted);
    properties.forEach(System::setProperty);
    try {
      check(env, variable, shape, PastedSecrets.core(pasted));
    } finally {
      properties.keySet().forEach(System::clearProperty);
    }
  }

  /**
   * A setting refused as a pasted secret fails every call with a reason that names it, even where a
   * proxy hands the calls to the SDK, whose chain would read it too.
   */
  @Test
  void aRefusedSetting_failsEveryCall_namingIt_evenWithAProxy() throws IOException {
    Map<String, String> env = environment("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    env.put("HTTPS_PROXY", "http://127.0.0.1:9");
    env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", PastedSecrets.GITHUB_TOKEN);
    try (AwsSecretProvider provider = AwsSecretProvider.fromEnvironment(env)) {
      assertThatThrownBy(() -> provider.fetch(SecretRef.parse("aws:missing")))
          .isInstanceOf(ProviderException.class)
          .hasMessageContaining(
              "cannot get AWS credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI looks like a"
                  + " secret's value, not a URL (not shown, in case it is one)")
          .satisfies(t -> Leaks.assertNoLeak(t, PastedSecrets.GITHUB_TOKEN));
    }
  }

  /** The URL variables, with the secret as the host, in the user information or in the path. */
  static Stream<Arguments> urls() {
    return Stream.of(
            "AWS_ENDPOINT_URL_STS",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_CONTAINER_SERVICE_ENDPOINT",
            "AWS_EC2_METADATA_SERVICE_ENDPOINT")
        .flatMap(
            variable ->
                PastedSecrets.shapes().entrySet().stream()
                    .flatMap(
                        shape ->
                            Stream.of(
                                    "https://%s/",
                                    "https://%s:443/",
                                    "http://%s/",
                                    "https://user:%s@127.0.0.1/",
                                    "http://127.0.0.1:9/%s")
                                .map(form -> Arguments.of(variable, shape.getKey(), form))));
  }

  @ParameterizedTest(name = "{1} in {0} as {2}")
  @MethodSource("urls")
  void secretInAUrl_reachesNoOutput(String variable, String shape, String form) throws IOException {
    String pasted = PastedSecrets.shapes().get(shape);
    String url = form.replace("%s", pasted);
    String value =
        variable.equals("AWS_CONTAINER_SERVICE_ENDPOINT") ? url.replaceAll("/$", "") : url;
    check(variable, shape, value, PastedSecrets.core(pasted));
  }

  /**
   * Whatever step of the walk hands the chain to the SDK (here a profile with {@code role_arn}, the
   * walk's profile step), a secret pasted into any other setting the SDK's chain reads fails every
   * call, named, as the SDK's chain would read it too. {@code AWS_PROFILE}, {@code AWS_CONFIG_FILE}
   * and {@code HOME} decide which profile is read, so a proxy hands the calls over beside them.
   */
  @ParameterizedTest(name = "{1} in {0}")
  @MethodSource("pastings")
  void pastedSecretBesideAnOrdinaryHandOff_isRefusedByName(
      String variable, String shape, String pasted) throws IOException {
    Map<String, String> env = handOff(variable);
    env.put(variable, pasted);
    assertRefused(check(env, variable, shape, PastedSecrets.core(pasted)), variable);
  }

  /** As above, with the secret in the system property the SDK's chain reads before the variable. */
  @ParameterizedTest(name = "{1} in the property of {0}")
  @MethodSource("properties")
  void pastedSecretInASystemPropertyBesideAnOrdinaryHandOff_isRefusedByName(
      String variable, String shape, String pasted) throws IOException {
    Map<String, String> env = handOff(variable);
    String property = PROPERTIES.get(variable);
    System.setProperty(property, pasted);
    try {
      assertRefused(check(env, variable, shape, PastedSecrets.core(pasted)), property);
    } finally {
      System.clearProperty(property);
    }
  }

  /**
   * A region outside the partitions the provider knows the endpoints of hands the calls to the
   * SDK's client and chain: a secret pasted into a setting of the chain fails every call, named.
   */
  @ParameterizedTest(name = "{1} in {0}")
  @MethodSource("pastings")
  void pastedSecretWithARegionOutsideTheKnownPartitions_isRefusedByName(
      String variable, String shape, String pasted) throws IOException {
    Map<String, String> env = environment(variable);
    env.remove("AWS_ENDPOINT_URL_SECRETS_MANAGER");
    env.put("AWS_REGION", "us-iso-east-1");
    env.keySet().removeAll(VARIABLES.get(variable).keySet());
    env.remove("AWS_ENDPOINT_URL_STS");
    env.put(variable, pasted);
    assertRefused(check(env, variable, shape, PastedSecrets.core(pasted)), variable);
  }

  /**
   * What each setting of the chain ordinarily holds, in its variable or its system property, is not
   * taken for a pasted secret: the calls still go to the SDK when a step needs it. A proxy may
   * carry a user and password, which the SDK's HTTP client sends to it.
   */
  @Test
  void ordinarySettings_areNotRefused() {
    Map<String, String> ordinary = new LinkedHashMap<>();
    ordinary.put("AWS_PROFILE", "prod-admin");
    ordinary.put("AWS_CONFIG_FILE", "/etc/aws/config");
    ordinary.put("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials");
    ordinary.put("HOME", "/home/app");
    ordinary.put(
        "AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/eks.amazonaws.com/serviceaccount/token");
    ordinary.put("AWS_ROLE_ARN", ROLE);
    ordinary.put("AWS_ROLE_SESSION_NAME", "app-session");
    ordinary.put("AWS_ENDPOINT_URL_STS", "https://sts.eu-west-1.amazonaws.com");
    ordinary.put("AWS_USE_FIPS_ENDPOINT", "true");
    ordinary.put("AWS_USE_DUALSTACK_ENDPOINT", "false");
    ordinary.put("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE");
    ordinary.put(
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "/v2/credentials/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    ordinary.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials");
    ordinary.put("AWS_CONTAINER_SERVICE_ENDPOINT", "http://169.254.170.2");
    ordinary.put(
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token");
    ordinary.put("AWS_EC2_METADATA_DISABLED", "false");
    ordinary.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://[fd00:ec2::254]");
    ordinary.put("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6");
    ordinary.put("HTTPS_PROXY", "http://proxy.internal.example:3128");
    ordinary.put("HTTP_PROXY", "http://app:proxy-password@10.0.0.1:3128");
    ordinary.put("https_proxy", "https://proxy.internal.example");
    ordinary.put("http_proxy", "10.0.0.1:3128");
    assertThat(ordinary).containsOnlyKeys(VARIABLES.keySet());
    assertThat(screen(ordinary, Map.of())).isNull();
    Map<String, String> properties = new LinkedHashMap<>();
    PROPERTIES.forEach((variable, property) -> properties.put(property, ordinary.get(variable)));
    assertThat(screen(Map.of(), properties)).isNull();
  }

  private static String screen(Map<String, String> env, Map<String, String> properties) {
    return KeyChain.walk(
            env,
            properties,
            Path.of("home"),
            Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
            Duration.ofMillis(300))
        .screen();
  }

  /**
   * The walk's settings with no keys, no companions and a hand-off to the SDK for an ordinary
   * reason: a profile with {@code role_arn} in the config file under the home directory, or a proxy
   * beside the settings that decide which profile is read.
   */
  private Map<String, String> handOff(String variable) throws IOException {
    Map<String, String> env = environment(variable);
    env.keySet().removeAll(VARIABLES.get(variable).keySet());
    env.remove("AWS_ENDPOINT_URL_STS");
    Path aws = Files.createDirectories(dir.resolve(".aws"));
    Files.writeString(aws.resolve("config"), "[default]\nrole_arn = " + ROLE + "\n");
    if (List.of("AWS_PROFILE", "AWS_CONFIG_FILE", "HOME").contains(variable)) {
      env.put("HTTPS_PROXY", "http://127.0.0.1:9");
    }
    return env;
  }

  /** Every failure is the refusal that names the setting. */
  private static void assertRefused(List<Throwable> failures, String setting) {
    assertThat(failures).isNotEmpty();
    for (Throwable failure : failures) {
      assertThat(failure)
          .hasMessageContaining(
              "cannot get AWS credentials: " + setting + " looks like a secret's");
    }
  }

  private void check(String variable, String shape, String pasted, String secret)
      throws IOException {
    Map<String, String> env = environment(variable);
    env.put(variable, pasted);
    check(env, variable, shape, secret);
  }

  private List<Throwable> check(
      Map<String, String> env, String variable, String shape, String secret) {
    PastedSecrets.Outputs out = new PastedSecrets.Outputs();
    String log;
    try (LogCapture capture = LogCapture.startAtEveryLevel()) {
      try (AwsSecretProvider provider = AwsSecretProvider.fromEnvironment(env)) {
        out.text(provider.toString());
        out.text(provider.description());
        out.attempt(() -> provider.fetch(SecretRef.parse("aws:missing")));
        out.attempt(() -> provider.get("API_KEY"));
        try (SecretResolver resolver = SecretResolver.builder().provider(provider).build()) {
          out.attempt(() -> resolver.resolve(SecretRef.parse("aws:missing")));
          out.text(resolver.health().toString());
          out.text(resolver.toString());
        }
      } catch (RuntimeException e) {
        out.failed(e);
      }
      log = capture.text();
    }
    out.assertNoLeak(shape + " in " + variable, log, secret);
    return out.failures();
  }

  /**
   * The fake's region and endpoint with no keys, so that the chain is walked: a home of its own (no
   * profile files), the instance metadata service off unless the variable is its, and the
   * variable's companions.
   */
  private Map<String, String> environment(String variable) throws IOException {
    Map<String, String> env = fake.environment();
    env.remove("AWS_ACCESS_KEY_ID");
    env.remove("AWS_SECRET_ACCESS_KEY");
    env.put(AwsSecretProvider.TIMEOUT_VARIABLE, "300ms");
    env.put("HOME", dir.toString());
    if (!variable.startsWith("AWS_EC2_METADATA_")) {
      env.put("AWS_EC2_METADATA_DISABLED", "true");
    }
    Path token = Files.writeString(dir.resolve("token"), "web-identity-token");
    for (Map.Entry<String, String> companion : VARIABLES.get(variable).entrySet()) {
      String value = companion.getValue();
      if (value.equals(TOKEN_FILE)) {
        value = token.toString();
      } else if (value.equals("ENDPOINT")) {
        value = fake.endpoint().toString();
      }
      env.put(companion.getKey(), value);
    }
    if (VARIABLES.get(variable).containsKey("AWS_WEB_IDENTITY_TOKEN_FILE")
        && !variable.startsWith("AWS_ENDPOINT_URL")) {
      env.put("AWS_ENDPOINT_URL_STS", fake.endpoint().toString());
    }
    return env;
  }
}
