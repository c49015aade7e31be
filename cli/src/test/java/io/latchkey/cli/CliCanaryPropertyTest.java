package io.latchkey.cli;

import static io.latchkey.cli.MainTest.encoded;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.testsupport.Leaks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the command line in-process over seeded random secrets placed wherever a user might put one
 * (a {@code .env} file, the environment, a key file, standard input, a path option, a JDBC URL, a
 * stray argument) and checks that no output holds the secret in any form {@link Leaks} knows: raw,
 * percent-, form-, base64-, hex- or JSON-encoded, or any run of 8 of its characters.
 *
 * <p>A failure names the seed, the case number and the scenario; rerun with {@code
 * -Dlatchkey.canary.seed=N} to reproduce it.
 */
final class CliCanaryPropertyTest {
  private static final long SEED = Long.getLong("latchkey.canary.seed", 0x1a7c4e5d2b9f3L);
  private static final int CASES = 300;

  private static final FernetKey KEY = FernetKey.generate();
  private static final FernetKey OTHER_KEY = FernetKey.generate();

  /**
   * Secret settings (one with a deprecated name), plain settings with defaults, a key list, and
   * settings derived from secrets: a URL with the password percent-encoded into it, a secret, and a
   * plain string, all of which the doctor's report must mask.
   */
  private static final String SCHEMA =
      """
      {"settings": [
        {"name": "API_KEY", "type": "secret", "aliases": ["OLD_API_KEY"]},
        {"name": "DB_PASSWORD", "type": "secret"},
        {"name": "DB_HOST", "type": "string", "default": "db"},
        {"name": "DATABASE_URL", "type": "url", "schemes": ["postgresql"],
         "derive": "postgresql://app:${DB_PASSWORD|url}@${DB_HOST}:5432/app"},
        {"name": "APP_KEY", "type": "fernet-key-list", "required": false},
        {"name": "AUTH_HEADER", "type": "secret", "derive": "Bearer ${API_KEY}"},
        {"name": "CALLBACK_URL", "type": "string",
         "derive": "https://hooks.example.com/in?key=${API_KEY|url}"},
        {"name": "PORT", "type": "port", "default": 8080}
      ]}
      """;

  @TempDir Path dir;

  private Path schema;
  private final String keyText = encoded(KEY);

  /** One scenario: builds the run for a secret, returns what it printed. */
  private interface Scenario extends BiFunction<String, SplittableRandom, Cli.Result> {}

  private record Named(String name, Scenario scenario) {}

  @BeforeEach
  void files() throws IOException {
    schema = dir.resolve("schema.json");
    Files.writeString(schema, SCHEMA);
  }

  @Test
  void cli_randomSecretsEverywhere_neverPrintedInAnyForm() {
    List<Named> scenarios = scenarios();
    SplittableRandom random = new SplittableRandom(SEED);
    Map<String, Integer> runs = new HashMap<>();
    for (int i = 0; i < CASES; i++) {
      Named named = scenarios.get(random.nextInt(scenarios.size()));
      String secret = Leaks.randomSecret(random, 512);
      Cli.Result r = named.scenario().apply(secret, random.split());
      String what = "seed " + SEED + ", case " + i + " (" + named.name() + ")";
      Leaks.assertNoLeak(what + ": stdout", r.stdout(), secret);
      Leaks.assertNoLeak(what + ": stderr", r.stderr(), secret);
      assertThat(r.stderr()).as(what).doesNotContain("\tat ", "Caused by");
      runs.merge(named.name(), 1, Integer::sum);
    }
    assertThat(runs).as("every scenario ran").hasSize(scenarios.size());
  }

