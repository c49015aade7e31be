package io.latchkey.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.SecretRef;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A provider announces a change; the re-check of its references is under way when the application
 * closes the resolver. Once {@code close()} has returned, no listener may run: the application has
 * shut down what its listeners act on (a connection pool, a key ring).
 */
final class ListenerAfterCloseTest {

  /** Lets the first fetch through, and holds every later one until interrupted. */
  private static final class SecondFetchHangs extends FakeProvider {
    final AtomicBoolean armed = new AtomicBoolean();
    final AtomicInteger armedFetches = new AtomicInteger();
    final CountDownLatch secondEntered = new CountDownLatch(1);

    SecondFetchHangs() {
      super("fake");
    }

    @Override
    public SecretVersion fetch(SecretRef ref) {
      if (armed.get() && armedFetches.incrementAndGet() >= 2) {
        secondEntered.countDown();
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new io.latchkey.ProviderException(
            ref, io.latchkey.ProviderException.Kind.OTHER, "interrupted");
      }
      return super.fetch(ref);
    }
  }

  @Test
  @Timeout(60)
  void noListenerRuns_afterCloseReturned() throws Exception {
    SecondFetchHangs fake = new SecondFetchHangs();
    fake.put("a", "a1").put("b", "b1");
    SecretResolver r =
        SecretResolver.builder()
            .provider(fake)
            .clock(new MutableClock())
            .timeout(Duration.ofMinutes(10))
            .retry(1, Duration.ofMillis(1), Duration.ofMillis(1))
            .build();
    SecretRef a = SecretRef.parse("fake:a");
    SecretRef b = SecretRef.parse("fake:b");
    r.resolve(a);
    r.resolve(b);

    AtomicBoolean closeReturned = new AtomicBoolean();
    List<String> toldAfterClose = new CopyOnWriteArrayList<>();
    r.addListener(
        (ref, before, after) -> {
          if (closeReturned.get()) {
            toldAfterClose.add(ref.toString());
          }
        });

    // Both rotate; the provider says so (as mounted files or a watch do).
    fake.put("a", "a2").put("b", "b2");
    fake.armed.set(true);
    Thread announcer = new Thread(fake::announceChange, "provider-watch");
    announcer.start();
    fake.secondEntered.await(); // one reference re-checked and changed, the other hangs

    r.close();
    closeReturned.set(true);
    announcer.join();

    assertThat(toldAfterClose).as("listeners told after close() returned").isEmpty();
  }

  @Test
  @Timeout(60)
  void aListenerThatClosesTheResolver_isNotWaitedFor() {
    FakeProvider fake = new FakeProvider("fake").put("a", "a1");
    SecretResolver r =
        SecretResolver.builder()
            .provider(fake)
            .clock(new MutableClock())
            .timeout(Duration.ofMinutes(10))
            .build();
    SecretRef a = SecretRef.parse("fake:a");
    r.resolve(a);
    List<String> told = new CopyOnWriteArrayList<>();
    r.addListener(
        (ref, before, after) -> {
          told.add(ref.toString());
          r.close();
          told.add("closed");
        });

    fake.put("a", "a2");
    fake.announceChange();

    assertThat(told).containsExactly("fake:a", "closed");
    assertThat(r.isOpen()).isFalse();
  }
}
