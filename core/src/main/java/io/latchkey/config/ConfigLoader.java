package io.latchkey.config;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.LatchkeyException;
import io.latchkey.Secret;
import io.latchkey.internal.SettingNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One load of a schema from a source: resolves every setting in dependency order, collects every
 * problem, and either builds the {@link Config} or throws one {@link ConfigException}.
 */
final class ConfigLoader {
  /** Holds the logger, so that a load that uses no deprecated name never initialises SLF4J. */
  private static final class Warnings {
    static final Logger LOG = LoggerFactory.getLogger(Config.class);
  }

  private static final Origin DEFAULT_ORIGIN = Origin.of(Origin.Kind.DEFAULT);
  private static final Origin DERIVED_ORIGIN = Origin.of(Origin.Kind.DERIVED);

  static final String BLANK_ENTRY =
      "is blank; remove the extra comma, or restore the key that was there";

  /** A problem and the setting it belongs to, so that problems print in declaration order. */
  private record Found(int index, Problem problem) {}

  private final ConfigSchema schema;
  private final ConfigSource source;
  private final List<Setting<?>> settings;
  private final Object[] values;
  private final Origin[] origins;
  private final byte[] states;
  private final String[] aliasUsed;
  private final String[] aliasesIgnored;

  /** Per setting: whether its value came from a secret (see {@link Config#isFromSecret}). */
  private final boolean[] fromSecret;

  private final List<Found> problems = new ArrayList<>();

  /** Set when the source itself failed for the setting being resolved; its problems are in. */
  private boolean sourceFailed;

  ConfigLoader(ConfigSchema schema, ConfigSource source) {
    this.schema = schema;
    this.source = source;
    this.settings = schema.settings();
    int n = schema.size();
    this.values = new Object[n];
    this.origins = new Origin[n];
    this.states = new byte[n];
    this.aliasUsed = new String[n];
    this.aliasesIgnored = new String[n];
    this.fromSecret = new boolean[n];
  }

  Config load() {
    for (int i : schema.order()) {
      resolve(i);
    }
    if (!problems.isEmpty()) {
      List<Found> sorted = new ArrayList<>(problems);
      sorted.sort(Comparator.comparingInt(Found::index));
      List<Problem> list = new ArrayList<>(sorted.size());
      for (Found found : sorted) {
        list.add(found.problem());
      }
      throw new ConfigException(list);
    }
    return new Config(schema, values, origins, states, aliasUsed, aliasesIgnored, fromSecret, null);
  }

  private void resolve(int i) {
    Setting<?> setting = settings.get(i);
    ValueType<?> type = setting.valueType();
    sourceFailed = false;
    ConfigValue raw = lookup(i, schema.lookups(i), true);
    if (sourceFailed) {
      states[i] = Config.FAILED;
      return;
    }
    if (type.isKeyList()) {
      resolveKeyList(i, raw);
      return;
    }
    if (raw != null && !raw.text().isBlank()) {
      try {
        set(i, type.parse(raw.text()), Config.SET, raw.origin());
      } catch (ValueType.Invalid e) {
        fail(i, setting.name(), describe(i, raw, e.getMessage(), type.expected));
      }
      return;
    }
    String underivable = null;
    if (setting.isDerived()) {
      for (int j : schema.inputs(i)) {
        if (states[j] == Config.FAILED) {
          // The input's own problem says what to fix; repeating it here would only add noise.
          states[i] = Config.FAILED;
          return;
        }
      }
      for (int j : schema.inputs(i)) {
        if (states[j] == Config.UNSET && underivable == null) {
          underivable = settings.get(j).name();
        }
      }
      if (underivable == null) {
        derive(i);
        return;
      }
    }
    if (setting.defaultValue().isPresent()) {
      set(i, setting.defaultValue().get(), Config.DEFAULT, DEFAULT_ORIGIN);
    } else if (!setting.isRequired()) {
      states[i] = Config.UNSET;
    } else {
      Problem notSet = notSet(i, raw, underivable, type.expected);
      fail(i, notSet.setting(), notSet.reason());
    }
  }

  private void set(int i, Object value, byte state, Origin origin) {
    values[i] = value;
    states[i] = state;
    origins[i] = origin;
    fromSecret[i] =
        schema.isSecret(i)
            || isReference(origin)
            || (state == Config.DERIVED && anyInputFromSecret(i));
  }