  private List<Named> scenarios() {
    List<Named> s = new ArrayList<>();
    // ---- doctor --------------------------------------------------------------------------------
    s.add(new Named("doctor, secret in .env", (secret, random) -> doctorValid(secret, random)));
    s.add(
        new Named(
            "doctor, secret in the environment",
            (secret, random) -> {
              Map<String, String> env = baseEnv();
              env.put(random.nextBoolean() ? "API_KEY" : "OLD_API_KEY", secret);
              env.put("DB_PASSWORD", "db-password-1");
              return doctor(env, "--no-env-file");
            }));
    s.add(
        new Named(
            "doctor, secret as a malformed .env line",
            (secret, random) -> {
              String line =
                  switch (random.nextInt(4)) {
                    case 0 -> secret.replace("=", "");
                    case 1 -> "BAD NAME=" + secret;
                    case 2 -> "API_KEY=\"" + secret.replace("\"", "");
                    default -> "9" + secret.replace("=", "") + "=x";
                  };
              Path env = dotenv("DB_PASSWORD=db-password-1", line);
              return doctor(baseEnv(), "--env-file", env.toString());
            }));
    s.add(
        new Named(
            "doctor, secret as a bad key",
            (secret, random) -> {
              Map<String, String> env = validEnv();
              if (random.nextBoolean()) {
                env.put("APP_KEY", secret);
              } else {
                env.put("APP_KEY", keyText);
                env.put("APP_KEY_PREVIOUS", encoded(OTHER_KEY) + "," + secret);
              }
              return doctor(env, "--no-env-file");
            }));
    s.add(
        new Named(
            "doctor, secret as --env-file or --secrets-dir",
            (secret, random) -> {
              Map<String, String> env = validEnv();
              env.put("API_KEY", secret);
              String option = random.nextBoolean() ? "--env-file" : "--secrets-dir";
              return doctor(env, option, secret);
            }));
    s.add(
        new Named(
            "doctor, secret as --schema",
            (secret, random) -> run(validEnv(), "", "doctor", "--schema", secret)));
    s.add(
        new Named(
            "doctor, secret on the command line",
            (secret, random) -> {
              Map<String, String> env = validEnv();
              env.put("DB_PASSWORD", secret);
              return Cli.runWithCommandLine(
                  env,
                  List.of("java", "-Dapp.db.password=" + secret, "-jar", "latchkey.jar"),
                  "doctor",
                  "--schema",
                  schema.toString(),
                  "--no-env-file");
            }));
    // ---- docs ----------------------------------------------------------------------------------
    s.add(
        new Named(
            "docs, secret as --schema or --format",
            (secret, random) ->
                random.nextBoolean()
                    ? run(Map.of(), "", "docs", "--schema", secret, "--format", "markdown")
                    : run(
                        Map.of(), "", "docs", "--schema", schema.toString(), "--format", secret)));
    // ---- encrypt, decrypt, rotate --------------------------------------------------------------
    s.add(
        new Named(
            "encrypt the secret",
            (secret, random) ->
                run(keyEnv(), secret, withLines(random, "encrypt", "--key-env", "APP_KEY"))));
    s.add(
        new Named(
            "decrypt the secret's token with the wrong key",
            (secret, random) -> {
              String token = FernetKeyRing.of(OTHER_KEY).encrypt(secret.getBytes(UTF_8));
              return run(keyEnv(), token, withLines(random, "decrypt", "--key-env", "APP_KEY"));
            }));
    s.add(
        new Named(
            "decrypt or rotate the secret as a token",
            (secret, random) -> {
              String command = random.nextBoolean() ? "decrypt" : "rotate";
              String stdin = random.nextBoolean() ? secret : "gAAAAA" + secret;
              return run(keyEnv(), stdin, withLines(random, command, "--key-env", "APP_KEY"));
            }));
    s.add(
        new Named(
            "secret as the key in the environment",
            (secret, random) -> {
              Map<String, String> env = new HashMap<>();
              if (random.nextBoolean()) {
                env.put("APP_KEY", secret);
              } else {
                env.put("APP_KEY", keyText);
                env.put("APP_KEY_PREVIOUS", secret + ", " + encoded(OTHER_KEY));
              }
              return run(env, "x", ringCommand(random), "--key-env", "APP_KEY");
            }));
    s.add(
        new Named(
            "secret as a line of the key file",
            (secret, random) -> {
              String bom = random.nextBoolean() ? "\uFEFF" : "";
              String eol = random.nextBoolean() ? "\r\n" : "\n";
              Path file = write("app.keys", bom + keyText + eol + secret.replace("#", "") + eol);
              return run(Map.of(), "x", ringCommand(random), "--key-file", file.toString());
            }));
    s.add(
        new Named(
            "secret as --key-file or --key-env",
            (secret, random) -> {
              String option = random.nextBoolean() ? "--key-file" : "--key-env";
              return run(Map.of(), "x", ringCommand(random), option, secret);
            }));
    s.add(
        new Named(
            "secret as a stray argument or option",
            (secret, random) -> {
              String arg =
                  switch (random.nextInt(4)) {
                    case 0 -> secret;
                    case 1 -> "--" + secret;
                    case 2 -> "--ttl=" + secret;
                    default -> "--key-env=" + secret;
                  };
              return run(keyEnv(), "x", ringCommand(random), "--key-env", "APP_KEY", arg);
            }));
    // ---- reencrypt: argument errors only -------------------------------------------------------
    s.add(
        new Named(
            "reencrypt, secret in --jdbc-url",
            (secret, random) -> {
              String url =
                  switch (random.nextInt(6)) {
                    case 0 -> "jdbc:postgresql://app:" + secret + "@db:5432/app";
                    case 1 -> "jdbc:postgresql://" + secret + "@db:5432/app";
                    case 2 -> "jdbc:postgresql://db:5432/app?user=app&password=" + secret;
                    case 3 -> "jdbc:sqlserver://db:1433;databaseName=app;PWD=" + secret;
                    case 4 -> "jdbc:sqlserver://db:1433;pwd=" + secret;
                    default -> "jdbc:mysql://db/app?sslMode=REQUIRED&accessToken=" + secret;
                  };
              return reencrypt(
                  url, "--table", "t", "--key-column", "id", "--ciphertext-column", "c");
            }));
    s.add(
        new Named(
            "reencrypt, secret as another argument",
            (secret, random) -> {
              String url = "jdbc:h2:mem:canary-unused";
              return switch (random.nextInt(4)) {
                case 0 -> reencrypt(url, "--targets", secret);
                case 1 ->
                    reencrypt(
                        url,
                        "--table",
                        "t",
                        "--key-column",
                        "id",
                        "--ciphertext-column",
                        "c",
                        "--db-password-env",
                        secret);
                case 2 ->
                    reencrypt(
                        url,
                        "--table",
                        "t",
                        "--key-column",
                        "id",
                        "--ciphertext-column",
                        "c",
                        "--batch-size",
                        secret);
                default ->
                    reencrypt(
                        url,
                        "--targets",
                        write("targets.txt", secret.replace("#", "") + "\n").toString());
              };
            }));
    return s;
  }

