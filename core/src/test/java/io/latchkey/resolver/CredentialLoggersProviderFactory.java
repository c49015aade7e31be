package io.latchkey.resolver;

import io.latchkey.spi.CredentialLoggers;
import io.latchkey.spi.ProviderName;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretProviderFactory;
import java.util.Map;

/**
 * Factories that SecretProvidersCredentialLoggersTest registers through a context class loader of
 * its own, each declaring loggers, and each failing if its class is ever initialised: the loggers
 * must be read from the annotation alone. Public because ServiceLoader would instantiate them.
 */
@ProviderName("verbose-b")
@CredentialLoggers({"com.example.transport.Frames", "com.example.shared.Wire"})
public final class CredentialLoggersProviderFactory implements SecretProviderFactory {
  static {
    if (!Boolean.getBoolean("never.set")) {
      throw new AssertionError("initialised to read its loggers");
    }
  }

  /** Creates the factory; ServiceLoader would call this. */
  public CredentialLoggersProviderFactory() {}

  @Override
  public SecretProvider create(Map<String, String> environment) {
    throw new UnsupportedOperationException("only its loggers are read in this test");
  }

  /** A second provider, sharing a logger with the first, and sorting before it. */
  @ProviderName("verbose-a")
  @CredentialLoggers({"com.example.shared.Wire", "com.example.signer"})
  public static final class Other implements SecretProviderFactory {
    static {
      if (!Boolean.getBoolean("never.set")) {
        throw new AssertionError("initialised to read its loggers");
      }
    }

    /** Creates the factory; ServiceLoader would call this. */
    public Other() {}

    @Override
    public SecretProvider create(Map<String, String> environment) {
      throw new UnsupportedOperationException("only its loggers are read in this test");
    }
  }

  /** A provider that declares none. */
  @ProviderName("verbose-none")
  public static final class Quiet implements SecretProviderFactory {
    static {
      if (!Boolean.getBoolean("never.set")) {
        throw new AssertionError("initialised to read its loggers");
      }
    }

    /** Creates the factory; ServiceLoader would call this. */
    public Quiet() {}

    @Override
    public SecretProvider create(Map<String, String> environment) {
      throw new UnsupportedOperationException("only its loggers are read in this test");
    }
  }
}
