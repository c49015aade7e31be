package io.latchkey.provider.vault;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the provider's settings from an environment map into a {@link VaultSecretProvider.Builder},
 * collecting every problem before failing. Problems name the variable and never quote a credential.
 */
final class VaultSettings {
  static final String ADDR = "VAULT_ADDR";
  static final String ALLOW_HTTP = "LATCHKEY_VAULT_ALLOW_HTTP";
  static final String NAMESPACE = "VAULT_NAMESPACE";
  static final String CACERT = "VAULT_CACERT";
  static final String CAPATH = "VAULT_CAPATH";
  static final String SKIP_VERIFY = "VAULT_SKIP_VERIFY";
  static final String AUTH_METHOD = "VAULT_AUTH_METHOD";
  static final String TOKEN = "VAULT_TOKEN";
  static final String TOKEN_FILE = "VAULT_TOKEN_FILE";
  static final String ROLE_ID = "VAULT_ROLE_ID";
  static final String SECRET_ID = "VAULT_SECRET_ID";
  static final String SECRET_ID_FILE = "VAULT_SECRET_ID_FILE";
  static final String APPROLE_MOUNT = "VAULT_APPROLE_MOUNT";
  static final String K8S_ROLE = "VAULT_K8S_ROLE";
  static final String K8S_TOKEN_FILE = "VAULT_K8S_TOKEN_FILE";
  static final String K8S_MOUNT = "VAULT_K8S_MOUNT";
  static final String TIMEOUT = "LATCHKEY_VAULT_TIMEOUT";
  static final String CONFIG_PATH = "LATCHKEY_VAULT_CONFIG_PATH";

  static final Path DEFAULT_K8S_TOKEN_FILE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  private final Map<String, String> env;
  private final List<Problem> problems = new ArrayList<>();
  private final VaultSecretProvider.Builder builder = VaultSecretProvider.builder();

  private VaultSettings(Map<String, String> env) {
    this.env = env;
  }

  /**
   * Reads the settings.
   *
   * @throws ConfigException listing every problem
   */
  static VaultSecretProvider.Builder read(Map<String, String> environment) {
    VaultSettings settings = new VaultSettings(environment);
    settings.readAll();
    if (!settings.problems.isEmpty()) {
      throw new ConfigException(settings.problems);
    }
    return settings.builder;
  }

  private void readAll() {
    boolean allowHttp = bool(ALLOW_HTTP);
    builder.allowHttp(allowHttp);
    String address = value(ADDR);
    if (address == null) {
      problem(
          ADDR, "is not set; set it to Vault's address, such as https://vault.example.com:8200");
    } else {
      try {
        URI uri = new URI(address);
        builder.address(uri);
        if (!allowHttp && VaultSecretProvider.Builder.isPlainHttpToRemote(uri)) {
          problem(
              ADDR,
              "is plain http to a host other than the loopback interface, which would send the"
                  + " Vault token in clear text; use https, or set "
                  + ALLOW_HTTP
                  + "=true");
        }
      } catch (URISyntaxException e) {
        problem(ADDR, "is not a valid URL");
      } catch (IllegalArgumentException e) {
        problem(ADDR, "is not valid: " + e.getMessage());
      }
    }
    String namespace = value(NAMESPACE);
    if (namespace != null) {
      apply(NAMESPACE, () -> builder.namespace(namespace));
    }
    if (bool(SKIP_VERIFY)) {
      problem(
          SKIP_VERIFY,
          "is not supported: the vault provider always verifies Vault's certificate; set "
              + CACERT
              + " to the CA that signed it");
    }
    Path cacert = path(CACERT);
    Path capath = path(CAPATH);
    if (cacert != null) {
      // As the Vault CLI does: VAULT_CACERT wins over VAULT_CAPATH.
      apply(CACERT, () -> builder.caCertificates(cacert));
    } else if (capath != null) {
      apply(CAPATH, () -> builder.caDirectory(capath));
    }
    String timeout = value(TIMEOUT);
    if (timeout != null) {
      Duration d = duration(timeout);
      if (d == null || d.isZero()) {
        problem(TIMEOUT, "is not a positive duration such as 5s, 500ms or PT5S");
      } else {
        builder.timeout(d);
      }
    }
    String configPath = value(CONFIG_PATH);
    if (configPath != null) {
      apply(CONFIG_PATH, () -> builder.configPath(configPath));
    }
    readAuth();
  }

  private void readAuth() {
    String method = value(AUTH_METHOD);
    switch (method == null ? "token" : method.toLowerCase(Locale.ROOT)) {
      case "token":
        readToken();
        break;
      case "approle":
        readAppRole();
        break;
      case "kubernetes":
        readKubernetes();
        break;
      default:
        // Not quoted: a misplaced credential must not end up in a message.
        problem(AUTH_METHOD, "is not one of token, approle or kubernetes");
    }
  }

