package io.latchkey.testsupport;

import java.util.Base64;

/**
 * The hand-written side of the scanner corpus's negatives: configuration templates and test
 * fixtures with placeholders ({@code changeme}, {@code xxx}, {@code ${VAR}}, {@code <password>},
 * documentation examples, tokens with a wrong checksum), public keys and certificates, source code
 * that handles secrets by name, commit logs and deployment manifests.
 */
final class CorpusFixtures {
  /** Published examples: AWS's documented keys, jwt.io's token, Stripe's documented test key. */
  static final String[] PUBLIC_EXAMPLES = {
    "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
    "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "id_token: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9l"
        + "IiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "Stripe.apiKey = \"sk_test_4eC39HqLyjWDarjtT1zdp7dc\";",
    "SLACK_WEBHOOK_URL=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
  };

  private static final String[] PLACEHOLDERS = {
    "changeme",
    "xxx",
    "xxxxxxxxxxxxxxxx",
    "${%s}",
    "<password>",
    "your-api-key-here",
    "TODO",
    "{{ .Values.%s }}",
    "$%s",
    "%%(%s)s",
    "<insert token>",
    "REPLACE_ME",
    "dummy-secret-value",
    "example-token-123",
    "********",
    "...",
    "test",
    "null",
    "",
    "password123",
    "P@ssw0rd"
  };

  private final CorpusText r;

  CorpusFixtures(CorpusText r) {
    this.r = r;
  }

  private String placeholder(String name) {
    return String.format(r.pick(PLACEHOLDERS), name);
  }

  /** {@code .env.example}-style files and compose files for local development and tests. */
  String configTemplates(int size) {
    StringBuilder out = new StringBuilder(size + 1024);
    String[] names = {
      "DB_PASSWORD",
      "SECRET_KEY",
      "API_TOKEN",
      "JWT_SECRET",
      "STRIPE_SECRET_KEY",
      "SMTP_PASSWORD",
      "OPENAI_API_KEY",
      "GITHUB_TOKEN",
      "CLIENT_SECRET",
      "ENCRYPTION_KEY_PASSPHRASE"
    };
    while (out.length() < size) {
      out.append("# ---- ").append(r.word()).append(" service (copy to .env and fill in) ----\n");
      for (String name : names) {
        if (r.chance(60)) {
          out.append(name).append('=').append(placeholder(name)).append('\n');
        }
      }
      out.append("DATABASE_URL=postgres://user:password@localhost:5432/")
          .append(r.word())
          .append('\n')
          .append("REDIS_URL=redis://localhost:6379/")
          .append(r.between(0, 15))
          .append('\n')
          .append("GITHUB_TOKEN=ghp_")
          .append("x".repeat(36))
          .append('\n')
          .append("OPENAI_API_KEY=sk-...\n")
          .append("STRIPE_SECRET_KEY=sk_test_")
          .append("x".repeat(24))
          .append('\n')
          .append("DB_PASSWORD='${ref:aws:prod/")
          .append(r.word())
          .append("#password}'\n")
          .append("services:\n  db:\n    image: postgres:16\n    environment:\n")
          .append("      POSTGRES_PASSWORD: postgres\n")
          .append("      DATABASE_URL: postgres://postgres:postgres@db:5432/test\n")
          .append("  mq:\n    image: rabbitmq:3\n    environment:\n")
          .append(
              "      RABBITMQ_DEFAULT_PASS: guest\n      AMQP_URL: amqp://guest:guest@mq:5672/\n")
          .append("      MYSQL_ROOT_PASSWORD: root\n")
          .append("  vault:\n    password: !vault |\n      $ANSIBLE_VAULT;1.1;AES256\n");
      for (int i = 0; i < 4; i++) {
        out.append("      ").append(r.hex(80)).append('\n');
      }
      out.append("  sops:\n    api_key: ENC[AES256_GCM,data:")
          .append(r.base64(24))
          .append(",iv:")
          .append(r.base64(12))
          .append(",tag:")
          .append(r.base64(16))
          .append(",type:str]\n")
          .append(r.pick(PUBLIC_EXAMPLES))
          .append("\n\n");
    }
    return out.toString();
  }

