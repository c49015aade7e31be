package io.latchkey.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link SecretResolver#refresh(SecretRef)}, and the fields of one secret stored together. */
final class RefreshTest {
  private static final SecretRef DB = SecretRef.parse("fake:db");
  private static final SecretRef USER = SecretRef.parse("kv:prod/db#username");
  private static final SecretRef PASS = SecretRef.parse("kv:prod/db#password");

  private final MutableClock clock = new MutableClock();
  private final FakeProvider fake = new FakeProvider("fake").put("db", "pw1");
  private final Fields kv = new Fields();
  private SecretResolver resolver;

  @AfterEach
  void close() {
    if (resolver != null) {
      resolver.close();
    }
  }

  private SecretResolver open() {
    resolver =
        SecretResolver.builder()
            .provider(fake)
            .provider(kv)
            .clock(clock)
            .executor(Runnable::run)
            .ttl(Duration.ofMinutes(5))
            .jitter(0)
            .failureRecheck(Duration.ofSeconds(5))
            .build();
    return resolver;
  }

  @Test
  void refresh_asksTheProviderNow_andTellsTheListeners() {
    SecretResolver r = open();
    assertThat(r.resolve(DB).reveal()).isEqualTo("pw1");
    List<String> told = new CopyOnWriteArrayList<>();
    r.addListener(
        DB, (ref, before, after) -> told.add(before.orElse("?") + ">" + after.orElse("?")));
    fake.put("db", "pw2");
    int fetches = fake.fetches.get();

    assertThat(r.refresh(DB)).as("a new value arrived").isTrue();

    assertThat(fake.fetches.get()).isEqualTo(fetches + 1);
    assertThat(r.resolve(DB).reveal()).isEqualTo("pw2");
    assertThat(told).containsExactly("v1>v2");
  }

  @Test
  void refresh_unchanged_returnsFalse() {
    SecretResolver r = open();
    r.resolve(DB).wipe();
    int checks = fake.versionChecks.get();

    assertThat(r.refresh(DB)).isFalse();
    assertThat(fake.versionChecks.get()).as("the provider was asked").isEqualTo(checks + 1);
  }

  @Test
  void refresh_asksAtMostOncePerFailureRecheckInterval() {
    SecretResolver r = open();
    r.resolve(DB).wipe();
    assertThat(r.refresh(DB)).isFalse();
    int asked = fake.fetches.get() + fake.versionChecks.get();
    fake.put("db", "pw2");

    for (int i = 0; i < 100; i++) {
      assertThat(r.refresh(DB)).isFalse();
    }
    clock.advance(Duration.ofMillis(4_999));
    assertThat(r.refresh(DB)).isFalse();
    assertThat(fake.fetches.get() + fake.versionChecks.get())
        .as("no ask within the interval")
        .isEqualTo(asked);

    clock.advance(Duration.ofMillis(1));
    assertThat(r.refresh(DB)).isTrue();
    assertThat(r.resolve(DB).reveal()).isEqualTo("pw2");
  }

  @Test
  void refresh_ofAField_asksForTheWholeSecret_andStoresItsOtherFieldsFromTheSameAnswer() {
    SecretResolver r = open();
    kv.put("{\"username\":\"app_a\",\"password\":\"password-a\"}");
    assertThat(r.resolve(USER).reveal()).isEqualTo("app_a");
    assertThat(r.resolve(PASS).reveal()).isEqualTo("password-a");
    assertThat(kv.fetches.get()).as("one fetch for both fields").isEqualTo(1);
    List<String> seen = new CopyOnWriteArrayList<>();
    r.addListener(
        (ref, before, after) -> {
          // Told once both are stored: a listener never sees the new user beside the old password.
          seen.add(
              ref.field().orElseThrow()
                  + " "
                  + r.resolve(USER).reveal()
                  + "/"
                  + r.resolve(PASS).reveal());
        });
    kv.put("{\"username\":\"app_b\",\"password\":\"password-b\"}");

    assertThat(r.refresh(USER)).isTrue();

    assertThat(kv.fetches.get()).isEqualTo(2);
    assertThat(r.resolve(PASS).reveal()).isEqualTo("password-b");
    assertThat(kv.fetches.get()).as("the password came with the user name").isEqualTo(2);
    assertThat(seen)
        .containsExactlyInAnyOrder("username app_b/password-b", "password app_b/password-b");
  }

  @Test
  void aFieldsRefreshAtItsOwnTime_bringsItsSiblingsAlong() {
    SecretResolver r = open();
    kv.put("{\"username\":\"app_a\",\"password\":\"password-a\"}");
    r.resolve(USER).wipe();
    clock.advance(Duration.ofSeconds(30));
    r.resolve(PASS).wipe();
    kv.put("{\"username\":\"app_b\",\"password\":\"password-b\"}");
    // At 4 min the user name is due (at 3 min 45 s); the password, read 30 s later, is not.
    clock.advance(Duration.ofSeconds(210));

    r.resolve(USER).wipe(); // starts the refresh (here on the calling thread)

    assertThat(r.resolve(USER).reveal()).isEqualTo("app_b");
    assertThat(r.resolve(PASS).reveal()).isEqualTo("password-b");
  }

  /** A provider that fetches a whole secret once per version and extracts its fields itself. */
  static final class Fields implements SecretProvider {
    final AtomicInteger fetches = new AtomicInteger();
    private final Map<String, String> current = new ConcurrentHashMap<>();
    private volatile int version;

    synchronized void put(String json) {
      current.put("value", json);
      version++;
    }

    @Override
    public String name() {
      return "kv";
    }

    @Override
    public boolean extractsFields() {
      return true;
    }

    @Override
    public synchronized SecretVersion fetch(SecretRef ref) {
      fetches.incrementAndGet();
      SecretVersion whole =
          SecretVersion.of(Secret.of(current.get("value")), "v" + version, Instant.EPOCH);
      return ref.field().isPresent() ? field(ref, whole) : whole;
    }

    @Override
    public SecretVersion field(SecretRef ref, SecretVersion whole) {
      String json = whole.value().reveal();
      String name = "\"" + ref.field().orElseThrow() + "\":\"";
      int at = json.indexOf(name);
      if (at < 0) {
        throw new SecretNotFoundException(ref, "no such field");
      }
      int start = at + name.length();
      String value = json.substring(start, json.indexOf('"', start));
      return SecretVersion.of(Secret.of(value), whole.versionId().orElseThrow(), whole.fetchedAt());
    }

    @Override
    public Optional<String> currentVersionId(SecretRef ref) {
      return Optional.of("v" + version);
    }

    @Override
    public Optional<ConfigValue> get(String name) {
      return Optional.empty();
    }

    @Override
    public String description() {
      return "fields";
    }
  }
}
