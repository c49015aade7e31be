package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.testsupport.SyntheticSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code latchkey scan}'s summary, exit status and SARIF say what was not looked at. */
final class ScanTruthTest {
  @TempDir Path dir;

  private String token;

  @BeforeEach
  void values() {
    assumeThat(DoctorCommandTest.gitAvailable()).as("a git binary on the PATH").isTrue();
    token = new SyntheticSecrets(new SplittableRandom(61)).githubToken("ghp_");
  }

  /**
   * Inside a git work tree, a file whose name is not UTF-8 (a Latin-1 "caf\xe9.txt", as older tools
   * write) holding a token: git lists the name's bytes, and the scan opens the file by those bytes
   * (not by the name decoded with a replacement character, which names no file), so the token is
   * found there as it is outside a work tree.
   */
  @Test
  void gitWorkTree_fileWithANonUtf8Name_isNotPassedOverSilently() throws Exception {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    repo.write("readme.txt", "hello\n");
    Files.writeString(dir.resolve("content"), "token: " + token + "\n", UTF_8);
    // Java cannot name such a file on a UTF-8 system; the shell can.
    Process p =
        new ProcessBuilder("sh", "-c", "cp ../content \"$(printf 'caf\\351.txt')\"")
            .directory(repo.dir.toFile())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    try (var files = Files.list(repo.dir)) {
      assertThat(files.count()).as("files in the work tree").isEqualTo(3); // .git, readme, café
    }

    Cli.Result outside = Cli.run(GitRepo.env(), "", "scan", "-C", dir.toString(), "content");
    assertThat(outside.exitCode()).as("the content alone: %s", outside.stderr()).isEqualTo(1);

    Cli.Result r = Cli.run(GitRepo.env(), "", "scan", "-C", repo.dir.toString());
    assertThat(r.stderr())
        .as("a scan of a work tree with a file holding a token")
        .doesNotContain("nothing found in 1 file\n");
    assertThat(r.exitCode()).as("stderr: %s", r.stderr()).isNotZero();
    assertThat(r.exitCode()).as("a token found; stderr: %s", r.stderr()).isEqualTo(1);
    assertThat(r.stderr()).contains("1 problem in 2 files").doesNotContain("unreadable");
    assertThat(r.stdout()).contains("caf").contains("github-token").doesNotContain(token);
  }

  /**
   * A PATH that cannot be read: the text summary says "1 unreadable" and the exit status is 2, and
   * the SARIF log (what CI uploads to code scanning) says so too: its invocation has
   * executionSuccessful false and an error notification naming the path, so a code-scanning tool
   * does not take the run for a clean scan. The PATH is written {@code ./missing.txt}: a bare name
   * typed where a PATH belongs is never quoted (it may be a secret pasted in the wrong place).
   */
  @Test
  void sarif_whenAPathCouldNotBeRead_saysTheRunWasNotComplete() throws Exception {
    Files.writeString(dir.resolve("ok.txt"), "hello\n", UTF_8);

    Cli.Result r =
        Cli.run(
            GitRepo.env(),
            "",
            "scan",
            "--format",
            "sarif",
            "-C",
            dir.toString(),
            "ok.txt",
            "./missing.txt");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("1 unreadable");
    JsonNode run = new ObjectMapper().readTree(r.stdoutBytes()).path("runs").get(0);
    assertThat(run.path("results")).isEmpty();
    JsonNode invocations = run.path("invocations");
    assertThat(invocations.isArray() && invocations.size() > 0)
        .as("runs[0].invocations in the SARIF log")
        .isTrue();
    assertThat(invocations.get(0).path("executionSuccessful").asBoolean(true)).isFalse();
    assertThat(invocations.get(0).path("toolExecutionNotifications").toString())
        .contains("missing.txt");
    JsonNode notification = invocations.get(0).path("toolExecutionNotifications").get(0);
    assertThat(notification.path("level").asText()).isEqualTo("error");
    assertThat(notification.path("message").path("text").asText())
        .isEqualTo("./missing.txt: no such file or directory");
    assertThat(
            notification
                .path("locations")
                .get(0)
                .path("physicalLocation")
                .path("artifactLocation")
                .path("uri")
                .asText())
        .isEqualTo("missing.txt");
  }