  /**
   * A value a secret reference resolved to is that secret's value, whatever the setting that holds
   * it is declared as.
   */
  private static boolean isReference(Origin origin) {
    return origin.kind() == Origin.Kind.PROVIDER;
  }

  private boolean anyInputFromSecret(int i) {
    for (int j : schema.inputs(i)) {
      if (fromSecret[j]) {
        return true;
      }
    }
    return false;
  }

  /** Whether an error about setting {@code i}'s derived value may quote it. */
  private boolean mayQuoteDerived(int i) {
    return !schema.isSensitive(i) && !anyInputFromSecret(i);
  }

  private void fail(int i, String name, String reason) {
    problems.add(new Found(i, new Problem(name, reason)));
    states[i] = Config.FAILED;
  }

  /**
   * Looks a setting up under its name, then its deprecated aliases; a blank value counts as unset.
   * Returns the value used, or a blank value (for "is empty" errors), or null.
   *
   * <p>Once a name is set, the later ones are ignored, so a later alias that cannot be read (a
   * stale {@code OLD_FILE} naming a file long gone) is a warning, not a problem: the value used is
   * fine, and the docs promise that the new name wins.
   */
  private ConfigValue lookup(int i, String[] names, boolean record) {
    String name = names[0];
    ConfigValue primary = read(i, name);
    ConfigValue chosen = isSet(primary) ? primary : null;
    List<String> ignored = null;
    for (int k = 1; k < names.length; k++) {
      ConfigValue old;
      if (chosen == null) {
        old = read(i, names[k]);
      } else {
        Failure failure = new Failure();
        old = read(i, names[k], failure);
        if (failure.reasons != null) {
          String why =
              schema.isSensitive(i) || failure.reasons.isEmpty()
                  ? ""
                  : " (" + failure.reasons + ")";
          Warnings.LOG.warn(
              "{} is set, and its deprecated name {} could not be read{}; using {} and ignoring {}",
              chosen.name(),
              names[k],
              why,
              chosen.name(),
              names[k]);
          ignored = add(ignored, names[k]);
          continue;
        }
      }
      if (!isSet(old)) {
        continue;
      }
      if (chosen == null) {
        chosen = old;
        Warnings.LOG.warn("{} is deprecated; rename it to {}", names[k], name);
        if (record) {
          aliasUsed[i] = names[k];
        }
      } else {
        Warnings.LOG.warn(
            "{} is set, and so is its deprecated name {}; using {} and ignoring {}",
            chosen.name(),
            names[k],
            chosen.name(),
            names[k]);
        ignored = add(ignored, names[k]);
      }
    }
    if (record && ignored != null) {
      aliasesIgnored[i] = String.join(", ", ignored);
    }
    return chosen != null ? chosen : primary;
  }

  private static String joined(String a, String b) {
    return a == null ? b : b == null ? a : a + ", " + b;
  }

  private static List<String> add(List<String> list, String name) {
    List<String> out = list == null ? new ArrayList<>() : list;
    out.add(name);
    return out;
  }

  private static boolean isSet(ConfigValue value) {
    return value != null && !value.text().isBlank();
  }

  /** Why a read failed, when the failure is to be reported by the caller instead of listed. */
  private static final class Failure {
    /** The problems' reasons (never a value), empty if only the exception's class is known. */
    String reasons;
  }

  private ConfigValue read(int i, String name) {
    return read(i, name, null);
  }

  /**
   * Reads a name from the source. A failure becomes one or more problems of setting {@code i}, or,
   * when {@code tolerated} is given, is described there instead and listed nowhere.
   */
  private ConfigValue read(int i, String name, Failure tolerated) {
    List<Problem> found = new ArrayList<>();
    try {
      return source.get(name).orElse(null);
    } catch (ConfigException e) {
      found.addAll(e.problems());
    } catch (LatchkeyException e) {
      // A provider's own exception names the setting or reference, never a value.
      found.add(new Problem(name, "could not be read: " + e.getMessage()));
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError || t instanceof ThreadDeath) {
        throw t;
      }
      if (t instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      // Anything else, an AssertionError included, may quote the value it was reading: its class
      // is all that is kept, and it becomes one more problem in the list.
      found.add(
          new Problem(name, "could not be read: the source failed with " + t.getClass().getName()));
    }
    if (tolerated != null) {
      List<String> reasons = new ArrayList<>();
      for (Problem p : found) {
        reasons.add(p.setting() + ": " + p.reason());
      }
      tolerated.reasons = String.join("; ", reasons);
      return null;
    }
    for (Problem p : found) {
      problems.add(new Found(i, p));
    }
    sourceFailed = true;
    return null;
  }

