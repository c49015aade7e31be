package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.SecretRef;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The provider's settings: from an environment map and from the builder. */
final class SettingsTest {

  private static ConfigException problems(Map<String, String> env) {
    return catchThrowableOfType(
        ConfigException.class, () -> AwsSecretProvider.fromEnvironment(env));
  }

  @Test
  void everyWrongSetting_isReportedAtOnce_withoutQuotingAnyValue() {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_REGION", "Not A Region");
    env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", "ftp://user:hunter2@host/");
    env.put("AWS_ACCESS_KEY_ID", "AKIAHALFOFAPAIR00000");
    env.put("LATCHKEY_AWS_TIMEOUT", "five seconds");
    env.put("LATCHKEY_AWS_CONFIG_SECRET", "aws:bad ref");

    ConfigException e = problems(env);

    assertThat(e.problems())
        .extracting(Problem::setting)
        .containsExactly(
            "AWS_REGION",
            "AWS_ENDPOINT_URL_SECRETS_MANAGER",
            "AWS_SECRET_ACCESS_KEY",
            "LATCHKEY_AWS_TIMEOUT",
            "LATCHKEY_AWS_CONFIG_SECRET");
    assertThat(e.getMessage())
        .doesNotContain("Not A Region")
        .doesNotContain("hunter2")
        .doesNotContain("AKIAHALFOFAPAIR")
        .doesNotContain("five seconds")
        .doesNotContain("bad ref");
    assertThat(reason(e, "AWS_SECRET_ACCESS_KEY"))
        .isEqualTo("is not set, but AWS_ACCESS_KEY_ID is; set both");
    assertThat(reason(e, "LATCHKEY_AWS_CONFIG_SECRET"))
        .isEqualTo(
            "is not valid: configSecret is not a valid reference: at position 7: unexpected white"
                + " space or control character; escape it as %XX");
    assertThat(reason(e, "LATCHKEY_AWS_TIMEOUT")).startsWith("is not a duration");
    assertThat(reason(e, "AWS_ENDPOINT_URL_SECRETS_MANAGER")).contains("http or https");
  }