  /** A secret typed where a PATH belongs is not quoted in the SARIF log either, nor located. */
  @Test
  void sarif_aPathThatMayBeASecret_isNotQuoted() throws Exception {
    Cli.Result r =
        Cli.run(GitRepo.env(), "", "scan", "--format", "sarif", "-C", dir.toString(), token);

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stdout()).doesNotContain(token);
    assertThat(r.stderr()).doesNotContain(token);
    JsonNode invocation =
        new ObjectMapper().readTree(r.stdoutBytes()).path("runs").get(0).path("invocations").get(0);
    assertThat(invocation.path("executionSuccessful").asBoolean(true)).isFalse();
    JsonNode notification = invocation.path("toolExecutionNotifications").get(0);
    assertThat(notification.path("message").path("text").asText())
        .startsWith("PATH (value not shown");
    assertThat(notification.has("locations")).isFalse();
  }

  /**
   * A file over --max-file-size is skipped with a notice on standard error and exit 0; the SARIF
   * log names it too, with a warning notification, so a code-scanning tool does not read "this file
   * was scanned and is clean". Skipping by design does not make the run unsuccessful.
   */
  @Test
  void sarif_aFileSkippedForItsSize_isNamedInTheLog() throws Exception {
    Files.writeString(dir.resolve("big.txt"), "x".repeat(2000) + "\ntoken: " + token + "\n", UTF_8);

    Cli.Result r =
        Cli.run(
            GitRepo.env(),
            "",
            "scan",
            "--format",
            "sarif",
            "--max-file-size",
            "1000",
            "-C",
            dir.toString(),
            "big.txt");

    assertThat(r.stderr()).contains("1 too large skipped");
    String log = new String(r.stdoutBytes(), UTF_8);
    JsonNode run = new ObjectMapper().readTree(log).path("runs").get(0);
    assertThat(run.path("results")).isEmpty();
    assertThat(List.of(run.path("invocations").toString()))
        .as("the SARIF log's invocations")
        .singleElement()
        .asString()
        .contains("big.txt");
    JsonNode invocation = run.path("invocations").get(0);
    assertThat(invocation.path("executionSuccessful").asBoolean(false)).isTrue();
    JsonNode notification = invocation.path("toolExecutionNotifications").get(0);
    assertThat(notification.path("level").asText()).isEqualTo("warning");
    assertThat(notification.path("message").path("text").asText())
        .startsWith("big.txt: skipped, ")
        .contains("larger than --max-file-size 1000");
    assertThat(log).doesNotContain(token);
  }

  /** A binary file is counted in the summary and named in the SARIF log, with a warning. */
  @Test
  void sarif_aBinaryFile_isNamedInTheLog() throws Exception {
    Files.write(dir.resolve("blob.bin"), new byte[] {'a', 0, 'b', '\n'});

    Cli.Result r =
        Cli.run(GitRepo.env(), "", "scan", "--format", "sarif", "-C", dir.toString(), "blob.bin");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr()).contains("1 binary skipped");
    JsonNode invocation =
        new ObjectMapper().readTree(r.stdoutBytes()).path("runs").get(0).path("invocations").get(0);
    assertThat(invocation.path("executionSuccessful").asBoolean(false)).isTrue();
    JsonNode notification = invocation.path("toolExecutionNotifications").get(0);
    assertThat(notification.path("level").asText()).isEqualTo("warning");
    assertThat(notification.path("message").path("text").asText())
        .isEqualTo("blob.bin: skipped, binary");
  }
}
