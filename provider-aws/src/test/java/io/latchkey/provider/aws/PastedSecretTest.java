package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.SecretRef;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigSource;
import io.latchkey.config.Origin;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCapture;
import io.latchkey.testsupport.PastedSecrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A secret pasted into a setting that is not a secret setting (the region, an endpoint, the
 * time-out, the configuration secret's name) reaches no output: not the exception of {@link
 * AwsSecretProvider#fromEnvironment} or of the builder, not the provider's {@code toString()} or
 * description, not the resolver's health, the configuration report, {@code Config.toString()}, a
 * failed fetch or the log. Every setting of the provider's table is tried with every shape of
 * {@link PastedSecrets}.
 */
final class PastedSecretTest {
  /** The settings of docs/providers/aws.md's table that hold no secret. */
  static final List<String> SETTINGS =
      List.of(
          AwsSettings.REGION.name(),
          AwsSettings.DEFAULT_REGION.name(),
          AwsSettings.SERVICE_ENDPOINT.name(),
          AwsSettings.ENDPOINT.name(),
          AwsSettings.TIMEOUT.name(),
          AwsSettings.CONFIG_SECRET.name());

  private final FakeSecretsManager fake = FakeSecretsManager.start();

  @AfterEach
  void close() {
    fake.close();
  }

  static Stream<Object[]> pastings() {
    return PastedSecrets.inEach(SETTINGS.stream());
  }

  @ParameterizedTest(name = "{1} in {0}")
  @MethodSource("pastings")
  void pastedSecret_reachesNoOutput(String setting, String shape, String pasted) {
    String secret = PastedSecrets.core(pasted);
    PastedSecrets.Outputs out = new PastedSecrets.Outputs();
    Map<String, String> env = fake.environment();
    env.put(AwsSecretProvider.TIMEOUT_VARIABLE, "300ms");
    if (setting.equals(AwsSettings.DEFAULT_REGION.name())) {
      env.remove(AwsSettings.REGION.name());
    }
    if (setting.equals(AwsSettings.ENDPOINT.name())) {
      env.remove(AwsSettings.SERVICE_ENDPOINT.name());
    }
    env.put(setting, pasted);
    String log;
    try (LogCapture capture = LogCapture.startAtEveryLevel()) {
      try (AwsSecretProvider provider = AwsSecretProvider.fromEnvironment(env)) {
        out.text(provider.toString());
        out.text(provider.description());
        out.attempt(() -> provider.fetch(SecretRef.parse("aws:missing")));
        out.attempt(() -> provider.get("API_KEY"));
        out.attempt(provider::names);
        try (SecretResolver resolver = SecretResolver.builder().provider(provider).build()) {
          out.attempt(() -> resolver.resolve(SecretRef.parse("aws:missing")));
          out.text(resolver.health().toString());
          out.text(resolver.toString());
        }
      } catch (RuntimeException e) {
        out.failed(e);
      }
      out.attempt(() -> builderTakes(setting, pasted).ifPresent(b -> b.build().close()));
      try {
        Config config =
            AwsSettings.SCHEMA.load(ConfigSource.of(Map.of(setting, pasted), Origin.Kind.ENV));
        out.text(config.report().toTable());
        out.text(config.report().toString());
        out.text(config.toString());
      } catch (ConfigException e) {
        out.failed(e);
      }
      log = capture.text();
    }
    out.assertNoLeak(shape + " in " + setting, log, secret);
  }

  /**
   * The builder with the setting's method given the pasted text, as an application would; empty
   * when the text is not even of the method's type (the JDK's {@code URI} refuses it, quoting it,
   * before the provider sees it; a {@code Duration} holds no text).
   */
  private Optional<AwsSecretProvider.Builder> builderTakes(String setting, String pasted) {
    AwsSecretProvider.Builder builder =
        AwsSecretProvider.builder().region(fake.region()).endpoint(fake.endpoint());
    if (setting.equals(AwsSettings.REGION.name())
        || setting.equals(AwsSettings.DEFAULT_REGION.name())) {
      return Optional.of(builder.region(pasted));
    }
    if (setting.equals(AwsSettings.CONFIG_SECRET.name())) {
      return Optional.of(builder.configSecret(pasted));
    }
    if (setting.equals(AwsSettings.TIMEOUT.name())) {
      return Optional.empty();
    }
    URI endpoint;
    try {
      endpoint = new URI(pasted);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    return Optional.of(builder.endpoint(endpoint));
  }

  @Test
  void configSecretThatLooksLikeAKey_isRefusedUnquoted_andNamesStillPass() {
    for (String pasted : PastedSecrets.shapes().values()) {
      assertThatThrownBy(() -> AwsSecretProvider.builder().configSecret(pasted))
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(t -> Leaks.assertNoLeak(t, PastedSecrets.core(pasted)))
          .hasMessageContaining("(not shown, in case it is one)");
    }
    AwsSecretProvider.builder()
        .configSecret("prod/app-config")
        .configSecret("aws:prod/app-config@AWSCURRENT")
        .configSecret("arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf");
  }
}
