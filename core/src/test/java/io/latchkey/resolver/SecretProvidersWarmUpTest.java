package io.latchkey.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.spi.SecretProviderFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Warming up the providers an application will use, found the way they are created. */
final class SecretProvidersWarmUpTest {

  @Test
  void warmsTheNamedFactoriesOnly_passingOverFailuresAndUnknownNames(@TempDir Path dir)
      throws Exception {
    Path services = dir.resolve("META-INF/services/" + SecretProviderFactory.class.getName());
    Files.createDirectories(services.getParent());
    Files.writeString(
        services,
        WarmingProviderFactory.class.getName()
            + "\n"
            + WarmingProviderFactory.Failing.class.getName()
            + "\n");
    Thread thread = Thread.currentThread();
    ClassLoader saved = thread.getContextClassLoader();
    WarmingProviderFactory.WARM_UPS.set(0);
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      thread.setContextClassLoader(loader);
      assertThat(SecretProviders.warmUp(List.of("failing-warm-up", "absent"))).isZero();
      assertThat(WarmingProviderFactory.WARM_UPS).hasValue(0);
      assertThat(SecretProviders.warmUp(List.of("warming", "failing-warm-up"))).isEqualTo(1);
      assertThat(WarmingProviderFactory.WARM_UPS).hasValue(1);
    } finally {
      thread.setContextClassLoader(saved);
    }
  }
}
