package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.latchkey.crypto.FernetKey;
import io.latchkey.internal.PathText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code latchkey keygen --out FILE}, the way the documentation makes a key file: the file is
 * created, never replaced (a key in use would be lost, and the data under it), and readable by its
 * owner only from its creation, with no {@code chmod} after the key is in it. The recipes in the
 * documentation use it rather than a shell redirection, which truncates an existing key file and
 * creates a new one readable by everyone under the usual umask.
 */
final class KeygenOutTest {
  /** {@code keygen} whose output the shell sends to a file; a benchmark's /dev/null is none. */
  private static final Pattern TO_A_FILE = Pattern.compile("keygen[^|]*>\\s*(?!/dev/null)\\S");

  @TempDir Path dir;

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  @Test
  void out_writesTheKeyAndANewline_readableByItsOwnerOnly_andNothingToStandardOutput()
      throws Exception {
    Path keyFile = dir.resolve("data-key.txt");

    Cli.Result r = Cli.run(Map.of(), "", "keygen", "--format", "aes-gcm", "--out", keyFile + "");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr()).isEmpty();
    assertThat(Files.readString(keyFile, UTF_8)).matches("lkk\\.[A-Za-z0-9_-]{43}=\n");
    if (posix(keyFile)) {
      assertThat(Files.getPosixFilePermissions(keyFile))
          .as("created owner-only, whatever this process's umask would have given")
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    // The key file the documentation's next line uses.
    Cli.Result token = Cli.run(Map.of(), "secret", "encrypt", "--key-file", keyFile + "");
    assertThat(token.exitCode()).as(token.stderr()).isZero();
    Cli.Result plain = Cli.run(Map.of(), token.stdout(), "decrypt", "--key-file", keyFile + "");
    assertThat(plain.stdout()).isEqualTo("secret");
  }

  @Test
  void out_count_writesThatManyDistinctKeys() throws Exception {
    Path keyFile = dir.resolve("keys.txt");

    assertThat(Cli.run(Map.of(), "", "keygen", "--count", "3", "--out", keyFile + "").exitCode())
        .isZero();

    List<String> keys = Files.readAllLines(keyFile, UTF_8);
    assertThat(keys).hasSize(3).doesNotHaveDuplicates();
    keys.forEach(FernetKey::parse);
  }

  /**
   * The same line run again (a second terminal, a re-run CI step, a copy-paste) is refused, naming
   * the file, and the key in use is left exactly as it was, permissions included.
   */
  @Test
  void out_runAgain_doesNotDestroyTheKeyInUse() throws Exception {
    Path keyFile = dir.resolve("data-key.txt");
    String[] args = {"keygen", "--format", "aes-gcm", "--out", keyFile.toString()};
    assertThat(Cli.run(Map.of(), "", args).exitCode()).as("first run").isZero();
    String keyInUse = Files.readString(keyFile, UTF_8);
    assertThat(keyInUse).startsWith("lkk.");
    if (posix(keyFile)) {
      Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("r--------"));
    }

    Cli.Result again = Cli.run(Map.of(), "", args);

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.stdout()).isEmpty();
    assertThat(again.stderr().strip())
        .isEqualTo(
            "latchkey keygen: "
                + keyFile
                + ": already exists; --out never replaces a file, which may hold a key in use:"
                + " choose another name");
    assertThat(Files.readString(keyFile, UTF_8))
        .as("the key the data is encrypted with, after the same line ran again")
        .isEqualTo(keyInUse);
    if (posix(keyFile)) {
      assertThat(Files.getPosixFilePermissions(keyFile))
          .isEqualTo(PosixFilePermissions.fromString("r--------"));
    }
  }

  /** An existing file whose name does not look like a path is refused without being named. */
  @Test
  void out_existingFileWithARandomName_refusedWithoutShowingTheName() throws Exception {
    Path file = Files.writeString(dir.resolve("Zx9kQ2mN7pLw"), "kept\n", UTF_8);

    Cli.Result r = Cli.run(Map.of(), "", "keygen", "--out", file.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .startsWith("latchkey keygen: --out (" + PathText.NOT_SHOWN + "): already exists")
        .doesNotContain("Zx9kQ2mN7pLw");
    assertThat(Files.readString(file, UTF_8)).isEqualTo("kept\n");
  }

  /** A key given where the file goes is a usage error, not a file named after the key. */
  @Test
  void out_aKeyInsteadOfAPath_isAUsageError_andCreatesNothing() {
    String key = MainTest.encoded(FernetKey.generate());

    Cli.Result r = Cli.run(Map.of(), "", "keygen", "--out", key);

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).doesNotContain(key.substring(0, 12));
    assertThat(Path.of(key)).doesNotExist();
  }

  @Test
  void out_directoryMissing_exitOne_namingTheFile() {
    Path keyFile = dir.resolve("no-such-dir").resolve("data-key.txt");

    Cli.Result r = Cli.run(Map.of(), "", "keygen", "--out", keyFile.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr().strip())
        .isEqualTo(
            "latchkey keygen: " + keyFile + ": cannot be created: its directory does not exist");
    assertThat(keyFile.getParent()).doesNotExist();
  }

  /**
   * Every recipe of the documentation that puts a new key in a file does it with {@code --out},
   * never with a shell redirection and a {@code chmod} after it; docs/cli.md shows one. Read from
   * the module's directory, as the other modules' documentation tests read theirs.
   */
  @Test
  void documentation_recipesWriteKeyFilesWithOut() throws IOException {
    Path docs = Path.of("../docs");
    assumeTrue(Files.isDirectory(docs), "the documentation next to the module");
    List<Path> pages = new ArrayList<>();
    pages.add(Path.of("../README.md"));
    try (Stream<Path> files = Files.walk(docs)) {
      files.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
    }
    List<String> redirected = new ArrayList<>();
    for (Path page : pages) {
      List<String> lines = Files.readAllLines(page, UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (TO_A_FILE.matcher(line).find()) {
          redirected.add(page + ":" + (i + 1) + ": " + line);
        }
      }
    }
    assertThat(redirected).as("keygen output sent to a file by the shell").isEmpty();

    String recipe =
        Files.readAllLines(docs.resolve("cli.md"), UTF_8).stream()
            .filter(l -> l.startsWith("latchkey keygen"))
            .findFirst()
            .orElseThrow();
    assertThat(recipe).contains("--out ").doesNotContain("chmod");
  }
}
