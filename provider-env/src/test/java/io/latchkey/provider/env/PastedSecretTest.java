package io.latchkey.provider.env;

import io.latchkey.SecretRef;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.LogCapture;
import io.latchkey.testsupport.PastedSecrets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A secret pasted into a setting that holds a path ({@code LATCHKEY_ENV_FILE}, {@code
 * LATCHKEY_SECRETS_DIR}, a {@code NAME_FILE} variable) reaches no output, for every shape of {@link
 * PastedSecrets}: not the exception of {@link EnvSecretProvider#fromEnvironment} or of the builder,
 * not the provider's {@code toString()}, description or names, not a failed lookup, the resolver's
 * health or the log. {@link PathCanaryTest} gives the exact problems, with more values.
 */
final class PastedSecretTest {
  /** A {@code NAME_FILE} variable: the secret it stands for is {@code API_TOKEN}. */
  private static final String NAME_FILE = "API_TOKEN" + EnvSecretProvider.FILE_SUFFIX;

  @TempDir Path dir;

  static Stream<Object[]> pastings() {
    return PastedSecrets.inEach(
        Stream.of(
            EnvSecretProvider.ENV_FILE_VARIABLE,
            EnvSecretProvider.SECRETS_DIR_VARIABLE,
            NAME_FILE));
  }

  @ParameterizedTest(name = "{1} in {0}")
  @MethodSource("pastings")
  void pastedSecret_reachesNoOutput(String setting, String shape, String pasted) {
    String secret = PastedSecrets.core(pasted);
    PastedSecrets.Outputs out = new PastedSecrets.Outputs();
    Map<String, String> env = new HashMap<>();
    env.put(EnvSecretProvider.ENV_FILE_VARIABLE, EnvSecretProvider.NO_ENV_FILE);
    env.put(setting, pasted);
    String log;
    try (LogCapture capture = LogCapture.startAtEveryLevel()) {
      try (EnvSecretProvider provider = EnvSecretProvider.fromEnvironment(env, dir)) {
        out.text(provider.toString());
        out.text(provider.description());
        out.attempt(() -> out.text(provider.names().toString()));
        out.attempt(() -> provider.get("API_TOKEN"));
        out.attempt(() -> provider.fetch(SecretRef.parse("API_TOKEN")));
        try (SecretResolver resolver = SecretResolver.builder().provider(provider).build()) {
          out.attempt(() -> resolver.resolve(SecretRef.parse("env:API_TOKEN")));
          out.text(resolver.health().toString());
          out.text(resolver.toString());
        }
      } catch (RuntimeException e) {
        out.failed(e);
      }
      out.attempt(() -> builderTakes(setting, pasted));
      log = capture.text();
    }
    out.assertNoLeak(shape + " in " + setting, log, secret);
  }

  /**
   * Gives the pasted text to the builder's method for the setting, as an application would; nothing
   * when the JDK refuses it as a {@code Path}, quoting it, before the provider sees it.
   */
  private void builderTakes(String setting, String pasted) {
    EnvSecretProvider.Builder builder =
        EnvSecretProvider.builder().workingDirectory(dir).environment(Map.of()).noDotenv();
    if (setting.equals(NAME_FILE)) {
      builder.override(NAME_FILE, pasted).build().get("API_TOKEN");
      return;
    }
    Path path;
    try {
      path = Path.of(pasted);
    } catch (InvalidPathException e) {
      return;
    }
    if (setting.equals(EnvSecretProvider.ENV_FILE_VARIABLE)) {
      builder.dotenvFile(path).build().close();
    } else {
      builder.secretsDir(path).build().close();
    }
  }
}
