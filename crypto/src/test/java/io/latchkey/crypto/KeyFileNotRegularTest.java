package io.latchkey.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.latchkey.ConfigException;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.testsupport.ChildJvm;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code FernetKeyRing.read(Path)} and {@code AesGcmKeyRing.read(Path)} read a regular file of at
 * most 1 MiB and refuse anything else with a ConfigException naming the file: a device such as
 * /dev/zero (whose size is 0, and which never ends) would fill the heap, a FIFO would block the
 * reader forever, and a multi-gigabyte file named by mistake would be read whole.
 *
 * <p>The reads that would exhaust memory or block run in a child JVM with a 48 MiB heap and a time
 * limit, so that a regression costs the build neither memory nor a hang.
 */
final class KeyFileNotRegularTest {
  @TempDir Path dir;

  /** The child: reads the path as a key file and prints what came of it. */
  public static void main(String[] args) {
    try {
      if (args[0].equals("aes")) {
        AesGcmKeyRing.read(Path.of(args[1]));
      } else {
        FernetKeyRing.read(Path.of(args[1]));
      }
      System.out.println("RESULT read");
    } catch (ConfigException e) {
      System.out.println("RESULT ConfigException");
      System.out.println("MESSAGE " + e.getMessage());
    } catch (Throwable t) {
      System.out.println("RESULT " + t.getClass().getName());
    }
  }

  private static String child(String kind, String path) throws Exception {
    List<String> lines = childLines(kind, path);
    return lines.stream()
        .filter(l -> l.startsWith("RESULT "))
        .findFirst()
        .orElse(String.join("\n", lines));
  }

  /** Runs the child and returns what it printed; a child killed after the limit is "blocked". */
  private static List<String> childLines(String kind, String path) throws Exception {
    ChildJvm.Result r = ChildJvm.run(KeyFileNotRegularTest.class, kind, path);
    return r.exitCode() == -1 ? List.of("RESULT blocked") : r.output().lines().toList();
  }

  /** Makes a FIFO with mkfifo, or skips the test where there is none. */
  private Path fifo() throws Exception {
    Path fifo = dir.resolve("keys.fifo");
    assumeTrue(ChildJvm.mkfifo(fifo), "needs mkfifo");
    return fifo;
  }

  @Test
  void fernetRead_devZero_isAConfigException_notOutOfMemory() throws Exception {
    assumeTrue(Files.exists(Path.of("/dev/zero")), "needs /dev/zero");
    assertThat(child("fernet", "/dev/zero")).isEqualTo("RESULT ConfigException");
  }

  @Test
  void aesGcmRead_devZero_isAConfigException_notOutOfMemory() throws Exception {
    assumeTrue(Files.exists(Path.of("/dev/zero")), "needs /dev/zero");
    assertThat(child("aes", "/dev/zero")).isEqualTo("RESULT ConfigException");
  }

  @Test
  void fernetRead_fifo_isRefusedWithoutBeingOpened() throws Exception {
    Path fifo = fifo();
    List<String> lines = childLines("fernet", fifo.toString());
    assertThat(lines).contains("RESULT ConfigException");
    assertThat(lines)
        .contains(
            "MESSAGE invalid configuration: "
                + fifo
                + ": is not a regular file (a device, a pipe or a socket),"
                + " refused without being opened; expected a key file");
  }

  @Test
  void aesGcmRead_fifo_isRefusedWithoutBeingOpened() throws Exception {
    Path fifo = fifo();
    assertThat(child("aes", fifo.toString())).isEqualTo("RESULT ConfigException");
  }

  @Test
  void read_devZero_namesTheFileAndTheReason() throws Exception {
    assumeTrue(Files.exists(Path.of("/dev/zero")), "needs /dev/zero");
    assertThat(childLines("fernet", "/dev/zero"))
        .contains(
            "MESSAGE invalid configuration: /dev/zero: is not a regular file (a device, a pipe or a socket),"
                + " refused without being opened; expected a key file");
  }

  @Test
  void read_fileOverOneMiB_isRefusedBeforeItIsRead() throws Exception {
    Path file = dir.resolve("huge.keys");
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(4L << 30); // sparse: costs no disk, would cost 4 GiB of heap to read
    }
    assertThatThrownBy(() -> FernetKeyRing.read(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "invalid configuration: " + file + ": is larger than 1 MiB; expected a key file");
    assertThatThrownBy(() -> AesGcmKeyRing.read(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "invalid configuration: " + file + ": is larger than 1 MiB; expected a key file");
  }

  @Test
  void read_fileOfExactlyOneMiB_isRead() throws Exception {
    String key = FernetKey.generate().encoded().reveal();
    StringBuilder text = new StringBuilder(key).append('\n');
    while (text.length() < (1 << 20) - 1) {
      text.append('#');
    }
    text.append('\n');
    Path file = dir.resolve("full.keys");
    Files.writeString(file, text, UTF_8);
    assertThat(Files.size(file)).isEqualTo(1 << 20);

    assertThat(FernetKeyRing.read(file).keyIds()).hasSize(1);

    Files.writeString(file, "#", UTF_8, java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(() -> FernetKeyRing.read(file))
        .hasMessage(
            "invalid configuration: " + file + ": is larger than 1 MiB; expected a key file");
  }

  @Test
  void read_missingPathThatLooksLikeAKey_isNotShown() {
    String key = FernetKey.generate().encoded().reveal();
    assertThatThrownBy(() -> FernetKeyRing.read(Path.of(key)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "invalid configuration: the key file given: does not exist (not shown, in case it is a key); pass the path of"
                + " a key file, not a key");
  }

  @Test
  void read_missingPath_isNamed() {
    Path file = dir.resolve("missing.keys");
    assertThatThrownBy(() -> FernetKeyRing.read(file))
        .hasMessage("invalid configuration: " + file + ": does not exist");
  }
}
