package io.latchkey.provider.gcp;

import io.latchkey.ConfigException;
import io.latchkey.SecretRef;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigApplier;
import io.latchkey.config.ConfigReport;
import io.latchkey.config.ConfigSchema;
import io.latchkey.config.ConfigSource;
import io.latchkey.config.Origin;
import io.latchkey.config.Setting;
import io.latchkey.internal.PathText;
import io.latchkey.internal.SettingNames;
import io.latchkey.spi.Loopback;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The provider's settings: the environment variables it reads, declared as a {@link ConfigSchema}
 * (core's duration syntax, boolean rule and blank-is-unset rule), mapped onto the public {@link
 * GcpSecretProvider.Builder}; and the checks of the values the builder takes.
 *
 * <p>Every setting is declared secret, as the AWS and Vault providers' are, so that neither a value
 * the load refuses (a key pasted into the deadline or the plaintext switch) nor one the
 * configuration report lists (a key pasted into the project, the endpoint or the configuration
 * secret's reference) is quoted.
 */
final class GcpSettings {
  private static final String GROUP = "GCP Secret Manager";

  static final Setting<String> PROJECT =
      Setting.string(GcpSecretProvider.PROJECT_VARIABLE)
          .optional()
          .secret()
          .group(GROUP)
          .description("The project of bare secret ids (gcp:db): an id or a number.")
          .build();
  static final Setting<String> LEGACY_PROJECT =
      Setting.string(GcpSecretProvider.LEGACY_PROJECT_VARIABLE)
          .optional()
          .secret()
          .group(GROUP)
          .description("The project, read when " + PROJECT.name() + " is unset.")
          .build();
  static final Setting<String> ENDPOINT =
      Setting.string(GcpSecretProvider.ENDPOINT_VARIABLE)
          .optional()
          .secret()
          .group(GROUP)
          .description("host:port of the service; by default " + GcpSecretProvider.DEFAULT_ENDPOINT)
          .build();
  static final Setting<Boolean> PLAINTEXT =
      Setting.bool(GcpSecretProvider.PLAINTEXT_VARIABLE)
          .optional()
          .secret()
          .group(GROUP)
          .description("Plaintext gRPC without credentials, to a loopback endpoint only.")
          .build();
  static final Setting<Duration> TIMEOUT =
      Setting.duration(GcpSecretProvider.TIMEOUT_VARIABLE)
          .optional()
          .secret()
          .group(GROUP)
          .description("The deadline of each call; by default 5s.")
          .build();
  static final Setting<String> CONFIG_SECRET =
      Setting.string(GcpSecretProvider.CONFIG_SECRET_VARIABLE)
          .optional()
          .secret()
          .group(GROUP)
          .description("A reference to the JSON secret the configuration view serves.")
          .build();
  // The service account's JSON key pasted in place of its path is this variable's most common
  // mistake.
  static final Setting<String> CREDENTIALS =
      Setting.string(GcpSecretProvider.CREDENTIALS_VARIABLE)
          .optional()
          .secret()
          .group(GROUP)
          .description("A credentials file; by default Application Default Credentials.")
          .build();

  /** Every variable the provider reads. */
  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .add(PROJECT)
          .add(LEGACY_PROJECT)
          .add(ENDPOINT)
          .add(PLAINTEXT)
          .add(TIMEOUT)
          .add(CONFIG_SECRET)
          .add(CREDENTIALS)
          .build();

  private static final Pattern PROJECT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:_-]{0,99}");
  private static final Pattern HOST_PORT =
      Pattern.compile(
          "(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):([0-9]{1,5})");

  private final Config config;
  private final ConfigApplier apply;

  private GcpSettings(ConfigApplier apply) {
    this.config = apply.config();
    this.apply = apply;
  }

  /**
   * Reads the settings from an environment onto a new builder.
   *
   * @throws ConfigException listing every wrong setting, in the schema's order
   */
  static GcpSecretProvider.Builder builder(Map<String, String> environment) {
    return new GcpSettings(
            ConfigApplier.load(SCHEMA, ConfigSource.of(environment, Origin.Kind.ENV)))
        .map();
  }

  private GcpSecretProvider.Builder map() {
    GcpSecretProvider.Builder builder = GcpSecretProvider.builder();
    boolean current = apply.isRefused(PROJECT.name()) || config.find(PROJECT).isPresent();
    step(current ? PROJECT : LEGACY_PROJECT, v -> builder.project(v.strip()));
    step(ENDPOINT, v -> builder.endpoint(v.strip()));
    step(PLAINTEXT, builder::plaintext);
    if (value(PLAINTEXT).orElse(false)) {
      Optional<String> endpoint = value(ENDPOINT).map(String::strip);
      String target = endpoint.orElse(GcpSecretProvider.DEFAULT_ENDPOINT);
      if (checkEndpoint(target) == null && !isLoopback(target)) {
        apply.problem(
            PLAINTEXT.name(),
            "is true, but "
                + ENDPOINT.name()
                + (endpoint.isEmpty()
                    ? " is unset (the default endpoint)"
                    : " is " + ConfigReport.maskUrls(target))
                + "; plaintext gRPC is allowed only to a loopback address (localhost,"
                + " 127.0.0.0/8, [::1]), such as a local emulator");
      }
    }
    step(TIMEOUT, builder::timeout);
    step(CONFIG_SECRET, builder::configSecret);
    step(CREDENTIALS, v -> builder.credentialsFile(path(v.strip())));
    apply.done();
    return builder;
  }

  /** Gives a setting to the builder; a refused text was reported by the load. */
  private <T> void step(Setting<T> setting, Consumer<T> target) {
    apply.ifSet(setting, target);
  }

  private <T> Optional<T> value(Setting<T> setting) {
    return config.find(setting);
  }

  private static Path path(String text) {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      // Its message quotes the text and says little more.
      throw new IllegalArgumentException("credentialsFile is not a valid file path");
    }
  }

  /** Returns why a project id is wrong, or {@code null} if it is fine. */
  static String checkProject(String project) {
    if (!PROJECT_ID.matcher(project).matches()) {
      return "is not a project id or number (letters, digits, '-', '.', ':' and '_')";
    }
    // A token such as hvs.… or ghp_… has a project id's characters, and the description would
    // show it.
    return SettingNames.looksLikeSecretValue(project)
        ? "looks like a key or a token, not a project id or number (not shown, in case it is one)"
        : null;
  }

  /** Returns why an endpoint is wrong, or {@code null} if it is a valid {@code host:port}. */
  static String checkEndpoint(String endpoint) {
    Matcher m = HOST_PORT.matcher(endpoint);
    if (!m.matches()) {
      return "is not host:port, such as secretmanager.googleapis.com:443 or 127.0.0.1:8085"
          + " (an IPv6 address in brackets)";
    }
    int port = Integer.parseInt(m.group(2));
    if (port < 1 || port > 65535) {
      return "has a port outside 1-65535";
    }
    return null;
  }

  /** Tells whether a valid endpoint's host is a loopback address, by {@link Loopback}'s rule. */
  static boolean isLoopback(String endpoint) {
    Matcher m = HOST_PORT.matcher(endpoint);
    if (!m.matches()) {
      return false;
    }
    return Loopback.isLoopbackHost(m.group(1));
  }

  /**
   * Parses the configuration secret's reference, with or without its {@code gcp:} scheme.
   *
   * @throws IllegalArgumentException with the reason, if it is not a reference to a gcp secret
   */
  static SecretRef parseConfigSecret(String text) {
    String s = text.strip();
    int colon = s.indexOf(':');
    boolean hasScheme = colon > 0 && SecretRef.isScheme(s.substring(0, colon));
    if (hasScheme && !s.substring(0, colon).equals(GcpSecretProvider.NAME)) {
      throw new IllegalArgumentException(
          "names a secret of provider '"
              + s.substring(0, colon)
              + "'; the configuration secret is read from GCP Secret Manager");
    }
    String reference = hasScheme ? s : GcpSecretProvider.NAME + ":" + s;
    Optional<SecretRef.Problem> problem = SecretRef.problem(reference);
    if (problem.isPresent()) {
      // The position in the setting's own text, which has no scheme when the parser's had one.
      int shift = hasScheme ? 0 : GcpSecretProvider.NAME.length() + 1;
      throw new IllegalArgumentException(
          "is not a secret reference at position "
              + Math.max(0, problem.get().position() - shift)
              + ": "
              + problem.get().reason()
              + "; expected such as app-config or projects/P/secrets/app-config");
    }
    return SecretRef.parse(reference);
  }

  /**
   * Checks that a credentials file exists and can be read.
   *
   * @throws IllegalArgumentException with the reason, if not
   */
  static Path checkCredentialsFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(credentialsProblem(file, "is not a file", ""));
    }
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(credentialsProblem(file, "cannot be read", ""));
    }
    return file;
  }

  /**
   * Says what is wrong with a credentials file: {@code names /etc/gcp/key.json, which is not a
   * file} when the value looks like a path ({@link PathText}'s rule), and otherwise {@code is not a
   * file (value not shown: it does not look like a path)}, since the value is then most likely the
   * JSON key itself, private key included, pasted in place of its path.
   *
   * @param file the file as given
   * @param reason what is wrong, such as {@code is not a file}
   * @param detail more, in parentheses after it, such as the failure's class; may be empty
   * @return the problem's reason
   */
  static String credentialsProblem(Path file, String reason, String detail) {
    String typed = file.toString();
    if (PathText.looksLikePath(typed)) {
      return "names " + typed + ", which " + reason + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
    return reason + " (" + (detail.isEmpty() ? "" : detail + "; ") + PathText.NOT_SHOWN + ")";
  }
}
