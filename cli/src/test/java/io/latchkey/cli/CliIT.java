package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.config.ConfigDocs;
import io.latchkey.config.ConfigSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged jar as users do: {@code java -jar target/latchkey.jar}. */
final class CliIT {
  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
  private static final Path JAR =
      Path.of(System.getProperty("basedir", "."), "target", "latchkey.jar").toAbsolutePath();
  private static final String CANARY = "CANARY-7f3a9c";

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
    assertThat(r.stderr()).isEmpty();
    String version = System.getProperty("latchkey.version");
    assertThat(version).as("the build passes the project version").isNotBlank();
    // Built from a git work tree, the jar names its HEAD; from a source archive, no commit.
    String commit = headCommit().map(head -> head.substring(0, 12)).orElse("unknown");
    assertThat(r.stdout()).isEqualTo("latchkey " + version + " (commit " + commit + ")\n");
  }

  /** The commit checked out where the jar was built, if the project is a git repository. */
  private static Optional<String> headCommit() throws IOException, InterruptedException {
    if (!DoctorCommandTest.gitAvailable()) {
      return Optional.empty();
    }
    Path gitDir = Path.of(System.getProperty("basedir", "."), "..", ".git").toAbsolutePath();
    List<String> command =
        List.of("git", "--git-dir=" + gitDir, "rev-parse", "-q", "--verify", "HEAD");
    Run r = run(new ProcessBuilder(command), "");
    return r.exitCode() == 0 ? Optional.of(r.stdout().strip()) : Optional.empty();
  }

  // ---- doctor and docs ----------------------------------------------------------------------

  @Test
  void doctor_validConfiguration_printsMaskedReport(@TempDir Path dir) throws Exception {
    Map<String, String> env = doctorEnv();

    Run r = jar(dir, List.of(), env, "doctor", "--schema", schema(), "--no-env-file");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stderr()).isEmpty();
    assertThat(r.stdout())
        .startsWith("SETTING ")
        .containsPattern("POSTGRES_PASSWORD +env +\\*\\*\\* +ok")
        .containsPattern("DATABASE_URL +derived +postgresql://app:\\*\\*\\*@db:5432/app +derived")
        .endsWith("12 settings: 4 set, 6 from defaults, 1 derived, 1 unset; no warnings\n");
    assertNoCanary(r);
  }

  @Test
  void doctor_secretInJvmOption_warnsNamingTheSettingOnly(@TempDir Path dir) throws Exception {
    // A harmless system property whose text is the secret: what ps shows for a leaked secret.
    Run r =
        jar(
            dir,
            List.of("-Dlatchkey.it.marker=" + CANARY + "-llm"),
            doctorEnv(),
            "doctor",
            "--schema",
            schema(),
            "--no-env-file");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr())
        .isEqualTo(
            "warning: the value of LLM_API_KEY appears on this process's command line, where"
                + " every local user can read it (ps, /proc); pass it through the environment,"
                + " the .env file or a secrets file instead, and rotate it\n");
    assertThat(r.stdout()).endsWith("; 1 warning\n");
    assertNoCanary(r);
  }

  @Test
  void doctor_deprecatedName_oneReadableWarningLine(@TempDir Path dir) throws Exception {
    Map<String, String> env = new HashMap<>(doctorEnv());
    env.put("OPENAI_API_KEY", env.remove("LLM_API_KEY"));

    Run r = jar(dir, List.of(), env, "doctor", "--schema", schema(), "--no-env-file");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr())
        .isEqualTo("warning: OPENAI_API_KEY is deprecated; rename it to LLM_API_KEY\n");
    assertThat(r.stdout()).contains("deprecated name OPENAI_API_KEY used").endsWith("1 warning\n");
    assertNoCanary(r);
  }

  @Test
  void doctor_dotenvInWorkingDirectory_isReadAndChecked(@TempDir Path dir) throws Exception {
    Map<String, String> env = new HashMap<>(doctorEnv());
    Path dotenv = dir.resolve(".env");
    Files.writeString(dotenv, "POSTGRES_PASSWORD=" + env.remove("POSTGRES_PASSWORD") + "\n");
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    if (posix) {
      Files.setPosixFilePermissions(dotenv, PosixFilePermissions.fromString("rw-r--r--"));
    }

    Run r = jar(dir, List.of(), env, "doctor", "--schema", schema());

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).containsPattern("POSTGRES_PASSWORD +\\.env +\\*\\*\\* +ok");
    if (posix) {
      assertThat(r.stderr())
          .startsWith("warning: .env file .env is readable by group and others")
          .endsWith("chmod 600 .env\n");
    }
    assertNoCanary(r);
  }

  @Test
  void doctor_invalidConfiguration_listsEveryProblem(@TempDir Path dir) throws Exception {
    Map<String, String> env = new HashMap<>(doctorEnv());
    env.put("PORT", "http");
    env.put("DEBUG", "maybe");
    env.put("SESSION_KEY", CANARY + "-session");
    env.remove("LLM_API_KEY");

    Run r = jar(dir, List.of(), env, "doctor", "--schema", schema(), "--no-env-file");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr().lines().toList())
        .hasSize(5)
        .first()
        .isEqualTo("latchkey doctor: invalid configuration (4 problems):");
    assertThat(r.stderr())
        .contains("\n  PORT: ", "\n  DEBUG: ", "\n  SESSION_KEY: ", "\n  LLM_API_KEY: ");
    assertNoCanary(r);
  }

  @Test
  void docs_markdownAndDotenv_areTheGeneratorsOutput(@TempDir Path dir) throws Exception {
    String file = schema();
    ConfigSchema schema = ConfigSchema.fromJson(Path.of(file));

    Run markdown = jar(dir, List.of(), Map.of(), "docs", "--schema", file, "--format", "markdown");
    Run dotenv = jar(dir, List.of(), Map.of(), "docs", "--schema", file, "--format", "dotenv");
    Run html = jar(dir, List.of(), Map.of(), "docs", "--schema", file, "--format", "html");

    assertThat(markdown.exitCode()).isZero();
    assertThat(markdown.stdout()).isEqualTo(ConfigDocs.markdown(schema));
    assertThat(dotenv.exitCode()).isZero();
    assertThat(dotenv.stdout()).isEqualTo(ConfigDocs.dotenv(schema));
    assertThat(html.exitCode()).isEqualTo(2);
    assertThat(html.stderr()).contains("expected markdown or dotenv");
  }

  private static Map<String, String> doctorEnv() {
    return Map.of(
        "POSTGRES_PASSWORD", CANARY + "-pg",
        "LLM_API_KEY", CANARY + "-llm",
        "SESSION_KEY", KeygenKeys.KEYS.get(0),
        "CREDENTIALS_KEY", KeygenKeys.KEYS.get(1),
        "CREDENTIALS_KEY_PREVIOUS", KeygenKeys.KEYS.get(2));
  }

  /** Keys for the doctor's schema, made once by the jar itself. */
  private static final class KeygenKeys {
    static final List<String> KEYS = generate();

    private static List<String> generate() {
      try {
        return latchkey(Map.of(), "", "keygen", "--count", "3").stdout().lines().toList();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static String schema() throws Exception {
    return Path.of(CliIT.class.getResource("app-schema.json").toURI()).toString();
  }

  private static void assertNoCanary(Run r) {
    assertThat(r.stdout()).doesNotContain("7f3a9c");
    assertThat(r.stderr()).doesNotContain("7f3a9c");
    for (String key : KeygenKeys.KEYS) {
      assertThat(r.stdout() + r.stderr()).doesNotContain(key.substring(4, 24));
    }
  }

  /**
   * Runs {@code doctor} or {@code docs} in {@code dir} with only {@code env} and {@code PATH} in
   * its environment, so that neither the machine's variables nor a stray {@code .env} count.
   */
  private static Run jar(Path dir, List<String> jvmOptions, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(JAVA.toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    String path = System.getenv("PATH");
    pb.environment().clear();
    if (path != null) {
      pb.environment().put("PATH", path);
    }
    pb.environment().putAll(env);
    return run(pb, "");
  }

  private static Run latchkey(Map<String, String> env, String stdin, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    return run(pb, stdin);
  }

  private static Run run(ProcessBuilder pb, String stdin) throws IOException, InterruptedException {
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
