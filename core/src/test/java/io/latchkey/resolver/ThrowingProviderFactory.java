package io.latchkey.resolver;

import io.latchkey.spi.ProviderName;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretProviderFactory;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A factory that DiscoveredProviderFailureTest registers through a context class loader of its own,
 * whose {@code create} throws what the test sets, quoting a value. Public because ServiceLoader
 * instantiates it.
 */
@ProviderName("throwing")
public final class ThrowingProviderFactory implements SecretProviderFactory {
  /** What {@code create} throws; set by the test before the provider is first used. */
  static volatile Supplier<Throwable> failure;

  /** How many times {@code create} was called. */
  static final AtomicInteger creations = new AtomicInteger();

  /** Creates the factory; ServiceLoader calls this. */
  public ThrowingProviderFactory() {}

  @Override
  public SecretProvider create(Map<String, String> environment) {
    creations.incrementAndGet();
    throw ThrowingProviderFactory.<RuntimeException>sneaky(failure.get());
  }

  // The sneaky-throw idiom: T is inferred as an unchecked type at the call site, on purpose.
  @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
  private static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }
}
