package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.SyntheticSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code latchkey scan} over files, directories, standard input, the staged change and a range. */
final class ScanCommandTest {
  @TempDir Path dir;

  private final SyntheticSecrets secrets = new SyntheticSecrets(new SplittableRandom(23));
  private String token;
  private String password;

  @BeforeEach
  void values() {
    assumeThat(DoctorCommandTest.gitAvailable()).as("a git binary on the PATH").isTrue();
    token = secrets.githubToken("ghp_");
    password = secrets.password();
  }

  private Cli.Result scan(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "scan";
    System.arraycopy(args, 0, all, 1, args.length);
    Cli.Result r = Cli.run(GitRepo.env(), "", all);
    for (String value : List.of(token, password)) {
      Leaks.assertNoLeak("scan's output", r.stdout(), value);
      Leaks.assertNoLeak("scan's errors", r.stderr(), value);
    }
    return r;
  }

  private Path write(String path, String content) throws Exception {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, UTF_8);
    return file;
  }

  @Test
  void scan_directoryOutsideAWorkTree_reportsEachFindingOnALine() throws Exception {
    write("app/config.yml", "server:\n  port: 8080\ngithub:\n  token: " + token + "\n");
    write("app/db.env.txt", "DATABASE_URL=postgres://app:" + password + "@db:5432/app\n");
    write("app/README.md", "Nothing here.\n");

    Cli.Result r = scan("-C", dir.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout().lines())
        .hasSize(2)
        .anyMatch(
            l -> l.matches("app/config\\.yml:4:10 github-token ghp_\\*\\*\\*\\* [0-9a-f]{32}"))
        .anyMatch(
            l ->
                l.matches(
                    "app/db\\.env\\.txt:1:\\d+ database-url postgres://app:\\*\\*\\*\\*@ \\S{32}"));
    assertThat(r.stderr()).contains("2 problems in 3 files").contains(".latchkey-allow");
  }

  @Test
  void scan_cleanFiles_exitZero() throws Exception {
    write("a.txt", "password: changeme\ntoken: ${GITHUB_TOKEN}\n");
    Cli.Result r = scan(dir.resolve("a.txt").toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr()).contains("nothing found in 1 file");
  }

  @Test
  void scan_envFiles_refusedButTemplatesAndEnvrc() throws Exception {
    for (String name : List.of(".env", ".env.local", "config/.env.production", ".env-prod")) {
      write(name, "X=1\n");
    }
    for (String name : List.of(".env.example", ".env.sample", ".env.template", ".envrc")) {
      write(name, "X=1\n");
    }
    Cli.Result r = scan("-C", dir.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout().lines().map(l -> l.split(" ")[0]))
        .containsExactlyInAnyOrder(
            ".env:1:1", ".env.local:1:1", "config/.env.production:1:1", ".env-prod:1:1");
    assertThat(r.stdout()).contains("env-file (a .env file: commit .env.example instead)");
  }

  @Test
  void scan_workTree_readsWhatGitWouldCommit_notWhatItIgnores() throws Exception {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    repo.write(".gitignore", ".env\nbuild/\n")
        .write(".env", "GITHUB_TOKEN=" + token + "\n")
        .write("build/out.txt", "token: " + token + "\n")
        .write("tracked.txt", "ok\n")
        .add(".gitignore", "tracked.txt")
        .commit("first")
        .write("untracked.yml", "api:\n  token: " + token + "\n")
        .write("tracked.txt", "ok\nclient_secret = \"" + password + "A1b2C3d4\"\n");

    Cli.Result r = scan("-C", repo.dir.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout().lines().map(l -> l.split(" ")[0]))
        .containsExactlyInAnyOrder("untracked.yml:2:10", "tracked.txt:2:18");
  }

  @Test
  void scan_standardInput() {
    Cli.Result r =
        Cli.run(
            GitRepo.env(), "log line\nAuthorization: Bearer " + secrets.jwt() + "\n", "scan", "-");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).startsWith("<stdin>:2:23 jwt eyJ****");
  }

  @Test
  void staged_scansTheLinesTheCommitAdds_withTheirLineNumbers() throws Exception {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    String old = secrets.githubToken("gho_");
    repo.write("app.yml", "a: 1\nold: " + old + "\nb: 2\n").add("app.yml").commit("first");
    repo.write("app.yml", "a: 1\nold: " + old + "\nb: 2\nnew: " + token + "\n")
        .add("app.yml")
        .write("unstaged.txt", "password: \"" + password + "\"\n");

    Cli.Result r = scan("--staged", "-C", repo.dir.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout().lines()).hasSize(1);
    assertThat(r.stdout()).startsWith("app.yml:4:6 github-token ghp_****");
  }

  @Test
  void staged_repositoryWithoutCommits_works() throws Exception {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    repo.write("src/config.json", "{\n  \"stripe\": \"" + secrets.stripeKey() + "\"\n}\n")
        .write(".env", "X=1\n")
        .add("src/config.json", ".env");

    Cli.Result r = scan("--staged", "-C", repo.dir.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout().lines().map(l -> l.split(" ")[1]))
        .containsExactlyInAnyOrder("stripe-key", "env-file");
  }

  @Test
  void staged_nothingStaged_exitZero() throws Exception {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    Cli.Result r = scan("--staged", "-C", repo.dir.toString());
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void staged_outsideARepository_exitTwoWithAClearMessage() throws Exception {
    Path plain = Files.createDirectories(dir.resolve("plain"));
    Cli.Result r = scan("--staged", "-C", plain.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr())
        .isEqualTo(
            "latchkey scan: --staged needs a git repository, and -C DIR is not inside one\n");
  }

  @Test
  void diff_scansTheLinesAddedBetweenTwoRevisions() throws Exception {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    repo.write("a.txt", "token: " + secrets.githubToken("ghu_") + "\n").add("a.txt").commit("one");
    String first = repo.git("rev-parse", "HEAD").strip();
    repo.write("b.properties", "x=1\napp.api.key=" + password + "Zq9\n")
        .add("b.properties")
        .commit("two");
    repo.write("c.txt", "nothing\n").add("c.txt").commit("three");

    Cli.Result r = scan("--diff", first + "..HEAD", "-C", repo.dir.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout().lines().map(l -> l.split(" ")[0] + " " + l.split(" ")[1]))
        .containsExactly("b.properties:2:13 generic-secret");
  }

  @Test
  void diff_optionLikeRange_isAUsageError() throws Exception {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    Cli.Result r = scan("--diff", "--output=/tmp/x", "-C", repo.dir.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("--diff expects a revision range");
  }

  @Test
  void allowList_fingerprintsInTheCommittedFile_areNotReported() throws Exception {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    repo.write("fixture.json", "{\"key\": \"" + token + "\"}\n").write(".env.test", "X=1\n");
    String first = scan("-C", repo.dir.toString()).stdout();
    List<String> fingerprints =
        first.lines().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
    assertThat(fingerprints).hasSize(2);
    repo.write(
        ".latchkey-allow",
        "# fake token of the fixture\n"
            + fingerprints.get(0)
            + "  fixture.json\n\n"
            + fingerprints.get(1)
            + " # the test settings\n");

    Cli.Result r = scan("-C", repo.dir.toString());

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr()).contains("(2 allowed by fingerprint)");
  }

  @Test
  void allowList_aLineThatIsNoFingerprint_exitTwoWithoutEchoingIt() throws Exception {
    write("a.txt", "x\n");
    write(".latchkey-allow", "# ok\n" + token + "\n");
    Cli.Result r = scan("-C", dir.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr())
        .isEqualTo(
            "latchkey scan: .latchkey-allow line 2: not a fingerprint (32 lower-case hex digits)\n");
  }

  @Test
  void skipRule_dropsThatRule_unknownRuleIsAUsageError() throws Exception {
    write("a.txt", "password: \"" + password + "Zq9\"\n");
    assertThat(scan("--skip-rule", "generic-secret", dir.resolve("a.txt").toString()).exitCode())
        .isZero();
    Cli.Result r = scan("--skip-rule", "nope", dir.resolve("a.txt").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("no such rule").doesNotContain("nope");
  }

  @Test
  void pathsAndStaged_together_isAUsageError() {
    Cli.Result r = scan("--staged", ".");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("not more than one of them");
  }

  @Test
  void missingPath_exitTwo() {
    Cli.Result r = scan(dir.resolve("nope/file.txt").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("no such file or directory");
  }
}
