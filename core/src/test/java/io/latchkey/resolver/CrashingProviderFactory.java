package io.latchkey.resolver;

import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.spi.ProviderName;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretProviderFactory;
import io.latchkey.spi.SecretVersion;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A factory that ProviderThrowableTest registers through a context class loader of its own: its
 * provider serves {@code crashing:…} and throws an {@code AssertionError} quoting a value when
 * closed. Public because ServiceLoader instantiates it.
 */
@ProviderName("crashing")
public final class CrashingProviderFactory implements SecretProviderFactory {
  /** The value the provider serves and quotes when it fails to close. */
  static final String CANARY = "CANARY-close-6d1e9b3a7f";

  /** Creates the factory; ServiceLoader calls this. */
  public CrashingProviderFactory() {}

  @Override
  public SecretProvider create(Map<String, String> environment) {
    return new SecretProvider() {
      @Override
      public String name() {
        return "crashing";
      }

      @Override
      public SecretVersion fetch(SecretRef ref) {
        return SecretVersion.of(Secret.of(CANARY), Instant.EPOCH);
      }

      @Override
      public Optional<ConfigValue> get(String name) {
        return Optional.empty();
      }

      @Override
      public String description() {
        return "crashing";
      }

      @Override
      public void close() {
        throw new AssertionError("still holding " + CANARY);
      }
    };
  }
}
