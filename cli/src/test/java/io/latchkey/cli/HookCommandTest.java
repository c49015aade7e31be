package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.latchkey.testsupport.ChildJvm;
import io.latchkey.testsupport.SyntheticSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code latchkey hook install}, and the hook it writes in a real {@code git commit}; and what it
 * does with whatever is already where the hook goes, which it never loses.
 */
final class HookCommandTest {
  @TempDir Path dir;

  private GitRepo repo;
  private Path hooks;
  private Path hook;

  @BeforeEach
  void repository() throws Exception {
    assumeThat(DoctorCommandTest.gitAvailable()).as("a git binary on the PATH").isTrue();
    repo = GitRepo.init(dir.resolve("repo"));
    hooks = Files.createDirectories(repo.dir.resolve(".git/hooks"));
    hook = hooks.resolve("pre-commit");
  }

  private Cli.Result install(String... more) {
    return install(repo.dir, more);
  }

  private Cli.Result install(Path where, String... more) {
    // -C and its directory as two arguments: short options do not cluster (see Main).
    String[] args = new String[4 + more.length];
    args[0] = "hook";
    args[1] = "install";
    args[2] = "-C";
    args[3] = where.toString();
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

  /**
   * The user's original hook is kept as the backup by a first {@code --force}; when another tool
   * has since written its own hook, a second {@code --force} keeps that one under the next free
   * name, {@code pre-commit.latchkey-backup.1}, and says so: a backup is never replaced.
   */
  @Test
  void forceTwice_theFirstBackupIsKept_theSecondGetsTheNextName() throws Exception {
    String original = "#!/bin/sh\n# the team's hand-written checks\nexec make lint\n";
    Files.writeString(hook, original, UTF_8);
    assertThat(install("--force", "--command", "latchkey").exitCode()).isZero();
    Path backup = hooks.resolve(HookCommand.Install.BACKUP);
    assertThat(Files.readString(backup, UTF_8)).isEqualTo(original);

    // Another tool (husky, lefthook...) installs its own hook over latchkey's.
    String other = "#!/bin/sh\nexec npx lint-staged\n";
    Files.writeString(hook, other, UTF_8);
    Cli.Result refused = install("--command", "latchkey");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr())
        .contains("--force replaces it and keeps it as .git/hooks/pre-commit.latchkey-backup.1");
    Cli.Result again = install("--force", "--command", "latchkey");
    assertThat(again.exitCode()).as(again.stderr()).isZero();
    assertThat(again.stdout())
        .contains("kept the hook that was in place as .git/hooks/pre-commit.latchkey-backup.1");

    boolean originalSomewhere = false;
    try (var files = Files.list(hooks)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p) && Files.readString(p, UTF_8).equals(original)) {
          originalSomewhere = true;
        }
      }
    }
    assertThat(originalSomewhere)
        .as(
            "the user's original hook survives a second --force (exit %d, %s)",
            again.exitCode(), again.stderr())
        .isTrue();
    assertThat(Files.readString(backup, UTF_8)).isEqualTo(original);
    assertThat(Files.readString(hooks.resolve(HookCommand.Install.BACKUP + ".1"), UTF_8))
        .isEqualTo(other);
    assertThat(Files.readString(hook, UTF_8)).contains("exec latchkey scan --staged");
  }

  /**
   * A hook script in Latin-1 (a comment with an accented letter, as many editors still write) is
   * "another hook", the marker being looked for in its bytes: without --force it is refused with
   * the documented reason, and with --force it is replaced and kept, byte for byte, as the backup.
   */
  @Test
  void anotherHookNotUtf8_refusedWithTheReason_andReplacedWithForce() throws Exception {
    byte[] latin1 =
        "#!/bin/sh\n# V\u00e9rifie le code avant le commit\nexec make lint\n".getBytes(ISO_8859_1);
    Files.write(hook, latin1);

    Cli.Result refused = install("--command", "latchkey");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr())
        .as("the documented reason, not an I/O error")
        .contains("--force replaces it");
    assertThat(Files.readAllBytes(hook)).isEqualTo(latin1);

    Cli.Result forced = install("--force", "--command", "latchkey");
    assertThat(forced.exitCode()).as(forced.stderr()).isZero();
    assertThat(Files.readString(hook, UTF_8)).contains("exec latchkey scan --staged");
    assertThat(Files.readAllBytes(hooks.resolve(HookCommand.Install.BACKUP))).isEqualTo(latin1);
  }

  /**
   * A pre-commit hook that is a link to a shared script, even one latchkey wrote, is another hook:
   * the link is not followed, so without --force nothing changes, and with --force the link itself
   * is kept as the backup and a hook written in its place. The shared script, outside this
   * repository, is never rewritten.
   */
  @Test
  void hookIsALinkToASharedScript_theSharedScriptIsNotRewritten() throws Exception {
    Path shared = Files.createDirectories(dir.resolve("shared-hooks")).resolve("pre-commit");
    String sharedScript = HookCommand.Install.script("latchkey");
    Files.writeString(shared, sharedScript, UTF_8);
    Files.createSymbolicLink(hook, shared);

    Cli.Result r = install("--command", "/home/me/bin/latchkey-dev");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .contains(".git/hooks/pre-commit is a symbolic link")
        .contains("--force replaces it");
    assertThat(Files.readString(shared, UTF_8))
        .as("the link's target, outside this repository (exit %d)", r.exitCode())
        .isEqualTo(sharedScript);

    Cli.Result forced = install("--force", "--command", "/home/me/bin/latchkey-dev");
    assertThat(forced.exitCode()).as(forced.stderr()).isZero();
    assertThat(Files.readString(shared, UTF_8)).isEqualTo(sharedScript);
    assertThat(Files.isSymbolicLink(hook)).isFalse();
    assertThat(Files.readString(hook, UTF_8)).contains("exec /home/me/bin/latchkey-dev scan");
    Path backup = hooks.resolve(HookCommand.Install.BACKUP);
    assertThat(Files.isSymbolicLink(backup)).as("the link kept as a link").isTrue();
    assertThat(Files.readSymbolicLink(backup)).isEqualTo(shared);
  }

  /**
   * A dangling link where the hook goes is another hook, not "no hook": nothing is written through
   * it, so no file appears where it points, outside the repository; --force keeps the link as the
   * backup and writes the hook in its place.
   */
  @Test
  void hookIsADanglingLink_nothingIsCreatedWhereItPoints() throws Exception {
    Path elsewhere = dir.resolve("elsewhere").resolve("not-a-hook.txt");
    Files.createDirectories(elsewhere.getParent());
    Files.createSymbolicLink(hook, elsewhere);

    Cli.Result r = install("--command", "latchkey");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(elsewhere)
        .as("a file created through the link (exit %d, %s)", r.exitCode(), r.stdout())
        .doesNotExist();

    assertThat(install("--force", "--command", "latchkey").exitCode()).isZero();
    assertThat(elsewhere).doesNotExist();
    assertThat(Files.isSymbolicLink(hook)).isFalse();
    assertThat(Files.readSymbolicLink(hooks.resolve(HookCommand.Install.BACKUP)))
        .isEqualTo(elsewhere);
  }

  /**
   * Its own hook is replaced by a new file renamed over it, never rewritten in place, so a crash, a
   * kill or a full disk half-way leaves the old hook whole: a hard link to the old hook still holds
   * the old hook, and the new one is executable. No temporary file is left behind.
   */
  @Test
  void replacingItsOwnHook_isAtomic_notARewriteInPlace() throws Exception {
    assertThat(install("--command", "latchkey").exitCode()).isZero();
    String before = Files.readString(hook, UTF_8);
    Path snapshot = hooks.resolve("pre-commit.snapshot");
    Files.createLink(snapshot, hook);

    assertThat(install("--command", "/opt/latchkey/bin/latchkey").exitCode()).isZero();

    assertThat(Files.readString(hook, UTF_8)).contains("exec /opt/latchkey/bin/latchkey scan");
    assertThat(Files.readString(snapshot, UTF_8))
        .as("the old hook's inode: rewritten in place rather than replaced by a rename")
        .isEqualTo(before);
    assertThat(Files.getPosixFilePermissions(hook))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
    try (var files = Files.list(hooks)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".new")))
          .isEmpty();
    }
  }

  /**
   * A directory where the hook goes is in the way (exit 1), even with --force, and the error names
   * the hook and says what is there; the directory and what it holds are left alone.
   */
  @Test
  void hookIsADirectory_theErrorSaysWhatIsInTheWay() throws Exception {
    Files.createDirectories(hook);
    Files.writeString(hook.resolve("keep.txt"), "x", UTF_8);

    Cli.Result r = install("--command", "latchkey");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .startsWith("latchkey hook install: ")
        .contains("pre-commit")
        .contains(".git/hooks/pre-commit is a directory");

    Cli.Result forced = install("--force", "--command", "latchkey");
    assertThat(forced.exitCode()).isEqualTo(1);
    assertThat(forced.stderr()).contains(".git/hooks/pre-commit is a directory");
    assertThat(Files.readString(hook.resolve("keep.txt"), UTF_8)).isEqualTo("x");
  }

  /**
   * A bare repository has no work tree and no commit is ever made in it, so a pre-commit hook there
   * would never run: as docs/cli.md says, outside a git work tree is exit 2, and nothing is
   * written.
   */
  @Test
  void bareRepository_isOutsideAWorkTree_exitTwo() throws Exception {
    GitRepo bare = GitRepo.init(dir.resolve("plain"));
    Path bareDir = dir.resolve("bare.git");
    bare.git("init", "-q", "--bare", bareDir.toString());

    Cli.Result r = install(bareDir, "--command", "latchkey");

    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(2);
    assertThat(r.stderr()).startsWith("latchkey hook install: not inside a git work tree");
    assertThat(bareDir.resolve("hooks/pre-commit")).doesNotExist();
  }

  /**
   * {@code -C} naming a directory that does not exist is reported as such (exit 2), naming it as
   * the module names a path typed on the command line, rather than as git missing.
   */
  @Test
  void missingDirectory_isNotReportedAsGitMissing() {
    Path missing = dir.resolve("no-such-dir");
    Cli.Result r = install(missing, "--command", "latchkey");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).doesNotContain("is it installed");
    assertThat(r.stderr().strip())
        .isEqualTo("latchkey hook install: " + missing + ": does not exist");
  }

  /**
   * A FIFO where the hook goes, behind a link or itself, is refused (exit 1) without being opened,
   * so the command never waits for a writer; even --force does not replace a FIFO. Run in a child
   * JVM, which is killed at its limit.
   */
  @Test
  void hookIsAFifo_refusedWithoutBlocking() throws Exception {
    Path fifo = dir.resolve("hook.fifo");
    assumeTrue(ChildJvm.mkfifo(fifo), "needs mkfifo");
    Files.createSymbolicLink(hook, fifo);

    ChildJvm.Result r =
        ChildJvm.run(
            Main.class, "hook", "install", "-C", repo.dir.toString(), "--command", "latchkey");

    assertThat(r.output()).as("exit %d", r.exitCode()).isNotEqualTo("blocked");
    assertThat(r.exitCode()).isEqualTo(1);

    Files.delete(hook);
    assumeTrue(ChildJvm.mkfifo(hook), "needs mkfifo");
    ChildJvm.Result forced =
        ChildJvm.run(
            Main.class,
            "hook",
            "install",
            "-C",
            repo.dir.toString(),
            "--command",
            "latchkey",
            "--force");

    assertThat(forced.output()).as("exit %d", forced.exitCode()).isNotEqualTo("blocked");
    assertThat(forced.exitCode()).isEqualTo(1);
    assertThat(forced.output()).contains(".git/hooks/pre-commit is not a regular file");
  }

  /**
   * {@code --command ""} (an unset variable in a setup script: {@code --command "$LATCHKEY"}), a
   * blank one or one with a line break would write a hook that fails every commit or runs a second
   * line: a usage error (exit 2) that leaves the existing hook alone.
   */
  @Test
  void emptyCommand_isAUsageError_notABrokenHook() throws Exception {
    assertThat(install("--command", "latchkey").exitCode()).isZero();
    String working = Files.readString(hook, UTF_8);

    for (String command : new String[] {"", "  ", "latchkey\nrm -rf .", "latchkey\r"}) {
      Cli.Result r = install("--command", command);

      assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(2);
      assertThat(r.stderr())
          .startsWith("latchkey hook install: --command must be one non-blank line");
      assertThat(Files.readString(hook, UTF_8)).isEqualTo(working);
    }
  }
}
