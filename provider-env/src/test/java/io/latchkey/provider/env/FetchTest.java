package io.latchkey.provider.env;

import static io.latchkey.provider.env.Testing.CANARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link EnvSecretProvider#fetch(SecretRef)}: references, JSON fields and their failures. */
final class FetchTest {
  @TempDir Path dir;

  private static final String JSON =
      "{\"user\":\"app\",\"password\":\""
          + CANARY
          + "-pw\",\"port\":5432,"
          + "\"tls\":{\"mode\": \"verify-full\" },\"hosts\":[\"a\",\"b\"],"
          + "\"escaped\":\"line\\nnext \\u00e9\\\"q\\\"\",\"none\":null}";

  private EnvSecretProvider provider(Map<String, String> env) {
    return EnvSecretProvider.builder().environment(env).noDotenv().build();
  }

  @Test
  void fetch_plainNameAndSlashReference() {
    EnvSecretProvider env =
        provider(Map.of("DB_PASSWORD", "pw-1", "LLM_API_KEY_CONTROL_PLANE", "sk-x"));

    SecretVersion version = env.fetch(SecretRef.parse("DB_PASSWORD"));
    assertThat(version.value().reveal()).isEqualTo("pw-1");
    assertThat(version.versionId()).isEmpty();
    assertThat(version.stages()).isEmpty();
    assertThat(env.fetch(SecretRef.parse("env:llm_api_key/control_plane")).value().reveal())
        .isEqualTo("sk-x");
  }

