package io.latchkey.provider.env;

import static io.latchkey.provider.env.Testing.CANARY;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException.Problem;
import io.latchkey.ProviderException;
import io.latchkey.SecretRef;
import io.latchkey.resolver.ProviderHealth;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.CapturingSlf4jProvider;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCapture;
import io.latchkey.testsupport.MutableClock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * Mounted files that change while the provider serves them: every way a file is replaced, content
 * caught half-written, and every kind of bad file, each polled by hand (no background thread).
 */
final class RotationTest {
  private static final SecretRef DB = SecretRef.parse("DB_PASSWORD");

  @TempDir Path dir;

  private final AtomicInteger changes = new AtomicInteger();
  private LogCapture log;

  @BeforeEach
  void capture() {
    log = LogCapture.start();
  }

  @AfterEach
  void noValueLogged() {
    log.close();
    Leaks.assertNoLeak("the log", log.text(), CANARY);
  }

  private EnvSecretProvider fileProvider(Path file) {
    return manual(
        EnvSecretProvider.builder()
            .environment(Map.of("DB_PASSWORD_FILE", file.toString()))
            .noDotenv());
  }

  private EnvSecretProvider manual(EnvSecretProvider.Builder builder) {
    EnvSecretProvider env = builder.pollInterval(Duration.ZERO).build();
    env.onChange(changes::incrementAndGet);
    return env;
  }

  private static String value(EnvSecretProvider env, SecretRef ref) {
    return env.fetch(ref).value().reveal();
  }

  private List<String> warnings() {
    return log.events().stream()
        .filter(e -> e.level() == Level.WARN)
        .map(CapturingSlf4jProvider.Event::message)
        .toList();
  }

  @Test
  void rewrittenInPlace_isTakenOnTheSecondPollThatReadsIt() {
    Path file = Testing.write(dir.resolve("db"), CANARY + "-one\n");
    EnvSecretProvider env = fileProvider(file);
    SecretVersion first = env.fetch(DB);
    assertThat(first.value().reveal()).isEqualTo(CANARY + "-one");
    assertThat(first.versionId()).isPresent();

    Testing.write(file, CANARY + "-two\n");
    assertThat(value(env, DB)).as("not read again before a poll").isEqualTo(CANARY + "-one");
    env.poll();
    assertThat(value(env, DB)).as("read once").isEqualTo(CANARY + "-one");
    assertThat(changes).hasValue(0);
    env.poll();

    SecretVersion second = env.fetch(DB);
    assertThat(second.value().reveal()).isEqualTo(CANARY + "-two");
    assertThat(second.versionId()).isPresent().isNotEqualTo(first.versionId());
    assertThat(env.currentVersionId(DB)).isEqualTo(second.versionId());
    assertThat(changes).hasValue(1);
    assertThat(env.sourceProblems()).isEmpty();
  }

  @Test
  void caughtHalfWritten_isNeverServed() {
    Path file = Testing.write(dir.resolve("db"), "old-password");
    EnvSecretProvider env = fileProvider(file);
    env.fetch(DB);
    List<String> served = new ArrayList<>();

    Testing.write(file, "new-pa");
    env.poll();
    served.add(value(env, DB));
    Testing.write(file, "new-password");
    env.poll();
    served.add(value(env, DB));
    env.poll();
    served.add(value(env, DB));

    assertThat(served).containsExactly("old-password", "old-password", "new-password");
    assertThat(changes).hasValue(1);
  }

  @Test
  void sameContentWrittenAgain_isNoChange() {
    Path file = Testing.write(dir.resolve("db"), "pw\n");
    EnvSecretProvider env = fileProvider(file);
    Optional<String> version = env.fetch(DB).versionId();
    Testing.write(file, "pw\n");
    env.poll();
    env.poll();
    assertThat(env.fetch(DB).versionId()).isEqualTo(version);
    assertThat(changes).hasValue(0);
  }

  @Test
  void movedOverTheOldFile_isTaken() throws IOException {
    Path file = Testing.write(dir.resolve("db"), "one");
    EnvSecretProvider env = fileProvider(file);
    env.fetch(DB);
    Path next = Testing.write(dir.resolve(".db.tmp"), "two");
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    env.poll();
    env.poll();
    assertThat(value(env, DB)).isEqualTo("two");
  }

