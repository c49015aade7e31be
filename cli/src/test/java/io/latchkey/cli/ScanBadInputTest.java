package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.SyntheticSecrets;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a scan meets in real trees: binary files, invalid UTF-8, UTF-16, a 1 GB file, a 10 MB line.
 * Each gets a clean skip or a full scan, never a crash and never a printed value.
 */
final class ScanBadInputTest {
  @TempDir Path dir;

  private final SyntheticSecrets secrets = new SyntheticSecrets(new SplittableRandom(31));
  private String token;

  @BeforeEach
  void token() {
    token = secrets.githubToken("ghs_");
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
  void binaryFile_withATokenInside_isSkipped() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13});
    bytes.write(("token=" + token).getBytes(UTF_8));
    Files.write(dir.resolve("image.png"), bytes.toByteArray());

    Cli.Result r = scan(dir.resolve("image.png").toString());

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr()).contains("nothing found in 0 files (1 binary skipped)");
  }

  @Test
  void invalidUtf8_aroundAToken_isReplacedAndTheTokenFound() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(new byte[] {(byte) 0xC3, (byte) 0x28, ' ', (byte) 0xFF, '\n'});
    bytes.write(("x = " + token + " ").getBytes(UTF_8));
    bytes.write(new byte[] {(byte) 0xE2, (byte) 0x82, '\n'});
    Files.write(dir.resolve("broken.txt"), bytes.toByteArray());

    Cli.Result r = scan(dir.resolve("broken.txt").toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).startsWith(dir.resolve("broken.txt") + ":2:5 github-token ghs_****");
  }

  @Test
  void utf16WithAByteOrderMark_isDecoded() throws Exception {
    byte[] text = ("key: " + token + "\r\n").getBytes(StandardCharsets.UTF_16LE);
    byte[] file = new byte[text.length + 2];
    file[0] = (byte) 0xFF;
    file[1] = (byte) 0xFE;
    System.arraycopy(text, 0, file, 2, text.length);
    Files.write(dir.resolve("notes.txt"), file);

    Cli.Result r = scan(dir.resolve("notes.txt").toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).contains(":1:6 github-token");
  }

  @Test
  void aGigabyteFile_isSkippedWithANotice_withoutBeingRead() throws Exception {
    Path big = dir.resolve("disk.img");
    try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
      file.setLength(1L << 30); // sparse: no gigabyte is written
    }
    Files.writeString(dir.resolve("small.txt"), "token: " + token + "\n", UTF_8);

    Cli.Result r = scan("-C", dir.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .contains(
            "latchkey scan: disk.img: skipped, 1073741824 bytes, larger than --max-file-size 33554432")
        .contains("1 problem in 1 file (1 too large skipped)");
  }

  @Test
  void maxFileSize_canBeRaised_orLowered() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "token: " + token + "\n", UTF_8);
    assertThat(scan("--max-file-size", "10", dir.resolve("a.txt").toString()).exitCode()).isZero();
    assertThat(scan("--max-file-size", "1K", dir.resolve("a.txt").toString()).exitCode())
        .isEqualTo(1);
    Cli.Result bad = scan("--max-file-size", "lots", dir.resolve("a.txt").toString());
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.stderr()).contains("expected a size such as");
  }

  @Test
  void aTenMegabyteSingleLine_isScannedWhole() throws Exception {
    int length = 10 << 20;
    StringBuilder line = new StringBuilder(length + 64);
    String filler = "aGVsbG8gd29ybGQ=,";
    while (line.length() < length) {
      line.append(filler);
    }
    line.append(" token=").append(token);
    Files.writeString(dir.resolve("one-line.min.js"), line, UTF_8);

    Cli.Result r = scan(dir.resolve("one-line.min.js").toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).contains(":1:" + (line.length() - token.length() + 1) + " github-token");
  }

  @Test
  void stagedLargeAndBinaryFiles_areSkippedByGitAndTheLargeOneNamed() throws Exception {
    assumeThat(DoctorCommandTest.gitAvailable()).as("a git binary on the PATH").isTrue();
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    StringBuilder big = new StringBuilder();
    while (big.length() < 200_000) {
      big.append("line ").append(big.length()).append('\n');
    }
    big.append("token: ").append(token).append('\n');
    repo.write("big.txt", big.toString()).add("big.txt");
    Files.write(repo.dir.resolve("blob.bin"), new byte[] {1, 0, 2, 0, 3});
    repo.add("blob.bin");

    Cli.Result r = scan("--staged", "--max-file-size", "100K", "-C", repo.dir.toString());

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr())
        .contains("big.txt: not scanned, ")
        .contains("(1 binary skipped, 1 too large skipped)");
    assertThat(scan("--staged", "-C", repo.dir.toString()).exitCode()).isEqualTo(1);
  }
}
