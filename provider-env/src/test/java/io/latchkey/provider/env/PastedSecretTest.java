package io.latchkey.provider.env;

import io.latchkey.SecretRef;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCapture;
import io.latchkey.testsupport.PastedSecrets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
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

  static Stream<Arguments> pastings() {
    return Stream.of(
            EnvSecretProvider.ENV_FILE_VARIABLE, EnvSecretProvider.SECRETS_DIR_VARIABLE, NAME_FILE)
        .flatMap(
            setting ->
                PastedSecrets.shapes().entrySet().stream()
                    .map(shape -> Arguments.of(setting, shape.getKey(), shape.getValue())));
  }

  @ParameterizedTest(name = "{1} in {0}")
  @MethodSource("pastings")
  void pastedSecret_reachesNoOutput(String setting, String shape, String pasted) {
    String secret = PastedSecrets.core(pasted);
    List<Throwable> failures = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    Map<String, String> env = new HashMap<>();
    env.put(EnvSecretProvider.ENV_FILE_VARIABLE, EnvSecretProvider.NO_ENV_FILE);
    env.put(setting, pasted);
    String log;
    try (LogCapture capture = LogCapture.startAtEveryLevel()) {
      try (EnvSecretProvider provider = EnvSecretProvider.fromEnvironment(env, dir)) {
        texts.add(provider.toString());
        texts.add(provider.description());
        attempt(failures, () -> texts.add(provider.names().toString()));
        attempt(failures, () -> provider.get("API_TOKEN"));
        attempt(failures, () -> provider.fetch(SecretRef.parse("API_TOKEN")));
        try (SecretResolver resolver = SecretResolver.builder().provider(provider).build()) {
          attempt(failures, () -> resolver.resolve(SecretRef.parse("env:API_TOKEN")));
          texts.add(resolver.health().toString());
          texts.add(resolver.toString());
        }
      } catch (RuntimeException e) {
        failures.add(e);
      }
      attempt(failures, () -> builderTakes(setting, pasted));
      log = capture.text();
    }
    Leaks.assertNoLeak(failures, secret);
    for (String text : texts) {
      Leaks.assertNoLeak(shape + " in " + setting, text, secret);
    }
    Leaks.assertNoLeak("the log", log, secret);
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

  private static void attempt(List<Throwable> failures, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      failures.add(e);
    }
  }
}