  @Test
  void kubernetesDataLinkSwap_isTaken() throws IOException {
    Path secrets = Files.createDirectory(dir.resolve("secrets"));
    Path first = Files.createDirectory(secrets.resolve("..2026_11_23_10_00_00.000000001"));
    Testing.write(first.resolve("db_password"), "one\n");
    Files.createSymbolicLink(secrets.resolve("..data"), first.getFileName());
    Files.createSymbolicLink(
        secrets.resolve("db_password"), Path.of("..data").resolve("db_password"));
    EnvSecretProvider env =
        manual(EnvSecretProvider.builder().environment(Map.of()).noDotenv().secretsDir(secrets));
    assertThat(value(env, DB)).isEqualTo("one");

    Path second = Files.createDirectory(secrets.resolve("..2026_11_24_10_00_00.000000002"));
    Testing.write(second.resolve("db_password"), "two\n");
    Path link = Files.createSymbolicLink(secrets.resolve("..data_tmp"), second.getFileName());
    Files.move(link, secrets.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    env.poll();
    env.poll();

    assertThat(value(env, DB)).isEqualTo("two");
    assertThat(changes).hasValue(1);
  }

  @Test
  void emptied_keepsThePreviousValue_warnsOnce_andRecovers() {
    Path file = Testing.write(dir.resolve("db"), CANARY + "\n");
    EnvSecretProvider env = fileProvider(file);
    env.fetch(DB);

    Testing.write(file, "");
    env.poll();
    assertThat(env.sourceProblems()).as("once may be a write in flight").isEmpty();
    assertThat(warnings()).isEmpty();
    env.poll();
    env.poll();
    env.poll();

    assertThat(value(env, DB)).isEqualTo(CANARY);
    assertThat(env.sourceProblems())
        .containsExactly(
            new Problem(
                "DB_PASSWORD_FILE",
                file + " is empty (named in the environment); serving the previous value"));
    assertThat(warnings())
        .containsExactly(
            "DB_PASSWORD_FILE: "
                + file
                + " is empty (named in the environment); serving the previous value until it is"
                + " fixed");

    Testing.write(file, CANARY + "\n");
    env.poll();
    assertThat(env.sourceProblems()).isEmpty();
    assertThat(changes).hasValue(0);
  }

  @Test
  void goneForAMoment_isNeitherServedNorReported() throws IOException {
    Path file = Testing.write(dir.resolve("db"), "pw");
    EnvSecretProvider env = fileProvider(file);
    env.fetch(DB);
    Files.delete(file);
    env.poll();
    Testing.write(file, "pw");
    env.poll();
    assertThat(value(env, DB)).isEqualTo("pw");
    assertThat(env.sourceProblems()).isEmpty();
    assertThat(warnings()).isEmpty();
  }

  /** Something done to the file that a previous fetch read. */
  @FunctionalInterface
  private interface Breakage {
    void breakIt(Path file) throws IOException;
  }

  /**
   * Breaks a file a fetch read, polls twice, and checks that the previous value is still served and
   * the problem is named.
   */
  private EnvSecretProvider assertHeldBack(Breakage breakage, String reason) throws IOException {
    Path file = Testing.write(dir.resolve("db"), "pw");
    EnvSecretProvider env = fileProvider(file);
    env.fetch(DB);
    breakage.breakIt(file);
    env.poll();
    env.poll();
    assertThat(value(env, DB)).isEqualTo("pw");
    assertThat(env.sourceProblems())
        .extracting(Problem::reason)
        .containsExactly(
            file + " " + reason + " (named in the environment); serving the previous value");
    assertThat(warnings()).hasSize(1);
    return env;
  }

  @Test
  void goneForGood_keepsServing_andSaysSo() throws IOException {
    assertHeldBack(Files::delete, "does not exist");
  }

  @Test
  void replacedByADirectory_keepsThePreviousValue_andRecovers() throws IOException {
    EnvSecretProvider env =
        assertHeldBack(
            file -> {
              Files.delete(file);
              Files.createDirectory(file);
            },
            "is a directory, not a file");
    Path file = dir.resolve("db");
    Files.delete(file);
    Testing.write(file, "pw2");
    env.poll();
    env.poll();
    assertThat(value(env, DB)).isEqualTo("pw2");
    assertThat(env.sourceProblems()).isEmpty();
  }

  @Test
  void aLoopOfSymbolicLinks_isNamedAsSuch() throws IOException {
    assertHeldBack(
        file -> {
          Files.delete(file);
          Files.createSymbolicLink(dir.resolve("loop"), file.getFileName());
          Files.createSymbolicLink(file, Path.of("loop"));
        },
        "is a loop of symbolic links");
  }

  @Test
  void aGigabyteFile_isRefusedByItsSize_withoutReadingIt() throws IOException {
    assertHeldBack(
        file -> {
          try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(1L << 30);
          }
        },
        "is larger than 1 MiB; expected a file holding one secret");
  }

