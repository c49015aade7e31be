package io.latchkey.cli;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Finds credentials in a JDBC URL given on the command line, where every local user can read them
 * ({@code ps}, {@code /proc}) and shell histories and CI logs keep them.
 *
 * <p>Refused: user-info before an {@code @} ({@code user:password@host}, and a lone {@code
 * token@host}, which is how some services take an access token; Oracle's {@code user/password@}
 * too), and any parameter whose name says credential ({@code password}, {@code PWD}, {@code
 * sslpassword}, {@code accessToken}, {@code apiKey} and the like), in the query, after {@code ;},
 * {@code :} or inside MySQL's {@code (key=value,…)} address form. Allowed: {@code user=}, which
 * names an account and is what {@code --db-user} sets, and Oracle's {@code thin:@host}; any other
 * {@code @} is refused.
 */
final class JdbcUrlCredentials {
  /** Parameter names that hold a credential, matched against the decoded, lower-cased name. */
  private static final Pattern CREDENTIAL_NAME =
      Pattern.compile(
          ".*(pass|pwd|secret|token|credential|apikey|api_key|api-key|privatekey|private_key"
              + "|accesskey|access_key).*");

  /** What comes before the {@code @} of an Oracle URL that names no user. */
  private static final Pattern ORACLE_ADDRESS =
      Pattern.compile("(?i)jdbc:oracle:(thin|oci|oci8|kprb):");

  /** What separates parameters in the URL syntaxes of the drivers people use. */
  private static final Pattern PARAMETER_SEPARATOR = Pattern.compile("[?&;:(),]");

  private JdbcUrlCredentials() {}

  /**
   * Whether the URL holds a credential by one of the rules above.
   *
   * @param url the URL as given
   * @return true if it must be refused
   */
  static boolean holdsCredential(String url) {
    return hasUserInfo(url) || hasCredentialParameter(url);
  }

  /**
   * Any {@code @} but the one that starts an Oracle address ({@code jdbc:oracle:thin:@host}). An
   * {@code @} elsewhere in the query is refused too: a password may hold {@code ?} or {@code ;}, so
   * where the user-info ends cannot be told from the text.
   */
  private static boolean hasUserInfo(String url) {
    for (int at = url.indexOf('@'); at >= 0; at = url.indexOf('@', at + 1)) {
      if (!ORACLE_ADDRESS.matcher(url.substring(0, at)).matches()) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasCredentialParameter(String url) {
    for (String part : PARAMETER_SEPARATOR.split(url)) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String name = decode(part.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
      if (CREDENTIAL_NAME.matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }

  /** Percent-decoded, so that {@code pass%77ord=} is caught; undecodable text is kept as is. */
  private static String decode(String name) {
    try {
      return URLDecoder.decode(name, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return name;
    }
  }
}
