package io.latchkey.provider.vault;

import io.latchkey.ConfigException;
import io.latchkey.Secret;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigApplier;
import io.latchkey.config.ConfigSchema;
import io.latchkey.config.ConfigSource;
import io.latchkey.config.Origin;
import io.latchkey.config.Setting;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The provider's environment variables, declared as core {@link Setting}s (core's syntax for
 * durations, booleans and blanks), and their mapping onto the public {@link
 * VaultSecretProvider.Builder} through a {@link ConfigApplier}: every problem is reported at once,
 * naming the variable and never quoting a credential.
 */
final class VaultSettings {
  private static final String GROUP = "Vault";

  // Each setting is optional to the schema: which ones a start-up needs depends on the
  // authentication method, and the mapping below says what is missing with a hint. Each is
  // secret to the schema too, so that no problem quotes a value: a credential pasted into the
  // wrong variable must not reach a log line.
  static final Setting<URI> ADDR =
      Setting.uri("VAULT_ADDR")
          .optional()
          .secret()
          .group(GROUP)
          .description("Vault's address. Required.")
          .examples("https://vault.example.com:8200")
          .build();
  static final Setting<Boolean> ALLOW_HTTP =
      Setting.bool("LATCHKEY_VAULT_ALLOW_HTTP")
          .optional()
          .secret()
          .group(GROUP)
          .description("Allows plain http to a host other than the loopback interface.")
          .build();
  static final Setting<String> NAMESPACE = string("VAULT_NAMESPACE", "Vault Enterprise namespace.");
  static final Setting<Path> CACERT = path("VAULT_CACERT", "A PEM file of the CAs to trust.");
  static final Setting<Path> CAPATH =
      path("VAULT_CAPATH", "A directory of PEM files of the CAs to trust.");
  static final Setting<Boolean> SKIP_VERIFY =
      Setting.bool("VAULT_SKIP_VERIFY")
          .optional()
          .secret()
          .group(GROUP)
          .description("Refused when true: Vault's certificate is always verified.")
          .build();
  static final Setting<String> AUTH_METHOD =
      Setting.oneOf("VAULT_AUTH_METHOD", "token", "approle", "kubernetes")
          .optional()
          .secret()
          .group(GROUP)
          .description("The authentication method; token when unset.")
          .build();
  static final Setting<Secret> TOKEN = secret("VAULT_TOKEN", "The token (token method).");
  static final Setting<Path> TOKEN_FILE =
      path("VAULT_TOKEN_FILE", "A file holding the token (token method).");
  static final Setting<Secret> ROLE_ID = secret("VAULT_ROLE_ID", "The AppRole role ID.");
  static final Setting<Secret> SECRET_ID = secret("VAULT_SECRET_ID", "The AppRole secret ID.");
  static final Setting<Path> SECRET_ID_FILE =
      path("VAULT_SECRET_ID_FILE", "A file holding the AppRole secret ID.");
  static final Setting<String> APPROLE_MOUNT =
      string("VAULT_APPROLE_MOUNT", "Where AppRole is mounted; approle when unset.");
  static final Setting<String> K8S_ROLE =
      string("VAULT_K8S_ROLE", "The Vault role bound to the Kubernetes service account.");
  static final Setting<Path> K8S_TOKEN_FILE =
      path("VAULT_K8S_TOKEN_FILE", "The Kubernetes service account token file.");
  static final Setting<String> K8S_MOUNT =
      string("VAULT_K8S_MOUNT", "Where the Kubernetes auth method is mounted.");
  static final Setting<Duration> TIMEOUT =
      Setting.duration("LATCHKEY_VAULT_TIMEOUT")
          .optional()
          .secret()
          .group(GROUP)
          .description("How long one request may take; 5s when unset.")
          .examples("5s", "1m30s", "1d", "PT5S")
          .build();
  static final Setting<String> CONFIG_PATH =
      string("LATCHKEY_VAULT_CONFIG_PATH", "The KV secret whose keys are the configuration view.");

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .add(ADDR)
          .add(ALLOW_HTTP)
          .add(NAMESPACE)
          .add(CACERT)
          .add(CAPATH)
          .add(SKIP_VERIFY)
          .add(AUTH_METHOD)
          .add(TOKEN)
          .add(TOKEN_FILE)
          .add(ROLE_ID)
          .add(SECRET_ID)
          .add(SECRET_ID_FILE)
          .add(APPROLE_MOUNT)
          .add(K8S_ROLE)
          .add(K8S_TOKEN_FILE)
          .add(K8S_MOUNT)
          .add(TIMEOUT)
          .add(CONFIG_PATH)
          .build();

