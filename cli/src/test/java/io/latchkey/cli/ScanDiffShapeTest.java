package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_16LE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.SyntheticSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scan --staged} and {@code --diff} against the diffs git really prints: whatever the
 * repository's configuration, the file's type or encoding, or its name, every line a change adds is
 * scanned and named by its file, or the file is reported as not scanned.
 */
final class ScanDiffShapeTest {
  @TempDir Path dir;

  private final SyntheticSecrets secrets = new SyntheticSecrets(new SplittableRandom(41));
  private String token;

  @BeforeEach
  void values() {
    assumeThat(DoctorCommandTest.gitAvailable()).as("a git binary on the PATH").isTrue();
    token = secrets.githubToken("ghp_");
  }

  private Cli.Result scan(String... args) {
    return scanWith(GitRepo.env(), args);
  }

  private Cli.Result scanWith(Map<String, String> env, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "scan";
    System.arraycopy(args, 0, all, 1, args.length);
    Cli.Result r = Cli.run(env, "", all);
    Leaks.assertNoLeak("scan's output", r.stdout(), token);
    Leaks.assertNoLeak("scan's errors", r.stderr(), token);
    return r;
  }

  private static byte[] utf16WithMark(String text) {
    byte[] bytes = text.getBytes(UTF_16LE);
    byte[] withMark = new byte[bytes.length + 2];
    withMark[0] = (byte) 0xFF;
    withMark[1] = (byte) 0xFE;
    System.arraycopy(bytes, 0, withMark, 2, bytes.length);
    return withMark;
  }