  @Test
  void notUtf8_isRefused() throws IOException {
    assertHeldBack(
        file -> Testing.write(file, new byte[] {'p', (byte) 0xC3}), "is not valid UTF-8");
  }

  @Test
  void madeUnreadable_keepsThePreviousValue_andRecovers() {
    // Root reads any file whatever its mode, so the denial comes from the file system seam.
    Path file = Testing.write(dir.resolve("db"), "pw");
    AtomicInteger denied = new AtomicInteger();
    MountedFiles files =
        new MountedFiles(
            path ->
                denied.get() > 0
                    ? new FileContent.Reading(
                        null, FileContent.Fault.DENIED, "", new AccessDeniedException("db"))
                    : FileContent.read(path, SecretFiles.MAX_BYTES),
            path -> FileContent.read(path, DotenvFile.MAX_BYTES));
    var named = io.latchkey.internal.PathText.of(file);
    assertThat(files.read(file, named, "DB_PASSWORD_FILE", "named in the environment"))
        .isEqualTo("pw");

    denied.set(1);
    files.poll();
    files.poll();
    assertThat(files.read(file, named, "DB_PASSWORD_FILE", "")).isEqualTo("pw");
    assertThat(files.problems())
        .extracting(Problem::reason)
        .containsExactly(
            file
                + " cannot be read (permission denied) (named in the environment); serving the"
                + " previous value");

    denied.set(0);
    files.poll();
    assertThat(files.problems()).isEmpty();
  }

  @Test
  void dotenvFile_editedInPlace_isTaken_andMalformedEditsAreNot() {
    Path dotenv = Testing.write(dir.resolve(".env"), "DB_PASSWORD=one\nOTHER=x\n");
    EnvSecretProvider env =
        manual(EnvSecretProvider.builder().environment(Map.of()).dotenvFile(dotenv));
    SecretVersion first = env.fetch(DB);
    assertThat(first.versionId()).isPresent();
    SecretVersion other = env.fetch(SecretRef.parse("OTHER"));

    Testing.write(dotenv, "DB_PASSWORD=two\nOTHER=x\n");
    env.poll();
    env.poll();
    assertThat(value(env, DB)).isEqualTo("two");
    assertThat(env.fetch(SecretRef.parse("OTHER")).versionId())
        .as("an entry that did not change keeps its version")
        .isEqualTo(other.versionId());

    Testing.write(dotenv, "DB_PASSWORD=three\n" + CANARY + "\n");
    env.poll();
    env.poll();
    assertThat(value(env, DB)).isEqualTo("two");
    assertThat(env.sourceProblems())
        .extracting(Problem::reason)
        .singleElement()
        .satisfies(
            reason ->
                assertThat(reason)
                    .startsWith(dotenv + " has malformed lines (.env line 2: ")
                    .doesNotContain(CANARY));
  }

