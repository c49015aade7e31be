package io.latchkey.redact;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigSchema;
import io.latchkey.config.ConfigSource;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import io.latchkey.config.Setting;
import io.latchkey.resolver.ResolvingConfigSource;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCapture;
import io.latchkey.testsupport.MutableClock;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Following a resolver's rotations: a new value is redacted once the resolver reports it, earlier
 * ones stay redacted (up to 16 per reference), and threads redacting during a rotation never see a
 * known value go unmasked. Time is a hand-moved clock; the resolver loads on the calling thread.
 */
final class RedactorRotationTest {
  private static final SecretRef DB = SecretRef.parse("fake:prod/db#password");
  private static final Duration TTL = Duration.ofMinutes(1);

  private final MutableClock clock = new MutableClock();
  private final Manager manager = new Manager();
  private final SecretResolver resolver =
      SecretResolver.builder()
          .provider(manager)
          .clock(clock)
          .executor(Runnable::run)
          .ttl(TTL)
          .jitter(0)
          .build();

  @AfterEach
  void closeResolver() {
    resolver.close();
  }

  /** Rotates the secret behind {@link #DB} and lets the resolver see it, as a refresh does. */
  private void rotate(String value) {
    manager.put(DB.path(), value);
    clock.advance(TTL.multipliedBy(2));
    resolver.resolve(DB);
  }

  /** A configuration whose DB_PASSWORD is {@code ${ref:fake:prod/db#password}}. */
  private Config loadThroughResolver() {
    Setting<Secret> password = Setting.secret("DB_PASSWORD").build();
    ConfigSource env = ConfigSource.of(Map.of("DB_PASSWORD", "${ref:" + DB + "}"), Origin.Kind.ENV);
    return ConfigSchema.builder()
        .add(password)
        .build()
        .load(new ResolvingConfigSource(env, resolver));
  }

  private static String value(int i) {
    return "Qv7zX-CANARY-" + i + "-k3Lm9";
  }

  @Test
  void rotation_ofAReferenceTheConfigUsed_redactsTheNewValueAndKeepsTheOld() {
    manager.put(DB.path(), value(0));
    Config config = loadThroughResolver();
    Redactor redactor =
        Redactor.builder().config(config).resolver(resolver).mask(Redactor.Mask.NAME).build();
    assertThat(redactor.toString()).contains("tracked=1");

    rotate(value(1));

    assertThat(redactor.redact("old " + value(0) + " new " + value(1)))
        .isEqualTo("old [DB_PASSWORD] new [DB_PASSWORD]");
  }

  @Test
  void build_afterARotationTheConfigDidNotSee_redactsBothValues() {
    manager.put(DB.path(), value(0));
    Config config = loadThroughResolver();
    rotate(value(1));

    Redactor redactor = Redactor.builder().config(config).resolver(resolver).build();

    assertThat(redactor.redact(value(0) + " " + value(1))).isEqualTo("*** ***");
  }

  @Test
  void track_aReference_isResolvedAtBuildAndAgainOnRotation() {
    manager.put(DB.path(), value(0));
    Redactor redactor = Redactor.builder().resolver(resolver).track("DB", DB).build();
    assertThat(redactor.redact(value(0))).isEqualTo("***");

    rotate(value(1));

    assertThat(redactor.redact(value(1) + "|" + value(0))).isEqualTo("***|***");
  }

  @Test
  void rotation_manyTimes_keepsTheLast16Values() {
    manager.put(DB.path(), value(0));
    Redactor redactor = Redactor.builder().resolver(resolver).track("DB", DB).build();
    for (int i = 1; i <= 20; i++) {
      rotate(value(i));
    }
    for (int i = 0; i <= 20; i++) {
      String expected = i <= 4 ? value(i) : "***";
      assertThat(redactor.redact(value(i))).as("value %d", i).isEqualTo(expected);
    }
  }

  @Test
  void close_stopsFollowingRotations_andKeepsWhatItKnows() {
    manager.put(DB.path(), value(0));
    Redactor redactor = Redactor.builder().resolver(resolver).track("DB", DB).build();
    redactor.close();
    redactor.close();

    rotate(value(1));

    assertThat(redactor.redact(value(0) + " " + value(1))).isEqualTo("*** " + value(1));
  }