  @Test
  void staged_interHunkContextConfigured_scansTheAddedLinesAfterTheContext() throws Exception {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    repo.write("app.yml", "a: 1\nb: 2\n\nd: 4\n").add("app.yml").commit("first");
    repo.git("config", "diff.interHunkContext", "3");
    repo.git("config", "diff.suppressBlankEmpty", "true");
    repo.write("app.yml", "a: 10\nb: 2\n\nd: " + token + "\n").add("app.yml");

    Cli.Result r = scan("--staged", "-C", repo.dir.toString());

    assertThat(r.stdout()).as("stderr: %s", r.stderr()).startsWith("app.yml:4:4 github-token");
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void staged_contextForcedByGitDiffOpts_isSkippedWithTheRightLineNumbers() throws Exception {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    repo.write("app.yml", "a: 1\nb: 2\nc: 3\n").add("app.yml").commit("first");
    repo.write("app.yml", "a: 10\nb: 2\nc: " + token + "\n").add("app.yml");
    Map<String, String> env = GitRepo.env();
    env.put("GIT_DIFF_OPTS", "--unified=5");

    Cli.Result r = scanWith(env, "--staged", "-C", repo.dir.toString());

    assertThat(r.stdout()).as("stderr: %s", r.stderr()).startsWith("app.yml:3:4 github-token");
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void staged_diffSettingsOfTheRepository_changeNothingFromASubdirectory() throws Exception {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    repo.write("sub/readme.txt", "x\n").add("sub/readme.txt").commit("first");
    for (String[] setting :
        new String[][] {
          {"diff.noprefix", "true"},
          {"diff.mnemonicPrefix", "true"},
          {"diff.relative", "true"},
          {"color.diff", "always"},
          {"color.ui", "always"},
          {"diff.submodule", "log"},
          {"diff.context", "4"},
        }) {
      repo.git("config", setting[0], setting[1]);
    }
    repo.write("top.yml", "token: " + token + "\n").add("top.yml");

    Cli.Result r = scan("--staged", "-C", repo.dir.resolve("sub").toString());

    assertThat(r.stdout()).as("stderr: %s", r.stderr()).startsWith("top.yml:1:8 github-token");
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void staged_symlinkReplacedByAFileHoldingASecret_isScanned() throws Exception {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    repo.write("shared/app.yml", "a: 1\n").add("shared/app.yml");
    Files.createSymbolicLink(repo.dir.resolve("app.yml"), Path.of("shared/app.yml"));
    Files.createSymbolicLink(repo.dir.resolve(".env.local"), Path.of("shared/app.yml"));
    repo.add("app.yml", ".env.local").commit("links");
    Files.delete(repo.dir.resolve("app.yml"));
    Files.delete(repo.dir.resolve(".env.local"));
    repo.write("app.yml", "a: 1\ntoken: " + token + "\n").write(".env.local", "X=1\n");
    repo.add("app.yml", ".env.local");

    Cli.Result r = scan("--staged", "-C", repo.dir.toString());

    assertThat(r.stdout().lines().map(l -> l.split(" ")[0] + " " + l.split(" ")[1]))
        .as("stderr: %s", r.stderr())
        .containsExactlyInAnyOrder("app.yml:2:8 github-token", ".env.local:1:1 env-file");
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void staged_renamedAndCopiedFiles_scanTheirAddedLinesUnderTheNewName() throws Exception {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    String body = "line one of the file\nline two of the file\nline three of the file\n";
    repo.write("old.yml", body).add("old.yml").commit("first");
    repo.git("config", "diff.renames", "copies");
    repo.git("mv", "old.yml", "new.yml");
    repo.write("new.yml", body + "token: " + token + "\n").add("new.yml");
    repo.write("copy.yml", body + "other: " + token + "\n").add("copy.yml");

    Cli.Result r = scan("--staged", "-C", repo.dir.toString());

    assertThat(r.stdout().lines().map(l -> l.split(" ")[0]))
        .as("stderr: %s", r.stderr())
        .containsExactlyInAnyOrder("new.yml:4:8", "copy.yml:4:8");
  }

  @Test
  void staged_utf16FileWithAByteOrderMark_isDecodedAsAPathScanDoes() throws Exception {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    Files.write(repo.dir.resolve("notes.txt"), utf16WithMark("a\ntoken: " + token + "\n"));
    repo.add("notes.txt");

    Cli.Result paths = scan("-C", repo.dir.toString());
    Cli.Result staged = scan("--staged", "-C", repo.dir.toString());

    assertThat(paths.stdout()).startsWith("notes.txt:2:8 github-token");
    assertThat(staged.stdout()).as("stderr: %s", staged.stderr()).isEqualTo(paths.stdout());
    assertThat(staged.stderr()).contains("in 1 file").doesNotContain("binary");
    assertThat(staged.exitCode()).isEqualTo(1);
  }

  @Test
  void diff_utf16FileAndAFileMarkedBinary_areReadFromTheRangesEnd() throws Exception {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    repo.write("README.md", "x\n").add("README.md").commit("first");
    String first = repo.git("rev-parse", "HEAD").strip();
    Files.write(repo.dir.resolve("notes.txt"), utf16WithMark("token: " + token + "\n"));
    repo.write(".gitattributes", "*.cfg binary\n")
        .write("app.cfg", "key: " + token + "\n")
        .write("blob.bin", "a\u0000b\n")
        .add("notes.txt", ".gitattributes", "app.cfg", "blob.bin")
        .commit("second");
    // The work tree no longer holds them: the scan must read what was committed.
    Files.delete(repo.dir.resolve("notes.txt"));
    Files.delete(repo.dir.resolve("app.cfg"));

    Cli.Result r = scan("--diff", first + "..HEAD", "-C", repo.dir.toString());

    assertThat(r.stdout().lines().map(l -> l.split(" ")[0]))
        .as("stderr: %s", r.stderr())
        .containsExactlyInAnyOrder("notes.txt:1:8", "app.cfg:1:6");
    assertThat(r.stderr()).contains("in 3 files (1 binary skipped)");
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void staged_pathWithASpace_isReportedByItsName() throws Exception {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    repo.write("my config.yml", "token: " + token + "\n").add("my config.yml");

    Cli.Result r = scan("--staged", "-C", repo.dir.toString());

    assertThat(r.stdout())
        .as("stderr: %s", r.stderr())
        .startsWith("my config.yml:1:8 github-token");
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void staged_quotedPathWithASpaceAndATab_isReportedByItsName() throws Exception {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    repo.write("a b\tc.yml", "token: " + token + "\n").add("a b\tc.yml");

    Cli.Result r = scan("--staged", "-C", repo.dir.toString());

    assertThat(r.stdout())
        .as("stderr: %s", r.stderr())
        .startsWith("a b\\x09c.yml:1:8 github-token");
    assertThat(r.exitCode()).isEqualTo(1);
  }
}
