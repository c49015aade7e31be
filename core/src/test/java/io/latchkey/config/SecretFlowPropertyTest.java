package io.latchkey.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.ConfigException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.resolver.ResolvingConfigSource;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.CapturingSlf4jProvider;
import io.latchkey.testsupport.Leaks;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeping it closed: for random secret values flowing through random schemas (secrets of every
 * kind, secret references into non-secret settings, URLs and strings derived from them with and
 * without {@code |url} in user info, path, query and fragment, derived settings of derived
 * settings, lists, records) and random bad inputs (wrong types, bad defaults, missing values), no
 * output of any kind holds a secret value in any form {@link Leaks} knows.
 *
 * <p>Every case draws from its own {@link SplittableRandom} seeded with {@code SEED + case}, and a
 * failure names both, so that one case can be replayed by setting {@link #FIRST_CASE} and {@link
 * #CASES}.
 */
final class SecretFlowPropertyTest {
  private static final long SEED = 0x5EC12E7L;
  private static final int FIRST_CASE = 0;
  private static final int CASES = 2_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the fake secret manager holds; each case uses its own paths, so caching cannot mix. */
  private static final Map<String, String> MANAGER = new ConcurrentHashMap<>();

  private static SecretResolver resolver;

  @BeforeAll
  static void startResolver() {
    resolver = SecretResolver.builder().provider(new FakeManager()).executor(Runnable::run).build();
  }

  @AfterAll
  static void stopResolver() {
    resolver.close();
  }

  @Test
  void everyOutput_randomSchemasAndSecrets_holdsNoSecretValue() {
    for (int c = FIRST_CASE; c < FIRST_CASE + CASES; c++) {
      long seed = SEED + c;
      try {
        new Case(c, new SplittableRandom(seed)).run();
      } catch (AssertionError | RuntimeException e) {
        // The message of a failure never holds the value: Leaks names the form and the index.
        AssertionError failure =
            new AssertionError(
                "case " + c + " (seed " + seed + ", base seed " + SEED + "): " + describe(e));
        failure.setStackTrace(e.getStackTrace());
        throw failure;
      }
    }
  }

  private static String describe(Throwable e) {
    return e instanceof AssertionError
        ? e.getMessage()
        : "unexpected " + e.getClass().getName() + " (message withheld: it may hold a secret)";
  }

  record SecretRecord(@Env("S0") Secret s0) {}

  record DerivedAsSecret(@Env("D0") Secret d0) {}

  record DerivedAsUri(@Env("D0") URI d0) {}

  record DerivedAsString(@Env("D0") String d0) {}

  record RefAsString(@Env("R0") String r0) {}

  record PlainRecord(@Env("HOST") String host, @Env("P0") Optional<String> p0) {}

  /** A record that declares its own derived URL, loaded through ConfigSchema.load(Class, ...). */
  record Declared(
      @Env("S0") Secret s0,
      @Env(value = "DB_URL", type = "url", derive = "postgresql://app:${S0|url}@db:5432/app")
          Secret dbUrl,
      @Env(value = "HOOK", type = "url", derive = "https://h.example/s/${S0|url}?x=1")
          Optional<Secret> hook) {}

  private static final List<Class<? extends Record>> RECORDS =
      List.of(
          SecretRecord.class,
          DerivedAsSecret.class,
          DerivedAsUri.class,
          DerivedAsString.class,
          RefAsString.class,
          PlainRecord.class);

  /** Where a derived setting puts its input, and whether the result is parsed as a URI. */
  private static final String[][] SHAPES = {
    {"uri", "https://${X|url}@github.com/org/repo.git"},
    {"uri", "https://user:${X|url}@api.example.com/v1"},
    {"uri", "https://hooks.example.com/services/${X|url}"},
    {"uri", "https://api.example.com/v1?auth=${X|url}&page=2"},
    {"uri", "https://api.example.com/v1?auth=${X}"},
    {"uri", "https://example.com/docs#${X|url}"},
    {"uri", "postgresql://app:${X}@db:5432/app"},
    {"uri", "${X}/users"},
    {"string", "postgresql://app:${X}@db:5432/app"},
    {"string", "Bearer ${X}"},
    {"string", "${X}"},
    {"string", "${X|url}"},
    {"string", "https://${HOST}/${X|url}?user=${X}"},
    {"list", "a,${X},b"},
    {"integer", "${X}"},
    {"port", "80${X}"},
    {"duration", "${X}s"},
  };

  /** One random schema, source and secret values, and every output checked against them. */
  private static final class Case {
    private final int index;
    private final SplittableRandom random;
    private final List<String> secrets = new ArrayList<>();
    private final List<Setting<?>> settings = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();
    private final List<String[]> outputs = new ArrayList<>();
    private final List<Throwable> throwables = new ArrayList<>();
    private final StringBuilder all = new StringBuilder();

    /** Names a derived setting may read, each with whether it is a template-friendly source. */
    private final List<String> inputs = new ArrayList<>();

    Case(int index, SplittableRandom random) {
      this.index = index;
      this.random = random;
    }

    private String secret() {
      String value = Leaks.randomSecret(random, random.nextInt(8) == 0 ? 1024 : 64);
      secrets.add(value);
      return value;
    }

    void run() {
      settings.add(Setting.string("HOST").defaultText("db.internal").build());
      inputs.add("HOST");
      addSecrets();
      addReferences();
      addPlain();
      addDerived();
      checkBadDeclarations();

      ConfigSchema schema;
      try {
        schema = ConfigSchema.builder().addAll(settings).build();
      } catch (IllegalArgumentException e) {
        check(e);
        verify();
        return;
      }
      check("markdown docs", ConfigDocs.markdown(schema));
      check("dotenv docs", ConfigDocs.dotenv(schema));

      ConfigSource source =
          new ResolvingConfigSource(ConfigSource.of(env, Origin.Kind.ENV), resolver);
      CapturingSlf4jProvider.clear();
      Config config = null;
      try {
        config = schema.load(source);
      } catch (ConfigException e) {
        check(e);
        for (ConfigException.Problem p : e.problems()) {
          check("problem", p.toString());
          check("problem reason", p.reason());
        }
      }
      for (CapturingSlf4jProvider.Event event : CapturingSlf4jProvider.events()) {
        check("log line", event.message());
      }
      if (config != null) {
        checkConfig(config);
      }
      checkDeclaredRecord();
      verify();
    }

    private void addSecrets() {
      int n = 1 + random.nextInt(3);
      for (int k = 0; k < n; k++) {
        String name = "S" + k;
        String value = secret();
        switch (random.nextInt(5)) {
          case 0 -> settings.add(Setting.string(name).secret().build());
          case 1 -> {
            settings.add(Setting.keyList(name).build());
            if (random.nextBoolean()) {
              env.put(name + "_PREVIOUS", secret() + (random.nextBoolean() ? "," + secret() : ""));
            }
          }
          case 2 -> settings.add(Setting.integer(name).secret().build());
          case 3 -> settings.add(Setting.list(name).secret().build());
          default -> {
            // An alias in use logs a warning, which must name the setting only.
            Setting.Builder<Secret> b = Setting.secret(name);
            if (random.nextBoolean()) {
              b.aliases("OLD_" + name);
              name = "OLD_" + name;
            }
            settings.add(b.build());
          }
        }
        if (random.nextInt(8) != 0) {
          // Sometimes missing: a required secret that is not set.
          env.put(name, random.nextInt(6) == 0 ? "${ref:fake:c" + index + "/" + name + "}" : value);
          MANAGER.put("c" + index + "/" + name, value);
        }
        inputs.add("S" + k);
      }
    }

    private void addReferences() {
      int n = random.nextInt(3);
      for (int k = 0; k < n; k++) {
        String name = "R" + k;
        String path = "c" + index + "/" + name;
        switch (random.nextInt(3)) {
          case 0 -> {
            settings.add(Setting.string(name).build());
            MANAGER.put(path, secret());
          }
          case 1 -> {
            settings.add(Setting.uri(name).build());
            MANAGER.put(path, "https://svc:" + secret().replace("%", "%25") + "@x.example/");
          }
          default -> {
            // A reference whose value does not parse: the error must not quote it.
            settings.add(Setting.port(name).optional().build());
            MANAGER.put(path, secret());
          }
        }
        env.put(name, "${ref:fake:" + path + "}");
        inputs.add(name);
      }
    }

    private void addPlain() {
      settings.add(Setting.string("P0").optional().build());
      if (random.nextBoolean()) {
        env.put("P0", "plain-value");
        inputs.add("P0");
      }
      if (random.nextBoolean()) {
        settings.add(Setting.port("PORT").build());
        env.put("PORT", random.nextBoolean() ? "8080" : "eighty");
      }
    }

    private void addDerived() {
      int n = 1 + random.nextInt(4);
      for (int k = 0; k < n; k++) {
        String name = "D" + k;
        String input = inputs.get(random.nextInt(inputs.size()));
        Setting<?> setting;
        if (random.nextInt(5) == 0) {
          setting = functionDerived(name, input);
        } else {
          String[] shape = SHAPES[random.nextInt(SHAPES.length)];
          String template = shape[1].replace("${X", "${" + input);
          setting = typed(name, shape[0]).derive(template).build();
        }
        settings.add(setting);
        if (random.nextInt(10) == 0) {
          env.put(name, "https://set-directly.example/");
        }
        inputs.add(name);
      }
    }

    private Setting<?> functionDerived(String name, String input) {
      Function<Config, String> function =
          c -> {
            Object value = c.find(input, Object.class).orElseThrow();
            String text =
                value instanceof Secret
                    ? ((Secret) value).reveal()
                    : value instanceof KeyList
                        ? ((KeyList) value).current().reveal()
                        : String.valueOf(value);
            if (random.nextInt(3) == 0) {
              throw new IllegalStateException("cannot use " + text);
            }
            return "fn:" + text;
          };
      return Setting.string(name).derive(function, setting(input)).build();
    }

    private Setting<?> setting(String name) {
      for (Setting<?> s : settings) {
        if (s.name().equals(name)) {
          return s;
        }
      }
      throw new IllegalStateException(name);
    }

    private static Setting.Builder<?> typed(String name, String type) {
      return switch (type) {
        case "uri" -> Setting.uri(name);
        case "list" -> Setting.list(name);
        case "integer" -> Setting.integer(name);
        case "port" -> Setting.port(name);
        case "duration" -> Setting.duration(name);
        default -> Setting.string(name);
      };
    }

    /** Defaults and examples that hold a secret and do not parse, in either order, and in JSON. */
    private void checkBadDeclarations() {
      String value = secret();
      List<Runnable> bad =
          List.of(
              () -> Setting.integer("BAD").defaultText(value).secret().build(),
              () -> Setting.integer("BAD").secret().defaultText(value).build(),
              () -> Setting.uri("BAD").examples(value).secret().build(),
              () -> Setting.fernetKey("BAD").examples(value).build(),
              () -> Setting.port("BAD").secret().examples("80", value).build(),
              () -> Setting.string("BAD").secret().defaultText(value).build());
      // A random value may happen to parse (as a URI, say): then there is no message to check.
      try {
        bad.get(random.nextInt(bad.size())).run();
      } catch (IllegalArgumentException e) {
        check(e);
      }
      String json;
      try {
        String field = random.nextBoolean() ? "default" : "examples";
        String quoted = JSON.writeValueAsString(value);
        json =
            "{\"settings\": [{\"name\": \"BAD\", \"type\": \""
                + (random.nextBoolean() ? "integer" : "url")
                + "\", \"secret\": true, \""
                + field
                + "\": "
                + (field.equals("default") ? quoted : "[" + quoted + "]")
                + "}]}";
      } catch (JsonProcessingException e) {
        throw new AssertionError("cannot write JSON", e);
      }
      try {
        check("JSON schema", ConfigSchema.fromJson(json).toString());
      } catch (ConfigException e) {
        check(e);
      }
    }

    private void checkConfig(Config config) {
      check("report table", config.report().toTable());
      check("Config.toString()", config.toString());
      try {
        check("report as JSON", JSON.writeValueAsString(config.report()));
      } catch (JsonProcessingException e) {
        throw new AssertionError("cannot write the report as JSON", e);
      }
      for (Class<? extends Record> type : RECORDS) {
        try {
          check("bound " + type.getSimpleName(), String.valueOf(config.bind(type)));
        } catch (IllegalArgumentException expected) {
          // Refused: the setting is missing, of another type, or would print a secret.
          check(expected);
        }
      }
    }

    private void checkDeclaredRecord() {
      Map<String, String> values = new HashMap<>();
      String value = secret();
      if (random.nextInt(5) != 0) {
        values.put("S0", value);
      }
      if (random.nextInt(5) == 0) {
        values.put("HOOK", value);
      }
      try {
        check(
            "loaded record",
            String.valueOf(
                ConfigSchema.load(Declared.class, ConfigSource.of(values, Origin.Kind.DOTENV))));
      } catch (ConfigException e) {
        check(e);
      }
    }

    /** Outputs are checked together at the end of the case: one scan per secret, not per output. */
    private void check(String what, String output) {
      outputs.add(new String[] {what, output});
      all.append(output).append("\n\u0000\n");
    }

    private void check(Throwable thrown) {
      thrown(thrown, thrown);
    }

    private void thrown(Throwable root, Throwable t) {
      if (t == null || throwables.contains(t)) {
        return;
      }
      throwables.add(t);
      check(root.getClass().getName() + " chain", String.valueOf(t.getMessage()));
      check(root.getClass().getName() + " chain", String.valueOf(t));
      thrown(root, t.getCause());
      for (Throwable suppressed : t.getSuppressed()) {
        thrown(root, suppressed);
      }
    }

    /** Fails, naming the output, when any output holds any secret of the case. */
    private void verify() {
      String text = all.toString();
      for (String secret : secrets) {
        if (Leaks.findLeak(text, secret) == null) {
          continue;
        }
        for (Throwable t : throwables) {
          Leaks.assertNoLeak(t, secret);
        }
        for (String[] output : outputs) {
          Leaks.assertNoLeak(output[0], output[1], secret);
        }
        throw new AssertionError("the outputs together leak a secret across a boundary");
      }
    }
  }

  /** A secret manager named {@code fake} that answers {@code fake:PATH} from {@link #MANAGER}. */
  private static final class FakeManager implements SecretProvider {
    @Override
    public String name() {
      return "fake";
    }

    @Override
    public SecretVersion fetch(SecretRef ref) {
      String value = MANAGER.get(ref.path());
      if (value == null) {
        throw new SecretNotFoundException(ref, "no such secret");
      }
      return SecretVersion.of(Secret.of(value), Instant.EPOCH);
    }

    @Override
    public Optional<ConfigValue> get(String name) {
      return Optional.empty();
    }

    @Override
    public String description() {
      return "fake secret manager";
    }

    @Override
    public void close() {}
  }
}