  // ---- derived settings ----

  private void derive(int i) {
    Setting<?> setting = settings.get(i);
    ValueType<?> type = setting.valueType();
    int[] inputs = schema.inputs(i);
    String from = String.join(", ", setting.inputs());
    Template template = setting.template();
    if (template != null) {
      String text = template.render(k -> textOf(inputs[k]));
      try {
        set(i, type.parse(text), Config.DERIVED, DERIVED_ORIGIN);
      } catch (ValueType.Invalid e) {
        String value = mayQuoteDerived(i) ? "value " + Masking.quote(text) : "the value";
        fail(
            i,
            setting.name(),
            "is not set, and "
                + value
                + " derived from "
                + from
                + " "
                + e.getMessage()
                + "; expected "
                + type.expected);
      }
      return;
    }
    boolean[] readable = new boolean[values.length];
    for (int j : inputs) {
      readable[j] = true;
    }
    Config view =
        new Config(
            schema, values, origins, states, aliasUsed, aliasesIgnored, fromSecret, readable);
    Object value;
    try {
      value = setting.function().apply(view);
    } catch (Config.UndeclaredInputException e) {
      throw new IllegalStateException(setting.name() + ": " + e.getMessage(), e);
    } catch (VirtualMachineError | ThreadDeath e) {
      throw e;
    } catch (Throwable e) {
      // The message may carry an input's value; it is shown only when no input is sensitive, and
      // an Error (an assertion in the application's function) is treated like any exception.
      String detail = mayQuoteDerived(i) && !(e instanceof Error) ? ": " + e.getMessage() : "";
      fail(
          i,
          setting.name(),
          "is not set, and deriving it from "
              + from
              + " failed ("
              + e.getClass().getSimpleName()
              + detail
              + ")");
      return;
    }
    if (value == null) {
      fail(i, setting.name(), "is not set, and deriving it from " + from + " gave no value");
      return;
    }
    if (!type.javaType.isInstance(value)) {
      throw new IllegalStateException(
          setting.name()
              + ": derivation returned a "
              + value.getClass().getName()
              + ", not a "
              + type.javaType.getName());
    }
    if (type.roundTrips) {
      // Constraints apply to derived values too (a derived port must still be a port).
      try {
        value = type.parse(type.format(value));
      } catch (ValueType.Invalid e) {
        String shown =
            mayQuoteDerived(i) ? "value " + Masking.quote(type.format(value)) : "the value";
        fail(
            i,
            setting.name(),
            "is not set, and "
                + shown
                + " derived from "
                + from
                + " "
                + e.getMessage()
                + "; expected "
                + type.expected);
        return;
      }
    }
    set(i, value, Config.DERIVED, DERIVED_ORIGIN);
  }

  /** An input's value as a template inserts it: a secret revealed, anything else as written. */
  private String textOf(int j) {
    Object value = values[j];
    if (value instanceof Secret) {
      return ((Secret) value).reveal();
    } else if (value instanceof KeyList) {
      return ((KeyList) value).current().reveal();
    }
    return settings.get(j).valueType().format(value);
  }

  // ---- key lists ----