  private Cli.Result doctorValid(String secret, SplittableRandom random) {
    String name = random.nextBoolean() ? "API_KEY" : "DB_PASSWORD";
    String other = name.equals("API_KEY") ? "DB_PASSWORD" : "API_KEY";
    String escaped = secret.replace("\\", "\\\\").replace("\"", "\\\"");
    String export = random.nextBoolean() ? "export " : "";
    Path env = dotenv(export + name + "=\"" + escaped + "\"", other + "=other-value-1");
    return doctor(baseEnv(), "--env-file", env.toString());
  }

  private Cli.Result doctor(Map<String, String> env, String... options) {
    List<String> args = new ArrayList<>(List.of("doctor", "--schema", schema.toString()));
    args.addAll(List.of(options));
    return Cli.runWithCommandLine(
        env, List.of("java", "-jar", "latchkey.jar"), args.toArray(String[]::new));
  }

  private Cli.Result reencrypt(String url, String... options) {
    List<String> args =
        new ArrayList<>(List.of("reencrypt", "--jdbc-url", url, "--key-env", "APP_KEY"));
    args.addAll(List.of(options));
    return run(keyEnv(), "", args.toArray(String[]::new));
  }

  private static Cli.Result run(Map<String, String> env, String stdin, String... args) {
    return Cli.run(env, stdin, args);
  }

  private static String ringCommand(SplittableRandom random) {
    return List.of("encrypt", "decrypt", "rotate").get(random.nextInt(3));
  }

  /** The arguments, with {@code --lines} added half of the time. */
  private static String[] withLines(SplittableRandom random, String... args) {
    List<String> list = new ArrayList<>(List.of(args));
    if (random.nextBoolean()) {
      list.add("--lines");
    }
    return list.toArray(String[]::new);
  }

  private Map<String, String> keyEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("APP_KEY", keyText);
    return env;
  }

  /** Nothing from the real environment: only what the case sets. */
  private static Map<String, String> baseEnv() {
    return new HashMap<>();
  }

  private Map<String, String> validEnv() {
    Map<String, String> env = baseEnv();
    env.put("API_KEY", "api-key-value-1");
    env.put("DB_PASSWORD", "db-password-1");
    return env;
  }

  private Path dotenv(String... lines) {
    return write(".env", String.join("\n", lines) + "\n");
  }

  private Path write(String name, String text) {
    try {
      Path file = dir.resolve(name);
      Files.writeString(file, text, UTF_8);
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      return file;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
