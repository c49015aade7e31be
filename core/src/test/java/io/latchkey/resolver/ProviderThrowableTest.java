package io.latchkey.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigSchema;
import io.latchkey.config.ConfigSource;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import io.latchkey.config.Setting;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretProviderFactory;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.CapturingSlf4jProvider;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.MutableClock;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A provider that throws something other than a Latchkey exception, an {@code Error} included,
 * reaches no caller with its message: it may quote the value the provider was handling.
 */
final class ProviderThrowableTest {
  private static final String CANARY = "CANARY-e41b7d-hunter2-value";
  private static final SecretRef DB = SecretRef.parse("crash:db");
  private static final Setting<Secret> DB_PASSWORD = Setting.secret("DB_PASSWORD").build();
  private static final ConfigSchema SCHEMA = ConfigSchema.builder().add(DB_PASSWORD).build();

  /** An application's own error type, which nothing in the library knows about. */
  private static final class VendorError extends Error {
    private static final long serialVersionUID = 1L;

    VendorError(String message) {
      super(message);
    }
  }

  static Stream<Arguments> throwables() {
    return Stream.of(
        Arguments.of(
            "AssertionError",
            (Supplier<Throwable>)
                () -> new AssertionError("expected " + CANARY + " to be rotated")),
        Arguments.of("LinkageError", (Supplier<Throwable>) () -> new LinkageError("bad " + CANARY)),
        Arguments.of(
            "ExceptionInInitializerError",
            (Supplier<Throwable>) () -> new ExceptionInInitializerError("init saw " + CANARY)),
        Arguments.of(
            "custom Error", (Supplier<Throwable>) () -> new VendorError("vendor: " + CANARY)),
        Arguments.of(
            "exception caused by an Error",
            (Supplier<Throwable>)
                () -> new IllegalStateException("x", new AssertionError("cause: " + CANARY))));
  }

  private final MutableClock clock = new MutableClock();
  private final AtomicInteger fetches = new AtomicInteger();

  @BeforeEach
  void clearLog() {
    CapturingSlf4jProvider.clear();
  }

  @AfterEach
  void noLeakInLog() {
    for (CapturingSlf4jProvider.Event e : CapturingSlf4jProvider.allEvents()) {
      Leaks.assertNoLeak("log line", e.message(), CANARY);
    }
  }

  /** Throws what it is told to, from every method that a caller reaches. */
  private final class Crashing implements SecretProvider {
    private volatile Supplier<Throwable> failure;

    Crashing(Supplier<Throwable> failure) {
      this.failure = failure;
    }

    @Override
    public String name() {
      return "crash";
    }

    @Override
    public SecretVersion fetch(SecretRef ref) {
      fetches.incrementAndGet();
      Supplier<Throwable> f = failure;
      if (f == null) {
        return SecretVersion.of(Secret.of(CANARY + "-ok"), clock.instant());
      }
      throw ProviderThrowableTest.<RuntimeException>sneaky(f.get());
    }

    @Override
    public Map<SecretRef, SecretVersion> fetchAll(Collection<SecretRef> refs) {
      Supplier<Throwable> f = failure;
      if (f == null) {
        return Map.of();
      }
      throw ProviderThrowableTest.<RuntimeException>sneaky(f.get());
    }

    @Override
    public Optional<ConfigValue> get(String name) {
      Supplier<Throwable> f = failure;
      if (f == null) {
        return Optional.empty();
      }
      throw ProviderThrowableTest.<RuntimeException>sneaky(f.get());
    }

    @Override
    public String description() {
      return "crash";
    }
  }