  /**
   * Test fixtures: users with hashed passwords, look-alike tokens whose checksum is wrong, public
   * keys, certificates and elided private keys, SSH public keys.
   */
  String testFixtures(int size) {
    StringBuilder out = new StringBuilder(size + 4096);
    out.append("[\n");
    while (out.length() < size) {
      switch (r.between(0, 6)) {
        case 0 ->
            out.append("  {\"id\": \"")
                .append(r.uuid())
                .append("\", \"email\": \"")
                .append(r.word())
                .append(r.between(1, 99))
                .append("@example.com\", \"password_hash\": ")
                .append("\"$2b$12$")
                .append(r.draw(CorpusText.ALNUM + "./", 53))
                .append("\", ")
                .append("\"api_token_sha256\": \"")
                .append(r.hex(64))
                .append("\"},\n");
        case 1 ->
            out.append("  {\"name\": \"rejects a token with a bad checksum\", \"token\": ")
                .append("\"ghp_")
                .append(r.draw(SyntheticSecrets.BASE62, 36))
                .append("\"},\n");
        case 2 ->
            out.append("  {\"name\": \"placeholder\", \"password\": \"")
                .append(placeholder("PASSWORD"))
                .append("\", \"token\": \"test-token\"},\n");
        case 3 ->
            out.append("  {\"pem\": \"")
                .append(pem("PUBLIC KEY", 6).replace("\n", "\\n"))
                .append("\"},\n");
        case 4 ->
            out.append("  {\"cert\": \"")
                .append(pem("CERTIFICATE", 18).replace("\n", "\\n"))
                .append("\", \"key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQ...\\n-----END PRIVATE")
                .append(" KEY-----\"},\n");
        case 5 ->
            out.append("  {\"authorized_key\": \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI")
                .append(r.base64(32).replace("=", ""))
                .append(' ')
                .append(r.word())
                .append("@build-")
                .append(r.between(1, 9))
                .append("\"},\n");
        default ->
            out.append("  {\"name\": \"")
                .append(r.word())
                .append("\", \"request_id\": \"")
                .append(r.uuid())
                .append("\", \"digest\": \"sha256:")
                .append(r.hex(64))
                .append("\", \"jwks_kid\": \"")
                .append(r.hex(16))
                .append("\"},\n");
      }
    }
    return out.append("  {}\n]\n").toString();
  }

  private String pem(String label, int lines) {
    StringBuilder pem = new StringBuilder("-----BEGIN ").append(label).append("-----\n");
    for (int i = 0; i < lines; i++) {
      pem.append(r.base64(48)).append('\n');
    }
    return pem.append("-----END ").append(label).append("-----\n").toString();
  }

  /**
   * Source code that reads, checks and passes secrets by name: Java (0), Python (1), Go (2),
   * TypeScript (3) or SQL (4); -1 mixes them, as a benchmark's text does.
   */
  String sourceCode(int size, int language) {
    StringBuilder out = new StringBuilder(size + 2048);
    while (out.length() < size) {
      String w = r.word();
      String cw = r.camel(w, "client");
      switch (language < 0 ? r.between(0, 4) : language) {
        case 0 ->
            out.append("public final class ")
                .append(cw)
                .append(" {\n")
                .append("  private final char[] password;\n  private final String token;\n\n")
                .append("  ")
                .append(cw)
                .append("(Config config) {\n")
                .append("    String password = System.getenv(\"DB_PASSWORD\");\n")
                .append(
                    "    this.password = Objects.requireNonNull(password, \"password\").toCharArray();\n")
                .append("    this.token = config.token;\n  }\n\n")
                .append("  boolean isAuthorized(String token) {\n")
                .append("    if (token == null || token.isBlank()) {\n      return false;\n    }\n")
                .append(
                    "    return MessageDigest.isEqual(hash(token), hash(this.token));\n  }\n}\n\n");
        case 1 ->
            out.append("def connect_")
                .append(w)
                .append("(settings):\n")
                .append("    token = os.environ[\"API_TOKEN\"]\n")
                .append("    password = getpass.getpass(\"Password: \")\n")
                .append("    headers = {\"Authorization\": f\"Bearer {token}\"}\n")
                .append("    secret_name = f\"projects/{settings.project}/secrets/")
                .append(w)
                .append("/versions/latest\"\n")
                .append(
                    "    return session.post(settings.token_url, headers=headers, timeout=30)\n\n");
        case 2 ->
            out.append("func New")
                .append(r.upper(w.substring(0, 1)))
                .append(w.substring(1))
                .append("(cfg Config) (*Client, error) {\n")
                .append("\ttoken := os.Getenv(\"GITHUB_TOKEN\")\n")
                .append(
                    "\tif token == \"\" {\n\t\treturn nil, errors.New(\"missing token\")\n\t}\n")
                .append("\treturn &Client{token: token, secret: cfg.Secret}, nil\n}\n\n")
                .append("type Credentials struct {\n\tUser     string `json:\"user\"`\n")
                .append("\tPassword string `json:\"password\"`\n}\n\n");
        case 3 ->
            out.append("export async function ")
                .append(cw)
                .append("(): Promise<void> {\n")
                .append("  const token = localStorage.getItem(\"token\");\n")
                .append("  const apiKey = process.env.API_KEY!;\n")
                .append("  const secret = config.get<string>(\"jwt.secret\");\n")
                .append("  const maxTokens = 4096;\n")
                .append("  await fetch(`/api/")
                .append(w)
                .append("`, { headers: { Authorization: ")
                .append("`Bearer ${token}` } });\n}\n\n");
        default ->
            out.append("CREATE TABLE ")
                .append(w)
                .append("_users (\n")
                .append("  id uuid PRIMARY KEY,\n  password_hash text NOT NULL,\n")
                .append("  api_token_hash bytea,\n  secret_version integer DEFAULT 1\n);\n")
                .append(
                    "-- tokenizer = 'bert-base-uncased'; passwords are hashed with argon2id\n\n");
      }
    }
    return out.toString();
  }