  static final Path DEFAULT_K8S_TOKEN_FILE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  private final Config config;
  private final ConfigApplier apply;
  private final VaultSecretProvider.Builder builder = VaultSecretProvider.builder();

  private VaultSettings(ConfigApplier apply) {
    this.config = apply.config();
    this.apply = apply;
  }

  /**
   * Reads the settings from an environment into a builder.
   *
   * @throws ConfigException listing every problem
   */
  static VaultSecretProvider.Builder builder(Map<String, String> environment) {
    VaultSettings settings =
        new VaultSettings(
            ConfigApplier.load(SCHEMA, ConfigSource.of(environment, Origin.Kind.ENV)));
    settings.map();
    settings.apply.done();
    return settings.builder;
  }

  private void map() {
    boolean allowHttp = config.find(ALLOW_HTTP).orElse(false);
    builder.allowHttp(allowHttp);
    Optional<URI> address = config.find(ADDR);
    if (address.isPresent()) {
      apply.run(ADDR.name(), () -> builder.address(address.get()));
      if (!allowHttp && VaultClientFactory.isPlainHttpToRemote(address.get())) {
        apply.problem(
            ADDR.name(),
            "is plain http to a host other than the loopback interface, which would send the"
                + " Vault token in clear text; use https, or set "
                + ALLOW_HTTP.name()
                + "=true");
      }
    } else if (!apply.isRefused(ADDR.name())) {
      apply.problem(
          ADDR.name(),
          "is not set; set it to Vault's address, such as https://vault.example.com:8200");
    }
    apply.ifSet(NAMESPACE, builder::namespace);
    if (config.find(SKIP_VERIFY).orElse(false)) {
      apply.problem(
          SKIP_VERIFY.name(),
          "is not supported: the vault provider always verifies Vault's certificate; set "
              + CACERT.name()
              + " to the CA that signed it");
    }
    // As the Vault CLI does: VAULT_CACERT wins over VAULT_CAPATH.
    if (isSet(CACERT)) {
      apply.ifSet(CACERT, builder::caCertificates);
    } else {
      apply.ifSet(CAPATH, builder::caDirectory);
    }
    apply.ifSet(TIMEOUT, builder::timeout);
    apply.ifSet(CONFIG_PATH, builder::configPath);
    switch (config.find(AUTH_METHOD).orElse(apply.isRefused(AUTH_METHOD.name()) ? "" : "token")) {
      case "token":
        mapToken();
        break;
      case "approle":
        mapAppRole();
        break;
      case "kubernetes":
        mapKubernetes();
        break;
      default:
        // Refused by the schema already.
    }
  }

  private void mapToken() {
    Optional<Secret> token = config.find(TOKEN);
    Optional<Path> file = config.find(TOKEN_FILE);
    if (token.isPresent() && isSet(TOKEN_FILE)) {
      apply.problem(TOKEN_FILE.name(), "is set as well as " + TOKEN.name() + "; set one of them");
    } else if (token.isPresent()) {
      apply.run(TOKEN.name(), () -> builder.token(token.get()));
    } else if (file.isPresent()) {
      if (readable(TOKEN_FILE, file.get())) {
        builder.tokenFile(file.get());
      }
    } else if (!apply.isRefused(TOKEN_FILE.name())) {
      String hint =
          isSet(ROLE_ID)
              ? "; "
                  + ROLE_ID.name()
                  + " is set: for AppRole set "
                  + AUTH_METHOD.name()
                  + "=approle"
              : isSet(K8S_ROLE)
                  ? "; "
                      + K8S_ROLE.name()
                      + " is set: for Kubernetes set "
                      + AUTH_METHOD.name()
                      + "=kubernetes"
                  : "";
      apply.problem(
          TOKEN.name(),
          "is not set, nor "
              + TOKEN_FILE.name()
              + "; the token method ("
              + AUTH_METHOD.name()
              + " unset or token) needs one of them"
              + hint);
    }
  }

