package io.latchkey.provider.env;

import static io.latchkey.provider.env.Testing.CANARY;
import static io.latchkey.provider.env.Testing.text;
import static io.latchkey.provider.env.Testing.value;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.config.Origin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code NAME_FILE}: the value is the named file's content, as Docker and Kubernetes mount it. */
final class FileIndirectionTest {
  @TempDir Path dir;

  private EnvSecretProvider env(Map<String, String> environment) {
    return EnvSecretProvider.builder()
        .workingDirectory(dir)
        .environment(environment)
        .noDotenv()
        .build();
  }

  private ConfigException failure(EnvSecretProvider env, String name) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> env.get(name));
    assertThat(e).as("a ConfigException").isNotNull();
    assertThat(e.getMessage()).doesNotContain(CANARY);
    return e;
  }

  @Test
  void fileContent_isTheValue_withTheFileAsOrigin() {
    Path file = Testing.write(dir.resolve("db_password"), "s3cret\n");
    EnvSecretProvider env = env(Map.of("DB_PASSWORD_FILE", file.toString()));
    assertThat(value(env, "DB_PASSWORD").text()).isEqualTo("s3cret");
    assertThat(value(env, "DB_PASSWORD").name()).isEqualTo("DB_PASSWORD");
    assertThat(value(env, "DB_PASSWORD").origin())
        .isEqualTo(Origin.of(Origin.Kind.FILE, file.toString()));
    // The variable itself still reads as what it holds: the path.
    assertThat(text(env, "DB_PASSWORD_FILE")).isEqualTo(file.toString());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "one LF removed         | secret\\n       | secret",
        "one CRLF removed       | secret\\r\\n    | secret",
        "only one of two LFs    | secret\\n\\n    | secret\\n",
        "no line break          | secret          | secret",
        "inner lines kept       | a\\nb\\n        | a\\nb",
        "lone CR kept           | secret\\r       | secret\\r",
        "leading blanks kept    | '  secret  \\n' | '  secret  '",
      })
  void trailingLineBreak_isRemovedOnce(String why, String content, String expected) {
    Path file = Testing.write(dir.resolve("secret.txt"), unescape(content));
    EnvSecretProvider env = env(Map.of("S_FILE", file.toString()));
    assertThat(text(env, "S")).as(why).isEqualTo(unescape(expected));
  }

  /**
   * A file with nothing in it, or a line break alone (a mount created before its content was
   * written), holds no secret: a configuration load refuses it as a resolver's fetch does, rather
   * than taking it for unset.
   */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {"nothing           | ''", "a line break alone | \\n", "a CRLF alone       | \\r\\n"})
  void emptyFile_isAnError_notTheEmptyValue(String why, String content) {
    Path file = Testing.write(dir.resolve("empty"), unescape(content));
    ConfigException e = failure(env(Map.of("S_FILE", file.toString())), "S");
    assertThat(e.problems())
        .as(why)
        .containsExactly(new Problem("S_FILE", file + " is empty (named in the environment)"));
  }

  private static String unescape(String s) {
    return s.replace("\\n", "\n").replace("\\r", "\r");
  }

  @Test
  void relativePath_isResolvedAgainstTheWorkingDirectory() {
    Testing.write(dir.resolve("run").resolve("token"), "relative\n");
    EnvSecretProvider env = env(Map.of("TOKEN_FILE", "run/token"));
    assertThat(text(env, "TOKEN")).isEqualTo("relative");
    assertThat(value(env, "TOKEN").origin().detail())
        .isEqualTo(dir.resolve("run").resolve("token").toString());
  }

  @Test
  void fileFromDotenv_isReadToo() {
    Path secret = Testing.write(dir.resolve("api_key"), "from-file\n");
    Path dotenv = Testing.write(dir.resolve(".env"), "API_KEY_FILE=" + secret + "\n");
    EnvSecretProvider env =
        EnvSecretProvider.builder().environment(Map.of()).dotenvFile(dotenv).build();
    assertThat(text(env, "API_KEY")).isEqualTo("from-file");
    assertThat(value(env, "API_KEY").origin().kind()).isEqualTo(Origin.Kind.FILE);
  }

  @Test
  void fileIsReadOnEveryLookup_soARotatedSecretIsSeen() throws Exception {
    Path file = Testing.write(dir.resolve("rotating"), "first\n");
    EnvSecretProvider env = env(Map.of("R_FILE", file.toString()));
    assertThat(text(env, "R")).isEqualTo("first");
    Files.writeString(file, "second\n");
    assertThat(text(env, "R")).isEqualTo("second");
  }

  @Test
  void missingFile_namesTheVariableAndThePath() {
    Path missing = dir.resolve("no-such-file");
    ConfigException e = failure(env(Map.of("DB_PASSWORD_FILE", missing.toString())), "DB_PASSWORD");
    assertThat(e.problems())
        .containsExactly(
            new Problem(
                "DB_PASSWORD_FILE", missing + " does not exist (named in the environment)"));
  }

  @Test
  void missingFile_namedInDotenv_namesTheLine() {
    Path missing = dir.resolve("gone");
    Path dotenv = Testing.write(dir.resolve(".env"), "# c\nPW_FILE=" + missing + "\n");
    EnvSecretProvider env =
        EnvSecretProvider.builder().environment(Map.of()).dotenvFile(dotenv).build();
    ConfigException e = failure(env, "PW");
    assertThat(e.problems())
        .containsExactly(
            new Problem("PW_FILE", missing + " does not exist (named in .env line 2)"));
  }

  @Test
  void directory_isAnError() throws Exception {
    Path directory = Files.createDirectory(dir.resolve("a-directory"));
    ConfigException e = failure(env(Map.of("PW_FILE", directory.toString())), "PW");
    assertThat(e.problems())
        .containsExactly(
            new Problem(
                "PW_FILE", directory + " is a directory, not a file (named in the environment)"));
  }

  @Test
  void fileLargerThanOneMebibyte_isAnError_withoutItsContent() {
    byte[] big = new byte[SecretFiles.MAX_BYTES + 1];
    Arrays.fill(big, (byte) 'x');
    System.arraycopy(CANARY.getBytes(UTF_8), 0, big, 0, CANARY.length());
    Path file = Testing.write(dir.resolve("big"), big);
    ConfigException e = failure(env(Map.of("PW_FILE", file.toString())), "PW");
    assertThat(e.problems().get(0).reason())
        .isEqualTo(
            file
                + " is larger than 1 MiB; expected a file holding one secret"
                + " (named in the environment)");
  }

  @Test
  void fileOfExactlyOneMebibyte_isRead() {
    byte[] big = new byte[SecretFiles.MAX_BYTES];
    Arrays.fill(big, (byte) 'y');
    Path file = Testing.write(dir.resolve("limit"), big);
    assertThat(text(env(Map.of("PW_FILE", file.toString())), "PW")).hasSize(SecretFiles.MAX_BYTES);
  }

  @Test
  void fileThatIsNotUtf8_isAnError_withoutItsContent() throws Exception {
    byte[] content = (CANARY + "\u00ff").getBytes(UTF_8);
    byte[] broken = Arrays.copyOf(content, content.length - 1); // cut a two-byte sequence
    Path file = Testing.write(dir.resolve("binary"), broken);
    ConfigException e = failure(env(Map.of("PW_FILE", file.toString())), "PW");
    assertThat(e.problems())
        .containsExactly(
            new Problem("PW_FILE", file + " is not valid UTF-8 (named in the environment)"));
  }

  @Test
  void invalidPath_isAnError() {
    ConfigException e = failure(env(Map.of("PW_FILE", "bad\0path")), "PW");
    assertThat(e.problems())
        .containsExactly(new Problem("PW_FILE", "is not a valid path (named in the environment)"));
  }

  @Test
  void fifo_isRefusedAsNotARegularFile_withoutOpeningIt() throws Exception {
    // Opening a FIFO that no one writes to blocks forever: this returns only if it is not opened.
    Path fifo = RotationTest.fifo(dir.resolve("pipe"));
    ConfigException e = failure(env(Map.of("DB_PASSWORD_FILE", fifo.toString())), "DB_PASSWORD");
    assertThat(e.problems())
        .containsExactly(
            new Problem(
                "DB_PASSWORD_FILE",
                fifo
                    + " is not a regular file (a device, a pipe or a socket) (named in the"
                    + " environment)"));
  }

  @Test
  void linkToADevice_isRefusedAsNotARegularFile() throws Exception {
    Path device = Path.of("/dev/zero");
    Assumptions.assumeTrue(Files.exists(device), "no /dev/zero");
    Path link = Files.createSymbolicLink(dir.resolve("zero"), device);
    ConfigException e = failure(env(Map.of("PW_FILE", link.toString())), "PW");
    assertThat(e.problems().get(0).reason()).startsWith(link + " is not a regular file");
  }
}