  private void readToken() {
    String token = value(TOKEN);
    Path file = path(TOKEN_FILE);
    if (token != null && file != null) {
      problem(TOKEN_FILE, "is set as well as " + TOKEN + "; set one of them");
    } else if (token != null) {
      builder.token(Secret.of(token));
    } else if (file != null) {
      if (readable(TOKEN_FILE, file)) {
        builder.tokenFile(file);
      }
    } else if (env.containsKey(TOKEN) || env.containsKey(TOKEN_FILE)) {
      problem(TOKEN, "is blank");
    } else {
      String hint =
          value(ROLE_ID) != null
              ? "; " + ROLE_ID + " is set: for AppRole set " + AUTH_METHOD + "=approle"
              : value(K8S_ROLE) != null
                  ? "; " + K8S_ROLE + " is set: for Kubernetes set " + AUTH_METHOD + "=kubernetes"
                  : "";
      problem(
          TOKEN,
          "is not set, nor "
              + TOKEN_FILE
              + "; the token method ("
              + AUTH_METHOD
              + " unset or token) needs one of them"
              + hint);
    }
  }

  private void readAppRole() {
    String roleId = value(ROLE_ID);
    String secretId = value(SECRET_ID);
    Path secretIdFile = path(SECRET_ID_FILE);
    if (roleId == null) {
      problem(ROLE_ID, "is not set; " + AUTH_METHOD + "=approle needs it");
    }
    if (secretId != null && secretIdFile != null) {
      problem(SECRET_ID_FILE, "is set as well as " + SECRET_ID + "; set one of them");
    } else if (secretId == null && secretIdFile == null) {
      problem(
          SECRET_ID,
          "is not set, nor " + SECRET_ID_FILE + "; " + AUTH_METHOD + "=approle needs one of them");
    } else if (roleId != null) {
      if (secretId != null) {
        builder.appRole(roleId, Secret.of(secretId));
      } else if (readable(SECRET_ID_FILE, secretIdFile)) {
        builder.appRole(roleId, secretIdFile);
      }
    } else if (secretIdFile != null) {
      readable(SECRET_ID_FILE, secretIdFile);
    }
    String mount = value(APPROLE_MOUNT);
    if (mount != null) {
      apply(APPROLE_MOUNT, () -> builder.authMount(mount));
    }
  }

  private void readKubernetes() {
    String role = value(K8S_ROLE);
    Path file = path(K8S_TOKEN_FILE);
    if (file == null && !problemsFor(K8S_TOKEN_FILE)) {
      file = DEFAULT_K8S_TOKEN_FILE;
    }
    if (role == null) {
      problem(K8S_ROLE, "is not set; " + AUTH_METHOD + "=kubernetes needs it");
    }
    if (file != null) {
      boolean ok = Files.isRegularFile(file);
      if (!ok) {
        problem(
            K8S_TOKEN_FILE,
            value(K8S_TOKEN_FILE) == null
                ? "is not set, and the default " + file + " does not exist or is not a file"
                : "names " + file + ", which does not exist or is not a file");
      }
      if (ok && role != null) {
        builder.kubernetes(role, file);
      }
    }
    String mount = value(K8S_MOUNT);
    if (mount != null) {
      apply(K8S_MOUNT, () -> builder.authMount(mount));
    }
  }

  private boolean readable(String setting, Path file) {
    if (Files.isRegularFile(file) && Files.isReadable(file)) {
      return true;
    }
    problem(setting, "names " + file + ", which does not exist or is not a readable file");
    return false;
  }

  private String value(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  private Path path(String name) {
    String v = value(name);
    if (v == null) {
      return null;
    }
    try {
      return Path.of(v);
    } catch (InvalidPathException e) {
      problem(name, "is not a valid path");
      return null;
    }
  }

  private boolean problemsFor(String name) {
    return problems.stream().anyMatch(p -> p.setting().equals(name));
  }

  private boolean bool(String name) {
    String v = value(name);
    if (v == null) {
      return false;
    }
    switch (v.toLowerCase(Locale.ROOT)) {
      case "true":
      case "yes":
      case "1":
        return true;
      case "false":
      case "no":
      case "0":
        return false;
      default:
        problem(name, "is not a boolean (true or false)");
        return false;
    }
  }

  private void apply(String setting, Runnable action) {
    try {
      action.run();
    } catch (IllegalArgumentException e) {
      // The builder's messages name no value.
      problem(setting, "is not valid: " + e.getMessage());
    }
  }

  private void problem(String setting, String reason) {
    problems.add(new Problem(setting, reason));
  }

  /** Parses {@code 5s}, {@code 500ms}, {@code 1m30s} or ISO-8601 {@code PT5S}; null if invalid. */
  static Duration duration(String text) {
    String s = text.strip();
    if (s.isEmpty()) {
      return null;
    }
    if (s.charAt(0) == 'P' || s.charAt(0) == 'p') {
      try {
        Duration d = Duration.parse(s);
        return d.isNegative() ? null : d;
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    long millis = 0;
    int i = 0;
    try {
      while (i < s.length()) {
        int digits = i;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
          i++;
        }
        int unit = i;
        while (i < s.length() && Character.isLetter(s.charAt(i))) {
          i++;
        }
        if (digits == unit || unit == i) {
          return null;
        }
        long amount = Long.parseLong(s.substring(digits, unit));
        long factor;
        switch (s.substring(unit, i).toLowerCase(Locale.ROOT)) {
          case "ms":
            factor = 1;
            break;
          case "s":
            factor = 1000;
            break;
          case "m":
            factor = 60_000;
            break;
          case "h":
            factor = 3_600_000;
            break;
          default:
            return null;
        }
        millis = Math.addExact(millis, Math.multiplyExact(amount, factor));
      }
    } catch (ArithmeticException | NumberFormatException e) {
      return null;
    }
    return Duration.ofMillis(millis);
  }
}
