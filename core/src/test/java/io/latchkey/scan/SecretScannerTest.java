package io.latchkey.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.testsupport.SyntheticSecrets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each rule on values in its format and on the look-alikes it must leave alone. */
final class SecretScannerTest {
  private final SyntheticSecrets secrets = new SyntheticSecrets(new SplittableRandom(7));
  private final SecretScanner scanner = SecretScanner.defaults();

  private List<String> rules(String text) {
    return scanner.scan(text).stream().map(f -> f.rule().id()).toList();
  }

  /** The one finding in a text, checked to cover exactly {@code value}. */
  private Finding only(String text, String value) {
    List<Finding> found = scanner.scan(text);
    assertThat(found).hasSize(1);
    Finding f = found.get(0);
    assertThat(text.substring((int) f.offset(), (int) f.offset() + f.length())).isEqualTo(value);
    return f;
  }

  @Test
  void awsAccessKeyId_inCredentialsFile_isFound() {
    String id = secrets.awsAccessKeyId();
    Finding f = only("[default]\naws_access_key_id = " + id + "\nregion = eu-west-1\n", id);
    assertThat(f.rule().id()).isEqualTo("aws-access-key-id");
    assertThat(f.line()).isEqualTo(2);
    assertThat(f.column()).isEqualTo(21);
    assertThat(f.excerpt()).isEqualTo(id.substring(0, 4) + "****");
  }

  @Test
  void awsAccessKeyId_documentationExampleOrLowerCaseOrLonger_isIgnored() {
    assertThat(rules("aws_access_key_id = AKIAIOSFODNN7EXAMPLE")).isEmpty();
    assertThat(rules("timezone: Asia/Tokyo, akiaxxxxxxxxxxxxxxxx")).isEmpty();
    assertThat(rules("id=AKIA" + "ABCDEFGHIJKLMNOP" + "Q7")).isEmpty();
  }

