package io.latchkey.provider.gcp;

import com.google.api.gax.retrying.RetrySettings;
import io.latchkey.ConfigException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigReport;
import io.latchkey.config.Setting;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The provider's settings as read from an environment, and the checks the builder shares: every
 * problem is collected, so that one {@link ConfigException} lists them all.
 */
final class Settings {
  private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:_-]{0,99}");
  private static final Pattern HOST_PORT =
      Pattern.compile(
          "(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):([0-9]{1,5})");
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(?:\\.[0-9]{1,3}){3}");
  private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9-]*");
  private static final Pattern POSITION = Pattern.compile(" at position ([0-9]+): (.*)$");

  String project;
  String endpoint = GcpSecretProvider.DEFAULT_ENDPOINT;
  boolean plaintext;
  Duration timeout = GcpSecretProvider.DEFAULT_TIMEOUT;
  SecretRef configSecret;
  Path credentialsFile;

  private Settings() {}

  static Settings defaults() {
    return new Settings();
  }

  /**
   * Reads the settings from an environment.
   *
   * @throws ConfigException listing every wrong setting
   */
  static Settings fromEnvironment(Map<String, String> environment) {
    Settings s = new Settings();
    List<ConfigException.Problem> problems = new ArrayList<>();
    String projectVariable = GcpSecretProvider.PROJECT_VARIABLE;
    String project = value(environment, projectVariable);
    if (project == null) {
      projectVariable = GcpSecretProvider.LEGACY_PROJECT_VARIABLE;
      project = value(environment, projectVariable);
    }
    if (project != null) {
      String reason = checkProject(project);
      if (reason == null) {
        s.project = project;
      } else {
        problems.add(new ConfigException.Problem(projectVariable, reason));
      }
    }
    String endpoint = value(environment, GcpSecretProvider.ENDPOINT_VARIABLE);
    if (endpoint != null) {
      String reason = checkEndpoint(endpoint);
      if (reason == null) {
        s.endpoint = endpoint;
      } else {
        problems.add(new ConfigException.Problem(GcpSecretProvider.ENDPOINT_VARIABLE, reason));
      }
    }
    String plaintext = value(environment, GcpSecretProvider.PLAINTEXT_VARIABLE);
    if (plaintext != null) {
      Boolean on = parseBoolean(plaintext);
      if (on == null) {
        problems.add(
            new ConfigException.Problem(
                GcpSecretProvider.PLAINTEXT_VARIABLE,
                "is not a boolean; expected true or false (also yes/no, 1/0)"));
      } else {
        s.plaintext = on;
        if (on && checkEndpoint(s.endpoint) == null && !isLoopback(s.endpoint)) {
          problems.add(
              new ConfigException.Problem(
                  GcpSecretProvider.PLAINTEXT_VARIABLE,
                  "is true, but "
                      + (endpoint == null
                          ? GcpSecretProvider.ENDPOINT_VARIABLE + " is unset (the default endpoint)"
                          : GcpSecretProvider.ENDPOINT_VARIABLE
                              + " is "
                              + ConfigReport.maskUrls(s.endpoint))
                      + "; plaintext gRPC is allowed only to a loopback address (localhost,"
                      + " 127.0.0.0/8, [::1]), such as a local emulator"));
        }
      }
    }
    String timeout = value(environment, GcpSecretProvider.TIMEOUT_VARIABLE);
    if (timeout != null) {
      try {
        s.timeout = parseTimeout(timeout);
      } catch (IllegalArgumentException e) {
        problems.add(
            new ConfigException.Problem(GcpSecretProvider.TIMEOUT_VARIABLE, e.getMessage()));
      }
    }
    String config = value(environment, GcpSecretProvider.CONFIG_SECRET_VARIABLE);
    if (config != null) {
      try {
        s.configSecret = parseConfigSecret(config);
      } catch (IllegalArgumentException e) {
        problems.add(
            new ConfigException.Problem(GcpSecretProvider.CONFIG_SECRET_VARIABLE, e.getMessage()));
      }
    }
    String credentials = value(environment, GcpSecretProvider.CREDENTIALS_VARIABLE);
    if (credentials != null) {
      try {
        s.credentialsFile = checkCredentialsFile(Path.of(credentials));
      } catch (InvalidPathException e) {
        problems.add(
            new ConfigException.Problem(
                GcpSecretProvider.CREDENTIALS_VARIABLE, "is not a valid file path"));
      } catch (IllegalArgumentException e) {
        problems.add(
            new ConfigException.Problem(GcpSecretProvider.CREDENTIALS_VARIABLE, e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return s;
  }

  private static String value(Map<String, String> environment, String name) {
    String v = environment.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  /** Returns why a project id is wrong, or {@code null} if it is fine. */
  static String checkProject(String project) {
    return PROJECT.matcher(project).matches()
        ? null
        : "is not a project id or number (letters, digits, '-', '.', ':' and '_')";
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

  /**
   * Tells whether a valid endpoint's host is a loopback address, without a DNS look-up: {@code
   * localhost}, an IPv4 literal in 127.0.0.0/8, or the IPv6 literal {@code [::1]}.
   */
  static boolean isLoopback(String endpoint) {
    Matcher m = HOST_PORT.matcher(endpoint);
    if (!m.matches()) {
      return false;
    }
    String host = m.group(1);
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    String literal;
    if (host.startsWith("[")) {
      literal = host.substring(1, host.length() - 1);
    } else if (IPV4.matcher(host).matches()) {
      literal = host;
    } else {
      return false;
    }
    try {
      // A literal address: no look-up happens.
      return InetAddress.getByName(literal).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  static Boolean parseBoolean(String text) {
    switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true":
      case "yes":
      case "1":
        return Boolean.TRUE;
      case "false":
      case "no":
      case "0":
        return Boolean.FALSE;
      default:
        return null;
    }
  }

  /**
   * Parses a positive duration in the configuration schema's syntax: {@code 500ms}, {@code 5s},
   * {@code 1m30s}, or ISO-8601 such as {@code PT5S}.
   *
   * @throws IllegalArgumentException with the reason, if it is not one
   */
  static Duration parseTimeout(String text) {
    Duration d;
    try {
      d = Setting.parseDuration(text.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "is not a duration; expected such as 500ms, 5s, 1m or PT5S");
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("must be positive");
    }
    return d;
  }

  /** Formats a duration as the settings write it: {@code 5s}, {@code 1500ms}. */
  static String format(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  /**
   * Parses the configuration secret's reference, with or without its {@code gcp:} scheme.
   *
   * @throws IllegalArgumentException with the reason, if it is not a reference to a gcp secret
   */
  static SecretRef parseConfigSecret(String text) {
    String s = text.strip();
    int colon = s.indexOf(':');
    boolean hasScheme = colon > 0 && SCHEME.matcher(s.substring(0, colon)).matches();
    if (hasScheme && !s.substring(0, colon).equals(GcpSecretProvider.NAME)) {
      throw new IllegalArgumentException(
          "names a secret of provider '"
              + s.substring(0, colon)
              + "'; the configuration secret is read from GCP Secret Manager");
    }
    try {
      return SecretRef.parse(hasScheme ? s : GcpSecretProvider.NAME + ":" + s);
    } catch (IllegalArgumentException e) {
      // The parser quotes the text; keep only the position (in the setting's own text) and what
      // was expected there.
      Matcher m = POSITION.matcher(String.valueOf(e.getMessage()));
      String where = "";
      if (m.find()) {
        int position = Integer.parseInt(m.group(1)) - (hasScheme ? 0 : colonLength());
        where = " at position " + Math.max(0, position) + ": " + m.group(2);
      }
      throw new IllegalArgumentException(
          "is not a secret reference"
              + where
              + "; expected such as app-config or projects/P/secrets/app-config");
    }
  }

  private static int colonLength() {
    return GcpSecretProvider.NAME.length() + 1;
  }

  /**
   * Checks that a credentials file exists and can be read.
   *
   * @throws IllegalArgumentException with the reason, if not
   */
  static Path checkCredentialsFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("names " + file + ", which is not a file");
    }
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException("names " + file + ", which cannot be read");
    }
    return file;
  }

  /** One attempt per call, bounded by the time-out: retries are the resolver's. */
  static RetrySettings oneAttempt(Duration timeout) {
    return RetrySettings.newBuilder()
        .setMaxAttempts(1)
        .setTotalTimeoutDuration(timeout)
        .setInitialRpcTimeoutDuration(timeout)
        .setMaxRpcTimeoutDuration(timeout)
        .setRpcTimeoutMultiplier(1.0)
        .setInitialRetryDelayDuration(Duration.ZERO)
        .setMaxRetryDelayDuration(Duration.ZERO)
        .setRetryDelayMultiplier(1.0)
        .build();
  }
}
