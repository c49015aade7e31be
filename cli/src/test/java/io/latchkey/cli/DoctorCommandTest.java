package io.latchkey.cli;

import static io.latchkey.cli.MainTest.encoded;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.latchkey.config.ConfigReport;
import io.latchkey.crypto.FernetKey;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code latchkey doctor}, in-process, against the realistic schema in the test resources. */
final class DoctorCommandTest {
  private static final String CANARY = "CANARY-7f3a9c";

  /** A password with characters a URL must encode, so a percent-encoded leak is caught too. */
  private static final String DB_PASSWORD = CANARY + "-pg:p@ss/w";

  private static final String LLM_KEY = CANARY + "-llm-key";

  private static final String MASKED_URL = "postgresql://app:\\*\\*\\*@db:5432/app";

  private final String sessionKey = encoded(FernetKey.generate());
  private final String credentialsKey = encoded(FernetKey.generate());
  private final String oldCredentialsKey = encoded(FernetKey.generate());

  @TempDir Path dir;

  private String schema;

  @BeforeEach
  void schema() throws URISyntaxException {
    schema = schemaPath().toString();
  }

  static Path schemaPath() throws URISyntaxException {
    return Path.of(DoctorCommandTest.class.getResource("app-schema.json").toURI());
  }

  // ---- a valid configuration --------------------------------------------------------------------

