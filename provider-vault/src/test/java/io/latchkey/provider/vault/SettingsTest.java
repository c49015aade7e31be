package io.latchkey.provider.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.Secret;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fromEnvironment} reads every setting, reports every problem at once (naming the variable,
 * never quoting a credential), and the builder checks the same rules.
 */
final class SettingsTest {
  @TempDir Path dir;

  private static ConfigException problems(Map<String, String> env) {
    return catchThrowableOfType(
        ConfigException.class, () -> VaultSecretProvider.fromEnvironment(env));
  }

  private static VaultSecretProvider create(Map<String, String> env) {
    return VaultSecretProvider.fromEnvironment(env);
  }

  @Test
  void nothingSet_namesTheAddressAndTheToken() {
    assertThat(problems(Map.of()).problems())
        .containsExactly(
            new Problem(
                "VAULT_ADDR",
                "is not set; set it to Vault's address, such as https://vault.example.com:8200"),
            new Problem(
                "VAULT_TOKEN",
                "is not set, nor VAULT_TOKEN_FILE; the token method (VAULT_AUTH_METHOD unset or"
                    + " token) needs one of them"));
  }

  @Test
  void roleIdWithoutAMethod_hintsAtAppRole() {
    assertThat(
            problems(Map.of("VAULT_ADDR", "https://vault:8200", "VAULT_ROLE_ID", "r"))
                .problems()
                .get(0)
                .reason())
        .endsWith("; VAULT_ROLE_ID is set: for AppRole set VAULT_AUTH_METHOD=approle");
  }

  @Test
  void everyWrongSetting_isReportedAtOnce() {
    Map<String, String> env = new HashMap<>();
    env.put("VAULT_ADDR", "ftp://vault:8200");
    env.put("LATCHKEY_VAULT_TIMEOUT", "soon");
    env.put("LATCHKEY_VAULT_ALLOW_HTTP", "maybe");
    env.put("VAULT_SKIP_VERIFY", "true");
    env.put("VAULT_CACERT", dir.resolve("missing.pem").toString());
    env.put("VAULT_NAMESPACE", "/");
    env.put("LATCHKEY_VAULT_CONFIG_PATH", "secret//app");
    env.put("VAULT_AUTH_METHOD", "approle");
    env.put("VAULT_APPROLE_MOUNT", "a//b");
    assertThat(problems(env).problems())
        .containsExactlyInAnyOrder(
            new Problem(
                "LATCHKEY_VAULT_ALLOW_HTTP",
                "is not a boolean; expected one of true, false, yes, no, 1, 0 (any case) (from"
                    + " env)"),
            new Problem(
                "LATCHKEY_VAULT_TIMEOUT",
                "is not a duration; expected a duration such as 500ms, 30s, 5m, 2h, 1d, or"
                    + " ISO-8601 such as PT30S (from env)"),
            new Problem("VAULT_ADDR", "is not valid: address must be an http or https URL"),
            new Problem("VAULT_NAMESPACE", "is not valid: namespace must not be blank"),
            new Problem(
                "VAULT_SKIP_VERIFY",
                "is not supported: the vault provider always verifies Vault's certificate; set"
                    + " VAULT_CACERT to the CA that signed it"),
            new Problem(
                "VAULT_CACERT",
                "is not valid: the file does not exist or cannot be read (NoSuchFileException)"),
            new Problem(
                "LATCHKEY_VAULT_CONFIG_PATH",
                "is not valid: config path has an empty segment (a leading, trailing or doubled"
                    + " '/')"),
            new Problem("VAULT_ROLE_ID", "is not set; VAULT_AUTH_METHOD=approle needs it"),
            new Problem(
                "VAULT_SECRET_ID",
                "is not set, nor VAULT_SECRET_ID_FILE; VAULT_AUTH_METHOD=approle needs one of"
                    + " them"),
            new Problem(
                "VAULT_APPROLE_MOUNT",
                "is not valid: auth mount has an empty segment (a leading, trailing or doubled"
                    + " '/')"));
  }

  @Test
  void plainHttp_isRefusedToARemoteHost_unlessAllowed_andFineOnLoopback() {
    ConfigException e = problems(Map.of("VAULT_ADDR", "http://vault:8200", "VAULT_TOKEN", "t"));
    assertThat(e.problems())
        .containsExactly(
            new Problem(
                "VAULT_ADDR",
                "is plain http to a host other than the loopback interface, which would send the"
                    + " Vault token in clear text; use https, or set"
                    + " LATCHKEY_VAULT_ALLOW_HTTP=true"));
    try (VaultSecretProvider allowed =
        create(
            Map.of(
                "VAULT_ADDR",
                "http://vault:8200",
                "VAULT_TOKEN",
                "t",
                "LATCHKEY_VAULT_ALLOW_HTTP",
                "true"))) {
      assertThat(allowed.description()).startsWith("HashiCorp Vault at http://vault:8200");
    }
    for (String loopback :
        new String[] {"http://127.0.0.1:8200", "http://localhost:8200", "http://[::1]:8200"}) {
      try (VaultSecretProvider p = create(Map.of("VAULT_ADDR", loopback, "VAULT_TOKEN", "t"))) {
        assertThat(p.description()).contains(loopback);
      }
    }
  }

