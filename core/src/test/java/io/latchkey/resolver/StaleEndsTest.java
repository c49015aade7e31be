package io.latchkey.resolver;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where a resolver's state must end on time: a stale value past its stale age counts as failed in
 * health before any read finds out, a secret the backend says is gone stops being served stale at
 * once, and a field loaded by a prefetch's batch call lives as long as its secret.
 */
final class StaleEndsTest {
  private static final SecretRef DB = SecretRef.parse("fake:db");
  private final MutableClock clock = new MutableClock();
  private SecretResolver resolver;

  @AfterEach
  void close() {
    if (resolver != null) {
      resolver.close();
    }
  }

  private SecretResolver.Builder direct() {
    return SecretResolver.builder()
        .clock(clock)
        .executor(Runnable::run)
        .ttl(ofSeconds(100))
        .jitter(0)
        .refreshAhead(1)
        .maxStale(Duration.ofMinutes(10))
        .failureRecheck(ofSeconds(5))
        .retry(1, ofMillis(1), ofMillis(1))
        .random(() -> 0.5)
        .sleeper(ms -> {});
  }

  /**
   * docs/secrets.md, Health: FAILED when "some reference has no value to serve". Once the stale
   * value's maxStale has passed, the reference has nothing to serve, yet health keeps saying
   * DEGRADED (ready, with a warning) until some caller happens to read it.
   */
  @Test
  void health_afterMaxStalePassed_isNotDegraded_whenTheStaleValueCanNoLongerBeServed() {
    FakeProvider fake = new FakeProvider("fake").put("db", "pw1");
    resolver = direct().provider(fake).build();
    resolver.resolve(DB);
    clock.advance(ofSeconds(100));
    fake.failNext(() -> new ProviderException(DB, Kind.UNAVAILABLE, "down"));
    assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw1");
    assertThat(resolver.health().get("fake").status()).isEqualTo(ProviderHealth.Status.DEGRADED);

    clock.advance(Duration.ofMinutes(11)); // past maxStale; the backend is still down
    ProviderHealth h = resolver.health().get("fake");
    // The reference can no longer be served...
    fake.failNext(() -> new ProviderException(DB, Kind.UNAVAILABLE, "down"));
    ProviderHealth.Status before = h.status();
    assertThatThrownBy(() -> resolver.resolve(DB)).isInstanceOf(ProviderException.class);
    // ...so health taken just before that read must not have said DEGRADED with a servable value.
    assertThat(before)
        .as("health %s while the only reference is past maxStale", h)
        .isEqualTo(ProviderHealth.Status.FAILED);
  }

  /** A provider that extracts fields and has a batch call, as aws does. */
  static final class FieldsProvider implements SecretProvider {
    final Map<String, String> json = new ConcurrentHashMap<>();
    final Map<String, Integer> versions = new ConcurrentHashMap<>();
    final AtomicInteger fetches = new AtomicInteger();

    void put(String path, String user) {
      json.put(path, user);
      versions.merge(path, 1, Integer::sum);
    }

    @Override
    public String name() {
      return "kv";
    }

    @Override
    public boolean extractsFields() {
      return true;
    }

    private SecretVersion whole(SecretRef ref) {
      String v = json.get(ref.path());
      if (v == null) {
        throw new SecretNotFoundException(ref, "no such secret");
      }
      return SecretVersion.of(Secret.of(v), "v" + versions.get(ref.path()), Instant.EPOCH);
    }

    @Override
    public SecretVersion field(SecretRef ref, SecretVersion whole) {
      // Every field of this toy secret holds the whole value.
      return SecretVersion.of(
          whole.value().copy(), whole.versionId().orElseThrow(), whole.fetchedAt());
    }

    @Override
    public SecretVersion fetch(SecretRef ref) {
      fetches.incrementAndGet();
      SecretVersion w = whole(ref.withoutField());
      return ref.field().isPresent() ? field(ref, w) : w;
    }

    @Override
    public Optional<String> currentVersionId(SecretRef ref) {
      return Optional.of("v" + versions.get(ref.path()));
    }

    @Override
    public Map<SecretRef, SecretVersion> fetchAll(Collection<SecretRef> refs) {
      Map<SecretRef, SecretVersion> out = new HashMap<>();
      for (SecretRef ref : refs) {
        out.put(ref, fetch(ref));
      }
      return out;
    }

    @Override
    public Optional<ConfigValue> get(String name) {
      return Optional.empty();
    }

    @Override
    public String description() {
      return "kv";
    }
  }

  private static final SecretRef SECRET = SecretRef.parse("kv:db");
  private static final SecretRef USER = SecretRef.parse("kv:db#user");
  private static final SecretRef PASS = SecretRef.parse("kv:db#pass");

  /** Control: a field resolved on its own takes its secret's ttl(ref), as documented. */
  @Test
  void fieldResolved_takesItsSecretsTtl() {
    FieldsProvider kv = new FieldsProvider();
    kv.put("db", "u1");
    resolver = direct().provider(kv).ttl(SECRET, ofSeconds(10)).build();
    assertThat(resolver.resolve(USER).reveal()).isEqualTo("u1");
    clock.advance(ofSeconds(11));
    kv.put("db", "u2");
    assertThat(resolver.resolve(USER).reveal()).isEqualTo("u2");
  }

  /**
   * docs/secrets.md, Fields: "A field takes its secret's time-to-live (the scheme's or the default;
   * a ttl(ref, ...) set on the secret without the field)". A field loaded by prefetch's batch call
   * is cached for the default ttl instead, so a rotated value is served long after its secret's
   * ttl.
   */
  @Test
  void fieldPrefetchedByBatch_takesItsSecretsTtl_too() {
    FieldsProvider kv = new FieldsProvider();
    kv.put("db", "u1");
    resolver = direct().provider(kv).ttl(SECRET, ofSeconds(10)).build();
    resolver.prefetch(List.of(USER, PASS));
    assertThat(resolver.resolve(USER).reveal()).isEqualTo("u1");
    clock.advance(ofSeconds(11));
    kv.put("db", "u2");
    assertThat(resolver.resolve(USER).reveal())
        .as("11 s after load, past kv:db's 10 s ttl")
        .isEqualTo("u2");
  }

  /**
   * docs/secrets.md: not found is never served stale; "a secret that the backend says is gone ...
   * is served after expiry only until the background refresh that finds out ends; later reads
   * throw". Once a value is being served stale (backend down), a refresh that learns the secret is
   * gone keeps serving the deleted secret for the rest of maxStale.
   */
  @Test
  void secretDeletedDuringAnOutage_isNotServedStale_forTheRestOfMaxStale() {
    FakeProvider fake = new FakeProvider("fake").put("db", "pw1");
    resolver = direct().provider(fake).build();
    resolver.resolve(DB);
    clock.advance(ofSeconds(100));
    fake.failNext(() -> new ProviderException(DB, Kind.UNAVAILABLE, "down"));
    assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw1"); // served stale: fine

    // The backend is back, and says the secret was deleted.
    fake.remove("db");
    clock.advance(ofSeconds(5)); // the failure re-check pause
    try {
      resolver.resolve(DB); // its refresh (direct executor) finds out
    } catch (SecretNotFoundException expected) {
      // fine too
    }
    clock.advance(ofSeconds(5));
    assertThatThrownBy(() -> resolver.resolve(DB))
        .as("a deleted secret, 10 s after the backend said so")
        .isInstanceOf(SecretNotFoundException.class);
  }
}