  private void resolveKeyList(int i, ConfigValue raw) {
    Setting<?> setting = settings.get(i);
    ValueType<Secret> entry = setting.valueType().keyListEntry();
    // The older keys' deprecated names are recorded beside the newest key's, so that the report
    // (and doctor, which counts from it) shows every deprecated name in use.
    String usedForNewest = aliasUsed[i];
    String ignoredForNewest = aliasesIgnored[i];
    aliasUsed[i] = null;
    aliasesIgnored[i] = null;
    ConfigValue older = lookup(i, schema.previousLookups(i), true);
    aliasUsed[i] = joined(usedForNewest, aliasUsed[i]);
    aliasesIgnored[i] = joined(ignoredForNewest, aliasesIgnored[i]);
    if (sourceFailed) {
      states[i] = Config.FAILED;
      return;
    }
    int before = problems.size();
    Secret current = null;
    if (isSet(raw)) {
      try {
        current = entry.parse(raw.text().strip());
      } catch (ValueType.Invalid e) {
        problems.add(
            new Found(
                i, new Problem(setting.name(), describe(i, raw, e.getMessage(), entry.expected))));
      }
    } else if (setting.isRequired()) {
      problems.add(new Found(i, notSet(i, raw, null, entry.expected)));
    } else if (isSet(older)) {
      problems.add(
          new Found(
              i,
              new Problem(
                  older.name(),
                  "holds older keys, but "
                      + setting.name()
                      + " is not set; move the newest key to "
                      + setting.name()
                      + " (from "
                      + older.origin()
                      + ")")));
    }
    List<Secret> previous = new ArrayList<>();
    if (isSet(older)) {
      String[] parts = older.text().split(",", -1);
      for (int k = 0; k < parts.length; k++) {
        String where = older.name() + " entry " + (k + 1);
        String part = parts[k].strip();
        if (part.isEmpty()) {
          problems.add(new Found(i, new Problem(where, BLANK_ENTRY + from(older, setting))));
          continue;
        }
        try {
          previous.add(entry.parse(part));
        } catch (ValueType.Invalid e) {
          problems.add(
              new Found(
                  i,
                  new Problem(
                      where,
                      e.getMessage() + "; expected " + entry.expected + from(older, setting))));
        }
      }
    }
    if (problems.size() > before) {
      states[i] = Config.FAILED;
    } else if (current == null) {
      states[i] = Config.UNSET;
    } else {
      set(i, KeyList.of(current, previous), Config.SET, raw.origin());
    }
  }

  // ---- messages ----

  /** A bad value: the value (unless sensitive), what is wrong, what was expected, and where. */
  private String describe(int i, ConfigValue raw, String what, String expected) {
    Setting<?> setting = settings.get(i);
    StringBuilder reason = new StringBuilder();
    if (!schema.isSensitive(i) && !isReference(raw.origin())) {
      reason.append(Masking.quote(raw.text())).append(' ');
    }
    return reason
        .append(what)
        .append("; expected ")
        .append(expected)
        .append(from(raw, setting))
        .toString();
  }

  private static String from(ConfigValue raw, Setting<?> setting) {
    String origin = " (from " + raw.origin();
    boolean alias =
        !raw.name().equals(setting.name())
            && !raw.name().equals(setting.name() + KeyList.PREVIOUS_SUFFIX);
    return alias ? origin + ", as deprecated " + raw.name() + ")" : origin + ")";
  }

  /**
   * The problem of a required setting without a value; under {@link SettingNames#GIVEN} when its
   * name looks like a key, the value read with it passed as its name ({@code
   * Setting.secret(System.getenv("JWT_SECRET_KEY"))}), which is never set.
   */
  private Problem notSet(int i, ConfigValue raw, String underivable, String expected) {
    Setting<?> setting = settings.get(i);
    if (raw == null && SettingNames.looksLikeValue(setting.name())) {
      return new Problem(SettingNames.GIVEN, SettingNames.NOT_SHOWN);
    }
    return new Problem(setting.name(), missing(i, raw, underivable, expected));
  }

  /** Names as a problem may show them: one that looks like a key is not shown. */
  private static List<String> shown(List<String> names) {
    return names.stream().map(ConfigLoader::shown).toList();
  }

  private static String shown(String name) {
    return SettingNames.looksLikeValue(name) ? "a name not shown (in case it is a key)" : name;
  }

  private String missing(int i, ConfigValue raw, String underivable, String expected) {
    Setting<?> setting = settings.get(i);
    if (raw != null) {
      return "is empty; expected " + expected + from(raw, setting);
    }
    StringBuilder reason = new StringBuilder("is not set");
    if (!setting.aliases().isEmpty()) {
      reason
          .append(" (nor ")
          .append(
              setting.aliases().size() == 1
                  ? "is its deprecated name "
                  : "are its deprecated names ")
          .append(String.join(", ", shown(setting.aliases())))
          .append(')');
    }
    if (underivable != null) {
      reason
          .append(", and cannot be derived because ")
          .append(shown(underivable))
          .append(" is not set; set ")
          .append(setting.name())
          .append(", or the settings it is derived from (")
          .append(String.join(", ", shown(setting.inputs())))
          .append(')');
    }
    return reason.append("; expected ").append(expected).toString();
  }
}