  /** Commit logs: hashes, authors, messages about tokens and passwords. */
  String gitLog(int size) {
    StringBuilder out = new StringBuilder(size + 512);
    String[] subjects = {
      "Rotate the token cache on refresh",
      "Hash passwords with argon2id",
      "Redact secrets from error reports",
      "Bump @aws-sdk/client-s3",
      "Fix token_url for staging",
      "Read the API key from the secret manager"
    };
    int i = 0;
    while (out.length() < size) {
      out.append("commit ")
          .append(r.hex(40))
          .append("\nAuthor: ")
          .append(r.word())
          .append(" <")
          .append(r.word())
          .append("@example.com>\nDate:   ")
          .append(r.timestamp(i++))
          .append("\n\n    ")
          .append(r.pick(subjects))
          .append(" (")
          .append(r.hex(7))
          .append(")\n\n    Reviewed-on: https://review.example.com/c/")
          .append(r.between(1000, 99999))
          .append("\n    Change-Id: I")
          .append(r.hex(40))
          .append("\n\n");
    }
    return out.toString();
  }

  /** Kubernetes manifests: image digests, secret references, a config map's base64 data. */
  String manifests(int size) {
    StringBuilder out = new StringBuilder(size + 1024);
    while (out.length() < size) {
      String w = r.word();
      out.append("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ")
          .append(w)
          .append("\nspec:\n  template:\n    spec:\n      containers:\n        - name: ")
          .append(w)
          .append("\n          image: ghcr.io/acme/")
          .append(w)
          .append("@sha256:")
          .append(r.hex(64))
          .append("\n          env:\n            - name: DB_PASSWORD\n              valueFrom:\n")
          .append("                secretKeyRef:\n                  name: ")
          .append(w)
          .append("-credentials\n                  key: password\n---\n")
          .append("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ")
          .append(w)
          .append("-files\nbinaryData:\n  logo.png: ")
          .append(
              Base64.getEncoder()
                  .encodeToString(
                      r.base64(300).getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
          .append("\ndata:\n  checksum: ")
          .append(r.hex(64))
          .append("\n---\n");
    }
    return out.toString();
  }

  /** Documentation that shows where secrets go without holding any. */
  String docs(int size) {
    StringBuilder out = new StringBuilder(size + 1024);
    while (out.length() < size) {
      String w = r.word();
      out.append("## Configuring the ")
          .append(w)
          .append(" client\n\n")
          .append("Set `API_TOKEN=<your token>` and `DB_PASSWORD=${DB_PASSWORD}` in the ")
          .append("environment, never in the repository. To try it:\n\n```sh\n")
          .append("export GITHUB_TOKEN=ghp_...\ncurl -H \"Authorization: Bearer $TOKEN\" ")
          .append("https://api.example.com/v1/")
          .append(w)
          .append("s\n")
          .append("psql postgres://app:$PGPASSWORD@localhost/")
          .append(w)
          .append("\n```\n\n")
          .append("The token is refreshed every hour; the password policy requires 12 ")
          .append("characters. Secrets live in `vault:secret/data/")
          .append(w)
          .append("#api_key`.\n\n");
    }
    return out.toString();
  }

  /** Build files: Maven's settings and replacer tokens, filtered properties, CI variables. */
  String buildFiles(int size) {
    StringBuilder out = new StringBuilder(size + 1024);
    while (out.length() < size) {
      String w = r.word();
      out.append("<server>\n  <id>")
          .append(w)
          .append("-releases</id>\n")
          .append("  <username>${env.NEXUS_USER}</username>\n")
          .append("  <password>${env.NEXUS_PASSWORD}</password>\n</server>\n")
          .append("<replacement>\n  <token>@")
          .append(w)
          .append("version@</token>\n")
          .append("  <value>${project.version}</value>\n</replacement>\n")
          .append("<token>\\$BUILD_")
          .append(r.upper(w))
          .append("\\$</token>\n")
          .append("jdbc.password=@db.password@\n")
          .append("api.token=%")
          .append(r.upper(w))
          .append("_TOKEN%\n")
          .append("  - name: Publish\n    env:\n      NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n")
          .append("      GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n")
          .append("//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n")
          .append("//npm.")
          .append(w)
          .append(".example/:_authToken=MYTOKEN")
          .append(r.between(1, 9))
          .append("\n\n");
    }
    return out.toString();
  }
}
