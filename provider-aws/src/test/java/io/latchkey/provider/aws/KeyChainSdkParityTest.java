package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.MutableClock;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Where the credentials chain and the endpoint choice must read a setting as the AWS SDK they
 * follow does, each case checked against the SDK itself first.
 */
final class KeyChainSdkParityTest {
  @TempDir Path home;

  /**
   * The SDK names Secrets Manager's key in a profile's {@code [services]} section {@code
   * secrets_manager} (its {@code serviceProfileProperty}), not {@code secretsmanager} (the signing
   * name): an endpoint set there must hand the calls to the SDK, or the own client would call the
   * region's public endpoint instead of the one configured.
   */
  @Test
  void aServicesSectionEndpoint_underTheSdksKey_handsTheCallsToTheSdk() throws Exception {
    NoProxy.assume();
    Path config = Files.createDirectories(home.resolve(".aws")).resolve("config");
    Files.writeString(
        config,
        "[default]\nservices = local\n[services local]\nsecrets_manager =\n"
            + "  endpoint_url = http://127.0.0.1:4566\n");

    // The SDK's own client, given that profile file, takes the endpoint from it.
    try (SecretsManagerClient sdk =
        SecretsManagerClient.builder()
            .region(Region.EU_WEST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
            .overrideConfiguration(
                o ->
                    o.defaultProfileFile(
                            ProfileFile.builder()
                                .content(config)
                                .type(ProfileFile.Type.CONFIGURATION)
                                .build())
                        .defaultProfileName("default"))
            .build()) {
      assertThat(sdk.serviceClientConfiguration().endpointOverride())
          .as("the SDK reads the services section's secrets_manager key")
          .contains(URI.create("http://127.0.0.1:4566"));
    }

    Map<String, String> env = new HashMap<>();
    env.put("AWS_REGION", "eu-west-1");
    env.put("AWS_ACCESS_KEY_ID", "AKIAAUDITKEY00000001");
    env.put("AWS_SECRET_ACCESS_KEY", "auditSecretKey000000000000000000000000001");
    env.put("HOME", home.toString());
    try (AwsSecretProvider p = AwsSecretProvider.fromEnvironment(env)) {
      // Own client here means https://secretsmanager.eu-west-1.amazonaws.com, not the endpoint set.
      assertThat(p.api())
          .as("the profile sets a Secrets Manager endpoint; the own client would ignore it")
          .isInstanceOf(SdkSecretsApi.class);
    }
  }

  /**
   * With no region in the SDK's region chain, the SDK's web identity provider builds its STS client
   * with an explicit {@code endpointOverride("https://sts.amazonaws.com")}, which beats {@code
   * AWS_ENDPOINT_URL_STS}, {@code aws.endpointUrlSts}, {@code AWS_ENDPOINT_URL} and the profile's
   * endpoints: the web identity token must go there, not to the configured endpoint.
   */
  @Test
  void webIdentity_withoutARegion_goesToStsGlobalEndpoint_evenWithAnEndpointOverride()
      throws Exception {
    Path token = Files.writeString(home.resolve("token"), "a.jwt.token");
    Path emptyConfig = Files.writeString(home.resolve("empty-config"), "");
    String role = "arn:aws:iam::123456789012:role/audit";
    String override = "https://sts-proxy.example.test";

    // What the SDK does, with the same settings as system properties (the process has no
    // AWS_REGION; instance metadata is off, so the region chain finds none).
    Map<String, String> sdkProperties = new LinkedHashMap<>();
    sdkProperties.put("aws.endpointUrlSts", override);
    sdkProperties.put("aws.configFile", emptyConfig.toString());
    sdkProperties.put("aws.sharedCredentialsFile", emptyConfig.toString());
    sdkProperties.put("aws.disableEc2Metadata", "true");
    Optional<URI> sdkEndpoint = sdkStsEndpoint(sdkProperties, token, role);
    if (System.getenv("AWS_REGION") == null) {
      assertThat(sdkEndpoint)
          .as("the SDK's STS endpoint for web identity without a region")
          .contains(URI.create("https://sts.amazonaws.com"));
    }

    Map<String, String> env = new HashMap<>();
    env.put("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString());
    env.put("AWS_ROLE_ARN", role);
    env.put("AWS_ENDPOINT_URL_STS", override);
    env.put("HOME", home.toString());
    AtomicReference<URI> sts = new AtomicReference<>();
    KeyChain.Verdict v =
        KeyChain.resolve(
            env,
            Map.of(),
            home,
            new MutableClock(),
            new KeyChain.HttpSources() {
              @Override
              public KeySource webIdentity(
                  URI stsEndpoint,
                  String region,
                  Path tokenFile,
                  String roleArn,
                  String sessionName) {
                sts.set(stsEndpoint);
                return new StaticKeys(new AwsKeys("x", "y", null, null), "recorded");
              }

              @Override
              public KeySource container(URI uri, Path file, String authorizationToken) {
                throw new AssertionError("container");
              }

              @Override
              public KeySource instance(URI endpoint) {
                throw new AssertionError("instance");
              }
            });
    assertThat(v.sdkReason()).isNull();
    assertThat(sts.get())
        .as("where the web identity token is sent, without a region")
        .isEqualTo(URI.create("https://sts.amazonaws.com"));
  }

  /** The STS endpoint the SDK's web identity provider builds its client with. */
  private static Optional<URI> sdkStsEndpoint(
      Map<String, String> properties, Path token, String role) throws Exception {
    Map<String, String> before = new HashMap<>();
    for (Map.Entry<String, String> p : properties.entrySet()) {
      before.put(p.getKey(), System.getProperty(p.getKey()));
      System.setProperty(p.getKey(), p.getValue());
    }
    try {
      Class<?> propsClass =
          Class.forName(
              "software.amazon.awssdk.auth.credentials.internal.WebIdentityTokenCredentialProperties");
      Object builder = propsClass.getMethod("builder").invoke(null);
      builder.getClass().getMethod("roleArn", String.class).invoke(builder, role);
      builder.getClass().getMethod("webIdentityTokenFile", Path.class).invoke(builder, token);
      Object props = builder.getClass().getMethod("build").invoke(builder);
      Class<?> factoryClass =
          Class.forName(
              "software.amazon.awssdk.services.sts.internal.StsWebIdentityCredentialsProviderFactory");
      Object factory = factoryClass.getConstructor().newInstance();
      Object provider = factoryClass.getMethod("create", propsClass).invoke(factory, props);
      Field f = provider.getClass().getDeclaredField("stsClient");
      f.setAccessible(true);
      Object client = f.get(provider);
      Object config =
          Class.forName("software.amazon.awssdk.services.sts.StsClient")
              .getMethod("serviceClientConfiguration")
              .invoke(client);
      Optional<?> endpoint =
          (Optional<?>)
              Class.forName("software.amazon.awssdk.core.SdkServiceClientConfiguration")
                  .getMethod("endpointOverride")
                  .invoke(config);
      ((AutoCloseable) provider).close();
      return endpoint.map(URI.class::cast);
    } finally {
      for (Map.Entry<String, String> p : before.entrySet()) {
        if (p.getValue() == null) {
          System.clearProperty(p.getKey());
        } else {
          System.setProperty(p.getKey(), p.getValue());
        }
      }
    }
  }
}
