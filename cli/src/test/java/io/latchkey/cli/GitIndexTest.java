package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The doctor's "tracked by git" check reads the index itself: it must agree with git on every index
 * format git writes, and run nothing that the inspected repository configures.
 */
final class GitIndexTest {
  @TempDir Path dir;

  private Path repo;
  private Path marker;

  @BeforeEach
  void repository() throws Exception {
    assumeThat(DoctorCommandTest.gitAvailable()).as("a git binary on the PATH").isTrue();
    repo = Files.createDirectory(dir.resolve("repo"));
    marker = dir.resolve("ran");
  }

  @Test
  void doctor_repositoryConfiguresProgramsAndHooks_noneRunsAndWarningStillGiven() throws Exception {
    git(repo, "init", "-q");
    Path envFile = repo.resolve(".env");
    Files.writeString(envFile, "X=1\n");
    Files.setPosixFilePermissions(envFile, PosixFilePermissions.fromString("rw-------"));
    git(repo, "add", ".env");
    // Planted after git's own use above: every program the repository could name.
    Path program = script("program");
    Path hooks = Files.createDirectories(repo.resolve(".git/hooks"));
    for (String hook : List.of("fsmonitor-watchman", "post-index-change", "pre-commit")) {
      Files.copy(program, hooks.resolve(hook));
    }
    Files.writeString(
        repo.resolve(".git/config"),
        String.join(
            "\n",
            "[core]",
            "  fsmonitor = " + program,
            "  hooksPath = " + hooks,
            "  sshCommand = " + program,
            "  pager = " + program,
            "  editor = " + program,
            "  askPass = " + program,
            "[include]",
            "  path = " + repo.resolve("included.config"),
            "[diff]",
            "  external = " + program,
            "[filter \"x\"]",
            "  process = " + program,
            "  clean = " + program,
            "  smudge = " + program,
            "[credential]",
            "  helper = !" + program,
            "[gpg]",
            "  program = " + program,
            ""),
        UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(repo.resolve(".gitattributes"), "* filter=x diff=x\n");
    Files.writeString(repo.resolve("included.config"), "[core]\n  fsmonitor = " + program + "\n");

    Cli.Result r =
        Cli.run(
            Map.of(),
            "",
            "doctor",
            "--schema",
            DoctorCommandTest.schemaPath().toString(),
            "--env-file",
            envFile.toString());

    assertThat(marker).as("a program the repository configures ran").doesNotExist();
    assertThat(r.stderr()).contains("is tracked by git");
  }

  @Test
  void isTracked_everyIndexFormat_agreesWithGit() throws Exception {
    git(repo, "init", "-q");
    Files.createDirectories(repo.resolve("config/deep"));
    for (String name : List.of(".env", "config/a.env", "config/deep/b.env", "untracked.env")) {
      Files.writeString(repo.resolve(name), "X=1\n");
    }
    git(repo, "add", ".env", "config/a.env");
    git(repo, "add", "-N", "config/deep/b.env"); // intent to add: an extended flag, version 3

    for (String version : List.of("2", "3", "4")) {
      git(repo, "update-index", "--index-version", version);
      assertTracked(repo, version);
    }
    git(repo, "update-index", "--split-index");
    git(repo, "add", "untracked.env");
    assertThat(GitIndex.isTracked(repo, Path.of("untracked.env"))).contains(true);
    assertThat(GitIndex.isTracked(repo, Path.of("config/a.env"))).as("split").contains(true);
  }

  @Test
  void isTracked_sha256Repository_readsLongerObjectNames() throws Exception {
    try {
      git(repo, "init", "-q", "--object-format=sha256");
    } catch (AssertionError e) {
      assumeThat(false).as("git supports SHA-256 repositories").isTrue();
    }
    Files.createDirectories(repo.resolve("config/deep"));
    for (String name : List.of(".env", "config/a.env", "config/deep/b.env", "untracked.env")) {
      Files.writeString(repo.resolve(name), "X=1\n");
    }
    git(repo, "add", ".env", "config/a.env", "config/deep/b.env");
    for (String version : List.of("2", "4")) {
      git(repo, "update-index", "--index-version", version);
      assertTracked(repo, version);
    }
  }

  @Test
  void isTracked_linkedWorkTree_readsItsOwnIndex() throws Exception {
    git(repo, "init", "-q");
    Files.writeString(repo.resolve(".env"), "X=1\n");
    git(repo, "add", ".env");
    git(repo, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "x");
    Path linked = dir.resolve("linked");
    git(repo, "worktree", "add", "-q", linked.toString());

    assertThat(GitIndex.isTracked(linked, Path.of(".env"))).contains(true);
    assertThat(GitIndex.isTracked(linked, Path.of("other.env"))).contains(false);
  }

  @Test
  void isTracked_noIndexYet_false() throws Exception {
    git(repo, "init", "-q");

    assertThat(GitIndex.isTracked(repo, Path.of(".env"))).contains(false);
  }

  @Test
  void isTracked_garbageIndex_unknown() throws Exception {
    git(repo, "init", "-q");
    Files.write(repo.resolve(".git/index"), "DIRC\0\0\0\2\0\0\0\7garbage".getBytes(UTF_8));

    assertThat(GitIndex.isTracked(repo, Path.of(".env"))).isEqualTo(Optional.empty());
  }

  private void assertTracked(Path repo, String version) {
    assertThat(GitIndex.isTracked(repo, Path.of(".env"))).as("v" + version).contains(true);
    assertThat(GitIndex.isTracked(repo, Path.of("config/a.env"))).as("v" + version).contains(true);
    assertThat(GitIndex.isTracked(repo, Path.of("config/deep/b.env")))
        .as("v" + version)
        .contains(true);
    assertThat(GitIndex.isTracked(repo, Path.of("untracked.env")))
        .as("v" + version)
        .contains(false);
    assertThat(GitIndex.isTracked(repo, Path.of("config"))).as("v" + version).contains(false);
  }

  /** A program that leaves a marker file if anything runs it. */
  private Path script(String name) throws IOException {
    Path script = dir.resolve(name);
    Files.writeString(script, "#!/bin/sh\ntouch '" + marker + "'\ncat >/dev/null\nexit 0\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private static void git(Path repo, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    // The test's own git must not read the user's configuration either.
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("git %s: %s", List.of(args), output).isZero();
  }
}