  @Test
  void valid_printsMaskedReportAndSummary_exits0() throws IOException {
    Path envFile = dotenv("POSTGRES_PASSWORD=" + DB_PASSWORD, "SESSION_KEY=" + sessionKey);
    Map<String, String> env = validEnv();
    env.remove("SESSION_KEY");
    env.remove("POSTGRES_PASSWORD");
    env.put("LOG_LEVEL", "debug");
    env.put("ALLOWED_ORIGINS", "https://app.example.com, https://admin.example.com");

    Cli.Result r = Cli.run(env, "", "doctor", "--schema", schema, "--env-file", envFile.toString());

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr()).isEmpty();
    List<String> lines = r.stdout().lines().toList();
    assertThat(lines.get(0)).matches("SETTING +SOURCE +VALUE +STATUS");
    assertThat(lines)
        .anyMatch(l -> l.matches("POSTGRES_PASSWORD +\\.env +\\*\\*\\* +ok"))
        .anyMatch(l -> l.matches("DATABASE_URL +derived +" + MASKED_URL + " +derived"))
        .anyMatch(l -> l.matches("LLM_API_KEY +env +\\*\\*\\* +ok"))
        .anyMatch(l -> l.matches("SESSION_KEY +\\.env +\\*\\*\\* +ok"))
        .anyMatch(l -> l.matches("CREDENTIALS_KEY +env +\\*\\*\\* \\(\\+1 previous\\) +ok"))
        .anyMatch(l -> l.matches("PORT +default +8080 +default"))
        .anyMatch(l -> l.matches("LOG_LEVEL +env +debug +ok"))
        .anyMatch(l -> l.matches("REQUEST_TIMEOUT +default +30s +default"));
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo("12 settings: 6 set, 5 from defaults, 1 derived, 0 unset; no warnings");
    assertThat(lines).hasSize(1 + 12 + 1);
    assertNoSecretIn(r);
  }

  @Test
  void valid_optionalSettingUnset_isCountedAsUnset() {
    Cli.Result r = Cli.run(validEnv(), "", "doctor", "--schema", schema, "--no-env-file");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).containsPattern("ALLOWED_ORIGINS +- +- +unset \\(optional\\)");
    assertThat(r.stdout())
        .endsWith("12 settings: 4 set, 6 from defaults, 1 derived, 1 unset; no warnings\n");
    assertNoSecretIn(r);
  }

  @Test
  void valid_secretsDirectory_isRead() throws IOException {
    Path secrets = Files.createDirectory(dir.resolve("secrets"));
    Files.writeString(secrets.resolve("postgres_password"), DB_PASSWORD + "\n");
    Map<String, String> env = validEnv();
    env.remove("POSTGRES_PASSWORD");

    Cli.Result r =
        Cli.run(
            env,
            "",
            "doctor",
            "--schema",
            schema,
            "--no-env-file",
            "--secrets-dir",
            secrets.toString());

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).containsPattern("POSTGRES_PASSWORD +secrets-dir +\\*\\*\\* +ok");
    assertNoSecretIn(r);
  }

  @Test
  void valid_envFileFromVariable_isWhatTheProviderReads() throws IOException {
    Path envFile = dotenv("POSTGRES_PASSWORD=" + DB_PASSWORD);
    Map<String, String> env = validEnv();
    env.remove("POSTGRES_PASSWORD");
    env.put("LATCHKEY_ENV_FILE", envFile.toString());

    Cli.Result r = Cli.run(env, "", "doctor", "--schema", schema);

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).containsPattern("POSTGRES_PASSWORD +\\.env +\\*\\*\\* +ok");
    assertThat(r.stderr()).isEmpty();
  }

  @Test
  void valid_deprecatedName_isReportedAndCounted() {
    Map<String, String> env = validEnv();
    env.remove("LLM_API_KEY");
    env.put("OPENAI_API_KEY", LLM_KEY);

    Cli.Result r = Cli.run(env, "", "doctor", "--schema", schema, "--no-env-file");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout())
        .containsPattern("LLM_API_KEY +env +\\*\\*\\* +deprecated name OPENAI_API_KEY used")
        .endsWith("; 1 warning\n");
    assertNoSecretIn(r);
  }

  @Test
  void strict_deprecatedName_exits1AfterTheReport() {
    Map<String, String> env = validEnv();
    env.put("OPENAI_API_KEY", "another-" + LLM_KEY);

    Cli.Result r = Cli.run(env, "", "doctor", "--schema", schema, "--no-env-file", "--strict");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout())
        .contains("ok; deprecated OPENAI_API_KEY ignored")
        .endsWith("1 warning\n");
    assertThat(r.stderr()).isEqualTo("latchkey doctor: 1 warning and --strict was given\n");
    assertNoSecretIn(r);
  }

  // ---- an invalid configuration -----------------------------------------------------------------

  @Test
  void invalid_listsEveryProblem_exits1WithoutValues() {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "80a80");
    env.put("LOG_LEVEL", "loud");
    env.put("REQUEST_TIMEOUT", "forever");
    env.put("SESSION_KEY", CANARY + "-not-a-key");
    env.put("CREDENTIALS_KEY", credentialsKey);
    env.put("CREDENTIALS_KEY_PREVIOUS", oldCredentialsKey + "," + CANARY + "-old");
    env.put("LLM_API_KEY", LLM_KEY);

    Cli.Result r = Cli.run(env, "", "doctor", "--schema", schema, "--no-env-file");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEmpty();
    List<String> lines = r.stderr().lines().toList();
    assertThat(lines.get(0)).isEqualTo("latchkey doctor: invalid configuration (6 problems):");
    assertThat(lines.subList(1, lines.size()))
        .hasSize(6)
        .allMatch(l -> l.startsWith("  "))
        .anyMatch(l -> l.startsWith("  PORT: '80a80' is not an integer"))
        .anyMatch(l -> l.startsWith("  LOG_LEVEL: 'loud' is not an allowed value"))
        .anyMatch(l -> l.startsWith("  REQUEST_TIMEOUT: 'forever' is not a duration"))
        .anyMatch(l -> l.startsWith("  POSTGRES_PASSWORD: is not set"))
        .anyMatch(l -> l.startsWith("  SESSION_KEY: is not 44 characters of URL-safe base64"))
        .anyMatch(l -> l.startsWith("  CREDENTIALS_KEY_PREVIOUS entry 2: is not 44 characters"));
    assertNoSecretIn(r);
  }

  @Test
  void invalid_malformedDotenvLine_namesTheLineNotItsText() throws IOException {
    Path envFile = dotenv("# settings", "POSTGRES_PASSWORD " + DB_PASSWORD);

    Cli.Result r =
        Cli.run(validEnv(), "", "doctor", "--schema", schema, "--env-file", envFile.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .isEqualTo(
            "latchkey doctor: invalid configuration (1 problem):\n"
                + "  app.env line 2: missing '=' (expected KEY=value)\n");
    assertNoSecretIn(r);
  }

  @Test
  void invalid_missingEnvFile_exits1NamingIt() {
    Path missing = dir.resolve("missing.env");

    Cli.Result r =
        Cli.run(validEnv(), "", "doctor", "--schema", schema, "--env-file", missing.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .isEqualTo(
            "latchkey doctor: invalid configuration (1 problem):\n  .env file: "
                + missing
                + " does not exist\n");
  }

  @Test
  void unknownSecretProvider_exits1ListingTheAvailableOnes() {
    Map<String, String> env = validEnv();
    env.put("SECRET_PROVIDER", "nope");

    Cli.Result r = Cli.run(env, "", "doctor", "--schema", schema);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .startsWith("latchkey doctor: invalid configuration (1 problem):\n  SECRET_PROVIDER: ")
        .contains("'nope'", "available: [env]");
    assertNoSecretIn(r);
  }

  @Test
  void secretProviderEnv_spelledOut_isTheEnvProvider() {
    Map<String, String> env = validEnv();
    env.put("SECRET_PROVIDER", " env ");

    Cli.Result r = Cli.run(env, "", "doctor", "--schema", schema, "--no-env-file");

    assertThat(r.exitCode()).isZero();
  }

  // ---- the schema file --------------------------------------------------------------------------

  @Test
  void schema_missing_exits1WithOneLine() {
    Path missing = dir.resolve("nope.json");

    Cli.Result r = Cli.run(validEnv(), "", "doctor", "--schema", missing.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr()).isEqualTo("latchkey doctor: " + missing + ": does not exist\n");
  }

  @Test
  void schema_directory_exits1WithOneLine() {
    Cli.Result r = Cli.run(validEnv(), "", "doctor", "--schema", dir.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .isEqualTo("latchkey doctor: " + dir + ": is a directory, not a JSON schema file\n");
  }

  @Test
  void schema_notJson_givesThePositionNotTheText() throws IOException {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"settings\": [\n  {\"name\": " + CANARY + "}\n]}\n");

    Cli.Result r = Cli.run(validEnv(), "", "doctor", "--schema", bad.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .matches("latchkey doctor: bad\\.json: is not valid JSON \\(at line 2, column \\d+\\)\n");
  }

  @Test
  void schema_invalidSettings_listsEveryProblemOnOneLine() throws IOException {
    Path bad = dir.resolve("bad-schema.json");
    Files.writeString(
        bad,
        """
        {"settings": [
          {"name": "A", "type": "colour"},
          {"name": "B"},
          {"name": "C", "type": "secret", "default": "x"}
        ]}
        """);

    Cli.Result r = Cli.run(validEnv(), "", "doctor", "--schema", bad.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .startsWith("latchkey doctor: bad-schema.json: A: type 'colour' is unknown; expected")
        .contains("; bad-schema.json: B.type: is missing", "; bad-schema.json: C: ")
        .hasLineCount(1);
  }

  // ---- warnings ---------------------------------------------------------------------------------

  @Test
  void warning_dotenvReadableByOthers_saysChmod() throws IOException {
    Path envFile = dotenv("POSTGRES_PASSWORD=" + DB_PASSWORD);
    assumeThat(setPermissions(envFile, "rw-r--r--")).as("POSIX file system").isTrue();

    Cli.Result r =
        Cli.run(validEnv(), "", "doctor", "--schema", schema, "--env-file", envFile.toString());

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr())
        .isEqualTo(
            "warning: .env file "
                + envFile
                + " is readable by group and others, and it holds secrets; restrict it with:"
                + " chmod 600 "
                + envFile
                + "\n");
    assertThat(r.stdout()).endsWith("; 1 warning\n");
    assertNoSecretIn(r);
  }

  @Test
  void warning_dotenvReadableByGroup_namesTheGroup() throws IOException {
    Path envFile = dotenv("POSTGRES_PASSWORD=" + DB_PASSWORD);
    assumeThat(setPermissions(envFile, "rw-r-----")).as("POSIX file system").isTrue();

    Cli.Result r =
        Cli.run(validEnv(), "", "doctor", "--schema", schema, "--env-file", envFile.toString());

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr()).contains("is readable by its group").contains("chmod 600");
  }

  @Test
  void warning_dotenvReadableByOthers_alsoWhenTheConfigurationIsInvalid() throws IOException {
    Path envFile = dotenv("PORT=0");
    assumeThat(setPermissions(envFile, "rw----r--")).as("POSIX file system").isTrue();

    Cli.Result r =
        Cli.run(validEnv(), "", "doctor", "--schema", schema, "--env-file", envFile.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    List<String> lines = r.stderr().lines().toList();
    assertThat(lines.get(0)).startsWith("warning: .env file ").contains("readable by others");
    assertThat(lines.get(1)).isEqualTo("latchkey doctor: invalid configuration (1 problem):");
  }

  @Test
  void strict_dotenvReadableByOthers_exits1() throws IOException {
    Path envFile = dotenv("POSTGRES_PASSWORD=" + DB_PASSWORD);
    assumeThat(setPermissions(envFile, "rw-rw-rw-")).as("POSIX file system").isTrue();

    Cli.Result r =
        Cli.run(
            validEnv(),
            "",
            "doctor",
            "--schema",
            schema,
            "--env-file",
            envFile.toString(),
            "--strict");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).startsWith("SETTING");
    assertThat(r.stderr().lines().toList())
        .last()
        .isEqualTo("latchkey doctor: 1 warning and --strict was given");
  }

  @Test
  void warning_dotenvTrackedByGit_saysGitRmCached() throws Exception {
    assumeThat(gitAvailable()).as("a git binary on the PATH").isTrue();
    Path repo = Files.createDirectory(dir.resolve("repo"));
    Path envFile = repo.resolve(".env");
    Files.writeString(envFile, "POSTGRES_PASSWORD=" + DB_PASSWORD + "\n");
    setPermissions(envFile, "rw-------");
    git(repo, "init", "-q");
    git(repo, "add", ".env");
    git(
        repo,
        "-c",
        "user.name=Test",
        "-c",
        "user.email=test@example.com",
        "commit",
        "-q",
        "-m",
        "add .env");

    Cli.Result r =
        Cli.run(validEnv(), "", "doctor", "--schema", schema, "--env-file", envFile.toString());

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr())
        .isEqualTo(
            "warning: .env file "
                + envFile
                + " is tracked by git, so its secrets are in the repository for everyone who"
                + " clones it; untrack it with: git rm --cached "
                + envFile
                + ", add it to .gitignore, and rotate the secrets it held\n");
    assertNoSecretIn(r);
  }

  @Test
  void warning_dotenvInRepositoryButUntracked_none() throws Exception {
    assumeThat(gitAvailable()).as("a git binary on the PATH").isTrue();
    Path repo = Files.createDirectory(dir.resolve("repo"));
    Path envFile = repo.resolve(".env");
    Files.writeString(envFile, "POSTGRES_PASSWORD=" + DB_PASSWORD + "\n");
    setPermissions(envFile, "rw-------");
    Files.writeString(repo.resolve(".gitignore"), ".env\n");
    git(repo, "init", "-q");
    git(repo, "add", ".gitignore");

    Cli.Result r =
        Cli.run(validEnv(), "", "doctor", "--schema", schema, "--env-file", envFile.toString());

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr()).isEmpty();
  }

  @Test
  void warning_dotenvInFakeWorkTree_noneAndNoHang() throws IOException {
    // A .git that is not a repository: git fails, and failing git means no warning.
    Path repo = Files.createDirectory(dir.resolve("repo"));
    Files.writeString(repo.resolve(".git"), "gitdir: /nonexistent\n");
    Path envFile = repo.resolve(".env");
    Files.writeString(envFile, "POSTGRES_PASSWORD=" + DB_PASSWORD + "\n");
    setPermissions(envFile, "rw-------");

    Cli.Result r =
        Cli.run(validEnv(), "", "doctor", "--schema", schema, "--env-file", envFile.toString());

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr()).isEmpty();
  }

  @Test
  void warning_secretOnCommandLine_namesTheSettingOnly() {
    List<String> commandLine =
        List.of("/usr/bin/java", "-Dapp.key=" + LLM_KEY, "-jar", "latchkey.jar", "doctor");

    Cli.Result r =
        Cli.runWithCommandLine(
            validEnv(), commandLine, "doctor", "--schema", schema, "--no-env-file");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr())
        .isEqualTo(
            "warning: the value of LLM_API_KEY appears on this process's command line, where every"
                + " local user can read it (ps, /proc); pass it through the environment, the .env"
                + " file or a secrets file instead, and rotate it\n");
    assertThat(r.stdout()).endsWith("; 1 warning\n");
    assertNoSecretIn(r);
  }

  @Test
  void warning_everySecretOnCommandLine_oneWarningEach() {
    List<String> commandLine =
        List.of(
            "java",
            "-jar",
            "latchkey.jar",
            "--db=postgresql://app:" + DB_PASSWORD + "@db/app",
            "x" + oldCredentialsKey,
            sessionKey,
            "-Dmarker=" + "8080");

    Cli.Result r =
        Cli.runWithCommandLine(
            validEnv(), commandLine, "doctor", "--schema", schema, "--no-env-file");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr().lines())
        .hasSize(3)
        .anyMatch(l -> l.startsWith("warning: the value of POSTGRES_PASSWORD appears"))
        .anyMatch(l -> l.startsWith("warning: the value of SESSION_KEY appears"))
        .anyMatch(l -> l.startsWith("warning: the value of CREDENTIALS_KEY appears"));
    assertNoSecretIn(r);
  }

  @Test
  void warning_secretOnCommandLine_derivedSecretCounts() throws IOException {
    // A URL written out by hand is not secret; declared secret and derived, it is.
    Path custom = dir.resolve("schema.json");
    Files.writeString(
        custom,
        """
        {"settings": [
          {"name": "DB_PASSWORD", "type": "secret"},
          {"name": "DB_DSN", "type": "string", "secret": true,
           "derive": "host=db password=${DB_PASSWORD}"}
        ]}
        """);
    List<String> commandLine = List.of("psql", "host=db password=" + DB_PASSWORD);

    Cli.Result r =
        Cli.runWithCommandLine(
            Map.of("DB_PASSWORD", DB_PASSWORD),
            commandLine,
            "doctor",
            "--schema",
            custom.toString(),
            "--no-env-file");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr().lines())
        .containsExactly(
            "warning: the value of DB_PASSWORD appears on this process's command line, where"
                + " every local user can read it (ps, /proc); pass it through the environment,"
                + " the .env file or a secrets file instead, and rotate it",
            "warning: the value of DB_DSN appears on this process's command line, where every"
                + " local user can read it (ps, /proc); pass it through the environment, the .env"
                + " file or a secrets file instead, and rotate it");
    assertNoSecretIn(r);
  }

  @Test
  void warning_secretOnCommandLine_alsoWhenTheConfigurationIsInvalid() {
    Map<String, String> env = validEnv();
    env.put("PORT", "0");
    List<String> commandLine = List.of("java", "-Dx=" + LLM_KEY);

    Cli.Result r =
        Cli.runWithCommandLine(env, commandLine, "doctor", "--schema", schema, "--no-env-file");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr().lines().toList())
        .hasSize(3)
        .satisfies(l -> assertThat(l.get(0)).startsWith("warning: the value of LLM_API_KEY"))
        .satisfies(l -> assertThat(l.get(1)).startsWith("latchkey doctor: invalid configuration"));
    assertNoSecretIn(r);
  }

  @Test
  void warning_shortSecretOnCommandLine_ignoredAsNoise() throws IOException {
    Path custom = dir.resolve("schema.json");
    Files.writeString(
        custom,
        """
        {"settings": [{"name": "PIN", "type": "secret"}, {"name": "NONE", "type": "secret",
          "required": false}, {"name": "NAME", "type": "string"}]}
        """);

    Cli.Result r =
        Cli.runWithCommandLine(
            Map.of("PIN", "123", "NAME", "latchkey"),
            List.of("java", "-Dpin=123", "-jar", "latchkey.jar"),
            "doctor",
            "--schema",
            custom.toString(),
            "--no-env-file");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr()).isEmpty();
  }

  @Test
  void warning_realCommandLineOfThisJvm_noFalseAlarm() {
    Cli.Result r = Cli.run(validEnv(), "", "doctor", "--schema", schema, "--no-env-file");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr()).isEmpty();
    assertThat(ProcessArguments.current()).isNotEmpty();
  }

  // ---- usage ------------------------------------------------------------------------------------

  @Test
  void usage_envFileWithAnotherProvider_exits2() {
    Map<String, String> env = validEnv();
    env.put("SECRET_PROVIDER", "vault");

    Cli.Result r = Cli.run(env, "", "doctor", "--schema", schema, "--env-file", ".env");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr())
        .startsWith(
            "latchkey doctor: --env-file, --no-env-file and --secrets-dir apply only when"
                + " SECRET_PROVIDER is env\n");
  }

  @Test
  void usage_envFileAndNoEnvFile_exits2() {
    Cli.Result r =
        Cli.run(
            validEnv(), "", "doctor", "--schema", schema, "--env-file", ".env", "--no-env-file");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("mutually exclusive");
  }

  @Test
  void usage_noSchema_exits2() {
    Cli.Result r = Cli.run(validEnv(), "", "doctor");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).startsWith("latchkey doctor: Missing required option: '--schema=FILE'");
  }

  @Test
  void help_describesOptionsExitStatusAndExamples() {
    Cli.Result r = Cli.run(Map.of(), "", "doctor", "--help");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout())
        .startsWith("Checks the configuration against a schema and prints it, masked.\n")
        .contains(
            "Usage: latchkey doctor",
            "--schema=FILE",
            "--env-file=FILE",
            "--no-env-file",
            "--secrets-dir=DIR",
            "--strict",
            "Warnings do not change the exit status unless",
            "Examples:",
            "Exit status: 0");
    assertThat(r.stdout().lines()).allMatch(l -> l.length() <= 80);
  }

  // ---- pieces -----------------------------------------------------------------------------------

  @Test
  void deprecatedNames_countsEveryNameInUse() {
    ConfigReport report =
        new ConfigReport(
            List.of(
                new ConfigReport.Row("A", "env", "1", "deprecated name OLD_A used"),
                new ConfigReport.Row("B", "env", "2", "ok; deprecated OLD_B, OLDER_B ignored"),
                new ConfigReport.Row("C", "default", "3", "default")));

    assertThat(DoctorCommand.deprecatedNames(report)).isEqualTo(3);
    assertThat(DoctorCommand.summary(report, 3))
        .isEqualTo("3 settings: 2 set, 1 from defaults, 0 derived, 0 unset; 3 warnings");
  }

  @Test
  void processArguments_splitsProcCmdline() {
    byte[] cmdline = "java\0-Dx=a b\0\0-jar\0".getBytes(UTF_8);

    assertThat(ProcessArguments.split(cmdline)).containsExactly("java", "-Dx=a b", "-jar");
    assertThat(ProcessArguments.split(new byte[0])).isEmpty();
  }

  @Test
  void workTree_findsTheNearestGitAbove() throws IOException {
    Path repo = Files.createDirectories(dir.resolve("repo/.git"));
    Path deep = Files.createDirectories(dir.resolve("repo/a/b"));

    assertThat(ConfigChecks.workTree(deep)).contains(repo.getParent());
    assertThat(ConfigChecks.workTree(dir.resolve("repo"))).contains(repo.getParent());
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** Every setting the schema requires, set in the environment. */
  private Map<String, String> validEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("POSTGRES_PASSWORD", DB_PASSWORD);
    env.put("LLM_API_KEY", LLM_KEY);
    env.put("SESSION_KEY", sessionKey);
    env.put("CREDENTIALS_KEY", credentialsKey);
    env.put("CREDENTIALS_KEY_PREVIOUS", oldCredentialsKey);
    return env;
  }

  private Path dotenv(String... lines) throws IOException {
    Path file = dir.resolve("app.env");
    Files.writeString(file, String.join("\n", lines) + "\n");
    setPermissions(file, "rw-------");
    return file;
  }

  private static boolean setPermissions(Path file, String permissions) throws IOException {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return false;
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return true;
  }

  private void assertNoSecretIn(Cli.Result r) {
    String encodedPassword = URLEncoder.encode(DB_PASSWORD, UTF_8);
    for (String secret :
        List.of(
            "7f3a9c",
            encodedPassword.substring(6),
            sessionKey.substring(4, 24),
            credentialsKey.substring(4, 24),
            oldCredentialsKey.substring(4, 24))) {
      assertThat(r.stdout()).as("stdout").doesNotContain(secret);
      assertThat(r.stderr()).as("stderr").doesNotContain(secret);
    }
    assertThat(r.stderr()).doesNotContain("Exception", "\tat ");
  }

  static boolean gitAvailable() {
    try {
      Process p =
          new ProcessBuilder("git", "--version")
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void git(Path repo, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("git", "-C", repo.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("git %s: %s", List.of(args), output).isZero();
  }

  @Test
  void strict_aDeprecatedNameOfTheOlderKeys_isAWarning() throws IOException {
    Path schema = dir.resolve("keys-schema.json");
    Files.writeString(
        schema,
        "{\"settings\":[{\"name\":\"KEYS\",\"type\":\"fernet-key-list\","
            + "\"aliases\":[\"OLD_KEYS\"]}]}");
    Map<String, String> env = new HashMap<>();
    env.put("KEYS", encoded(FernetKey.generate()));
    env.put("OLD_KEYS_PREVIOUS", encoded(FernetKey.generate()));

    Cli.Result r =
        Cli.run(env, "", "doctor", "--schema", schema.toString(), "--no-env-file", "--strict");

    assertThat(r.stdout()).contains("deprecated name OLD_KEYS_PREVIOUS used");
    assertThat(r.stdout()).doesNotEndWith("no warnings\n");
    assertThat(r.exitCode()).isEqualTo(1);
  }
}
