package io.latchkey.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.spi.SecretProviderFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loggers the providers on the class path declare, read without initialising any of them. */
final class SecretProvidersCredentialLoggersTest {

  @Test
  void noProviders_noLoggers() {
    assertThat(SecretProviders.credentialLoggers()).isEmpty();
  }

  @Test
  void eachDeclaredLoggerOnce_inTheOrderOfTheProvidersNames_withoutInitialisingAny(
      @TempDir Path dir) throws Exception {
    Path services = dir.resolve("META-INF/services/" + SecretProviderFactory.class.getName());
    Files.createDirectories(services.getParent());
    Files.writeString(
        services,
        CredentialLoggersProviderFactory.class.getName()
            + "\n"
            + CredentialLoggersProviderFactory.Quiet.class.getName()
            + "\n"
            + CredentialLoggersProviderFactory.Other.class.getName()
            + "\n");
    Thread thread = Thread.currentThread();
    ClassLoader saved = thread.getContextClassLoader();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      thread.setContextClassLoader(loader);
      assertThat(SecretProviders.credentialLoggers())
          .containsExactly(
              "com.example.shared.Wire", "com.example.signer", "com.example.transport.Frames");
    } finally {
      thread.setContextClassLoader(saved);
    }
  }
}
