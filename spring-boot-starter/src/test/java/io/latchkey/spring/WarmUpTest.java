package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.spi.SecretProviderFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The providers the references use are warmed up on a thread of their own, and only those. */
final class WarmUpTest {

  @BeforeEach
  void reset() {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("partner", "canary-test-8f14e45fceea167a5a36");
    WarmedProviderFactory.WARMED_ON.clear();
    WarmedProviderFactory.warmed = new CountDownLatch(1);
    WarmedProviderFactory.fetchGate = null;
    WarmedProviderFactory.CLOSED.set(0);
  }

  @Test
  void aStartUpThatFailsWhileTheLoadRuns_closesTheResolverAfterTheLoad(@TempDir Path dir)
      throws Exception {
    // The fetch waits for the failing bean, so the context fails while the load is under way.
    CountDownLatch gate = new CountDownLatch(1);
    WarmedProviderFactory.fetchGate = gate;
    Failing.gate = gate;
    try {
      withWarmedProvider(
          dir,
          () ->
              assertThatThrownBy(
                      () ->
                          TestApps.of(WithFailingBean.class)
                              .property("partner.token", "ref+warmed:partner")
                              .run())
                  .hasRootCauseMessage("the bean failed"));
    } finally {
      Failing.gate = null;
    }
    // Closing waited for the load, then closed the resolver and the provider it created.
    assertThat(WarmedProviderFactory.CLOSED).hasValue(1);
  }

  private void withWarmedProvider(Path dir, Runnable body) throws Exception {
    Path services = dir.resolve("META-INF/services/" + SecretProviderFactory.class.getName());
    Files.createDirectories(services.getParent());
    Files.writeString(services, WarmedProviderFactory.class.getName() + "\n");
    Thread thread = Thread.currentThread();
    ClassLoader saved = thread.getContextClassLoader();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      thread.setContextClassLoader(loader);
      body.run();
    } finally {
      thread.setContextClassLoader(saved);
    }
  }

  @Test
  void theProviderOfAReferenceIsWarmedUp_onItsOwnThread(@TempDir Path dir) throws Exception {
    withWarmedProvider(
        dir,
        () -> {
          try (ConfigurableApplicationContext context =
              TestApps.of(App.class)
                  .property("partner.token", "ref+warmed:partner")
                  .property("partner.other", "ref+test:partner")
                  .run()) {
            // The bound only keeps a regression from hanging the build.
            assertThat(awaitWarmUp()).isTrue();
            assertThat(WarmedProviderFactory.WARMED_ON).containsExactly("latchkey-warm-up");
            assertThat(context.getEnvironment().getProperty("partner.token"))
                .isEqualTo(WarmedProviderFactory.VALUE);
          }
        });
  }

  private static boolean awaitWarmUp() {
    try {
      return WarmedProviderFactory.warmed.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void onlyTheSchemesReferencedAreWarmed() {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "test",
                Map.of(
                    "a", "ref+test:partner",
                    "b", "ref+aws:prod/db#password",
                    "c", "ref+test:other",
                    "d", "plain",
                    // Malformed: the scan reports it and fails start-up; the warm-up skips it.
                    "e", "${ref:vault:secret/x")));
    assertThat(LatchkeyWarmUpListener.schemes(environment, new ReferencePropertySource()))
        .containsExactlyInAnyOrder("test", "aws");
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WithFailingBean {
    @Bean
    Failing failing() {
      return new Failing();
    }
  }

  /** A bean that lets the load go on, then fails the start-up. */
  static final class Failing {
    static volatile CountDownLatch gate;

    Failing() {
      CountDownLatch g = gate;
      if (g != null) {
        g.countDown();
      }
      throw new IllegalStateException("the bean failed");
    }
  }
}
