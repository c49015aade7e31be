package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the packaged jar as users do: {@code java -jar target/latchkey.jar}. */
final class CliIT {
  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
  private static final Path JAR =
      Path.of(System.getProperty("basedir", "."), "target", "latchkey.jar").toAbsolutePath();

  /** What one process printed, and its exit status. */
  private record Run(int exitCode, String stdout, String stderr) {}

  @BeforeAll
  static void jarIsBuilt() {
    assertThat(JAR).as("run 'mvn verify' so that the jar is packaged first").isRegularFile();
  }

  @Test
  void keygen_printsKeyAndExits0() throws Exception {
    Run r = latchkey(Map.of(), "", "keygen");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).matches("[A-Za-z0-9_-]{43}=\n");
    assertThat(r.stderr()).isEmpty();
  }

  @Test
  void encryptDecrypt_keyFromChildEnvironment_roundTrips() throws Exception {
    String key = latchkey(Map.of(), "", "keygen").stdout().strip();
    Map<String, String> env = Map.of("LATCHKEY_IT_KEY", key);
    String message = "hello, wörld\nsecond line\n";

    Run encrypted = latchkey(env, message, "encrypt", "--key-env", "LATCHKEY_IT_KEY");
    Run decrypted = latchkey(env, encrypted.stdout(), "decrypt", "--key-env", "LATCHKEY_IT_KEY");

    assertThat(encrypted.exitCode()).isZero();
    assertThat(encrypted.stdout()).startsWith("gAAAAA");
    assertThat(decrypted.exitCode()).isZero();
    assertThat(decrypted.stdout()).isEqualTo(message);
    assertThat(decrypted.stderr()).isEmpty();
  }

  @Test
  void decryptLines_streamsEveryLine() throws Exception {
    String key = latchkey(Map.of(), "", "keygen").stdout().strip();
    Map<String, String> env = Map.of("LATCHKEY_IT_KEY", key);
    StringBuilder input = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      input.append("line ").append(i).append('\n');
    }

    Run encrypted =
        latchkey(env, input.toString(), "encrypt", "--key-env=LATCHKEY_IT_KEY", "--lines");
    Run decrypted =
        latchkey(env, encrypted.stdout(), "decrypt", "--key-env=LATCHKEY_IT_KEY", "--lines");

    assertThat(decrypted.exitCode()).isZero();
    assertThat(decrypted.stdout()).isEqualTo(input.toString());
  }

  @Test
  void decrypt_garbage_exits1WithOneLine() throws Exception {
    String key = latchkey(Map.of(), "", "keygen").stdout().strip();

    Run r =
        latchkey(
            Map.of("LATCHKEY_IT_KEY", key), "garbage", "decrypt", "--key-env", "LATCHKEY_IT_KEY");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr()).isEqualTo("latchkey decrypt: malformed token" + System.lineSeparator());
  }

  @Test
  void noCommand_exits2() throws Exception {
    Run r = latchkey(Map.of(), "");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("Usage: latchkey");
  }

  @Test
  void version_printsProjectVersion() throws Exception {
    Run r = latchkey(Map.of(), "", "--version");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).matches("latchkey \\d+\\.\\d+\\.\\d+\\S*\\R");
  }

  private static Run latchkey(Map<String, String> env, String stdin, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    Process process = pb.start();
    // Read both streams while writing, so that no pipe fills up and stalls the child.
    CompletableFuture<byte[]> out = drain(process.getInputStream());
    CompletableFuture<byte[]> err = drain(process.getErrorStream());
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin.getBytes(UTF_8));
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("latchkey did not finish within 60 seconds");
    }
    return new Run(
        process.exitValue(), new String(out.join(), UTF_8), new String(err.join(), UTF_8));
  }

  private static CompletableFuture<byte[]> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }
}