  @Test
  void rotation_whoseValueCannotBeRead_logsTheReferenceOnly() {
    manager.put(DB.path(), value(0));
    Redactor redactor = Redactor.builder().resolver(resolver).track("DB", DB).build();
    resolver.close();
    try (LogCapture log = LogCapture.start()) {
      redactor.reread(DB, true);

      assertThat(log.text())
          .contains("secret " + DB + " changed but could not be read again")
          .contains(IllegalStateException.class.getName());
      Leaks.assertNoLeak("the log", log.text(), value(0));
    }
    assertThat(redactor.redact(value(0))).isEqualTo("***");
  }

  @Test
  void writer_holdingTheStartOfAValueAcrossARotation_stillMasksIt() throws IOException {
    manager.put(DB.path(), value(0));
    Redactor redactor = Redactor.builder().resolver(resolver).track("DB", DB).build();
    StringWriter sink = new StringWriter();
    try (Writer out = redactor.wrap(sink)) {
      out.write("before " + value(0).substring(0, 9));
      rotate(value(1));
      out.write(value(0).substring(9) + " and " + value(1).substring(0, 5));
      out.write(value(1).substring(5) + " after");
    }
    assertThat(sink.toString()).isEqualTo("before *** and *** after");
  }

  @Test
  void redact_byManyThreadsDuringRotations_neverShowsAKnownValue() throws InterruptedException {
    manager.put(DB.path(), value(0));
    Redactor redactor = Redactor.builder().resolver(resolver).track("DB", DB).build();
    int rotations = 10;
    int threads = 3;
    AtomicInteger published = new AtomicInteger();
    AtomicLongArray iterations = new AtomicLongArray(threads);
    Queue<String> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch started = new CountDownLatch(threads);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int self = t;
      Thread worker =
          new Thread(
              () -> {
                started.countDown();
                while (published.get() <= rotations) {
                  int known = published.get();
                  StringBuilder text = new StringBuilder("log line:");
                  for (int i = 0; i <= Math.min(known, rotations); i++) {
                    text.append(' ').append(value(i));
                  }
                  String redacted = redactor.redact(text);
                  for (int i = 0; i <= Math.min(known, rotations); i++) {
                    if (redacted.contains(value(i))) {
                      failures.add("value " + i + " shown after rotation " + known);
                    }
                  }
                  iterations.incrementAndGet(self);
                }
              });
      worker.start();
      workers.add(worker);
    }
    started.await();
    for (int r = 1; r <= rotations; r++) {
      long[] before = snapshot(iterations);
      rotate(value(r));
      published.set(r);
      // Each worker finishes at least one redaction that began after this rotation.
      for (int t = 0; t < threads; t++) {
        while (iterations.get(t) < before[t] + 2) {
          Thread.onSpinWait();
        }
      }
    }
    published.set(rotations + 1);
    for (Thread worker : workers) {
      worker.join();
    }
    assertThat(failures).isEmpty();
  }

  private static long[] snapshot(AtomicLongArray counts) {
    long[] copy = new long[counts.length()];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = counts.get(i);
    }
    return copy;
  }

  /** A secret manager whose values a test sets; each change is a new version. */
  private static final class Manager implements SecretProvider {
    private final Map<String, String> values = new ConcurrentHashMap<>();
    private final AtomicInteger versions = new AtomicInteger();

    void put(String path, String value) {
      values.put(path, value);
      versions.incrementAndGet();
    }

    @Override
    public String name() {
      return "fake";
    }

    @Override
    public SecretVersion fetch(SecretRef ref) {
      String value = values.get(ref.path());
      return SecretVersion.of(
          Secret.of(value), "v" + versions.get(), java.time.Instant.ofEpochSecond(0));
    }

    @Override
    public Optional<ConfigValue> get(String name) {
      return Optional.empty();
    }

    @Override
    public String description() {
      return "fake secret manager";
    }
  }
}
