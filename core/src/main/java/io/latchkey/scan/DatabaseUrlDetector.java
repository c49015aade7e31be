package io.latchkey.scan;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Passwords in the connection URLs of databases and brokers: in the user info ({@code
 * postgres://app:s3cret@db/app}, {@code mongodb+srv://}, {@code redis://:s3cret@}), in a query or
 * JDBC property ({@code ?password=…}, {@code ;password=…}), and in Oracle's thin form ({@code
 * jdbc:oracle:thin:app/s3cret@db}). Template variables and the defaults of development setups
 * ({@code postgres:postgres}, {@code guest:guest}) are not reported.
 *
 * <p>The finding is the password alone. The excerpt shows the scheme, and the user name when it
 * reads as a name; a user name that is itself a credential or looks like a token is masked too.
 */
final class DatabaseUrlDetector implements Detector {
  private static final Set<String> SCHEMES =
      Set.of(
          ("postgres postgresql postgis mysql mysql2 mysqlx mariadb mongodb mongodb+srv "
                  + "redis rediss valkey amqp amqps mssql sqlserver oracle cockroachdb clickhouse "
                  + "couchdb neo4j neo4j+s bolt cassandra db2 snowflake memcached nats mqtt mqtts")
              .split(" "));

  /** Where a URL ends in text: blanks, quotes and the brackets around it. */
  private static final Chars.Set URL = c -> c > ' ' && "\"'`<>\\".indexOf(c) < 0;

  private static final int MAX_URL = 1024;

  private static final String PASSWORD_PARAMETER = "password=";

  @Override
  public List<String> keywords() {
    return List.of("://", "jdbc:");
  }

  @Override
  public List<Rule> rules() {
    return List.of(Rules.DATABASE_URL);
  }

  @Override
  public void detect(Window w, int keyword, int start, int end, Candidates out) {
    char[] t = w.chars;
    int n = w.length;
    if (keyword == 1) {
      jdbc(w, start, end, out);
      return;
    }
    int schemeStart =
        Chars.runBack(t, start, 0, c -> Chars.isAlnum(c) || c == '+' || c == '.' || c == '-', 16);
    if (schemeStart > 0 && (Chars.isAlnum(t[schemeStart - 1]) || t[schemeStart - 1] == '_')) {
      return;
    }
    String scheme = w.text(schemeStart, start).toLowerCase(Locale.ROOT);
    if (!SCHEMES.contains(scheme)) {
      return;
    }
    int urlEnd = Chars.run(t, end, n, URL, MAX_URL);
    int authorityEnd = end;
    while (authorityEnd < urlEnd && "/?#".indexOf(t[authorityEnd]) < 0) {
      authorityEnd++;
    }
    int at = -1;
    for (int i = end; i < authorityEnd; i++) {
      if (t[i] == '@') {
        at = i;
      }
    }
    String shown = scheme + "://";
    if (at > 0) {
      int colon = Chars.indexOf(t, end, at, ":");
      if (colon > 0 && isPassword(w, colon + 1, at, w.text(end, colon))) {
        // A user that is itself a credential (an access key id as MongoDB's Atlas takes it) or
        // looks
        // like a token is masked as well.
        String user =
            Excerpts.isName(t, end, colon) ? w.text(end, colon) : colon > end ? Excerpts.MASK : "";
        out.add(Rules.DATABASE_URL, colon + 1, at, shown + user + ":" + Excerpts.MASK + "@");
      }
    }
    parameter(w, authorityEnd, urlEnd, shown, out);
  }

  /** {@code jdbc:…}: a password property, or Oracle's {@code user/password@host}. */
  private static void jdbc(Window w, int start, int end, Candidates out) {
    char[] t = w.chars;
    int n = w.length;
    if (!Chars.at(t, start, n, "jdbc:") || (start > 0 && Chars.isAlnum(t[start - 1]))) {
      return;
    }
    int urlEnd = Chars.run(t, end, n, URL, MAX_URL);
    String thin = "oracle:thin:";
    if (Chars.at(t, end, n, thin)) {
      int userStart = end + thin.length();
      int at = Chars.indexOf(t, userStart, urlEnd, "@");
      int slash = at < 0 ? -1 : Chars.indexOf(t, userStart, at, "/");
      if (slash > userStart && isPassword(w, slash + 1, at, w.text(userStart, slash))) {
        out.add(Rules.DATABASE_URL, slash + 1, at, "jdbc:oracle:thin:" + Excerpts.MASK + "@");
      }
    }
    parameter(w, end, urlEnd, "jdbc:", out);
  }

  /** A {@code password=} parameter of a query or of JDBC properties in {@code t[from, to)}. */
  private static void parameter(Window w, int from, int to, String shown, Candidates out) {
    char[] t = w.chars;
    for (int p = Chars.indexOfIgnoreCase(t, from, to, PASSWORD_PARAMETER);
        p >= 0;
        p = Chars.indexOfIgnoreCase(t, p + 1, to, PASSWORD_PARAMETER)) {
      if (p == 0 || "?&;:".indexOf(t[p - 1]) < 0) {
        continue;
      }
      int valueStart = p + PASSWORD_PARAMETER.length();
      int valueEnd = valueStart;
      while (valueEnd < to && "&;#".indexOf(t[valueEnd]) < 0) {
        valueEnd++;
      }
      if (isPassword(w, valueStart, valueEnd, "")) {
        out.add(Rules.DATABASE_URL, valueStart, valueEnd, shown + "…password=" + Excerpts.MASK);
      }
    }
  }

  /** A literal password: three characters or more, not a placeholder, not the user name again. */
  private static boolean isPassword(Window w, int from, int to, String user) {
    if (to - from < 3) {
      return false;
    }
    String password = w.text(from, to);
    return !password.equalsIgnoreCase(user)
        && !Placeholders.is(password)
        && !(password.startsWith("{") && password.endsWith("}"))
        && !(password.startsWith("[") && password.endsWith("]"))
        && !password.startsWith("%");
  }
}
