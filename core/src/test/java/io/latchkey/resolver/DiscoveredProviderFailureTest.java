package io.latchkey.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.SecretRef;
import io.latchkey.spi.SecretProviderFactory;
import io.latchkey.testsupport.CapturingSlf4jProvider;
import io.latchkey.testsupport.Leaks;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A discovered provider whose factory throws something other than a {@link ConfigException} reaches
 * no caller with the throwable's message, whether the reference names a field (which makes the
 * resolver create the provider to ask whether it extracts fields) or not.
 */
final class DiscoveredProviderFailureTest {
  private static final String CANARY = "CANARY-review-7f3e-hunter2";
  private static final SecretRef WHOLE = SecretRef.parse("throwing:db");
  private static final SecretRef FIELD = SecretRef.parse("throwing:db#password");

  static Stream<Arguments> throwables() {
    return Stream.of(
        Arguments.of(
            "IllegalStateException",
            (Supplier<Throwable>) () -> new IllegalStateException("cannot use key " + CANARY)),
        Arguments.of(
            "AssertionError", (Supplier<Throwable>) () -> new AssertionError("saw " + CANARY)),
        Arguments.of(
            "NoClassDefFoundError",
            (Supplier<Throwable>) () -> new NoClassDefFoundError("while reading " + CANARY)),
        Arguments.of(
            "exception caused by an Error",
            (Supplier<Throwable>)
                () -> new IllegalArgumentException("x", new AssertionError("cause: " + CANARY))));
  }

  private final List<Throwable> thrown = new ArrayList<>();
  private final List<String> outputs = new ArrayList<>();
  private URLClassLoader loader;
  private ClassLoader saved;
  private SecretResolver resolver;

  @BeforeEach
  void register(@TempDir Path dir) throws Exception {
    CapturingSlf4jProvider.clear();
    ThrowingProviderFactory.creations.set(0);
    Path services = dir.resolve("META-INF/services/" + SecretProviderFactory.class.getName());
    Files.createDirectories(services.getParent());
    Files.writeString(services, ThrowingProviderFactory.class.getName() + "\n");
    loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    // Discovery, and the creation on first use, find the factories the context class loader sees.
    saved = Thread.currentThread().getContextClassLoader();
    Thread.currentThread().setContextClassLoader(loader);
    resolver = SecretResolver.builder().discoverProviders(Map.of()).executor(Runnable::run).build();
  }

  @AfterEach
  void noLeakAnywhere() throws Exception {
    resolver.close();
    Thread.currentThread().setContextClassLoader(saved);
    loader.close();
    for (Throwable t : thrown) {
      Leaks.assertNoLeak(t, CANARY);
      StringWriter trace = new StringWriter();
      t.printStackTrace(new PrintWriter(trace));
      Leaks.assertNoLeak("stack trace", trace.toString(), CANARY);
    }
    for (String output : outputs) {
      Leaks.assertNoLeak("output", output, CANARY);
    }
    for (CapturingSlf4jProvider.Event e : CapturingSlf4jProvider.allEvents()) {
      Leaks.assertNoLeak("log line", e.message(), CANARY);
    }
  }

  private Throwable attempt(Runnable call) {
    Throwable t = catchThrowable(call::run);
    thrown.add(t);
    return t;
  }

  private static void assertReduced(Throwable t, SecretRef ref, Class<?> original) {
    assertThat(t).isInstanceOf(ProviderException.class);
    ProviderException e = (ProviderException) t;
    assertThat(e.ref()).isEqualTo(ref);
    assertThat(e.kind()).isEqualTo(ProviderException.Kind.OTHER);
    assertThat(e.getMessage())
        .isEqualTo(
            "secret "
                + ref
                + ": other: provider 'throwing' could not be created: its factory failed with "
                + original.getName());
    // The cause keeps where it happened, for debugging, and nothing of what it said.
    assertThat(e.getCause()).hasNoCause();
    assertThat(e.getCause()).hasToString(original.getName() + " (message removed)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("throwables")
  void resolve_factoryThrows_fieldAndWholeReferencesAreReducedAlike(
      String what, Supplier<Throwable> failure) {
    Class<?>[] original = new Class<?>[1];
    ThrowingProviderFactory.failure =
        () -> {
          Throwable t = failure.get();
          original[0] = t.getClass();
          return t;
        };

    // The field first: it is what made the resolver create the provider outside the chain.
    Throwable first = attempt(() -> resolver.resolve(FIELD));
    assertReduced(first, FIELD, original[0]);
    assertReduced(attempt(() -> resolver.resolve(WHOLE)), WHOLE, original[0]);
    assertReduced(attempt(() -> resolver.handle(FIELD).get()), FIELD, original[0]);
    // A factory's defect does not go away on its own: it is created once, as a wrong setting is.
    assertThat(ThrowingProviderFactory.creations).hasValue(1);

    Throwable prefetch = attempt(() -> resolver.prefetch(List.of(FIELD, WHOLE)));
    assertThat(prefetch).isInstanceOf(ConfigException.class);
    assertThat(((ConfigException) prefetch).problems())
        .extracting(ConfigException.Problem::reason)
        .containsOnly(
            "other: provider 'throwing' could not be created: its factory failed with "
                + original[0].getName());

    ProviderHealth health = resolver.health().get("throwing");
    assertThat(health.status()).isEqualTo(ProviderHealth.Status.FAILED);
    outputs.add(health.toString());
    outputs.add(resolver.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("throwables")
  void resolve_factoryThrows_wholeReferenceFirst_thenField_reducedAlike(
      String what, Supplier<Throwable> failure) {
    ThrowingProviderFactory.failure = failure;
    Throwable whole = attempt(() -> resolver.resolve(WHOLE));
    Throwable field = attempt(() -> resolver.resolve(FIELD));
    assertThat(whole).isInstanceOf(ProviderException.class);
    assertThat(field).isInstanceOf(ProviderException.class);
    assertThat(field.getMessage())
        .isEqualTo(whole.getMessage().replace("throwing:db:", "throwing:db#password:"));
  }
}
