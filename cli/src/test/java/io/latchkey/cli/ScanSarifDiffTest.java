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
 * A value pasted where the {@code --diff} range belongs is never shown: a range that holds what the
 * scanner takes for a secret is refused before git runs (git would quote it back), and a git
 * failure is noted in the SARIF log without git's own words, which quote the range; the log is
 * uploaded to code scanning ({@code if: always()}), and its notifications name a path and a reason,
 * never a value (cli.md, scanning.md).
 */
final class ScanSarifDiffTest {
  @TempDir Path dir;

  @Test
  void aTokenGivenToDiff_isRefusedWithoutBeingShown() throws Exception {
    String token = new SyntheticSecrets(new SplittableRandom(17)).githubToken("ghp_");
    GitRepo repo = repo();

    Cli.Result r = sarifOfDiff(repo, token + "..HEAD");

    assertThat(r.exitCode()).as("stderr: %s", r.stderr()).isEqualTo(2);
    assertThat(r.stderr()).contains("--diff: the range given holds what looks like a secret");
    assertThat(r.stdout() + r.stderr()).doesNotContain(token);
  }

  @Test
  void sarif_gitFailureNotification_doesNotQuoteGitsMessage() throws Exception {
    GitRepo repo = repo();

    Cli.Result r = sarifOfDiff(repo, "no-such-branch..HEAD");

    assertThat(r.exitCode()).as("stderr: %s", r.stderr()).isEqualTo(2);
    JsonNode invocations =
        new ObjectMapper().readTree(r.stdoutBytes()).path("runs").get(0).path("invocations");
    assertThat(invocations.toString())
        .contains("\"executionSuccessful\":false")
        .contains("git failed: the repository or the range given could not be read")
        .doesNotContain("no-such-branch");
  }

  private GitRepo repo() throws Exception {
    assumeThat(DoctorCommandTest.gitAvailable()).as("a git binary on the PATH").isTrue();
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    repo.write("readme.txt", "hello\n").add("readme.txt").commit("first");
    return repo;
  }

  private static Cli.Result sarifOfDiff(GitRepo repo, String range) throws Exception {
    return Cli.run(
        GitRepo.env(), "", "scan", "--format", "sarif", "-C", repo.dir.toString(), "--diff", range);
  }
}