  @Test
  void tokenAndTokenFile_bothSet_isAProblem_andAMissingFileToo_namedWithoutItsPath() {
    Path file = dir.resolve("token");
    assertThat(
            problems(
                    Map.of(
                        "VAULT_ADDR", "https://vault:8200",
                        "VAULT_TOKEN", "t",
                        "VAULT_TOKEN_FILE", file.toString()))
                .problems())
        .containsExactly(
            new Problem("VAULT_TOKEN_FILE", "is set as well as VAULT_TOKEN; set one of them"));
    assertThat(
            problems(
                    Map.of("VAULT_ADDR", "https://vault:8200", "VAULT_TOKEN_FILE", file.toString()))
                .problems())
        .containsExactly(
            new Problem(
                "VAULT_TOKEN_FILE", "names a file that does not exist or is not a readable file"));
  }

  @Test
  void kubernetes_namedTokenFileMissing_isAProblem_namedWithoutItsPath() {
    assertThat(
            problems(
                    Map.of(
                        "VAULT_ADDR", "https://vault:8200",
                        "VAULT_AUTH_METHOD", "kubernetes",
                        "VAULT_K8S_ROLE", "app",
                        "VAULT_K8S_TOKEN_FILE", dir.resolve("jwt").toString()))
                .problems())
        .containsExactly(
            new Problem(
                "VAULT_K8S_TOKEN_FILE",
                "names a file that does not exist or is not a regular file"));
  }

  @Test
  void address_withAnUpperCaseScheme_isThatScheme() {
    try (VaultSecretProvider p =
        create(Map.of("VAULT_ADDR", "HTTPS://vault.example.com:8200/", "VAULT_TOKEN", "t"))) {
      assertThat(p.description()).startsWith("HashiCorp Vault at https://vault.example.com:8200,");
    }
    assertThat(VaultClientFactory.address(URI.create("HtTp://127.0.0.1:8200")))
        .isEqualTo(URI.create("http://127.0.0.1:8200"));
    assertThat(
            problems(Map.of("VAULT_ADDR", "HTTP://vault:8200", "VAULT_TOKEN", "t"))
                .problems()
                .get(0)
                .reason())
        .startsWith("is plain http to a host other than the loopback interface");
  }

  @Test
  void kubernetes_withoutRoleOrToken_namesTheDefaultTokenFile() {
    assertThat(
            problems(Map.of("VAULT_ADDR", "https://vault:8200", "VAULT_AUTH_METHOD", "kubernetes"))
                .problems())
        .containsExactly(
            new Problem("VAULT_K8S_ROLE", "is not set; VAULT_AUTH_METHOD=kubernetes needs it"),
            new Problem(
                "VAULT_K8S_TOKEN_FILE",
                "is not set, and the default"
                    + " /var/run/secrets/kubernetes.io/serviceaccount/token does not exist or is"
                    + " not a file"));
  }

  @Test
  void unknownMethod_isAProblem_withoutQuotingIt() {
    assertThat(
            problems(Map.of("VAULT_ADDR", "https://vault:8200", "VAULT_AUTH_METHOD", "ldap"))
                .problems())
        .containsExactly(
            new Problem(
                "VAULT_AUTH_METHOD",
                "is not an allowed value; expected one of token, approle, kubernetes (any case)"
                    + " (from env)"));
  }

  @Test
  void everySettingThatIsValid_isApplied() throws Exception {
    Path secretId = Files.writeString(dir.resolve("secret-id"), "s\n");
    try (VaultSecretProvider p =
        create(
            Map.of(
                "VAULT_ADDR", "https://vault.example.com:8200/",
                "VAULT_NAMESPACE", "/org/team-a/",
                "VAULT_AUTH_METHOD", "APPROLE",
                "VAULT_ROLE_ID", "role",
                "VAULT_SECRET_ID_FILE", secretId.toString(),
                "VAULT_APPROLE_MOUNT", "/approle-prod/",
                "LATCHKEY_VAULT_TIMEOUT", "1m30s",
                "LATCHKEY_VAULT_CONFIG_PATH", "vault:secret/data/app-config"))) {
      assertThat(p.name()).isEqualTo("vault");
      assertThat(p.description())
          .isEqualTo(
              "HashiCorp Vault at https://vault.example.com:8200, namespace org/team-a, auth"
                  + " approle, settings from vault:secret/data/app-config");
      assertThat(p.toString()).isEqualTo("VaultSecretProvider[" + p.description() + "]");
    }
  }

