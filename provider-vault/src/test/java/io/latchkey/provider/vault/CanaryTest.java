package io.latchkey.provider.vault;

import static io.latchkey.provider.vault.Testing.assertNoneContains;
import static io.latchkey.provider.vault.Testing.ref;
import static io.latchkey.provider.vault.Testing.thrown;
import static io.latchkey.testsupport.Leaks.texts;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.ConfigException;
import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.provider.vault.testing.FakeVault;
import io.latchkey.provider.vault.testing.FakeVault.AppRoleCredentials;
import io.latchkey.provider.vault.testing.FakeVault.Failure;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.LogCapture;
import io.latchkey.testsupport.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret value, token, role ID, secret ID or service account token shows up in an exception
 * (message, {@code toString()}, causes, suppressed ones), a {@code toString()}, a description or a
 * log line (captured at DEBUG through the test's slf4j-simple binding), on any path: reads, every
 * failure Vault can answer, logins, renewals, new logins, settings errors. Vault error texts that
 * echo a value are never copied.
 */
final class CanaryTest {
  private static final String CANARY = "c4n4ry-7f3a9c-do-not-print";

  @TempDir Path dir;

  @Test
  void canaries_appearNowhereButInTheValues() throws Exception {
    List<String> texts = new ArrayList<>();
    List<String> forbidden = new ArrayList<>(List.of(CANARY));
    String log;
    try (LogCapture capture = LogCapture.startAtEveryLevel();
        FakeVault vault = FakeVault.start()) {
      vault.putKv2("secret", "app", Map.of("api_key", CANARY + "-kv2", "user", CANARY + "-u"));
      vault.putKv2("secret", "single", Map.of("value", CANARY + "-single"));
      vault.putKv1("kv", "app", Map.of("password", CANARY + "-kv1"));
      vault.putKv2Json("secret", "settings", "{\"DB_PASSWORD\":\"" + CANARY + "-setting\"}");
      vault.putKv2("secret", "forbidden", Map.of("k", CANARY + "-forbidden"));
      vault.policy(
          "reader",
          "secret/data/app",
          "secret/metadata/app",
          "secret/data/single",
          "secret/data/settings",
          "kv/app");
      AppRoleCredentials role =
          vault.appRole("app", Duration.ofMinutes(1), Duration.ZERO, true, "reader");
      String jwt = "eyJ" + CANARY + "-jwt";
      vault.kubernetesRole("k8s", jwt, Duration.ofMinutes(5), Duration.ZERO, "reader");
      Path jwtFile = Files.writeString(dir.resolve("jwt"), jwt);
      forbidden.addAll(List.of(vault.rootToken(), role.roleId(), role.secretId(), jwt));

      Map<String, String> appRole = new HashMap<>();
      appRole.put("VAULT_ADDR", vault.address().toString());
      appRole.put("VAULT_AUTH_METHOD", "approle");
      appRole.put("VAULT_ROLE_ID", role.roleId());
      appRole.put("VAULT_SECRET_ID", role.secretId());
      appRole.put("LATCHKEY_VAULT_CONFIG_PATH", "secret/data/settings");
      MutableClock clock = new MutableClock();
      ManualScheduler renewals = new ManualScheduler(clock);
      try (VaultSecretProvider provider =
          VaultSettings.builder(appRole).clock(clock).renewalScheduler(renewals).build()) {
        exercise(provider, vault, texts);
        // A renewal that fails, a new login, an expired token replaced.
        vault.fail(Failure.INTERNAL_ERROR, "/v1/auth/token/renew-self", 1);
        clock.advance(Duration.ofSeconds(41));
        vault.advance(Duration.ofSeconds(41));
        renewals.runDue();
        assertThat(capture.text()).contains("the token could not be renewed; got a new token");
        clock.advance(Duration.ofSeconds(41));
        vault.advance(Duration.ofSeconds(41));
        renewals.runDue();
        assertThat(capture.text()).contains("renewed the token");
        clock.advance(Duration.ofMinutes(2));
        vault.advance(Duration.ofMinutes(2));
        texts.add(provider.fetch(ref("vault:secret/app#api_key")).toString());
        // A login that Vault refuses with an error text echoing the credentials.
        vault.failWith(
            "/v1/auth/approle/login",
            400,
            "{\"errors\":[\"invalid secret id " + role.secretId() + " " + CANARY + "\"]}",
            -1);
        clock.advance(Duration.ofMinutes(2));
        vault.advance(Duration.ofMinutes(2));
        texts.addAll(texts(thrown(() -> provider.fetch(ref("vault:secret/app#api_key")))));
        vault.clearFailures();
        texts.add(provider.toString());
        texts.add(provider.description());
        forbidden.addAll(vault.loginTokens());
      }

      try (VaultSecretProvider k8s =
          VaultSecretProvider.builder()
              .address(vault.address())
              .kubernetes("k8s", jwtFile)
              .build()) {
        texts.add(k8s.fetch(ref("vault:secret/single")).toString());
        texts.add(k8s.toString());
        forbidden.addAll(vault.loginTokens());
      }

      try (VaultSecretProvider root =
          VaultSecretProvider.builder()
              .address(vault.address())
              .token(Secret.of(vault.rootToken()))
              .configPath("secret/data/missing")
              .build()) {
        texts.addAll(texts(thrown(() -> root.get("DB_PASSWORD"))));
        texts.addAll(texts(thrown(() -> root.fetch(ref("vault:kv/app@2#password")))));
        texts.add(root.toString());
      }

      texts.addAll(settingsProblems(vault));
      log = capture.text();
    }
    assertNoneContains(texts, forbidden);
    // The capture works: the provider's debug and info lines were written.
    assertThat(log)
        .contains("DEBUG io.latchkey.provider.vault")
        .contains("got a new token with the approle method")
        .contains("renewing the token failed")
        .contains("renewed the token");
    assertNoneContains(List.of(log), forbidden);
  }

  private static void exercise(VaultSecretProvider provider, FakeVault vault, List<String> texts) {
    SecretRef app = ref("vault:secret/data/app#api_key");
    SecretVersion version = provider.fetch(app);
    assertThat(version.value().reveal()).isEqualTo(CANARY + "-kv2");
    texts.add(version.toString());
    texts.add(version.value().toString());
    texts.add(provider.fetch(ref("vault:secret/data/app")).toString());
    texts.add(provider.fetch(ref("vault:kv/app#password")).toString());
    texts.add(String.valueOf(provider.currentVersionId(app)));
    ConfigValue setting = provider.get("DB_PASSWORD").orElseThrow();
    assertThat(setting.text()).isEqualTo(CANARY + "-setting");
    texts.add(setting.toString());
    texts.add(provider.names().toString());
    // Not found, no field, unsupported, denied (the token is fresh: no new login).
    texts.addAll(texts(thrown(() -> provider.fetch(ref("vault:secret/data/app#nope")))));
    texts.addAll(texts(thrown(() -> provider.fetch(ref("vault:secret/data/none")))));
    texts.addAll(texts(thrown(() -> provider.fetch(ref("vault:kv/app@1")))));
    texts.addAll(texts(thrown(() -> provider.fetch(ref("vault:secret/data/forbidden#k")))));
    // Every injected failure, once each.
    // Twice each, as a denial may be retried once after a new login. A hang's message is fixed,
    // and ErrorMappingTest times it out.
    for (Failure failure : Failure.values()) {
      if (failure == Failure.HANG) {
        continue;
      }
      vault.fail(failure, "/v1/secret/data/app", 2);
      texts.addAll(texts(thrown(() -> provider.fetch(app))));
      vault.clearFailures();
    }
    vault.fail(Failure.GARBAGE, "/v1/secret/metadata/app", 1);
    texts.addAll(texts(thrown(() -> provider.currentVersionId(app))));
    // Error texts and bodies that echo a value, on every status.
    for (int status : new int[] {200, 400, 403, 404, 412, 429, 500, 503}) {
      vault.failWith(
          "/v1/secret/data/app",
          status,
          "{\"errors\":[\"cannot store "
              + CANARY
              + ": permission denied\"],\"data\":\""
              + CANARY
              + "\"}",
          2);
      texts.addAll(texts(thrown(() -> provider.fetch(app))));
      vault.clearFailures();
    }
    vault.failWith("/v1/secret/data/app", 200, CANARY + " is not JSON", 1);
    texts.addAll(texts(thrown(() -> provider.fetch(app))));
    vault.failWith("/v1/secret/data/app", 200, "[\"" + CANARY + "\"]", 1);
    texts.addAll(texts(thrown(() -> provider.fetch(app))));
  }

  /**
   * The settings that name a file or a directory are declared secret: a token, secret ID or JWT
   * pasted into one by mistake is its value. Whichever way the value is wrong (no such path, a
   * directory for a file, a file for a directory, a file that holds no certificate or a broken
   * one), the problem names the setting and the reason, never the path.
   */
  @Test
  void pathSettings_whateverIsWrong_neverQuoteTheirValue() throws Exception {
    String canary = "hvs.CANARYs3cr3t-4f1c-9b2e";
    Path directory = Files.createDirectories(dir.resolve("d-" + canary));
    Path notPem = Files.writeString(dir.resolve("n-" + canary), "hello");
    String broken = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    Path brokenPem = Files.writeString(dir.resolve("b-" + canary), broken);
    Path unterminated =
        Files.writeString(dir.resolve("u-" + canary), "-----BEGIN CERTIFICATE-----\nAAAA\n");
    Path brokenDirectory = Files.createDirectories(dir.resolve("c-" + canary));
    Files.writeString(brokenDirectory.resolve(canary + ".pem"), broken);
    Path emptyDirectory = Files.createDirectories(dir.resolve("e-" + canary));
    List<String> missingOrDirectory = List.of(canary, "/run/" + canary, directory.toString());
    Map<String, List<String>> wrong = new LinkedHashMap<>();
    wrong.put("VAULT_TOKEN_FILE", missingOrDirectory);
    wrong.put("VAULT_SECRET_ID_FILE", missingOrDirectory);
    wrong.put("VAULT_K8S_TOKEN_FILE", missingOrDirectory);
    List<String> caFiles = new ArrayList<>(missingOrDirectory);
    caFiles.addAll(List.of(notPem.toString(), brokenPem.toString(), unterminated.toString()));
    wrong.put("VAULT_CACERT", caFiles);
    wrong.put(
        "VAULT_CAPATH",
        List.of(
            canary,
            notPem.toString(),
            emptyDirectory.toString(),
            brokenDirectory.toString(),
            directory.toString()));
    Map<String, Map<String, String>> method =
        Map.of(
            "VAULT_TOKEN_FILE", Map.of(),
            "VAULT_SECRET_ID_FILE", Map.of("VAULT_AUTH_METHOD", "approle", "VAULT_ROLE_ID", "r"),
            "VAULT_K8S_TOKEN_FILE",
                Map.of("VAULT_AUTH_METHOD", "kubernetes", "VAULT_K8S_ROLE", "a"),
            "VAULT_CACERT", Map.of("VAULT_TOKEN", "t"),
            "VAULT_CAPATH", Map.of("VAULT_TOKEN", "t"));
    List<String> texts = new ArrayList<>();
    String log;
    try (LogCapture capture = LogCapture.startAtEveryLevel()) {
      for (Map.Entry<String, List<String>> setting : wrong.entrySet()) {
        for (String value : setting.getValue()) {
          Map<String, String> env = new HashMap<>(method.get(setting.getKey()));
          env.put("VAULT_ADDR", "https://vault.example.com:8200");
          env.put(setting.getKey(), value);
          ConfigException e =
              (ConfigException) thrown(() -> VaultSecretProvider.fromEnvironment(env));
          assertThat(e.problems())
              .as("%s set to a wrong %s", setting.getKey(), value.replace(canary, "canary"))
              .anySatisfy(p -> assertThat(p.setting()).isEqualTo(setting.getKey()));
          texts.addAll(texts(e));
          texts.add(e.problems().toString());
        }
      }
      log = capture.text();
    }
    texts.add(log);
    assertNoneContains(texts, List.of(canary, dir.toString()));
  }

  private List<String> settingsProblems(FakeVault vault) throws Exception {
    List<String> texts = new ArrayList<>();
    Path tokenFile = Files.writeString(dir.resolve("token"), CANARY);
    Map<String, String> env = new HashMap<>();
    env.put("VAULT_ADDR", "https://user:" + CANARY + "@vault.example.com:8200");
    env.put("VAULT_TOKEN", CANARY);
    env.put("VAULT_TOKEN_FILE", tokenFile.toString());
    env.put("LATCHKEY_VAULT_TIMEOUT", CANARY);
    env.put("LATCHKEY_VAULT_CONFIG_PATH", "bad path " + CANARY);
    env.put("LATCHKEY_VAULT_ALLOW_HTTP", CANARY);
    ConfigException e = (ConfigException) thrown(() -> VaultSecretProvider.fromEnvironment(env));
    assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(5);
    texts.addAll(texts(e));
    env.clear();
    env.put("VAULT_ADDR", vault.address().toString());
    env.put("VAULT_AUTH_METHOD", CANARY);
    texts.addAll(texts(thrown(() -> VaultSecretProvider.fromEnvironment(env))));
    env.put("VAULT_AUTH_METHOD", "approle");
    env.put("VAULT_SECRET_ID", CANARY);
    env.put("VAULT_APPROLE_MOUNT", "a//" + CANARY);
    texts.addAll(texts(thrown(() -> VaultSecretProvider.fromEnvironment(env))));
    texts.addAll(
        texts(thrown(() -> VaultSecretProvider.builder().address(vault.address()).build())));
    return texts;
  }
}
