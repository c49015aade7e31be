package io.latchkey.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code following(resolver, name)} takes a reference ("aws:prod/app#APP_ENCRYPTION_KEY works
 * too"), and refuses, before resolving, a name that looks like a key. A reference with a scheme is
 * judged a part at a time, so a backend path with an id in it (a tenant's UUID, a generated
 * namespace such as {@code ns-a1b2c3d4}) is followed, as it would be were it not random-looking.
 */
final class FollowingReferenceTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tenants/7f9c2ba4-e88f-11e9-81b4-2a2ae2dbcce4/APP_KEY",
        "k8s/ns-a1b2c3d4/app/APP_KEY"
      })
  void following_aReferenceWhosePathHoldsAnId_loadsTheKeyItHolds(String path) {
    FernetKey key = FernetKey.generate();
    MapProvider provider = new MapProvider().set(path, key.encoded().reveal());
    try (SecretResolver resolver =
        SecretResolver.builder()
            .provider(provider)
            .clock(new MutableClock())
            .executor(Runnable::run)
            .ttl(Duration.ofHours(1))
            .build()) {
      FollowingKeys<FernetKeyRing> keys = FernetKeyRing.following(resolver, "env:" + path);

      assertThat(keys.current().keyIds()).containsExactly(key.id());
      keys.close();
    }
  }
}