  @Test
  void awsSecretKey_nearAwsKeyword_isFound_butNotWithoutOne() {
    String key = secrets.awsSecretAccessKey();
    Finding f = only("export AWS_SECRET_ACCESS_KEY=" + key + "\n", key);
    assertThat(f.rule().id()).isEqualTo("aws-secret-access-key");
    assertThat(f.excerpt()).isEqualTo("AWS_SECRET_ACCESS_KEY=****");
    String terraform =
        "provider \"aws\" {\n  region = \"us-east-1\"\n  secret_key = \"" + key + "\"\n}\n";
    assertThat(rules(terraform)).containsExactly("aws-secret-access-key");
    assertThat(rules("checksum " + key + " of the archive")).isEmpty();
    assertThat(rules("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).isEmpty();
  }

  @Test
  void awsSecretKey_aHexDigestNearAws_isIgnored() {
    assertThat(rules("aws-sdk sha1 " + "3f786850e387550fdab836ed7e6dc881de23001b")).isEmpty();
  }

  @Test
  void githubToken_validChecksum_isFound_invalidIsNot() {
    String token = secrets.githubToken("ghp_");
    Finding f = only("GITHUB_TOKEN=" + token, token);
    assertThat(f.rule().id()).isEqualTo("github-token");
    assertThat(f.excerpt()).isEqualTo("ghp_****");
    char last = token.charAt(token.length() - 1);
    String broken = token.substring(0, token.length() - 1) + (last == 'a' ? 'b' : 'a');
    assertThat(rules("token: " + broken)).isEmpty();
    assertThat(rules("token: ghp_" + "x".repeat(36))).isEmpty();
  }

  @Test
  void githubToken_checksum_matchesGithubsDefinition() {
    // CRC32 of 30 characters, written in base62 (digits, upper, lower case), 6 digits.
    String body = "zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ";
    char[] chars = body.toCharArray();
    long crc = TokenDetector.checksum(chars, 0);
    String encoded = SyntheticSecrets.githubChecksum(body);
    assertThat(TokenDetector.decode62(encoded.toCharArray(), 0, 6)).isEqualTo(crc);
  }

  @Test
  void githubFineGrainedToken_isFound() {
    String token = secrets.githubFineGrainedToken();
    assertThat(only("gh auth login --with-token <<< " + token, token).rule().id())
        .isEqualTo("github-fine-grained-token");
  }

  @Test
  void providerTokens_eachRule_isFound() {
    String gitlab = secrets.gitlabToken();
    assertThat(only("CI_TOKEN: " + gitlab + "\n", gitlab).rule().id()).isEqualTo("gitlab-token");
    String slack = secrets.slackToken();
    assertThat(only("slack: {token: '" + slack + "'}", slack).rule().id()).isEqualTo("slack-token");
    String stripe = secrets.stripeKey();
    assertThat(only("Stripe.apiKey = \"" + stripe + "\";", stripe).rule().id())
        .isEqualTo("stripe-key");
    String openai = secrets.openAiKey();
    assertThat(only("OPENAI_API_KEY=" + openai, openai).rule().id()).isEqualTo("openai-api-key");
    String anthropic = secrets.anthropicKey();
    assertThat(only("client = Anthropic(api_key=\"" + anthropic + "\")", anthropic).rule().id())
        .isEqualTo("anthropic-api-key");
  }

  @Test
  void providerTokens_placeholdersAndWordsThatShareAPrefix_areIgnored() {
    assertThat(rules("SLACK_BOT_TOKEN=xoxb-your-bot-token-here")).isEmpty();
    assertThat(rules("xoxb-0000000000-0000000000-xxxxxxxxxxxxxxxxxxxxxxxx")).isEmpty();
    assertThat(rules("STRIPE_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx")).isEmpty();
    assertThat(rules("GITLAB_TOKEN=glpat-ABCDEFGHIJKLMNOPQRST")).isEmpty();
    assertThat(rules("tasks: [mask-image, disk-usage, risk-assessment-2024-report]")).isEmpty();
    assertThat(rules("OPENAI_API_KEY=sk-...")).isEmpty();
  }

  @Test
  void slackWebhook_isFound_documentationPlaceholderIsNot() {
    String url = secrets.slackWebhook();
    String path = url.substring(url.indexOf("/services/") + "/services/".length());
    Finding f = only("webhook_url: " + url + "\n", path);
    assertThat(f.rule().id()).isEqualTo("slack-webhook");
    assertThat(f.excerpt()).isEqualTo("hooks.slack.com/services/****");
    assertThat(
            rules("https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"))
        .isEmpty();
  }

  @Test
  void jwt_isFound_unsignedOrNotJson_isNot() {
    String jwt = secrets.jwt();
    Finding f = only("Authorization: Bearer " + jwt + "\r\n", jwt);
    assertThat(f.rule().id()).isEqualTo("jwt");
    assertThat(f.excerpt()).isEqualTo("eyJ****");
    // {"alg":"none"} with an empty signature, and base64 of JSON that is no token.
    assertThat(rules("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.")).isEmpty();
    assertThat(rules("data:application/json;base64,eyJ2ZXJzaW9uIjozLCJzb3VyY2VzIjpbXX0="))
        .isEmpty();
  }

  @Test
  void publicExamples_ofJwtIoAndStripesDocumentation_areIgnored() {
    assertThat(
            rules(
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4g"
                    + "RG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"))
        .isEmpty();
    assertThat(rules("Stripe.apiKey = \"sk_test_4eC39HqLyjWDarjtT1zdp7dc\";")).isEmpty();
    assertThat(rules("stripe.api_key = 'sk_test_BQokikJOvBiI2HlWgH4olfQ2'")).isEmpty();
  }

  @Test
  void privateKey_pemBlock_isFound_asItsBody() {
    String pem = secrets.pemPrivateKey("RSA");
    List<Finding> found = scanner.scan("key.pem:\n" + pem);
    assertThat(found).extracting(f -> f.rule().id()).containsExactly("private-key");
    assertThat(found.get(0).line()).isEqualTo(3);
    assertThat(found.get(0).excerpt()).isEqualTo("BEGIN RSA PRIVATE KEY ****");
    String escaped = "{\"key\": \"" + secrets.pemPrivateKey("EC").replace("\n", "\\n") + "\"}";
    assertThat(rules(escaped)).containsExactly("private-key");
  }

  @Test
  void privateKey_publicKeysCertificatesAndElisions_areIgnored() {
    String body =
        secrets.pemPrivateKey("PKCS8").lines().skip(1).limit(5).reduce("", String::concat);
    assertThat(rules("-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----"))
        .isEmpty();
    assertThat(rules("-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----"))
        .isEmpty();
    assertThat(rules("-----BEGIN PRIVATE KEY-----\nMIIEvQ...\n-----END PRIVATE KEY-----"))
        .isEmpty();
    assertThat(rules("-----BEGIN RSA PRIVATE KEY-----\n<your key here>\n-----END")).isEmpty();
  }

  @Test
  void gcpServiceAccount_isOneFinding_notAlsoAPrivateKey() {
    String json = secrets.gcpServiceAccount("billing-prod-381204", "deployer");
    List<Finding> found = scanner.scan(json);
    assertThat(found).extracting(f -> f.rule().id()).containsExactly("gcp-service-account");
    assertThat(found.get(0).line()).isEqualTo(5);
    String sorted =
        "{\"client_email\": \"a@b.iam.gserviceaccount.com\", "
            + json.substring(json.indexOf("\"private_key\""), json.indexOf(",\n  \"client_email"))
            + ", \"type\": \"service_account\"}";
    assertThat(rules(sorted)).containsExactly("gcp-service-account");
  }

  @Test
  void databaseUrl_passwordIsFound_templatesAndDefaultsAreNot() {
    String password = secrets.password();
    Finding f = only("DATABASE_URL=postgres://app:" + password + "@db:5432/app\n", password);
    assertThat(f.rule().id()).isEqualTo("database-url");
    assertThat(f.excerpt()).isEqualTo("postgres://app:****@");
    assertThat(rules("url: jdbc:sqlserver://db:1433;user=sa;password=" + password + ";"))
        .containsExactly("database-url");
    assertThat(rules("jdbc:oracle:thin:scott/" + password + "@db:1521/ORCL"))
        .containsExactly("database-url");
    assertThat(rules("mongodb+srv://admin:" + password + "@cluster0.example.net/"))
        .containsExactly("database-url");
    assertThat(rules("postgres://user:password@localhost/db")).isEmpty();
    assertThat(rules("postgres://postgres:postgres@localhost:5432/test")).isEmpty();
    assertThat(rules("postgres://app:${DB_PASSWORD}@db/app")).isEmpty();
    assertThat(rules("redis://:changeme@cache:6379/0")).isEmpty();
    assertThat(rules("amqp://guest:guest@rabbitmq:5672/")).isEmpty();
    assertThat(rules("https://user:" + password + "@example.org/")).isEmpty();
  }

  @Test
  void genericSecret_assignmentsInManySyntaxes_areFound() {
    String v = secrets.apiSecret();
    for (String line :
        List.of(
            "DB_PASSWORD=" + v,
            "password: \"" + v + "\"",
            "\"client_secret\": \"" + v + "\",",
            "api_key = '" + v + "'",
            "spring.datasource.password=" + v,
            "curl --token " + v + " https://api",
            "<password>" + v + "</password>",
            "builder.password(\"" + v + "\")",
            "GET /callback?access_token=" + v + "&state=1",
            "<add key=\"ApiKey\" value=\"" + v + "\" />",
            "  secretKey := \"" + v + "\"",
            "client.setApiKey('" + v + "');",
            "app.api.key=" + v,
            "-H 'Authorization: Bearer " + v + "'")) {
      assertThat(only(line, v).rule().id()).as(line).isEqualTo("generic-secret");
    }
  }

  @Test
  void genericSecret_placeholdersCodeAndOtherSettings_areIgnored() {
    for (String line :
        List.of(
            "password: changeme",
            "api_key: xxx",
            "API_KEY=xxxxxxxxxxxxxxxx",
            "password=${DB_PASSWORD}",
            "password: <password>",
            "token: your-api-token-here",
            "secret = \"{{ vault_secret }}\"",
            "password = request.getParameter(\"password\");",
            "password = userPassword;",
            "String token = config.token;",
            "token_url: https://oauth2.example.com/token",
            "password_hash: 5f4dcc3b5aa765d61d8327deb882cf99",
            "nextPageToken: CiAKGjBpNDd2Nmp2Zml2cXRwYjBpOXA",
            "tokenizer = \"bert-base-uncased\"",
            "max_tokens = 4096",
            "secret_arn = arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
            "DB_PASSWORD=${ref:aws:prod/db#password}",
            "password: ENC[AES256_GCM,data:Tr7qv4Lw==,iv:9Fj3,tag:Qe1w,type:str]",
            "password_file = /run/secrets/db_password",
            "if (password == \"Tr0ub4dor&3xyz\") {",
            "Enter your password: ",
            "token = tokenize(text)",
            "String createToken(Duration ttl, Duration maxTtl, boolean renewable) {",
            "assertThat(secret.getMethod(\"toString\").getAnnotations()).isEmpty();",
            "  const apiKey = process.env.API_KEY!;",
            "LATCHKEY_AWS_CONFIG_SECRET=prod/app-config",
            "token: gAAAAABmQ2V4cGxhaW5lZCBieSB0aGUgRmVybmV0IHNwZWMgYW5kIGZvdW5kIGhlcmU=",
            "//registry.example.com/:_authToken=MYTOKEN1",
            "<token>@projectversion@</token>",
            "<token>\\$BUILD_TIME\\$</token>",
            "api.token=%API_TOKEN%",
            "contains(\"\\nPOSTGRES_PASSWORD=\").doesNotEndWith(\"\\n\");",
            "layers(\"DB_PASSWORD=from-dotenv\\n\")",
            "\"dependencies\": {\"secret-stack-utils\": \"^3.27.11\"}")) {
      assertThat(rules(line)).as(line).isEmpty();
    }
  }

  @Test
  void overlaps_theMoreSpecificRuleStays() {
    String token = secrets.githubToken("ghs_");
    assertThat(rules("GITHUB_TOKEN=\"" + token + "\"")).containsExactly("github-token");
    String jwt = secrets.jwt();
    assertThat(rules("id_token: " + jwt)).containsExactly("jwt");
    String key = secrets.awsSecretAccessKey();
    assertThat(rules("aws_secret_access_key=" + key)).containsExactly("aws-secret-access-key");
  }

  @Test
  void fingerprint_dependsOnRuleAndValue_notOnPlace() {
    String token = secrets.githubToken("ghp_");
    Finding a = only("a=" + token, token);
    Finding b = only("\n\n   other: " + token + "\n", token);
    assertThat(a.fingerprint()).isEqualTo(b.fingerprint()).matches("[0-9a-f]{32}");
    String another = secrets.githubToken("ghp_");
    assertThat(only("a=" + another, another).fingerprint()).isNotEqualTo(a.fingerprint());
    // The same characters under another rule are another finding.
    String hex = "3c9a0f5e7b1d4a6c8e2f0b3d5a7c9e1f";
    String generic = only("api_key=" + hex, hex).fingerprint();
    String openai = only("OPENAI_API_KEY=sk-" + hex, "sk-" + hex).fingerprint();
    assertThat(generic).isNotEqualTo(openai);
  }

  @Test
  void withAllowed_dropsThatValueEverywhere() {
    String token = secrets.gitlabToken();
    String other = secrets.gitlabToken();
    String text = "a: " + token + "\nb: " + other + "\nc: " + token + "\n";
    String fingerprint = scanner.scan(text).get(0).fingerprint();
    List<Finding> left = scanner.withAllowed(List.of(fingerprint)).scan(text);
    assertThat(left).extracting(Finding::line).containsExactly(2L);
  }

  @Test
  void withAllowed_notAFingerprint_isRefusedWithoutRepeatingIt() {
    String pasted = secrets.awsSecretAccessKey();
    assertThatThrownBy(() -> scanner.withAllowed(List.of(pasted)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining(pasted.substring(0, 8));
  }

  @Test
  void withoutRules_dropsThoseRules_unknownIdIsRefused() {
    String text = "password: " + secrets.apiSecret() + "\nid: " + secrets.awsAccessKeyId();
    assertThat(scanner.withoutRules(List.of("generic-secret")).scan(text))
        .extracting(f -> f.rule().id())
        .containsExactly("aws-access-key-id");
    assertThatThrownBy(() -> scanner.withoutRules(List.of("no-such-rule")))
        .hasMessageContaining("the rules are aws-access-key-id, ")
        .hasMessageNotContaining("no-such-rule");
  }

  @Test
  void rules_areListedWithUniqueIds() {
    assertThat(SecretScanner.rules()).hasSize(15);
    assertThat(SecretScanner.rules().stream().map(Rule::id).distinct()).hasSize(15);
    assertThat(SecretScanner.rule("jwt").description()).contains("alg");
    assertThat(scanner).hasToString("SecretScanner[rules=15, allowed=0]");
  }

  @Test
  void nonAsciiAroundAValue_keepsColumnsInCharacters() {
    String token = secrets.githubToken("gho_");
    Finding f = only("é ünïcödé → " + token, token);
    assertThat(f.column()).isEqualTo(13);
  }
}
