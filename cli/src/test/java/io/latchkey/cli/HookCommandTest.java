package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.latchkey.testsupport.SyntheticSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code latchkey hook install}, and the hook it writes in a real {@code git commit}. */
final class HookCommandTest {
  @TempDir Path dir;

  private GitRepo repo;

  @BeforeEach
  void repository() throws Exception {
    assumeThat(DoctorCommandTest.gitAvailable()).as("a git binary on the PATH").isTrue();
    repo = GitRepo.init(dir.resolve("repo"));
  }

  private Cli.Result install(String... more) {
    // -C and its directory as two arguments: short options do not cluster (see Main).
    String[] args = new String[4 + more.length];
    args[0] = "hook";
    args[1] = "install";
    args[2] = "-C";
    args[3] = repo.dir.toString();
    System.arraycopy(more, 0, args, 4, more.length);
    return Cli.run(GitRepo.env(), "", args);
  }

  /** This test's JVM and class path: the CLI as the hook would run it from a jar. */
  private static String thisCli() {
    return HookCommand.Install.quote(ProcessHandle.current().info().command().orElseThrow())
        + " -cp "
        + HookCommand.Install.quote(System.getProperty("java.class.path"))
        + " io.latchkey.cli.Main";
  }

  @Test
  void install_writesAnExecutableHook_thatRefusesACommitWithASecret() throws Exception {
    Cli.Result r = install("--command", thisCli());
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    Path hook = repo.dir.resolve(".git/hooks/pre-commit");
    assertThat(r.stdout()).startsWith("installed .git/hooks/pre-commit: runs ");
    assertThat(Files.getPosixFilePermissions(hook)).contains(PosixFilePermission.OWNER_EXECUTE);
    assertThat(Files.readString(hook, UTF_8))
        .startsWith("#!/bin/sh\n" + HookCommand.Install.MARKER)
        .endsWith(" scan --staged\n");

    String token = new SyntheticSecrets(new SplittableRandom(37)).githubToken("ghp_");
    repo.write("ci.yml", "env:\n  GH_TOKEN: " + token + "\n").add("ci.yml");
    GitRepo.Result refused = repo.run("commit", "-q", "-m", "add ci");
    assertThat(refused.status()).isNotZero();
    assertThat(refused.output())
        .contains("ci.yml:2:13 github-token ghp_****")
        .doesNotContain(token.substring(4, 16));
    assertThat(repo.run("rev-parse", "--verify", "-q", "HEAD").status())
        .as("no commit")
        .isNotZero();

    repo.write("ci.yml", "env:\n  GH_TOKEN: ${{ secrets.GH_TOKEN }}\n").add("ci.yml");
    assertThat(repo.run("commit", "-q", "-m", "add ci").status()).isZero();
  }

  @Test
  void install_anotherHookInPlace_refusedUnlessForced_thenKeptAsABackup() throws Exception {
    Path hook = repo.dir.resolve(".git/hooks/pre-commit");
    Files.writeString(hook, "#!/bin/sh\nexec make lint\n", UTF_8);

    Cli.Result refused = install();
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr()).contains("--force replaces it");
    assertThat(Files.readString(hook, UTF_8)).isEqualTo("#!/bin/sh\nexec make lint\n");

    assertThat(install("--force", "--command", "latchkey").exitCode()).isZero();
    assertThat(Files.readString(hook, UTF_8)).contains("exec latchkey scan --staged");
    assertThat(Files.readString(hook.resolveSibling(HookCommand.Install.BACKUP), UTF_8))
        .isEqualTo("#!/bin/sh\nexec make lint\n");

    // Its own hook is replaced without --force.
    assertThat(install("--command", "/opt/latchkey/bin/latchkey").exitCode()).isZero();
    assertThat(Files.readString(hook, UTF_8)).contains("exec /opt/latchkey/bin/latchkey scan");
  }

  @Test
  void install_hooksPathConfigured_writesThere() throws Exception {
    repo.git("config", "core.hooksPath", ".githooks");
    assertThat(install("--command", "latchkey").exitCode()).isZero();
    assertThat(repo.dir.resolve(".githooks/pre-commit")).exists();
  }

  @Test
  void install_outsideARepository_exitTwo() throws Exception {
    Path plain = Files.createDirectories(dir.resolve("plain"));
    Cli.Result r = Cli.run(GitRepo.env(), "", "hook", "install", "-C", plain.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).startsWith("latchkey hook install: not inside a git work tree");
  }

  @Test
  void defaultCommand_notRunFromAJar_isLatchkeyOnThePath() {
    assertThat(HookCommand.Install.defaultCommand()).isEqualTo("latchkey");
    assertThat(HookCommand.Install.quote("/opt/it's here/java"))
        .isEqualTo("'/opt/it'\\''s here/java'");
  }
}
