package io.latchkey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * {@code following(resolver, name)} takes a reference ("aws:prod/app#APP_ENCRYPTION_KEY works
 * too"), and refuses, before resolving, a name that looks like a key. A reference with a scheme is
 * judged a part at a time, so a backend path with an id in it (a tenant's UUID, a generated
 * namespace such as {@code ns-a1b2c3d4}) is followed, as it would be were it not random-looking.
 */
final class FollowingReferenceTest {

  /** Serves paths of scheme {@code kv}; a path not put is not found. */
  static final class PathProvider implements SecretProvider {
    final Map<String, String> values = new ConcurrentHashMap<>();

    @Override
    public String name() {
      return "kv";
    }

    @Override
    public SecretVersion fetch(SecretRef ref) {
      String value = values.get(ref.path());
      if (value == null) {
        throw new SecretNotFoundException(ref, "not set");
      }
      return SecretVersion.of(Secret.of(value), "v1", Instant.EPOCH);
    }

    @Override
    public Optional<ConfigValue> get(String name) {
      return Optional.empty();
    }

    @Override
    public String description() {
      return "paths";
    }
  }

  @Test
  void following_aReferenceWhosePathHoldsATenantUuid_loadsTheKeyItHolds() {
    PathProvider kv = new PathProvider();
    String path = "tenants/7f9c2ba4-e88f-11e9-81b4-2a2ae2dbcce4/APP_KEY";
    FernetKey key = FernetKey.generate();
    kv.values.put(path, key.encoded().reveal());
    try (SecretResolver resolver =
        SecretResolver.builder()
            .provider(kv)
            .clock(new MutableClock())
            .executor(Runnable::run)
            .ttl(Duration.ofHours(1))
            .build()) {
      Throwable thrown = catchThrowable(() -> FernetKeyRing.following(resolver, "kv:" + path));

      assertThat(thrown).as("following an existing secret whose path holds a tenant id").isNull();
    }
  }

  @Test
  void following_aReferenceInAGeneratedNamespace_loadsTheKeyItHolds() {
    PathProvider kv = new PathProvider();
    String path = "k8s/ns-a1b2c3d4/app/APP_KEY";
    kv.values.put(path, FernetKey.generate().encoded().reveal());
    try (SecretResolver resolver =
        SecretResolver.builder()
            .provider(kv)
            .clock(new MutableClock())
            .executor(Runnable::run)
            .ttl(Duration.ofHours(1))
            .build()) {
      Throwable thrown = catchThrowable(() -> FernetKeyRing.following(resolver, "kv:" + path));

      assertThat(thrown).as("following an existing secret in a generated namespace").isNull();
    }
  }
}
