package io.latchkey.provider.vault;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.SecretRef;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigSource;
import io.latchkey.config.Origin;
import io.latchkey.config.Setting;
import io.latchkey.provider.vault.testing.FakeVault;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCapture;
import io.latchkey.testsupport.PastedSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A secret pasted into any setting the provider reads that is not itself a secret (the address, a
 * switch, the namespace, a CA file or directory, the method, a token or secret ID file, a mount, a
 * role, the time-out, the configuration path) reaches no output: not the exception of {@link
 * VaultSecretProvider#fromEnvironment}, not the provider's {@code toString()} or description, not
 * the resolver's health, the configuration report, {@code Config.toString()}, a failed fetch or the
 * log. Each setting is tried with the authentication method that reads it.
 */
final class PastedSecretTest {
  /** The settings that hold a secret themselves: pasting one there is no mistake. */
  private static final Set<String> SECRETS =
      Set.of(
          VaultSettings.TOKEN.name(), VaultSettings.ROLE_ID.name(), VaultSettings.SECRET_ID.name());

  private final FakeVault vault = FakeVault.start();
  @TempDir Path dir;

  @AfterEach
  void close() {
    vault.close();
  }

  static Stream<Object[]> pastings() {
    return PastedSecrets.inEach(
        VaultSettings.SCHEMA.settings().stream()
            .map(Setting::name)
            .filter(name -> !SECRETS.contains(name)));
  }

  @ParameterizedTest(name = "{1} in {0}")
  @MethodSource("pastings")
  void pastedSecret_reachesNoOutput(String setting, String shape, String pasted) throws Exception {
    String secret = PastedSecrets.core(pasted);
    PastedSecrets.Outputs out = new PastedSecrets.Outputs();
    Map<String, String> env = environmentReading(setting);
    env.put(setting, pasted);
    String log;
    try (LogCapture capture = LogCapture.startAtEveryLevel()) {
      try (VaultSecretProvider provider = VaultSecretProvider.fromEnvironment(env)) {
        out.text(provider.toString());
        out.text(provider.description());
        out.attempt(() -> provider.fetch(SecretRef.parse("vault:secret/missing#k")));
        out.attempt(() -> provider.get("API_KEY"));
        out.attempt(provider::names);
        try (SecretResolver resolver = SecretResolver.builder().provider(provider).build()) {
          out.attempt(() -> resolver.resolve(SecretRef.parse("vault:secret/missing#k")));
          out.text(resolver.health().toString());
          out.text(resolver.toString());
        }
      } catch (RuntimeException e) {
        out.failed(e);
      }
      try {
        Config config =
            VaultSettings.SCHEMA.load(ConfigSource.of(Map.of(setting, pasted), Origin.Kind.ENV));
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

  /** An environment that works with the fake and whose authentication method reads the setting. */
  private Map<String, String> environmentReading(String setting) throws Exception {
    Map<String, String> env = vault.environment();
    env.put("LATCHKEY_VAULT_ALLOW_HTTP", "true");
    env.put("LATCHKEY_VAULT_TIMEOUT", "300ms");
    if (setting.startsWith("VAULT_K8S_")) {
      env.remove("VAULT_TOKEN");
      env.put("VAULT_AUTH_METHOD", "kubernetes");
      env.put("VAULT_K8S_ROLE", "app");
      env.put("VAULT_K8S_TOKEN_FILE", Files.writeString(dir.resolve("jwt"), "eyJ.x.y").toString());
    } else if (setting.equals("VAULT_SECRET_ID_FILE") || setting.equals("VAULT_APPROLE_MOUNT")) {
      env.remove("VAULT_TOKEN");
      env.put("VAULT_AUTH_METHOD", "approle");
      env.put("VAULT_ROLE_ID", "role");
      env.put("VAULT_SECRET_ID", "secret-id");
    } else if (setting.equals("VAULT_TOKEN_FILE")) {
      env.remove("VAULT_TOKEN");
    }
    return env;
  }

  @Test
  void namespaceMountOrConfigPathThatLooksLikeAKey_isRefusedUnquoted_andNamesStillPass() {
    for (String pasted : PastedSecrets.shapes().values()) {
      String secret = PastedSecrets.core(pasted);
      for (Runnable call :
          List.<Runnable>of(
              () -> VaultSecretProvider.builder().namespace(pasted),
              () -> VaultSecretProvider.builder().authMount(pasted),
              () -> VaultSecretProvider.builder().configPath(pasted))) {
        assertThatThrownBy(call::run)
            .isInstanceOf(IllegalArgumentException.class)
            .satisfies(t -> Leaks.assertNoLeak(t, secret));
      }
    }
    VaultSecretProvider.builder()
        .namespace("org/team-a")
        .authMount("approle-prod")
        .configPath("secret/data/app-config");
  }
}
