package io.latchkey.cli;

import static io.latchkey.cli.MainTest.encoded;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.testsupport.ChildJvm;
import io.latchkey.testsupport.Leaks;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --key-file} reads a regular file of at most 1 MiB and refuses anything else, naming the
 * file: the size of a device such as {@code /dev/zero} is 0, so a size check alone lets it fill the
 * heap, and a FIFO blocks the command until someone writes to it. The runs that would exhaust
 * memory or block, were the file opened, run the command line in a child JVM with a small heap and
 * a time limit, so that a regression costs the build neither memory nor a hang.
 */
final class KeyFileNotRegularTest {
  private static final String NOT_REGULAR =
      ": is not a regular file (a device, a pipe or a socket), refused without being opened;"
          + " expected a key file\n";

  @TempDir Path dir;

  /** Runs {@code latchkey decrypt --key-file path} in a child JVM; kills it after the limit. */
  private static ChildJvm.Result decryptInChild(String path) throws Exception {
    return ChildJvm.run(Main.class, "decrypt", "--key-file", path);
  }

  /** Makes a FIFO with mkfifo, or skips the test where there is none. */
  private Path fifo() throws Exception {
    Path fifo = dir.resolve("keys.fifo");
    assumeTrue(ChildJvm.mkfifo(fifo), "needs mkfifo");
    return fifo;
  }

  @Test
  void keyFile_devZero_isRefusedNotReadUntilMemoryRunsOut() throws Exception {
    assumeTrue(Files.exists(Path.of("/dev/zero")), "needs /dev/zero");

    ChildJvm.Result r = decryptInChild("/dev/zero");

    assertThat(r.output()).isEqualTo("latchkey decrypt: /dev/zero" + NOT_REGULAR);
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void keyFile_fifo_isRefusedWithoutBeingOpened() throws Exception {
    Path fifo = fifo();

    ChildJvm.Result r = decryptInChild(fifo.toString());

    assertThat(r.output()).isEqualTo("latchkey decrypt: " + fifo + NOT_REGULAR);
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void keyFile_sparseFileOverOneMiB_isRefusedBeforeItIsRead() throws IOException {
    Path file = dir.resolve("huge.keys");
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(4L << 30);
    }

    Cli.Result r = Cli.run(Map.of(), "x", "decrypt", "--key-file", file.toString());

    assertThat(r.stderr())
        .isEqualTo("latchkey decrypt: " + file + ": is larger than 1 MiB; expected a key file\n");
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void keyFile_ofExactlyOneMiB_isRead_oneByteMoreIsNot() throws IOException {
    FernetKey key = FernetKey.generate();
    StringBuilder text = new StringBuilder(encoded(key)).append('\n');
    while (text.length() < KeyFile.MAX_BYTES - 1) {
      text.append('#');
    }
    text.append('\n');
    Path file = dir.resolve("full.keys");
    Files.writeString(file, text, UTF_8);
    String token = FernetKeyRing.of(key).encrypt("ok".getBytes(UTF_8));

    Cli.Result read = Cli.run(Map.of(), token, "decrypt", "--key-file", file.toString());
    Files.writeString(file, "#", UTF_8, StandardOpenOption.APPEND);
    Cli.Result refused = Cli.run(Map.of(), token, "decrypt", "--key-file", file.toString());

    assertThat(read.stderr()).isEmpty();
    assertThat(read.stdout()).isEqualTo("ok");
    assertThat(refused.stderr())
        .isEqualTo("latchkey decrypt: " + file + ": is larger than 1 MiB; expected a key file\n");
  }

  /**
   * Generated keys of every shape given where a variable's name or a key file's path belongs: the
   * command fails and prints no part of the key.
   */
  @Test
  void keyGivenAsKeyEnvOrKeyFile_isNeverPrinted() {
    SplittableRandom random = new SplittableRandom(0x6b65796e616d65L);
    for (int c = 0; c < 15; c++) {
      for (String key : keys(random)) {
        for (String command : List.of("encrypt", "decrypt", "rotate")) {
          for (String option : List.of("--key-env", "--key-file")) {
            Cli.Result r = Cli.run(Map.of(), "x", command, option, key);
            String where = "case " + c + ", " + command + " " + option;
            assertThat(r.exitCode()).as(where).isNotZero();
            Leaks.assertNoLeak(where + " stderr", r.stderr(), key);
            Leaks.assertNoLeak(where + " stdout", r.stdout(), key);
          }
        }
      }
    }
  }

  private static List<String> keys(SplittableRandom random) {
    Base64.Encoder url = Base64.getUrlEncoder();
    List<String> keys = new ArrayList<>();
    keys.add(url.encodeToString(bytes(random, 32)));
    keys.add("lkk." + url.encodeToString(bytes(random, 32)));
    keys.add(url.withoutPadding().encodeToString(bytes(random, 32)));
    keys.add(HexFormat.of().formatHex(bytes(random, 16)));
    keys.add(HexFormat.of().formatHex(bytes(random, 32)));
    keys.add(Base64.getEncoder().encodeToString(bytes(random, 32)));
    keys.add(Base64.getEncoder().withoutPadding().encodeToString(bytes(random, 33)));
    return keys;
  }

  private static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
