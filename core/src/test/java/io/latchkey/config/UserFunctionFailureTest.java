package io.latchkey.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.ConfigException;
import io.latchkey.Secret;
import io.latchkey.testsupport.Leaks;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The application's own functions that the configuration calls (a custom type's parser, at load and
 * on a default or an example; a derivation; a source; a bound record's constructor) may fail with
 * anything, an {@code Error} such as an {@code assert} included, and their message may quote the
 * value they were given. Whatever they throw, it is reported by its class alone, as one more
 * problem where the call is part of a load, so that the other problems are still listed; only a
 * {@link VirtualMachineError} escapes as it is.
 */
final class UserFunctionFailureTest {
  static final String CANARY = "CANARY-9f2c-SECRET-\"quote\\slash-é";

  @Test
  void customParserThrowingAnError_isAProblemNamedByClass_notTheErrorWithTheValue() {
    Setting<Secret> pin =
        Setting.custom(
                "PIN",
                Secret.class,
                "pin",
                t -> {
                  throw new AssertionError("expected a 6-digit pin, got " + t);
                })
            .secret()
            .build();
    Setting<Integer> port = Setting.port("PORT").build();
    ConfigSchema schema = ConfigSchema.builder().add(pin).add(port).build();

    Throwable thrown =
        catchThrowable(
            () ->
                schema.load(
                    ConfigSource.of(Map.of("PIN", CANARY, "PORT", "not-a-port"), Origin.Kind.ENV)));

    Leaks.assertNoLeak(thrown, CANARY);
    assertThat(thrown).isInstanceOf(ConfigException.class);
    assertThat(((ConfigException) thrown).problems()).hasSize(2);
    assertThat(((ConfigException) thrown).problems().get(0).reason())
        .isEqualTo("is not a valid pin (AssertionError); expected a valid pin (from env)");
  }

  /** What the application's function throws, made from the value it was given. */
  static List<Function<String, Throwable>> failures() {
    return List.of(
        v -> new AssertionError("expected a pin, got " + v),
        v -> new IllegalArgumentException("bad: " + v),
        v -> new Exception("checked, thrown sneakily: " + v),
        v -> new LinkageError("as a missing class might say: " + v),
        v -> new Throwable("a bare Throwable: " + v));
  }

  /**
   * An entry point that calls the application's function, which throws what it is given; returns
   * what escaped, and whether the call is part of a load (then the escape is a ConfigException that
   * lists the other setting's problem too).
   */
  record EntryPoint(String name, boolean load, Function<Supplier<Throwable>, Throwable> run) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<EntryPoint> entryPoints() {
    return List.of(
        new EntryPoint(
            "custom parser, at load",
            true,
            failure ->
                catchThrowable(
                    () ->
                        ConfigSchema.builder()
                            .add(custom(failure).build())
                            .add(Setting.port("PORT").build())
                            .build()
                            .load(env(Map.of("PIN", CANARY, "PORT", "not-a-port"))))),
        new EntryPoint(
            "custom parser, of a default",
            false,
            failure -> catchThrowable(() -> custom(failure).defaultText(CANARY).build())),
        new EntryPoint(
            "custom parser, of an example",
            false,
            failure -> catchThrowable(() -> custom(failure).examples(CANARY).build())),
        new EntryPoint(
            "derivation",
            true,
            failure -> {
              Setting<Secret> token = Setting.secret("TOKEN").build();
              return catchThrowable(
                  () ->
                      ConfigSchema.builder()
                          .add(token)
                          .add(
                              Setting.integer("N")
                                  .derive(
                                      c -> {
                                        c.get(token).reveal();
                                        throw sneaky(failure.get());
                                      },
                                      token)
                                  .build())
                          .add(Setting.port("PORT").build())
                          .build()
                          .load(env(Map.of("TOKEN", CANARY, "PORT", "not-a-port"))));
            }),
        new EntryPoint(
            "source",
            true,
            failure ->
                catchThrowable(
                    () ->
                        ConfigSchema.builder()
                            .add(Setting.secret("TOKEN").build())
                            .add(Setting.port("PORT").build())
                            .build()
                            .load(new FailingSource(failure)))),
        new EntryPoint(
            "record constructor",
            false,
            failure -> {
              Failing.failure = failure;
              try {
                return catchThrowable(
                    () -> ConfigSchema.load(Failing.class, env(Map.of("PORT", "8080"))));
              } finally {
                Failing.failure = null;
              }
            }));
  }

  static Stream<Arguments> cases() {
    return entryPoints().stream()
        .flatMap(
            entry ->
                failures().stream()
                    // A bound record's constructor is the application's own code, called by the
                    // application: its RuntimeException is passed on as it is.
                    .filter(f -> !(entry.name().startsWith("record") && isRuntime(f)))
                    .map(f -> Arguments.of(entry, f)));
  }

  @ParameterizedTest(name = "{0}: {index}")
  @MethodSource("cases")
  void anyFailure_ofAnyUserFunction_isNamedByItsClass_andTheLoadGoesOn(
      EntryPoint entry, Function<String, Throwable> failure) {
    Throwable given = failure.apply(CANARY);
    Throwable thrown = entry.run().apply(() -> given);

    assertThat(thrown).as(entry.name()).isNotNull().isNotSameAs(given);
    Leaks.assertNoLeak(thrown, CANARY);
    assertThat(thrown.getMessage()).contains(given.getClass().getSimpleName());
    if (entry.load()) {
      assertThat(thrown).isInstanceOf(ConfigException.class);
      assertThat(((ConfigException) thrown).problems()).hasSize(2);
    }
  }

  static Stream<Arguments> virtualMachineErrors() {
    return entryPoints().stream()
        .flatMap(
            entry ->
                Stream.<Supplier<Throwable>>of(
                        () -> new StackOverflowError(), () -> new OutOfMemoryError("heap"))
                    .map(e -> Arguments.of(entry, e)));
  }

  @ParameterizedTest(name = "{0}: {index}")
  @MethodSource("virtualMachineErrors")
  void virtualMachineError_ofAnyUserFunction_escapesAsItIs(
      EntryPoint entry, Supplier<Throwable> error) {
    Throwable given = error.get();
    assertThat(entry.run().apply(() -> given)).as(entry.name()).isSameAs(given);
  }

  /** A record whose constructor fails as the running case says. */
  record Failing(@Env("PORT") int port) {
    static volatile Supplier<Throwable> failure;

    Failing {
      if (failure != null) {
        throw sneaky(failure.get());
      }
    }
  }

  /** A source that fails on TOKEN as the running case says, and holds a bad PORT. */
  private record FailingSource(Supplier<Throwable> failure) implements ConfigSource {
    @Override
    public Optional<ConfigValue> get(String name) {
      if (name.equals("TOKEN")) {
        throw sneaky(failure.get());
      }
      return Optional.of(new ConfigValue(name, "not-a-port", Origin.of(Origin.Kind.ENV)));
    }

    @Override
    public String description() {
      return "failing";
    }
  }

  private static Setting.Builder<Secret> custom(Supplier<Throwable> failure) {
    return Setting.custom(
            "PIN",
            Secret.class,
            "pin",
            t -> {
              throw sneaky(failure.get());
            })
        .secret();
  }

  private static ConfigSource env(Map<String, String> values) {
    return ConfigSource.of(values, Origin.Kind.ENV);
  }

  private static boolean isRuntime(Function<String, Throwable> failure) {
    return failure.apply("") instanceof RuntimeException;
  }

  /** Throws a checked exception where the functional interface declares none, as Kotlin can. */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
    throw (E) t;
  }
}
