package io.latchkey.testsupport;

import java.util.List;
import java.util.Locale;

/**
 * How the corpus writes each rule's credentials into each kind of file: as a setting in that file's
 * syntax, in a URL, a header, a command, a log line or a sentence.
 */
final class CorpusRules {
  /** The scanner's rules, in the order the corpus writes them. */
  static final List<String> RULES =
      List.of(
          "aws-access-key-id",
          "aws-secret-access-key",
          "gcp-service-account",
          "github-token",
          "github-fine-grained-token",
          "gitlab-token",
          "slack-token",
          "slack-webhook",
          "stripe-key",
          "openai-api-key",
          "anthropic-api-key",
          "jwt",
          "private-key",
          "database-url",
          "generic-secret");

  private CorpusRules() {}

  /** How many credentials of a rule go into the formatted files (key files come on top). */
  static int count(String rule) {
    return switch (rule) {
      case "generic-secret" -> 40;
      case "database-url" -> 28;
      case "gcp-service-account" -> 9;
      case "private-key" -> 12;
      default -> 22;
    };
  }

  private static String ext(String format) {
    return format.substring(format.lastIndexOf('.') + 1);
  }

  private static String upper(String name) {
    return name.toUpperCase(Locale.ROOT);
  }

  private static String camel(String name) {
    StringBuilder out = new StringBuilder();
    boolean up = false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '_') {
        up = true;
      } else {
        out.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return out.toString();
  }

  /** A setting {@code name} (lower case, underscores) given {@code value} in a format's syntax. */
  static String assign(CorpusText r, String format, String name, String value) {
    return switch (ext(format)) {
      case "env" -> r.chance(50) ? upper(name) + "=" + value : upper(name) + "=\"" + value + "\"";
      case "yml" -> r.chance(50) ? "  " + name + ": " + value : "  " + name + ": \"" + value + "\"";
      case "json" -> "  \"" + camel(name) + "\": \"" + value + "\",";
      case "properties" -> "app." + name.replace('_', '.') + "=" + value;
      case "java" -> "    static final String " + upper(name) + " = \"" + value + "\";";
      case "py" -> upper(name) + " = \"" + value + "\"";
      case "go" -> "\t" + camel(name) + " := \"" + value + "\"";
      case "ts" -> "  " + camel(name) + ": '" + value + "',";
      case "tf" -> "  " + name + " = \"" + value + "\"";
      case "sh" -> "export " + upper(name) + "='" + value + "'";
      case "log" ->
          r.timestamp(r.between(0, 80000))
              + " DEBUG [main] c.e.Config - loaded "
              + name
              + "="
              + value;
      case "md" -> "- staging " + name + ": `" + value + "` (rotate after the drill)";
      default -> "    <" + camel(name) + ">" + value + "</" + camel(name) + ">";
    };
  }

  /** Writes the {@code i}-th credential of a rule into a format's file. */
  static void write(CorpusPositives p, String rule, int i, String format) {
    CorpusText r = p.text();
    SyntheticSecrets s = p.secrets();
    switch (rule) {
      case "aws-access-key-id" -> {
        String id = s.awsAccessKeyId();
        p.secret(format, rule, id, assign(r, format, "aws_access_key_id", id));
      }
      case "aws-secret-access-key" -> {
        String key = s.awsSecretAccessKey();
        String[] names = {"aws_secret_access_key", "aws_secret_key", "secret_access_key"};
        p.secret(format, rule, key, assign(r, format, names[i % names.length], key));
      }
      case "gcp-service-account" -> gcp(p, format);
      case "private-key" -> pem(p, format, i);
      case "database-url" -> databaseUrl(p, format, i);
      case "generic-secret" -> generic(p, format, i);
      case "slack-webhook" -> {
        String url = s.slackWebhook();
        String path = url.substring(url.indexOf("/services/") + "/services/".length());
        String line =
            ext(format).equals("sh")
                ? "curl -sf -X POST --data '{\"text\":\"deployed\"}' " + url
                : assign(r, format, "slack_webhook_url", url);
        p.secret(format, rule, path, line);
      }
      default -> token(p, rule, i, format);
    }
  }