  @ParameterizedTest(name = "#{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "user     | app",
        "port     | 5432",
        "tls      | {\"mode\": \"verify-full\" }",
        "hosts    | [\"a\",\"b\"]",
        "escaped  | 'line\nnext \u00e9\"q\"'",
      })
  void fetch_field_readsJsonMembers(String field, String expected) {
    EnvSecretProvider env = provider(Map.of("DB_CREDENTIALS", JSON));

    String value = env.fetch(SecretRef.parse("env:DB_CREDENTIALS#" + field)).value().reveal();

    assertThat(value).isEqualTo(expected.replace("\\n", "\n"));
  }

  @Test
  void fetch_field_decodesTheSecretMember() {
    EnvSecretProvider env = provider(Map.of("DB_CREDENTIALS", " \n" + JSON + "\n "));

    assertThat(env.fetch(SecretRef.parse("DB_CREDENTIALS#password")).value().reveal())
        .isEqualTo(CANARY + "-pw");
  }

  @Test
  void fetch_missingName_isNotFound() {
    EnvSecretProvider env = provider(Map.of());

    assertThatThrownBy(() -> env.fetch(SecretRef.parse("env:NOPE")))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessageStartingWith("secret env:NOPE: not set in ");
  }

  @Test
  void fetch_nullMember_isAbsent_asWithEveryProvider() {
    EnvSecretProvider env = provider(Map.of("DB_CREDENTIALS", JSON));

    assertThatThrownBy(() -> env.fetch(SecretRef.parse("DB_CREDENTIALS#none")))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessage("secret env:DB_CREDENTIALS#none: the JSON object has no field 'none'");
  }

  @Test
  void fetch_missingField_isNotFound() {
    EnvSecretProvider env = provider(Map.of("DB_CREDENTIALS", JSON));

    assertThatThrownBy(() -> env.fetch(SecretRef.parse("DB_CREDENTIALS#nope")))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessage("secret env:DB_CREDENTIALS#nope: the JSON object has no field 'nope'");
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "CANARY-7f3a9c                     | expected a JSON value",
        "[\"CANARY-7f3a9c\"]               | the value is an array, not an object",
        "\"CANARY-7f3a9c\"                 | the value is a string, not an object",
        "{\"a\":1,\"a\":\"CANARY-7f3a9c\"}   | has a member name twice",
        "{\"a\":\"CANARY-7f3a9c\"          | expected ',' or '}'",
        "{\"a\":\"CANARY-7f3a9c             | expected a closing '\"'",
        "{\"a\":\"CANARY-7f3a9c\",}        | expected a member name",
        "{\"a\":\"CANARY-7f3a9c\"} x       | expected the end of the text",
        "{\"a\":CANARY-7f3a9c}             | expected a JSON value",
        "{\"a\":01}                        | expected ',' or '}'",
        "{\"a\":1.}                        | expected a digit",
        "{\"a\":\"\\x\"}                   | expected a valid escape",
        "{\"a\":\"\\u12G4\"}               | expected a hex digit",
        "{\"a\" \"CANARY-7f3a9c\"}         | expected ':'",
        "{\"a\":[1 2]}                     | expected ',' or ']'",
        "{\"a\":tru}                       | expected a JSON value",
      })
  void fetch_fieldOfNonObject_isNotFound_withTheReasonAlone(String value, String reason) {
    EnvSecretProvider env = provider(Map.of("V", value));

    assertThatThrownBy(() -> env.fetch(SecretRef.parse("V#a")))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessageEndingWith(reason)
        .hasMessageNotContaining(CANARY)
        .hasMessageNotContaining("character");
  }

  @Test
  void fetch_deeplyNestedJson_isRefusedWithoutStackOverflow() {
    String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    EnvSecretProvider env = provider(Map.of("V", deep));

    assertThatThrownBy(() -> env.fetch(SecretRef.parse("V#a")))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessageContaining("nested deeper than 256");
  }

  @Test
  void fetch_version_isUnsupported() {
    EnvSecretProvider env = provider(Map.of("DB_PASSWORD", "x"));

    assertThatThrownBy(() -> env.fetch(SecretRef.parse("DB_PASSWORD@2")))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.UNSUPPORTED))
        .hasMessageContaining("no older versions");
  }

  @Test
  void fetch_pathThatCannotMapToAName_isOther() {
    EnvSecretProvider env = provider(Map.of());

    assertThatThrownBy(() -> env.fetch(SecretRef.parse("env:a//b")))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.OTHER))
        .hasMessageContaining("an empty segment");
  }

  @Test
  void fetch_unreadableFile_isOther_namingTheVariable() {
    EnvSecretProvider env = provider(Map.of("DB_PASSWORD_FILE", dir.resolve("missing").toString()));

    assertThatThrownBy(() -> env.fetch(SecretRef.parse("DB_PASSWORD")))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ProviderException.Kind.OTHER);
              assertThat(e.isRetryable()).isFalse();
            })
        .hasMessageContaining("DB_PASSWORD_FILE");
  }

  @Test
  void resolver_seesARotatedMountedFile_onTheSecondPollThatReadsIt_andTellsItsListeners() {
    Path file = Testing.write(dir.resolve("db"), "first\n");
    EnvSecretProvider env =
        EnvSecretProvider.builder()
            .environment(Map.of("DB_PASSWORD_FILE", file.toString()))
            .noDotenv()
            .pollInterval(Duration.ZERO)
            .build();
    List<String> changes = new ArrayList<>();
    MutableClock clock = new MutableClock();
    try (SecretResolver resolver =
        SecretResolver.builder()
            .provider(env)
            .ttl(Duration.ofHours(1))
            .clock(clock)
            .executor(Runnable::run)
            .build()) {
      SecretRef ref = SecretRef.parse("DB_PASSWORD");
      resolver.addListener(ref, (r, oldId, newId) -> changes.add(r + " changed"));
      assertThat(resolver.resolve(ref).reveal()).isEqualTo("first");

      Testing.write(file, "second\n");
      env.poll();
      assertThat(resolver.resolve(ref).reveal())
          .as("read once: maybe half-written")
          .isEqualTo("first");
      assertThat(changes).isEmpty();

      env.poll();
      // Within the hour's time-to-live: the provider told the resolver, which re-checked at once.
      assertThat(changes).containsExactly("env:DB_PASSWORD changed");
      assertThat(resolver.resolve(ref).reveal()).isEqualTo("second");
    }
  }

  @Test
  void fetchAll_answersWhatFetchWould_andLeavesOutWhatFetchRefuses() {
    EnvSecretProvider env =
        provider(Map.of("DB", JSON, "PLAIN", "pw-1", "NOT_JSON", CANARY, "API_KEY", "sk-1"));
    List<SecretRef> refs =
        List.of(
            SecretRef.parse("DB#user"),
            SecretRef.parse("NOPE"),
            SecretRef.parse("DB#password"),
            SecretRef.parse("DB#nope"),
            SecretRef.parse("NOT_JSON#x"),
            SecretRef.parse("PLAIN@2"),
            SecretRef.parse("PLAIN"),
            SecretRef.parse("env:api_key"));

    Map<SecretRef, SecretVersion> fetched = env.fetchAll(refs);

    assertThat(fetched.keySet())
        .containsExactly(refs.get(0), refs.get(2), refs.get(6), refs.get(7));
    for (Map.Entry<SecretRef, SecretVersion> e : fetched.entrySet()) {
      SecretVersion alone = env.fetch(e.getKey());
      assertThat(e.getValue().value().reveal()).isEqualTo(alone.value().reveal());
      assertThat(e.getValue().versionId()).isEqualTo(alone.versionId());
    }
    assertThat(env.fetchAll(List.of())).isEmpty();
    assertThatThrownBy(() -> env.fetchAll(Arrays.asList(refs.get(0), null)))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void fetchAll_readsAMountedFileOnce_andItsVersionIsTheOneAFetchGives() {
    Path file = Testing.write(dir.resolve("db"), "{\"user\":\"app\",\"password\":\"pw\"}\n");
    EnvSecretProvider env =
        EnvSecretProvider.builder()
            .environment(Map.of("DB_FILE", file.toString()))
            .noDotenv()
            .watchFiles(false)
            .pollInterval(Duration.ZERO)
            .build();
    SecretRef user = SecretRef.parse("DB#user");
    SecretRef password = SecretRef.parse("DB#password");

    Map<SecretRef, SecretVersion> fetched = env.fetchAll(List.of(user, password));

    assertThat(fetched.get(user).value().reveal()).isEqualTo("app");
    assertThat(fetched.get(password).value().reveal()).isEqualTo("pw");
    assertThat(fetched.get(user).versionId()).isPresent().isEqualTo(env.fetch(user).versionId());
    // Read once, then served from what the provider holds: the file's change waits for the polls.
    Testing.write(file, "{\"user\":\"other\",\"password\":\"pw2\"}\n");
    assertThat(env.fetchAll(List.of(user)).get(user).value().reveal()).isEqualTo("app");
    env.close();
  }

  @Test
  void prefetch_throughTheResolver_usesOneTaskForTheBatch_notAThreadPerReference() {
    Map<String, String> vars = new LinkedHashMap<>();
    List<SecretRef> refs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      vars.put("S" + i, "value-" + i);
      refs.add(SecretRef.parse("env:S" + i));
    }
    EnvSecretProvider env = provider(vars);
    AtomicInteger tasks = new AtomicInteger();
    try (SecretResolver resolver =
        SecretResolver.builder()
            .provider(env)
            .executor(
                task -> {
                  tasks.incrementAndGet();
                  task.run();
                })
            .build()) {
      resolver.prefetch(refs);
      assertThat(tasks).hasValue(1);
      for (int i = 0; i < 20; i++) {
        assertThat(resolver.resolve(refs.get(i)).reveal()).isEqualTo("value-" + i);
      }
      assertThat(tasks).as("every value came from the prefetch").hasValue(1);

      // A reference the batch left out is fetched alone, and its failure named.
      List<SecretRef> withMissing = List.of(SecretRef.parse("env:S1"), SecretRef.parse("NOPE"));
      assertThatThrownBy(() -> resolver.prefetch(withMissing))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("env:NOPE")
          .hasMessageNotContaining("env:S1");
    }
  }

  @Test
  void errors_neverContainTheCanary() {
    EnvSecretProvider env = provider(Map.of("V", "{\"password\":\"" + CANARY + "\"", "W", CANARY));
    List<Throwable> thrown = new ArrayList<>();
    for (String ref : List.of("V#password", "W#x", "W@1", "NOPE", "V#nope")) {
      try {
        env.fetch(SecretRef.parse(ref));
      } catch (RuntimeException e) {
        thrown.add(e);
      }
    }
    assertThat(thrown).hasSize(5);
    Leaks.assertNoLeak(thrown, CANARY);
  }
}
