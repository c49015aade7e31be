package io.latchkey.provider.gcp;

import static io.latchkey.provider.gcp.Testing.with;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.SecretRef;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigSource;
import io.latchkey.config.Origin;
import io.latchkey.config.Setting;
import io.latchkey.provider.gcp.testing.FakeSecretManager;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCapture;
import io.latchkey.testsupport.PastedSecrets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A secret pasted into any setting the provider reads (the project, the endpoint, the plaintext
 * switch, the deadline, the configuration secret's reference, the credentials file) reaches no
 * output: not the exception of {@link GcpSecretProvider#fromEnvironment} or of the builder, not the
 * provider's {@code toString()} or description, not the resolver's health, the configuration
 * report, {@code Config.toString()}, a failed fetch or the log. {@link PastedCredentialsTest} gives
 * the exact problem of the most common case, the JSON key in {@code
 * GOOGLE_APPLICATION_CREDENTIALS}.
 */
final class PastedSecretTest {
  private final FakeSecretManager fake = FakeSecretManager.start();

  @AfterEach
  void close() {
    fake.close();
  }

  static Stream<Object[]> pastings() {
    return PastedSecrets.inEach(GcpSettings.SCHEMA.settings().stream().map(Setting::name));
  }

  @ParameterizedTest(name = "{1} in {0}")
  @MethodSource("pastings")
  void pastedSecret_reachesNoOutput(String setting, String shape, String pasted) {
    String secret = PastedSecrets.core(pasted);
    PastedSecrets.Outputs out = new PastedSecrets.Outputs();
    Map<String, String> env = with(fake.environment(), "LATCHKEY_GCP_TIMEOUT", "300ms");
    if (setting.equals(GcpSettings.LEGACY_PROJECT.name())) {
      env.remove(GcpSettings.PROJECT.name());
    }
    env.put(setting, pasted);
    String log;
    try (LogCapture capture = LogCapture.startAtEveryLevel()) {
      try (GcpSecretProvider provider = GcpSecretProvider.fromEnvironment(env)) {
        out.text(provider.toString());
        out.text(provider.description());
        out.attempt(() -> provider.fetch(SecretRef.parse("gcp:missing")));
        out.attempt(() -> provider.get("API_KEY"));
        out.attempt(provider::names);
        try (SecretResolver resolver = SecretResolver.builder().provider(provider).build()) {
          out.attempt(() -> resolver.resolve(SecretRef.parse("gcp:missing")));
          out.text(resolver.health().toString());
          out.text(resolver.toString());
        }
      } catch (RuntimeException e) {
        out.failed(e);
      }
      out.attempt(() -> builderTakes(setting, pasted).ifPresent(b -> b.build().close()));
      try {
        Config config =
            GcpSettings.SCHEMA.load(ConfigSource.of(Map.of(setting, pasted), Origin.Kind.ENV));
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
   * when the method takes no text (a switch, a {@code Duration}) or the JDK refuses the text as a
   * {@code Path}, quoting it, before the provider sees it.
   */
  private Optional<GcpSecretProvider.Builder> builderTakes(String setting, String pasted) {
    Map<String, String> env = fake.environment();
    GcpSecretProvider.Builder builder =
        GcpSecretProvider.builder()
            .project(env.get(GcpSettings.PROJECT.name()))
            .endpoint(env.get(GcpSettings.ENDPOINT.name()))
            .plaintext(true);
    if (setting.equals(GcpSettings.PROJECT.name())
        || setting.equals(GcpSettings.LEGACY_PROJECT.name())) {
      return Optional.of(builder.project(pasted));
    }
    if (setting.equals(GcpSettings.ENDPOINT.name())) {
      return Optional.of(builder.endpoint(pasted));
    }
    if (setting.equals(GcpSettings.CONFIG_SECRET.name())) {
      return Optional.of(builder.configSecret(pasted));
    }
    if (setting.equals(GcpSettings.CREDENTIALS.name())) {
      Path file;
      try {
        file = Path.of(pasted);
      } catch (InvalidPathException e) {
        return Optional.empty();
      }
      return Optional.of(builder.plaintext(false).credentialsFile(file));
    }
    return Optional.empty();
  }

  @Test
  void projectOrConfigSecretThatLooksLikeAKey_isRefusedUnquoted_andNamesStillPass() {
    for (String pasted : PastedSecrets.shapes().values()) {
      assertThatThrownBy(() -> GcpSecretProvider.builder().configSecret(pasted))
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(t -> Leaks.assertNoLeak(t, PastedSecrets.core(pasted)));
      assertThatThrownBy(() -> GcpSecretProvider.builder().project(pasted))
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(t -> Leaks.assertNoLeak(t, PastedSecrets.core(pasted)));
    }
    GcpSecretProvider.builder()
        .project("acme-prod-123456")
        .project("123456789012")
        .configSecret("app-config")
        .configSecret("gcp:projects/acme-prod/secrets/app-config");
  }
}
