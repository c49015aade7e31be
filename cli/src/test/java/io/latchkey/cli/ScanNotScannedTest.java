package io.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.SyntheticSecrets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code latchkey scan} does not read is named on standard error and counted, never lost. */
final class ScanNotScannedTest {
  @TempDir Path dir;

  private String token;

  @BeforeEach
  void values() {
    assumeThat(DoctorCommandTest.gitAvailable()).as("a git binary on the PATH").isTrue();
    token = new SyntheticSecrets(new SplittableRandom(61)).githubToken("ghp_");
  }

  private Cli.Result scan(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "scan";
    System.arraycopy(args, 0, all, 1, args.length);
    Cli.Result r = Cli.run(GitRepo.env(), "", all);
    Leaks.assertNoLeak("scan's output", r.stdout(), token);
    Leaks.assertNoLeak("scan's errors", r.stderr(), token);
    return r;
  }

  @Test
  void staged_fileLargerThanTheLimit_isNamedAndCountedTooLargeNotBinary() throws Exception {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    repo.write("big.txt", "x".repeat(2000) + "\ntoken: " + token + "\n").add("big.txt");

    Cli.Result r = scan("--staged", "--max-file-size", "1000", "-C", repo.dir.toString());

    assertThat(r.stderr())
        .contains("big.txt: not scanned, ")
        .contains("larger than --max-file-size 1000")
        .contains("1 too large skipped")
        .doesNotContain("binary");
  }

  @Test
  void staged_binaryFile_isStillCountedBinary() throws Exception {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    repo.write("blob.bin", "a\u0000b\n").add("blob.bin");

    Cli.Result r = scan("--staged", "-C", repo.dir.toString());

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr()).contains("1 binary skipped").doesNotContain("not scanned");
  }

  @Test
  void directory_nestedRepositoryAndEmbeddedRepository_areNamedAndCounted() throws Exception {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    repo.write("README.md", "top\n").add("README.md").commit("top");
    GitRepo nested = GitRepo.init(repo.dir.resolve("vendor/lib"));
    nested.write("config.yml", "token: " + token + "\n");
    GitRepo embedded = GitRepo.init(repo.dir.resolve("embedded"));
    embedded.write("a.txt", "a\n").add("a.txt").commit("a");
    repo.git("add", "embedded");

    Cli.Result r = scan("-C", repo.dir.toString());

    assertThat(r.stderr())
        .contains("vendor/lib: not scanned, a submodule or nested git repository")
        .contains("embedded: not scanned, a submodule or nested git repository")
        .contains("2 not scanned");
  }
}