  /** A token that announces itself, as a setting, in a header, a URL or a sentence. */
  private static void token(CorpusPositives p, String rule, int i, String format) {
    SyntheticSecrets s = p.secrets();
    CorpusText r = p.text();
    String[] github = {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"};
    String value =
        switch (rule) {
          case "github-token" -> s.githubToken(github[i % github.length]);
          case "github-fine-grained-token" -> s.githubFineGrainedToken();
          case "gitlab-token" -> s.gitlabToken();
          case "slack-token" -> s.slackToken();
          case "stripe-key" -> s.stripeKey();
          case "openai-api-key" -> s.openAiKey();
          case "anthropic-api-key" -> s.anthropicKey();
          default -> s.jwt();
        };
    String name =
        switch (rule) {
          case "github-token", "github-fine-grained-token" -> "github_token";
          case "gitlab-token" -> "ci_job_token";
          case "slack-token" -> "slack_bot_token";
          case "stripe-key" -> "stripe_secret_key";
          case "openai-api-key" -> "openai_api_key";
          case "anthropic-api-key" -> "anthropic_api_key";
          default -> "id_token";
        };
    String line =
        switch (ext(format)) {
          case "log" ->
              r.timestamp(i * 977)
                  + " WARN  [http-nio-8080-exec-4] c.e.Outbound - "
                  + (rule.equals("jwt")
                      ? "401 from billing with Authorization: Bearer " + value
                      : "retrying with credential " + value + " after 429");
          case "md" -> "The key " + value + " was pasted in the #ops channel at 10:42; revoke it.";
          case "sh" ->
              rule.startsWith("github")
                  ? "git clone https://x-access-token:" + value + "@github.com/acme/app.git"
                  : "curl -H \"Authorization: Bearer " + value + "\" https://api.example.com/v1/me";
          default -> assign(r, format, name, value);
        };
    p.secret(format, rule, value, line);
  }

  /** A connection URL with a literal password, in the forms drivers and frameworks take. */
  private static void databaseUrl(CorpusPositives p, String format, int i) {
    CorpusText r = p.text();
    String pw = p.secrets().password();
    String db = r.word();
    String url =
        switch (i % 9) {
          case 0 -> "postgres://app:" + pw + "@db.internal:5432/" + db;
          case 1 -> "mysql://root:" + pw + "@mysql-primary:3306/" + db;
          case 2 -> "mongodb+srv://svc-" + db + ":" + pw + "@cluster0.ab12c.mongodb.net/" + db;
          case 3 -> "redis://:" + pw + "@cache.internal:6379/0";
          case 4 -> "amqps://worker:" + pw + "@mq.internal:5671/" + db;
          case 5 -> "jdbc:postgresql://db:5432/" + db + "?user=app&password=" + pw + "&ssl=true";
          case 6 ->
              "jdbc:sqlserver://sql01:1433;databaseName="
                  + db
                  + ";user=sa;password="
                  + pw
                  + ";encrypt=true";
          case 7 -> "jdbc:oracle:thin:scott/" + pw + "@ora01:1521/ORCL";
          default -> "postgresql://" + db + "_rw:" + pw + "@10.0.3.17/" + db + "?sslmode=require";
        };
    String line =
        switch (ext(format)) {
          case "log" -> r.timestamp(i * 1013) + " INFO  [main] c.e.db.Pool - connecting to " + url;
          case "sh" -> "psql \"" + url + "\" -c 'select 1'";
          case "md" -> "Reproduced against `" + url + "` on the replica.";
          default -> assign(r, format, "database_url", url);
        };
    p.secret(format, "database-url", pw, line);
  }

  /** A random value given to a setting named like a secret, in the syntax of each format. */
  private static void generic(CorpusPositives p, String format, int i) {
    CorpusText r = p.text();
    SyntheticSecrets s = p.secrets();
    String value = i % 3 == 0 ? s.password() : s.apiSecret();
    String[] names = {
      "db_password",
      "client_secret",
      "api_key",
      "secret_key",
      "auth_token",
      "access_token",
      "refresh_token",
      "encryption_passphrase",
      "smtp_password",
      "webhook_secret"
    };
    String name = names[i % names.length];
    String line =
        switch (i % 8) {
          case 1 -> "curl -u admin --password " + value + " https://ci.internal/api/jobs";
          case 3 ->
              "GET /oauth/callback?code="
                  + r.hex(12)
                  + "&access_token="
                  + value
                  + "&state="
                  + r.hex(8)
                  + " HTTP/1.1";
          case 5 ->
              "    client = Client.builder().endpoint(url).password(\"" + value + "\").build();";
          case 7 -> "Authorization: Bearer " + value;
          default -> assign(r, format, name, value);
        };
    p.secret(format, "generic-secret", value, line);
  }

  /** A service-account file inside another file: one line, pretty-printed, or escaped in YAML. */
  private static void gcp(CorpusPositives p, String format) {
    CorpusText r = p.text();
    String json =
        p.secrets().gcpServiceAccount(r.word() + "-" + r.between(100000, 999999), r.word());
    String value = CorpusPositives.gcpValue(json);
    String compact = json.replace("\n", "").replace("  ", " ");
    switch (ext(format)) {
      case "json" ->
          p.secret(
              format,
              "gcp-service-account",
              value,
              4,
              "  \"gcp\": " + json.strip().replace("\n", "\n  "));
      case "yml" ->
          p.secret(
              format,
              "gcp-service-account",
              value,
              "  google_credentials: \""
                  + compact.replace("\\", "\\\\").replace("\"", "\\\"")
                  + "\"");
      case "tf" ->
          p.secret(
              format, "gcp-service-account", value, 5, "  credentials = <<EOF\n" + json + "EOF");
      case "md" -> p.secret(format, "gcp-service-account", value, 5, "```json\n" + json + "```");
      case "env", "sh", "ts", "properties", "log", "xml" ->
          p.secret(format, "gcp-service-account", value, "GOOGLE_CREDENTIALS='" + compact + "'");
      default ->
          p.secret(
              format,
              "gcp-service-account",
              value,
              assign(
                  r,
                  format,
                  "google_credentials",
                  compact.replace("\\", "\\\\").replace("\"", "\\\"")));
    }
  }

  /**
   * A PEM private key in a setting, a string literal, a heredoc or a block, as each file has it.
   */
  private static void pem(CorpusPositives p, String format, int i) {
    String[] kinds = {"RSA", "EC", "PKCS8", "OPENSSH"};
    String pem = p.secrets().pemPrivateKey(kinds[i % kinds.length]);
    String[] lines = pem.split("\n");
    String value = lines[1];
    String escaped = pem.replace("\n", "\\n");
    String rule = "private-key";
    switch (ext(format)) {
      case "yml" -> p.secret(format, rule, value, 2, "  tls_key: |\n" + pem.indent(4));
      case "java" -> {
        if (i % 2 == 0) {
          p.secret(
              format,
              rule,
              value,
              2,
              "    static final String SIGNING_KEY = \"\"\"\n" + pem.indent(8) + "        \"\"\";");
        } else {
          StringBuilder concat = new StringBuilder("    static final String SIGNING_KEY =\n");
          for (int k = 0; k < lines.length; k++) {
            concat
                .append("        \"")
                .append(lines[k])
                .append("\\n\"")
                .append(k + 1 < lines.length ? " +\n" : ";");
          }
          p.secret(format, rule, value, 2, concat.toString());
        }
      }
      case "py" -> p.secret(format, rule, value, 1, "SIGNING_KEY = \"\"\"" + pem + "\"\"\"");
      case "go" -> p.secret(format, rule, value, 1, "var signingKey = `" + pem + "`");
      case "ts" -> p.secret(format, rule, value, 1, "export const signingKey = `" + pem + "`;");
      case "tf" -> p.secret(format, rule, value, 2, "  private_key = <<EOT\n" + pem + "EOT");
      case "sh" -> p.secret(format, rule, value, 2, "cat > id_key <<'EOF'\n" + pem + "EOF");
      case "md" -> p.secret(format, rule, value, 2, "```\n" + pem + "```");
      case "xml" ->
          p.secret(format, rule, value, 1, "    <privateKey>" + pem.strip() + "</privateKey>");
      case "log" ->
          p.secret(
              format,
              rule,
              value,
              p.text().timestamp(i) + " DEBUG [main] c.e.tls.Loader - key material: " + escaped);
      default -> p.secret(format, rule, value, assign(p.text(), format, "signing_key", escaped));
    }
  }
}