  private static String reason(ConfigException e, String setting) {
    return e.problems().stream()
        .filter(p -> p.setting().equals(setting))
        .map(Problem::reason)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void noRegionAndNoEndpoint_isAProblemNamingAwsRegion() {
    ConfigException e = problems(Map.of());

    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0).setting()).isEqualTo("AWS_REGION");
    assertThat(e.problems().get(0).reason()).contains("AWS_DEFAULT_REGION");
  }

  @Test
  void halfAPairOfKeys_orATokenAlone_areProblems() {
    assertThat(problems(Map.of("AWS_REGION", "eu-west-1", "AWS_SECRET_ACCESS_KEY", "k")).problems())
        .containsExactly(
            new Problem("AWS_ACCESS_KEY_ID", "is not set, but AWS_SECRET_ACCESS_KEY is; set both"));
    assertThat(problems(Map.of("AWS_REGION", "eu-west-1", "AWS_SESSION_TOKEN", "t")).problems())
        .extracting(Problem::setting)
        .containsExactly("AWS_SESSION_TOKEN");
  }

  @Test
  void endpoints_mustBeHttpOrHttpsWithAHost() {
    for (String bad :
        new String[] {
          "not a uri", "127.0.0.1:4566", "file:secrets.json", "http:///path", "http://h/?q=1"
        }) {
      ConfigException e = problems(Map.of("AWS_ENDPOINT_URL", bad));
      assertThat(e.problems()).extracting(Problem::setting).containsExactly("AWS_ENDPOINT_URL");
    }
  }

  private static Duration timeoutOf(String text) {
    try (AwsSecretProvider p =
        AwsSecretProvider.fromEnvironment(
            Map.of("AWS_REGION", "us-east-1", "LATCHKEY_AWS_TIMEOUT", text))) {
      return p.timeout();
    }
  }

  @Test
  void timeouts_takeTheConfigurationDurationSyntax_daysIncluded() {
    assertThat(timeoutOf("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(timeoutOf("1500ms")).isEqualTo(Duration.ofMillis(1500));
    assertThat(timeoutOf("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(timeoutOf("PT2S")).isEqualTo(Duration.ofSeconds(2));
    assertThat(timeoutOf("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(timeoutOf(" 2S ")).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void timeouts_refused_sayWhyWithoutQuoting() {
    assertThat(problems(Map.of("AWS_REGION", "us-east-1", "LATCHKEY_AWS_TIMEOUT", "0s")).problems())
        .containsExactly(
            new Problem("LATCHKEY_AWS_TIMEOUT", "is not valid: timeout must be positive"));
    assertThat(problems(Map.of("AWS_REGION", "us-east-1", "LATCHKEY_AWS_TIMEOUT", "5")).problems())
        .extracting(Problem::reason)
        .singleElement()
        .asString()
        .startsWith("has no unit")
        .doesNotContain("'5'");
    assertThat(problems(Map.of("AWS_REGION", "us-east-1", "LATCHKEY_AWS_TIMEOUT", "5w")).problems())
        .extracting(Problem::reason)
        .singleElement()
        .asString()
        .startsWith("has an unknown unit (use ms, s, m, h or d)")
        .doesNotContain("5w");
  }

  @Test
  void regionFallsBackToAwsDefaultRegion_andEndpointToAwsEndpointUrl() {
    try (AwsSecretProvider p =
        AwsSecretProvider.fromEnvironment(
            Map.of(
                "AWS_DEFAULT_REGION", "eu-central-1", "AWS_ENDPOINT_URL", "https://sm.example"))) {
      assertThat(p.description())
          .isEqualTo("AWS Secrets Manager (region eu-central-1, endpoint https://sm.example)");
    }
    try (AwsSecretProvider p =
        AwsSecretProvider.fromEnvironment(
            Map.of(
                "AWS_REGION", "eu-west-1",
                "AWS_DEFAULT_REGION", "eu-central-1",
                "AWS_ENDPOINT_URL", "https://general.example",
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", "https://sm.example:8443"))) {
      assertThat(p.description())
          .isEqualTo("AWS Secrets Manager (region eu-west-1, endpoint https://sm.example:8443)");
    }
  }

  @Test
  void anEndpointWithoutARegion_signsForUsEast1() {
    try (AwsSecretProvider p =
        AwsSecretProvider.fromEnvironment(Map.of("AWS_ENDPOINT_URL", "http://localhost:4566"))) {
      assertThat(p.description())
          .isEqualTo("AWS Secrets Manager (region us-east-1, endpoint http://localhost:4566)");
    }
  }

  @Test
  void blankValues_countAsUnset() {
    try (AwsSecretProvider p =
        AwsSecretProvider.fromEnvironment(
            Map.of(
                "AWS_REGION", " ",
                "AWS_DEFAULT_REGION", "ap-south-1",
                "AWS_ACCESS_KEY_ID", "",
                "AWS_SECRET_ACCESS_KEY", " ",
                "LATCHKEY_AWS_TIMEOUT", "",
                "LATCHKEY_AWS_CONFIG_SECRET", " "))) {
      assertThat(p.description()).isEqualTo("AWS Secrets Manager (region ap-south-1)");
      assertThat(p.names()).isEmpty();
    }
  }

  @Test
  void description_andToString_neverNameACredential() {
    try (FakeSecretsManager fake = FakeSecretsManager.start();
        AwsSecretProvider p = AwsSecretProvider.fromEnvironment(fake.temporaryEnvironment())) {
      String text = p.description() + p.toString();
      assertThat(text)
          .contains(fake.endpoint().toString())
          .doesNotContain(fake.temporaryEnvironment().get("AWS_ACCESS_KEY_ID"))
          .doesNotContain(fake.temporaryEnvironment().get("AWS_SECRET_ACCESS_KEY"))
          .doesNotContain(fake.temporaryEnvironment().get("AWS_SESSION_TOKEN"));
    }
  }

  @Test
  void configSecret_isANameOrArn_orAnAwsReference() {
    assertThat(AwsSettings.configSecretRef("prod/app-config"))
        .isEqualTo(SecretRef.of("aws", "prod/app-config"));
    String arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app-AbCdEf";
    assertThat(AwsSettings.configSecretRef(arn)).isEqualTo(SecretRef.of("aws", arn));
    assertThat(AwsSettings.configSecretRef("aws:prod/app-config@AWSPREVIOUS"))
        .isEqualTo(SecretRef.of("aws", "prod/app-config").withVersion("AWSPREVIOUS"));
  }

  @Test
  void builder_checksEachSettingAtOnce() {
    AwsSecretProvider.Builder b = AwsSecretProvider.builder();
    assertThatThrownBy(() -> b.region("EU West")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.endpoint(URI.create("ftp://h")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("endpoint must be an http or https URI");
    assertThatThrownBy(() -> b.endpoint(URI.create("https://u:p@h")))
        .hasMessage("endpoint must not contain user info (credentials)");
    assertThatThrownBy(() -> b.timeout(Duration.ZERO)).hasMessage("timeout must be positive");
    assertThatThrownBy(() -> b.configSecret(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.configSecret("aws:a@b@c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("configSecret is not a valid reference");
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("set a region, an endpoint or a client");
  }

  @Test
  void builder_suppliedClient_excludesRegionEndpointAndCredentials() {
    try (SecretsManagerClient client =
        SecretsManagerClient.builder()
            .region(Region.EU_WEST_1)
            .credentialsProvider(AnonymousCredentialsProvider.create())
            .build()) {
      assertThatThrownBy(
              () -> AwsSecretProvider.builder().client(client).region("eu-west-1").build())
          .isInstanceOf(IllegalStateException.class);
      try (AwsSecretProvider p = AwsSecretProvider.builder().client(client).build()) {
        assertThat(p.description())
            .isEqualTo("AWS Secrets Manager (a supplied client, region eu-west-1)");
      }
    }
  }

  @Test
  void builder_defaults() {
    try (AwsSecretProvider p = AwsSecretProvider.builder().region("us-west-2").build()) {
      assertThat(p.name()).isEqualTo("aws");
      assertThat(p.description()).isEqualTo("AWS Secrets Manager (region us-west-2)");
      assertThat(p.toString())
          .isEqualTo("AwsSecretProvider[AWS Secrets Manager (region us-west-2)]");
    }
    assertThat(AwsSecretProvider.DEFAULT_TIMEOUT).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void docsPage_listsEverySetting_andNoOther() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("../docs/providers/aws.md"));
    int header = lines.indexOf("| variable | builder | default | meaning |");
    assertThat(header).as("the page's settings table").isNotNegative();
    Set<String> documented = new TreeSet<>();
    Pattern variable = Pattern.compile("`([A-Z][A-Z0-9_]*)`");
    for (int i = header + 2; lines.get(i).startsWith("|"); i++) {
      Matcher m = variable.matcher(lines.get(i).split("\\|")[1]);
      while (m.find()) {
        documented.add(m.group(1));
      }
    }
    Set<String> declared = new TreeSet<>();
    AwsSettings.SCHEMA.settings().forEach(setting -> declared.add(setting.name()));
    assertThat(documented).isEqualTo(declared);
  }
}
