package io.latchkey.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.SecretRef;
import io.latchkey.testsupport.MutableClock;
import io.latchkey.testsupport.Reachability;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One provider that the application owns (registered with {@code provider(...)}, never closed by a
 * resolver) shared by resolvers built and closed one after another: a configuration reload, or a
 * test suite that restarts contexts around one provider. Closing a resolver withdraws the change
 * callback it gave the provider, and a provider that keeps it anyway does not keep the resolver.
 */
final class SharedProviderTest {
  private static final SecretRef DB = SecretRef.parse("fake:db");

  @Test
  void close_withdrawsTheChangeCallbackFromTheProvider() {
    FakeProvider shared = new FakeProvider("fake").put("db", "value-1-of-the-db-password");
    for (int i = 0; i < 5; i++) {
      SecretResolver resolver = build(shared);
      assertThat(shared.changeCallbackCount()).isEqualTo(1);
      assertThat(resolver.resolve(DB).reveal()).isEqualTo("value-1-of-the-db-password");
      resolver.close();
      assertThat(shared.changeCallbackCount()).isZero();
    }
  }

  @Test
  void closedResolvers_areNotKeptReachable_byAProviderThatKeepsItsCallbacks() {
    // A provider written before removeOnChange keeps every callback it is given.
    FakeProvider shared =
        new FakeProvider("fake") {
          @Override
          public void removeOnChange(Runnable callback) {}
        }.put("db", "value-1-of-the-db-password");
    List<WeakReference<SecretResolver>> closed = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      SecretResolver resolver = build(shared);
      assertThat(resolver.resolve(DB).reveal()).isEqualTo("value-1-of-the-db-password");
      resolver.close();
      closed.add(new WeakReference<>(resolver));
    }
    assertThat(shared.changeCallbackCount()).isEqualTo(50);

    assertThat(Reachability.stillReachable(closed))
        .as("closed resolvers reachable from the provider")
        .isZero();
    // The husks it keeps do nothing when it announces a change.
    shared.announceChange();
    assertThat(shared.fetches.get()).isEqualTo(50);
  }

  private static SecretResolver build(FakeProvider shared) {
    return SecretResolver.builder()
        .provider(shared)
        .clock(new MutableClock())
        .executor(Runnable::run)
        .build();
  }
}
