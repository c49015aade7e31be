package io.latchkey.resolver;

import io.latchkey.spi.ProviderName;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretProviderFactory;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A factory that SecretProvidersWarmUpTest registers through a context class loader of its own and
 * that counts its warm-ups. Public because ServiceLoader instantiates it.
 */
@ProviderName("warming")
public final class WarmingProviderFactory implements SecretProviderFactory {
  static final AtomicInteger WARM_UPS = new AtomicInteger();

  /** Creates the factory; ServiceLoader calls this. */
  public WarmingProviderFactory() {}

  @Override
  public SecretProvider create(Map<String, String> environment) {
    throw new UnsupportedOperationException("only warmed up in this test");
  }

  @Override
  public void warmUp() {
    WARM_UPS.incrementAndGet();
  }

  /** A factory whose warm-up fails: passed over. */
  @ProviderName("failing-warm-up")
  public static final class Failing implements SecretProviderFactory {
    /** Creates the factory; ServiceLoader calls this. */
    public Failing() {}

    @Override
    public SecretProvider create(Map<String, String> environment) {
      throw new UnsupportedOperationException("only warmed up in this test");
    }

    @Override
    public void warmUp() {
      throw new IllegalStateException("the warm-up failed");
    }
  }
}
