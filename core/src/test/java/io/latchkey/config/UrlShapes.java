package io.latchkey.config;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * URL and connection-string shapes with one credential position each, shared by {@link MaskingTest}
 * and {@link MaskingFuzzTest}.
 *
 * <p>A value placed raw is inserted as it is, except for the characters that end a value in that
 * position by the syntax every parser of it follows, which a user must encode anyway: white space,
 * {@code & ; #} in a parameter, {@code :} in a lone user name (what precedes it is the user name),
 * {@code }} doubled inside ODBC braces, and {@code :} wherever the value holds {@code ://} (it
 * would read as a second URL).
 */
final class UrlShapes {
  /** Credential parameter names, in the spellings services use. */
  static final List<String> CREDENTIAL_NAMES =
      List.of(
          "password",
          "Password",
          "PASSWORD",
          "passwd",
          "pwd",
          "PWD",
          "Pwd",
          "passphrase",
          "secret",
          "client_secret",
          "token",
          "access_token",
          "refresh_token",
          "id_token",
          "auth",
          "authorization",
          "auth_token",
          "api_key",
          "apikey",
          "api-key",
          "apiKey",
          "X-Api-Key",
          "key",
          "private_key",
          "access_key",
          "signature",
          "sig",
          "X-Amz-Signature",
          "X-Amz-Credential",
          "X-Amz-Security-Token",
          "X-Goog-Signature",
          "X-Goog-Credential",
          "credential",
          "credentials",
          "session",
          "sessionid",
          "jsessionid",
          "session_token",
          "code",
          "sid",
          "cookie",
          "jwt",
          "bearer",
          "assertion",
          "client_assertion",
          "ticket",
          "otp",
          "hmac",
          "pass%77ord",
          "user[password]",
          "spring.datasource.password");

  /** The shape without a scheme, {@code user:password@host}, which must start a word. */
  static final int NO_SCHEME = 13;

  /** The number of shapes. */
  static final int COUNT = 14;

  private UrlShapes() {}

  /** One text built around a credential, and the parts of it that the mask must keep. */
  record Placed(String text, List<String> kept) {}

  /**
   * Builds shape {@code shape} with {@code secret} in its credential position.
   *
   * @param name the parameter name, for shapes with a named parameter
   * @param encoded whether to percent-encode the value (else it is placed raw, see above)
   */
  static Placed place(int shape, String name, String secret, boolean encoded) {
    String v = encoded ? percentEncode(secret) : secret;
    if (!encoded && v.contains("://")) {
      v = v.replace(":", "%3A");
    }
    String param = encoded ? v : encodeAny(v, "&;#");
    boolean at = v.indexOf('@') >= 0;
    boolean opens = !param.isEmpty() && "{\"'".indexOf(param.charAt(0)) >= 0;
    switch (shape) {
      case 0:
        return new Placed(
            "https://app:" + v + "@db.example:5432/app?sslmode=require",
            List.of("https://app:", "@db.example:5432/app?sslmode=require"));
      case 1:
        {
          String user = encoded ? v : v.replace(":", "%3A");
          return new Placed(
              "https://" + user + "@github.com/org/repo.git",
              List.of("https://", "@github.com/org/repo.git"));
        }
      case 2:
        {
          String user = encoded ? v : v.replace(":", "%3A");
          return new Placed(
              "https://" + user + ":x-oauth-basic@github.com/org/repo.git",
              List.of("https://", "@github.com/org/repo.git"));
        }
      case 3:
        return new Placed(
            "https://api.example.com/v1/items?page=2&" + name + "=" + param + "&limit=10",
            keep(at || opens, "https://api.example.com/v1/items?page=2&", "&limit=10"));
      case 4:
        return new Placed(
            "https://app.example.com/callback#" + name + "=" + param + "&expires_in=3600",
            keep(at || opens, "https://app.example.com/callback#", "&expires_in=3600"));
      case 5:
        return new Placed(
            "jdbc:sqlserver://db.example:1433;databaseName=app;user=app;"
                + name
                + "="
                + param
                + ";encrypt=true",
            keep(
                at || opens,
                "jdbc:sqlserver://db.example:1433;databaseName=app;",
                ";encrypt=true"));
      case 6:
        return new Placed(
            "Driver={ODBC Driver 18};Server=tcp:db.example,1433;Uid=app;PWD={"
                + (encoded ? v : v.replace("}", "}}"))
                + "};Encrypt=yes",
            keep(at, "Server=tcp:db.example,1433;Uid=app;", ";Encrypt=yes"));
      case 7:
        return new Placed(
            "https://a.example/x, https://app:" + v + "@db.example/app, https://c.example/y",
            List.of("https://a.example/x, https://app:", "@db.example/app, https://c.example/y"));
      case 8:
        return new Placed(
            "cannot connect to postgresql://app:" + v + "@db.example:5432/app (timed out)",
            List.of("cannot connect to postgresql://app:", "@db.example:5432/app (timed out)"));
      case 9:
        return new Placed(
            "https://bucket.s3.amazonaws.com/k.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential="
                + param
                + "&X-Amz-Date=20260101T000000Z&X-Amz-Expires=900&X-Amz-Signature="
                + param,
            keep(
                at || opens,
                "https://bucket.s3.amazonaws.com/k.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256",
                "&X-Amz-Date=20260101T000000Z&X-Amz-Expires=900"));
      case 10:
        return new Placed(
            "jdbc:postgresql://db.example:5432/app?user=app&" + name + "=" + param + "&ssl=true",
            keep(at || opens, "jdbc:postgresql://db.example:5432/app?user=app&", "&ssl=true"));
      case 11:
        return new Placed(
            "Server=db.example;Database=app;Uid=app;Pwd=" + param + ";Trusted_Connection=no",
            keep(at || opens, "Server=db.example;Database=app;Uid=app;", ";Trusted_Connection=no"));
      case 12:
        return new Placed(
            "https://app:" + v + "@[2001:db8::1]:8443/x?y=1",
            List.of("https://app:", "@[2001:db8::1]:8443/x?y=1"));
      case NO_SCHEME:
        {
          String password = encoded ? v : encodeAny(v, "");
          return new Placed(
              "app:" + password + "@cache.example:6379", List.of("app:", "@cache.example:6379"));
        }
      default:
        throw new IllegalArgumentException("no shape " + shape);
    }
  }

  private static List<String> keep(boolean hostMayBeMasked, String host, String rest) {
    // An '@' in a parameter reads as the end of user info, and a value that opens a brace or a
    // quote runs to its close: both mask more, so only what stays certain is checked.
    return hostMayBeMasked ? List.of() : List.of(host, rest);
  }

  static String percentEncode(String text) {
    StringBuilder out = new StringBuilder(text.length() * 3);
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append(String.format(Locale.ROOT, "%%%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  /** Percent-encodes white space and {@code chars}, leaving the rest raw. */
  private static String encodeAny(String text, String chars) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || chars.indexOf(c) >= 0) {
        out.append(String.format(Locale.ROOT, "%%%02X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
