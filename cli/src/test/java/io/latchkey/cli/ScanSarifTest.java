package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.scan.Rule;
import io.latchkey.scan.SecretScanner;
import io.latchkey.testsupport.SyntheticSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --format sarif}: a SARIF 2.1.0 log with the properties code-scanning tools require. */
final class ScanSarifTest {
  @TempDir Path dir;

  private final SyntheticSecrets secrets = new SyntheticSecrets(new SplittableRandom(29));

  @Test
  void sarif_parsesAndHoldsEveryRequiredProperty() throws Exception {
    assumeThat(DoctorCommandTest.gitAvailable()).as("a git binary on the PATH").isTrue();
    Files.createDirectories(dir.resolve("deploy dir"));
    Files.writeString(
        dir.resolve("deploy dir/main.tf"),
        "provider \"aws\" {\n  access_key = \"" + secrets.awsAccessKeyId() + "\"\n}\n",
        UTF_8);
    Files.writeString(dir.resolve(".env"), "X=1\n", UTF_8);

    Cli.Result r = Cli.run(GitRepo.env(), "", "scan", "--format", "sarif", "-C", dir.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    JsonNode log = new ObjectMapper().readTree(r.stdoutBytes());
    assertThat(log.path("version").asText()).isEqualTo("2.1.0");
    assertThat(log.path("$schema").asText()).isEqualTo(SarifReport.SCHEMA);
    assertThat(log.path("runs")).hasSize(1);
    JsonNode run = log.path("runs").get(0);
    JsonNode driver = run.path("tool").path("driver");
    assertThat(driver.path("name").asText()).isEqualTo("latchkey");
    List<String> ruleIds = new ArrayList<>();
    driver
        .path("rules")
        .forEach(
            rule -> {
              ruleIds.add(rule.path("id").asText());
              assertThat(rule.path("shortDescription").path("text").asText()).isNotBlank();
            });
    List<String> expectedIds =
        new ArrayList<>(SecretScanner.rules().stream().map(Rule::id).toList());
    expectedIds.add("env-file");
    assertThat(ruleIds).isEqualTo(expectedIds);
    assertThat(run.path("originalUriBaseIds").path("%SRCROOT%").path("uri").asText())
        .startsWith("file:")
        .endsWith("/");

    JsonNode results = run.path("results");
    assertThat(results).hasSize(2);
    for (JsonNode result : results) {
      String ruleId = result.path("ruleId").asText();
      assertThat(ruleIds.get(result.path("ruleIndex").asInt())).isEqualTo(ruleId);
      assertThat(result.path("level").asText()).isEqualTo("error");
      assertThat(result.path("message").path("text").asText()).isNotBlank();
      JsonNode location = result.path("locations").get(0).path("physicalLocation");
      assertThat(location.path("artifactLocation").path("uriBaseId").asText())
          .isEqualTo("%SRCROOT%");
      assertThat(location.path("region").path("startLine").asInt()).isPositive();
      assertThat(location.path("region").path("startColumn").asInt()).isPositive();
      assertThat(result.path("partialFingerprints").path(SarifReport.FINGERPRINT_KEY).asText())
          .matches("[0-9a-f]{32}");
    }
    assertThat(results.findValuesAsText("uri")).contains("deploy%20dir/main.tf", ".env");
    assertThat(results.findValuesAsText("ruleId"))
        .containsExactlyInAnyOrder("aws-access-key-id", "env-file");
  }

  @Test
  void sarif_nothingFound_isAnEmptyRun() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "nothing\n", UTF_8);
    Cli.Result r =
        Cli.run(GitRepo.env(), "", "scan", "--format", "sarif", dir.resolve("a.txt").toString());
    assertThat(r.exitCode()).isZero();
    JsonNode log = new ObjectMapper().readTree(r.stdoutBytes());
    assertThat(log.path("runs").get(0).path("results")).isEmpty();
  }
}
