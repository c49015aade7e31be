package io.latchkey.crypto.apikey;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigSchema;
import io.latchkey.config.ConfigSource;
import io.latchkey.config.Origin;
import io.latchkey.config.Setting;
import io.latchkey.internal.SettingNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The variables {@link ApiKeyVerifier#fromEnvironment(String, Map, Clock)} reads, declared as
 * settings of a schema, and their mapping onto the verifier's builder. The schema reads them by
 * core's rules (a blank value is unset; one duration syntax); the builder, whose problems name
 * these variables, checks the values; every problem of either is reported in one {@link
 * ConfigException}, in the order of the variables.
 *
 * <p>Every setting is declared secret, so that no problem quotes a value: an API key pasted into
 * the wrong variable must not reach a log. Core has no type for an instant, so the rotation time is
 * a string that {@link Instant#parse} reads here.
 */
final class ApiKeyVariables {
  private final Setting<String> current;
  private final Setting<String> previous;
  private final Setting<String> rotatedAt;
  private final Setting<Duration> overlap;
  private final ConfigSchema schema;
  private final String prefix;

  /**
   * Declares the variables.
   *
   * @param name their prefix, such as {@code API_KEY}
   * @throws IllegalArgumentException if {@code name} does not make valid variable names; the
   *     message does not show it
   */
  @SuppressWarnings("UnusedException") // the cause's message quotes the name
  ApiKeyVariables(String name) {
    this.prefix = name;
    try {
      this.current = Setting.string(name + "_SHA256").secret().optional().build();
    } catch (IllegalArgumentException e) {
      // The setting's own message quotes the name, which may be a key passed as the prefix; the
      // cause is left off for the same reason.
      throw new IllegalArgumentException(
          "the prefix given is not a valid setting name (not shown, in case it is a key): use"
              + " letters, digits and underscores, not starting with a digit");
    }
    this.previous = Setting.string(name + "_PREVIOUS_SHA256").secret().optional().build();
    this.rotatedAt = Setting.string(name + "_ROTATED_AT").secret().optional().build();
    this.overlap = Setting.duration(name + "_OVERLAP").secret().optional().build();
    this.schema =
        ConfigSchema.builder().add(current).add(previous).add(rotatedAt).add(overlap).build();
  }

  /** The variables' names, the current hash's first. */
  List<String> names() {
    return schema.settings().stream().map(Setting::name).toList();
  }

  /**
   * Loads the variables and builds the verifier, with the default overlap bounds.
   *
   * @throws ConfigException listing every problem, each naming its variable, never a value; a
   *     prefix that looks like a key, with nothing set under it, is not shown either
   */
  ApiKeyVerifier load(Map<String, String> env, Clock clock) {
    SettingNames.requireShown(prefix, current.name(), env);
    List<Problem> problems = new ArrayList<>();
    Config config = load(ConfigSource.of(env, Origin.Kind.ENV), problems);
    ApiKeyVerifier.Builder builder =
        ApiKeyVerifier.builder(
                new ApiKeyVerifier.Names(
                    current.name(), previous.name(), rotatedAt.name(), overlap.name()))
            .clock(clock);

    Optional<String> currentHash = find(config, current);
    if (currentHash.isEmpty()) {
      problems.add(new Problem(current.name(), "is not set; " + ApiKeys.HASH_EXPECTED));
    }
    currentHash.ifPresent(hash -> apply(() -> builder.current(hash), problems));
    Optional<String> previousHash = find(config, previous);
    Optional<Instant> rotationTime = rotationTime(config, previousHash.isPresent(), problems);
    rotationTime.ifPresent(builder::rotatedAt);
    // Without a usable rotation time (already reported) the clock's time stands in, so that the
    // previous hash is still checked and compared with the current one.
    previousHash.ifPresent(
        hash ->
            apply(() -> builder.previous(hash, rotationTime.orElse(clock.instant())), problems));
    find(config, overlap).ifPresent(d -> apply(() -> builder.overlap(d), problems));
    problems.addAll(builder.problems());

    if (!problems.isEmpty()) {
      List<String> order = schema.settings().stream().map(Setting::name).toList();
      problems.sort(
          Comparator.comparingInt(
              p -> order.contains(p.setting()) ? order.indexOf(p.setting()) : order.size()));
      throw new ConfigException(problems);
    }
    return builder.build();
  }

  /**
   * Loads the schema. A value that does not parse is reported, and the other variables are loaded
   * again without it, so that their own problems join its in the same exception.
   */
  private Config load(ConfigSource source, List<Problem> problems) {
    try {
      return schema.load(source);
    } catch (ConfigException e) {
      problems.addAll(e.problems());
      Set<String> failed = e.problems().stream().map(Problem::setting).collect(Collectors.toSet());
      ConfigSchema.Builder rest = ConfigSchema.builder();
      schema.settings().stream().filter(s -> !failed.contains(s.name())).forEach(rest::add);
      return rest.build().load(source);
    }
  }

  /** A setting's value, or empty if it is unset or failed to load. */
  private static <T> Optional<T> find(Config config, Setting<T> setting) {
    return config.schema().setting(setting.name()).isPresent()
        ? config.find(setting)
        : Optional.empty();
  }

  private Optional<Instant> rotationTime(
      Config config, boolean hasPrevious, List<Problem> problems) {
    Optional<String> text = find(config, rotatedAt);
    if (text.isEmpty()) {
      if (hasPrevious) {
        problems.add(
            new Problem(
                rotatedAt.name(),
                "is not set; "
                    + previous.name()
                    + " needs the time of the rotation, such as 2026-11-23T10:00:00Z, to know"
                    + " when the previous key stops being accepted"));
      }
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text.get().strip()));
    } catch (DateTimeParseException e) {
      problems.add(
          new Problem(
              rotatedAt.name(),
              "is not an ISO-8601 instant; expected the time of the rotation, such as"
                  + " 2026-11-23T10:00:00Z"));
      return Optional.empty();
    }
  }

  /** Runs a builder call, turning the arguments it rejects into problems. */
  private static void apply(Runnable call, List<Problem> problems) {
    try {
      call.run();
    } catch (RejectedArguments e) {
      problems.addAll(e.problems());
    }
  }
}
