package io.latchkey.provider.env;

import static io.latchkey.provider.env.Testing.CANARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A field read out of a fetched whole value is what a fetch of the field gives, without reading the
 * environment or a file again; the file a {@code NAME_FILE} names stands for the backend, and is
 * changed to show that no read happened.
 */
final class FieldTest {
  private static final String JSON =
      "{\"user\":\"app\",\"password\":\"" + CANARY + "\",\"port\":5432,\"tls\":{\"mode\": 1 }}";

  @TempDir Path dir;

  private EnvSecretProvider provider(Path file) {
    return EnvSecretProvider.builder()
        .environment(Map.of("DB_FILE", file.toString(), "PLAIN", CANARY, "ARRAY", "[1]"))
        .noDotenv()
        .pollInterval(Duration.ZERO)
        .build();
  }

  @Test
  void field_severalFields_equalsFetchOfTheField() {
    EnvSecretProvider env = provider(Testing.write(dir.resolve("db"), JSON));
    SecretVersion whole = env.fetch(SecretRef.parse("env:DB"));
    for (String field : List.of("user", "password", "port", "tls")) {
      SecretRef ref = SecretRef.parse("env:DB#" + field);
      SecretVersion fetched = env.fetch(ref);

      SecretVersion read = env.field(ref, whole);

      assertThat(read.value().reveal()).isEqualTo(fetched.value().reveal());
      // A value from a file has a version derived from its content, the same for every field.
      assertThat(read.versionId()).isEqualTo(fetched.versionId()).isPresent();
      assertThat(read.stages()).isEqualTo(fetched.stages()).isEmpty();
      assertThat(read.fetchedAt()).isEqualTo(whole.fetchedAt());
    }
    assertThat(env.extractsFields()).isTrue();
  }

  @Test
  void field_fileChangedAfterTheWholeWasFetched_readsTheWhole_notTheFile() {
    Path file = Testing.write(dir.resolve("db"), JSON);
    EnvSecretProvider env = provider(file);
    SecretVersion whole = env.fetch(SecretRef.parse("env:DB"));
    Testing.write(file, "{\"user\":\"changed\"}");
    env.poll();
    env.poll();

    assertThat(env.field(SecretRef.parse("env:DB#user"), whole).value().reveal()).isEqualTo("app");
    assertThat(env.fetch(SecretRef.parse("env:DB#user")).value().reveal()).isEqualTo("changed");
  }

  @Test
  void field_missingMember_throwsNotFoundNamingTheRef_withoutTheValue() {
    EnvSecretProvider env = provider(Testing.write(dir.resolve("db"), JSON));
    SecretRef ref = SecretRef.parse("env:DB#missing");

    SecretNotFoundException e =
        catchThrowableOfType(
            SecretNotFoundException.class,
            () -> env.field(ref, env.fetch(SecretRef.parse("env:DB"))));

    assertThat(e.ref()).isEqualTo(ref);
    assertThat(e.getMessage()).contains("env:DB#missing");
    Leaks.assertNoLeak(e, CANARY);
    assertThat(catchThrowableOfType(SecretNotFoundException.class, () -> env.fetch(ref)))
        .hasMessage(e.getMessage());
  }

  @Test
  void field_wholeNotAJsonObject_throwsNotFound_asFetchDoes() {
    EnvSecretProvider env = provider(Testing.write(dir.resolve("db"), JSON));
    for (String name : List.of("PLAIN", "ARRAY")) {
      SecretRef ref = SecretRef.parse("env:" + name + "#password");

      SecretNotFoundException e =
          catchThrowableOfType(
              SecretNotFoundException.class,
              () -> env.field(ref, env.fetch(SecretRef.parse("env:" + name))));

      assertThat(e.ref()).isEqualTo(ref);
      Leaks.assertNoLeak(e, CANARY);
      assertThat(catchThrowableOfType(SecretNotFoundException.class, () -> env.fetch(ref)))
          .hasMessage(e.getMessage());
    }
  }

  @Test
  void resolver_twoFieldsFromManyThreads_shareOneReadOfTheFile() throws Exception {
    Path file = Testing.write(dir.resolve("db"), JSON);
    EnvSecretProvider env = provider(file);
    try (SecretResolver resolver =
        SecretResolver.builder()
            .provider(env)
            .clock(new MutableClock())
            .ttl(Duration.ofMinutes(1))
            .build()) {
      SecretRef user = SecretRef.parse("env:DB#user");
      SecretRef password = SecretRef.parse("env:DB#password");
      assertThat(resolver.resolve(user).reveal()).isEqualTo("app");
      // Had the password been read on its own, it would see this file.
      Testing.write(file, "{\"user\":\"changed\",\"password\":\"changed\"}");
      List<String> seen = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        SecretRef ref = i % 2 == 0 ? user : password;
        Thread t =
            new Thread(
                () -> {
                  try {
                    start.await();
                    seen.add(resolver.resolve(ref).reveal());
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        t.start();
        threads.add(t);
      }
      start.countDown();
      for (Thread t : threads) {
        t.join();
      }

      assertThat(seen).hasSize(8).containsOnly("app", CANARY);
    }
  }
}
