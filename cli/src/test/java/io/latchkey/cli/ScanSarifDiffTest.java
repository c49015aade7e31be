package io.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.testsupport.SyntheticSecrets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SARIF log's tool notifications are documented as naming a path and a reason, "never a value"
 * (cli.md, scanning.md), and a value typed where a PATH belongs is not quoted (it may be a pasted
 * secret). A git failure is noted in the log without git's own words, which quote the --diff
 * argument back: the range pattern accepts a GitHub token, and a token pasted into --diff must not
 * reach the log that CI uploads to code scanning ({@code if: always()}).
 */
final class ScanSarifDiffTest {
  @TempDir Path dir;

  @Test
  void sarif_gitFailureNotification_doesNotQuoteAPastedSecretGivenToDiff() throws Exception {
    assumeThat(DoctorCommandTest.gitAvailable()).as("a git binary on the PATH").isTrue();
    String token = new SyntheticSecrets(new SplittableRandom(17)).githubToken("ghp_");
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    repo.write("readme.txt", "hello\n").add("readme.txt").commit("first");

    Cli.Result r =
        Cli.run(
            GitRepo.env(),
            "",
            "scan",
            "--format",
            "sarif",
            "-C",
            repo.dir.toString(),
            "--diff",
            token + "..HEAD");

    assertThat(r.exitCode()).as("stderr: %s", r.stderr()).isEqualTo(2);
    JsonNode invocations =
        new ObjectMapper().readTree(r.stdoutBytes()).path("runs").get(0).path("invocations");
    assertThat(invocations.toString())
        .as("the SARIF log's invocation (uploaded to code scanning) after git refused the range")
        .doesNotContain(token);
    assertThat(r.stdout()).as("the whole SARIF log").doesNotContain(token);
  }
}