  private void mapAppRole() {
    Optional<Secret> roleId = config.find(ROLE_ID);
    Optional<Secret> secretId = config.find(SECRET_ID);
    Optional<Path> secretIdFile = config.find(SECRET_ID_FILE);
    if (roleId.isEmpty()) {
      apply.problem(ROLE_ID.name(), "is not set; " + AUTH_METHOD.name() + "=approle needs it");
    }
    if (secretId.isPresent() && isSet(SECRET_ID_FILE)) {
      apply.problem(
          SECRET_ID_FILE.name(), "is set as well as " + SECRET_ID.name() + "; set one of them");
    } else if (secretId.isEmpty() && !isSet(SECRET_ID_FILE)) {
      apply.problem(
          SECRET_ID.name(),
          "is not set, nor "
              + SECRET_ID_FILE.name()
              + "; "
              + AUTH_METHOD.name()
              + "=approle needs one of them");
    } else if (secretIdFile.isPresent() && readable(SECRET_ID_FILE, secretIdFile.get())) {
      roleId.ifPresent(
          id -> apply.run(ROLE_ID.name(), () -> builder.appRole(id.reveal(), secretIdFile.get())));
    } else if (secretId.isPresent()) {
      roleId.ifPresent(
          id -> apply.run(SECRET_ID.name(), () -> builder.appRole(id.reveal(), secretId.get())));
    }
    apply.ifSet(APPROLE_MOUNT, builder::authMount);
  }

  private void mapKubernetes() {
    Optional<String> role = config.find(K8S_ROLE);
    if (role.isEmpty()) {
      apply.problem(K8S_ROLE.name(), "is not set; " + AUTH_METHOD.name() + "=kubernetes needs it");
    }
    if (!apply.isRefused(K8S_TOKEN_FILE.name())) {
      Optional<Path> named = config.find(K8S_TOKEN_FILE);
      Path file = named.orElse(DEFAULT_K8S_TOKEN_FILE);
      if (!Files.isRegularFile(file)) {
        // The default is ours to print; a path the user set is not: it is declared secret, and a
        // service account token pasted into the variable must not reach a log line.
        apply.problem(
            K8S_TOKEN_FILE.name(),
            named.isEmpty()
                ? "is not set, and the default " + file + " does not exist or is not a file"
                : "names a file that does not exist or is not a regular file");
      } else {
        role.ifPresent(r -> apply.run(K8S_ROLE.name(), () -> builder.kubernetes(r, file)));
      }
    }
    apply.ifSet(K8S_MOUNT, builder::authMount);
  }

  /** Whether a setting has a value, or had one that was refused. */
  private boolean isSet(Setting<?> setting) {
    return config.find(setting).isPresent() || apply.isRefused(setting.name());
  }

  private boolean readable(Setting<Path> setting, Path file) {
    if (Files.isRegularFile(file) && Files.isReadable(file)) {
      return true;
    }
    // Never the path: the setting is declared secret, and a credential pasted into it by mistake
    // would be quoted here.
    apply.problem(setting.name(), "names a file that does not exist or is not a readable file");
    return false;
  }

  private static Setting<Path> path(String name, String description) {
    return Setting.custom(name, Path.class, "path", Path::of)
        .optional()
        .secret()
        .group(GROUP)
        .description(description)
        .build();
  }

  private static Setting<String> string(String name, String description) {
    return Setting.string(name).optional().secret().group(GROUP).description(description).build();
  }

  private static Setting<Secret> secret(String name, String description) {
    return Setting.secret(name).optional().group(GROUP).description(description).build();
  }
}