  @Test
  void timeout_followsCoresDurationSyntax_daysIncluded() {
    Map<String, String> env = new HashMap<>();
    env.put("VAULT_ADDR", "https://vault:8200");
    env.put("VAULT_TOKEN", "t");
    for (Map.Entry<String, Duration> accepted :
        Map.of(
                "500ms", Duration.ofMillis(500),
                "1m30s", Duration.ofSeconds(90),
                "PT2S", Duration.ofSeconds(2),
                "1d", Duration.ofDays(1),
                " 2h ", Duration.ofHours(2))
            .entrySet()) {
      env.put("LATCHKEY_VAULT_TIMEOUT", accepted.getKey());
      try (VaultSecretProvider p = create(env)) {
        assertThat(p.http().timeout()).as(accepted.getKey()).isEqualTo(accepted.getValue());
      }
    }
    env.put("LATCHKEY_VAULT_TIMEOUT", "5");
    assertThat(problems(env).problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.setting()).isEqualTo("LATCHKEY_VAULT_TIMEOUT");
              assertThat(p.reason()).contains("has no unit");
            });
    env.put("LATCHKEY_VAULT_TIMEOUT", "0s");
    assertThat(problems(env).problems())
        .containsExactly(
            new Problem("LATCHKEY_VAULT_TIMEOUT", "is not valid: timeout must be positive"));
    env.put("LATCHKEY_VAULT_TIMEOUT", "-PT1S");
    assertThat(problems(env).problems().get(0).reason()).contains("is negative");
  }

  @Test
  void blankValues_areUnset() {
    Map<String, String> env = new HashMap<>();
    env.put("VAULT_ADDR", "https://vault:8200");
    env.put("VAULT_TOKEN", "t");
    env.put("VAULT_NAMESPACE", " ");
    env.put("LATCHKEY_VAULT_TIMEOUT", "");
    env.put("LATCHKEY_VAULT_ALLOW_HTTP", "  ");
    env.put("VAULT_CACERT", "");
    try (VaultSecretProvider p = create(env)) {
      assertThat(p.description()).isEqualTo("HashiCorp Vault at https://vault:8200, auth token");
      assertThat(p.http().timeout()).isEqualTo(Duration.ofSeconds(5));
    }
  }

  @Test
  void builder_checksEachSetting_andTheWhole() {
    assertThatThrownBy(() -> VaultSecretProvider.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("an address is required");
    assertThatThrownBy(
            () -> VaultSecretProvider.builder().address(URI.create("https://vault:8200")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "an authentication method is required: a token, a token file, AppRole or Kubernetes");
    assertThatThrownBy(
            () ->
                VaultSecretProvider.builder()
                    .address(URI.create("http://vault:8200"))
                    .token(Secret.of("t"))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the address is plain http to a host other than the loopback");
    assertThatThrownBy(
            () -> VaultSecretProvider.builder().address(URI.create("https://u:p@vault:8200")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("address must not hold user information");
    assertThatThrownBy(
            () -> VaultSecretProvider.builder().address(URI.create("https://vault:8200/?x=1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("address must not have a query or a fragment");
    assertThatThrownBy(() -> VaultSecretProvider.builder().address(URI.create("vault:8200")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("address must be an http or https URL");
    assertThatThrownBy(() -> VaultSecretProvider.builder().timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be positive");
    assertThatThrownBy(() -> VaultSecretProvider.builder().token(Secret.of(" ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token must not be blank");
    assertThatThrownBy(() -> VaultSecretProvider.builder().appRole(" ", Secret.of("s")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("role ID must not be blank");
    assertThatThrownBy(() -> VaultSecretProvider.builder().kubernetes(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("role must not be blank");
    assertThatThrownBy(() -> VaultSecretProvider.builder().configPath("secret/a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "config path is not a valid reference: unexpected white space or control character;"
                + " escape it as %XX");
    assertThatThrownBy(() -> VaultSecretProvider.builder().namespace(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VaultSecretProvider.builder().authMount("/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("auth mount is empty");
  }

  @Test
  void builder_theLastAuthenticationMethodWins() {
    try (VaultSecretProvider p =
        VaultSecretProvider.builder()
            .address(URI.create("https://vault:8200"))
            .token(Secret.of("t"))
            .kubernetes("app", dir.resolve("jwt"))
            .build()) {
      assertThat(p.description()).endsWith("auth kubernetes");
    }
  }

  @Test
  void docsPage_listsEverySetting_andNoOther() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("../docs/providers/vault.md"));
    int header = lines.indexOf("| variable | builder | default | meaning |");
    assertThat(header).as("the page's settings table").isNotNegative();
    Set<String> documented = new TreeSet<>();
    for (int i = header + 2; lines.get(i).startsWith("|"); i++) {
      String variable = lines.get(i).split("\\|")[1].strip();
      if (!variable.equals("—")) {
        documented.add(variable.replace("`", ""));
      }
    }
    Set<String> declared = new TreeSet<>();
    VaultSettings.SCHEMA.settings().forEach(setting -> declared.add(setting.name()));
    assertThat(documented).isEqualTo(declared);
  }
}