  @Test
  void versions_areKeyed_notAPlainHashOfTheValue() throws Exception {
    Path file = Testing.write(dir.resolve("db"), CANARY);
    String version = fileProvider(file).fetch(DB).versionId().orElseThrow();
    String sha256 =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(CANARY.getBytes(UTF_8)));
    assertThat(version).hasSize(16).doesNotContain(CANARY);
    assertThat(sha256).doesNotContain(version);
    assertThat(fileProvider(file).fetch(DB).versionId())
        .as("another provider draws another key")
        .isNotEqualTo(Optional.of(version));
  }

  @Test
  void environmentValues_haveNoVersion_andStartNoPolls() {
    EnvSecretProvider env =
        EnvSecretProvider.builder().environment(Map.of("DB_PASSWORD", "pw")).noDotenv().build();
    assertThat(env.fetch(DB).versionId()).isEmpty();
    assertThat(env.currentVersionId(DB)).isEmpty();
    assertThat(pollThreads()).isZero();
  }

  @Test
  void backgroundPoll_startsWithTheFirstFileFetched_andEndsOnClose() {
    Path file = Testing.write(dir.resolve("db"), "pw");
    EnvSecretProvider env =
        EnvSecretProvider.builder()
            .environment(Map.of("DB_PASSWORD_FILE", file.toString()))
            .noDotenv()
            .pollInterval(Duration.ofHours(1))
            .build();
    long before = pollThreads();
    env.get("DB_PASSWORD");
    assertThat(pollThreads()).as("a configuration load polls nothing").isEqualTo(before);
    env.fetch(DB);
    assertThat(pollThreads()).isEqualTo(before + 1);
    env.close();
    assertThat(pollThreads()).isEqualTo(before);
  }

  @Test
  void watcher_takesAChangeWithoutWaitingForTheInterval() throws InterruptedException {
    Path file = Testing.write(dir.resolve("db"), "one");
    CountDownLatch changed = new CountDownLatch(1);
    try (EnvSecretProvider env =
        EnvSecretProvider.builder()
            .environment(Map.of("DB_PASSWORD_FILE", file.toString()))
            .noDotenv()
            .pollInterval(Duration.ofHours(1))
            .build()) {
      env.onChange(changed::countDown);
      env.fetch(DB);
      Testing.write(file, "two");
      // An hour's interval: only the directory's event can have polled in time.
      assertThat(changed.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(value(env, DB)).isEqualTo("two");
    }
  }

  @Test
  void discoveredProvider_tellsTheResolverWhatItsPollsTake() throws InterruptedException {
    Path file = Testing.write(dir.resolve("db"), "one");
    CountDownLatch changed = new CountDownLatch(1);
    try (SecretResolver resolver =
        SecretResolver.builder()
            .discoverProviders(
                Map.of("DB_PASSWORD_FILE", file.toString(), "LATCHKEY_ENV_FILE", "none"))
            .ttl(Duration.ofHours(1))
            .build()) {
      assertThat(resolver.resolve(DB).reveal()).isEqualTo("one");
      resolver.addListener(DB, (ref, before, after) -> changed.countDown());
      Testing.write(file, "two");
      // The resolver created the provider; its own polls (and watcher) take the change, and the
      // callback the resolver registered through discovery re-checks the reference within the hour.
      assertThat(changed.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(resolver.resolve(DB).reveal()).isEqualTo("two");
    }
  }

  @Test
  void resolver_isDegradedWhileAFileIsHeldBack_andOkOnceFixed() {
    Path file = Testing.write(dir.resolve("db"), "pw");
    EnvSecretProvider env = fileProvider(file);
    try (SecretResolver resolver =
        SecretResolver.builder()
            .provider(env)
            .clock(new MutableClock())
            .executor(Runnable::run)
            .build()) {
      resolver.resolve(DB);
      Testing.write(file, "");
      env.poll();
      env.poll();
      ProviderHealth health = resolver.health().get("env");
      assertThat(health.status()).isEqualTo(ProviderHealth.Status.DEGRADED);
      assertThat(health.sourceProblems())
          .extracting(Problem::setting)
          .containsExactly("DB_PASSWORD_FILE");
      assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw");

      Testing.write(file, "pw");
      env.poll();
      assertThat(resolver.health().get("env").status()).isEqualTo(ProviderHealth.Status.OK);
    }
  }

  @Test
  void resolver_fieldsOfARotatedFile_followAtOnce() {
    Path file = Testing.write(dir.resolve("db"), "{\"user\":\"app\",\"password\":\"one\"}");
    EnvSecretProvider env =
        manual(
            EnvSecretProvider.builder().environment(Map.of("DB_FILE", file.toString())).noDotenv());
    try (SecretResolver resolver =
        SecretResolver.builder()
            .provider(env)
            .ttl(Duration.ofHours(1))
            .clock(new MutableClock())
            .executor(Runnable::run)
            .build()) {
      SecretRef password = SecretRef.parse("env:DB#password");
      SecretRef user = SecretRef.parse("env:DB#user");
      assertThat(resolver.resolve(password).reveal()).isEqualTo("one");
      assertThat(resolver.resolve(user).reveal()).isEqualTo("app");
      List<SecretRef> changed = new ArrayList<>();
      resolver.addListener((ref, before, after) -> changed.add(ref));

      Testing.write(file, "{\"user\":\"app\",\"password\":\"two\"}");
      env.poll();
      env.poll();

      assertThat(resolver.resolve(password).reveal()).isEqualTo("two");
      assertThat(resolver.resolve(user).reveal()).isEqualTo("app");
      assertThat(changed).contains(password);
    }
  }

  private static long pollThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("latchkey-env-poll-") && t.isAlive())
        .count();
  }

  /** Makes a FIFO with {@code mkfifo}, or skips the test where there is none. */
  static Path fifo(Path path) throws IOException, InterruptedException {
    Process mkfifo;
    try {
      mkfifo = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.assumeTrue(false, "mkfifo is not available");
      throw e;
    }
    Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
    return path;
  }

  @Test
  void replacedByAFifo_isRefusedWithoutOpeningIt() throws Exception {
    Path file = Testing.write(dir.resolve("db"), "pw");
    EnvSecretProvider env = fileProvider(file);
    env.fetch(DB);
    Files.delete(file);
    fifo(file);
    // Opening a FIFO with no writer blocks: these polls return only because it is never opened.
    env.poll();
    env.poll();
    assertThat(value(env, DB)).isEqualTo("pw");
    assertThat(env.sourceProblems())
        .extracting(Problem::reason)
        .containsExactly(
            file
                + " is not a regular file (a device, a pipe or a socket) (named in the"
                + " environment); serving the previous value");
  }

  @Test
  void emptyFile_onTheFirstFetch_isRefused_asAPollRefusesIt() {
    Path file = Testing.write(dir.resolve("db"), "\n");
    EnvSecretProvider env = fileProvider(file);

    assertThatThrownBy(() -> env.fetch(DB))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("DB_PASSWORD_FILE: " + file + " is empty (named in the environment)");

    Testing.write(file, CANARY + "\n");
    assertThat(value(env, DB)).as("not held: read again once fixed").isEqualTo(CANARY);
  }

  @Test
  void oneFileBehindTwoVariables_isReportedAgainstEach() throws IOException {
    Path file = Testing.write(dir.resolve("shared"), "pw");
    EnvSecretProvider env =
        manual(
            EnvSecretProvider.builder()
                .environment(Map.of("A_FILE", file.toString(), "B_FILE", file.toString()))
                .noDotenv());
    env.fetch(SecretRef.parse("A"));
    env.fetch(SecretRef.parse("B"));
    Files.delete(file);
    env.poll();
    env.poll();

    String reason = file + " does not exist (named in the environment)";
    assertThat(env.sourceProblems())
        .containsExactly(
            new Problem("A_FILE", reason + "; serving the previous value"),
            new Problem("B_FILE", reason + "; serving the previous value"));
    assertThat(warnings())
        .containsExactly(
            "A_FILE: " + reason + "; serving the previous value until it is fixed",
            "B_FILE: " + reason + "; serving the previous value until it is fixed");
    assertThat(value(env, SecretRef.parse("B"))).isEqualTo("pw");
  }

  @Test
  void dotenvNotes_areLoggedOnceWhenTheContentIsTaken_notOnEveryPoll() {
    Path dotenv = Testing.write(dir.resolve(".env"), "A=1\n");
    EnvSecretProvider env =
        manual(EnvSecretProvider.builder().environment(Map.of()).dotenvFile(dotenv));
    env.fetch(SecretRef.parse("A"));

    // Broken as well: never taken, so never noted, however many polls read it.
    Testing.write(dotenv, "A=${" + CANARY + "}\nbroken line\n");
    for (int i = 0; i < 5; i++) {
      env.poll();
    }
    assertThat(warnings())
        .as("only the held-back warning")
        .singleElement()
        .satisfies(w -> assertThat(w).contains("has malformed lines"));

    Testing.write(dotenv, "A=${" + CANARY + "}\n");
    for (int i = 0; i < 5; i++) {
      env.poll();
    }
    assertThat(value(env, SecretRef.parse("A"))).isEqualTo("${" + CANARY + "}");
    assertThat(warnings().stream().filter(w -> w.contains("${...} syntax")))
        .containsExactly(
            ".env line 1: the value uses ${...} syntax, but variables are not interpolated; it is"
                + " used as written (single-quote it to silence this warning)");
  }
}