  // The sneaky-throw idiom: T is inferred as an unchecked type at the call site, on purpose.
  @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
  private static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }

  private SecretResolver resolver(SecretProvider provider) {
    return SecretResolver.builder()
        .provider(provider)
        .clock(clock)
        .executor(Runnable::run)
        .ttl(Duration.ofSeconds(100))
        .jitter(0)
        .retry(3, Duration.ofMillis(1), Duration.ofMillis(1))
        .sleeper(millis -> {})
        .build();
  }

  private static void assertReduced(Throwable thrown, Throwable original) {
    assertThat(thrown).isInstanceOf(ProviderException.class);
    ProviderException e = (ProviderException) thrown;
    assertThat(e.ref()).isEqualTo(DB);
    assertThat(e.kind()).isEqualTo(ProviderException.Kind.OTHER);
    assertThat(e.getMessage())
        .isEqualTo(
            "secret crash:db: other: the provider failed with " + original.getClass().getName());
    // The cause keeps where it happened, for debugging, and nothing of what it said.
    assertThat(e.getCause()).isNotSameAs(original).hasNoCause();
    assertThat(e.getCause()).hasToString(original.getClass().getName() + " (message removed)");
    assertThat(e.getCause().getStackTrace()).isEqualTo(original.getStackTrace());
    Leaks.assertNoLeak(thrown, CANARY);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("throwables")
  void resolve_providerThrows_providerExceptionNamingTheClassOnly(
      String what, Supplier<Throwable> failure) {
    Throwable[] original = new Throwable[1];
    Crashing crashing =
        new Crashing(
            () -> {
              original[0] = failure.get();
              return original[0];
            });
    try (SecretResolver r = resolver(crashing)) {
      Throwable thrown = catchThrowable(() -> r.resolve(DB));
      assertReduced(thrown, original[0]);
      assertThat(fetches).as("OTHER is not retried").hasValue(1);
      assertThat(r.health().get("crash").toString()).doesNotContain(CANARY);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("throwables")
  void resolve_providerThrowsAfterExpiry_servesStaleWithoutTheMessage(
      String what, Supplier<Throwable> failure) {
    Crashing crashing = new Crashing(null);
    try (SecretResolver r = resolver(crashing)) {
      assertThat(r.resolve(DB).reveal()).isEqualTo(CANARY + "-ok");
      crashing.failure = failure;
      clock.advance(Duration.ofSeconds(101));
      assertThat(r.resolve(DB).reveal()).isEqualTo(CANARY + "-ok");
      assertThat(CapturingSlf4jProvider.allEvents())
          .anySatisfy(e -> assertThat(e.message()).contains("serving the previous value"));
    }
  }

  @Test
  void resolve_providerThrowsStackOverflowError_propagatesUntouched() {
    StackOverflowError overflow = new StackOverflowError();
    try (SecretResolver r = resolver(new Crashing(() -> overflow))) {
      assertThat(catchThrowable(() -> r.resolve(DB))).isSameAs(overflow);
    }
  }

  @Test
  void resolve_providerThrowsOutOfMemoryError_propagatesUntouched() {
    OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
    try (SecretResolver r = resolver(new Crashing(() -> oom))) {
      assertThat(catchThrowable(() -> r.resolve(DB))).isSameAs(oom);
    }
  }

  @Test
  void resolve_onPooledThreads_providerThrowsAssertionError_reduced() {
    AssertionError error = new AssertionError(CANARY);
    try (SecretResolver r =
        SecretResolver.builder().provider(new Crashing(() -> error)).clock(clock).build()) {
      assertReduced(catchThrowable(() -> r.resolve(DB)), error);
    }
  }

  @Test
  void resolve_onPooledThreads_providerThrowsStackOverflowError_propagates() {
    StackOverflowError overflow = new StackOverflowError();
    try (SecretResolver r =
        SecretResolver.builder().provider(new Crashing(() -> overflow)).clock(clock).build()) {
      assertThat(catchThrowable(() -> r.resolve(DB))).isSameAs(overflow);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("throwables")
  void prefetch_providerThrows_problemsNameTheClassOnly(String what, Supplier<Throwable> failure) {
    SecretRef other = SecretRef.parse("crash:other");
    try (SecretResolver r = resolver(new Crashing(failure))) {
      Throwable thrown = catchThrowable(() -> r.prefetch(List.of(DB, other)));
      assertThat(thrown).isInstanceOf(ConfigException.class);
      assertThat(((ConfigException) thrown).problems())
          .extracting(ConfigException.Problem::setting)
          .containsExactly("crash:db", "crash:other");
      assertThat(thrown.getMessage()).contains("the provider failed with");
      Leaks.assertNoLeak(thrown, CANARY);
    }
  }

  @Test
  void prefetch_providerThrowsStackOverflowError_propagatesUntouched() {
    StackOverflowError overflow = new StackOverflowError();
    try (SecretResolver r = resolver(new Crashing(() -> overflow))) {
      assertThat(catchThrowable(() -> r.prefetch(List.of(DB, SecretRef.parse("crash:other")))))
          .isSameAs(overflow);
    }
    try (SecretResolver r = resolver(new Crashing(() -> overflow))) {
      assertThat(catchThrowable(() -> r.prefetch(List.of(DB)))).isSameAs(overflow);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("throwables")
  void load_referenceToProviderThatThrows_problemOfTheSetting(
      String what, Supplier<Throwable> failure) {
    try (SecretResolver r = resolver(new Crashing(failure))) {
      ConfigSource env = ConfigSource.of(Map.of("DB_PASSWORD", "${ref:crash:db}"), Origin.Kind.ENV);
      Throwable thrown = catchThrowable(() -> SCHEMA.load(new ResolvingConfigSource(env, r)));
      assertThat(thrown).isInstanceOf(ConfigException.class);
      assertThat(((ConfigException) thrown).problems())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.setting()).isEqualTo("DB_PASSWORD");
                assertThat(p.reason()).contains("crash:db", "the provider failed with");
              });
      Leaks.assertNoLeak(thrown, CANARY);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("throwables")
  void load_sourceThatThrows_problemOfTheSetting(String what, Supplier<Throwable> failure) {
    Crashing crashing = new Crashing(failure);
    try (SecretResolver r = resolver(crashing)) {
      for (ConfigSource source : List.of(crashing, new ResolvingConfigSource(crashing, r))) {
        Throwable thrown = catchThrowable(() -> SCHEMA.load(source));
        assertThat(thrown).isInstanceOf(ConfigException.class);
        assertThat(((ConfigException) thrown).problems())
            .singleElement()
            .satisfies(
                p -> {
                  assertThat(p.setting()).isEqualTo("DB_PASSWORD");
                  assertThat(p.reason()).startsWith("could not be read: the source failed with ");
                });
        Leaks.assertNoLeak(thrown, CANARY);
      }
    }
  }

  @Test
  void load_sourceThatThrowsProviderException_problemKeepsItsSafeMessage() {
    Crashing crashing =
        new Crashing(() -> new ProviderException(DB, ProviderException.Kind.UNAVAILABLE, "down"));
    Throwable thrown = catchThrowable(() -> SCHEMA.load(crashing));
    assertThat(((ConfigException) thrown).problems())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.reason())
                    .isEqualTo("could not be read: secret crash:db: unavailable: down"));
  }

  @Test
  void load_sourceThatThrowsStackOverflowError_propagatesUntouched() {
    StackOverflowError overflow = new StackOverflowError();
    Crashing crashing = new Crashing(() -> overflow);
    try (SecretResolver r = resolver(crashing)) {
      assertThat(catchThrowable(() -> SCHEMA.load(crashing))).isSameAs(overflow);
      assertThat(catchThrowable(() -> SCHEMA.load(new ResolvingConfigSource(crashing, r))))
          .isSameAs(overflow);
      ConfigSource env = ConfigSource.of(Map.of("DB_PASSWORD", "${ref:crash:db}"), Origin.Kind.ENV);
      assertThat(catchThrowable(() -> SCHEMA.load(new ResolvingConfigSource(env, r))))
          .isSameAs(overflow);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("throwables")
  void listener_throws_loggedByClassAndResolveSucceeds(String what, Supplier<Throwable> failure) {
    FakeProvider fake = new FakeProvider("fake").put("db", CANARY + "-1");
    SecretRef ref = SecretRef.parse("fake:db");
    try (SecretResolver r =
        SecretResolver.builder()
            .provider(fake)
            .clock(clock)
            .executor(Runnable::run)
            .ttl(Duration.ofSeconds(100))
            .jitter(0)
            .build()) {
      r.addListener((changed, before, after) -> sneaky(failure.get()));
      r.resolve(ref);
      fake.put("db", CANARY + "-2");
      clock.advance(Duration.ofSeconds(101));
      assertThat(r.resolve(ref).reveal()).isEqualTo(CANARY + "-2");
      assertThat(CapturingSlf4jProvider.events())
          .anySatisfy(e -> assertThat(e.message()).contains("a change listener failed with"));
    }
  }

  @Test
  void listener_throwsStackOverflowError_propagates() {
    FakeProvider fake = new FakeProvider("fake").put("db", CANARY + "-1");
    SecretRef ref = SecretRef.parse("fake:db");
    StackOverflowError overflow = new StackOverflowError();
    try (SecretResolver r =
        SecretResolver.builder()
            .provider(fake)
            .clock(clock)
            .executor(Runnable::run)
            .ttl(Duration.ofSeconds(100))
            .jitter(0)
            .build()) {
      r.addListener(
          (changed, before, after) -> {
            throw overflow;
          });
      r.resolve(ref);
      fake.put("db", CANARY + "-2");
      clock.advance(Duration.ofSeconds(101));
      assertThat(catchThrowable(() -> r.resolve(ref))).isSameAs(overflow);
    }
  }

  @Test
  void close_discoveredProviderThrowsAssertionError_loggedByClass(@TempDir Path dir)
      throws Exception {
    Path services = dir.resolve("META-INF/services/" + SecretProviderFactory.class.getName());
    Files.createDirectories(services.getParent());
    Files.writeString(services, CrashingProviderFactory.class.getName() + "\n");
    Thread thread = Thread.currentThread();
    ClassLoader saved = thread.getContextClassLoader();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      thread.setContextClassLoader(loader);
      SecretResolver r =
          SecretResolver.builder().discoverProviders(Map.of()).executor(Runnable::run).build();
      assertThat(r.resolve("crashing:db").reveal()).isEqualTo(CrashingProviderFactory.CANARY);
      r.close();
    } finally {
      thread.setContextClassLoader(saved);
    }
    assertThat(CapturingSlf4jProvider.events())
        .anySatisfy(
            e ->
                assertThat(e.message())
                    .isEqualTo(
                        "closing secret provider 'crashing' failed with java.lang.AssertionError"));
    for (CapturingSlf4jProvider.Event e : CapturingSlf4jProvider.allEvents()) {
      Leaks.assertNoLeak("log line", e.message(), CrashingProviderFactory.CANARY);
    }
  }
}
